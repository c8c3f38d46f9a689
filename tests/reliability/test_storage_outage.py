"""Azure Table Storage (a real Azurite of this test's own) stopped during turns and started again.

Fail closed: without storage there is no quota reservation and no record, so the model is never
called; the user is told why. Once storage is back the bot serves again without a restart, and
nothing was half-written: every audit chain verifies (a turn cut off after its start record shows
up as incomplete, never as a broken chain).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.fakes.azurite_process import RestartableAzurite
from tests.fakes.battery import agree, drain, model_env, services_of, this_month
from tests.fakes.gated_connector import GatedConnector
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import USER_OID, BotHarness

pytestmark = [pytest.mark.azurite, pytest.mark.slow]

UNAVAILABLE = "記録用のデータベースに接続できない"


@pytest.fixture(scope="module")
def azurite_process() -> Iterator[RestartableAzurite]:
    """Our own Azurite, persistent on disk, so it can be stopped and restarted with its data."""
    reason = RestartableAzurite.unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Azurite unavailable: {reason}", pytrace=False)
        pytest.skip(f"Azurite unavailable: {reason}")
    azurite = RestartableAzurite()
    azurite.start()
    yield azurite
    azurite.close()


@pytest.fixture
async def gated() -> AsyncIterator[GatedConnector]:
    """A fake Bot Connector that can hold the bot at a chosen activity."""
    fake = GatedConnector()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def bot(
    gated: GatedConnector, azurite_process: RestartableAzurite, fake_openai: FakeOpenAI, tmp_path: Path
) -> AsyncIterator[BotHarness]:
    """The bot on our Azurite (tables of its own), a consented user, storage up."""
    if azurite_process.process is None or azurite_process.process.poll() is not None:
        azurite_process.start()
    h = BotHarness(connector=gated, data_dir=tmp_path / "data")
    await h.start(
        AZURE_TABLES_CONNECTION_STRING=azurite_process.connection_string,
        BOT_TABLE_PREFIX="o" + uuid.uuid4().hex[:10],
        BOT_STATE_KEY="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        **model_env(fake_openai, MODEL_TIMEOUT_SECONDS="10"),
    )
    await agree(h)
    yield h
    await h.close()


async def _reserved(harness: BotHarness) -> int:
    return (await services_of(harness).quota.snapshot(USER_OID, "情報政策課")).org.reserved


async def test_storage_down_before_a_turn_fails_closed_and_recovers(
    bot: BotHarness, gated: GatedConnector, azurite_process: RestartableAzurite, fake_openai: FakeOpenAI
) -> None:
    azurite_process.stop()
    await bot.post(bot.message("会議室の予約方法を教えて"))
    [reply] = await gated.wait_messages(1, timeout=30)
    await drain(bot, timeout=30)
    assert UNAVAILABLE in reply["text"]
    assert "Traceback" not in reply["text"]
    assert fake_openai.requests == [], "no model call without a reservation and a record"

    azurite_process.start()
    fake_openai.script(Behaviour(text="予約は庁内ポータルから行えます。"))
    await bot.post(bot.message("会議室の予約方法を教えて"))
    messages = await gated.wait_messages(2, timeout=30)
    await drain(bot, timeout=30)
    assert messages[-1]["text"].startswith("予約は庁内ポータルから行えます。")
    report = await services_of(bot).audit.verify()
    assert report.ok, report.problems
    assert await _reserved(bot) == 0


async def test_storage_lost_after_the_first_update_never_calls_the_model(
    bot: BotHarness, gated: GatedConnector, azurite_process: RestartableAzurite, fake_openai: FakeOpenAI
) -> None:
    """Storage goes away right after the bot showed 回答を作成しています… (sent before any storage
    round trip; the bot is held there): access, quota and the audit start record cannot be read or
    written, so the turn fails closed and the model is not called. (The narrower case — only the
    start record failing after the reservation — is tests/reliability/test_audit_fail_closed.py.)"""
    gated.gate("typing")
    await bot.post(bot.message("住民説明会の開催案内を作って"))
    await gated.reached(timeout=15)
    azurite_process.stop()
    gated.release()

    [reply] = await gated.wait_messages(1, timeout=30)
    await drain(bot, timeout=30)
    assert UNAVAILABLE in reply["text"]
    assert fake_openai.requests == [], "a model call without its start record must never happen"

    azurite_process.start()
    fake_openai.script(Behaviour(text="開催案内の素案です。"))
    await bot.post(bot.message("住民説明会の開催案内を作って"))
    messages = await gated.wait_messages(2, timeout=30)
    await drain(bot, timeout=30)
    assert messages[-1]["text"].startswith("開催案内の素案です。")
    audit = services_of(bot).audit
    report = await audit.verify()
    assert report.ok, report.problems
    assert report.incomplete_turns == (), "the refused turn left no start record"
    phases = [r.record.phase async for r in audit.iter_month(this_month())]
    assert phases.count("start") == 1, "only the answered turn reached the model"
    assert phases.count("end") == 1
    policy = services_of(bot).policy.quota
    hold = len("住民説明会の開催案内を作って") + policy.max_answer_chars
    assert await _reserved(bot) <= hold, "at most the orphaned hold remains, until it expires"


async def test_storage_lost_mid_stream_leaves_an_incomplete_turn_not_a_broken_chain(
    bot: BotHarness, gated: GatedConnector, azurite_process: RestartableAzurite, fake_openai: FakeOpenAI
) -> None:
    """Storage goes away while the model streams: the answer cannot be kept in the history, so the
    user is told; after the restart the chain verifies and the turn is there, not missing.

    Issue 13 changed the last part: the end record no longer takes an inbox row of its own (which
    failed in the outage, leaving the turn incomplete) but waits for the running chainer, which
    chains it once storage is back: the turn is complete and its end record says how it failed.
    A turn whose end is lost with the process (SIGKILL) is still reported incomplete
    (tests/reliability/test_crash.py, tests/audit/test_handover.py)."""
    slow = Behaviour(text="長い回答の一部です。" * 20, chunk_chars=10, first_delay_s=0.5, interval_s=0.05)
    fake_openai.script(slow)
    await bot.post(bot.message("長めの説明を書いて"))
    await gated.wait_for(lambda c: len(c.activities(type_="typing")) >= 2, timeout=15)
    azurite_process.stop()

    [reply] = await gated.wait_messages(1, timeout=30)
    await drain(bot, timeout=30)
    assert UNAVAILABLE in reply["text"]
    assert len(fake_openai.requests) == 1

    azurite_process.start()
    audit = services_of(bot).audit
    report = await audit.verify()
    assert report.ok, report.problems
    assert report.incomplete_turns == (), "the end record outlived the outage in memory"
    records = [r async for r in audit.iter_month(this_month())]
    [start] = [r for r in records if r.record.phase == "start"]
    [end] = [r for r in records if r.record.phase == "end"]
    assert end.record.turn_id == start.record.turn_id
    assert end.record.outcome == "failed"
    assert start.record.text == "長めの説明を書いて"
