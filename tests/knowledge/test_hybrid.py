"""Hybrid retrieval with the fake OpenAI-compatible server's /embeddings: off unless its own setting is
set, re-ranks BM25's candidates, screens what it sends, and falls back to BM25 when the endpoint fails."""

from __future__ import annotations

from collections.abc import AsyncIterator

import openai
import pytest

from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.knowledge import Knowledge
from bot.core.knowledge.embeddings import OpenAIEmbedder, create_embedder, passage_for_embedding
from bot.core.storage.base import Storage
from tests.fakes.openai_server import FakeOpenAI

DOCS = [
    (
        "/h/a.txt",
        "庁舎管理規程",
        "第一条　庁舎の鍵は、庁舎の鍵の管理簿に記入して借りる。庁舎の鍵は当日中に返す。",
    ),
    ("/h/b.txt", "夜間管理要領", "第二条　夜間は、守衛室で庁舎の鍵を受け取る。"),
]


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    server = FakeOpenAI()
    await server.start()
    yield server
    await server.close()


def settings(**env: str) -> Settings:
    return Settings.from_env(environ=env, env_file=None)


def test_only_its_own_setting_switches_it_on(fake: FakeOpenAI) -> None:
    screen = str
    chat_only = settings(OPENAI_API_KEY="sk", OPENAI_BASE_URL=fake.base_url)
    assert create_embedder(chat_only, screen) is None
    azure_only = settings(
        AZURE_OPENAI_ENDPOINT=fake.azure_endpoint, AZURE_OPENAI_DEPLOYMENT="gpt", AZURE_OPENAI_API_KEY="k"
    )
    assert create_embedder(azure_only, screen) is None
    on = settings(OPENAI_BASE_URL=fake.base_url, KNOWLEDGE_EMBEDDINGS_MODEL="text-embedding-3-small")
    assert isinstance(create_embedder(on, screen), OpenAIEmbedder)


async def _knowledge(storage: Storage, embedder: OpenAIEmbedder | None) -> Knowledge:
    knowledge = Knowledge.open(storage, system_clock, refresh_s=0, embedder=embedder)
    for source, title, text in DOCS:
        await knowledge.add(source, title, text)
    return knowledge


def _embedder(fake: FakeOpenAI) -> OpenAIEmbedder:
    client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="k", max_retries=0)
    return OpenAIEmbedder(client, "emb", lambda text: text)


async def test_vectors_rerank_bm25_candidates(sqlite_storage: Storage, fake: FakeOpenAI) -> None:
    question = "庁舎の鍵について"
    plain = await _knowledge(sqlite_storage, None)
    assert next(h.title for h in await plain.search(question)) == "庁舎管理規程"  # BM25: 鍵 said three times
    await plain.close()
    fake.embedder = lambda text: [1.0, 0.0] if ("守衛室" in text or text == question) else [0.0, 1.0]
    embedder = _embedder(fake)
    hybrid = await _knowledge(sqlite_storage, embedder)
    assert next(h.title for h in await hybrid.search(question)) == "夜間管理要領"
    assert fake.embedding_requests[0]["model"] == "emb"
    requests = len(fake.embedding_requests)
    await hybrid.search(question)
    assert len(fake.embedding_requests) == requests + 1, "passage vectors are cached: only the question"
    await hybrid.close()
    await embedder.close()


async def test_an_embeddings_failure_keeps_the_bm25_order(sqlite_storage: Storage, fake: FakeOpenAI) -> None:
    fake.embeddings_status = 500
    embedder = _embedder(fake)
    knowledge = await _knowledge(sqlite_storage, embedder)
    assert next(h.title for h in await knowledge.search("庁舎の鍵について")) == "庁舎管理規程"
    await knowledge.close()
    await embedder.close()


def test_passages_are_screened_before_they_go_to_the_embeddings_endpoint() -> None:
    from bot.core.policy import load_policy  # noqa: PLC0415
    from bot.core.screening import Screener  # noqa: PLC0415

    screener = Screener(load_policy("iwaki").screening)
    assert passage_for_embedding(screener, "個人番号 123456789018 の方") is None
    masked = passage_for_embedding(screener, "担当の電話は090-1234-5678です。")
    assert masked is not None
    assert "090-1234-5678" not in masked
