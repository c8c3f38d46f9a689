"""A fake Bot Connector service: a real aiohttp server on loopback that records what the bot posts.

It answers like the real service (ids for new activities, 2xx for updates), serves the Teams
calls the bot makes (the roster — members by 29: id or Entra object id, 404 for anyone not on it —
channels, new conversations / channel threads), and can be told to
fail the next requests (429, 5xx, 403 ContentStreamNotAllowed) to test the bot's handling.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Posted:
    """One request the bot made to the connector."""

    method: str
    path: str
    conversation_id: str
    body: dict[str, Any]
    reply_to: str = ""
    activity_id: str = ""
    at: float = field(default_factory=time.monotonic)  # when it arrived (benchmarks)


@dataclass
class Failure:
    """Fail the next `count` matching requests with `status`."""

    status: int
    count: int = 1
    activity_type: str | None = None
    after: int = 0  # let this many matching requests through first
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class FakeConnector:
    """Records activities; `url` is the serviceUrl to put on inbound activities."""

    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.by_conversation: dict[str, list[Posted]] = {}
        self.failures: list[Failure] = []
        self.channels: list[dict[str, Any]] = [{"id": "19:general@thread.tacv2", "name": None}]
        self.members: dict[str, dict[str, Any]] = {}  # the roster: 29: id or Entra object id → member
        self.roster_lookups: list[str] = []  # member ids the bot asked the roster about
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._server: TestServer | None = None

    @property
    def url(self) -> str:
        """Base URL (serviceUrl) of the running fake."""
        assert self._server is not None
        return str(self._server.make_url("/")).rstrip("/") + "/"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            await self._server.close()

    def add_member(self, account_id: str, aad_object_id: str, name: str, tenant_id: str) -> None:
        """Put someone on the roster (found by their 29: id or their Entra object id)."""
        member = {
            "id": account_id,
            "name": name,
            "aadObjectId": aad_object_id,
            "tenantId": tenant_id,
            "userPrincipalName": f"{aad_object_id[:8]}@city.example",
        }
        self.members.setdefault(account_id, member)
        self.members.setdefault(aad_object_id, member)

    def fail_next(
        self, status: int, count: int = 1, activity_type: str | None = None, *, after: int = 0, **body: Any
    ) -> None:
        """Make the next matching requests fail (after letting `after` of them through)."""
        self.failures.append(Failure(status, count, activity_type, after, body))

    def activities(
        self, conversation_id: str | None = None, type_: str | None = None
    ) -> list[dict[str, Any]]:
        """Bodies of posted activities, optionally filtered."""
        source = self.posted if conversation_id is None else self.by_conversation.get(conversation_id, [])
        return [
            p.body for p in source if p.method == "POST" and (type_ is None or p.body.get("type") == type_)
        ]

    def messages(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Posted message activities."""
        return self.activities(conversation_id, "message")

    async def wait_for(self, predicate: Callable[[FakeConnector], bool], timeout: float = 10.0) -> None:
        """Wait until predicate(self) is true (raise TimeoutError with what was posted otherwise)."""

        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: predicate(self))

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            summary = [(p.method, p.body.get("type"), (p.body.get("text") or "")[:60]) for p in self.posted]
            raise TimeoutError(f"connector condition not met; posted: {summary}") from None

    async def wait_messages(
        self, count: int, conversation_id: str | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until `count` messages were posted and return them."""
        await self.wait_for(lambda c: len(c.messages(conversation_id)) >= count, timeout)
        return self.messages(conversation_id)

    def _record(self, posted: Posted) -> None:
        self.posted.append(posted)
        self.by_conversation.setdefault(posted.conversation_id, []).append(posted)

    def _take_failure(self, body: dict[str, Any]) -> Failure | None:
        for failure in self.failures:
            if failure.activity_type in (None, body.get("type")) and failure.count > 0:
                if failure.after > 0:
                    failure.after -= 1
                    return None
                failure.count -= 1
                if failure.count == 0:
                    self.failures.remove(failure)
                return failure
        return None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = unquote(request.path)
        body: dict[str, Any] = {}
        if request.can_read_body:
            try:
                body = json.loads(await request.read() or b"{}")
            except json.JSONDecodeError:
                return web.json_response({"error": {"code": "BadSyntax"}}, status=400)
        response = await self._route(request.method, path, body)
        async with self._changed:
            self._changed.notify_all()
        return response

    async def _route(self, method: str, path: str, body: dict[str, Any]) -> web.StreamResponse:
        parts = [p for p in path.split("/") if p]
        if parts[:2] == ["v3", "teams"] and parts[-1] == "conversations":
            return web.json_response({"conversations": self.channels})
        if parts[:2] == ["v3", "conversations"] and len(parts) == 2 and method == "POST":
            return self._create_conversation(body)
        if len(parts) >= 4 and parts[:2] == ["v3", "conversations"] and parts[3] == "members":
            self.roster_lookups.append(parts[4] if len(parts) > 4 else "")
            member = self.members.get(parts[4] if len(parts) > 4 else "")
            if member is None:  # like Teams: not a member of this conversation / team
                return web.json_response(
                    {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}}, status=404
                )
            return web.json_response(member)
        if len(parts) >= 4 and parts[:2] == ["v3", "conversations"] and parts[3] == "activities":
            return self._activity(method, parts, body)
        return web.json_response({"error": {"code": "NotFound", "message": path}}, status=404)

    def _create_conversation(self, body: dict[str, Any]) -> web.StreamResponse:
        activity = body.get("activity") or {}
        channel = (body.get("channelData") or {}).get("channel", {}).get("id", "")
        new_id = f"{channel};messageid={next(self._ids)}" if channel else f"a:{next(self._ids)}"
        root_id = new_id.rsplit("=", 1)[-1]
        self._record(
            Posted("POST", "/v3/conversations", new_id, {**activity, "conversation": {"id": new_id}})
        )
        return web.json_response({"id": new_id, "activityId": root_id}, status=201)

    def _activity(self, method: str, parts: list[str], body: dict[str, Any]) -> web.StreamResponse:
        conversation_id = parts[2]
        target = parts[4] if len(parts) > 4 else ""
        failure = self._take_failure(body) if method in ("POST", "PUT") else None
        if failure is not None:
            default = "ContentStreamNotAllowed" if failure.status == 403 else "Failure"
            code = failure.body.get("code") or default  # fail_next(403, code="MessageWritesBlocked")
            return web.json_response({"error": {"code": code, "message": "injected"}}, status=failure.status)
        activity_id = target if method in ("PUT", "DELETE") else f"act-{next(self._ids)}"
        reply_to = target if method == "POST" else ""
        self._record(Posted(method, "/".join(parts), conversation_id, body, reply_to, activity_id))
        if method == "DELETE":
            return web.Response(status=200)
        return web.json_response({"id": activity_id}, status=200 if method == "PUT" else 201)
