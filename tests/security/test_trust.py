"""Trust boundaries inside the bot (issue 11): the roster, the pinned team, the admin channel,
incident reports. Over real HTTP with the fake Bot Connector (which answers the roster call)."""

from __future__ import annotations

from tests.teams.access_helpers import wait_records
from tests.teams.harness import ADMIN_OID, BotHarness
from tests.teams.support_helpers import personal, wait_personal

ATTACKER_OID = "aaaaaaaa-0000-0000-0000-00000000bad0"


async def test_an_admin_command_needs_the_roster_to_confirm_the_caller(harness: BotHarness) -> None:
    await harness.start()
    # Web Chat style forgery: the attacker's own account, with the admin's object id typed in
    harness.connector.add_member(
        "29:attacker", ATTACKER_OID, "攻撃 者", "11111111-2222-3333-4444-555555555555"
    )
    forged = harness.message("記録の概要", user=ADMIN_OID)
    forged["from"]["id"] = "29:attacker"
    await harness.post(forged, on_roster=False)
    [reply] = await wait_personal(harness, 1, user=ADMIN_OID)
    assert "管理者" in reply["text"]
    assert "29:attacker" in harness.connector.roster_lookups
    refused = await wait_records(
        harness, lambda r: r.outcome is not None and r.outcome.value == "not_allowed"
    )
    assert refused, "the forged attempt is recorded"


async def test_an_admin_not_found_on_the_roster_is_not_an_admin(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("記録の概要", user=ADMIN_OID), on_roster=False)
    [reply] = await wait_personal(harness, 1, user=ADMIN_OID)
    assert "管理者（情報政策課）だけ" in reply["text"]


async def test_a_confirmed_admin_gets_the_admin_command(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("記録の概要", user=ADMIN_OID))
    [reply] = await wait_personal(harness, 1, user=ADMIN_OID)
    assert "管理者（情報政策課）だけ" not in str(reply)
    assert personal(harness, ADMIN_OID)
