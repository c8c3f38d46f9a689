"""Card clicks answer at once; connector calls (channel posts, card updates, notices) follow.

Over real HTTP against the strict fake Bot Connector, told to hold a channel post for 5 s or to
refuse it: the invoke still gets a valid card well before the post lands, the post arrives later,
and a failed post is reported to the person who clicked (never only a log line).
"""

from __future__ import annotations

import time
from typing import Any

from tests.teams.access_helpers import card_of, card_text, execute, wait_records
from tests.teams.harness import ADMIN_OID, BotHarness
from tests.teams.support_helpers import (
    ADMIN_NAME,
    admin_posts,
    in_channel,
    install_in_team,
    introduce_admin,
    only_question,
    personal,
    thread_posts,
    updates,
    wait_personal,
)
from tests.teams.test_incidents import HEAD_NAME, HEAD_OID, _form, _values

CARD = "application/vnd.microsoft.card.adaptive"
HOLD_S = 5.0
QUESTION = "作成した案内文を市のホームページに載せるとき、注意することはありますか"


async def _timed(harness: BotHarness, activity: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    started = time.monotonic()
    status, body = await harness.post(activity)
    assert status == 200
    return time.monotonic() - started, body


async def _question_thread(harness: BotHarness) -> str:
    await harness.post(harness.message(f"問い合わせ {QUESTION}"))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) == 1)
    await wait_personal(harness, 1)
    return str(thread_posts(harness)[0].conversation_id)


async def test_an_incident_report_is_answered_before_a_slow_channel_post_lands(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    harness.connector.members[HEAD_OID] = {"id": "29:head", "name": HEAD_NAME, "aadObjectId": HEAD_OID}
    form = await _form(harness)
    harness.connector.delay_next(HOLD_S, new_thread=True)
    elapsed, body = await _timed(harness, execute(harness, "incident.submit", _values(form)))
    assert body["type"] == CARD
    assert "報告を受け付けました" in card_text(body["value"])
    assert admin_posts(harness) == [], "answered while the connector still held the post"
    assert elapsed < HOLD_S - 1, f"the click waited for the channel post ({elapsed:.1f} s)"
    await harness.connector.wait_for(lambda c: len(admin_posts(harness)) == 1, timeout=HOLD_S + 10)
    [reported] = await wait_records(harness, lambda r: r.event == "incident.reported")
    assert reported.details["category"] == "personal_info"


async def test_a_failed_incident_post_is_told_to_the_reporter_and_the_admins(harness: BotHarness) -> None:
    await harness.start()
    await introduce_admin(harness)
    await install_in_team(harness)
    harness.connector.members[HEAD_OID] = {"id": "29:head", "name": HEAD_NAME, "aadObjectId": HEAD_OID}
    form = await _form(harness)
    admin_before = len(personal(harness, ADMIN_OID))
    harness.connector.fail_next_thread(500)
    _, body = await _timed(harness, execute(harness, "incident.submit", _values(form)))
    assert body["type"] == CARD
    [*_, told] = await wait_personal(harness, 2)
    assert "投稿できませんでした" in told["text"]
    assert "電話" in told["text"]
    [*_, alert] = await wait_personal(harness, admin_before + 1, user=ADMIN_OID)
    assert "投稿できませんでした" in alert["text"]
    [not_posted] = await wait_records(harness, lambda r: r.event == "incident.not_posted")
    assert not_posted.details["error"] == "ConnectorFailed"
    assert admin_posts(harness) == []


async def test_an_admin_answer_is_answered_before_a_slow_card_update_and_relay(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    thread = await _question_thread(harness)
    ticket = await only_question(harness)
    harness.connector.delay_next(HOLD_S, method="POST")  # the relay to the asker's personal chat
    answer = execute(
        harness,
        "support.answer",
        {"ticket": ticket.id, "answer": "所属長の確認を受けてから公開してください。"},
        user=ADMIN_OID,
        name=ADMIN_NAME,
        **in_channel(thread),
    )
    elapsed, body = await _timed(harness, answer)
    assert body["type"] == CARD
    assert "回答済み" in card_text(body["value"])
    assert len(personal(harness)) == 1
    assert updates(harness, thread) == []
    assert elapsed < HOLD_S - 1, f"the click waited for the relay ({elapsed:.1f} s)"
    await wait_personal(harness, 2)
    await harness.connector.wait_for(lambda c: len(updates(harness, thread)) == 1, timeout=HOLD_S + 10)
    assert "回答済み" in card_text(card_of(updates(harness, thread)[0]))


async def test_a_failed_card_update_is_told_to_the_answering_admin(harness: BotHarness) -> None:
    await harness.start()
    await introduce_admin(harness)
    await install_in_team(harness)
    thread = await _question_thread(harness)
    ticket = await only_question(harness)
    before = len(personal(harness, ADMIN_OID))
    harness.connector.fail_next(404, activity_type="message", after=1)  # relay passes; the card is gone
    answer = execute(
        harness,
        "support.answer",
        {"ticket": ticket.id, "answer": "所属長の確認を受けてから公開してください。"},
        user=ADMIN_OID,
        name=ADMIN_NAME,
        **in_channel(thread),
    )
    _, body = await _timed(harness, answer)
    assert body["type"] == CARD
    [*_, told] = await wait_personal(harness, before + 1, user=ADMIN_OID)
    assert "カード" in told["text"]
    assert ticket.number in told["text"]
    [answered] = await wait_records(harness, lambda r: r.event == "support.answered")
    assert answered.details["relayed"] is True
    assert answered.details["card_updated"] is False


async def test_without_the_admins_chat_the_problem_is_told_in_the_thread(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)  # the admin never wrote to the bot: no personal chat known
    thread = await _question_thread(harness)
    ticket = await only_question(harness)
    harness.connector.fail_next(403, code="MessageWritesBlocked")  # the asker blocked the bot
    answer = execute(
        harness,
        "support.answer",
        {"ticket": ticket.id, "answer": "回答です。"},
        user=ADMIN_OID,
        name=ADMIN_NAME,
        **in_channel(thread),
    )
    _, body = await _timed(harness, answer)
    assert body["type"] == CARD
    [*_, note] = await harness.connector.wait_messages(2, thread)  # the question card, then the note
    assert ticket.number in note["text"]
    assert "届けられませんでした" in note["text"]
    assert "ブロック" not in note["text"], "the reason is for the admin, not for the whole channel"
