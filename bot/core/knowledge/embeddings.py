"""Optional hybrid retrieval: BM25 candidates re-ranked with embedding vectors.

Off by default. It is switched on only by its own setting, KNOWLEDGE_EMBEDDINGS_MODEL (the model or
Azure deployment of an embeddings endpoint); the chat model's settings alone never switch it on.
Vectors of passages are computed when a passage first becomes a candidate and kept in memory per
instance; the question's vector is computed per search. Text is screened before it leaves (`prepare`):
a passage with a block-class finding is never sent, and masked kinds go as placeholders.

    fused score = (1 - W) · bm25 / best bm25  +  W · cosine(question, passage)        W = 0.5

(a convex combination of the normalised scores rather than reciprocal rank fusion: with few candidates
RRF ties whenever the two orders disagree, and it throws away how far ahead a candidate is)

An embeddings failure never fails the answer: the BM25 order stands (and the failure is logged).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.screening.model import Action

if TYPE_CHECKING:
    from bot.core.config import Settings
    from bot.core.knowledge.index import Hit
    from bot.core.screening import Screener

log = logging.getLogger(__name__)
VECTOR_WEIGHT = 0.5


class Embedder(Protocol):
    """Vectors for texts, with a per-passage cache."""

    async def vectors(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text (raises on failure)."""

    async def passage_vectors(self, hits: Sequence[Hit]) -> list[list[float] | None]:
        """Cached vectors of the hits' passages (None for a passage that may not be sent)."""

    async def forget(self, doc_id: str) -> None:
        """Drop cached vectors of a document (it changed or was removed)."""


class OpenAIEmbedder:
    """Embeddings through an OpenAI-compatible or Azure OpenAI client (`client.embeddings.create`)."""

    def __init__(self, client: Any, model: str, prepare: Callable[[str], str | None] | None = None) -> None:
        self._client = client
        self._model = model
        self._prepare = prepare or (lambda text: text)
        self._cache: dict[int, tuple[str, list[float] | None]] = {}  # passage id → (doc id, vector)

    async def vectors(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts in one request."""
        response = await self._client.embeddings.create(model=self._model, input=list(texts))
        return [list(item.embedding) for item in sorted(response.data, key=lambda d: d.index)]

    async def passage_vectors(self, hits: Sequence[Hit]) -> list[list[float] | None]:
        """Vectors of the hits' passages, embedding the ones not cached yet in one request."""
        missing = [h for h in hits if h.passage_id not in self._cache]
        prepared = [(h, self._prepare(f"{h.title} {h.label}\n{h.text}")) for h in missing]
        sendable = [(h, t) for h, t in prepared if t is not None]
        for h, t in prepared:
            if t is None:
                self._cache[h.passage_id] = (h.doc_id, None)
        if sendable:
            for (h, _), vector in zip(sendable, await self.vectors([t for _, t in sendable]), strict=True):
                self._cache[h.passage_id] = (h.doc_id, vector)
        return [self._cache[h.passage_id][1] for h in hits]

    async def forget(self, doc_id: str) -> None:
        """Drop the cached vectors of one document."""
        for key in [k for k, (d, _) in self._cache.items() if d == doc_id]:
            del self._cache[key]

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.close()


async def rerank(embedder: Embedder, query: str, hits: list[Hit]) -> list[Hit]:
    """Hits re-ordered by the fused score (module docstring); the BM25 order on failure."""
    try:
        (qv,) = await embedder.vectors([query])
        vectors = await embedder.passage_vectors(hits)
    except Exception as exc:  # any client failure: keep the BM25 order
        log.warning("knowledge embeddings failed (%s); BM25 order kept", type(exc).__name__)
        return hits
    best = max(h.score for h in hits) or 1.0
    fused = [
        (1 - VECTOR_WEIGHT) * h.score / best + VECTOR_WEIGHT * (cosine(qv, v) if v is not None else 0.0)
        for h, v in zip(hits, vectors, strict=True)
    ]
    order = sorted(range(len(hits)), key=lambda i: -fused[i])
    return [replace(hits[i], score=fused[i]) for i in order]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity (0 for a zero vector)."""
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def passage_for_embedding(screener: Screener, text: str) -> str | None:
    """A passage as it may go to the embeddings endpoint: masked, or None when it holds a blocked kind."""
    result = screener.screen(text, confirmed=True)
    return None if result.action is Action.BLOCK else result.masked_text


def screened_embedder(settings: Settings, screener: Screener) -> OpenAIEmbedder | None:
    """The embedder chat and `python -m bot knowledge search` both use: KNOWLEDGE_EMBEDDINGS_MODEL's,
    sending passages screened by `screener` (None when the setting is empty)."""
    return create_embedder(settings, lambda text: passage_for_embedding(screener, text))


def create_embedder(settings: Settings, prepare: Callable[[str], str | None]) -> OpenAIEmbedder | None:
    """The embedder KNOWLEDGE_EMBEDDINGS_MODEL selects, or None (the default: BM25 only)."""
    if not settings.knowledge_embeddings_model:
        return None
    import openai  # noqa: PLC0415  (the SDK only when hybrid retrieval is on)

    from bot.core.config import ModelKind  # noqa: PLC0415
    from bot.core.model.openai_model import _azure_auth  # noqa: PLC0415

    if settings.knowledge_embeddings_base_url:
        client: Any = openai.AsyncOpenAI(
            base_url=settings.knowledge_embeddings_base_url,
            api_key=settings.knowledge_embeddings_api_key or "not-needed",
            timeout=settings.model_timeout_s,
            max_retries=settings.model_max_retries,
        )
    elif settings.model_kind is ModelKind.AZURE_OPENAI:
        client = openai.AsyncAzureOpenAI(
            azure_endpoint=settings.azure_openai_endpoint,
            api_version=settings.azure_openai_api_version,
            timeout=settings.model_timeout_s,
            max_retries=settings.model_max_retries,
            **_azure_auth(settings),
        )
    else:
        client = openai.AsyncOpenAI(
            base_url=settings.openai_base_url or None,
            api_key=settings.openai_api_key or "not-needed",
            timeout=settings.model_timeout_s,
            max_retries=settings.model_max_retries,
        )
    return OpenAIEmbedder(client, settings.knowledge_embeddings_model, prepare)
