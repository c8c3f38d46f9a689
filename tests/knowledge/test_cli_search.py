"""`knowledge search` says, per passage, whether chat would give it to the model for that question:
the same decision (Knowledge.relevant, then the passage screening) and the same retrieval settings
(KNOWLEDGE_EMBEDDINGS_MODEL) as chat."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.knowledge import Knowledge
from bot.core.storage import open_storage
from tests.fakes.openai_server import FakeOpenAI
from tests.knowledge.conftest import FIXTURES
from tests.knowledge.test_cli import env, run

__all__ = ["env"]  # the fixture, shared with test_cli.py

KEYS = {"doc_id", "title", "source", "passage", "score", "used"}
QUESTIONS = [
    "出張でグリーン車は使えますか",
    "USBメモリに個人情報をコピーしてもいいですか",
    "在宅勤務で私物のパソコンは使えますか",
    "今日のランチのおすすめの店は",
]


def _search(env: dict[str, str], question: str, *extra: str) -> list[dict[str, object]]:
    found = run(env, "search", question, "--top", "10", "--json", *extra)
    assert found.returncode == 0, found.stderr
    rows: list[dict[str, object]] = json.loads(found.stdout)
    return rows


async def _relevant(env: dict[str, str], question: str) -> list[str]:
    """The passages chat's decision gives the model, read in-process from the CLI's own storage."""
    storage = await open_storage(Settings.from_env(environ=env, env_file=None))
    knowledge = Knowledge.open(storage, system_clock, refresh_s=0)
    try:
        return [h.text for h in await knowledge.relevant(question)]
    finally:
        await knowledge.close()
        await storage.close()


async def test_used_is_the_decision_chat_makes(env: dict[str, str]) -> None:
    assert run(env, "add", str(FIXTURES)).returncode == 0
    for question in QUESTIONS:
        rows = _search(env, question)
        assert all(set(row) >= KEYS and isinstance(row["used"], bool) for row in rows)
        used = [row["passage"] for row in rows if row["used"]]
        assert used == await _relevant(env, question), question
    green = _search(env, QUESTIONS[0])
    assert green[0]["used"] is True
    assert "特別車両料金" in str(green[0]["passage"])
    assert any(row["used"] is False for row in green[1:])
    assert not any(row["used"] for row in _search(env, QUESTIONS[-1]))


def test_the_text_output_marks_each_passage(env: dict[str, str]) -> None:
    run(env, "add", str(FIXTURES))
    shown = run(env, "search", QUESTIONS[0], "--top", "4")
    assert shown.returncode == 0
    heads = [line for line in shown.stdout.splitlines() if line[:1].isdigit()]
    assert len(heads) == 4
    assert heads[0].endswith("（この質問で回答に使われます）")
    assert all(h.endswith("（この質問では回答に使われません）") for h in heads[1:])


def test_a_relevant_passage_screening_withholds_is_marked(env: dict[str, str], tmp_path: Path) -> None:
    rule = tmp_path / "kagi.txt"
    rule.write_text(
        "庁舎の鍵の貸出要領\n"
        "第一条　庁舎の鍵は、守衛室で借りる。貸出簿の見本 個人番号 123456789018 の欄は記入しない。\n",
        encoding="utf-8",
    )
    run(env, "add", str(rule))
    question = "庁舎の鍵はどこで借りますか"
    rows = _search(env, question)
    assert rows
    assert rows[0]["used"] is False  # relevant, but a My Number: chat never sends this passage
    shown = run(env, "search", question)
    assert "マイナンバーなどの番号を含むため回答に使われません" in shown.stdout


async def test_search_uses_the_embeddings_setting_chat_uses(env: dict[str, str], tmp_path: Path) -> None:
    """A process on loopback against the fake server's /embeddings (as test_hybrid does in-process)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "庁舎管理規程\n第一条　庁舎の鍵は、庁舎の鍵の管理簿に記入して借りる。庁舎の鍵は当日中に返す。\n",
        encoding="utf-8",
    )
    night = "夜間管理要領\n第二条　夜間は、守衛室で庁舎の鍵を受け取る。\n"
    (docs / "b.txt").write_text(night, encoding="utf-8")
    assert run(env, "add", str(docs)).returncode == 0
    question = "庁舎の鍵について"
    assert _search(env, question)[0]["title"] == "庁舎管理規程"  # BM25 alone
    fake = FakeOpenAI()
    await fake.start()
    try:
        fake.embedder = lambda text: [1.0, 0.0] if ("守衛室" in text or text == question) else [0.0, 1.0]
        hybrid = {**env, "OPENAI_BASE_URL": fake.base_url, "KNOWLEDGE_EMBEDDINGS_MODEL": "emb"}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "bot", "knowledge", "search", question, "--json"),
            env=hybrid,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
    finally:
        await fake.close()
    assert process.returncode == 0, err.decode()
    assert json.loads(out)[0]["title"] == "夜間管理要領"
    assert fake.embedding_requests
    assert {r["model"] for r in fake.embedding_requests} == {"emb"}
