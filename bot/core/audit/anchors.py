"""Anchors: the chain heads, kept where the bot's own identity cannot change them.

The hash chain shows an edited or deleted record, but not a writer that deletes a whole partition
or rewrites a tail and recomputes every hash after it. An anchor is a signed-off copy of the heads
(partition → last seq and hash) at one moment, kept outside the writer's reach; `audit verify`
then checks the stored chains against every anchor it is given:

    partition_missing   an anchored partition (or a whole month) is gone
    truncated           the chain now ends before the anchored seq
    anchor_mismatch     the record at the anchored seq has another hash: the tail was rewritten

An `AnchorSink` is where anchors go (append-only). Two are implemented: `FileAnchorSink`, JSON
Lines appended to a file (for a mount the bot may only append to, and for the statements the
情報政策課 files in its own document system), and `TableAnchorSink`, insert-only rows in a table
(tests, or a table in another storage account). The production target named in the README
(Azure Blob append blobs under a time-based immutability policy, or Log Analytics through the
Logs Ingestion API) implements the same two methods. A purge is anchored too (`purged_before`), so
months deleted on purpose are not reported as missing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.core.audit.chain import HEAD_ROW, TABLE, decode, decode_head, row_key
from bot.core.audit.record import canonical_json
from bot.core.audit.verify import Problem
from bot.core.storage.base import Entity, Storage

ANCHOR_TABLE = "anchors"


@dataclass(frozen=True)
class Anchor:
    """The heads of some partitions at one moment (`heads`: partition → (seq, hash))."""

    time: str
    heads: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    purged_before: str = ""

    def to_json(self) -> str:
        """One line of canonical JSON, ending with its own fingerprint."""
        body = self._body()
        return canonical_json({**body, "fingerprint": _digest(body)})

    @property
    def fingerprint(self) -> str:
        """sha256 of the anchor's content: the short value to write down on paper."""
        return _digest(self._body())

    def _body(self) -> dict[str, object]:
        heads = {p: [seq, digest] for p, (seq, digest) in sorted(self.heads.items())}
        return {"time": self.time, "heads": heads, "purged_before": self.purged_before}

    @classmethod
    def from_json(cls, line: str) -> Anchor:
        """Parse one line; ValueError if it is malformed or its fingerprint does not match."""
        try:
            raw = json.loads(line)
            heads = {str(p): (int(v[0]), str(v[1])) for p, v in dict(raw["heads"]).items()}
            anchor = cls(str(raw["time"]), heads, str(raw.get("purged_before", "")))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise ValueError(f"not an anchor line ({type(exc).__name__})") from None
        if raw.get("fingerprint") != anchor.fingerprint:
            raise ValueError("anchor fingerprint does not match its content")
        return anchor


def _digest(body: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical_json(dict(body)).encode("utf-8")).hexdigest()


class AnchorSink(Protocol):
    """An append-only place for anchors."""

    name: str

    async def append(self, anchor: Anchor) -> None:
        """Add one anchor (never changes earlier ones)."""

    async def read(self) -> list[Anchor]:
        """Every anchor, oldest first; ValueError if one is damaged."""


class FileAnchorSink:
    """JSON Lines appended to a file (opened O_APPEND, fsynced)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"file:{path}"

    async def append(self, anchor: Anchor) -> None:
        """Append one line."""
        await asyncio.to_thread(self._append, anchor.to_json() + "\n")

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    async def read(self) -> list[Anchor]:
        """Every line as an anchor (a missing file has none)."""
        if not self.path.exists():
            return []
        text = await asyncio.to_thread(self.path.read_text, encoding="utf-8")
        return [Anchor.from_json(line) for line in text.splitlines() if line.strip()]


class TableAnchorSink:
    """Insert-only rows in the `anchors` table of some storage (for tests, or another account)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.name = f"table:{storage.name}"

    async def append(self, anchor: Anchor) -> None:
        """Insert one row (keyed by time and fingerprint: never overwrites)."""
        key = f"{anchor.time}.{anchor.fingerprint[:16]}".replace(":", "")
        await self._storage.insert(ANCHOR_TABLE, Entity("anchors", key, {"line": anchor.to_json()}))

    async def read(self) -> list[Anchor]:
        """Every row, oldest first."""
        rows = await self._storage.query(ANCHOR_TABLE, "anchors")
        return [Anchor.from_json(str(row.data.get("line", ""))) for row in rows]


async def current_heads(storage: Storage, partitions: Iterable[str]) -> dict[str, tuple[int, str]]:
    """The heads of those partitions that have one."""
    heads: dict[str, tuple[int, str]] = {}
    for pk in partitions:
        entity = await storage.get(TABLE, pk, HEAD_ROW)
        if entity is not None:
            head = decode_head(entity)
            heads[pk] = (head.seq, head.hash)
    return heads


async def check_anchors(storage: Storage, anchors: Iterable[Anchor], month: str | None) -> list[Problem]:
    """What the stored chains contradict in the anchors (only partitions of `month`, if given)."""
    anchors = list(anchors)
    purged = max((a.purged_before for a in anchors), default="")
    latest: dict[str, tuple[int, str]] = {}
    for anchor in anchors:
        for pk, (seq, digest) in anchor.heads.items():
            if seq >= latest.get(pk, (0, ""))[0]:
                latest[pk] = (seq, digest)
    problems = []
    for pk, (seq, digest) in sorted(latest.items()):
        if (month and not pk.startswith(f"{month}.")) or pk.split(".")[0] < purged:
            continue
        problem = await _check_one(storage, pk, seq, digest)
        if problem is not None:
            problems.append(problem)
    return problems


async def _check_one(storage: Storage, pk: str, seq: int, digest: str) -> Problem | None:
    head_entity = await storage.get(TABLE, pk, HEAD_ROW)
    record = await storage.get(TABLE, pk, row_key(seq))
    if head_entity is None and record is None:
        return Problem(pk, seq, "partition_missing", HEAD_ROW)
    try:
        head_seq = decode_head(head_entity).seq if head_entity is not None else 0
    except ValueError:
        head_seq = 0
    if record is None or head_seq < seq:
        return Problem(pk, seq, "truncated", row_key(seq))
    try:
        stored_hash = decode(record).hash
    except ValueError:
        stored_hash = ""
    if stored_hash != digest:
        return Problem(pk, seq, "anchor_mismatch", row_key(seq))
    return None
