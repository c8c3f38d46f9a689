"""The Bot Connector's HTTP transport: one kept-alive aiohttp session per process.

botbuilder 4.17 sends every connector call (each streamed update, each message) through msrest's
`requests` sender: the call runs in a thread of the default executor, every connector client
opens its own `requests.Session` (so a new TCP connection, and `~/.netrc` read again) and
CloudAdapter builds a new connector client for every turn. Under load that was about a third of
the bot's CPU (py-spy over tests/benchmarks/bench_pipeline.py), all of it transport, none of it
the bot's work.

Here the connector clients keep botbuilder's operations, models and serializers and change only
the msrest pipeline's ends:

- `ConnectorTransport` owns one `aiohttp.ClientSession` (keep-alive; the proxy HTTPS_PROXY and
  NO_PROXY name, as `requests` honoured them, resolved once per host), opened on first use inside
  the event loop and closed when the services close;
- `_Sender` sends each request on it; a connection that could not be opened is retried twice
  (nothing was sent), anything else surfaces as msrest's `ClientRequestError`, as before;
- `BearerPolicy` adds `Authorization: Bearer …` from the app's credentials, as msrest's
  `signed_session` did, fetching the token in a thread (MSAL blocks on a refresh) and reusing it
  for a few minutes (MSAL hands out only tokens with at least five minutes left);
- `PooledConnectors` keeps one connector client per (app id, service URL, audience) instead of
  one per turn (a client holds nothing of a turn: configuration, credentials, serializers).

Status codes are untouched: a 4xx/5xx still raises botbuilder's ErrorResponseException from the
operation, which `deliver` (bot.teams.streaming) retries or falls back on as before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any

import aiohttp
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AppCredentials, AuthenticationConstants
from botframework.connector.auth.connector_factory import ConnectorFactory
from msrest.exceptions import ClientRequestError
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.aiohttp import AioHttpClientResponse

from bot.core.proxies import env_proxy

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
CALL_TIMEOUT_S = 30.0
"""One connector call, connection included (Teams answers in well under a second)."""
CONNECT_ATTEMPTS = 3
POOL_SIZE = 64
"""Connector clients kept per process: one per region's service URL in practice."""
TOKEN_REUSE_S = 240.0
"""How long a token from the credentials is reused (MSAL refreshes tokens 5 minutes before expiry)."""


class ConnectorTransport:
    """The process's HTTP session to the Bot Connector."""

    def __init__(self, *, call_timeout_s: float = CALL_TIMEOUT_S) -> None:
        self._timeout = aiohttp.ClientTimeout(total=call_timeout_s, connect=CONNECT_TIMEOUT_S)
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    def session(self) -> aiohttp.ClientSession:
        """The session, opened on first use (it must be made inside the running event loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout,
                trust_env=False,  # no ~/.netrc read in a thread per call; proxies: `proxy_for`
                connector=aiohttp.TCPConnector(limit=100, ttl_dns_cache=300),
            )
        return self._session

    def proxy_for(self, url: str) -> str | None:
        """The proxy HTTPS_PROXY / NO_PROXY name for `url`'s host (read once per host, as `requests` did)."""
        origin = url.split("/", 3)[:3]
        key = "/".join(origin)
        if key not in self._proxies:
            self._proxies[key] = env_proxy(key)
        return self._proxies[key]

    async def close(self) -> None:
        """Close the session (at shutdown)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def install(self, client: ConnectorClient) -> ConnectorClient:
        """Give `client` this transport and the credentials' bearer token (idempotent)."""
        config = client.config
        if not isinstance(getattr(config.pipeline, "_sender", None), _Sender):
            bearer = BearerPolicy(config.credentials)
            policies: list[Any] = [config.user_agent_policy, bearer, RawDeserializer()]
            config.pipeline = AsyncPipeline(policies, _Sender(self))
        return client


class _LoadedResponse(AioHttpClientResponse):
    """msrest's aiohttp response, whose empty body is an empty body (not an error)."""

    def body(self) -> bytes:
        return self._body or b""


class _Sender(AsyncHTTPSender):
    """Sends msrest requests on the transport's session, the whole body read."""

    def __init__(self, transport: ConnectorTransport) -> None:
        self._transport = transport

    async def __aexit__(self, *_: object) -> None:
        return None  # the session is the transport's, closed with the services

    async def send(self, request: Request, **config: Any) -> Response:
        http: ClientRequest = request.http_request
        headers = {k: v for k, v in http.headers.items() if k.lower() != "content-length"}
        data = http.data.encode("utf-8") if isinstance(http.data, str) else http.data
        for attempt in range(1, CONNECT_ATTEMPTS + 1):
            try:
                async with self._transport.session().request(
                    http.method,
                    http.url,
                    headers=headers,
                    data=data,
                    proxy=self._transport.proxy_for(http.url),
                ) as raw:
                    response = _LoadedResponse(http, raw)
                    await response.load_body()
                return Response(request, response)
            except aiohttp.ClientConnectorError as exc:  # nothing was sent: safe to try again
                if attempt == CONNECT_ATTEMPTS:
                    raise ClientRequestError("Error occurred in request.", inner_exception=exc) from exc
                await asyncio.sleep(0.2 * attempt)
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise ClientRequestError("Error occurred in request.", inner_exception=exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover


class BearerPolicy(AsyncHTTPPolicy):
    """`Authorization: Bearer <token>` from the app's credentials, unless the bot runs anonymously."""

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials
        self._token = ""
        self._until = 0.0
        self._lock = asyncio.Lock()

    async def send(self, request: Request, **kwargs: Any) -> Response:
        token = await self._current()
        if token:
            request.http_request.headers["Authorization"] = f"Bearer {token}"
        else:
            request.http_request.headers.pop("Authorization", None)
        assert self.next is not None
        return await self.next.send(request, **kwargs)

    def _anonymous(self) -> bool:
        if not isinstance(self._credentials, AppCredentials):
            return True
        app_id = self._credentials.microsoft_app_id
        return not app_id or app_id == AuthenticationConstants.ANONYMOUS_SKILL_APP_ID

    async def _current(self) -> str:
        if self._anonymous():
            return ""
        if time.monotonic() < self._until:
            return self._token
        async with self._lock:
            if time.monotonic() >= self._until:
                self._token = await asyncio.to_thread(self._credentials.get_access_token)
                self._until = time.monotonic() + TOKEN_REUSE_S
        return self._token


class PooledConnectors(ConnectorFactory):
    """botbuilder's connector factory, keeping one client per (app id, service URL, audience)."""

    def __init__(
        self,
        inner: ConnectorFactory,
        app_id: str,
        transport: ConnectorTransport,
        pool: OrderedDict[tuple[str, str, str], ConnectorClient],
    ) -> None:
        self._inner = inner
        self._app_id = app_id
        self._transport = transport
        self._pool = pool

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """The pooled client for `service_url`, built through botbuilder's factory on first use."""
        key = (self._app_id, service_url, audience or "")
        client = self._pool.get(key)
        if client is None:
            client = self._transport.install(await self._inner.create(service_url, audience))
            self._pool[key] = client
            while len(self._pool) > POOL_SIZE:
                self._pool.popitem(last=False)
        else:
            self._pool.move_to_end(key)
        return client
