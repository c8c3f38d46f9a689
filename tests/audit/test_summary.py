"""The admin summary of a month."""

from __future__ import annotations

from bot.core.audit import AuditLog, TurnRecorder
from bot.core.turn import Turn
from tests.audit.conftest import MONTH, blocked_turn, caller, model_turn


async def test_summary_counts_departments_blocks_outcomes_and_uses(audit: AuditLog) -> None:
    for n in range(3):
        turn = model_turn(user=f"u{n}", conversation=f"c{n}")
        turn.details["template"] = "summary" if n else ""
        recorder = TurnRecorder(audit, turn)
        await recorder.begin()
        await recorder.finish()
    await TurnRecorder(audit, blocked_turn()).finish()
    help_turn = Turn(caller=caller(user="u9", conversation="c9", department="市民課"), command="ヘルプ")
    recorder = TurnRecorder(audit, help_turn)
    await recorder.finish()
    await recorder.event("feedback", {}, feedback="like")

    summary = await audit.summary(MONTH)
    assert summary.turns == 5
    assert summary.users == 5
    assert summary.incomplete == 0
    assert summary.by_department == (("情報政策課", 3), ("市民課", 2))
    assert summary.outcomes == (("answered", 3), ("blocked", 1), ("command", 1))
    assert summary.blocked_by_category == (("personal", 1),)
    assert set(summary.uses[:2]) == {("template:summary", 2), ("chat", 2)}
    assert ("ヘルプ", 1) in summary.uses
    assert summary.events == (("feedback", 1),)
    assert summary.chars_out == 3 * 21
