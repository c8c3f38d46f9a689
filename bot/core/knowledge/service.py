"""The knowledge service: documents in the storage, a local index kept in step, and search.

    Knowledge.add / remove / documents      write through to the storage (KnowledgeStore), then sync
    Knowledge.search(query, top)            sync if the storage's version moved, then search the index
    Knowledge.relevant(query)               only passages above the relevance threshold (for answers)

Keeping in step: at most every `refresh_s` seconds a search reads the storage's version (one small
read); when another instance changed the documents, the index catches up by diffing doc ids and
content hashes (only changed documents are read and analysed again). Analysis runs off the event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from bot.core.clock import Clock
from bot.core.knowledge.analysis import Analyzer
from bot.core.knowledge.embeddings import Embedder, rerank
from bot.core.knowledge.index import Hit, LocalIndex, covered
from bot.core.knowledge.passages import Passage, split_passages
from bot.core.knowledge.question import Asked, unquoted
from bot.core.knowledge.store import KnowledgeStore, StoredDocument, Uploader
from bot.core.storage.base import Storage

MIN_COVERAGE = 0.3
"""A passage is relevant when it covers at least this share of the question's (IDF-weighted) words
(more for a work request or an unfamiliar topic: bot.core.knowledge.question)…"""
MIN_NOUNS = 1
"""…has at least this many of the question's nouns whole (the word or a synonym): a passage that
shares only verbs and compound parts with the question (退職金 → 退職; もらえる) is about something else…
…and states the kind of fact asked (a number of days for 何日, an amount for いくら)."""
ANSWER_PASSAGES = 3
CANDIDATES = 30


@dataclass(frozen=True)
class SyncReport:
    """What one catch-up with the storage did."""

    version: int
    indexed: int
    removed: int


class Knowledge:
    """Documents, index and search (see the module docstring)."""

    def __init__(
        self,
        store: KnowledgeStore,
        index: LocalIndex,
        *,
        refresh_s: float = 5.0,
        embedder: Embedder | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.index = index
        self.embedder = embedder
        self._refresh_s = refresh_s
        self._timer = timer  # an interval timer, not a date: when the version was last read
        self._checked = -float("inf")
        self._lock = asyncio.Lock()

    @classmethod
    def open(
        cls, storage: Storage, clock: Clock, *, refresh_s: float = 5.0, embedder: Embedder | None = None
    ) -> Knowledge:
        """The service over `storage` with a fresh in-memory index (filled on first use)."""
        return cls(
            KnowledgeStore(storage, clock), LocalIndex(Analyzer()), refresh_s=refresh_s, embedder=embedder
        )

    async def sync(self, *, force: bool = False) -> SyncReport | None:
        """Catch the index up with the storage when its version moved; None when nothing was checked."""
        if not force and self._timer() - self._checked < self._refresh_s:
            return None
        async with self._lock:
            if not force and self._timer() - self._checked < self._refresh_s:
                return None
            version = await self.store.version()
            self._checked = self._timer()
            if version == self.index.version:
                return SyncReport(version, 0, 0)
            docs = {d.doc_id: d for d in await self.store.documents()}
            have = await asyncio.to_thread(self.index.indexed)
            gone = [doc_id for doc_id in have if doc_id not in docs]
            changed = [d for d in docs.values() if have.get(d.doc_id) != d.sha256]
            for doc_id in gone:
                await asyncio.to_thread(self.index.remove, doc_id)
            for doc in changed:
                await self._index(doc, await self.store.text(doc))
            self.index.version = version
            return SyncReport(version, len(changed), len(gone))

    async def _index(self, doc: StoredDocument, text: str) -> None:
        passages = passages_of(doc.title, text)
        await asyncio.to_thread(self.index.add, doc.doc_id, doc.sha256, doc.title, doc.source, passages)
        if self.embedder is not None:
            await self.embedder.forget(doc.doc_id)

    async def add(
        self,
        source: str,
        title: str,
        text: str,
        kind: str = "",
        *,
        title_given: bool = False,
        uploader: Uploader | None = None,
    ) -> tuple[StoredDocument, str]:
        """Store a document (replacing the one from the same source); "added", "replaced" or "unchanged".
        A title set by hand (`title_given`) is kept when the source comes again without one;
        `uploader` is who attached it in Teams."""
        return await self.store.put(source, title, text, kind, title_given=title_given, uploader=uploader)

    async def remove(self, doc_id: str) -> StoredDocument | None:
        """Remove a document; None if there is none with that id."""
        return await self.store.remove(doc_id)

    async def documents(self) -> list[StoredDocument]:
        """Every stored document, newest first."""
        return sorted(await self.store.documents(), key=lambda d: -d.added)

    async def search(self, query: str, top: int = 5) -> list[Hit]:
        """The best `top` passages for `query`, best first (hybrid when an embedder is configured)."""
        await self.sync()
        hits = await asyncio.to_thread(self.index.search, query, max(top, CANDIDATES))
        if self.embedder is not None and hits:
            hits = await rerank(self.embedder, query, hits)
        return hits[:top]

    async def relevant(self, query: str, top: int = ANSWER_PASSAGES) -> list[Hit]:
        """Passages worth giving the model: above the threshold, at most `top`, best first."""
        hits = await self.search(query, top=CANDIDATES)
        if not hits:
            return []
        question = await asyncio.to_thread(self.index.asked, query)
        quoted = question.request and unquoted(query) != query
        relevant = await asyncio.to_thread(self._answering, hits, question, None if quoted else top)
        if relevant and quoted:
            own = unquoted(query)
            # the quoted material is not the question: a passage must answer the request without it too
            own_hits = await self.search(own, top=CANDIDATES)
            kept = {h.passage_id for h in await asyncio.to_thread(self._answering, own_hits, question, None)}
            relevant = [h for h in relevant if h.passage_id in kept]
        return relevant[:top]

    def _answering(self, hits: list[Hit], question: Asked, top: int | None) -> list[Hit]:
        """The hits that answer `question`, best first, stopping at `top` (the focus test may analyse
        a passage's sentences: no more of them than needed)."""
        found: list[Hit] = []
        for hit in hits:
            if answers(hit, question, self.index.analyzer.terms):
                found.append(hit)
                if top is not None and len(found) >= top:
                    break
        return found

    async def close(self) -> None:
        """Free the local index."""
        self.index.close()


def answers(hit: Hit, question: Asked, analyse: Callable[[str], Collection[str]] | None = None) -> bool:
    """Whether `hit` is worth giving the model for `question` (see MIN_COVERAGE)."""
    return (
        hit.coverage >= max(MIN_COVERAGE, question.floor_for(topic_share(hit, question)))
        and hit.nouns >= MIN_NOUNS
        and question.answered_by(hit.text)
        and question.names_focus(hit.terms, f"{hit.title}\n{hit.context}\n{hit.text}", analyse)
    )


def topic_share(hit: Hit, question: Asked) -> float:
    """Share (0–1, IDF-weighted like the coverage) of the question's topic phrase the passage holds;
    1 for a question with no topic phrase."""
    return covered(question.topic, hit.terms, dict(question.idf)) if question.topic else 1.0


def passages_of(title: str, text: str) -> list[Passage]:
    """The document's passages, without a preamble that only repeats the title."""
    return [p for p in split_passages(text) if not (p.label == "" and p.text.strip() == title.strip())]
