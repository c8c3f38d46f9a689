"""Thumbs up / down on answers over the real HTTP endpoint: recorded with the exchange, comment screened."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.openai_server import FakeOpenAI
from tests.teams.access_helpers import agree, events
from tests.teams.harness import USER_OID, BotHarness

MY_NUMBER = "123456789018"


def _env(fake: FakeOpenAI) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "MODEL_MAX_RETRIES": "0"}


def _vote(harness: BotHarness, reply_to: str, reaction: str, comment: str = "") -> dict[str, Any]:
    value = {
        "actionName": "feedback",
        "actionValue": {"reaction": reaction, "feedback": json.dumps({"feedbackText": comment})},
    }
    activity = harness.activity(type="invoke", value=value, replyToId=reply_to)
    activity["name"] = "message/submitAction"
    return activity


async def _answered(harness: BotHarness, fake_openai: FakeOpenAI) -> str:
    await harness.start(**_env(fake_openai), BOT_POLICY="iwaki")
    await agree(harness)
    await harness.post(harness.message("広報文の見出しを考えて"))
    await harness.connector.wait_messages(1)
    final = next(p for p in harness.connector.posted if p.body.get("type") == "message")
    assert final.body["channelData"]["feedbackLoop"] == {"type": "default"}
    return final.activity_id


async def test_a_vote_is_recorded_with_the_answer_it_is_about(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    answer_id = await _answered(harness, fake_openai)
    status, _ = await harness.post(_vote(harness, answer_id, "like", "分かりやすかったです"))
    assert status == 200
    [vote] = await events(harness, "feedback")
    assert vote.details["reaction"] == "like"
    assert vote.details["replied_to"] == answer_id
    assert vote.feedback == "分かりやすかったです"
    assert vote.user_id == USER_OID
    assert vote.department == "総務課"


async def test_a_comment_is_screened_before_it_is_stored(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    answer_id = await _answered(harness, fake_openai)
    await harness.post(_vote(harness, answer_id, "dislike", f"個人番号 {MY_NUMBER} の扱いが違う"))
    await harness.post(_vote(harness, answer_id, "dislike", "村田英樹さんへの宛名が不自然"))
    withheld, masked = await events(harness, "feedback")
    assert MY_NUMBER not in str(withheld)
    assert withheld.feedback == "（記録できない内容を含むため省略）"
    assert "村田" not in masked.feedback
    assert "〔人名1〕" in masked.feedback


async def test_a_malformed_vote_is_refused(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    answer_id = await _answered(harness, fake_openai)
    status, _ = await harness.post(_vote(harness, answer_id, "love"))
    assert status == 400
    assert await events(harness, "feedback") == []
