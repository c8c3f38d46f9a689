"""A fake Bot Connector service: a real aiohttp server on loopback that records what the bot posts.

It answers like the real service (ids for new activities, 2xx for updates), serves the Teams
calls the bot makes (the roster — members by 29: id or Entra object id, 404 for anyone not on it —
channels, new conversations / channel threads), and can be told to
fail the next requests (429, 5xx, 403 ContentStreamNotAllowed) or hold them a while (`delay_next`) to
test the bot's handling.

It is as strict as Teams about streaming (msteams-docs `bots/streaming-ux.md`, see
shared/notes/teams-platform.md), so a test passing here means Teams would have shown it:
- one open stream per chat: a second stream start while one is open gets 403
  ContentStreamNotAllowed "Content stream is not allowed";
- a stream start must be sequence 1 with text; updates carry the whole text so far, so a
  `streaming` update that does not continue the text already streamed gets 400;
- the final message must have text that starts with what was streamed (400 otherwise), no
  streamSequence, and closes the stream; anything on a closed stream gets 403 "…already completed";
- a stream older than `stream_limit_s` (Teams: 2 minutes) gets 403 "…exceeded streaming time";
- `throttle_final_once()` answers the next final message 429 with Retry-After.
Every request is logged in `answered` with the status the fake gave; `posted` holds only the
accepted ones (what the user would see).
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
    status: int = 201


@dataclass
class Answered:
    """One request and the status the fake answered it with (accepted or refused)."""

    method: str
    conversation_id: str
    activity_type: str
    stream_type: str
    status: int
    code: str = ""
    message: str = ""
    at: float = field(default_factory=time.monotonic)


@dataclass
class Stream:
    """A stream Teams would hold open in one chat."""

    stream_id: str
    conversation_id: str
    started: float
    sequence: int = 1
    text: str = ""
    closed: str = ""  # "", "final", "cancelled", "timed_out"


STOPPED = "Content stream was cancelled by user."
NOT_ALLOWED = "Content stream is not allowed"
COMPLETED = "Content stream is not allowed on an already completed streamed message"
TIMED_OUT = "Content stream finished due to exceeded streaming time."


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

    def __init__(self, *, stream_limit_s: float = 120.0) -> None:
        self.posted: list[Posted] = []
        self.answered: list[Answered] = []
        self.streams: dict[str, Stream] = {}
        self.stream_limit_s = stream_limit_s
        self._throttle_final: float | None = None
        self.by_conversation: dict[str, list[Posted]] = {}
        self.failures: list[Failure] = []
        self.delays: list[tuple[float, str | None, bool]] = []  # (seconds, method, new threads only)
        self.thread_failures: list[Failure] = []
        self.channels: list[dict[str, Any]] = [{"id": "19:general@thread.tacv2", "name": None}]
        self.team_channels: dict[str, list[dict[str, Any]]] = {}  # per team id; others get `channels`
        self.members: dict[str, dict[str, Any]] = {}  # the roster: 29: id or Entra object id → member
        self.roster_lookups: list[str] = []  # member ids the bot asked the roster about
        self.authorizations: list[str] = []  # the Authorization header of every request ("" if none)
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
        headers = {"Retry-After": str(body.pop("retry_after"))} if "retry_after" in body else {}
        self.failures.append(Failure(status, count, activity_type, after, body, headers))

    def delay_next(self, seconds: float, *, method: str | None = None, new_thread: bool = False) -> None:
        """Hold the next matching request `seconds` before answering it (a slow connector).

        `new_thread` matches only new conversations / channel threads (POST /v3/conversations)."""
        self.delays.append((seconds, method, new_thread))

    def fail_next_thread(self, status: int, **body: Any) -> None:
        """Refuse the next new conversation / channel thread (POST /v3/conversations) with `status`."""
        self.thread_failures.append(Failure(status, body=body))

    def throttle_final_once(self, retry_after: float = 1) -> None:
        """Answer the next final streamed message 429 with this Retry-After (seconds)."""
        self._throttle_final = retry_after

    def refused(self, status: int | None = None) -> list[Answered]:
        """Requests the fake refused (4xx/5xx), optionally of one status."""
        return [a for a in self.answered if a.status >= 400 and status in (None, a.status)]

    def open_streams(self, conversation_id: str | None = None) -> list[Stream]:
        """Streams not closed yet (in one chat, or anywhere)."""
        return [
            s for s in self.streams.values() if not s.closed and conversation_id in (None, s.conversation_id)
        ]

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
        self.authorizations.append(request.headers.get("Authorization", ""))
        body: dict[str, Any] = {}
        if request.can_read_body:
            try:
                body = json.loads(await request.read() or b"{}")
            except json.JSONDecodeError:
                return web.json_response({"error": {"code": "BadSyntax"}}, status=400)
        await self._delay(request.method, path)
        response = await self._route(request.method, path, body)
        async with self._changed:
            self._changed.notify_all()
        return response

    async def _delay(self, method: str, path: str) -> None:
        new_thread = method == "POST" and path.rstrip("/") == "/v3/conversations"
        for delay in self.delays:
            seconds, wanted_method, threads_only = delay
            if wanted_method in (None, method) and (new_thread or not threads_only):
                self.delays.remove(delay)
                await asyncio.sleep(seconds)
                return

    async def _route(self, method: str, path: str, body: dict[str, Any]) -> web.StreamResponse:
        parts = [p for p in path.split("/") if p]
        if parts[:2] == ["v3", "teams"] and parts[-1] == "conversations":
            team = unquote(parts[2]) if len(parts) > 3 else ""
            return web.json_response({"conversations": self.team_channels.get(team, self.channels)})
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
        if self.thread_failures:
            failure = self.thread_failures.pop(0)
            code = failure.body.get("code") or "Failure"
            return self._refuse("POST", "", activity, None, failure.status, code, "injected", {})
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
        info = _stream_info(body) if method == "POST" else None
        failure = self._take_failure(body) if method in ("POST", "PUT") else None
        if failure is not None:
            return self._injected(method, conversation_id, body, info, failure)
        if info is not None:
            refusal = self._check_stream(conversation_id, body, info)
            if refusal is not None:
                return refusal
        activity_id = target if method in ("PUT", "DELETE") else f"act-{next(self._ids)}"
        reply_to = target if method == "POST" else ""
        status = 200 if method in ("PUT", "DELETE") else (202 if info and info.get("streamId") else 201)
        self._record(
            Posted(method, "/".join(parts), conversation_id, body, reply_to, activity_id, status=status)
        )
        self._answer(method, conversation_id, body, info, status)
        if info is not None:
            self._advance(conversation_id, activity_id, body, info)
        if method == "DELETE":
            return web.Response(status=200)
        return web.json_response({"id": activity_id}, status=status)

    def _injected(
        self,
        method: str,
        conversation_id: str,
        body: dict[str, Any],
        info: dict[str, Any] | None,
        failure: Failure,
    ) -> web.StreamResponse:
        default = "ContentStreamNotAllowed" if failure.status == 403 else "Failure"
        code = failure.body.get("code") or default  # fail_next(403, code="MessageWritesBlocked")
        message = failure.body.get("message") or (
            STOPPED if code == "ContentStreamNotAllowed" else "injected"
        )
        stream = self.streams.get(str((info or {}).get("streamId") or ""))
        if stream is not None and failure.status == 403:
            stream.closed = "timed_out" if message == TIMED_OUT else "cancelled"  # Teams ends that stream
        return self._refuse(
            method, conversation_id, body, info, failure.status, code, message, failure.headers
        )

    def _check_stream(
        self, conversation_id: str, body: dict[str, Any], info: dict[str, Any]
    ) -> web.StreamResponse | None:
        """Teams' streaming rules; the refusal, or None when the activity is acceptable."""
        kind = str(info.get("streamType") or "streaming")
        text = body.get("text") or ""

        def refuse(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Any:
            return self._refuse("POST", conversation_id, body, info, status, code, message, headers or {})

        stream_id = info.get("streamId")
        if not stream_id:
            if kind == "final" or body.get("type") != "typing":
                return refuse(400, "BadArgument", "a final streamed message needs the streamId")
            if info.get("streamSequence") != 1:
                return refuse(400, "BadArgument", "the first streaming activity must have streamSequence 1")
            if not text:
                return refuse(400, "BadArgument", "Start streaming activities should include text")
            if self.open_streams(conversation_id):
                return refuse(403, "ContentStreamNotAllowed", NOT_ALLOWED)
            return None
        stream = self.streams.get(str(stream_id))
        if stream is None or stream.conversation_id != conversation_id:
            return refuse(400, "BadArgument", "unknown streamId")
        if stream.closed:
            return refuse(
                403, "ContentStreamNotAllowed", TIMED_OUT if stream.closed == "timed_out" else COMPLETED
            )
        if time.monotonic() - stream.started > self.stream_limit_s:
            stream.closed = "timed_out"
            return refuse(403, "ContentStreamNotAllowed", TIMED_OUT)
        if kind == "final":
            if body.get("type") != "message" or "streamSequence" in info:
                return refuse(400, "BadArgument", "the final message is a message without streamSequence")
            if not text.strip():
                return refuse(400, "BadArgument", "the final streamed message must have text")
            if not text.startswith(stream.text):
                return refuse(400, "BadArgument", "the final text must start with what was streamed")
            if self._throttle_final is not None:
                retry_after, self._throttle_final = self._throttle_final, None
                return refuse(
                    429, "Throttled", "API calls quota exceeded", {"Retry-After": f"{retry_after:g}"}
                )
            return None
        sequence = info.get("streamSequence")
        if body.get("type") != "typing" or not isinstance(sequence, int) or sequence <= stream.sequence:
            return refuse(400, "BadArgument", "streamSequence must increase by update")
        if not text:
            return refuse(400, "BadArgument", "streaming activities should include text")
        if kind == "streaming" and not text.startswith(stream.text):
            return refuse(400, "BadArgument", "a streaming update must continue the text streamed so far")
        return None

    def _advance(
        self, conversation_id: str, activity_id: str, body: dict[str, Any], info: dict[str, Any]
    ) -> None:
        """Open, continue or close the stream after an accepted streaming activity."""
        kind = str(info.get("streamType") or "streaming")
        stream_id = info.get("streamId")
        if not stream_id:
            stream = Stream(activity_id, conversation_id, time.monotonic())
            self.streams[activity_id] = stream
            if kind == "streaming":
                stream.text = body.get("text") or ""
            return
        stream = self.streams[str(stream_id)]
        if kind == "final":
            stream.closed = "final"
            return
        stream.sequence = int(info["streamSequence"])
        if kind == "streaming":
            stream.text = body.get("text") or ""

    def _refuse(
        self,
        method: str,
        conversation_id: str,
        body: dict[str, Any],
        info: dict[str, Any] | None,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str],
    ) -> web.StreamResponse:
        self._answer(method, conversation_id, body, info, status, code, message)
        payload = {"error": {"code": code, "message": message}}
        return web.json_response(payload, status=status, headers=headers)

    def _answer(
        self,
        method: str,
        conversation_id: str,
        body: dict[str, Any],
        info: dict[str, Any] | None,
        status: int,
        code: str = "",
        message: str = "",
    ) -> None:
        kind = str((info or {}).get("streamType") or "")
        self.answered.append(
            Answered(method, conversation_id, str(body.get("type") or ""), kind, status, code, message)
        )


def _stream_info(body: dict[str, Any]) -> dict[str, Any] | None:
    """The streaminfo entity of a posted activity, if it has one."""
    for entity in body.get("entities") or []:
        if isinstance(entity, dict) and str(entity.get("type", "")).lower() == "streaminfo":
            return entity
    return None
