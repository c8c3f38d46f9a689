"""The documents' source of truth, in the configured storage (SQLite or Azure Tables), and its version.

Table `knowledge`:

    pk "doc"        rk <doc_id>        title, source, sha256, chars, chunks, added (epoch s), kind,
                                       title_given (the title was set by hand: `add --title`),
                                       by, by_name, by_department (who attached it in Teams; none
                                       for a document added on the server)
    pk "t<doc_id>"  rk "00000"…        text: the document's text in chunks of at most CHUNK_UNITS
                                       UTF-16 code units (an Azure property holds ≤ 64 KiB)
    pk "meta"       rk "version"       version: bumped (compare-and-swap) by every add and remove

A document's id comes from its source (the file's path or the name it was given), so adding the same
source again replaces it; a title set by hand stays when the source is added again without one
(re-adding a folder must not undo the 情報政策課's `--title`), and a new title given replaces it.
Writes go chunks first, then the doc row, then the version: a reader that sees the new version
finds everything it needs. Each instance's local index compares the version
(`KnowledgeStore.version`) with the one it indexed and catches up from the rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core.clock import Clock
from bot.core.errors import ConflictError, NotFoundError
from bot.core.storage.base import Entity, Op, Scalar, Storage

TABLE = "knowledge"
DOCS = "doc"
META = "meta"
CHUNK_UNITS = 30_000  # UTF-16 code units: ≤ 60 KB per property (Azure's limit is 64 KiB)
_MAX_OPS = 100


@dataclass(frozen=True)
class Uploader:
    """Who attached a document in Teams (ナレッジに登録), as the list and the replies name them."""

    user_id: str
    name: str = ""
    department: str = ""


@dataclass(frozen=True)
class StoredDocument:
    """A document's row: what the list shows and what the index needs to know it is current."""

    doc_id: str
    title: str
    source: str
    sha256: str
    chars: int
    chunks: int
    added: float
    kind: str = ""  # file suffix: txt, md, html, docx, pdf
    title_given: bool = False  # set by hand (add --title): kept when the file is added again without one
    uploader: Uploader | None = None  # who attached it in Teams (None: added on the server)


def doc_id_for(source: str) -> str:
    """The stable id of a source (its path or given name): 12 hex digits."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def text_sha(text: str) -> str:
    """The content hash that tells a changed document from an unchanged one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunk_text(text: str, units: int = CHUNK_UNITS) -> list[str]:
    """Split text into pieces of at most `units` UTF-16 code units, never inside a character."""
    chunks: list[str] = []
    start, used = 0, 0
    for index, char in enumerate(text):
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > units:
            chunks.append(text[start:index])
            start, used = index, 0
        used += width
    if start < len(text) or not chunks:
        chunks.append(text[start:])
    return chunks


class KnowledgeStore:
    """Reads and writes documents in the storage; every change bumps the version."""

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self._storage = storage
        self._clock = clock

    async def version(self) -> int:
        """The current version (0 before the first document)."""
        row = await self._storage.get(TABLE, META, "version")
        return int(row.data.get("version", 0)) if row is not None else 0

    async def documents(self) -> list[StoredDocument]:
        """Every document, by id."""
        return [_document(e) for e in await self._storage.query(TABLE, DOCS)]

    async def get(self, doc_id: str) -> StoredDocument | None:
        """One document's row, or None."""
        row = await self._storage.get(TABLE, DOCS, doc_id)
        return _document(row) if row is not None else None

    async def text(self, doc: StoredDocument) -> str:
        """The document's full text, from its chunks."""
        rows = await self._storage.query(TABLE, _text_pk(doc.doc_id))
        by_key = {e.row_key: str(e.data.get("text", "")) for e in rows}
        return "".join(by_key.get(_rk(i), "") for i in range(doc.chunks))

    async def put(
        self,
        source: str,
        title: str,
        text: str,
        kind: str = "",
        *,
        title_given: bool = False,
        uploader: Uploader | None = None,
    ) -> tuple[StoredDocument, str]:
        """Store (or replace) the document from `source`; returns it and added/replaced/unchanged.

        `title_given`: `title` was set by hand. Without it, `title` is the one found in the file, and
        a title set by hand earlier is kept. `uploader`: who attached it in Teams (recorded when the
        document is stored; an unchanged one keeps its record)."""
        doc_id = doc_id_for(source)
        sha = text_sha(text)
        old = await self.get(doc_id)
        if old is not None and old.title_given and not title_given:
            title, title_given = old.title, True
        if old is not None and old.sha256 == sha and old.title == title:
            if old.title_given != title_given:  # the same title, now given by hand: nothing to re-index
                old = replace(old, title_given=title_given)
                await self._storage.upsert(TABLE, _entity(old))
            return old, "unchanged"
        chunks = chunk_text(text)
        ops = [Op("upsert", Entity(_text_pk(doc_id), _rk(i), {"text": c})) for i, c in enumerate(chunks)]
        if old is not None:
            ops += [Op("delete", Entity(_text_pk(doc_id), _rk(i))) for i in range(len(chunks), old.chunks)]
        await self._apply(ops)
        doc = StoredDocument(
            doc_id,
            title,
            source,
            sha,
            len(text),
            len(chunks),
            self._clock().timestamp(),
            kind,
            title_given,
            uploader,
        )
        await self._storage.upsert(TABLE, _entity(doc))
        await self.bump()
        return doc, "replaced" if old is not None else "added"

    async def remove(self, doc_id: str) -> StoredDocument | None:
        """Remove a document and its text; None if there was no such document."""
        doc = await self.get(doc_id)
        if doc is None:
            return None
        await self._storage.delete(TABLE, DOCS, doc_id)
        await self._apply([Op("delete", Entity(_text_pk(doc_id), _rk(i))) for i in range(doc.chunks)])
        await self.bump()
        return doc

    async def bump(self) -> int:
        """Increment the version (compare-and-swap, retried on a concurrent writer)."""
        for _ in range(50):
            row = await self._storage.get(TABLE, META, "version")
            try:
                if row is None:
                    await self._storage.insert(TABLE, Entity(META, "version", {"version": 1}))
                    return 1
                value = int(row.data.get("version", 0)) + 1
                await self._storage.replace(TABLE, row.with_data(version=value))
                return value
            except (ConflictError, NotFoundError):
                continue
        raise ConflictError("knowledge version: too many concurrent writers")

    async def _apply(self, ops: Sequence[Op]) -> None:
        deletes = [op for op in ops if op.kind == "delete"]
        writes = [op for op in ops if op.kind != "delete"]
        for start in range(0, len(writes), _MAX_OPS):
            await self._storage.transact(TABLE, writes[start : start + _MAX_OPS])
        for op in deletes:  # deleting a row that is already gone is not a failure
            await self._storage.delete(TABLE, op.entity.partition_key, op.entity.row_key)


def _text_pk(doc_id: str) -> str:
    return f"t{doc_id}"


def _rk(index: int) -> str:
    return f"{index:05d}"


def _entity(doc: StoredDocument) -> Entity:
    data: dict[str, Scalar] = {
        "title": doc.title,
        "source": doc.source,
        "sha256": doc.sha256,
        "chars": doc.chars,
        "chunks": doc.chunks,
        "added": doc.added,
        "kind": doc.kind,
        "title_given": doc.title_given,
    }
    if doc.uploader is not None:
        by = doc.uploader
        data.update(by=by.user_id, by_name=by.name, by_department=by.department)
    return Entity(DOCS, doc.doc_id, data)


def _document(e: Entity) -> StoredDocument:
    d = e.data
    return StoredDocument(
        doc_id=e.row_key,
        title=str(d.get("title", "")),
        source=str(d.get("source", "")),
        sha256=str(d.get("sha256", "")),
        chars=int(d.get("chars", 0)),
        chunks=int(d.get("chunks", 0)),
        added=float(d.get("added", 0.0)),
        kind=str(d.get("kind", "")),
        title_given=d.get("title_given") is True,
        uploader=(
            Uploader(str(d["by"]), str(d.get("by_name", "")), str(d.get("by_department", "")))
            if d.get("by")
            else None
        ),
    )
