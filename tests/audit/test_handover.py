"""A turn's end record handed to the running chainer: no inbox row, chained once, after its start.

Issue 13 (fewer round trips): the start record is stored in the inbox before the model is called
(fail closed, crash evidence); the end record joins its partition's next chaining transaction
instead of taking an inbox row of its own. These tests pin what that must not cost: every record
chained exactly once (also when the chaining transaction fails with an unknown outcome), the start
before its end, nothing left waiting at shutdown, several instances at once, and a turn whose end
was still in memory when the process died shows as incomplete, not missing. On both backends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from bot.core.audit import AuditLog, TurnRecorder
from bot.core.audit.chain import TABLE
from bot.core.audit.chainer import INBOX, Pending, inbox_key
from bot.core.audit.record import record_from_turn
from bot.core.audit.running import keep_records
from bot.core.errors import StorageError
from bot.core.storage.base import Storage
from tests.audit.conftest import MONTH, Clock, model_turn


class Counting:
    """A backend that counts inbox inserts and can fail chaining transactions on purpose."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self.name = inner.name
        self.inbox_inserts = 0
        self.fail_chaining: str = ""  # "after": applied, then an error; "before": an error, nothing applied

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def insert(self, table: str, entity: Any) -> Any:
        if table == INBOX:
            self.inbox_inserts += 1
        return await self.inner.insert(table, entity)

    async def transact(self, table: str, ops: Any) -> Any:
        mode, self.fail_chaining = (self.fail_chaining, "") if table == TABLE else ("", self.fail_chaining)
        if mode == "before":
            raise StorageError("connection reset before the batch was sent (test)")
        written = await self.inner.transact(table, ops)
        if mode == "after":
            raise StorageError("timed out waiting for the batch response (test)")
        return written


@contextlib.asynccontextmanager
async def chainer_running(audit: AuditLog) -> AsyncIterator[None]:
    """The background chainer, as a running bot has it (bot.core.audit.running.keep_records)."""
    async with keep_records(audit):
        await asyncio.sleep(0)  # let it start
        yield


async def _turn(audit: AuditLog, conversation: str = "conv-1") -> None:
    recorder = TurnRecorder(audit, model_turn(conversation=conversation))
    await recorder.begin()
    assert await recorder.finish() is not None


async def _phases_in_chain_order(storage: Storage) -> list[tuple[str, str]]:
    audit = AuditLog(storage, clock=Clock())
    stored = sorted([s async for s in audit.iter_month(MONTH)], key=lambda s: (s.partition, s.seq))
    return [(s.record.turn_id, s.record.phase) for s in stored]


async def test_the_end_record_takes_no_inbox_row_and_is_chained_after_its_start(
    storage: Storage, clock: Clock
) -> None:
    counting = Counting(storage)
    audit = AuditLog(counting, clock=clock)  # type: ignore[arg-type]
    async with chainer_running(audit):
        await _turn(audit)
        assert counting.inbox_inserts == 1, "only the start record is an inbox insert"
    phases = await _phases_in_chain_order(storage)
    assert [phase for _, phase in phases] == ["start", "end"]
    assert len({turn for turn, _ in phases}) == 1
    report = await audit.verify(MONTH)
    assert (report.ok, report.records, report.pending, report.incomplete_turns) == (True, 2, 0, ())
    assert [s async for s in storage.scan(INBOX)] == []


async def test_without_a_running_chainer_the_end_record_is_stored_in_the_inbox(
    storage: Storage, clock: Clock
) -> None:
    counting = Counting(storage)
    audit = AuditLog(counting, clock=clock)  # type: ignore[arg-type]  (CLI, tools: no chainer)
    await _turn(audit)
    assert counting.inbox_inserts == 2
    assert await audit.pending(MONTH) == 2


async def test_a_handed_over_record_counts_as_pending(storage: Storage, clock: Clock) -> None:
    audit = AuditLog(storage, clock=clock)
    recorder = TurnRecorder(audit, model_turn(conversation="conv-2"))
    await recorder.begin()
    record = record_from_turn(model_turn(conversation="conv-2"), "end", now=clock())
    audit.chainer.hand_over(Pending(record, audit.partition_of(record), inbox_key()))
    assert await audit.pending(MONTH) == 2, "the start in the inbox, the end in memory"
    assert await audit.flush() == 2
    assert await audit.pending(MONTH) == 0


async def test_records_still_in_memory_are_chained_at_shutdown(storage: Storage, clock: Clock) -> None:
    audit = AuditLog(storage, clock=clock)
    async with chainer_running(audit):
        recorder = TurnRecorder(audit, model_turn(conversation="conv-2"))
        await recorder.begin()
        await audit.flush()
        await recorder.finish()
        assert sum(audit.chainer.handed_over().values()) == 1, "handed over, not stored yet"
    # keep_records has exited (shutdown): everything waiting, in memory too, is chained
    assert audit.chainer.handed_over() == {}
    report = await audit.verify(MONTH)
    assert (report.ok, report.records, report.pending, report.incomplete_turns) == (True, 2, 0, ())


async def test_a_process_that_dies_with_the_end_in_memory_leaves_an_incomplete_turn(
    storage: Storage, clock: Clock
) -> None:
    audit = AuditLog(storage, clock=clock)
    chainer = asyncio.create_task(audit.run_chainer(asyncio.Event(), interval_s=60))
    await asyncio.sleep(0)
    recorder = TurnRecorder(audit, model_turn(conversation="conv-3"))
    await recorder.begin()
    await audit.flush()  # the start is chained (as the chainer soon does)
    await recorder.finish()
    chainer.cancel()  # SIGKILL: the chainer never ran its transaction, memory is gone
    with contextlib.suppress(asyncio.CancelledError):
        await chainer
    report = await AuditLog(storage, clock=clock).verify(MONTH)  # the next process
    assert report.ok
    assert report.records == 1
    assert len(report.incomplete_turns) == 1, "the turn is visible (its start), not lost"


async def test_an_unknown_outcome_never_chains_a_record_twice_nor_loses_it(
    storage: Storage, clock: Clock
) -> None:
    for mode in ("after", "before"):
        counting = Counting(storage)
        audit = AuditLog(counting, clock=clock)  # type: ignore[arg-type]
        async with chainer_running(audit):
            recorder = TurnRecorder(audit, model_turn(conversation=f"conv-{mode}"))
            await recorder.begin()
            await audit.flush()
            counting.fail_chaining = mode  # the chaining transaction of the end record fails
            await recorder.finish()
            with contextlib.suppress(StorageError):  # the real chainer logs it and tries again
                await audit.flush()
            await audit.flush()
    ids = Counter([s.record.record_id async for s in AuditLog(storage, clock=clock).iter_month(MONTH)])
    assert len(ids) == 4, "two turns, start and end each"
    assert max(ids.values()) == 1, "no record chained twice"
    report = await AuditLog(storage, clock=clock).verify(MONTH)
    assert (report.ok, report.pending, report.incomplete_turns) == (True, 0, ())


async def test_several_instances_with_their_chainers_record_every_turn_once(
    storage: Storage, clock: Clock
) -> None:
    instances = [AuditLog(storage, clock=clock) for _ in range(3)]  # three bot processes
    async with chainer_running(instances[0]), chainer_running(instances[1]), chainer_running(instances[2]):
        await asyncio.gather(*(_turn(instances[n % 3], conversation=f"conv-{n % 4}") for n in range(30)))
    phases = await _phases_in_chain_order(storage)
    assert Counter(phase for _, phase in phases) == {"start": 30, "end": 30}
    first: dict[str, str] = {}
    for turn, phase in phases:
        first.setdefault(turn, phase)
    assert set(first.values()) == {"start"}, "every start is chained before its end"
    report = await instances[0].verify(MONTH)
    assert (report.ok, report.records, report.pending, report.incomplete_turns) == (True, 60, 0, ())
