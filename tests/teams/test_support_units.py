"""Unit tests of the support and incident building blocks: no HTTP, no botbuilder adapter."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, Entity

from bot.core.errors import StorageError
from bot.core.exits import Exit, Gate
from bot.core.policy import load_policy
from bot.core.screening import Screener
from bot.core.storage.base import Storage
from bot.core.tickets import INCIDENT, QUESTION, Ticket, TicketStore, new_ticket_id
from bot.teams.channels import ChannelDirectory, PostedRef
from bot.teams.directory import match_channel
from bot.teams.features.incidents import parse_form
from bot.teams.stages.refs import RefsMiddleware
from bot.ui.incidents.cards import ACK, RESOLVE, incident_card
from bot.ui.support import texts
from bot.ui.support.cards import ANSWER, REFRESH, question_card

POLICY = load_policy("iwaki")
NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
OID = "aaaaaaaa-0000-0000-0000-000000000001"


def _clock() -> datetime:
    return NOW


def _ticket(kind: str = QUESTION, status: str = "open", **data: Any) -> Ticket:
    base = {"created_at": NOW.isoformat(), "asker_name": "市役所 太郎", "question": "質問です", **data}
    return Ticket(kind, "0123456789abcdef0123456789abcdef", status, base)


def _activity(conversation_type: str = "personal", **channel_data: Any) -> Activity:
    return Activity(
        type="message",
        id="in-1",
        channel_id="msteams",
        service_url="https://smba.example/jp/",
        from_property=ChannelAccount(id="29:user", name="市役所 太郎", aad_object_id=OID.upper()),
        recipient=ChannelAccount(id="28:bot", name="AIアシスタント"),
        conversation=ConversationAccount(id="a:1", conversation_type=conversation_type, tenant_id="t"),
        channel_data=channel_data or {"tenant": {"id": "t"}},
    )


# ---- channel names and references ------------------------------------------------------------------


def test_general_comes_back_without_a_name_and_names_are_folded() -> None:
    channels = [SimpleNamespace(id="19:team", name=None), SimpleNamespace(id="19:gpt", name="ChatGPT")]
    assert match_channel(channels, "General") == "19:team"
    assert match_channel(channels, "一般") == "19:team"
    assert match_channel(channels, "ｃｈａｔｇｐｔ ") == "19:gpt"
    assert match_channel(channels, "お知らせ") == ""


def test_posted_ref_round_trips_and_rejects_garbage() -> None:
    ref = PostedRef("https://smba/", "19:c@thread.tacv2;messageid=1", "1", "28:bot")
    assert PostedRef.from_json(ref.to_json()) == ref
    assert PostedRef.from_json("") is None
    assert PostedRef.from_json('{"x": 1}') is None


async def test_personal_references_are_kept_by_entra_id_and_refreshed(sqlite_storage: Storage) -> None:
    directory = ChannelDirectory(sqlite_storage, POLICY, _clock)
    await directory.remember(_activity())
    reference = await directory.personal(OID)
    assert reference is not None
    assert reference.service_url == "https://smba.example/jp/"
    await directory.mark_blocked(OID)
    assert await directory.is_blocked(OID)
    moved = _activity()
    moved.service_url = "https://smba.example/apac/"
    await directory.remember(moved)  # the user wrote again: not blocked, new service url
    assert not await directory.is_blocked(OID)
    reference = await directory.personal(OID)
    assert reference is not None
    assert reference.service_url == "https://smba.example/apac/"


async def test_a_channel_post_keeps_the_account_but_not_a_personal_reference(sqlite_storage: Storage) -> None:
    directory = ChannelDirectory(sqlite_storage, POLICY, _clock)
    post = _activity("channel", team={"id": "19:team"}, channel={"id": "19:gpt"})
    post.entities = [
        Entity().deserialize({"type": "mention", "mentioned": {"id": "28:bot"}})
    ]  # addressed to the bot
    await directory.remember(post)
    assert await directory.personal(OID) is None
    [account] = await directory.accounts([OID])
    assert (account.id, account.name) == ("29:user", "市役所 太郎")


async def test_a_storage_failure_does_not_break_the_turn() -> None:
    class Failing(ChannelDirectory):
        async def remember(self, activity: Activity) -> None:
            raise StorageError("down")

    outreach = SimpleNamespace(directory=Failing.__new__(Failing))
    middleware = RefsMiddleware(outreach, load_policy("iwaki"))  # type: ignore[arg-type]
    ran: list[bool] = []

    async def logic() -> None:
        ran.append(True)

    await middleware.on_turn(SimpleNamespace(activity=_activity()), logic)  # type: ignore[arg-type]
    assert ran == [True]


# ---- tickets -----------------------------------------------------------------------------------------


async def test_only_one_of_two_simultaneous_answers_wins(sqlite_storage: Storage) -> None:
    store = TicketStore(sqlite_storage, _clock)
    ticket_id = new_ticket_id()
    gate = Gate(Screener(load_policy("iwaki").screening))
    await store.create(QUESTION, ticket_id, "open", question=gate.screen("q", Exit.STORAGE))
    results = await asyncio.gather(
        store.advance(QUESTION, ticket_id, {"open"}, "answered", answer=gate.screen("A", Exit.STORAGE)),
        store.advance(QUESTION, ticket_id, {"open"}, "answered", answer=gate.screen("B", Exit.STORAGE)),
    )
    assert sorted(changed for _, changed in results) == [False, True]
    final = await store.get(QUESTION, ticket_id)
    assert final is not None
    assert final.status == "answered"


async def test_tickets_store_typed_text_only_as_screened_for_storage(sqlite_storage: Storage) -> None:
    store = TicketStore(sqlite_storage, _clock)
    gate = Gate(Screener(load_policy("iwaki").screening))
    with pytest.raises(TypeError):
        await store.create(QUESTION, new_ticket_id(), "open", question="村田英樹さんの件")
    with pytest.raises(TypeError):  # screened, but for a channel: not what storage may keep
        await store.create(QUESTION, new_ticket_id(), "open", question=gate.screen("件", Exit.CHANNEL))
    ticket = await store.create(
        QUESTION, new_ticket_id(), "open", question=gate.screen("村田英樹さん 090-1234-5678", Exit.STORAGE)
    )
    assert ticket.text("question") == "〔人名1〕さん 〔電話番号1〕"


async def test_tickets_refuse_a_second_form_and_malformed_ids(sqlite_storage: Storage) -> None:
    store = TicketStore(sqlite_storage, _clock)
    ticket_id = new_ticket_id()
    await store.create(INCIDENT, ticket_id, "reported")
    with pytest.raises(StorageError):
        await store.create(INCIDENT, ticket_id, "reported")
    assert await store.get(INCIDENT, "../../etc") is None
    assert await store.escalate_once("19:c;messageid=1")
    assert not await store.escalate_once("19:c;messageid=1")


# ---- cards and texts ---------------------------------------------------------------------------------


def test_the_question_card_has_three_faces() -> None:
    read_only = question_card(POLICY, _ticket(), answer_form=False, refresh_ids=["29:admin"])
    refresh = read_only["refresh"]
    assert refresh["userIds"] == ["29:admin"]
    assert refresh["action"]["verb"] == REFRESH
    assert refresh["action"]["data"] == {"ticket": _ticket().id}
    assert "actions" not in read_only
    form = question_card(POLICY, _ticket(), answer_form=True)
    assert form["actions"][0]["verb"] == ANSWER
    assert "refresh" not in form
    answered = _ticket(
        status="answered", answer="回答です", answered_by_name="情報 管理者", answered_at=NOW.isoformat()
    )
    done = question_card(POLICY, answered, answer_form=True, refresh_ids=["29:admin"])
    assert "actions" not in done
    assert "refresh" not in done
    assert "回答済み（情報 管理者、2026年11月22日 10:00）" in str(done)


def test_the_incident_card_mentions_the_head_and_offers_what_is_left() -> None:
    ticket = _ticket(
        INCIDENT, "reported", head_name="所属 課長", head_mention_id="29:head", category="copyright"
    )
    card = incident_card(POLICY, ticket)
    assert card["msteams"]["entities"][0]["mentioned"] == {"id": "29:head", "name": "所属 課長"}
    assert "<at>所属 課長</at>" in str(card["body"])
    assert "著作権" in str(card["body"])
    assert ACK in str(card["actions"])
    assert RESOLVE in str(card["actions"])
    acknowledged = incident_card(POLICY, _ticket(INCIDENT, "acknowledged", head_mention_id="x"))
    assert ACK not in str(acknowledged["actions"])
    assert RESOLVE in str(acknowledged["actions"])
    assert "actions" not in incident_card(POLICY, _ticket(INCIDENT, "resolved", head_mention_id="x"))


def test_the_channel_prompt_carries_the_guideline_and_every_faq() -> None:
    prompt = "\n".join(texts.channel_prompt(POLICY))
    assert all(entry.question in prompt and entry.answer in prompt for entry in POLICY.support.faq)
    assert all(line in prompt for line in POLICY.guideline.summary)
    assert "担当者に確認" in prompt


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"category": "fire"}, "何が起きたか"),
        ({"date": "2026-13-40"}, "起きた日"),
        ({"time": ""}, "起きた時刻"),
        ({"description": "  "}, "内容を入力"),
        ({"description": "あ" * 2001}, "長すぎます"),
        ({"head": "<script>"}, "所属長"),
    ],
)
def test_incident_forms_are_validated(changes: dict[str, str], problem: str) -> None:
    data = {
        "category": "other",
        "date": "2026-11-20",
        "time": "09:05",
        "description": "内容",
        "head": OID,
        **changes,
    }
    form, message = parse_form(data)
    assert form is None
    assert problem in message


def test_a_valid_incident_form_is_parsed() -> None:
    data = {
        "category": "wrong_info",
        "date": "2026-11-20",
        "time": "09:05:00",
        "description": " 内容 ",
        "head": OID,
    }
    form, message = parse_form(data)
    assert message == ""
    assert form is not None
    assert (form.occurred, form.description, form.head_id) == ("2026-11-20 09:05", "内容", OID)
