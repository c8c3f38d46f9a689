"""Helpers for the support channel and incident tests: a team with the policy's channel, channel posts."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from bot.core.tickets import QUESTION, Ticket, TicketStore
from tests.teams.access_helpers import services_of
from tests.teams.harness import ADMIN_OID, TENANT, USER_OID, BotHarness

TEAM_ID = "19:team-all-staff@thread.tacv2"  # the General channel's id equals the team id
CHANNEL_ID = "19:chatgpt@thread.tacv2"  # the all-staff support channel 「ChatGPT」
ADMIN_CHANNEL = "生成AI管理"  # both shipped policies: a separate, restricted admin channel
ADMIN_CHANNEL_ID = "19:ai-admin@thread.tacv2"
BOT_ID = "28:bot-id"
ADMIN_NAME = "情報 管理者"


async def install_in_team(
    harness: BotHarness,
    channel_name: str = "ChatGPT",
    *,
    admin_channel: bool = True,
    user: str = ADMIN_OID,
    wait: bool = True,
) -> None:
    """An administrator installs the bot in the all-staff team (a real conversationUpdate, which
    pins the support team) and the policy channels are discovered."""
    harness.connector.channels.append({"id": CHANNEL_ID, "name": channel_name})
    if admin_channel:
        harness.connector.channels.append({"id": ADMIN_CHANNEL_ID, "name": ADMIN_CHANNEL})
    status, _ = await harness.post(install_activity(harness, TEAM_ID, user))
    assert status in (200, 202)
    if not wait:
        return
    directory = services_of(harness).channels
    for _ in range(200):
        if await directory.target(channel_name) is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the support channel was not discovered")


def install_activity(
    harness: BotHarness, team_id: str, user: str = ADMIN_OID, **fields: Any
) -> dict[str, Any]:
    """The conversationUpdate Teams sends when `user` adds the bot to a team."""
    data = {"tenant": {"id": TENANT}, "team": {"id": team_id}, "channel": {"id": team_id}}
    return harness.activity(
        type="conversationUpdate",
        conversation=team_id,
        conversation_type="channel",
        membersAdded=[{"id": BOT_ID}],
        channelData={**data, "eventType": "teamMemberAdded"},
        user=user,
        display_name=ADMIN_NAME if user == ADMIN_OID else "職員 一般",
        **fields,
    )


def _team_data(channel_id: str, **extra: Any) -> dict[str, Any]:
    return {"tenant": {"id": TENANT}, "team": {"id": TEAM_ID}, "channel": {"id": channel_id}, **extra}


def in_channel(conversation: str) -> dict[str, Any]:
    """Activity fields of a post in a channel thread (`<channel>;messageid=<root>`)."""
    return {
        "conversation": conversation,
        "conversation_type": "channel",
        "channelData": _team_data(conversation.split(";", 1)[0]),
    }


def channel_message(harness: BotHarness, text: str, conversation: str, **fields: Any) -> dict[str, Any]:
    """A channel post that @mentions the bot."""
    activity = harness.message(f"<at>AIアシスタント</at> {text}", **in_channel(conversation), **fields)
    activity["entities"] = [
        {
            "type": "mention",
            "mentioned": {"id": BOT_ID, "name": "AIアシスタント"},
            "text": "<at>AIアシスタント</at>",
        }
    ]
    return activity


async def introduce_admin(harness: BotHarness) -> None:
    """The admin writes to the bot once, so their 29: id is known (card refresh, mentions)."""
    before = len(harness.connector.messages(f"a:personal-{ADMIN_OID}"))
    await harness.post(harness.message("ヘルプ", user=ADMIN_OID, display_name=ADMIN_NAME))
    await harness.connector.wait_for(lambda c: len(c.messages(f"a:personal-{ADMIN_OID}")) > before)


def admin_posts(harness: BotHarness) -> list[Any]:
    """New threads the bot started in the admin channel (recorded connector requests)."""
    return [
        p
        for p in harness.connector.posted
        if p.path == "/v3/conversations" and p.conversation_id.startswith(ADMIN_CHANNEL_ID)
    ]


def thread_posts(harness: BotHarness) -> list[Any]:
    """New threads the bot started in the support channel (recorded connector requests)."""
    return [
        p
        for p in harness.connector.posted
        if p.path == "/v3/conversations" and p.conversation_id.startswith(CHANNEL_ID)
    ]


def updates(harness: BotHarness, conversation: str) -> list[dict[str, Any]]:
    """Bodies of the bot's PUTs (card replaced for everyone) in a conversation."""
    return [
        p.body for p in harness.connector.posted if p.method == "PUT" and p.conversation_id == conversation
    ]


def personal(harness: BotHarness, user: str = USER_OID) -> list[dict[str, Any]]:
    """Messages in the user's personal chat."""
    return harness.connector.messages(f"a:personal-{user}")


async def wait_personal(harness: BotHarness, count: int, user: str = USER_OID) -> list[dict[str, Any]]:
    """Wait until the user's personal chat has `count` messages."""
    await harness.connector.wait_for(lambda c: len(c.messages(f"a:personal-{user}")) >= count)
    return personal(harness, user)


async def only_question(harness: BotHarness) -> Ticket:
    """The one question ticket stored."""
    services = services_of(harness)
    entities = [e async for e in services.storage.scan("support", pk_prefix=QUESTION)]
    assert len(entities) == 1, entities
    ticket = await TicketStore(services.storage, services.clock).get(QUESTION, entities[0].row_key)
    assert ticket is not None
    return ticket


def database_text(harness: BotHarness) -> str:
    """Every stored value of the SQLite database, as one string (to prove something is NOT stored)."""
    db = harness.data_dir / "bot.sqlite3"
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute("select * from entities").fetchall()
    finally:
        connection.close()
    return "\n".join(str(value) for row in rows for value in row)
