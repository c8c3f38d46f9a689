"""Anchors catch what the chain alone cannot: a truncated chain, a rewritten tail, a deleted month."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.audit import AuditLog, StoredRecord
from bot.core.audit.anchors import Anchor, FileAnchorSink, TableAnchorSink
from bot.core.audit.chain import HEAD_ROW, TABLE, encode, head_entity, record_hash, row_key
from bot.core.audit.record import event_record
from bot.core.storage.base import Storage
from tests.audit.conftest import MONTH, NOW


async def _fill(audit: AuditLog, count: int, conversation: str = "conv-1") -> list[StoredRecord]:
    out = []
    for i in range(count):
        record = replace(
            event_record("test", {"n": i}, now=NOW, turn_id=f"t{i}"), conversation_id=conversation
        )
        out.append(await audit.append(record))
    return out


async def _rewrite_tail(storage: Storage, stored: list[StoredRecord], keep: int, new: int) -> None:
    """What an insider with the bot's own write access does: cut the chain after `keep` records,
    append `new` forged ones with correct hashes, and move the head: the chain verifies."""
    pk = stored[0].partition
    for s in stored[keep:]:
        await storage.delete(TABLE, pk, row_key(s.seq))
    prev = stored[keep - 1]
    for i in range(new):
        record = replace(prev.record, record_id=f"forged-{i}", details={"n": "forged"})
        seq = prev.seq + 1
        forged = StoredRecord(record, pk, seq, prev.hash, record_hash(record, pk, seq, prev.hash))
        await storage.upsert(TABLE, encode(forged))
        prev = forged
    head = await storage.get(TABLE, pk, HEAD_ROW)
    assert head is not None
    await storage.upsert(TABLE, replace(head_entity(pk, prev, None), etag=""))


async def test_a_truncated_chain_passes_alone_and_fails_against_the_anchor(
    audit: AuditLog, storage: Storage
) -> None:
    stored = await _fill(audit, 6)
    anchor = await audit.anchor([MONTH])
    assert anchor.heads == {stored[0].partition: (6, stored[-1].hash)}
    await _rewrite_tail(storage, stored, keep=4, new=0)
    assert (await audit.verify(MONTH)).ok, "the chain alone cannot see a cleanly cut tail"
    report = await audit.verify(MONTH, [anchor])
    assert not report.ok
    (problem,) = report.problems
    assert (problem.kind, problem.seq) == ("truncated", 6)


async def test_a_rewritten_tail_is_reported_against_the_anchor(audit: AuditLog, storage: Storage) -> None:
    stored = await _fill(audit, 6)
    anchor = await audit.anchor([MONTH])
    await _rewrite_tail(storage, stored, keep=3, new=3)  # same length, different content
    assert (await audit.verify(MONTH)).ok
    (problem,) = (await audit.verify(MONTH, [anchor])).problems
    assert (problem.kind, problem.seq) == ("anchor_mismatch", 6)


async def test_a_deleted_month_is_reported_unless_it_was_purged(audit: AuditLog, storage: Storage) -> None:
    a = await _fill(audit, 2, "conv-a")
    b = await _fill(audit, 2, "conv-b")
    anchor = await audit.anchor([MONTH])
    for s in a + b:
        await storage.delete(TABLE, s.partition, row_key(s.seq))
    for pk in {a[0].partition, b[0].partition}:
        await storage.delete(TABLE, pk, HEAD_ROW)
    assert (await audit.verify(MONTH)).ok, "nothing left to check without anchors"
    report = await audit.verify(None, [anchor])
    assert sorted(p.kind for p in report.problems) == ["partition_missing", "partition_missing"]
    purge = Anchor("2027-12-01T00:00:00.000Z", purged_before="2026-12")
    assert (await audit.verify(None, [anchor, purge])).ok, "a purge on record explains the gap"


async def test_later_records_do_not_upset_an_older_anchor(audit: AuditLog) -> None:
    await _fill(audit, 3)
    anchor = await audit.anchor([MONTH])
    await _fill(audit, 3)
    report = await audit.verify(MONTH, [anchor])
    assert report.ok
    assert report.anchors == 1


async def test_the_file_sink_appends_and_refuses_a_doctored_line(audit: AuditLog, tmp_path: Path) -> None:
    sink = FileAnchorSink(tmp_path / "anchors.jsonl")
    await _fill(audit, 2)
    first = await audit.anchor([MONTH])
    await sink.append(first)
    await _fill(audit, 1)
    await sink.append(await audit.anchor([MONTH]))
    assert (await sink.read())[0].heads == first.heads
    lines = sink.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    doctored = json.loads(lines[0])
    doctored["heads"] = {k: [1, v[1]] for k, v in doctored["heads"].items()}
    sink.path.write_text(json.dumps(doctored) + "\n" + lines[1] + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="fingerprint"):
        await sink.read()


async def test_the_table_sink_keeps_every_anchor(audit: AuditLog, storage: Storage) -> None:
    sink = TableAnchorSink(storage)
    await _fill(audit, 1)
    await sink.append(await audit.anchor([MONTH]))
    await _fill(audit, 1)
    await sink.append(await audit.anchor([MONTH], NOW.replace(minute=59)))
    anchors = await sink.read()
    assert [next(iter(a.heads.values()))[0] for a in anchors] == [1, 2]
    assert (await audit.verify(MONTH, anchors)).ok
