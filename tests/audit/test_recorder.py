"""TurnRecorder without botbuilder: begin/finish/event, month pinning, incomplete turns."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.core.audit import AuditLog, TurnRecorder
from bot.core.audit.recorder import error_kind
from bot.core.clock import system_clock
from bot.core.errors import StorageError
from bot.core.model.base import ModelError, ModelErrorKind
from bot.core.storage.base import Storage
from bot.core.turn import Outcome
from tests.audit.conftest import MASKED, MONTH, Clock, FlakyStorage, blocked_turn, model_turn


async def records(audit: AuditLog, month: str = MONTH) -> list:  # type: ignore[type-arg]
    return [s.record async for s in audit.iter_month(month)]


async def test_begin_then_finish_writes_start_and_end(audit: AuditLog) -> None:
    recorder = TurnRecorder(audit, model_turn())
    await recorder.begin()
    await recorder.begin()  # idempotent
    assert recorder.began
    await recorder.finish()
    assert await recorder.finish() is None  # once only
    start, end = await records(audit)
    assert (start.phase, end.phase) == ("start", "end")
    assert start.turn_id == end.turn_id
    assert start.text == MASKED
    assert end.text == ""
    report = await audit.verify(MONTH)
    assert report.ok
    assert report.incomplete_turns == ()


async def test_finish_without_begin_writes_one_single_record(audit: AuditLog) -> None:
    await TurnRecorder(audit, blocked_turn()).finish()
    (single,) = await records(audit)
    assert (single.phase, single.outcome) == ("single", Outcome.BLOCKED)


async def test_killed_mid_stream_turn_is_reported_incomplete_not_missing(audit: AuditLog) -> None:
    turn = model_turn()
    await TurnRecorder(audit, turn).begin()  # the process dies here: finish never runs
    await TurnRecorder(audit, model_turn(conversation="conv-9")).finish()
    report = await audit.verify(MONTH)
    assert report.ok
    assert report.incomplete_turns == (turn.turn_id,)
    summary = await audit.summary(MONTH)
    assert summary.incomplete == 1
    assert ("incomplete", 1) in summary.outcomes


async def test_end_record_goes_with_its_start_across_the_month_end(storage: Storage) -> None:
    clock = Clock(datetime(2026, 11, 30, 14, 59, 59, tzinfo=UTC))  # 23:59:59 JST on 30 Nov
    audit = AuditLog(storage, clock=clock)
    recorder = TurnRecorder(audit, model_turn())
    await recorder.begin()
    clock.advance(seconds=5)  # 1 Dec in Japan
    await recorder.finish()
    assert [r.phase for r in await records(audit, "2026-11")] == ["start", "end"]
    assert await records(audit, "2026-12") == []
    assert (await audit.verify("2026-11")).incomplete_turns == ()


async def test_begin_failure_raises_and_marks_the_turn_failed(storage: Storage, clock: Clock) -> None:
    flaky = FlakyStorage(storage)
    audit = AuditLog(flaky, clock=clock)  # type: ignore[arg-type]
    turn = model_turn()
    recorder = TurnRecorder(audit, turn)
    flaky.down = True
    with pytest.raises(StorageError):
        await recorder.begin()
    assert (turn.outcome, turn.error) == (Outcome.FAILED, "audit_unavailable")
    assert await recorder.finish() is None  # logged, not raised
    flaky.down = False
    assert await records(audit) == []


async def test_event_records_the_caller_and_details(audit: AuditLog) -> None:
    turn = model_turn()
    recorder = TurnRecorder(audit, turn)
    await recorder.event("feedback", {"reply_to": "act-1"}, feedback="dislike")
    await recorder.event("forged_action", {"verb": "approve", "application": "app-7"})
    votes = await records(audit)
    assert [r.event for r in votes] == ["feedback", "forged_action"]
    assert votes[0].feedback == "dislike"
    assert votes[0].turn_id == turn.turn_id
    assert votes[1].details == {"verb": "approve", "application": "app-7"}


def test_note_failure_keeps_an_earlier_verdict() -> None:
    turn = model_turn()
    recorder = TurnRecorder(AuditLog(None, clock=system_clock), turn)  # type: ignore[arg-type]
    recorder.note_failure(asyncio.CancelledError())
    assert (turn.outcome, turn.error) == (Outcome.STOPPED, "cancelled")
    blocked = blocked_turn()
    TurnRecorder(AuditLog(None, clock=system_clock), blocked).note_failure(RuntimeError("boom"))  # type: ignore[arg-type]
    assert (blocked.outcome, blocked.error) == (Outcome.BLOCKED, "screening")


def test_error_kind_names_the_type_and_kind_never_the_message() -> None:
    assert error_kind(ModelError(ModelErrorKind.TIMEOUT, "user text here")) == "ModelError:timeout"
    assert error_kind(ValueError("山田花子")) == "ValueError"
