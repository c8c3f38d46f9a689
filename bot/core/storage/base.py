"""The one small async storage interface for everything the bot keeps.

Model: Azure Table Storage. An entity lives in a logical table, is addressed by
(partition_key, row_key), carries a flat dict of scalar values and an opaque ETag that changes on
every write. Two backends implement it identically (SQLite embedded default, Azure Tables), and one
contract test suite (tests/storage/) runs unchanged against both.

Rules every backend honours:
- Values are `str | int | float | bool`; `None` values are dropped on write. Complex values are
  serialised by the caller (JSON text). Strings are at most `MAX_STRING_CHARS` characters.
- `insert` fails with ConflictError if the entity exists; `replace` is a compare-and-swap on the
  entity's ETag (ConflictError on mismatch, NotFoundError if gone) — the optimistic-concurrency
  primitive the quota relies on; `transact` applies several operations on ONE partition atomically,
  all or nothing.
- `query` returns entities of one partition sorted by row key; `scan` walks partitions by prefix.
- Every failure of the backend itself (unreachable, timeout) surfaces as StorageError so the turn
  fails closed.

Logical table names are lower-case letters: `state`, `quota`, `audit`, `auditq` (records not yet
chained), `anchors`, `access`, `refs`, `held`, `support`, `meta`. The Azure backend prefixes
them (BOT_TABLE_PREFIX).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol, TypeAlias

Scalar: TypeAlias = str | int | float | bool

MAX_STRING_CHARS = 30_000
"""Longest string value accepted (Azure Tables allows 32K UTF-16 code units per property)."""

TABLES = ("state", "quota", "audit", "auditq", "anchors", "access", "refs", "held", "support", "meta")


@dataclass(frozen=True)
class Entity:
    """One stored entity: its address, its values and the ETag it was read or written with."""

    partition_key: str
    row_key: str
    data: Mapping[str, Scalar] = field(default_factory=dict)
    etag: str = ""

    def with_data(self, **changes: Scalar | None) -> Entity:
        """A copy with some values changed (None removes a value); keeps the ETag for CAS."""
        merged = {k: v for k, v in {**self.data, **changes}.items() if v is not None}
        return replace(self, data=merged)


@dataclass(frozen=True)
class Op:
    """One operation inside `Storage.transact`."""

    kind: Literal["insert", "replace", "upsert", "delete"]
    entity: Entity


class Storage(Protocol):
    """What every storage backend provides."""

    name: str
    """Short backend name for /healthz (`sqlite`, `azure-tables`)."""

    async def get(self, table: str, pk: str, rk: str) -> Entity | None:
        """The entity, or None if it does not exist."""

    async def insert(self, table: str, entity: Entity) -> Entity:
        """Create; ConflictError if it exists. Returns the entity with its new ETag."""

    async def replace(self, table: str, entity: Entity) -> Entity:
        """Compare-and-swap on entity.etag (empty etag: unconditional). Returns the new ETag."""

    async def upsert(self, table: str, entity: Entity) -> Entity:
        """Create or overwrite unconditionally."""

    async def delete(self, table: str, pk: str, rk: str, etag: str = "") -> bool:
        """Delete (conditionally when etag is given); False if it did not exist."""

    async def query(
        self, table: str, pk: str, *, rk_from: str = "", rk_to: str = "", limit: int = 0
    ) -> list[Entity]:
        """Entities of one partition, row keys in [rk_from, rk_to), ascending; limit 0 = all."""

    def scan(self, table: str, *, pk_prefix: str = "") -> AsyncIterator[Entity]:
        """Every entity whose partition key starts with pk_prefix, by (pk, rk)."""

    async def transact(self, table: str, ops: Sequence[Op]) -> list[Entity]:
        """Apply ops (same partition, ≤ 100) atomically; ConflictError and nothing applied on failure."""

    async def ping(self) -> None:
        """Raise StorageError if the backend is unreachable."""

    async def close(self) -> None:
        """Release connections."""


def check_entity(entity: Entity) -> None:
    """Raise ValueError for keys or values no backend can store."""
    for key in (entity.partition_key, entity.row_key):
        if not isinstance(key, str) or len(key) > 512 or _BAD_KEY_CHAR.search(key):
            raise ValueError(
                f"invalid key {key!r}: at most 512 characters, no / \\ # ? or control characters"
            )
    for name, value in entity.data.items():
        if not name.isidentifier() or name in _RESERVED:
            raise ValueError(f"invalid property name {name!r}")
        if not isinstance(value, _SCALARS):
            raise ValueError(f"property {name!r} has unsupported type {type(value).__name__}")
        if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
            raise ValueError(f"property {name!r} is longer than {MAX_STRING_CHARS} characters")


_RESERVED = frozenset({"PartitionKey", "RowKey", "Timestamp", "etag"})
_SCALARS = (str, int, float, bool)  # a tuple: isinstance with a union type is slower

_BAD_KEY_CHAR = re.compile(r"[/\\#?\x00-\x1f\x7f-\x9f]")
"""A character no key may hold: / \\ # ? or a control character (C0, DEL and C1), found in one
regular-expression pass (two generator scans over every character of every key before)."""
