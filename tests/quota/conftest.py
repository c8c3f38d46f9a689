"""Quota test helpers: a clock we move by hand and a storage wrapper that counts round trips."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.policy import QuotaPolicy
from bot.core.quota import QuotaLimits, QuotaService
from bot.core.storage.base import Entity, Op, Storage

# 2026-11-20 10:00 JST
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


class Clock:
    """A settable clock (timezone-aware UTC)."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class CountingStorage:
    """Passes every call to a real backend and counts them by method (round trips)."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: Counter[str] = Counter()

    async def get(self, table: str, pk: str, rk: str) -> Entity | None:
        self.calls["get"] += 1
        return await self.inner.get(table, pk, rk)

    async def insert(self, table: str, entity: Entity) -> Entity:
        self.calls["insert"] += 1
        return await self.inner.insert(table, entity)

    async def replace(self, table: str, entity: Entity) -> Entity:
        self.calls["replace"] += 1
        return await self.inner.replace(table, entity)

    async def upsert(self, table: str, entity: Entity) -> Entity:
        self.calls["upsert"] += 1
        return await self.inner.upsert(table, entity)

    async def delete(self, table: str, pk: str, rk: str, etag: str = "") -> bool:
        self.calls["delete"] += 1
        return await self.inner.delete(table, pk, rk, etag)

    async def query(
        self, table: str, pk: str, *, rk_from: str = "", rk_to: str = "", limit: int = 0
    ) -> list[Entity]:
        self.calls["query"] += 1
        return await self.inner.query(table, pk, rk_from=rk_from, rk_to=rk_to, limit=limit)

    async def scan(self, table: str, *, pk_prefix: str = "") -> AsyncIterator[Entity]:
        self.calls["scan"] += 1
        async for entity in self.inner.scan(table, pk_prefix=pk_prefix):
            yield entity

    async def transact(self, table: str, ops: Sequence[Op]) -> list[Entity]:
        self.calls["transact"] += 1
        return await self.inner.transact(table, ops)

    async def ping(self) -> None:
        await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()

    @property
    def total(self) -> int:
        return sum(self.calls.values())


def quota_policy(**changes: object) -> QuotaPolicy:
    """Iwaki's [quota] section, with changes."""
    values: dict[str, object] = {
        "org_monthly_chars": 10_000_000,
        "user_monthly_chars": None,
        "department_monthly_chars": None,
        "max_answer_chars": 2000,
        "max_input_chars": 4000,
        "count_history": False,
        "count_system_prompt": False,
        "alert_thresholds": (50, 80, 95, 100),
        "reservation_ttl_seconds": 300,
        "coaching_tip": "「300字以内で回答ください」のように指示すると文字数を節約できます。",
        "long_prompt_chars": 800,
    }
    values.update(changes)
    return QuotaPolicy(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_service(storage: Storage, clock: Clock, **limits: object) -> QuotaService:
    """A QuotaService with small defaults: org 10,000, answers up to 1,000."""
    values: dict[str, object] = {"org_monthly_chars": 10_000, "max_answer_chars": 1000}
    values.update(limits)
    return QuotaService(storage, QuotaLimits(**values), clock=clock)  # type: ignore[arg-type]
