"""The hash chain on both backends: building, verifying, and catching every kind of tampering."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.core.audit import AuditLog, StoredRecord
from bot.core.audit.chain import GENESIS, HEAD_ROW, TABLE, encode, record_hash, row_key
from bot.core.audit.record import AuditRecord, event_record, record_from_turn
from bot.core.clock import system_clock
from bot.core.errors import StorageError
from bot.core.storage.base import Entity, Storage
from tests.audit.conftest import MONTH, NOW, Clock, model_turn


async def fill(audit: AuditLog, count: int, conversation: str = "conv-1") -> list[StoredRecord]:
    """`count` event records in one partition (one conversation)."""
    out = []
    for i in range(count):
        record = event_record("test", {"n": i}, now=NOW, turn_id=f"t{i}")
        out.append(await audit.append(_in(record, conversation)))
    return out


def _in(record: AuditRecord, conversation: str) -> AuditRecord:
    return replace(record, conversation_id=conversation)


async def test_records_are_chained_and_the_head_names_the_last(audit: AuditLog, storage: Storage) -> None:
    stored = await fill(audit, 5)
    assert [s.seq for s in stored] == [1, 2, 3, 4, 5]
    assert stored[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(stored))
    assert len({s.partition for s in stored}) == 1
    head = await storage.get(TABLE, stored[0].partition, HEAD_ROW)
    assert head is not None
    assert head.data["seq"] == 5
    assert head.data["hash"] == stored[-1].hash
    report = await audit.verify(MONTH)
    assert report.ok
    assert report.records == 5
    assert report.partitions[0].head_hash == stored[-1].hash


async def test_edited_text_is_reported_at_that_record(audit: AuditLog, storage: Storage) -> None:
    stored = await fill(audit, 5)
    target = await storage.get(TABLE, stored[2].partition, row_key(3))
    assert target is not None
    await storage.replace(TABLE, target.with_data(details='{"n":99}'))
    report = await audit.verify(MONTH)
    assert not report.ok
    (problem,) = report.problems
    assert (problem.seq, problem.kind, problem.row_key) == (3, "content_changed", row_key(3))


async def test_edited_text_with_a_recomputed_hash_breaks_the_next_link(
    audit: AuditLog, storage: Storage
) -> None:
    stored = await fill(audit, 4)
    forged_record = replace(stored[1].record, details={"n": "forged"})
    forged = replace(stored[1], record=forged_record)
    forged = replace(forged, hash=record_hash(forged_record, forged.partition, forged.seq, forged.prev_hash))
    await storage.upsert(TABLE, encode(forged))
    (problem,) = (await audit.verify(MONTH)).problems
    assert (problem.seq, problem.kind) == (3, "link_broken")


async def test_deleted_middle_record_is_reported_missing(audit: AuditLog, storage: Storage) -> None:
    stored = await fill(audit, 5)
    assert await storage.delete(TABLE, stored[0].partition, row_key(2))
    (problem,) = (await audit.verify(MONTH)).problems
    assert (problem.seq, problem.kind) == (2, "missing")


async def test_deleted_tail_is_reported_missing_from_the_head(audit: AuditLog, storage: Storage) -> None:
    stored = await fill(audit, 5)
    for seq in (4, 5):
        assert await storage.delete(TABLE, stored[0].partition, row_key(seq))
    (problem,) = (await audit.verify(MONTH)).problems
    assert (problem.seq, problem.kind) == (4, "missing")


async def test_changed_or_deleted_head_is_reported(audit: AuditLog, storage: Storage) -> None:
    stored = await fill(audit, 3)
    pk = stored[0].partition
    head = await storage.get(TABLE, pk, HEAD_ROW)
    assert head is not None
    await storage.replace(TABLE, head.with_data(hash="f" * 64))
    (problem,) = (await audit.verify(MONTH)).problems
    assert problem.kind == "head_mismatch"
    await storage.replace(TABLE, Entity(pk, HEAD_ROW, {"seq": 2, "hash": stored[1].hash}))
    (problem,) = (await audit.verify(MONTH)).problems
    assert problem.kind == "head_mismatch"  # head behind the last record
    await storage.delete(TABLE, pk, HEAD_ROW)
    (problem,) = (await audit.verify(MONTH)).problems
    assert problem.kind == "head_missing"


async def test_unreadable_record_and_head(audit: AuditLog, storage: Storage) -> None:
    stored = await fill(audit, 2)
    pk = stored[0].partition
    first = await storage.get(TABLE, pk, row_key(1))
    assert first is not None
    await storage.replace(TABLE, first.with_data(chars_in="many"))
    (problem,) = (await audit.verify(MONTH)).problems
    assert (problem.seq, problem.kind) == (1, "unreadable")
    await storage.replace(TABLE, Entity(pk, HEAD_ROW, {"seq": "x"}))
    with pytest.raises(StorageError):  # appending after a corrupted head fails closed
        await audit.append(stored[0].record)


async def test_only_the_broken_partition_is_reported(audit: AuditLog, storage: Storage) -> None:
    a = await fill(audit, 3, "conv-a")
    b = await fill(audit, 3, "conv-b")
    assert a[0].partition != b[0].partition
    await storage.delete(TABLE, b[0].partition, row_key(1))
    report = await audit.verify()
    assert [p.partition for p in report.problems] == [b[0].partition]
    assert len(report.partitions) == 2


async def test_concurrent_appends_keep_every_chain_valid(storage: Storage) -> None:
    audit = AuditLog(storage, shards=2, clock=system_clock)  # few partitions: heavy contention on each head
    tasks, per_task = 24, 4

    async def worker(n: int) -> list[StoredRecord]:
        out = []
        for i in range(per_task):
            record = event_record("load", {"task": n, "i": i}, now=NOW, turn_id=f"{n}-{i}")
            out.append(await audit.append(_in(record, f"conv-{n}")))
        return out

    results = [s for batch in await asyncio.gather(*(worker(n) for n in range(tasks))) for s in batch]
    report = await audit.verify(MONTH)
    assert report.ok, report.problems
    assert report.records == tasks * per_task
    per_partition = Counter(s.partition for s in results)
    for partition in report.partitions:
        assert partition.last_seq == per_partition[partition.partition]
    assert len({(s.partition, s.seq) for s in results}) == tasks * per_task


async def test_long_text_outside_the_bmp_round_trips(audit: AuditLog) -> None:
    turn = model_turn()
    assert turn.model is not None
    turn.model.masked_text = "𠮷野家の案内" * 6000  # 36,000 characters, 42,000 UTF-16 units
    stored = await audit.append(record_from_turn(turn, "start", now=NOW))
    (back,) = [s async for s in audit.iter_month(MONTH)]
    assert back.record.text == turn.model.masked_text
    assert back.hash == stored.hash
    assert (await audit.verify(MONTH)).ok


async def test_verify_of_one_month_or_all(storage: Storage) -> None:
    clock = Clock(datetime(2026, 10, 5, tzinfo=UTC))
    audit = AuditLog(storage, clock=clock)
    await audit.append(event_record("x", {}, now=clock()))
    await audit.append(event_record("x", {}, now=NOW))
    assert (await audit.verify("2026-10")).records == 1
    assert (await audit.verify(MONTH)).records == 1
    assert (await audit.verify()).records == 2
    assert (await audit.verify("2026-09")).partitions == ()
