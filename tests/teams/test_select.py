"""`Router.select(activity)` classifies an activity once, purely: tested without HTTP or a pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.core.turn import Turn
from bot.teams.router import Router
from bot.ui import commands

BOT = {"id": "28:bot", "name": "AIアシスタント"}


async def _noop(_context: TurnContext, _turn: Turn) -> None:
    return None


def _router() -> Router:
    router = Router()
    router.command(commands.USAGE, commands.USAGE_BY_DEPARTMENT)(_noop)
    router.command(commands.ASK)(_noop)
    router.verb("access.agree")(_noop)
    return router


def _activity(**fields: Any) -> Activity:
    body = {
        "type": "message",
        "id": "a1",
        "channelId": "msteams",
        "from": {"id": "29:u", "aadObjectId": "00000000-0000-0000-0000-000000000001"},
        "recipient": BOT,
        "conversation": {"id": "a:1", "conversationType": "personal"},
        **fields,
    }
    return Activity().deserialize(body)


@pytest.mark.parametrize(
    ("fields", "kind", "route", "argument"),
    [
        ({"text": "利用状況"}, "command", "利用状況", ""),
        ({"text": "ＵＳＡＧＥ"}, "command", "利用状況", ""),
        ({"text": "利用集計"}, "command", "利用状況", ""),
        ({"text": "問い合わせ 会議室の予約方法"}, "command", "問い合わせ", "会議室の予約方法"),
        ({"text": "会議室の予約方法を教えて"}, "text", None, "会議室の予約方法を教えて"),
        ({"text": "   "}, "empty", None, ""),
        ({"text": "", "value": {"verb": "access.agree", "version": "v1"}}, "verb", "access.agree", ""),
        ({"text": "", "value": {"verb": "nobody.knows"}}, "verb", None, ""),
    ],
)
def test_messages(fields: dict[str, Any], kind: str, route: str | None, argument: str) -> None:
    match = _router().select(_activity(**fields))
    assert match.kind == kind
    assert (match.route.name if match.route else None) == route
    assert match.argument == argument


def test_card_action_invoke_carries_its_data() -> None:
    activity = _activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "access.agree", "data": {"version": "v1"}}},
    )
    match = _router().select(activity)
    assert (match.kind, match.name, match.data) == ("verb", "access.agree", {"version": "v1"})
    assert match.route is not None
    assert match.label == "access.agree"


def test_other_invokes_events_and_types() -> None:
    router = _router()
    assert router.select(_activity(type="invoke", name="message/submitAction")).label == (
        "invoke:message/submitAction"
    )
    assert router.select(_activity(type="conversationUpdate")).kind == "event"
    assert router.select(_activity(type="messageReaction")).label == "activity:messageReaction"


def test_channel_posts_count_only_when_they_mention_the_bot() -> None:
    channel = {"id": "19:abc@thread.tacv2;messageid=1", "conversationType": "channel"}
    router = _router()
    assert router.select(_activity(text="独り言です", conversation=channel)).kind == "ignored"
    mention = {"type": "mention", "mentioned": BOT, "text": "<at>AIアシスタント</at>"}
    addressed = _activity(text="<at>AIアシスタント</at> 利用状況", conversation=channel, entities=[mention])
    match = router.select(addressed)
    assert (match.kind, match.route.name if match.route else None) == ("command", "利用状況")


def test_files_are_told_apart_from_cards() -> None:
    card = {"contentType": "application/vnd.microsoft.card.adaptive", "content": {}}
    upload = {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": "a.docx"}
    router = _router()
    assert router.select(_activity(text="こんにちは", attachments=[card])).kind == "text"
    assert router.select(_activity(text="要約して", attachments=[upload])).kind == "files"


def test_a_command_that_takes_files_is_a_command_with_files_attached() -> None:
    upload = {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": "a.docx"}
    router = _router()
    router.command(commands.KNOWLEDGE_ADD, takes_files=True)(_noop)
    match = router.select(_activity(text="ナレッジに登録", attachments=[upload]))
    assert (match.kind, match.route.name if match.route else None) == ("command", "ナレッジに登録")
    assert router.select(_activity(text="利用状況", attachments=[upload])).kind == "files", (
        "a command that does not take files leaves them to the model, as before"
    )
