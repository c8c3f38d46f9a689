"""With real Bot Framework authentication on: tenants not allowed are refused even with a valid token,
tokens for another bot are refused, and a refused request leaves nothing behind.

tests/teams/test_auth.py covers each kind of bad token → 401 (another app id's token among them:
`other_app`); tests/teams/test_chat.py the anonymous tenant refusal. This module combines them the
way an attacker would (a genuine token with a foreign tenant, a card action from a foreign tenant)
and checks that nothing is stored, posted or sent to the model for any refused request.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.battery import AGREE_VERB, execute
from tests.fakes.openai_server import FakeOpenAI
from tests.teams.harness import TENANT, BotHarness
from tests.teams.test_auth import APP_ID, ISSUER, TENANT_ID, KeyServer

OTHER_TENANT = "99999999-8888-7777-6666-555555555555"


@pytest.fixture(scope="module")
def keys() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.close()


async def _start(harness: BotHarness, keys: KeyServer, fake: FakeOpenAI) -> None:
    assert TENANT == TENANT_ID
    await harness.start(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="not-used-offline",
        MicrosoftAppTenantId=TENANT_ID,
        BOT_OPENID_METADATA_URL=f"{keys.url}/.well-known/openid-configuration",
        BOT_TOKEN_ISSUER=ISSUER,
        ALLOWED_TENANT_IDS=TENANT,
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=fake.base_url,
    )


def _bearer(keys: KeyServer, activity: dict[str, Any], **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.token(serviceurl=activity['serviceUrl'], **claims)}"}


def _stored_rows(harness: BotHarness) -> int:
    db = harness.data_dir / "bot.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        # the start-up marker of the store's municipality (bot.core.deployment) is not the request's
        query = "select count(*) from entities where tbl != 'deployment'"
        return int(conn.execute(query).fetchone()[0])


def _foreign(activity: dict[str, Any], where: str) -> dict[str, Any]:
    if where in ("conversation", "both"):
        activity["conversation"]["tenantId"] = OTHER_TENANT
    if where in ("channelData", "both"):
        activity["channelData"] = {"tenant": {"id": OTHER_TENANT}}
    if where == "missing":
        activity["conversation"].pop("tenantId")
        activity["channelData"] = {}
    return activity


@pytest.mark.parametrize("where", ["both", "conversation", "missing"])
@pytest.mark.parametrize("kind", ["message", "card_action", "install"])
async def test_valid_token_from_a_tenant_not_allowed_is_refused_and_nothing_stored(
    harness: BotHarness, keys: KeyServer, fake_openai: FakeOpenAI, kind: str, where: str
) -> None:
    await _start(harness, keys, fake_openai)
    activity = {
        "message": lambda: harness.message("こんにちは、予算書の要約をお願いします"),
        "card_action": lambda: execute(harness, AGREE_VERB, {"version": "2024-04-15", "department": "総務"}),
        "install": lambda: harness.activity(type="conversationUpdate", membersAdded=[{"id": "28:bot-id"}]),
    }[kind]()
    activity = _foreign(activity, where)
    status, _ = await harness.post(activity, headers=_bearer(keys, activity))
    assert status == 403
    assert harness.connector.posted == [], "nothing is sent back to a foreign tenant"
    assert fake_openai.requests == []
    assert _stored_rows(harness) == 0, "nothing is stored for a foreign tenant (not even a record)"


async def test_allowed_tenant_is_matched_case_insensitively(
    harness: BotHarness, keys: KeyServer, fake_openai: FakeOpenAI
) -> None:
    await _start(harness, keys, fake_openai)
    activity = harness.activity(type="somethingNew")
    activity["conversation"]["tenantId"] = TENANT.upper()
    status, _ = await harness.post(activity, headers=_bearer(keys, activity))
    assert status == 202


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "99999999-1111-2222-3333-444444444444"},  # a genuine token, issued to another bot
        {"aud": "99999999-1111-2222-3333-444444444444", "appid": APP_ID},
        {"aud": [APP_ID, "99999999-1111-2222-3333-444444444444"]},
    ],
    ids=["other-app", "other-app-claiming-our-appid", "audience-list"],
)
async def test_token_for_another_app_is_401_and_nothing_stored(
    harness: BotHarness, keys: KeyServer, fake_openai: FakeOpenAI, claims: dict[str, Any]
) -> None:
    await _start(harness, keys, fake_openai)
    activity = harness.message("こんにちは")
    status, _ = await harness.post(activity, headers=_bearer(keys, activity, **claims))
    assert status == 401
    assert harness.connector.posted == []
    assert fake_openai.requests == []
    assert _stored_rows(harness) == 0


@pytest.mark.parametrize("where", ["channelData", "conversation"])
async def test_activity_claiming_two_tenants_is_refused(
    harness: BotHarness, keys: KeyServer, fake_openai: FakeOpenAI, where: str
) -> None:
    """Teams puts the tenant in conversation.tenantId AND channelData.tenant.id; an activity whose
    two disagree (one allowed, one foreign) is refused, so the records can never name a tenant other
    than the one the front door checked."""
    await _start(harness, keys, fake_openai)
    activity = execute(harness, AGREE_VERB, {"version": "2024-04-15", "department": "総務課"})
    if where == "channelData":
        activity["channelData"] = {"tenant": {"id": OTHER_TENANT}}
    else:
        activity["conversation"]["tenantId"] = OTHER_TENANT
    status, _ = await harness.post(activity, headers=_bearer(keys, activity))
    assert status == 403
    assert _stored_rows(harness) == 0
    assert harness.connector.posted == []


async def test_records_name_the_tenant_the_front_door_checked(
    harness: BotHarness, keys: KeyServer, fake_openai: FakeOpenAI
) -> None:
    """Only conversation.tenantId given (botbuilder drops it when deserialising: its schema spells
    it tenantID): the record still names that tenant."""
    await _start(harness, keys, fake_openai)
    activity = execute(harness, AGREE_VERB, {"version": "2024-04-15", "department": "総務課"})
    activity["channelData"] = {}
    status, _ = await harness.post(activity, headers=_bearer(keys, activity))
    assert status == 200
    with sqlite3.connect(harness.data_dir / "bot.sqlite3") as conn:
        rows = conn.execute(
            "select data from entities where tbl in ('audit', 'auditq')"
        )  # chained or not yet
        stored = [str(row[0]) for row in rows]
    assert stored
    assert all(f'"tenant_id":"{TENANT}"' in row for row in stored if '"record_id"' in row)
