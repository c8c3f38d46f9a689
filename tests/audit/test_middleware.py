"""AuditMiddleware in the real botbuilder middleware chain (TestAdapter)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from botbuilder.core import Middleware, TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.core.audit import RECORDER, AuditLog, recorder_of
from bot.core.errors import StorageError
from bot.core.storage.base import Storage
from bot.core.turn import TURN, Outcome, Turn
from bot.teams.stages.audit import AuditMiddleware
from tests.audit.conftest import MONTH, Clock, FlakyStorage, blocked_turn, model_turn

STORAGE_DOWN = "記録を残せないため送信しません"


class SetTurn(Middleware):
    """Stands in for the lead's first stage: puts a Turn on the turn state."""

    def __init__(self, make: Callable[[], Turn] | None) -> None:
        self.make = make
        self.turns: list[Turn] = []

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        if self.make is not None:
            turn = self.make()
            self.turns.append(turn)
            context.turn_state[TURN] = turn
        await logic()


class RefuseStage(Middleware):
    """Stands in for access/screening/quota: answers a refused turn and stops the chain."""

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        turn = context.turn_state.get(TURN)
        if turn is not None and turn.refused:
            await context.send_activity("この内容は送信できません")
            return
        await logic()


class FakeModel:
    """Counts calls; answers with placeholders."""

    def __init__(self) -> None:
        self.calls = 0

    async def answer(self, masked: str) -> str:
        self.calls += 1
        return "〔人名1〕様への案内文です。"


def dialog(model: FakeModel, *, explode: bool = False) -> Callable[[TurnContext], Awaitable[None]]:
    """The bot logic: begin the record, then (and only then) call the model."""

    async def logic(context: TurnContext) -> None:
        turn: Turn = context.turn_state[TURN]
        recorder = recorder_of(context.turn_state)
        assert recorder is not None
        if turn.model is None:
            await context.send_activity("ヘルプです")
            return
        try:
            await recorder.begin()
        except StorageError:
            await context.send_activity(STORAGE_DOWN)
            return
        turn.model.answer_text = await model.answer(turn.model.masked_text)
        if explode:
            raise RuntimeError("model client bug")
        await context.send_activity(turn.model.answer_text)

    return logic


def adapter_for(
    audit: AuditLog, make: Callable[[], Turn] | None, logic: Callable
) -> tuple[TestAdapter, SetTurn]:  # type: ignore[type-arg]
    adapter = TestAdapter(logic)
    first = SetTurn(make)
    for middleware in (first, AuditMiddleware(audit), RefuseStage()):
        adapter.use(middleware)  # one at a time (botbuilder 4.17 MiddlewareSet.use defect)
    return adapter, first


async def phases(audit: AuditLog) -> list[tuple[str, Outcome | None]]:
    return [(s.record.phase, s.record.outcome) async for s in audit.iter_month(MONTH)]


async def test_refused_turn_writes_one_single_record(audit: AuditLog) -> None:
    model = FakeModel()
    adapter, _ = adapter_for(audit, blocked_turn, dialog(model))
    await (await adapter.send("マイナンバーは…")).assert_reply("この内容は送信できません")
    assert await phases(audit) == [("single", Outcome.BLOCKED)]
    assert model.calls == 0


async def test_model_turn_writes_start_and_end(audit: AuditLog, no_secret_logged: None) -> None:
    model = FakeModel()
    adapter, first = adapter_for(audit, model_turn, dialog(model))
    await (await adapter.send("山田花子さん…")).assert_reply("〔人名1〕様への案内文です。")
    assert await phases(audit) == [("start", None), ("end", Outcome.ANSWERED)]
    records = [s.record async for s in audit.iter_month(MONTH)]
    assert {r.turn_id for r in records} == {first.turns[0].turn_id}
    assert records[1].answer == "〔人名1〕様への案内文です。"
    assert (await audit.verify(MONTH)).ok


async def test_storage_failure_in_begin_prevents_the_model_call(
    storage: Storage, clock: Clock, no_secret_logged: None
) -> None:
    flaky = FlakyStorage(storage)
    audit = AuditLog(flaky, clock=clock)  # type: ignore[arg-type]
    model = FakeModel()
    adapter, first = adapter_for(audit, model_turn, dialog(model))
    flaky.down = True
    await (await adapter.send("山田花子さん…")).assert_reply(STORAGE_DOWN)
    assert model.calls == 0
    assert first.turns[0].outcome is Outcome.FAILED
    flaky.down = False
    assert await phases(audit) == []


async def test_end_failure_does_not_break_the_reply(
    storage: Storage, clock: Clock, caplog: pytest.LogCaptureFixture, no_secret_logged: None
) -> None:
    flaky = FlakyStorage(storage)
    audit = AuditLog(flaky, clock=clock)  # type: ignore[arg-type]
    flaky.writes_left = 1  # the start record is written, the end record is not
    model = FakeModel()
    adapter, first = adapter_for(audit, model_turn, dialog(model))
    await (await adapter.send("山田花子さん…")).assert_reply("〔人名1〕様への案内文です。")
    assert model.calls == 1
    assert "audit end record not written" in caplog.text
    assert first.turns[0].turn_id in caplog.text
    report = await audit.verify(MONTH)
    assert report.ok
    assert report.incomplete_turns == (first.turns[0].turn_id,)


async def test_exception_is_recorded_and_re_raised(audit: AuditLog) -> None:
    adapter, _ = adapter_for(audit, model_turn, dialog(FakeModel(), explode=True))
    with pytest.raises(RuntimeError):
        await adapter.send("山田花子さん…")
    records = [s.record async for s in audit.iter_month(MONTH)]
    assert [(r.phase, r.outcome, r.error) for r in records][1] == ("end", Outcome.FAILED, "RuntimeError")


async def test_model_less_command_writes_a_single_record(audit: AuditLog) -> None:
    def help_turn() -> Turn:
        turn = model_turn()
        turn.model, turn.command, turn.outcome = None, "ヘルプ", Outcome.COMMAND
        return turn

    adapter, _ = adapter_for(audit, help_turn, dialog(FakeModel()))
    await (await adapter.send("ヘルプ")).assert_reply("ヘルプです")
    records = [s.record async for s in audit.iter_month(MONTH)]
    assert [(r.phase, r.command, r.outcome) for r in records] == [("single", "ヘルプ", Outcome.COMMAND)]


async def test_without_a_turn_the_chain_just_continues(audit: AuditLog) -> None:
    seen: list[bool] = []

    async def logic(context: TurnContext) -> None:
        seen.append(RECORDER in context.turn_state)
        await context.send_activity("ok")

    adapter, _ = adapter_for(audit, None, logic)
    await (await adapter.send("hi")).assert_reply("ok")
    assert seen == [False]
    assert await phases(audit) == []
