"""Load and fairness over real HTTP (loopback): one user firing many turns at once.

- 200 simultaneous turns from one user: every turn is recorded (answered or refused, never lost;
  a message refused by its chat's queue too, with its text screened), the chain is intact, and the
  user's pace limits hold (rate limit, turns in progress, the model is asked only for what the
  policy allows).
- The set of background turns is bounded: beyond it the endpoint answers 503 with Retry-After.
- While shutting down the endpoint answers 503; running turns finish and are recorded first.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.audit import AuditRecord, StoredRecord
from bot.core.turn import Outcome
from bot.teams.app import DRAINING, TASKS, _drain
from tests.fakes.battery import drain, model_env, policy_file, records, services_of
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import BotHarness

pytestmark = pytest.mark.slow

TURNS = 200


def _refused_busy(stored: list[StoredRecord]) -> list[AuditRecord]:
    """The single records of messages the chat's queue refused (the user was told to resend)."""
    return [
        r.record
        for r in stored
        if r.record.phase == "single" and r.record.outcome == Outcome.REFUSED and r.record.error == "busy"
    ]


def _paced_policy(tmp_path: Path, per_minute: int, at_once: int) -> str:
    path = policy_file(
        tmp_path / "policy",
        require_consent=False,
        user_turns_per_minute=per_minute,
        user_concurrent_turns=at_once,
    )
    return str(path)


async def test_200_simultaneous_turns_of_one_user_are_all_recorded(
    harness: BotHarness, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    policy = _paced_policy(tmp_path, per_minute=TURNS, at_once=TURNS)  # the pace limits are tested below
    await harness.start(**model_env(fake_openai, BOT_POLICY=policy))
    fake_openai.default = Behaviour(text="了解しました。", first_delay_s=0.05)
    # one user, many chats at once (one chat's turns queue one at a time: see the next test), so
    # every turn runs its pipeline concurrently and writes its records under contention
    activities = [
        harness.message(f"{i}番目の依頼です", conversation=f"a:chat-{i % 50}") for i in range(TURNS)
    ]
    statuses = await asyncio.gather(*(harness.post(a) for a in activities))
    assert {status for status, _ in statuses} == {202}
    await drain(harness, timeout=240)

    busy = [m for m in harness.connector.messages() if "前のご依頼に回答中です" in (m.get("text") or "")]
    stored = await records(harness)
    recorded = {r.record.turn_id for r in stored if r.record.phase in {"end", "single"}}
    assert len(recorded) == TURNS, f"{TURNS - len(recorded)} turns left no record"
    assert len(_refused_busy(stored)) == len(busy), "every busy notice has its record"
    started = {r.record.turn_id for r in stored if r.record.phase == "start"}
    assert started <= recorded, "every turn that reached the model also ended"
    report = await services_of(harness).audit.verify()
    assert report.ok, report.problems
    assert report.pending == 0
    assert report.incomplete_turns == ()


async def test_200_simultaneous_turns_of_one_conversation_reach_the_model_one_at_a_time(
    harness: BotHarness, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    policy = _paced_policy(tmp_path, per_minute=TURNS, at_once=TURNS)
    await harness.start(**model_env(fake_openai, BOT_POLICY=policy))
    fake_openai.default = Behaviour(text="了解しました。", first_delay_s=0.05)
    texts = [f"{i}番目の依頼です。連絡先は090-1234-{i:04d}です" for i in range(TURNS)]
    await asyncio.gather(*(harness.post(harness.message(t)) for t in texts))
    await drain(harness, timeout=240)
    assert len(fake_openai.requests) >= 1
    assert fake_openai.peak_in_flight <= 1, "at most one turn of a conversation in flight"
    busy = [m for m in harness.connector.messages() if "前のご依頼に回答中です" in (m.get("text") or "")]
    assert len(busy) >= TURNS // 2, "the queue refused most of them (two wait, one runs)"
    stored = await records(harness)
    recorded = {r.record.turn_id for r in stored if r.record.phase in {"end", "single"}}
    assert len(recorded) == TURNS, "every turn was recorded, the refused ones too"
    refused = _refused_busy(stored)
    assert len(refused) == len(busy)
    # each message's record keeps its text as records keep text: the phone number masked
    kept = [r.record.text for r in stored if r.record.phase == "start"] + [r.text for r in refused]
    for i in range(TURNS):
        assert sum(t.startswith(f"{i}番目の依頼です") for t in kept) == 1, f"message {i} has one record"
    assert not any("090-1234" in t for t in kept), "the text is screened like every record's"
    assert all("〔電話番号" in t for t in kept)
    assert (await services_of(harness).audit.verify()).ok


async def test_one_user_cannot_flood_the_model(
    harness: BotHarness, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """The shipped policies' pace (10 a minute, 3 at once): 200 turns at once from one user reach
    the model at most 10 times, never more than 3 at once; the rest are told to wait, and recorded."""
    policy = _paced_policy(tmp_path, per_minute=10, at_once=3)
    await harness.start(**model_env(fake_openai, BOT_POLICY=policy))
    fake_openai.default = Behaviour(text="了解しました。", first_delay_s=0.3)
    chats = [f"a:chat-{i % 50}" for i in range(TURNS)]  # many chats: the chat queue is not what stops them
    await asyncio.gather(
        *(harness.post(harness.message(f"{i}番目", conversation=c)) for i, c in enumerate(chats))
    )
    await drain(harness, timeout=240)

    assert 1 <= len(fake_openai.requests) <= 10
    assert fake_openai.peak_in_flight <= 3
    texts = [m["text"] for m in harness.connector.messages()]
    waits = [t for t in texts if "もう一度送ってください" in t]
    assert len(waits) >= TURNS - 10
    assert any("1分間に10件まで" in t for t in texts) or any("同時に3件まで" in t for t in texts)
    stored = await records(harness)
    outcomes = [r.record.outcome.value for r in stored if r.record.phase == "single" and r.record.outcome]
    busy = [t for t in texts if "前のご依頼に回答中です" in t]
    assert outcomes.count("rate_limited") >= TURNS - 10 - len(busy)
    assert outcomes.count("refused") == len(busy)
    recorded = {r.record.turn_id for r in stored if r.record.phase in {"end", "single"}}
    assert len(recorded) == TURNS


async def test_background_turns_are_bounded_with_retry_after(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai, MAX_BACKGROUND_TURNS="2"))
    fake_openai.default = Behaviour(text="ゆっくり答えます。", first_delay_s=1.5)
    first = await asyncio.gather(*(harness.post(harness.message(f"依頼{i}")) for i in range(2)))
    assert [s for s, _ in first] == [202, 202]
    assert harness.session is not None
    async with harness.session.post(harness.url, json=harness.message("三つ目")) as resp:
        assert resp.status == 503
        assert int(resp.headers["Retry-After"]) > 0
    await drain(harness)
    status, _ = await harness.post(harness.message("空いたので四つ目"))
    assert status == 202


async def test_shutdown_refuses_new_turns_and_records_the_running_ones(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai))
    fake_openai.default = Behaviour(text="長い回答です。" * 10, chunk_chars=4, interval_s=0.2)
    assert (await harness.post(harness.message("最後まで答える依頼")))[0] == 202
    assert (await harness.post(harness.message("止められる依頼", conversation="a:other")))[0] == 202
    await asyncio.sleep(0.5)
    assert harness.server is not None
    app = harness.server.app
    app[DRAINING].set()  # what SIGTERM does first (aiohttp on_shutdown)
    assert (await harness.post(harness.message("停止中の依頼")))[0] == 503
    await _drain(app[TASKS], grace_s=0.5)  # one turn runs past the grace period: stopped
    stored = await records(harness)
    closing = [r.record for r in stored if r.record.phase == "end"]
    assert len(closing) == 2, "both running turns closed their records before storage closes"
    assert {r.outcome.value for r in closing if r.outcome} <= {"answered", "stopped", "failed"}
    assert (await services_of(harness).audit.verify()).incomplete_turns == ()
