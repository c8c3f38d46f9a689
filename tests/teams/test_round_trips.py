"""Storage round trips per warm turn, counted (not timed): the cost that dominates a turn on Azure Tables.

Every call of a storage method is one round trip on Azure Table Storage (a `scan` page too). The
count is deterministic, so it is a test and not a benchmark; tests/benchmarks/bench_pipeline.py
measures the time. Each call is attributed to the pipeline stage it ran in (the handler after the
last stage), and the test prints the cost by stage so the next regression shows where it came from:

    .venv/bin/python -m pytest -q -s tests/teams/test_round_trips.py
"""

from __future__ import annotations

import asyncio
import contextvars
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from botbuilder.core import Middleware, TurnContext

from bot.core.storage.sqlite import SqliteStorage
from bot.teams import pipeline
from tests.teams.harness import BotHarness

METHODS = ("get", "insert", "replace", "upsert", "delete", "query", "transact")
WARM_TURN_BUDGET = 5  # issue 13: state read once (one partition query), the end record handed to the chainer
CHAINER = ("get audit", "query auditq", "transact audit", "transact auditq")
"""Calls of the background chainer (issue 11, its own task: stage "outside"): off the turn's path,
and shared by every record waiting when it runs (one batch per partition under load); counted
apart, with their own bound."""
CHAINER_BUDGET_UNBATCHED = 8  # this turn's two records, each chained on its own


STAGE: contextvars.ContextVar[str] = contextvars.ContextVar("stage", default="outside")


class Attributed(Middleware):
    """Runs a stage with its name in STAGE; what runs after the last stage is the handler's."""

    def __init__(self, inner: Middleware, name: str) -> None:
        self.inner, self.name = inner, name

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        async def inner_logic() -> None:
            STAGE.set("handler")
            try:
                await logic()
            finally:
                STAGE.set(self.name)

        STAGE.set(self.name)
        await self.inner.on_turn(context, inner_logic)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts every SQLite storage call by stage, method and table."""
    calls: Counter[str] = Counter()
    for name in METHODS:
        original = getattr(SqliteStorage, name)

        def make(original: Any, name: str) -> Any:
            async def wrapper(self: SqliteStorage, table: str, *args: Any, **kwargs: Any) -> Any:
                calls[f"{STAGE.get()}: {name} {table}"] += 1
                return await original(self, table, *args, **kwargs)

            return wrapper

        monkeypatch.setattr(SqliteStorage, name, make(original, name))
    stages = pipeline.middlewares

    def attributed(services: Any) -> list[Middleware]:
        return [Attributed(m, type(m).__name__.removesuffix("Middleware").lower()) for m in stages(services)]

    monkeypatch.setattr(pipeline, "middlewares", attributed)
    return calls


async def _turn(harness: BotHarness, text: str, expected: int, calls: Counter[str]) -> None:
    """Post and wait until the answer is out and the turn's last writes (settle, record) are done."""
    await harness.post(harness.message(text))
    await harness.connector.wait_messages(expected)
    quiet, seen = 0, -1
    while quiet < 5:  # the count has not moved for 5 × 50 ms: the turn is over
        await asyncio.sleep(0.05)
        total = sum(calls.values())
        quiet, seen = (quiet + 1, seen) if total == seen else (0, total)


async def test_a_warm_turn_stays_within_its_round_trip_budget(
    harness: BotHarness, counted: Counter[str]
) -> None:
    await harness.start()
    await _turn(harness, "市民まつりの案内文を作って", 1, counted)  # cold: references, state created
    counted.clear()
    await _turn(harness, "もう少し短くして", 2, counted)
    chainer = sum(n for key, n in counted.items() if key.startswith("outside: ") and key[9:] in CHAINER)
    total = sum(counted.values()) - chainer
    print(f"\nstorage round trips in a warm turn: {total} (+ background chainer {chainer})")
    for where, count in sorted(counted.items()):
        print(f"  {count}  {where}")
    assert total <= WARM_TURN_BUDGET, dict(counted)
    assert chainer <= CHAINER_BUDGET_UNBATCHED, dict(counted)
