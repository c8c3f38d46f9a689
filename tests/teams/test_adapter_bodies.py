"""The one-pass serializer of outgoing activities writes exactly what msrest's `body` writes (issue 13).

`OneTripBodies` skips msrest's deserialize-and-validate walks for Activity objects; the wire
format must not change. The activities here are the kinds the bot sends: streaming updates,
the final answer with its AI label, feedback buttons and a card, replies with mentions, timestamps,
suggested actions, an invoke response.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    HeroCard,
    Mention,
    SuggestedActions,
    TextHighlight,
)
from botbuilder.schema import _models_py3 as schema
from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity
from msrest import Serializer

from bot.teams.adapter import (
    OneTokenClient,
    OneTripBodies,
    _AuthConfig,
    copy_activities_by_walk,
    model_json,
    one_trip_bodies,
    walk_deepcopy,
)
from bot.teams.connector import ConnectorTransport
from bot.teams.entities import AIGeneratedMessage, StreamInfo, feedback_channel_data

MODELS = {name: value for name, value in vars(schema).items() if isinstance(value, type)}


def _reference() -> ConversationReference:
    return ConversationReference(
        activity_id="m-1",
        user=ChannelAccount(id="29:user", name="職員", aad_object_id="bbbbbbbb-0000"),
        bot=ChannelAccount(id="28:bot", name="bot"),
        conversation=ConversationAccount(id="a:conv", conversation_type="personal", tenant_id="t-1"),
        channel_id="msteams",
        service_url="http://127.0.0.1:1/",
        locale="ja-JP",
    )


def _activities() -> list[Activity]:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "確認"}]}
    final = Activity(
        type=ActivityTypes.message,
        text="回答です。\n\n---\n※ AIが生成した回答です。",
        text_format="markdown",
        entities=[AIGeneratedMessage(), StreamInfo(stream_type="final", stream_id="s-1")],
        attachments=[CardFactory.adaptive_card(card)],
        channel_data=feedback_channel_data(),
    )
    mention = Mention(
        mentioned=ChannelAccount(id="29:other", name="山田"), text="<at>山田</at>", type="mention"
    )
    return [
        Activity(
            type=ActivityTypes.typing,
            text="回答を作成しています…",
            entities=[StreamInfo(stream_type="informative", stream_sequence=1)],
        ),
        Activity(
            type=ActivityTypes.typing,
            text="回答",
            entities=[StreamInfo(stream_type="streaming", stream_id="s-1", stream_sequence=2)],
        ),
        final,
        MessageFactory.text("<at>山田</at> さん、確認をお願いします。"),
        Activity(type=ActivityTypes.message, text="x", entities=[mention]),
        Activity(
            type=ActivityTypes.message,
            text="選んでください",
            suggested_actions=SuggestedActions(
                actions=[CardAction(type="imBack", title="はい", value="はい")]
            ),
            timestamp=datetime(2027, 1, 31, 15, 30, tzinfo=UTC),
            local_timestamp=datetime(2027, 2, 1, 0, 30, tzinfo=UTC),
        ),
        Activity(type=ActivityTypes.message, value={"verb": "x", "data": [1, "二", None]}, summary="要約"),
        Activity(  # a card whose content is a model, numbers and flags in plain objects, a list of models
            type=ActivityTypes.message,
            attachments=[
                CardFactory.hero_card(
                    HeroCard(title="カード", buttons=[CardAction(type="imBack", title="はい", value="はい")])
                )
            ],
            channel_data={"streamSequence": 2, "flag": True, "ratio": 1.5, "nested": {"list": [False, 0]}},
            text_highlights=[TextHighlight(text="回答", occurrence=1)],
            listen_for=["はい", "いいえ"],
        ),
    ]


@pytest.mark.parametrize("index", range(len(_activities())))
def test_one_pass_writes_what_msrest_body_writes(index: int) -> None:
    one_pass = TurnContext.apply_conversation_reference(_activities()[index], _reference())
    stock = TurnContext.apply_conversation_reference(_activities()[index], _reference())
    written = OneTripBodies(Serializer(MODELS)).body(one_pass, "Activity")
    assert written == Serializer(MODELS).body(stock, "Activity")
    assert written["conversation"]["id"] == "a:conv"


class Operations:
    def __init__(self) -> None:
        self._serialize: Any = Serializer(MODELS)


class Client:
    def __init__(self) -> None:
        self.conversations = Operations()


def test_other_bodies_go_to_msrest_and_installing_twice_wraps_once() -> None:
    client = Client()
    one_trip_bodies(client)
    one_trip_bodies(client)
    serializer = client.conversations._serialize
    assert isinstance(serializer, OneTripBodies)
    assert not isinstance(serializer._inner, OneTripBodies)
    account = ChannelAccount(id="29:x", name="職員")
    assert serializer.body(account, "ChannelAccount") == {"id": "29:x", "name": "職員"}
    one_trip_bodies(None)  # a turn without a connector client: nothing to do


async def test_one_user_token_client_per_app_id() -> None:
    config = _AuthConfig("", "", "MultiTenant", "", None, None)
    auth = OneTokenClient(config, ConnectorTransport())

    def claims(app_id: str) -> ClaimsIdentity:
        return ClaimsIdentity({AuthenticationConstants.AUDIENCE_CLAIM: app_id}, True)

    first = await auth.create_user_token_client(claims("app-1"))
    assert await auth.create_user_token_client(claims("app-1")) is first, "built once, reused every turn"
    assert await auth.create_user_token_client(claims("app-2")) is not first, "another app id, another client"


class NoWholeWalk(Serializer):
    """msrest's serializer, counting the whole-activity walks it is asked for."""

    walks = 0

    def _serialize(self, target_obj: Any, data_type: Any = None, **kwargs: Any) -> Any:
        if isinstance(target_obj, Activity):
            NoWholeWalk.walks += 1
        return super()._serialize(target_obj, data_type, **kwargs)


def test_the_bots_activities_are_written_without_msrests_walk() -> None:
    """The fast path is taken for every activity above (a fallback to msrest would hide behind equality)."""
    NoWholeWalk.walks = 0
    writer = OneTripBodies(NoWholeWalk(MODELS))
    for activity in _activities():
        writer.body(TurnContext.apply_conversation_reference(activity, _reference()), "Activity")
    assert NoWholeWalk.walks == 0
    Serializer.body(NoWholeWalk(MODELS), _activities()[0], "Activity")
    assert NoWholeWalk.walks > 0, "the counter sees msrest's own walk"


def _references() -> list[ConversationReference]:
    """The references the directory stores: of a personal chat and a channel post, as the inbound
    activities give them (activity id dropped), one with an account's extra properties."""
    personal = Activity(
        type=ActivityTypes.message,
        id="m-1",
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/jp/",
        from_property=ChannelAccount(id="29:user", name="職員", aad_object_id="bbbbbbbb-0000"),
        recipient=ChannelAccount(id="28:bot", name="bot"),
        conversation=ConversationAccount(id="a:conv", conversation_type="personal", tenant_id="t-1"),
        locale="ja-JP",
    )
    channel = Activity(
        type=ActivityTypes.message,
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/jp/",
        from_property=ChannelAccount(id="29:u", name="職員", role="user", properties={"x": [1, None]}),
        recipient=ChannelAccount(id="28:bot", name="bot"),
        conversation=ConversationAccount(
            id="19:abc@thread.tacv2;messageid=1", conversation_type="channel", is_group=True, name="総務"
        ),
    )
    references = [TurnContext.get_conversation_reference(a) for a in (personal, channel)]
    for reference in references:
        reference.activity_id = None
    return [*references, _reference()]


@pytest.mark.parametrize("index", range(len(_references())))
def test_model_json_writes_what_msrest_serialize_writes(index: int) -> None:
    reference = _references()[index]
    assert model_json(reference) == _references()[index].serialize()
    account = ChannelAccount(id="29:x", name="職員")
    assert model_json(account) == ChannelAccount(id="29:x", name="職員").serialize()


def _objects(value: Any, found: dict[int, Any]) -> dict[int, Any]:
    """Every list, dict and model reachable from `value`, by id."""
    if isinstance(value, list | dict) or hasattr(value, "_attribute_map"):
        if id(value) in found:
            return found
        found[id(value)] = value
        if isinstance(value, dict):
            children = list(value.values())
        else:
            children = list(value) if isinstance(value, list) else list(vars(value).values())
        for child in children:
            _objects(child, found)
    return found


@pytest.mark.parametrize("index", range(len(_activities())))
def test_walk_deepcopy_copies_like_deepcopy(index: int) -> None:
    """What TurnContext.send_activities sends is the same copy (the same JSON, equal models, nothing
    mutable shared with the caller's activity), whichever deep copy it uses."""
    original = _activities()[index]
    walked, stock = walk_deepcopy(original), copy.deepcopy(original)
    assert type(walked) is Activity
    assert walked == stock
    assert walked is not original
    bodies = Serializer(MODELS)
    assert bodies.body(walked, "Activity") == bodies.body(stock, "Activity")
    assert bodies.body(walked, "Activity") == bodies.body(original, "Activity")
    assert not set(_objects(walked, {})) & set(_objects(original, {})), "no list, dict or model shared"
    TurnContext.apply_conversation_reference(walked, _reference())
    assert original.conversation is None, "the caller's activity is left as it was"


def test_walk_deepcopy_keeps_shared_objects_shared_and_leaves_other_values_to_deepcopy() -> None:
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "x"}]}
    when = datetime(2027, 1, 31, 15, 30, tzinfo=UTC)
    value = {"a": card, "b": card, "t": (1, [2])}
    activity = Activity(type=ActivityTypes.message, value=value, timestamp=when)
    copied = walk_deepcopy(activity)
    assert copied.value["a"] is copied.value["b"], "an object met twice is copied once"
    assert copied.value["a"] is not card
    assert copied.value["t"] == (1, [2])
    assert copied.value["t"][1] is not value["t"][1], "inside a tuple: copy.deepcopy's own copy"
    assert copied.timestamp == when
    loop: list[Any] = [1]
    loop.append(loop)
    looped = walk_deepcopy(loop)
    assert looped[1] is looped
    assert looped is not loop


def test_send_activities_copies_by_walk_once_installed() -> None:
    from botbuilder.core import turn_context  # noqa: PLC0415

    copy_activities_by_walk()
    copy_activities_by_walk()
    assert turn_context.deepcopy is walk_deepcopy
