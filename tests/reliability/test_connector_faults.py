"""The Bot Connector failing while an answer streams: 403 (Stop), 429 and 5xx.

403 ContentStreamNotAllowed means the user pressed Stop (or Teams ended the stream): no further
update is sent, the model stops generating, the final message still goes out, the turn is charged
for what was generated and recorded as stopped. A 429 or 5xx on an update must not crash the
process: the turn ends (answered, or failed with a message), its hold is settled or released and
its records are written, and the bot keeps serving.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.audit import StoredRecord
from bot.teams.streaming import FINAL_ATTEMPTS
from tests.fakes.battery import agree, drain, model_env, model_turns, records, services_of
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import USER_OID, BotHarness

pytestmark = pytest.mark.slow  # real streaming pace: about 3 s per test

LONG = "段落ごとに説明します。" * 40  # 440 characters, streamed over about 2.5 s


def _streaming(typing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in typing if t["entities"][0].get("streamType") == "streaming"]


async def _usage(harness: BotHarness) -> tuple[int, int]:
    snap = await services_of(harness).quota.snapshot(USER_OID, "情報政策課")
    return snap.org.used, snap.org.reserved


async def _single_turn(harness: BotHarness) -> tuple[StoredRecord, StoredRecord]:
    turns = model_turns(await records(harness))
    assert len(turns) == 1
    start, end = next(iter(turns.values()))
    return start, end


async def test_stop_403_ends_streaming_and_the_turn_cleanly(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text=LONG, chunk_chars=10, interval_s=0.06))
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    # informative (1) and the first streaming update (2) go through; the next one gets 403 (Stop)
    harness.connector.fail_next(403, count=1, activity_type="typing", after=2)

    await harness.post(harness.message("長めの説明文を書いて"))
    [final] = await harness.connector.wait_messages(1, timeout=15)
    await drain(harness)

    typing = harness.connector.activities(type_="typing")
    assert len(_streaming(typing)) == 1, "no update is sent after Teams answered 403"
    assert "停止しました" in final["text"]
    assert not any(e.get("streamType") == "final" for e in final.get("entities", [])), (
        "a stopped stream cannot be finalised: the answer goes out as a normal message"
    )
    _start, end = await _single_turn(harness)
    assert end.record.outcome is not None
    assert end.record.outcome.value == "stopped"
    generated = end.record.chars_out
    assert 0 < generated < len(LONG), "the model stopped generating soon after Stop"
    used, reserved = await _usage(harness)
    assert reserved == 0
    assert used == len("長めの説明文を書いて") + generated, "charged for what was generated, not for the hold"


@pytest.mark.parametrize("status", [429, 503])
async def test_refused_stream_update_is_skipped_and_the_answer_delivered(
    harness: BotHarness, fake_openai: FakeOpenAI, status: int
) -> None:
    """Teams throttles updates sent faster than about one a second (429) and has bad moments (5xx):
    a refused progress update is skipped, the stream goes on, and the final message carries the
    whole answer; the turn is charged and recorded as answered."""
    fake_openai.script(Behaviour(text=LONG, chunk_chars=5, interval_s=0.05))  # about 4.4 s
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    harness.connector.fail_next(status, count=1, activity_type="typing", after=2)

    await harness.post(harness.message("長めの説明文を書いて"))
    [final] = await harness.connector.wait_messages(1, timeout=20)
    await drain(harness)

    assert final["text"].startswith(LONG)
    assert "停止しました" not in final["text"]
    typing = harness.connector.activities(type_="typing")
    sequences = [t["entities"][0]["streamSequence"] for t in typing]
    assert sequences == list(range(1, len(typing) + 1)), "the refused update's sequence number is reused"
    assert len(_streaming(typing)) >= 2, "streaming went on after the refused update"
    _, end = await _single_turn(harness)
    assert end.record.outcome is not None
    assert end.record.outcome.value == "answered"
    assert await _usage(harness) == (len("長めの説明文を書いて") + len(LONG), 0)
    assert not harness.connector.failures


@pytest.mark.parametrize("status", [429, 500])
async def test_connector_failing_every_update_still_ends_the_turn(
    harness: BotHarness, fake_openai: FakeOpenAI, status: int
) -> None:
    """Every streaming activity refused, the informative one included: the final message still goes
    out, updates stop after a few attempts, nothing crashes, and the next turn is served."""
    fake_openai.script(
        Behaviour(text=LONG, chunk_chars=10, interval_s=0.06), Behaviour(text="次の回答です。")
    )
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"))
    await agree(harness)
    harness.connector.fail_next(status, count=1000, activity_type="typing")

    await harness.post(harness.message("長めの説明文を書いて"))
    [final] = await harness.connector.wait_messages(1, timeout=20)
    await drain(harness)

    assert final["text"].startswith(LONG)
    refused = 1000 - harness.connector.failures[0].count
    assert refused <= 3, f"{refused} updates were sent into a failing connector"
    _start, end = await _single_turn(harness)
    assert end.record.outcome is not None
    assert end.record.outcome.value == "answered"
    assert (await _usage(harness))[1] == 0
    assert (await services_of(harness).audit.verify()).ok

    harness.connector.failures.clear()
    await harness.post(harness.message("次の質問です"))
    messages = await harness.connector.wait_messages(2, timeout=15)
    assert messages[-1]["text"].startswith("次の回答です。")


@pytest.mark.parametrize("status", [429, 500])
async def test_failing_final_message_is_recorded_and_released(
    harness: BotHarness, fake_openai: FakeOpenAI, status: int
) -> None:
    """The final message refused every time it is retried: the user cannot be shown the answer; the
    turn must still end with its hold released or settled and its end record written, and the
    process keeps serving."""
    fake_openai.script(Behaviour(text="短い回答です。"), Behaviour(text="次の回答です。"))
    await harness.start(**model_env(fake_openai))
    await agree(harness)
    attempts = 2 * FINAL_ATTEMPTS  # the answer, then the apology, each retried
    harness.connector.fail_next(status, count=attempts, activity_type="message", retry_after=0)

    await harness.post(harness.message("質問です"))
    await harness.connector.wait_for(lambda c: not c.failures, timeout=15)
    await drain(harness)

    _, end = await _single_turn(harness)
    assert end.record.phase == "end"
    assert end.record.outcome is not None
    assert (end.record.outcome.value, end.record.error) == ("failed", "ErrorResponseException")
    assert (await _usage(harness))[1] == 0
    assert (await services_of(harness).audit.verify()).ok
    await harness.post(harness.message("次の質問です"))
    messages = await harness.connector.wait_messages(1, timeout=15)
    assert messages[-1]["text"].startswith("次の回答です。")
