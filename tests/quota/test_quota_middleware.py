"""QuotaMiddleware driven through botbuilder's TestAdapter with real storage and a stand-in dialog."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from botbuilder.core import Middleware, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from bot.core.errors import StorageError
from bot.core.quota import Alert, QuotaService
from bot.core.storage.base import Storage
from bot.core.turn import TURN, Caller, ModelTurn, Outcome, Turn
from bot.teams.stages.quota import QuotaMiddleware
from bot.ui.quota import texts as quota_texts
from tests.quota.conftest import Clock, make_service

CONTACT = "情報政策課"


class PutTurn(Middleware):
    """Stands in for TurnMiddleware: puts a Turn (model-bound unless told otherwise) on the state."""

    def __init__(self, department: str = "税務課", *, model: bool = True, refused: bool = False) -> None:
        self.department, self.model, self.refused = department, model, refused
        self.turns: list[Turn] = []

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        activity = context.activity
        caller = Caller(
            user_id=activity.from_property.id,
            display_name="山田",
            tenant_id="t",
            conversation_id=activity.conversation.id,
            conversation_type="personal",
            department=self.department,
        )
        turn = Turn(caller=caller)
        if self.model:
            turn.model = ModelTurn(raw_text=activity.text, masked_text=activity.text)
            turn.outcome = Outcome.ANSWERED
        if self.refused:
            turn.refuse(Outcome.BLOCKED, "screening_block")
        context.turn_state[TURN] = turn
        self.turns.append(turn)
        await logic()


@dataclass
class StandInDialog:
    """Answers like the real dialog: within model.max_answer_chars, footer from the reservation."""

    answer_chars: int = 300
    mode: str = "answer"  # answer | fail | raise | break-storage
    storage: Storage | None = None
    calls: list[ModelTurn] = field(default_factory=list)

    async def __call__(self, context: TurnContext) -> None:
        model = context.turn_state[TURN].model
        if model is None:
            await context.send_activity("コマンドです")
            return
        self.calls.append(model)
        if self.mode == "raise":
            raise RuntimeError("model exploded")
        if self.mode == "fail":
            await context.send_activity("AIのサービスで障害が発生しています。")
            return
        model.answer_chars = min(self.answer_chars, model.max_answer_chars)
        model.completed = True
        if self.mode == "break-storage" and self.storage is not None:
            await self.storage.close()
        reservation = model.reservation
        footer = (
            quota_texts.footer(reservation, model.input_chars + model.answer_chars) if reservation else ""
        )
        await context.send_activity("あ" * model.answer_chars + "\n---\n" + footer)


@dataclass
class Bot:
    adapter: TestAdapter
    turns: PutTurn
    dialog: StandInDialog
    quota: QuotaService
    alerts: list[Alert]


def build(quota: QuotaService, dialog: StandInDialog, put: PutTurn | None = None) -> Bot:
    alerts: list[Alert] = []

    async def sink(alert: Alert) -> None:
        alerts.append(alert)

    put = put or PutTurn()
    adapter = TestAdapter(dialog)
    adapter.use(put)
    adapter.use(QuotaMiddleware(quota, contact=CONTACT, on_alert=sink))
    return Bot(adapter, put, dialog, quota, alerts)


async def replies(bot: Bot, text: str) -> list[str]:
    await bot.adapter.receive_activity(Activity(type="message", text=text))
    out = []
    while (activity := bot.adapter.get_next_activity()) is not None:
        out.append(activity.text)
    return out


async def test_answered_turn_is_settled_with_a_footer(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock, user_monthly_chars=5000)
    bot = build(quota, StandInDialog(answer_chars=300))
    [reply] = await replies(bot, "こんにちは、案内文を作って")  # 13 characters
    assert reply.endswith("今回 313 文字／今月の残り 約 9,687 文字（市全体）、約 4,687 文字（あなた）")
    turn = bot.turns.turns[0]
    assert turn.model is not None
    assert (turn.model.input_chars, turn.model.max_answer_chars) == (13, 1000)
    assert turn.details["quota"] == {"reserved": 1013, "shortened": False, "charged": 313}
    snap = await quota.snapshot(turn.caller.user_id, "税務課")
    assert (snap.org.used, snap.org.reserved, snap.user.used) == (313, 0, 313)


async def test_over_quota_is_refused_before_the_dialog(sqlite_storage: Storage, clock: Clock) -> None:
    filler = make_service(sqlite_storage, clock, org_monthly_chars=10_000_000, max_answer_chars=9_999_000)
    hog = await filler.reserve("hog", "", 1000)
    await filler.settle(hog, 9_999_990)
    quota = make_service(sqlite_storage, clock, org_monthly_chars=10_000_000, max_answer_chars=2000)
    bot = build(quota, StandInDialog())
    [reply] = await replies(bot, "質問です")
    assert reply == (
        "今月の利用上限（1,000万文字）に達しました。12月1日 0時から再び利用できます。"
        "お問い合わせは情報政策課へ"
    )
    assert bot.dialog.calls == []
    turn = bot.turns.turns[0]
    assert (turn.outcome, turn.error) == (Outcome.OVER_QUOTA, "quota_org")


async def test_personal_cap_refusal(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock, user_monthly_chars=1100)
    bot = build(quota, StandInDialog(answer_chars=1000))
    await replies(bot, "x" * 100)
    [reply] = await replies(bot, "もう一度")
    assert reply.startswith("今月のあなたの利用上限（1,100文字）に達しました。12月1日 0時から")
    assert bot.turns.turns[-1].error == "quota_user"


async def test_shortened_answer_when_the_month_is_nearly_used(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock, org_monthly_chars=1500)
    bot = build(quota, StandInDialog(answer_chars=5000))
    await replies(bot, "x" * 100)  # charges 1,100
    [reply] = await replies(bot, "y" * 100)  # 400 left: 100 + 300
    assert bot.dialog.calls[-1].max_answer_chars == 300
    note = "今月の残りが少ないため、回答を約300文字までに短くしています。"
    assert bot.dialog.calls[-1].footer_extra == [note]
    assert reply.startswith("あ" * 300 + "\n")
    assert (await quota.report()).used == 1500


async def test_failed_turn_releases(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock)
    bot = build(quota, StandInDialog(mode="fail"))
    await replies(bot, "質問です")
    report = await quota.report()
    assert (report.used, report.reserved) == (0, 0)


async def test_exception_releases_and_propagates(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock)
    bot = build(quota, StandInDialog(mode="raise"))
    with pytest.raises(RuntimeError, match="model exploded"):
        await replies(bot, "質問です")
    report = await quota.report()
    assert (report.used, report.reserved) == (0, 0)


async def test_commands_and_refused_turns_pass_through(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock)
    assert await replies(build(quota, StandInDialog(), PutTurn(model=False)), "ヘルプ") == ["コマンドです"]
    dialog = StandInDialog()
    await replies(build(quota, dialog, PutTurn(refused=True)), "blocked")
    assert dialog.calls[0].reservation is None
    assert await sqlite_storage.query("quota", "m2026-11") == []


async def test_storage_down_at_reserve_fails_closed(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock)
    await sqlite_storage.close()
    bot = build(quota, StandInDialog())
    with pytest.raises(StorageError):
        await replies(bot, "質問です")
    assert bot.dialog.calls == []


async def test_settlement_failure_after_the_answer_is_logged_not_raised(
    sqlite_storage: Storage, clock: Clock
) -> None:
    quota = make_service(sqlite_storage, clock)
    bot = build(quota, StandInDialog(mode="break-storage", storage=sqlite_storage))
    [reply] = await replies(bot, "質問です")
    assert "今回" in reply
    assert bot.turns.turns[0].details["quota"]["error"] == "settle"


async def test_threshold_alerts_reach_the_sink_once(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock, org_monthly_chars=4000)
    bot = build(quota, StandInDialog(answer_chars=1000))
    await replies(bot, "x" * 100)  # 1,100
    assert bot.alerts == []
    await replies(bot, "x" * 100)  # 2,200: 50 %
    await replies(bot, "x" * 100)  # 3,300: 80 %
    assert [a.threshold for a in bot.alerts] == [50, 80]
    await replies(bot, "x" * 10)  # 700 left: answer shortened to 690; 4,000: 95 % and 100 %
    assert [a.threshold for a in bot.alerts] == [50, 80, 95, 100]
    assert "上限" in quota_texts.alert_text(bot.alerts[-1])
