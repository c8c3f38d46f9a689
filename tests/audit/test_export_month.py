"""A realistic month, driven through the real endpoint, exported to CSV: no column is always empty.

The month (Maebashi, with approval): a consent, an application and its approval, answered turns
(one with a name and a phone number masked), a blocked turn (a My Number), a 部外秘 text confirmed
with a note, a thumbs-up with a comment, a model failure, and a turn whose process died before it
ended (a start record without an end, as the crash test leaves). Every column of the CSV must
carry a value in at least one row: a column that stays empty through all of that tells the
information policy division nothing and is dropped or filled. (Checked December 2026: every
column, the counts included, has values in such a month; this test keeps it so.)
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.core.audit import TurnRecorder
from bot.core.turn import Caller, ModelTurn, Turn
from bot.ui.audit.export import COLUMNS, export_month
from bot.ui.audit.texts import COLUMN_LABELS
from tests.fakes.battery import model_env, this_month
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import (
    actions_of,
    agree,
    card_of,
    channel_posts,
    execute,
    join_team,
    services_of,
    wait_records,
)
from tests.teams.harness import ADMIN_OID, TENANT, USER_OID, BotHarness

ADMIN_NAME = "情報 管理者"


async def _month_of_use(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(
        Behaviour(text="会議の案内文の案です。"),
        Behaviour(text="田中さん宛ての返信案です。"),
        Behaviour(text="要約しました。"),
        Behaviour(status=500),
    )
    await harness.start(**model_env(fake_openai, BOT_POLICY="maebashi", MODEL_TIMEOUT_SECONDS="10"))
    await join_team(harness)
    await agree(harness)
    data = {"department": "政策推進課", "staff_type": "正規職員", "purpose": "お知らせ文の素案作成"}
    await harness.post(execute(harness, "access.apply", data))
    await harness.connector.wait_for(lambda c: bool(channel_posts(harness)))
    card = card_of(channel_posts(harness)[0])
    approve = actions_of(card)["access.approve"]["data"]
    await harness.post(execute(harness, "access.approve", approve, user=ADMIN_OID, name=ADMIN_NAME))
    await wait_records(harness, lambda r: r.event == "access.approved")

    async def say(text: str, **fields: Any) -> None:
        before = len(harness.connector.messages())
        await harness.post(harness.message(text, **fields))
        await harness.connector.wait_for(lambda c: len(c.messages()) > before, timeout=30)

    await say("会議の案内文を作って")
    await say("田中一郎さん（090-1234-5678）への返信を作って")
    await say("マイナンバー 123456789018 の確認方法を教えて")
    await say("部外秘：次年度予算の査定方針案を要約して")

    def sends(c: Any) -> list[dict[str, Any]]:
        cards = [a["content"] for m in c.messages() for a in m.get("attachments") or []]
        return [
            x for card in cards for x in card.get("actions", []) if x["data"].get("verb") == "screening.send"
        ]

    await harness.connector.wait_for(lambda c: bool(sends(c)))
    send = sends(harness.connector)[-1]
    await say("", value={**send["data"], "note": "所属長の了承を得ています"})
    answer_id = next(
        p.activity_id for p in reversed(harness.connector.posted) if p.body.get("type") == "message"
    )
    vote = {
        "actionName": "feedback",
        "actionValue": {"reaction": "like", "feedback": json.dumps({"feedbackText": "助かりました"})},
    }
    activity = harness.activity(type="invoke", value=vote, replyToId=answer_id)
    activity["name"] = "message/submitAction"
    await harness.post(activity)
    await say("もう一つ案内文を作って")  # the model answers 500
    await wait_records(harness, lambda r: r.error != "")


async def _killed_turn(harness: BotHarness) -> None:
    """A start record whose end never came (the process was killed mid-answer)."""
    services = services_of(harness)
    assert services.audit is not None
    caller = Caller(
        user_id=USER_OID,
        display_name="市役所 太郎",
        tenant_id=TENANT,
        conversation_id=f"a:personal-{USER_OID}",
        conversation_type="personal",
        department="政策推進課",
    )
    turn = Turn(caller=caller, command="chat")
    turn.model = ModelTurn(raw_text="長めの文章を作って", source="chat")
    turn.model.masked_text = "長めの文章を作って"
    await TurnRecorder(services.audit, turn).begin()


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return list(reader)


async def test_every_column_of_a_realistic_month_has_a_value(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await _month_of_use(harness, fake_openai)
    await _killed_turn(harness)
    services = services_of(harness)
    assert services.audit is not None
    out = io.StringIO(newline="")
    count = await export_month(services.audit, this_month(), "csv", None, out)
    rows = _rows(out.getvalue())
    assert len(rows) == count
    kinds = {r[COLUMN_LABELS["event_code"]] for r in rows}
    assert {"access.consent", "access.apply", "access.approved", "feedback"} <= kinds, kinds
    empty = [COLUMN_LABELS[c] for c in COLUMNS if not any(_has_value(c, r[COLUMN_LABELS[c]]) for r in rows)]
    assert empty == [], f"columns empty all month: {empty}"


NUMBERS = frozenset({"chars_in", "chars_out", "tokens_in", "tokens_out", "latency_ms"})


def _has_value(column: str, cell: str) -> bool:
    """A cell that says something: a count column of zeros all month is as empty as a blank one."""
    value = cell.strip()
    return bool(value) and not (column in NUMBERS and value == "0")
