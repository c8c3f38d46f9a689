"""What a real Teams tenant would show, checked on the strict fake Bot Connector.

The fake refuses what Teams refuses (empty final, a second stream in a chat, updates that do not
continue the streamed text) and records the status of every request, so "the user saw it" means
the fake accepted the activity that carried it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.teams.activity import text_of
from bot.ui import common as texts
from tests.fakes.battery import agree, drain, execute, model_env, model_turns, records, services_of
from tests.fakes.connector import NOT_ALLOWED, FakeConnector
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import USER_OID, BotHarness

LONG = "段落ごとに説明します。" * 30  # 330 characters, streamed over about 2 s


def _stream_type(activity: dict[str, Any]) -> str:
    info = [e for e in activity.get("entities") or [] if e.get("type") == "streaminfo"]
    return str(info[0].get("streamType")) if info else ""


def _accepted_finals(connector: FakeConnector) -> list[dict[str, Any]]:
    return [m for m in connector.messages() if _stream_type(m) == "final"]


async def test_new_user_sees_the_consent_card_closing_the_stream(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai, BOT_POLICY="iwaki"))
    await harness.post(harness.message("会議の案内文を作って"))
    [reply] = await harness.connector.wait_messages(1)
    assert reply["attachments"][0]["content"]["type"] == "AdaptiveCard"
    assert _stream_type(reply) == "final", "the card message closes the informative stream"
    assert reply["text"].strip(), "Teams refuses a final streamed message without text"
    assert harness.connector.refused() == []
    assert harness.connector.open_streams() == []


async def test_confirmation_card_arrives(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("部外秘：次年度予算の査定方針案を要約して"))
    [reply] = await harness.connector.wait_messages(1)
    card = reply["attachments"][0]["content"]
    assert any(a.get("data", {}).get("verb") == "screening.send" for a in card["actions"])
    assert harness.connector.refused() == []
    assert harness.connector.open_streams() == []


async def test_two_questions_half_a_second_apart_both_get_whole_answers(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    first, second = "一つ目の回答です。" + LONG, "二つ目の回答です。" + LONG
    fake_openai.script(
        Behaviour(text=first, chunk_chars=10, interval_s=0.06),
        Behaviour(text=second, chunk_chars=10, interval_s=0.06),
    )
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    await harness.post(harness.message("一つ目の質問です"))
    await asyncio.sleep(0.5)
    await harness.post(harness.message("二つ目の質問です"))
    await harness.connector.wait_messages(2, timeout=20)
    await drain(harness)

    finals = _accepted_finals(harness.connector)
    assert [f["text"][: len(first)] for f in finals] == [first, second]
    assert harness.connector.refused() == [], "no second stream was started while one was open"
    outcomes = [end.record.outcome for _start, end in model_turns(await records(harness)).values()]
    assert [o.value for o in outcomes if o is not None] == ["answered", "answered"]


async def test_a_message_beyond_the_conversation_queue_is_asked_to_wait(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(
        *(Behaviour(text=f"{i}番目の回答です。" + LONG, chunk_chars=20, interval_s=0.05) for i in range(3))
    )
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    for i in range(4):  # one running, two waiting, the fourth refused
        await harness.post(harness.message(f"{i}番目の質問です"))
    await harness.connector.wait_messages(4, timeout=30)
    await drain(harness)

    texts_sent = [m["text"] for m in harness.connector.messages()]
    assert texts_sent.count(texts.BUSY_CONVERSATION) == 1
    assert sum(t.startswith(tuple(f"{i}番目の回答です。" for i in range(3))) for t in texts_sent) == 3
    assert harness.connector.refused() == []


async def test_a_final_throttled_once_still_arrives(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Behaviour(text="短い回答です。"))
    await harness.start(**model_env(fake_openai))
    await agree(harness)
    harness.connector.throttle_final_once(retry_after=0.3)
    await harness.post(harness.message("質問です"))
    [final] = await harness.connector.wait_messages(1, timeout=15)
    await drain(harness)
    assert final["text"].startswith("短い回答です。")
    assert _stream_type(final) == "final"
    [throttled] = harness.connector.refused(429)
    assert throttled.stream_type == "final"
    [accepted] = [a for a in harness.connector.answered if a.stream_type == "final" and a.status < 400]
    assert 0.25 <= accepted.at - throttled.at < 0.9, "retried after Retry-After (0.3 s), not a default wait"


@pytest.mark.slow
async def test_stop_ends_generation_with_a_short_note_only(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text=LONG * 2, chunk_chars=10, interval_s=0.06))  # about 4 s
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    harness.connector.fail_next(403, count=1, activity_type="typing", after=2)  # "…cancelled by user."
    await harness.post(harness.message("長めの説明文を書いて"))
    [note] = await harness.connector.wait_messages(1, timeout=15)
    await drain(harness)
    assert note["text"] == texts.STOPPED_MESSAGE, "the partial answer is not sent again"
    [(_start, end)] = model_turns(await records(harness)).values()
    assert end.record.outcome is not None
    assert end.record.outcome.value == "stopped"


@pytest.mark.slow
async def test_streaming_not_allowed_answers_with_one_normal_message(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    # The model goes on (a 「。」 at a time) until the bot's first streamed update was refused: a
    # streamed update is due only a second after the informative one, and on a loaded machine the
    # whole of LONG could otherwise arrive before that — then nothing is ever refused.
    refused = lambda: bool(harness.connector.refused(403))  # noqa: E731
    fake_openai.script(Behaviour(text=LONG, chunk_chars=10, interval_s=0.03, trail_until=refused))
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    harness.connector.fail_next(403, count=1, activity_type="typing", after=1, message=NOT_ALLOWED)
    await harness.post(harness.message("長めの説明文を書いて"))
    [answer] = await harness.connector.wait_messages(1, timeout=60)
    await drain(harness)
    assert harness.connector.refused(403)[0].message == NOT_ALLOWED
    assert answer["text"].startswith(LONG), "the whole answer, not stopped"
    assert _stream_type(answer) == "", "a normal message, not a final on a refused stream"
    [(_start, end)] = model_turns(await records(harness)).values()
    assert end.record.outcome is not None
    assert end.record.outcome.value == "answered"


@pytest.mark.slow
async def test_answer_after_the_stream_time_limit_is_finished_in_place(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    harness.connector.stream_limit_s = 1.0  # Teams: 2 minutes
    fake_openai.script(Behaviour(text=LONG, chunk_chars=10, interval_s=0.06))
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    await harness.post(harness.message("長めの説明文を書いて"))
    await harness.connector.wait_for(lambda c: any(p.method == "PUT" for p in c.posted), timeout=15)
    await drain(harness)
    [put] = [p for p in harness.connector.posted if p.method == "PUT"]
    stream_id = next(iter(harness.connector.streams))
    assert put.activity_id == stream_id, "the streamed message itself is updated"
    assert put.body["text"].startswith(LONG)
    assert harness.connector.refused(403)[0].message.endswith("exceeded streaming time.")
    [(_start, end)] = model_turns(await records(harness)).values()
    assert end.record.outcome is not None
    assert end.record.outcome.value == "answered"


def test_only_the_bots_own_mention_is_removed_from_the_text() -> None:
    activity = Activity().deserialize(
        {
            "type": "message",
            "text": "<at>AIアシスタント</at> <at>村田 英樹</at>さんへの返信を作って",
            "recipient": {"id": "28:bot-id", "name": "AIアシスタント"},
            "entities": [
                {
                    "type": "mention",
                    "mentioned": {"id": "28:bot-id", "name": "AIアシスタント"},
                    "text": "<at>AIアシスタント</at>",
                },
                {
                    "type": "mention",
                    "mentioned": {"id": "29:murata", "name": "村田 英樹"},
                    "text": "<at>村田 英樹</at>",
                },
            ],
        }
    )
    assert text_of(activity) == "村田 英樹さんへの返信を作って"


async def test_a_channel_post_not_addressed_to_the_bot_leaves_no_trace_of_its_author(
    harness: BotHarness,
) -> None:
    await harness.start()
    channel = {"conversation": "19:chatgpt@thread.tacv2;messageid=1", "conversation_type": "channel"}
    post = harness.message("今日の会議は15時からです", user="bbbbbbbb-0000-0000-0000-000000000009", **channel)
    post["channelData"] = {
        **post["channelData"],
        "team": {"id": "19:team@thread.tacv2"},
        "channel": {"id": "19:chatgpt@thread.tacv2"},
    }
    assert (await harness.post(post))[0] == 202
    await drain(harness)
    directory = services_of(harness).channels
    assert await directory.account("bbbbbbbb-0000-0000-0000-000000000009") is None
    assert harness.connector.messages() == []


async def test_an_unknown_card_verb_gets_a_valid_response(harness: BotHarness) -> None:
    await harness.start()
    status, body = await harness.post(execute(harness, "no.such.verb", {"x": 1}))
    assert status == 200
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"] == texts.UNKNOWN_ACTION


async def test_a_refused_card_action_gets_a_valid_response(harness: BotHarness) -> None:
    """A forged admin action is refused: still a message response, never an empty body."""
    await harness.start()
    status, body = await harness.post(execute(harness, "access.approve", {"user_id": "someone"}))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"]


async def test_a_gated_card_action_from_a_new_user_gets_the_consent_card_as_its_response(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai, BOT_POLICY="iwaki"))
    status, body = await harness.post(execute(harness, "template.list"))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["type"] == "AdaptiveCard"


async def test_a_stream_another_instance_holds_open_gets_one_normal_message(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    """Several instances behind a load balancer: the per-process queue cannot see another
    instance's stream in this chat, so Teams refuses our stream start (403 not allowed); the
    answer then goes out whole as one normal message (the documented limit, README)."""
    fake_openai.script(Behaviour(text="別の窓口で回答中でも届く回答です。"))
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    chat = f"a:personal-{USER_OID}"
    other = harness.activity(type="typing", text="回答を作成しています…")  # "another instance"
    other["entities"] = [{"type": "streaminfo", "streamType": "informative", "streamSequence": 1}]
    assert harness.session is not None
    url = f"{harness.connector.url}v3/conversations/{chat}/activities"
    async with harness.session.post(url, json=other) as response:
        assert response.status == 201
    assert len(harness.connector.open_streams(chat)) == 1
    await harness.post(harness.message("質問です"))
    await harness.connector.wait_for(
        lambda c: any(str(m.get("text", "")).startswith("別の窓口") for m in c.messages(chat)), timeout=30
    )
    await drain(harness)
    [refused] = harness.connector.refused(403)
    assert refused.message == NOT_ALLOWED
    [answer] = [m for m in harness.connector.messages(chat) if m["text"].startswith("別の窓口")]
    assert _stream_type(answer) == "", "a normal message, not a final on the refused stream"
    [(_start, end)] = model_turns(await records(harness)).values()
    assert end.record.outcome is not None
    assert end.record.outcome.value == "answered"
