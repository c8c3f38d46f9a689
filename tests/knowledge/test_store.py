"""The documents' source of truth in the storage: chunked, replaced by source, versioned."""

from __future__ import annotations

from bot.core.clock import system_clock
from bot.core.knowledge.store import CHUNK_UNITS, KnowledgeStore, chunk_text
from bot.core.storage.base import Storage


def test_chunks_respect_utf16_units_and_never_split_a_character() -> None:
    text = "a" * (CHUNK_UNITS - 1) + "𠮷" + "b" * 10  # 𠮷 takes two UTF-16 units
    chunks = chunk_text(text)
    assert "".join(chunks) == text
    assert chunks[0].endswith("a")
    assert chunks[1].startswith("𠮷")
    assert all(len(c.encode("utf-16-le")) <= 2 * CHUNK_UNITS for c in chunks)


async def test_add_replace_unchanged_remove(storage: Storage) -> None:
    store = KnowledgeStore(storage, system_clock)
    assert await store.version() == 0
    big = "第一条　" + "規程の本文。" * 12_000  # 72,000 characters: three chunks
    doc, outcome = await store.put("/docs/a.txt", "規程A", big, "txt")
    assert outcome == "added"
    assert doc.chunks == 3
    assert await store.text(doc) == big
    assert await store.version() == 1
    same, outcome = await store.put("/docs/a.txt", "規程A", big, "txt")
    assert outcome == "unchanged"
    assert same.doc_id == doc.doc_id
    assert await store.version() == 1
    small, outcome = await store.put("/docs/a.txt", "規程A", "第一条　短い。", "txt")
    assert outcome == "replaced"
    assert small.doc_id == doc.doc_id
    assert small.chunks == 1
    assert await store.text(small) == "第一条　短い。"
    assert len(await storage.query("knowledge", f"t{doc.doc_id}")) == 1  # old chunks gone
    assert [d.doc_id for d in await store.documents()] == [doc.doc_id]
    assert (await store.remove(doc.doc_id)) is not None
    assert await store.documents() == []
    assert await storage.query("knowledge", f"t{doc.doc_id}") == []
    assert await store.remove(doc.doc_id) is None
    assert await store.version() == 3  # added, replaced, removed
