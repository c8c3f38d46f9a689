"""Fixtures of the records tests: turns, a clock that moves only when told, failing storage.

The `storage` fixture (tests/conftest.py) runs every test that uses it on SQLite and on Azurite.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import pytest

from bot.core.audit import AuditLog
from bot.core.errors import StorageError
from bot.core.storage.base import Storage
from bot.core.turn import Caller, ModelTurn, Outcome, Turn

NOW = datetime(2026, 11, 22, 9, 41, 3, tzinfo=UTC)  # 18:41:03 in Japan
MONTH = "2026-11"
RAW_SECRET = "山田花子さん 090-1234-5678"  # what the user typed: must never be stored or logged
MASKED = "〔人名1〕さん 〔電話番号1〕 への案内文を作って"


class Clock:
    """A clock that moves only when told."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Action(StrEnum):
    """Stands in for the screening action enum."""

    MASK = "mask"
    BLOCK = "block"


@dataclass
class FakeFinding:
    kind: str
    category: str
    display: str = "0** **** **78"  # a partly hidden value: must never reach a record


@dataclass
class FakeScreening:
    action: Action
    findings: tuple[FakeFinding, ...]
    masked_text: str = MASKED


def caller(user: str = "user-1", conversation: str = "conv-1", department: str = "情報政策課") -> Caller:
    """A staff member in a personal chat."""
    return Caller(
        user_id=user,
        display_name="岩城 太郎",
        tenant_id="tenant-1",
        conversation_id=conversation,
        conversation_type="personal",
        department=department,
    )


def model_turn(user: str = "user-1", conversation: str = "conv-1", department: str = "情報政策課") -> Turn:
    """A turn bound for the model, screened and answered."""
    turn = Turn(caller=caller(user, conversation, department), outcome=Outcome.ANSWERED)
    screening = FakeScreening(
        Action.MASK, (FakeFinding("person_name", "personal"), FakeFinding("phone", "personal"))
    )
    turn.model = ModelTurn(
        raw_text=RAW_SECRET,
        masked_text=MASKED,
        screening=screening,
        input_chars=len(MASKED),
        answer_text="〔人名1〕様\nいつもお世話になっております。",
        answer_chars=21,
        tokens_in=30,
        tokens_out=20,
        model_name="gpt-4o",
        deployment="gpt-4o-prod",
        completed=True,
    )
    return turn


def blocked_turn(user: str = "user-2", conversation: str = "conv-2", department: str = "市民課") -> Turn:
    """A turn screening blocked (a My Number was typed)."""
    turn = Turn(caller=caller(user, conversation, department))
    turn.model = ModelTurn(
        raw_text="マイナンバー 1234 5678 9018",
        screening=FakeScreening(Action.BLOCK, (FakeFinding("my_number", "personal"),), masked_text=""),
    )
    turn.refuse(Outcome.BLOCKED, "screening")
    return turn


class FlakyStorage:
    """A real backend that fails on demand, as an unreachable backend would (StorageError)."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self.name = inner.name
        self.down = False
        self.writes_left: int | None = None  # fail every write after this many
        self.writes = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _check(self) -> None:
        if self.down:
            raise StorageError("storage unreachable (test)")

    async def get(self, table: str, pk: str, rk: str) -> Any:
        self._check()
        return await self.inner.get(table, pk, rk)

    async def insert(self, table: str, entity: Any) -> Any:
        """Records are written as inserts (into the inbox): these are the writes counted."""
        self._check()
        if self.writes_left is not None and self.writes >= self.writes_left:
            raise StorageError("storage unreachable (test)")
        self.writes += 1
        return await self.inner.insert(table, entity)

    async def transact(self, table: str, ops: Any) -> Any:
        self._check()
        return await self.inner.transact(table, ops)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def audit(storage: Storage, clock: Clock) -> AuditLog:
    """The records on each backend."""
    return AuditLog(storage, clock=clock)


@pytest.fixture
def no_secret_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails the test if anything the user typed (or the masked text) reached a log line."""
    caplog.set_level("DEBUG")
    yield
    for fragment in ("山田", "090-1234", "1234 5678", "〔人名1〕"):
        assert fragment not in caplog.text
