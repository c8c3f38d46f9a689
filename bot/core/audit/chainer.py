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

A turn's closing record (its "end", written after its "start" is already in the inbox) does not
take an inbox row of its own: it is handed to this process's chainer (`hand_over`) and joins the
next chaining transaction of its partition, which the chainer runs anyway (for the start record,
and every other record waiting). That saves the turn one storage round trip. What a crash can cost
stays what it was: the start record is stored before the model is called, so a turn whose closing
record was still waiting in memory shows as incomplete (a start without an end), never as missing.
A handed-over record joins a transaction only when the listing taken after it was handed over was
complete and fits the batch, so its start record (older) is always chained before it. When that
transaction fails with an unknown outcome (not a conflict), the record is looked for in the chain
before it is tried again (`_already_chained`), so it is chained exactly once there too.

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
from dataclasses import dataclass, field

from bot.core.audit.chain import (
    HEAD_ROW,
    TABLE,
    Head,
    StoredRecord,
    chain,
    decode,
    decode_head,
    encode,
    head_entity,
    join,
    row_key,
    split,
)
from bot.core.audit.record import AuditRecord, from_fields, to_fields
from bot.core.errors import ConflictError, NotFoundError, StorageError
from bot.core.storage.base import Entity, Op, Scalar, Storage, check_entity

log = logging.getLogger(__name__)

INBOX = "auditq"
BATCH = 40  # records per chaining transaction (+ the head: well under the 100-operation limit)
BATCH_CHARS = 600_000  # and at most this much text per transaction (Azure: 4 MiB per batch)
MAX_ATTEMPTS = 60
LISTING = BATCH * 4  # inbox rows read per step
MAX_HANDED_OVER = 2_000  # closing records waiting in memory; beyond, they take an inbox row again


@dataclass(frozen=True)
class Pending:
    """A record written to the inbox: stored for good, not yet linked into its chain."""

    record: AuditRecord
    partition: str
    key: str


@dataclass(eq=False)
class _HandedOver:
    """A closing record waiting in memory for its partition's next chaining transaction."""

    key: str
    record: AuditRecord
    size: int
    tried_at: int = field(default=-1)  # the seq it had in a transaction whose outcome is unknown


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
        self._handed: dict[str, list[_HandedOver]] = {}

    def hand_over(self, pending: Pending) -> None:
        """Keep a closing record (its turn's start is in the inbox) for the partition's next chaining
        transaction, instead of an inbox row. ValueError if no backend could store it."""
        entity = encode_pending(pending.partition, pending.key, pending.record)
        check_entity(entity)
        size = sum(len(v) for v in entity.data.values() if isinstance(v, str))
        self._handed.setdefault(pending.partition, []).append(_HandedOver(pending.key, pending.record, size))

    def handed_over(self, pk_prefix: str = "") -> dict[str, int]:
        """Closing records waiting in memory, by partition (of partitions starting with pk_prefix)."""
        return {pk: len(w) for pk, w in self._handed.items() if w and pk.startswith(pk_prefix)}

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
        handed = list(self._handed.get(pk, ()))  # taken BEFORE the listing: their starts are in it
        head = await self._read_head(pk)
        rows = await self._storage.query(INBOX, pk, limit=LISTING)
        done = set(head.srcs) if head else set()
        await self._delete(pk, [e.row_key for e in rows if e.row_key in done])
        if any(h.tried_at >= 0 for h in handed):
            handed = await self._already_chained(pk, handed, chained)
        waiting = [e for e in rows if e.row_key not in done]
        batch, chars, cut = _batch(pk, waiting)
        joining = _joining(handed, batch, chars) if len(rows) < LISTING and not cut else []
        if not batch and not joining:
            return False
        stored: list[tuple[str, StoredRecord]] = []
        ops: list[Op] = []
        last = head
        for key, record in [*batch, *((h.key, h.record) for h in joining)]:
            fields = to_fields(record)  # once for its hash and its row
            placed = chain(record, pk, last, fields)
            stored.append((key, placed))
            ops.append(Op("insert", encode(placed, fields)))
            last = Head(placed.seq, placed.hash)
        tail = stored[-1][1]
        srcs = tuple(key for key, _ in stored)
        ops.append(Op("replace" if head else "insert", head_entity(pk, tail, head, srcs)))
        try:
            await self._storage.transact(TABLE, ops)
        except ConflictError:
            raise  # nothing applied: the next step decides again
        except StorageError:
            for h, (_, placed) in zip(joining, stored[len(batch) :], strict=True):
                h.tried_at = placed.seq  # applied or not: looked for in the chain before a retry
            raise
        chained.update(stored)
        self._forget(pk, joining)
        log.debug("audit chained: partition=%s records=%d up to seq=%d", pk, len(stored), tail.seq)
        await self._delete(pk, [key for key, _ in batch])
        # the listing held everything that was waiting and it is all chained: no need to look again
        # (rows submitted or handed over since then wake the chainer again)
        return len(rows) == LISTING or cut or len(joining) < len(handed)

    async def _already_chained(
        self, pk: str, handed: list[_HandedOver], chained: dict[str, StoredRecord]
    ) -> list[_HandedOver]:
        """After a transaction with an unknown outcome: the handed-over records it may have chained
        are looked for in the chain (from the first seq it tried); those found are done."""
        since = min(h.tried_at for h in handed if h.tried_at >= 0)
        found: dict[str, StoredRecord] = {}
        for entity in await self._storage.query(TABLE, pk, rk_from=row_key(since)):
            if entity.row_key != HEAD_ROW:
                placed = decode(entity)
                found[placed.record.record_id] = placed
        done = [h for h in handed if h.record.record_id in found]
        for h in done:
            chained[h.key] = found[h.record.record_id]
        self._forget(pk, done)
        for h in handed:
            h.tried_at = -1
        return [h for h in handed if h.record.record_id not in found]

    def _forget(self, pk: str, chained: list[_HandedOver]) -> None:
        if chained:
            gone = {id(h) for h in chained}
            self._handed[pk] = [h for h in self._handed.get(pk, ()) if id(h) not in gone]

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
        """Partitions that have inbox rows (or records handed over) waiting."""
        found: dict[str, None] = {}
        async for entity in self._storage.scan(INBOX, pk_prefix=pk_prefix):
            found[entity.partition_key] = None
        found.update(dict.fromkeys(self.handed_over(pk_prefix)))
        return list(found)

    async def count(self, pk_prefix: str = "") -> int:
        """Records waiting to be chained: inbox rows, and closing records handed over here."""
        inbox = sum([1 async for _ in self._storage.scan(INBOX, pk_prefix=pk_prefix)])
        return inbox + sum(self.handed_over(pk_prefix).values())


def _joining(
    handed: list[_HandedOver], batch: list[tuple[str, AuditRecord]], chars: int
) -> list[_HandedOver]:
    """The handed-over records that still fit in the transaction after `batch` (`chars` of text)."""
    room = BATCH - len(batch)
    out: list[_HandedOver] = []
    for h in handed:
        if len(out) >= room or ((out or batch) and chars + h.size > BATCH_CHARS):
            break
        out.append(h)
        chars += h.size
    return out


def _batch(pk: str, rows: Iterable[Entity]) -> tuple[list[tuple[str, AuditRecord]], int, bool]:
    """The next records to chain, oldest first, within the transaction's size bounds: (records,
    their characters, True when rows were left for the next batch)."""
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
            return out, chars, True
        out.append((entity.row_key, record))
        chars += size
    return out, chars, False
