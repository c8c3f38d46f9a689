"""`AuditLog`: the records kept by the information policy division, on any `Storage` backend.

Append-only and tamper-evident (layout and chain in bot.core.audit.chain): `submit` stores a
record at once in its own inbox row, and the chainer (bot.core.audit.chainer) links inbox rows into
the chains in order, one chainer at a time through the compare-and-swap on each head; `append` is
submit + chain now. A running bot calls `run_chainer` in the background. Reading (`iter_month`,
`export`, `summary`) loads one month, which is small (a city's month is a few hundred thousand
records at most) and sorts it by time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.audit.anchors import Anchor, check_anchors, current_heads
from bot.core.audit.chain import (
    DEFAULT_SHARDS,
    HEAD_ROW,
    TABLE,
    StoredRecord,
    decode,
    month_prefix,
    partition_key,
    shard_of,
)
from bot.core.audit.chainer import (
    INBOX,
    MAX_ATTEMPTS,
    MAX_HANDED_OVER,
    Chainer,
    Pending,
    encode_pending,
    inbox_key,
)
from bot.core.audit.months import check_month, utc_iso
from bot.core.audit.record import AuditRecord, event_record
from bot.core.audit.retention import check_purge
from bot.core.audit.screened import screened_record
from bot.core.audit.summary import AuditSummary, summarise
from bot.core.audit.verify import VerifyReport, check_partitions
from bot.core.clock import Clock
from bot.core.errors import StorageError
from bot.core.exits import Gate
from bot.core.storage.base import Entity, Op, Storage

log = logging.getLogger(__name__)

BATCH = 100  # the most operations one transact accepts
WAKE_INTERVAL_S = 2.0  # the background chainer also looks for other instances' records this often
GATHER_S = 0.1
"""After a wake, the chainer waits this long so that the records of turns running at the same time
share its round trips (one head read, one listing, one transaction per partition) instead of each
paying for them: on Azure Tables those were a third of the bot's CPU per turn at 16 chats. The
records are stored (inbox) or handed over already; only their linking waits."""


@dataclass(frozen=True)
class PurgeReport:
    """What `AuditLog.purge` deleted (or, on a dry run, would delete)."""

    before: str
    months: tuple[str, ...]
    partitions: int
    records: int
    dry_run: bool


class AuditLog:
    """Submit, append, read, verify, export, summarise and purge the records."""

    def __init__(
        self,
        storage: Storage,
        *,
        shards: int = DEFAULT_SHARDS,
        max_attempts: int = MAX_ATTEMPTS,
        clock: Clock,
        gate: Gate | None = None,
    ) -> None:
        self._gate = gate  # every record passes it before it is stored (bot.core.audit.screened)
        self._storage = storage
        self._shards = shards
        self.clock = clock
        self.chainer = Chainer(storage, max_attempts=max_attempts)
        self._wake = asyncio.Event()
        self._chaining = False  # True while run_chainer runs: closing records may be handed over

    def partition_of(self, record: AuditRecord) -> str:
        """The chain partition a record joins."""
        return partition_key(check_month(record.month), shard_of(record.conversation_id, self._shards))

    async def submit(self, record: AuditRecord) -> Pending:
        """Store one record at once in its own inbox row (never contended); the chainer links it
        later. StorageError if storage fails: the caller must not go on as if it were recorded."""
        if self._gate is not None:  # no record is stored before its free text passed the gate
            record = screened_record(record, self._gate)
        return await self._store(record)

    async def submit_closing(self, record: AuditRecord) -> Pending:
        """A turn's closing record, whose start record is already stored: handed to this process's
        running chainer, which links it in the partition's next chaining transaction (no round trip
        of its own; bot.core.audit.chainer explains why a crash still leaves the turn visible).
        Without a running chainer, or with too many waiting, it is stored like `submit`."""
        if self._gate is not None:  # no record is chained before its free text passed the gate
            record = screened_record(record, self._gate)
        if not self._chaining or sum(self.chainer.handed_over().values()) >= MAX_HANDED_OVER:
            return await self._store(record)
        pending = Pending(record, self.partition_of(record), inbox_key())
        self.chainer.hand_over(pending)
        self._wake.set()
        log.debug("audit handed over: partition=%s phase=%s", pending.partition, record.phase)
        return pending

    async def _store(self, record: AuditRecord) -> Pending:
        pending = Pending(record, self.partition_of(record), inbox_key())
        await self._storage.insert(INBOX, encode_pending(pending.partition, pending.key, record))
        self._wake.set()
        log.debug("audit submitted: partition=%s phase=%s", pending.partition, record.phase)
        return pending

    async def append(self, record: AuditRecord) -> StoredRecord:
        """Store one record and link it into its chain before returning (CLI, tests, rare events)."""
        pending = await self.submit(record)
        chained = await self.chainer.drain(pending.partition)
        if pending.key in chained:
            return chained[pending.key]
        return await self._find(pending)  # another instance's chainer linked it

    async def _find(self, pending: Pending) -> StoredRecord:
        for entity in await self._storage.query(TABLE, pending.partition):
            if entity.row_key != HEAD_ROW:
                stored = decode(entity)
                if stored.record.record_id == pending.record.record_id:
                    return stored
        raise StorageError(f"audit record of {pending.partition} not found after chaining")

    async def flush(self, pk_prefix: str = "") -> int:
        """Chain everything waiting in the inbox (of partitions starting with pk_prefix); returns
        how many records this call chained."""
        total = 0
        for pk in await self.chainer.partitions(pk_prefix):
            total += len(await self.chainer.drain(pk))
        return total

    async def pending(self, month: str | None = None) -> int:
        """Records stored in the inbox and not yet linked into a chain."""
        return await self.chainer.count(month_prefix(check_month(month)) if month else "")

    async def run_chainer(self, stop: asyncio.Event, interval_s: float = WAKE_INTERVAL_S) -> None:
        """Background task: chain soon after every submit, and every `interval_s` for records other
        instances left (their chainer may have stopped), until `stop` is set; never raises."""
        self._chaining = True
        try:
            await self._chain_until(stop, interval_s)
        finally:
            self._chaining = False  # from now on closing records take an inbox row (flush drains)

    async def _chain_until(self, stop: asyncio.Event, interval_s: float) -> None:
        while not stop.is_set():
            waiter = asyncio.ensure_future(self._wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({waiter, stopper}, timeout=interval_s, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
                stopper.cancel()
            if not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), GATHER_S)
            self._wake.clear()
            if stop.is_set():
                return
            try:
                await self.flush()
            except (StorageError, ValueError) as exc:
                log.error("audit chainer: %s; the records wait in the inbox", type(exc).__name__)

    async def iter_month(self, month: str, user: str | None = None) -> AsyncIterator[StoredRecord]:
        """A month's records in time order, optionally only one user's."""
        for stored in await self._load_month(month):
            if user is None or stored.record.user_id == user:
                yield stored

    async def _chain_waiting(self, month: str | None) -> None:
        """Before reading: chain what waits in the inbox (a failure is logged; verify reports it)."""
        try:
            await self.flush(month_prefix(check_month(month)) if month else "")
        except StorageError as exc:
            log.error("audit: waiting records not chained before reading (%s)", type(exc).__name__)

    async def _load_month(self, month: str) -> list[StoredRecord]:
        await self._chain_waiting(month)
        records: list[StoredRecord] = []
        async for entity in self._storage.scan(TABLE, pk_prefix=month_prefix(check_month(month))):
            if entity.row_key == HEAD_ROW:
                continue
            try:
                records.append(decode(entity))
            except ValueError:
                log.warning(
                    "audit record unreadable, skipped: partition=%s row=%s",
                    entity.partition_key,
                    entity.row_key,
                )
        records.sort(key=lambda s: (s.record.time, s.partition, s.seq))
        return records

    async def verify(self, month: str | None = None, anchors: Sequence[Anchor] = ()) -> VerifyReport:
        """Check every chain (of one month, or of all months): the first broken link per partition,
        and everything the chains contradict in `anchors` (truncation, rewritten tail, lost month)."""
        prefix = month_prefix(check_month(month)) if month else ""
        await self._chain_waiting(month)
        report = await check_partitions(self._storage.scan(TABLE, pk_prefix=prefix), month)
        found = await check_anchors(self._storage, anchors, month)
        return replace(
            report,
            pending=await self.chainer.count(prefix),
            anchors=len(anchors),
            anchor_problems=tuple(found),
        )

    async def anchor(self, months: Sequence[str], now: datetime | None = None) -> Anchor:
        """The current heads of those months' partitions (everything waiting is chained first)."""
        for month in months:
            await self.flush(month_prefix(check_month(month)))
        partitions = [partition_key(m, s) for m in months for s in range(self._shards)]
        return Anchor(utc_iso(now or self.clock()), await current_heads(self._storage, partitions))

    async def summary(self, month: str) -> AuditSummary:
        """The month's figures for the admin summary card."""
        return summarise(month, [s async for s in self.iter_month(month)])

    async def purge(
        self, before_month: str, retention_months: int, now: datetime, *, dry_run: bool = False
    ) -> PurgeReport:
        """Delete every month before `before_month`; RetentionError if any is inside the retention period."""
        check_purge(before_month, retention_months, now)
        keys = await self._keys_before(before_month)
        months = tuple(sorted({pk.rsplit(".", 1)[0] for pk in keys}))
        records = sum(len(rows) - (HEAD_ROW in rows) for rows in keys.values())
        report = PurgeReport(before_month, months, len(keys), records, dry_run)
        if not dry_run and keys:
            for pk, rows in keys.items():
                await self._delete_partition(pk, rows)
            await self.append(event_record("records_purged", _purge_details(report), now=now))
            log.info("audit purged: before=%s months=%d records=%d", before_month, len(months), records)
        return report

    async def _keys_before(self, before_month: str) -> dict[str, list[str]]:
        """Row keys of every partition of a month before `before_month`, by partition."""
        keys: dict[str, list[str]] = {}
        entities = self._storage.scan(TABLE)
        try:
            async for entity in entities:
                if entity.partition_key >= before_month:
                    break  # scan is ordered by partition key, and months sort as text
                keys.setdefault(entity.partition_key, []).append(entity.row_key)
        finally:
            close = getattr(entities, "aclose", None)
            if close is not None:
                await close()
        return keys

    async def _delete_partition(self, pk: str, rows: list[str]) -> None:
        """Delete records oldest first, the head last (an interrupted purge can simply be rerun)."""
        ordered = sorted(r for r in rows if r != HEAD_ROW) + [r for r in rows if r == HEAD_ROW]
        for start in range(0, len(ordered), BATCH):
            ops = [Op("delete", Entity(pk, row)) for row in ordered[start : start + BATCH]]
            await self._storage.transact(TABLE, ops)


def _purge_details(report: PurgeReport) -> dict[str, object]:
    return {"before": report.before, "months": list(report.months), "records": report.records}
