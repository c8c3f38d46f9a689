"""The HTTP server: POST /api/messages (Bot Framework) and GET /healthz.

The front door refuses what must never reach the bot, before anything is parsed or stored:
missing or bad tokens (401, never 500: the token is validated before the body is even read),
oversize bodies (413), non-JSON or non-activity bodies (400), channels other than Teams (403:
the Azure Bot resource always has Web Chat, where the user fields can be forged), tenants not
allowed (403; the allow-list defaults to the bot's own tenant, `MicrosoftAppTenantId`).
Message turns run in the background after authentication and the request is answered 202 at
once (the Bot Connector retries slow requests); invokes run inline because their response
body is the answer. Invoke bodies are serialised exactly once here, which avoids the botbuilder
4.17 double-serialisation defect.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.serialization import Deserializer, Model

from bot import __version__
from bot.core.config import Settings
from bot.core.errors import StorageError
from bot.teams.background import Background
from bot.teams.serial import ConversationSerial, tell_busy

log = logging.getLogger(__name__)

ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", Bot)
SETTINGS = web.AppKey("settings", Settings)
TASKS = web.AppKey("tasks", set)
SERIAL = web.AppKey("serial", ConversationSerial)
SERVICES: web.AppKey[Any] = web.AppKey("services", object)
BACKGROUND = web.AppKey("background", Background)
DRAINING = web.AppKey("draining", asyncio.Event)
SHUTDOWN_GRACE_S = 30.0
SERVED_CHANNEL = "msteams"
RETRY_AFTER_S = 5
_ACTIVITY = Deserializer(Activity._infer_class_models())
"""What `Activity().deserialize(body)` builds on every call (a dict of every schema class, then a
Deserializer over it), built once: a Deserializer keeps no state between calls."""


def create_app(settings: Settings) -> web.Application:
    """The aiohttp application; storage, model and pipeline open in its cleanup context."""
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[TASKS] = set()
    app[DRAINING] = asyncio.Event()
    app.on_shutdown.append(_stop_accepting)
    app[SERIAL] = ConversationSerial()
    # invokes' background work is drained with the turns; the consent step queues follow-up turns
    app[BACKGROUND] = Background(
        tasks=app[TASKS], queue_turn=lambda auth, activity: _queue_turn(app, auth, activity)
    )
    app.cleanup_ctx.append(_lifespan)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


async def _lifespan(app: web.Application) -> AsyncIterator[None]:
    from bot.teams.pipeline import open_services  # noqa: PLC0415  (pipeline imports every feature)

    async with open_services(app[SETTINGS], background=app[BACKGROUND]) as (services, adapter, bot):
        app[SERVICES], app[ADAPTER], app[BOT] = services, adapter, bot
        yield
        await _drain(app[TASKS])


async def _stop_accepting(app: web.Application) -> None:
    """SIGTERM: from now on every request is answered 503 (the connector retries elsewhere)."""
    app[DRAINING].set()


async def _drain(tasks: set[asyncio.Task[None]], grace_s: float = SHUTDOWN_GRACE_S) -> None:
    """Let running turns finish; cancel what is still running after the grace period, and wait
    for it too, so each such turn records itself as stopped before the storage closes."""
    if not tasks:
        return
    log.info("waiting for %d running turns before shutdown", len(tasks))
    _done, late = await asyncio.wait(set(tasks), timeout=grace_s)
    for task in late:
        task.cancel()
    if late:
        log.warning("%d turns still running after %.0f s: stopped and recorded as such", len(late), grace_s)
        await asyncio.wait(late, timeout=10)


def _busy(request: web.Request) -> web.Response | None:
    """503 + Retry-After while shutting down or when this process runs as many turns as allowed."""
    app = request.app
    if app[DRAINING].is_set():
        reason = "shutting down"
    elif len(app[TASKS]) >= app[SETTINGS].max_background_turns:
        reason = "too many turns in progress"
    else:
        return None
    response = _error(503, f"{reason}; retry later")
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def messages(request: web.Request) -> web.StreamResponse:
    """Authenticate, validate and process one Bot Framework activity."""
    settings = request.app[SETTINGS]
    busy = _busy(request)
    if busy is not None:
        return busy
    auth_header = request.headers.get("Authorization", "")
    if not settings.anonymous and not auth_header:
        return _error(401, "missing Authorization header")
    if request.content_type != "application/json":
        return _error(415, "Content-Type must be application/json")
    if request.content_length is not None and request.content_length > settings.max_body_bytes:
        return _error(413, f"request body larger than {settings.max_body_bytes} bytes")
    if not settings.anonymous and not await _token_valid(request, auth_header):
        return _error(401, "invalid or expired token")
    body, problem = await _read_body(request)
    if problem is not None:
        return problem
    assert body is not None
    if body.get("channelId") != SERVED_CHANNEL:
        log.warning("refused an activity from a channel other than Teams")
        return _error(403, "only Microsoft Teams (channelId 'msteams') is served")
    allowed = settings.tenant_allow_list
    if allowed and not _tenant_allowed(body, allowed):
        log.warning("refused an activity from a tenant that is not allowed")
        return _error(403, "tenant not allowed")
    try:
        activity = _ACTIVITY("Activity", body)
    except Exception:
        return _error(400, "body is not a Bot Framework activity")
    return await _process(request, activity, auth_header)


async def _token_valid(request: web.Request, auth_header: str) -> bool:
    """Signature, issuer, audience and the Teams endorsement of the token, before the body is read.

    The serviceUrl claim needs the activity, so `_process` checks the token once more against it."""
    adapter = request.app[ADAPTER]
    try:
        await adapter.bot_framework_authentication.authenticate_streaming_request(auth_header, SERVED_CHANNEL)
    except Exception as exc:  # the library raises PermissionError, KeyError, jwt errors…: all mean 401
        log.info("refused an unauthenticated request: %s", type(exc).__name__)
        return False
    return True


async def _read_body(request: web.Request) -> tuple[dict[str, Any] | None, web.Response | None]:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return None, _error(413, "request body too large")
    try:
        body = json.loads(raw)
        if not _surrogate_free(raw):
            json.dumps(body, ensure_ascii=False).encode("utf-8")  # lone surrogates (\ud800) cannot be stored
    except (UnicodeError, json.JSONDecodeError):
        return None, _error(400, "body is not valid JSON")
    problem = _activity_problem(body)
    if problem:
        return None, _error(400, problem)
    return body, None


def _surrogate_free(raw: bytes) -> bool:
    """True when the parsed body cannot hold a lone surrogate: read by json as UTF-8, strictly valid
    UTF-8 (which refuses encoded surrogates, json's own decoding lets them pass) and no escapes
    (\\ud800); otherwise the body is encoded again to find out."""
    if b"\\u" in raw or json.detect_encoding(raw) not in ("utf-8", "utf-8-sig"):
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _activity_problem(body: Any) -> str:
    """Why a parsed body is not an activity the bot can process and answer ('' when it is)."""
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return "body is not an activity (an object with a string 'type')"
    for key in ("conversation", "from", "recipient", "channelData"):
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"activity field '{key}' must be an object"
    if body.get("text") is not None and not isinstance(body["text"], str):
        return "activity field 'text' must be a string"
    conversation_id = (body.get("conversation") or {}).get("id") or ""
    if not isinstance(conversation_id, str) or not _printable_ascii(conversation_id):
        return "activity field 'conversation.id' must be a non-empty ASCII string"  # Teams ids always are
    if not _is_http_url(body.get("serviceUrl")):
        # every channel activity names where replies go; without one, botbuilder would post the
        # reply to its public default (api.botframework.com) or fail inside the turn
        return "activity field 'serviceUrl' must be an http(s) URL"
    return ""


def _printable_ascii(text: str) -> bool:
    return bool(text) and text.isascii() and text.isprintable()


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        url = urlsplit(value.strip())
    except ValueError:
        return False
    return url.scheme.lower() in {"http", "https"} and bool(url.hostname)


def _tenant_allowed(body: dict[str, Any], allowed: frozenset[str]) -> bool:
    """Exactly one tenant claimed (conversation and channelData agree) and it is allowed."""
    from bot.teams.activity import tenants_of  # noqa: PLC0415

    claimed = tenants_of(body)
    return len(claimed) == 1 and claimed <= allowed


async def _process(request: web.Request, activity: Activity, auth_header: str) -> web.StreamResponse:
    adapter, bot = request.app[ADAPTER], request.app[BOT]
    try:
        auth = await adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
    except Exception as exc:
        log.info("refused an unauthenticated request: %s", type(exc).__name__)
        return _error(401, "invalid or expired token")
    if activity.type == "invoke":
        response = await adapter.process_activity(auth, activity, bot.on_turn)
        return _invoke_response(response)
    _queue_turn(request.app, auth, activity)
    return web.Response(status=202)


def _queue_turn(app: web.Application, auth: Any, activity: Activity) -> None:
    """Run a message turn in the background, one at a time per conversation (bot.teams.serial)."""
    adapter, bot = app[ADAPTER], app[BOT]
    serial, key = app[SERIAL], activity.conversation.id if activity.conversation else ""
    if serial.admit(key, always=activity.type != "message"):
        task = asyncio.create_task(serial.run(key, lambda: _run_turn(adapter, bot, auth, activity)))
    else:
        task = asyncio.create_task(tell_busy(auth, activity, app[SERVICES]))
    tasks = app[TASKS]
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def _run_turn(adapter: CloudAdapter, bot: Bot, auth: Any, activity: Activity) -> None:
    try:
        await adapter.process_activity(auth, activity, bot.on_turn)
    except Exception as exc:
        log.error("background turn failed: %s", type(exc).__name__)


def _invoke_response(response: InvokeResponse | None) -> web.Response:
    if response is None:
        return web.Response(status=200)
    body = response.body
    if isinstance(body, Model):
        body = body.serialize()
    if body is None:
        return web.Response(status=response.status or 200)
    return web.json_response(body, status=response.status or 200)


async def healthz(request: web.Request) -> web.Response:
    """Version, storage and model status (503 when storage is unreachable)."""
    services = request.app[SERVICES]
    storage_ok = True
    try:
        await asyncio.wait_for(services.storage.ping(), timeout=5)
    except (StorageError, TimeoutError):
        storage_ok = False
    payload = {
        "status": "ok" if storage_ok else "degraded",
        "version": __version__,
        "policy": services.policy.municipality.name,
        "storage": {"backend": services.storage.name, "ok": storage_ok},
        "model": {"kind": services.settings.model_kind.value, "name": services.model.name},
        "authentication": "anonymous (local development)"
        if services.settings.anonymous
        else "bot-framework-jwt",
    }
    return web.json_response(payload, status=200 if storage_ok else 503, dumps=_dumps)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)
