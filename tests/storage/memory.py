"""A trivially correct in-memory Storage: the baseline the contract suite also runs against.

One dict per logical table, every operation atomic because nothing awaits inside it. It applies the
same shared checks as the real backends (bot.core.storage._common), so when the contract suite passes
here and fails on a backend, the backend is wrong, not the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from bot.core.errors import ConflictError, NotFoundError, StorageError
from bot.core.storage._common import check_ops, check_table, new_etag, prepare
from bot.core.storage.base import Entity, Op

Key = tuple[str, str]


class MemoryStorage:
    """Storage in a dict: (table) → {(pk, rk): entity}."""

    name = "memory"

    def __init__(self) -> None:
        self._tables: dict[str, dict[Key, Entity]] = {}
        self._closed = False

    def _table(self, table: str) -> dict[Key, Entity]:
        if self._closed:
            raise StorageError("memory storage is closed")
        check_table(table)
        return self._tables.setdefault(table, {})

    async def get(self, table: str, pk: str, rk: str) -> Entity | None:
        """The entity, or None."""
        return self._table(table).get((pk, rk))

    async def insert(self, table: str, entity: Entity) -> Entity:
        """Create; ConflictError if it exists."""
        return self._apply(self._table(table), [Op("insert", prepare(entity))])[0]

    async def replace(self, table: str, entity: Entity) -> Entity:
        """Compare-and-swap on the ETag (empty: unconditional)."""
        return self._apply(self._table(table), [Op("replace", prepare(entity))], missing=NotFoundError)[0]

    async def upsert(self, table: str, entity: Entity) -> Entity:
        """Create or overwrite."""
        return self._apply(self._table(table), [Op("upsert", prepare(entity))])[0]

    async def delete(self, table: str, pk: str, rk: str, etag: str = "") -> bool:
        """Delete (conditionally when etag is given); False if it did not exist."""
        rows = self._table(table)
        current = rows.get((pk, rk))
        if current is None:
            return False
        if etag and current.etag != etag:
            raise ConflictError(f"{table}/{pk}/{rk}: ETag mismatch")
        del rows[(pk, rk)]
        return True

    async def query(
        self, table: str, pk: str, *, rk_from: str = "", rk_to: str = "", limit: int = 0
    ) -> list[Entity]:
        """One partition's entities with row keys in [rk_from, rk_to), ascending."""
        found = sorted(
            (
                e
                for (p, r), e in self._table(table).items()
                if p == pk and r >= rk_from and (not rk_to or r < rk_to)
            ),
            key=lambda e: e.row_key,
        )
        return found[:limit] if limit else found

    async def scan(self, table: str, *, pk_prefix: str = "") -> AsyncIterator[Entity]:
        """Every entity whose partition key starts with pk_prefix, by (pk, rk)."""
        for key in sorted(k for k in self._table(table) if k[0].startswith(pk_prefix)):
            entity = self._table(table).get(key)
            if entity is not None:
                yield entity

    async def transact(self, table: str, ops: Sequence[Op]) -> list[Entity]:
        """All of `ops` (one partition) or none."""
        return self._apply(self._table(table), check_ops(ops), missing=ConflictError)

    async def ping(self) -> None:
        """Always reachable while open."""
        self._table("meta")

    async def close(self) -> None:
        """Forget everything."""
        self._closed = True

    @staticmethod
    def _apply(
        rows: dict[Key, Entity], ops: Sequence[Op], missing: type[Exception] = NotFoundError
    ) -> list[Entity]:
        """Apply on a copy, then swap it in (all or nothing). A missing row is NotFoundError alone,
        ConflictError inside a transaction (the contract's rule)."""
        staged = dict(rows)
        written = []
        for op in ops:
            key = (op.entity.partition_key, op.entity.row_key)
            current = staged.get(key)
            if op.kind == "insert" and current is not None:
                raise ConflictError(f"{key}: exists")
            if op.kind in ("replace", "delete"):
                if current is None:
                    raise missing(f"{key}: not found")
                if op.entity.etag and current.etag != op.entity.etag:
                    raise ConflictError(f"{key}: ETag mismatch")
            if op.kind == "delete":
                del staged[key]
                written.append(current)
                continue
            stored = Entity(op.entity.partition_key, op.entity.row_key, dict(op.entity.data), new_etag())
            staged[key] = stored
            written.append(stored)
        rows.clear()
        rows.update(staged)
        return written
