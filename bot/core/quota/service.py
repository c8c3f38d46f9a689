"""The quota service: reserve before the model, settle after, never overshoot a cap.

Invariant: for every counter, used + live holds ≤ cap, whatever the concurrency, across processes.
How: each change reads the month's counter rows, decides, and writes them back in ONE
`Storage.transact` guarded by the ETags it read (insert for rows that did not exist). A concurrent
writer makes the transaction fail as a whole (ConflictError); we re-read and decide again, a bounded
number of times with jittered exponential backoff. There is no global lock: the only coordination
is the storage's compare-and-swap.

Group commit: within one process, the changes to a month are queued, and one task per month
commits the queue: every change waiting when a transaction starts is decided in turn on the same
rows (each sees the holds of the ones before it; a refused one is undone) and all of them are
written in that ONE transaction. Under load a turn then waits for at most one transaction in
flight plus its own, instead of for every turn queued before it, and the org row is written once
per batch instead of twice per turn (fewer ETag conflicts between processes too).

Round trips: each process caches the last counter entities it read or wrote (with their ETags) and
re-reads only after a conflict, so a turn in the common case costs two: the reservation's
transaction and the settlement's. A refusal is only ever decided on freshly read rows. Within one
process, changes to a month are committed together (below), so this process's own concurrent
turns do not conflict with each other (they would serialise on the org row anyway).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from bot.core.clock import Clock
from bot.core.errors import ConflictError, NotFoundError
from bot.core.quota import months, rules
from bot.core.quota.counters import (
    ALERTS_KEY,
    ORG_KEY,
    TABLE,
    Counter,
    tip_key,
)
from bot.core.quota.limits import QuotaLimits
from bot.core.quota.reports import build_report, build_snapshot
from bot.core.quota.types import (
    Alert,
    QuotaBusy,
    QuotaExceeded,
    RateLimitExceeded,
    Reservation,
    UsageReport,
    UsageSnapshot,
    UserTurnsBusy,
)
from bot.core.storage.base import Entity, Scalar, Storage

log = logging.getLogger(__name__)

Change = Callable[[dict[str, Counter], float], bool]
CACHE_SIZE = 4096
MAX_BATCH_ROWS = 99
"""Rows one group-commit transaction may write (Azure Tables: 100 operations per transaction)."""


class QuotaService:
    """Monthly character quota over a Storage (see the module docstring)."""

    def __init__(
        self,
        storage: Storage,
        limits: QuotaLimits,
        *,
        clock: Clock,
        max_attempts: int = 12,
        backoff_s: float = 0.005,
        rng: random.Random | None = None,
    ) -> None:
        self.storage = storage
        self.limits = limits
        self._clock = clock
        self._max_attempts = max_attempts
        self._backoff_s = backoff_s
        self._rng = rng or random.Random()  # jitter only, not security
        self._cache: OrderedDict[tuple[str, str], Entity | None] = OrderedDict()
        self._queues: dict[str, list[_Job]] = {}  # per month partition: changes waiting to be committed
        self._committers: dict[str, asyncio.Task[None]] = {}
        self.conflicts = 0
        """ETag conflicts met so far (for the benchmark and logs)."""

    # --- public API -------------------------------------------------------------------------

    async def reserve(
        self, user_id: str, department: str, input_chars: int, *, display_name: str = ""
    ) -> Reservation:
        """Hold input + maximum answer (or what fits, if at least a minimum answer fits) on every
        applicable counter; raise QuotaExceeded when even that does not fit."""
        now_dt = self._clock()
        month = months.month_of(now_dt)
        keys = rules.row_keys(user_id, department)
        rid = secrets.token_hex(6)
        result: list[Reservation] = []

        def change(counters: dict[str, Counter], now: float) -> bool:
            reservation = rules.place_hold(
                counters, self.limits, rid=rid, month=month, input_chars=max(0, input_chars), now=now
            )
            rules.label(counters, user_id, department, display_name)
            result[:] = [reservation]
            return True

        await self._update(month, keys, change)
        return result[0]

    async def settle(self, reservation: Reservation, actual_chars: int) -> int:
        """Charge the turn `actual_chars` (clamped to the reservation) and drop the hold; returns the
        characters the month counts for the turn (the whole hold if it had expired and was already
        counted in full)."""
        actual = reservation.clamp(actual_chars)
        recorded: list[int] = [0]
        day = f"{months.jst_date(self._clock()).day:02d}"

        def change(counters: dict[str, Counter], now: float) -> bool:
            recorded[0] = rules.charge(counters, self.limits, reservation, actual=actual, now=now, day=day)
            return True

        await self._update(reservation.month, reservation.scopes, change)
        if recorded[0] != actual:
            log.warning(
                "quota: reservation %s expired before settlement; counted %d (in full) for %d characters",
                reservation.id,
                recorded[0],
                actual,
            )
        return recorded[0]

    async def release(self, reservation: Reservation) -> None:
        """Drop the hold without charging anything (model error, block, cancel)."""

        def change(counters: dict[str, Counter], now: float) -> bool:
            return any([c.take(reservation.id, now) is not None for c in counters.values()])  # noqa: C419 (take from all)

        await self._update(reservation.month, reservation.scopes, change)

    async def snapshot(self, user_id: str, department: str = "") -> UsageSnapshot:
        """This month for one user: their counters and the organisation's (read fresh)."""
        now_dt = self._clock()
        month = months.month_of(now_dt)
        keys = rules.row_keys(user_id, department)
        counters = await self._load(months.partition_key(month), keys, fresh=True)
        return build_snapshot(counters, keys, self.limits, now_dt, department)

    async def report(self, month: str | None = None) -> UsageReport:
        """The organisation's month: totals, by day, by department, users (most used first)."""
        now_dt = self._clock()
        month = months.parse_month(month) if month else months.month_of(now_dt)
        rows = await self.storage.query(TABLE, months.partition_key(month))
        return build_report(month, rows, self.limits, now_dt)

    async def take_alerts(self, month: str | None = None) -> list[Alert]:
        """Thresholds of the org cap crossed and not yet announced; each is returned exactly once
        per month across all processes (the announcement is CAS-marked before it is returned)."""
        month = month or months.month_of(self._clock())
        pk = months.partition_key(month)
        for attempt in range(self._max_attempts):
            fresh = attempt > 0
            used = (await self._load(pk, (ORG_KEY,), fresh=fresh))[ORG_KEY].spent(self._clock().timestamp())
            marker = await self._entity(pk, ALERTS_KEY, fresh=fresh)
            done = set(json.loads(str(marker.data.get("done", "[]")))) if marker else set()
            new = [t for t in rules.reached(self.limits, used) if t not in done]
            if not new:
                return []
            if await self._mark(pk, ALERTS_KEY, marker, {"done": json.dumps(sorted(done | set(new)))}):
                return [Alert(month, t, used, self.limits.org_monthly_chars) for t in new]
            await self._pause(attempt)
        raise QuotaBusy("quota alerts: too many conflicts")

    async def coaching_due(self, user_id: str) -> bool:
        """True at most once per JST day per user (CAS-marked): show the concise-prompt tip now."""
        now_dt = self._clock()
        today = months.jst_date(now_dt).isoformat()
        pk, key = months.partition_key(months.month_of(now_dt)), tip_key(user_id)
        marker = await self._entity(pk, key, fresh=False)
        if marker is not None and marker.data.get("day") == today:
            return False
        return await self._mark(pk, key, marker, {"day": today})

    # --- the read-decide-write loop ---------------------------------------------------------

    async def _update(self, month: str, keys: Iterable[str], change: Change) -> None:
        """Queue `change` for the month's next transaction and wait until it is written (or refused).

        One task per month partition commits the queue: every change waiting when it starts goes
        into ONE CAS transaction (group commit), decided one after another on the same rows."""
        pk = months.partition_key(month)
        job = _Job(tuple(keys), change, asyncio.get_running_loop().create_future())
        self._queues.setdefault(pk, []).append(job)
        if pk not in self._committers:
            self._committers[pk] = asyncio.create_task(self._commit_queue(pk))
        try:
            await asyncio.shield(job.done)
        except asyncio.CancelledError:
            queue = self._queues.get(pk, [])
            if job in queue:  # not taken into a transaction yet: drop it
                queue.remove(job)
            job.done.add_done_callback(_retrieved)  # its outcome has nobody waiting any more
            raise

    async def _commit_queue(self, pk: str) -> None:
        """Commit the partition's queue, batch after batch, until it is empty."""
        try:
            while queue := self._queues.get(pk):
                batch: list[_Job] = []
                keys: set[str] = set()
                while queue and (not batch or len(keys | set(queue[0].keys)) <= MAX_BATCH_ROWS):
                    job = queue.pop(0)
                    keys |= set(job.keys)
                    batch.append(job)
                try:
                    await self._commit(pk, batch)
                except Exception as exc:  # storage down, contention: every change of the batch fails
                    for job in batch:
                        if not job.done.done():
                            job.done.set_exception(exc)
        finally:  # no await from the empty queue to here: a change queued later starts a new task
            self._committers.pop(pk, None)
            for job in self._queues.pop(pk, []):  # only when cancelled (shutdown)
                job.done.cancel()

    async def _commit(self, pk: str, batch: list[_Job]) -> None:
        """Decide every change of `batch` on the same rows and write them in one transaction.

        After a conflict the whole batch is decided again: first with the rows other processes
        write all the time re-read (the org and department rows), then, if it conflicts again,
        with every row re-read. A refusal is only ever decided on rows all read fresh."""
        stale: frozenset[str] | None = frozenset()  # rows to re-read; None: every row
        for attempt in range(self._max_attempts):
            keys = tuple(dict.fromkeys(k for job in batch for k in job.keys))
            counters = await self._load(pk, keys, fresh=stale is None, refresh=stale or ())
            now = self._clock().timestamp()
            outcomes: list[BaseException | None] = []
            touched: dict[str, None] = {}
            unsure = False
            for job in batch:
                view = {k: counters[k] for k in job.keys}
                before = {k: _copy(c) for k, c in view.items()}
                try:
                    if job.change(view, now):
                        touched.update(dict.fromkeys(job.keys))
                    outcomes.append(None)
                except (QuotaExceeded, RateLimitExceeded, UserTurnsBusy) as exc:
                    counters.update(before)  # undo whatever it did; later changes see the rows without it
                    outcomes.append(exc)
                    unsure = unsure or stale is not None  # never refuse on cached rows
                except Exception as exc:
                    counters.update(before)
                    outcomes.append(exc)
            if unsure:
                stale = None
                continue
            if not touched or await self._write(pk, [counters[k] for k in touched]):
                for job, outcome in zip(batch, outcomes, strict=True):
                    if job.done.done():
                        continue
                    if outcome is None:
                        job.done.set_result(None)
                    else:
                        job.done.set_exception(outcome)
                return
            stale = (
                frozenset(k for k in keys if k == ORG_KEY or k.startswith("dept:"))
                if stale == frozenset()
                else None
            )
            await self._pause(attempt)
        raise QuotaBusy(f"quota counters of {pk} stayed contended after {self._max_attempts} attempts")

    async def _write(self, pk: str, counters: list[Counter]) -> bool:
        """One transaction over the rows; False on an ETag conflict (the caller re-reads)."""
        now = self._clock().timestamp()
        try:
            written = await self.storage.transact(TABLE, [c.op(pk, now) for c in counters])
        except ConflictError:
            self.conflicts += 1
            return False
        for entity in written:
            self._remember(pk, entity.row_key, entity)
        return True

    async def _mark(self, pk: str, key: str, current: Entity | None, data: dict[str, Scalar]) -> bool:
        """Write a marker row over the version we read; False when someone else wrote it first."""
        try:
            if current is None:
                written = await self.storage.insert(TABLE, Entity(pk, key, data))
            else:
                written = await self.storage.replace(TABLE, Entity(pk, key, data, current.etag))
        except (ConflictError, NotFoundError):
            self.conflicts += 1
            self._cache.pop((pk, key), None)
            return False
        self._remember(pk, key, written)
        return True

    async def _pause(self, attempt: int) -> None:
        """Full-jitter exponential backoff, capped at 0.25 s."""
        await asyncio.sleep(self._rng.uniform(0, min(0.25, self._backoff_s * 2**attempt)))

    async def _load(
        self, pk: str, keys: Iterable[str], *, fresh: bool, refresh: Iterable[str] = ()
    ) -> dict[str, Counter]:
        """The rows as Counters, from the cache unless `fresh` (or in `refresh`); the rows to read
        are read concurrently."""
        keys, again = tuple(keys), frozenset(refresh)
        wanted = [k for k in keys if fresh or k in again or (pk, k) not in self._cache]
        if wanted:
            found = await asyncio.gather(*(self.storage.get(TABLE, pk, k) for k in wanted))
            for key, entity in zip(wanted, found, strict=True):
                self._remember(pk, key, entity)
        return {k: Counter.load(k, self._cache[(pk, k)]) for k in keys}

    async def _entity(self, pk: str, key: str, *, fresh: bool) -> Entity | None:
        """One row as stored, from the cache unless `fresh`."""
        if fresh or (pk, key) not in self._cache:
            self._remember(pk, key, await self.storage.get(TABLE, pk, key))
        return self._cache[(pk, key)]

    def _remember(self, pk: str, key: str, entity: Entity | None) -> None:
        self._cache[(pk, key)] = entity
        self._cache.move_to_end((pk, key))
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)


@dataclass
class _Job:
    """A change waiting for its month's transaction."""

    keys: tuple[str, ...]
    change: Change
    done: asyncio.Future[None]


def _retrieved(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


def _copy(counter: Counter) -> Counter:
    """A counter as it is now, to put back if a change is refused after touching it."""
    return replace(counter, holds=dict(counter.holds), labels=dict(counter.labels))
