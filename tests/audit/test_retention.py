"""Purging: never inside the retention period; older months go completely, and the purge is recorded."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.core.audit import AuditLog, RetentionError
from bot.core.audit.record import event_record
from bot.core.audit.retention import check_purge, oldest_kept_month
from bot.core.clock import system_clock
from bot.core.storage.base import Storage
from bot.ui.audit.texts import retention_refused

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def test_oldest_kept_month_keeps_whole_months() -> None:
    assert oldest_kept_month(NOW, 12) == "2025-11"
    assert (
        oldest_kept_month(datetime(2026, 10, 31, 15, 0, tzinfo=UTC), 1) == "2026-10"
    )  # already 1 Nov in Japan
    with pytest.raises(ValueError, match="at least 1"):
        oldest_kept_month(NOW, 0)


def test_check_purge_refuses_inside_retention_with_a_clear_message() -> None:
    check_purge("2025-11", 12, NOW)
    with pytest.raises(RetentionError) as refused:
        check_purge("2025-12", 12, NOW)
    error = refused.value
    assert re.search(
        r"保存期間（12か月）.*2025-11",
        retention_refused(error.before_month, error.oldest_kept, error.retention_months),
    )
    with pytest.raises(ValueError, match="YYYY-MM"):
        check_purge("2025-13", 12, NOW)


async def seed(storage: Storage) -> AuditLog:
    audit = AuditLog(storage, clock=system_clock)
    for month in ((2025, 9), (2025, 10), (2025, 11), (2026, 11)):
        when = datetime(*month, 10, tzinfo=UTC)
        for conversation in ("a", "b", "c"):
            record = event_record("x", {}, now=when)
            await audit.append(replace(record, conversation_id=conversation))
    return audit


async def test_purge_refuses_within_retention_and_deletes_nothing(storage: Storage) -> None:
    audit = await seed(storage)
    with pytest.raises(RetentionError):
        await audit.purge("2026-01", 12, NOW)
    assert (await audit.verify()).records == 12


async def test_dry_run_only_counts(storage: Storage) -> None:
    audit = await seed(storage)
    report = await audit.purge("2025-11", 12, NOW, dry_run=True)
    assert (report.months, report.records, report.dry_run) == (("2025-09", "2025-10"), 6, True)
    assert (await audit.verify()).records == 12


async def test_purge_deletes_older_months_and_records_itself(storage: Storage) -> None:
    audit = await seed(storage)
    report = await audit.purge("2025-11", 12, NOW)
    assert (report.months, report.records) == (("2025-09", "2025-10"), 6)
    after = await audit.verify()
    assert after.ok
    assert {p.partition.split(".")[0] for p in after.partitions} == {"2025-11", "2026-11"}
    purge_events = [s.record async for s in audit.iter_month("2026-11") if s.record.event == "records_purged"]
    assert purge_events[0].details == {"before": "2025-11", "months": ["2025-09", "2025-10"], "records": 6}
    assert (await audit.purge("2025-11", 12, NOW)).records == 0
