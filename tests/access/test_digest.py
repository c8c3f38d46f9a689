"""The weekly digest task: Mondays 09:00 JST, sent by exactly one of several processes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bot.access.schedule import JST
from bot.policy import load_policy
from bot.storage.sqlite import SqliteStorage
from bot.teams.features import digest


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_two_processes_send_each_weekly_digest_once(
    sqlite_storage: SqliteStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(datetime(2026, 11, 22, 12, 0, tzinfo=JST))  # Sunday noon
    services = SimpleNamespace(storage=sqlite_storage, clock=clock, policy=load_policy("maebashi"))
    sent: list[datetime] = []
    sleeps: list[float] = []

    async def fake_send(_services: Any, now: datetime) -> int:
        sent.append(now)
        return 1

    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) > 6:
            raise asyncio.CancelledError
        clock.now = digest.next_digest_at(clock.now)  # both "processes" wake at the same Monday 09:00
        await real_sleep(0)

    monkeypatch.setattr(digest, "send_weekly_digest", fake_send)
    monkeypatch.setattr(digest.asyncio, "sleep", fake_sleep)
    results = await asyncio.gather(
        digest.run_weekly(services),
        digest.run_weekly(services),
        return_exceptions=True,  # type: ignore[arg-type]
    )
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    weeks = sorted({t.astimezone(JST).date() for t in sent})
    assert len(sent) == len(weeks)  # never twice for one week
    assert all(t.astimezone(JST).weekday() == 0 and t.astimezone(JST).hour == 9 for t in sent)
    assert weeks[0] == datetime(2026, 11, 23, tzinfo=UTC).date()


async def test_the_task_is_cancelled_cleanly(sqlite_storage: SqliteStorage) -> None:
    clock = Clock(datetime(2026, 11, 22, 12, 0, tzinfo=JST))
    services = SimpleNamespace(storage=sqlite_storage, clock=clock, policy=load_policy("maebashi"))
    async with digest.weekly_digest(services) as task:  # type: ignore[arg-type]
        assert task is not None
        await asyncio.sleep(0)
        assert not task.done()
    assert task.cancelled()
    async with digest.weekly_digest(SimpleNamespace(policy=load_policy("iwaki"))) as none:  # type: ignore[arg-type]
        assert none is None  # no approvals, no digest
