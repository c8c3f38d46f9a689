"""Trust boundaries at the front door (issue 11): Teams only, the bot's own tenant, token first.

The real aiohttp app on loopback with locally signed Bot Framework tokens (tests/teams/test_auth.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.teams.access_helpers import records
from tests.teams.harness import BotHarness
from tests.teams.test_auth import APP_ID, ISSUER, TENANT_ID, KeyServer

OTHER_TENANT = "99999999-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def keys() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.close()


async def _start(harness: BotHarness, keys: KeyServer, **env: str) -> None:
    await harness.start(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="not-used-offline",
        MicrosoftAppTenantId=TENANT_ID,
        BOT_OPENID_METADATA_URL=f"{keys.url}/.well-known/openid-configuration",
        BOT_TOKEN_ISSUER=ISSUER,
        **env,
    )


def _auth(keys: KeyServer, activity: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.token(serviceurl=activity['serviceUrl'])}"}


@pytest.mark.parametrize("channel", ["webchat", "directline", "emulator", "", None])
async def test_only_teams_is_served(harness: BotHarness, channel: str | None) -> None:
    await harness.start()
    activity = harness.message("ヘルプ")
    activity["channelId"] = channel
    status, _ = await harness.post(activity)
    assert status == 403
    assert harness.connector.posted == [], "nothing answered"
    assert await records(harness) == [], "nothing stored"


async def test_the_tenant_allow_list_defaults_to_the_bots_own_tenant(
    harness: BotHarness, keys: KeyServer
) -> None:
    await _start(harness, keys)
    activity = harness.activity(type="somethingNew")
    activity["conversation"]["tenantId"] = OTHER_TENANT
    activity["channelData"]["tenant"]["id"] = OTHER_TENANT
    status, _ = await harness.post(activity, headers=_auth(keys, activity))
    assert status == 403
    own = harness.activity(type="somethingNew")
    status, _ = await harness.post(own, headers=_auth(keys, own))
    assert status == 202


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "message", "serviceUrl": 12, "conversation": {"id": {"x": 1}}}',
        b'{"type": [1, 2], "channelData": {"tenant": {"id": {"$ne": null}}}}',
        b'{"type": "message", "text": "\\ud800", "from": {"id": 7}}',
        b"[" * 5000,
        json.dumps({"type": "message", "entities": [{"type": "mention", "mentioned": 5}] * 50}).encode(),
    ],
)
async def test_hostile_json_behind_a_bogus_token_is_401(
    harness: BotHarness, keys: KeyServer, body: bytes
) -> None:
    await _start(harness, keys)
    for header in ("Bearer not.a.jwt", f"Bearer {keys.token(serviceurl='x', key=keys.other_key)}"):
        status, _ = await harness.post(None, headers={"Authorization": header}, raw=body)
        assert status == 401
