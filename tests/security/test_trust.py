"""Trust boundaries inside the bot (issue 11): the roster, the pinned team, the admin channel,
incident reports. Over real HTTP with the fake Bot Connector (which answers the roster call)."""

from __future__ import annotations

import asyncio
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from bot.core.errors import PolicyError
from bot.core.policy import builtin_policies, load_policy
from bot.ui.incidents import texts
from bot.ui.incidents.cards import SUBMIT
from tests.teams.access_helpers import actions_of, card_of, execute, services_of, wait_records
from tests.teams.harness import ADMIN_OID, TENANT, USER_OID, BotHarness
from tests.teams.support_helpers import (
    ADMIN_CHANNEL,
    CHANNEL_ID,
    TEAM_ID,
    admin_posts,
    install_activity,
    install_in_team,
    introduce_admin,
    personal,
    thread_posts,
    wait_personal,
)

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


# ---- the support team is pinned --------------------------------------------------------------------

OTHER_TEAM = "19:team-of-my-own@thread.tacv2"
HEAD_OID = "aaaaaaaa-0000-0000-0000-0000000000ee"


async def test_an_install_in_another_team_never_moves_the_channels_and_the_admins_are_told(
    harness: BotHarness,
) -> None:
    await harness.start()
    await introduce_admin(harness)
    await install_in_team(harness)  # the admin installs in the all-staff team: pinned there
    # someone adds the app to a team of their own that has channels with the same names
    harness.connector.channels.extend(
        [
            {"id": "19:mine-chatgpt@thread.tacv2", "name": "ChatGPT"},
            {"id": "19:mine-admin", "name": ADMIN_CHANNEL},
        ]
    )
    await harness.post(install_activity(harness, OTHER_TEAM, user=ATTACKER_OID))
    notice = await _admin_notice(harness, "チームに追加されました")
    assert "変わりません" in notice
    directory = services_of(harness).channels
    for name in ("ChatGPT", ADMIN_CHANNEL):
        target = await directory.target(name)
        assert target is not None
        assert target.team_id == TEAM_ID, name
    await harness.post(harness.message("問い合わせ 申請書の様式はどこにありますか"))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) == 1)
    assert thread_posts(harness)[0].conversation_id.startswith(CHANNEL_ID)


async def test_an_install_by_a_member_of_staff_does_not_pick_the_support_team(harness: BotHarness) -> None:
    await harness.start()
    await introduce_admin(harness)
    await install_in_team(harness, user=USER_OID, wait=False)
    notice = await _admin_notice(harness, "管理者以外による追加")
    assert "SUPPORT_TEAM_ID" in notice
    assert await services_of(harness).channels.target("ChatGPT") is None


async def test_support_team_id_pins_the_team_whoever_installs(harness: BotHarness) -> None:
    await harness.start(SUPPORT_TEAM_ID=TEAM_ID)
    await harness.post(install_activity(harness, OTHER_TEAM, user=ADMIN_OID))  # an admin, elsewhere
    await install_in_team(harness, user=USER_OID)
    target = await services_of(harness).channels.target("ChatGPT")
    assert target is not None
    assert target.team_id == TEAM_ID


# ---- the admin channel ---------------------------------------------------------------------------------

ADMIN_TEAM = "19:team-ai-admins@thread.tacv2"  # a team whose members are the administrators only
ADMIN_TEAM_CHANNEL = "19:admins-ai-admin@thread.tacv2"
STAFF_TEAM_LOOKALIKE = "19:staff-ai-admin@thread.tacv2"


def _two_teams(harness: BotHarness) -> None:
    """The all-staff team has 「ChatGPT」 and, carelessly, a standard channel also named 「生成AI管理」
    that every member of staff reads; the admin team has the real 「生成AI管理」."""
    harness.connector.team_channels[TEAM_ID] = [
        {"id": TEAM_ID, "name": None},
        {"id": CHANNEL_ID, "name": "ChatGPT"},
        {"id": STAFF_TEAM_LOOKALIKE, "name": ADMIN_CHANNEL},
    ]
    harness.connector.team_channels[ADMIN_TEAM] = [
        {"id": ADMIN_TEAM, "name": None},
        {"id": ADMIN_TEAM_CHANNEL, "name": ADMIN_CHANNEL},
    ]


async def _targets(
    harness: BotHarness, names: tuple[str, ...] = ("ChatGPT", ADMIN_CHANNEL)
) -> dict[str, tuple[str, str]]:
    directory = services_of(harness).channels
    out = {}
    for name in names:
        for _ in range(200):
            target = await directory.target(name)
            if target is not None:
                out[name] = (target.team_id, target.channel_id)
                break
            await asyncio.sleep(0.05)
    return out


async def test_admin_team_id_puts_the_admin_channel_in_a_team_of_admins_only(harness: BotHarness) -> None:
    """Bots cannot be relied on in private channels, so the restricted admin channel is a standard
    channel of a separate admin team (ADMIN_TEAM_ID); the all-staff team's look-alike is never used."""
    await harness.start(SUPPORT_TEAM_ID=TEAM_ID, ADMIN_TEAM_ID=ADMIN_TEAM)
    _two_teams(harness)
    await harness.post(install_activity(harness, TEAM_ID, user=ADMIN_OID))
    await harness.post(install_activity(harness, ADMIN_TEAM, user=ADMIN_OID))
    targets = await _targets(harness)
    assert targets == {"ChatGPT": (TEAM_ID, CHANNEL_ID), ADMIN_CHANNEL: (ADMIN_TEAM, ADMIN_TEAM_CHANNEL)}
    harness.connector.add_member("29:head", HEAD_OID, "所属 課長", TENANT)
    assert "報告を受け付けました" in str(await _report(harness))
    await harness.connector.wait_for(  # posted after the click is answered
        lambda c: any(p.path == "/v3/conversations" for p in c.posted)
    )
    posts = [p for p in harness.connector.posted if p.path == "/v3/conversations"]
    assert [p.conversation_id.split(";")[0] for p in posts] == [ADMIN_TEAM_CHANNEL]


async def test_an_install_in_the_admin_team_does_not_pin_the_support_team(harness: BotHarness) -> None:
    await harness.start(ADMIN_TEAM_ID=ADMIN_TEAM)
    await introduce_admin(harness)
    _two_teams(harness)
    await harness.post(install_activity(harness, ADMIN_TEAM, user=ADMIN_OID))  # the admins' team first
    admin_only = await _targets(harness, (ADMIN_CHANNEL,))
    assert admin_only == {ADMIN_CHANNEL: (ADMIN_TEAM, ADMIN_TEAM_CHANNEL)}
    assert await services_of(harness).channels.target("ChatGPT") is None
    directory = services_of(harness).channels
    assert await directory.support_team() == ""
    await harness.post(install_activity(harness, TEAM_ID, user=ADMIN_OID))  # then the all-staff team
    for _ in range(200):
        if await directory.support_team() == TEAM_ID:
            break
        await asyncio.sleep(0.05)
    assert await _targets(harness) == {
        "ChatGPT": (TEAM_ID, CHANNEL_ID),
        ADMIN_CHANNEL: (ADMIN_TEAM, ADMIN_TEAM_CHANNEL),
    }


def test_the_shipped_policies_name_a_separate_admin_channel() -> None:
    for city in builtin_policies():
        support = load_policy(city).support
        assert support.channel_name == "ChatGPT"
        assert support.admin_channel_name == "生成AI管理"


def test_policy_validation_refuses_the_all_staff_channel_as_admin_channel(tmp_path: Path) -> None:
    text = resources.files("bot.core.policies").joinpath("iwaki.toml").read_text(encoding="utf-8")
    for same in ("ChatGPT", "ｃｈａｔｇｐｔ "):
        path = tmp_path / "city.toml"
        path.write_text(text.replace('admin_channel_name = "生成AI管理"', f'admin_channel_name = "{same}"'))
        with pytest.raises(PolicyError, match="admin_channel_name"):
            load_policy(str(path))


async def test_a_missing_admin_channel_tells_the_admins_and_the_reporter(harness: BotHarness) -> None:
    await harness.start()
    await introduce_admin(harness)
    await install_in_team(harness, admin_channel=False)
    body = await _report(harness)
    assert "報告を受け付けました" in str(body)  # the click is answered before the post is tried
    [*_, told] = await wait_personal(harness, 2)  # the form, then the reporter is told in the chat
    assert "投稿できませんでした" in told["text"]
    notice = await _admin_notice(harness, "管理者チャンネル「生成AI管理」に投稿できませんでした")
    assert "問題の報告" in notice
    assert admin_posts(harness) == []


# ---- incident reports ----------------------------------------------------------------------------------


async def test_the_head_of_section_must_be_on_the_roster(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    body = await _report(harness, head="bbbbbbbb-0000-0000-0000-00000000dead")  # not in the team
    assert texts.HEAD_NOT_IN_TEAM in str(body)
    assert admin_posts(harness) == []
    harness.connector.add_member("29:head", HEAD_OID, "所属 課長", TENANT)
    body = await _report(harness)
    assert "報告を受け付けました" in str(body)
    await harness.connector.wait_for(lambda c: len(admin_posts(harness)) == 1)


async def test_incident_reports_are_rate_limited(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    harness.connector.add_member("29:head", HEAD_OID, "所属 課長", TENANT)
    for _ in range(texts.REPORTS_PER_HOUR):
        assert "報告を受け付けました" in str(await _report(harness))
    body = await _report(harness)
    assert f"1時間に{texts.REPORTS_PER_HOUR}件まで" in str(body)
    assert len(admin_posts(harness)) == texts.REPORTS_PER_HOUR
    await wait_records(harness, lambda r: r.event == "incident.rate_limited")


async def _report(harness: BotHarness, head: str = HEAD_OID) -> Any:
    await harness.post(harness.message("報告"))
    form = card_of((await wait_personal(harness, len(personal(harness)) + 1))[-1])
    data = {
        **actions_of(form)[SUBMIT]["data"],
        "category": "personal_info",
        "date": "2026-11-20",
        "time": "14:30",
        "description": "住民の氏名を入力してしまいました。",
        "head": head,
    }
    status, body = await harness.post(execute(harness, SUBMIT, data))
    assert status == 200
    return body


async def _admin_notice(harness: BotHarness, needle: str) -> str:
    await harness.connector.wait_for(
        lambda c: any(needle in (m.get("text") or "") for m in personal(harness, ADMIN_OID))
    )
    return next(m["text"] for m in personal(harness, ADMIN_OID) if needle in (m.get("text") or ""))
