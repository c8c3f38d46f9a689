"""Helpers for HTTP-level tests that need consent, an admin channel, or the records.

`agree(harness)` is what a user does on first contact; other test modules whose users must be
able to chat can call it (or `seed_consent`) before their first message.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from bot.core.access import AccessStore, Consent
from bot.core.audit import AuditRecord
from bot.core.audit.months import jst_month
from bot.core.clock import system_clock
from bot.core.storage.base import Entity
from bot.teams.app import SERVICES
from bot.teams.channels import ChannelTarget
from bot.teams.directory import TABLE as REFS_TABLE
from bot.teams.directory import name_key
from bot.teams.services import Services
from tests.teams.harness import TENANT, USER_OID, BotHarness

TEAM_ID = "19:team-all-staff@thread.tacv2"  # the General channel's id equals the team id
ADMIN_CHANNEL_ID = "19:ai-admin@thread.tacv2"  # 「生成AI管理」, separate from the all-staff channel
ADMIN_NAME = "情報 管理者"


def services_of(harness: BotHarness) -> Services:
    """The running bot's services."""
    assert harness.server is not None
    services: Services = harness.server.app[SERVICES]
    return services


def execute(
    harness: BotHarness, verb: str, data: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """An Action.Execute invoke (`harness.invoke` loses the invoke name: its `name` is the sender's)."""
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data or {}}, "trigger": "manual"}
    activity = harness.activity(type="invoke", value=value, **fields)
    activity["name"] = "adaptiveCard/action"
    return activity


async def agree(harness: BotHarness, user: str = USER_OID, department: str = "総務課", **fields: Any) -> Any:
    """Agree to the current guideline from the consent card; returns the invoke response body."""
    version = services_of(harness).policy.guideline.version
    status, body = await harness.post(
        execute(harness, "access.agree", {"version": version, "department": department}, user=user, **fields)
    )
    assert status == 200, body
    return body


async def seed_consent(
    harness: BotHarness, user: str = USER_OID, *, version: str = "", department: str = "総務課"
) -> None:
    """Store a consent directly (the current version unless told otherwise)."""
    services = services_of(harness)
    store = AccessStore(services.storage, services.clock)
    await store.agree(
        Consent(user, "市役所 太郎", department, version or services.policy.guideline.version, system_clock())
    )


async def join_team(harness: BotHarness, channel_name: str = "生成AI管理") -> None:
    """Make the admin channel known, as discovering it when the bot joins the team would.

    Stored directly (the directory's own layout) rather than through a team install: discovery
    is the channels feature's to test, and these tests are about what is posted there.
    """
    target = ChannelTarget(
        channel_name, TEAM_ID, ADMIN_CHANNEL_ID, harness.connector.url, TENANT, "28:bot-id"
    )
    storage = services_of(harness).storage
    await storage.upsert(REFS_TABLE, Entity("channel", name_key(channel_name), asdict(target)))
    assert await services_of(harness).channels.target(channel_name) == target


def channel_posts(harness: BotHarness) -> list[dict[str, Any]]:
    """Activities posted as new threads in the admin channel."""
    return [
        p.body
        for p in harness.connector.posted
        if p.path == "/v3/conversations" and p.conversation_id.startswith(ADMIN_CHANNEL_ID)
    ]


def channel_updates(harness: BotHarness) -> list[dict[str, Any]]:
    """Activities the bot replaced (PUT) anywhere."""
    return [p.body for p in harness.connector.posted if p.method == "PUT"]


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    """The Adaptive Card an activity carries."""
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    content: dict[str, Any] = attachment["content"]
    return content


def actions_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every Action.Execute / Action.Submit of a card (nested ones too), by verb."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found[node["verb"]] = node
            elif node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
                found[node["data"].get("verb", "")] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def card_text(card: dict[str, Any]) -> str:
    """All text of a card (TextBlocks and facts), for assertions."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "label"):
                if isinstance(node.get(key), str):
                    parts.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(parts)


def personal_messages(harness: BotHarness, user: str = USER_OID) -> list[dict[str, Any]]:
    """Messages sent to the user's personal chat."""
    return harness.connector.messages(f"a:personal-{user}")


async def records(harness: BotHarness) -> list[AuditRecord]:
    """This month's records."""
    audit = services_of(harness).audit
    return [stored.record async for stored in audit.iter_month(jst_month(system_clock()))]


async def events(harness: BotHarness, kind: str) -> list[AuditRecord]:
    """This month's event records of one kind."""
    return [r for r in await records(harness) if r.phase == "event" and r.event == kind]


async def wait_records(harness: BotHarness, predicate: Any, timeout: float = 5.0) -> list[AuditRecord]:
    """Records matching predicate, waiting for background turns to finish writing them."""
    for _ in range(int(timeout / 0.05)):
        found = [r for r in await records(harness) if predicate(r)]
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("no matching record was written")
