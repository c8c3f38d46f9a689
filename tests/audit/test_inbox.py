"""No record is dropped under contention: the inbox and the chainer, on both backends.

Before issue 11 every turn appended straight onto its partition's chain and gave up after 40 lost
compare-and-swaps, so 200 turns of one conversation at once dropped records. Now a record is one
insert into its own inbox row; chainers (several "instances" here) link the rows in order.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import replace
from typing import Any

from bot.core.audit import AuditLog, TurnRecorder
from bot.core.audit.chainer import INBOX
from bot.core.audit.record import event_record
from bot.core.errors import StorageError
from bot.core.storage.base import Storage
from tests.audit.conftest import MONTH, NOW, Clock, model_turn

TURNS = 60  # 120 records written at once (Azurite here is shared by several test runs)


async def _all_records(audit: AuditLog) -> list[Any]:
    return [s async for s in audit.iter_month(MONTH)]


async def test_many_turns_of_one_conversation_at_once_are_all_recorded(
    storage: Storage, clock: Clock
) -> None:
    instances = [AuditLog(storage, clock=clock) for _ in range(3)]  # three bot processes, one storage

    async def one_turn(n: int) -> None:
        recorder = TurnRecorder(instances[n % 3], model_turn(conversation="conv-hot"))
        await recorder.begin()
        assert await recorder.finish() is not None

    async def chain_while_busy(audit: AuditLog) -> None:
        for _ in range(5):
            with contextlib.suppress(StorageError):  # as the real chainer: log, try again later
                await audit.flush()
            await asyncio.sleep(0)

    await asyncio.gather(*(one_turn(n) for n in range(TURNS)), *(chain_while_busy(a) for a in instances))
    await asyncio.gather(*(a.flush() for a in instances))

    report = await instances[0].verify(MONTH)
    assert report.ok, report.problems
    assert report.pending == 0
    assert report.records == 2 * TURNS, "every start and end record is there"
    assert report.incomplete_turns == ()
    ids = Counter(s.record.record_id for s in await _all_records(instances[0]))
    assert len(ids) == 2 * TURNS
    assert max(ids.values()) == 1, "no record was chained twice"
    assert [s async for s in storage.scan(INBOX)] == [], "the inbox is empty once chained"


class StopsAfterChaining:
    """A backend on which the chainer 'crashes' once right after its chaining transaction: the
    deletion of the chained inbox rows fails, as if the process had died between the two."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self.name = inner.name
        self.fail_next_inbox_delete = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def transact(self, table: str, ops: Any) -> Any:
        if table == INBOX and self.fail_next_inbox_delete:
            self.fail_next_inbox_delete = False
            raise StorageError("process stopped (test)")
        return await self.inner.transact(table, ops)


async def test_a_chainer_stopped_before_clearing_its_inbox_rows_never_chains_them_twice(
    storage: Storage, clock: Clock
) -> None:
    crashing = StopsAfterChaining(storage)
    first = AuditLog(crashing, clock=clock)  # type: ignore[arg-type]
    for i in range(5):
        await first.submit(replace(event_record("x", {"i": i}, now=NOW), conversation_id="c"))
    with contextlib.suppress(StorageError):  # the "crash"
        await first.flush()
    assert len([s async for s in storage.scan(INBOX)]) == 5, "chained, but still in the inbox"

    second = AuditLog(storage, clock=clock)  # another instance picks up
    await second.submit(replace(event_record("x", {"i": 5}, now=NOW), conversation_id="c"))
    await second.flush()
    stored = await _all_records(second)
    assert sorted(s.record.details["i"] for s in stored) == [0, 1, 2, 3, 4, 5]
    assert [s.seq for s in sorted(stored, key=lambda s: s.seq)] == [1, 2, 3, 4, 5, 6]
    assert (await second.verify(MONTH)).ok
    assert [s async for s in storage.scan(INBOX)] == []


async def test_a_submitted_record_is_stored_before_it_is_chained(storage: Storage, clock: Clock) -> None:
    audit = AuditLog(storage, clock=clock)
    pending = await audit.submit(event_record("x", {}, now=NOW))
    assert await audit.pending(MONTH) == 1
    rows = [s async for s in storage.scan(INBOX)]
    assert [r.row_key for r in rows] == [pending.key]
    report = await audit.verify(MONTH)  # reading chains what waits first
    assert (report.ok, report.records, report.pending) == (True, 1, 0)
