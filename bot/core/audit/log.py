"""`AuditLog`: the records kept by the information policy division, on any `Storage` backend.

Append-only and tamper-evident (layout and chain in bot.core.audit.chain): `append` reads the
partition's head, inserts the next record and swaps the head in ONE `transact`, retrying with
jittered backoff when a concurrent append won the compare-and-swap. Reading (`iter_month`,
`export`, `summary`) loads one month, which is small (a city's month is a few hundred thousand
records at most) and sorts it by time.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from bot.core.audit.chain import (
    DEFAULT_SHARDS,
    HEAD_ROW,
    TABLE,
    Head,
    StoredRecord,
    chain,
    decode,
    decode_head,
    encode,
    head_entity,
    month_prefix,
    partition_key,
    shard_of,
)
from bot.core.audit.months import check_month
from bot.core.audit.record import AuditRecord, event_record
from bot.core.audit.retention import check_purge
from bot.core.audit.summary import AuditSummary, summarise
from bot.core.audit.verify import VerifyReport, check_partitions
from bot.core.clock import Clock
from bot.core.errors import ConflictError, StorageError
from bot.core.storage.base import Entity, Op, Storage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 40
BATCH = 100  # the most operations one transact accepts


@dataclass(frozen=True)
class PurgeReport:
    """What `AuditLog.purge` deleted (or, on a dry run, would delete)."""

    before: str
    months: tuple[str, ...]
    partitions: int
    records: int
    dry_run: bool


class AuditLog:
    """Append, read, verify, export, summarise and purge the records."""

    def __init__(
        self,
        storage: Storage,
        *,
        shards: int = DEFAULT_SHARDS,
        max_attempts: int = MAX_ATTEMPTS,
        clock: Clock,
    ) -> None:
        self._storage = storage
        self._shards = shards
        self._max_attempts = max_attempts
        self.clock = clock
        self._heads: dict[str, Head] = {}  # last head this process wrote, per partition (saves a read)

    async def append(self, record: AuditRecord) -> StoredRecord:
        """Chain and store one record; StorageError if storage fails or stays contended."""
        check_month(record.month)
        pk = partition_key(record.month, shard_of(record.conversation_id, self._shards))
        for attempt in range(self._max_attempts):
            try:
                return await self._try_append(pk, record)
            except ConflictError:
                await asyncio.sleep(_backoff(attempt))
        log.error("audit append gave up: partition=%s attempts=%d", pk, self._max_attempts)
        raise StorageError(f"audit partition {pk} stayed contended after {self._max_attempts} attempts")

    async def _try_append(self, pk: str, record: AuditRecord) -> StoredRecord:
        # The cached head is only a guess: if another process appended since, the CAS on its ETag
        # fails (ConflictError), the guess is dropped and the next attempt reads the real head.
        head = self._heads.pop(pk, None) or await self._read_head(pk)
        stored = chain(record, pk, head)
        head_op = Op("replace" if head else "insert", head_entity(pk, stored, head))
        written = await self._storage.transact(TABLE, [Op("insert", encode(stored)), head_op])
        if len(written) == 2 and written[1].etag:
            self._heads[pk] = Head(stored.seq, stored.hash, written[1].etag)
        log.debug("audit appended: partition=%s seq=%d phase=%s", pk, stored.seq, record.phase)
        return stored

    async def _read_head(self, pk: str) -> Head | None:
        entity = await self._storage.get(TABLE, pk, HEAD_ROW)
        if entity is None:
            return None
        try:
            return decode_head(entity)
        except ValueError:
            log.error("audit head unreadable: partition=%s", pk)
            raise StorageError(f"audit head of {pk} is unreadable; run `audit verify`") from None

    async def iter_month(self, month: str, user: str | None = None) -> AsyncIterator[StoredRecord]:
        """A month's records in time order, optionally only one user's."""
        for stored in await self._load_month(month):
            if user is None or stored.record.user_id == user:
                yield stored

    async def _load_month(self, month: str) -> list[StoredRecord]:
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

    async def verify(self, month: str | None = None) -> VerifyReport:
        """Check every chain (of one month, or of all months): the first broken link per partition."""
        prefix = month_prefix(check_month(month)) if month else ""
        return await check_partitions(self._storage.scan(TABLE, pk_prefix=prefix), month)

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


def _backoff(attempt: int) -> float:
    """Jittered exponential backoff: 2 ms doubling to at most 100 ms."""
    return min(0.1, 0.002 * 2**attempt) * random.uniform(0.5, 1.5)


def _purge_details(report: PurgeReport) -> dict[str, object]:
    return {"before": report.before, "months": list(report.months), "records": report.records}
