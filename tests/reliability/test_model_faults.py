"""Model failures over real HTTP: the user is told clearly, the quota hold is settled, the turn is recorded.

tests/teams/test_model.py checks the wording of each failure; this module checks what must not be
lost or leaked when the model fails: the reservation goes back when nothing was shown, and when
output had begun (a stream cut off, a content-filter stop mid-stream) the turn is charged exactly
the input plus the characters shown, never the whole hold and never nothing (issue 11 changed this:
a shown partial answer used to be free); the records show the turn as started and ended `failed`
with the error kind.
"""

from __future__ import annotations

import time

import pytest

from bot.core.audit import StoredRecord
from tests.fakes.battery import agree, drain, model_env, model_turns, records, services_of
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import USER_OID, BotHarness

FAULTS = [
    pytest.param(Behaviour(hang=True), "timeout", "時間がかかりすぎた", id="timeout"),
    pytest.param(Behaviour(status=429, retry_after="1"), "rate_limit", "混み合っています", id="429"),
    pytest.param(Behaviour(status=500), "server", "障害が発生しています", id="500"),
    pytest.param(
        Behaviour(text="途中まで書いた回答です。" * 20, chunk_chars=6, cut_after_chunks=4),
        "interrupted",
        "途切れました",
        id="cut-off",
    ),
    pytest.param(
        Behaviour(status=400, error_code="content_filter"),
        "content_filter",
        "安全フィルター",
        id="content-filter-400",
    ),
    pytest.param(
        Behaviour(text="ここまでは問題のない文章ですが", chunk_chars=4, finish_reason="content_filter"),
        "content_filter",
        "安全フィルター",
        id="content-filter-mid-stream",
    ),
]


async def _usage(harness: BotHarness) -> tuple[int, int, int, int]:
    """(org used, org reserved, user used, user reserved) this month, read fresh from storage."""
    snap = await services_of(harness).quota.snapshot(USER_OID, "情報政策課")
    return snap.org.used, snap.org.reserved, snap.user.used, snap.user.reserved


def _only_model_turn(stored: list[StoredRecord]) -> list[StoredRecord]:
    turns = model_turns(stored)
    assert len(turns) == 1, f"expected one turn that reached the model, got {len(turns)}"
    return next(iter(turns.values()))


@pytest.mark.parametrize(("behaviour", "kind", "says"), FAULTS)
async def test_model_failure_releases_the_hold_and_is_recorded(
    harness: BotHarness, fake_openai: FakeOpenAI, behaviour: Behaviour, kind: str, says: str
) -> None:
    await harness.start(**model_env(fake_openai, MODEL_TIMEOUT_SECONDS="1"))
    await agree(harness)
    before = await _usage(harness)
    fake_openai.script(behaviour)

    await harness.post(harness.message("来週の庁内説明会の案内文を200字以内で"))
    [reply] = await harness.connector.wait_messages(1, timeout=15)
    await drain(harness)

    assert says in reply["text"]
    assert "Traceback" not in reply["text"]
    assert len(fake_openai.requests) == 1, "the model was asked exactly once (no retries configured)"
    turn = _only_model_turn(await records(harness))
    assert [r.record.phase for r in turn] == ["start", "end"]
    start, end = (r.record for r in turn)
    shown = end.chars_out
    if behaviour.cut_after_chunks >= 0 or behaviour.finish_reason == "content_filter":
        assert shown > 0, "output had begun before the failure"
    charged = len("来週の庁内説明会の案内文を200字以内で") + shown if shown else 0
    org_used, _, user_used, _ = before
    assert await _usage(harness) == (org_used + charged, 0, user_used + charged, 0), (
        "charged input + what was shown (nothing when nothing was), and the hold released"
    )
    assert start.text == "来週の庁内説明会の案内文を200字以内で", "the start record keeps what was sent"
    assert end.outcome is not None
    assert end.outcome.value == "failed"
    assert end.error == kind
    assert (await services_of(harness).audit.verify()).ok


async def test_retry_after_is_honoured_before_giving_up(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    """One retry allowed: the second request waits the Retry-After (2 s) the server asked for, not
    the SDK's own backoff (≤ 0.5 s); when it is refused again the hold is still released."""
    await harness.start(**model_env(fake_openai, MODEL_MAX_RETRIES="1", MODEL_TIMEOUT_SECONDS="5"))
    await agree(harness)
    fake_openai.script(Behaviour(status=429, retry_after="2"), Behaviour(status=429, retry_after="2"))

    started = time.monotonic()
    await harness.post(harness.message("議事録の要点を箇条書きで"))
    [reply] = await harness.connector.wait_messages(1, timeout=20)
    elapsed = time.monotonic() - started
    await drain(harness)

    assert "混み合っています" in reply["text"]
    assert len(fake_openai.requests) == 2
    assert elapsed >= 1.9, f"Retry-After ignored: gave up after {elapsed:.2f} s"
    assert await _usage(harness) == (0, 0, 0, 0)
    end = _only_model_turn(await records(harness))[-1].record
    assert (end.phase, end.error) == ("end", "rate_limit")


async def test_a_failed_turn_does_not_stop_the_next_one(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    """After a failure the same conversation answers normally and only the answered turn is charged."""
    await harness.start(**model_env(fake_openai))
    await agree(harness)
    fake_openai.script(Behaviour(status=500), Behaviour(text="回答です。"))

    await harness.post(harness.message("一つ目の質問"))
    await harness.connector.wait_messages(1, timeout=15)
    await drain(harness)
    await harness.post(harness.message("二つ目の質問"))
    messages = await harness.connector.wait_messages(2, timeout=15)
    await drain(harness)

    assert messages[-1]["text"].startswith("回答です。")
    org_used, org_reserved, user_used, _ = await _usage(harness)
    assert org_reserved == 0
    assert org_used == user_used == len("二つ目の質問") + len("回答です。")
    history = fake_openai.requests[-1]["messages"]
    assert "一つ目の質問" not in str(history), "a failed exchange is not kept in the history"
