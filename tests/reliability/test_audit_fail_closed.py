"""No model call without its record: when only the records cannot be written, the turn fails closed.

The storage outage test (test_storage_outage.py) stops the whole of Azure Table Storage, so any
storage call may be the one that notices. Here ONLY the audit table refuses writes (a SQLite
trigger on the bot's own database, as a full or locked-down audit store would): everything else
works, the quota reservation succeeds, and it is the start record alone that stops the model call.
"""

from __future__ import annotations

import sqlite3

from tests.fakes.battery import agree, drain, model_env, records, services_of
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import USER_OID, BotHarness

UNAVAILABLE = "記録用のデータベースに接続できない"


def _audit_writes(harness: BotHarness, *, broken: bool) -> None:
    with sqlite3.connect(harness.data_dir / "bot.sqlite3") as conn:
        if broken:
            for event in ("INSERT", "UPDATE"):
                conn.execute(
                    f"CREATE TRIGGER audit_down_{event.lower()} BEFORE {event} ON entities "
                    # the chain and its inbox (where records land first)
                    "WHEN NEW.tbl IN ('audit', 'auditq') "
                    "BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END"
                )
        else:
            conn.execute("DROP TRIGGER audit_down_insert")
            conn.execute("DROP TRIGGER audit_down_update")


async def test_model_is_not_called_when_the_start_record_cannot_be_written(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai))
    await agree(harness)
    _audit_writes(harness, broken=True)

    await harness.post(harness.message("補助金の案内文を作って"))
    [reply] = await harness.connector.wait_messages(1, timeout=15)
    await drain(harness)
    assert UNAVAILABLE in reply["text"]
    assert fake_openai.requests == [], "the model is never called without its start record"
    snapshot = await services_of(harness).quota.snapshot(USER_OID, "情報政策課")
    assert (snapshot.org.used, snapshot.org.reserved) == (0, 0), "the hold was released, nothing charged"

    _audit_writes(harness, broken=False)
    fake_openai.script(Behaviour(text="補助金の案内文です。"))
    await harness.post(harness.message("補助金の案内文を作って"))
    messages = await harness.connector.wait_messages(2, timeout=15)
    await drain(harness)
    assert messages[-1]["text"].startswith("補助金の案内文です。")
    report = await services_of(harness).audit.verify()
    assert report.ok
    assert report.incomplete_turns == ()
    phases = [r.record.phase for r in await records(harness)]
    assert phases.count("start") == 1
    assert phases.count("end") == 1
