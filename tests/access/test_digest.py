"""The weekly digest task: Mondays 09:00 JST, sent by exactly one of several processes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from bot.core.access import AccessStore
from bot.core.access.schedule import JST
from bot.core.policy import load_policy
from bot.core.storage.sqlite import SqliteStorage
from bot.teams.channels import Outreach
from bot.teams.features.access import digest


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


NO_OUTREACH: Outreach = SimpleNamespace()  # type: ignore[assignment]  # sending is replaced in these tests


def maebashi_digest(storage: SqliteStorage, clock: Clock) -> digest.WeeklyDigest:
    return digest.WeeklyDigest(load_policy("maebashi"), AccessStore(storage, clock), NO_OUTREACH, clock)


async def test_the_loop_sleeps_until_monday_nine_and_sends_each_week(
    sqlite_storage: SqliteStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(datetime(2026, 11, 22, 12, 0, tzinfo=JST))  # Sunday noon
    sent: list[datetime] = []
    slept: list[float] = []

    async def fake_send(_services: Any, now: datetime) -> int:
        sent.append(now)
        return 1

    async def fake_sleep(seconds: float) -> None:
        if len(slept) == 3:
            raise asyncio.CancelledError
        slept.append(seconds)
        clock.now += timedelta(seconds=seconds)

    monkeypatch.setattr(digest, "send_weekly_digest", fake_send)
    monkeypatch.setattr(digest.asyncio, "sleep", fake_sleep)
    with pytest.raises(asyncio.CancelledError):
        await digest.run_weekly(maebashi_digest(sqlite_storage, clock))
    assert slept == [21 * 3600, 7 * 24 * 3600, 7 * 24 * 3600]
    assert [t.strftime("%m-%d %H:%M %a") for t in sent] == [
        "11-23 09:00 Mon",
        "11-30 09:00 Mon",
        "12-07 09:00 Mon",
    ]


async def test_of_two_processes_only_one_sends_a_week(
    sqlite_storage: SqliteStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=JST))
    sent: list[datetime] = []

    async def fake_send(_services: Any, now: datetime) -> int:
        sent.append(now)
        return 1

    monkeypatch.setattr(digest, "send_weekly_digest", fake_send)
    one, two = maebashi_digest(sqlite_storage, clock), maebashi_digest(sqlite_storage, clock)
    due = clock.now
    claimed = await asyncio.gather(digest.run_once(one, due), digest.run_once(two, due))
    assert sorted(claimed) == [False, True]
    assert len(sent) == 1


async def test_the_task_is_cancelled_cleanly(sqlite_storage: SqliteStorage) -> None:
    clock = Clock(datetime(2026, 11, 22, 12, 0, tzinfo=JST))
    services = SimpleNamespace(
        policy=load_policy("maebashi"),
        access=AccessStore(sqlite_storage, clock),
        outreach=NO_OUTREACH,
        clock=clock,
    )
    async with digest.weekly_digest(services) as task:  # type: ignore[arg-type]
        assert task is not None
        await asyncio.sleep(0)
        assert not task.done()
    assert task.cancelled()
    async with digest.weekly_digest(SimpleNamespace(policy=load_policy("iwaki"))) as none:  # type: ignore[arg-type]
        assert none is None  # no approvals, no digest
