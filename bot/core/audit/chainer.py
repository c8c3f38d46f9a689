"""The inbox and the chainer: records are written at once, then linked into the hash chain in order.

Why two steps: when every turn appended straight onto its partition's chain, concurrent turns
fought over one head row, and under load some gave up after their retries: records were dropped.
Now a record is first written to its own row in the `auditq` table (an insert under a unique key,
which never contends), and a chainer moves inbox rows into the chain:

    auditq  PartitionKey "2026-11.3" (the chain partition it will join)  RowKey "q<time ns><random>"
    audit   the chain (bot.core.audit.chain), whose head row also names, in `srcs`, the inbox rows
            that its last batch chained

One chainer at a time per partition, across instances, through the compare-and-swap on the head:

    1. read the head, THEN list the partition's inbox rows (oldest first)
    2. delete inbox rows named in head.srcs: already chained by a chainer that stopped before
       deleting them
    3. chain the next batch: insert the records and swap the head (with srcs = the batch) in ONE
       transaction, guarded by the head's ETag; a concurrent chainer makes it fail as a whole, and
       we start again at 1
    4. delete the batch's inbox rows, and only then go on to the next batch

Step 4 before the next batch keeps this invariant: an inbox row that is already chained is always
named in the current head's srcs. Step 1's order (head before listing) means a listing taken while
the head did not move can be trusted, and a head that moved makes step 3 fail. So a record is
chained exactly once, never lost, and never chained twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.audit.chain import (
    HEAD_ROW,
    TABLE,
    Head,
    StoredRecord,
    chain,
    decode_head,
    encode,
    head_entity,
    join,
    split,
)
from bot.core.audit.record import AuditRecord, from_fields, to_fields
from bot.core.errors import ConflictError, NotFoundError, StorageError
from bot.core.storage.base import Entity, Op, Scalar, Storage

log = logging.getLogger(__name__)

INBOX = "auditq"
BATCH = 40  # records per chaining transaction (+ the head: well under the 100-operation limit)
BATCH_CHARS = 600_000  # and at most this much text per transaction (Azure: 4 MiB per batch)
MAX_ATTEMPTS = 60
LISTING = BATCH * 4  # inbox rows read per step


@dataclass(frozen=True)
class Pending:
    """A record written to the inbox: stored for good, not yet linked into its chain."""

    record: AuditRecord
    partition: str
    key: str


def inbox_key() -> str:
    """A unique inbox row key that sorts by the time it was made."""
    return f"q{time.time_ns():020d}{secrets.token_hex(4)}"


def encode_pending(partition: str, key: str, record: AuditRecord) -> Entity:
    """The inbox row of a record."""
    data: dict[str, Scalar] = {}
    for name, value in to_fields(record).items():
        data.update(split(name, value))
    return Entity(partition, key, data)


def decode_pending(entity: Entity) -> AuditRecord:
    """The record an inbox row holds; ValueError if it is malformed."""
    return from_fields(join(entity.data))


class Chainer:
    """Links inbox rows into the hash chains (see the module docstring)."""

    def __init__(self, storage: Storage, *, max_attempts: int = MAX_ATTEMPTS) -> None:
        self._storage = storage
        self._max_attempts = max_attempts
        self._locks: dict[str, asyncio.Lock] = {}

    async def drain(self, pk: str) -> dict[str, StoredRecord]:
        """Chain every inbox row of a partition; returns what THIS call chained, by inbox key.
        StorageError when storage fails or another chainer kept winning (the rows stay in the inbox)."""
        async with self._locks.setdefault(pk, asyncio.Lock()):
            chained: dict[str, StoredRecord] = {}
            conflicts = 0
            while True:
                try:
                    if not await self._step(pk, chained):
                        return chained
                except ConflictError:
                    conflicts += 1
                    if conflicts >= self._max_attempts:
                        raise StorageError(f"audit chain {pk} stayed contended") from None
                    await asyncio.sleep(min(0.2, 0.003 * 2**conflicts) * random.uniform(0.5, 1.5))

    async def _step(self, pk: str, chained: dict[str, StoredRecord]) -> bool:
        """One batch; False when nothing more is waiting (as far as this listing saw)."""
        head = await self._read_head(pk)
        rows = await self._storage.query(INBOX, pk, limit=LISTING)
        done = set(head.srcs) if head else set()
        await self._delete(pk, [e.row_key for e in rows if e.row_key in done])
        waiting = [e for e in rows if e.row_key not in done]
        batch = _batch(pk, waiting)
        if not batch:
            return False
        stored: list[tuple[str, StoredRecord]] = []
        last = head
        for key, record in batch:
            placed = chain(record, pk, last)
            stored.append((key, placed))
            last = Head(placed.seq, placed.hash)
        tail = stored[-1][1]
        srcs = tuple(key for key, _ in stored)
        ops = [Op("insert", encode(s)) for _, s in stored]
        ops.append(Op("replace" if head else "insert", head_entity(pk, tail, head, srcs)))
        await self._storage.transact(TABLE, ops)
        chained.update(stored)
        log.debug("audit chained: partition=%s records=%d up to seq=%d", pk, len(stored), tail.seq)
        await self._delete(pk, list(srcs))
        # the listing held everything that was waiting and it is all chained: no need to look again
        # (rows submitted since then wake the chainer again)
        return len(rows) == LISTING or len(batch) < len(waiting)

    async def _read_head(self, pk: str) -> Head | None:
        entity = await self._storage.get(TABLE, pk, HEAD_ROW)
        if entity is None:
            return None
        try:
            return decode_head(entity)
        except ValueError:
            log.error("audit head unreadable: partition=%s", pk)
            raise StorageError(f"audit head of {pk} is unreadable; run `audit verify`") from None

    async def _delete(self, pk: str, keys: list[str]) -> None:
        """Remove chained rows from the inbox (one transaction; row by row if some are gone)."""
        for start in range(0, len(keys), 100):
            part = keys[start : start + 100]
            try:
                await self._storage.transact(INBOX, [Op("delete", Entity(pk, k)) for k in part])
            except (ConflictError, NotFoundError):  # another chainer deleted some of them
                for key in part:
                    await self._storage.delete(INBOX, pk, key)

    async def partitions(self, pk_prefix: str = "") -> list[str]:
        """Partitions that have inbox rows waiting."""
        found: dict[str, None] = {}
        async for entity in self._storage.scan(INBOX, pk_prefix=pk_prefix):
            found[entity.partition_key] = None
        return list(found)

    async def count(self, pk_prefix: str = "") -> int:
        """Inbox rows waiting to be chained."""
        return sum([1 async for _ in self._storage.scan(INBOX, pk_prefix=pk_prefix)])


def _batch(pk: str, rows: Iterable[Entity]) -> list[tuple[str, AuditRecord]]:
    """The next records to chain, oldest first, within the transaction's size bounds."""
    out: list[tuple[str, AuditRecord]] = []
    chars = 0
    for entity in rows:
        try:
            record = decode_pending(entity)
        except ValueError:
            log.error("audit inbox row unreadable, left in place: partition=%s row=%s", pk, entity.row_key)
            continue
        size = sum(len(v) for v in entity.data.values() if isinstance(v, str))
        if out and (len(out) >= BATCH or chars + size > BATCH_CHARS):
            break
        out.append((entity.row_key, record))
        chars += size
    return out
