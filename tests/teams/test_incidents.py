"""Incident reports (報告) over real HTTP: form → admin channel, head of section mentioned → status."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.tickets import INCIDENT, Ticket, TicketStore
from bot.ui.common import admin_only
from bot.ui.incidents import texts
from bot.ui.incidents.cards import ACK, RESOLVE, SUBMIT
from tests.teams.access_helpers import (
    actions_of,
    card_of,
    card_text,
    events,
    execute,
    services_of,
    wait_records,
)
from tests.teams.harness import ADMIN_OID, BotHarness
from tests.teams.support_helpers import (
    ADMIN_NAME,
    admin_posts,
    database_text,
    in_channel,
    install_in_team,
    personal,
    updates,
    wait_personal,
)

HEAD_OID = "aaaaaaaa-0000-0000-0000-0000000000cc"
HEAD_NAME = "所属 課長"
OTHER_OID = "aaaaaaaa-0000-0000-0000-0000000000bb"
CARD = "application/vnd.microsoft.card.adaptive"
DESCRIPTION = "住民からの問い合わせ文を要約する際、住民の氏名と住所をそのまま入力してしまいました。"


async def _form(harness: BotHarness) -> dict[str, Any]:
    """報告 → the form card."""
    await harness.post(harness.message("報告"))
    return card_of((await wait_personal(harness, len(personal(harness)) + 1))[-1])


def _values(form: dict[str, Any], **changes: str) -> dict[str, Any]:
    submit = actions_of(form)[SUBMIT]
    values = {"category": "personal_info", "date": "2026-11-20", "time": "14:30", "description": DESCRIPTION}
    return {**submit["data"], **values, "head": HEAD_OID, **changes}


async def _submit(harness: BotHarness, data: dict[str, Any]) -> dict[str, Any]:
    status, body = await harness.post(execute(harness, SUBMIT, data))
    assert status == 200
    result: dict[str, Any] = body
    return result


async def _act(
    harness: BotHarness, verb: str, thread: str, data: dict[str, Any], user: str = ADMIN_OID
) -> Any:
    name = ADMIN_NAME if user == ADMIN_OID else "別の 職員"
    status, body = await harness.post(
        execute(harness, verb, data, user=user, name=name, **in_channel(thread))
    )
    assert status == 200
    return body


async def _incident(harness: BotHarness) -> Ticket:
    services = services_of(harness)
    [entity] = [e async for e in services.storage.scan("support", pk_prefix=INCIDENT)]
    ticket = await TicketStore(services.storage, services.clock).get(INCIDENT, entity.row_key)
    assert ticket is not None
    return ticket


async def _reported(harness: BotHarness) -> tuple[dict[str, Any], str]:
    """A report filed; returns (the channel card, the thread id)."""
    harness.connector.members[HEAD_OID] = {"id": "29:head", "name": HEAD_NAME, "aadObjectId": HEAD_OID}
    body = await _submit(harness, _values(await _form(harness)))
    assert body["type"] == CARD
    assert "報告を受け付けました" in card_text(body["value"])
    await harness.connector.wait_for(lambda c: len(admin_posts(harness)) == 1)  # posted after the click
    [post] = admin_posts(harness)
    return card_of(post.body), str(post.conversation_id)


async def test_the_form_has_the_categories_date_time_and_a_people_picker(harness: BotHarness) -> None:
    await harness.start()
    form = await _form(harness)
    inputs = {item.get("id"): item for item in form["body"] if isinstance(item, dict) and "id" in item}
    assert [c["value"] for c in inputs["category"]["choices"]] == list(texts.CATEGORIES)
    assert inputs["date"]["type"] == "Input.Date"
    assert inputs["time"]["type"] == "Input.Time"
    assert inputs["head"]["choices.data"] == {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}
    assert form["version"] == "1.5"
    assert actions_of(form)[SUBMIT]["type"] == "Action.Execute"


async def test_report_is_posted_with_the_head_mentioned_then_acknowledged_and_resolved(
    harness: BotHarness,
) -> None:
    await harness.start()
    await install_in_team(harness)
    card, thread = await _reported(harness)
    [mention] = card["msteams"]["entities"]
    assert mention["mentioned"] == {"id": "29:head", "name": HEAD_NAME}
    assert mention["text"] == f"<at>{HEAD_NAME}</at>"
    assert mention["text"] in card_text(card)
    assert DESCRIPTION.split("、", maxsplit=1)[0] in card_text(card)
    assert "個人情報を誤って入力した" in card_text(card)
    assert {ACK, RESOLVE} <= set(actions_of(card))
    ticket = await _incident(harness)
    [reported] = await wait_records(harness, lambda r: r.event == "incident.reported")
    assert reported.details["incident"] == ticket.id
    assert reported.details["category"] == "personal_info"

    body = await _act(harness, ACK, thread, {"incident": ticket.id})
    assert body["type"] == CARD
    assert "確認済み" in card_text(body["value"])
    assert ACK not in actions_of(body["value"])
    [_, acknowledged] = await wait_personal(harness, 2)
    assert "対応を始めました" in acknowledged["text"]
    assert ADMIN_NAME in acknowledged["text"]
    await harness.connector.wait_for(lambda c: len(updates(harness, thread)) == 1)
    assert "確認済み" in card_text(card_of(updates(harness, thread)[0]))
    again = await _act(harness, ACK, thread, {"incident": ticket.id})
    assert "すでに" in again["value"]
    await asyncio.sleep(0.2)
    assert len(personal(harness)) == 2  # no second notice

    body = await _act(
        harness, RESOLVE, thread, {"incident": ticket.id, "note": "ログを確認し、所属で再発防止を周知済み"}
    )
    assert "対応完了" in card_text(body["value"])
    assert actions_of(body["value"]) == {}
    [*_, resolved] = await wait_personal(harness, 3)
    assert "対応が完了しました" in resolved["text"]
    assert "再発防止" in resolved["text"]
    assert len(updates(harness, thread)) == 2  # the card is updated before the reporter is told
    assert await wait_records(harness, lambda r: r.event == "incident.acknowledged")
    assert await wait_records(harness, lambda r: r.event == "incident.resolved")
    assert await events(harness, "incident.duplicate")


async def test_a_non_admin_cannot_acknowledge(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    _, thread = await _reported(harness)
    ticket = await _incident(harness)
    body = await _act(harness, ACK, thread, {"incident": ticket.id}, user=OTHER_OID)
    assert body["value"] == admin_only(services_of(harness).policy)
    assert (await _incident(harness)).status == "reported"
    assert updates(harness, thread) == []
    [refused] = await events(harness, "admin.refused")
    assert refused.details["action"] == ACK


async def test_the_head_of_section_gets_a_copy_when_the_bot_knows_their_chat(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await harness.post(harness.message("ヘルプ", user=HEAD_OID, display_name=HEAD_NAME))
    await wait_personal(harness, 1, user=HEAD_OID)
    await _reported(harness)
    [_, copy] = await wait_personal(harness, 2, user=HEAD_OID)
    assert "所属長として報告" in copy["text"]
    assert "市役所 太郎" in copy["text"]


async def test_a_my_number_in_the_description_is_refused_and_not_stored(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    form = await _form(harness)
    body = await _submit(harness, _values(form, description="マイナンバー123456789018を入力してしまった"))
    assert body["type"] == CARD
    assert "投稿しませんでした" in card_text(body["value"])
    assert "123456789018" not in str(body)  # the form comes back without the description
    assert admin_posts(harness) == []
    assert "123456789018" not in database_text(harness)
    assert await events(harness, "incident.refused")


async def test_an_incomplete_form_comes_back_with_what_is_missing(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    form = await _form(harness)
    body = await _submit(harness, _values(form, category="", time="25:99"))
    assert texts.CATEGORY_MISSING in card_text(body["value"])
    body = await _submit(harness, _values(form, time="25:99"))
    assert texts.TIME_INVALID in card_text(body["value"])
    assert admin_posts(harness) == []


async def test_report_in_a_channel_points_to_the_personal_chat(harness: BotHarness) -> None:
    await harness.start()
    thread = "19:chatgpt@thread.tacv2;messageid=3"
    activity = harness.message("<at>AIアシスタント</at> 報告", **in_channel(thread))
    activity["entities"] = [
        {"type": "mention", "mentioned": {"id": "28:bot-id"}, "text": "<at>AIアシスタント</at>"}
    ]
    await harness.post(activity)
    [reply] = await harness.connector.wait_messages(1, thread)
    assert reply["text"] == texts.REPORT_IN_PERSONAL_CHAT
