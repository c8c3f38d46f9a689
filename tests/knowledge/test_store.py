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


async def test_a_title_given_by_hand_outlives_re_adding_without_one(storage: Storage) -> None:
    store = KnowledgeStore(storage, system_clock)
    text = "第一条　公用車は総務課が管理する。"
    await store.put("/docs/k.md", "公用車について", text, "md")
    given, outcome = await store.put("/docs/k.md", "公用車管理規程", text, "md", title_given=True)
    assert (outcome, given.title, given.title_given) == ("replaced", "公用車管理規程", True)
    version = await store.version()
    again, outcome = await store.put("/docs/k.md", "公用車について", text, "md")  # the folder re-added
    assert (outcome, again.title, again.title_given) == ("unchanged", "公用車管理規程", True)
    assert await store.version() == version
    changed, outcome = await store.put("/docs/k.md", "公用車について", text + "改正。", "md")
    assert (outcome, changed.title) == ("replaced", "公用車管理規程")
    renamed, _ = await store.put("/docs/k.md", "架空市公用車管理規程", text, "md", title_given=True)
    assert renamed.title == "架空市公用車管理規程"
    assert (await store.get(renamed.doc_id)) == renamed  # the flag is stored (SQLite and Azure Tables)
    plain, _ = await store.put("/docs/other.md", "別の文書", text, "md")
    assert plain.title_given is False
    assert (await store.get(plain.doc_id)) == plain


async def test_the_same_title_given_by_hand_is_remembered_without_a_new_version(storage: Storage) -> None:
    store = KnowledgeStore(storage, system_clock)
    text = "第一条　本文。"
    await store.put("/docs/a.md", "規程A", text, "md")
    version = await store.version()
    same, outcome = await store.put("/docs/a.md", "規程A", text, "md", title_given=True)
    assert (outcome, same.title_given) == ("unchanged", True)
    assert await store.version() == version  # nothing to re-index
    kept, _ = await store.put("/docs/a.md", "新しい1行目", text + "追記。", "md")
    assert kept.title == "規程A"
