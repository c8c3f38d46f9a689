"""Start the real bot (aiohttp app on loopback) with fakes for the Bot Connector and the model."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.core.config import Settings
from bot.teams.app import create_app
from tests.fakes.connector import FakeConnector

TENANT = "11111111-2222-3333-4444-555555555555"
USER_OID = "aaaaaaaa-0000-0000-0000-000000000001"
ADMIN_OID = "aaaaaaaa-0000-0000-0000-0000000000ad"
_ids = itertools.count(1)


def policy_without_consent(directory: Path, base: str = "iwaki") -> Path:
    """A copy of a built-in policy that asks for no consent (for tests about something else)."""
    text = resources.files("bot.core.policies").joinpath(f"{base}.toml").read_text(encoding="utf-8")
    assert "require_consent = true" in text
    path = directory / f"{base}-no-consent.toml"
    path.write_text(text.replace("require_consent = true", "require_consent = false"), encoding="utf-8")
    return path


@dataclass
class BotHarness:
    """The running bot, its fakes and helpers to post activities."""

    connector: FakeConnector
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    server: TestServer | None = None
    session: aiohttp.ClientSession | None = None

    async def start(self, **env: str) -> BotHarness:
        """Start the bot with these environment variables (plus test defaults).

        By default the Iwaki policy without the consent step: these tests are about other stages;
        consent and approval have their own tests (test_access.py) that set BOT_POLICY themselves.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        default_policy = str(policy_without_consent(self.data_dir))
        values = {
            "BOT_DATA_DIR": str(self.data_dir),
            "ADMIN_AAD_OBJECT_IDS": ADMIN_OID,
            "BOT_POLICY": default_policy,
            **self.env,
            **env,
        }
        settings = Settings.from_env(environ=values, env_file=None)
        self.server = TestServer(create_app(settings), host="127.0.0.1")
        await self.server.start_server()
        self.session = aiohttp.ClientSession()
        return self

    async def close(self) -> None:
        """Stop the bot (waits for running turns)."""
        if self.session is not None:
            await self.session.close()
        if self.server is not None:
            await self.server.close()

    @property
    def url(self) -> str:
        """The messaging endpoint."""
        assert self.server is not None
        return str(self.server.make_url("/api/messages"))

    async def post(
        self,
        body: Any,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        *,
        on_roster: bool = True,
    ) -> tuple[int, Any]:
        """POST an activity (or raw bytes) and return (status, parsed JSON or text).

        The sender is put on the fake connector's roster first (as in Teams, whoever writes is a
        member), unless `on_roster` is False (a forged sender)."""
        assert self.session is not None
        sender = body.get("from") if isinstance(body, dict) else None
        if on_roster and isinstance(sender, dict) and sender.get("id") and sender.get("aadObjectId"):
            self.connector.add_member(
                str(sender["id"]), str(sender["aadObjectId"]), str(sender.get("name") or ""), TENANT
            )
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        data = raw if raw is not None else None
        kwargs: dict[str, Any] = {"data": data} if raw is not None else {"json": body}
        async with self.session.post(self.url, headers=hdrs, **kwargs) as resp:
            text = await resp.text()
            try:
                return resp.status, (await resp.json(content_type=None)) if text else None
            except ValueError:
                return resp.status, text

    async def get(self, path: str) -> tuple[int, Any]:
        """GET a path of the bot."""
        assert self.session is not None
        assert self.server is not None
        async with self.session.get(self.server.make_url(path)) as resp:
            return resp.status, await resp.json(content_type=None)

    def activity(self, **fields: Any) -> dict[str, Any]:
        """A Teams activity addressed to the bot, personal chat by default."""
        user = fields.pop("user", USER_OID)
        conversation = fields.pop("conversation", f"a:personal-{user}")
        conv_type = fields.pop("conversation_type", "personal")
        base: dict[str, Any] = {
            "type": "message",
            "id": f"in-{next(_ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "timestamp": "2026-11-22T01:00:00.000Z",
            "from": {
                "id": f"29:{user}",
                "name": fields.pop("display_name", fields.pop("name", "市役所 太郎")),
                "aadObjectId": user,
            },
            "recipient": {"id": "28:bot-id", "name": "AIアシスタント"},
            "conversation": {"id": conversation, "conversationType": conv_type, "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "ja-JP",
        }
        base.update(fields)
        return base

    def message(self, text: str, **fields: Any) -> dict[str, Any]:
        """A message activity."""
        return self.activity(type="message", text=text, **fields)

    def invoke(self, verb: str, data: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """An Action.Execute invoke."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data or {}}, "trigger": "manual"}
        activity = self.activity(type="invoke", value=value, **fields)
        activity["name"] = "adaptiveCard/action"  # set after: `name` in fields is the sender's display name
        return activity
