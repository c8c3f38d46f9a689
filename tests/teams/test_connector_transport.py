"""The Bot Connector transport (bot.teams.connector) over real HTTP: botbuilder's connector client,
its operations and models unchanged, sending on the process's kept-alive aiohttp session.

The fake connector (tests/fakes/connector.py) checks what Teams checks; here it shows that bodies
arrive whole (Japanese text included), the bearer token is sent when the bot has an app id and
never when it runs anonymously, refusals still raise botbuilder's ErrorResponseException with
their status and Retry-After, and an unreachable connector fails as msrest's ClientRequestError.
"""

from __future__ import annotations

import socket
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from botframework.connector.auth.connector_factory import ConnectorFactory
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.teams.connector import ConnectorTransport, PooledConnectors, _Sender
from bot.teams.streaming import retry_after_of, status_of
from tests.fakes.connector import FakeConnector

CONVERSATION = "a:transport-test"


class IssuedCredentials(MicrosoftAppCredentials):
    """The app's credentials with the token endpoint replaced by a counter (no network)."""

    def __init__(self, app_id: str) -> None:
        super().__init__(app_id, "secret")
        self.issued = 0

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.issued += 1
        return f"token-{self.issued}"


@pytest.fixture
async def transport() -> AsyncIterator[ConnectorTransport]:
    pipe = ConnectorTransport()
    yield pipe
    await pipe.close()


def _message(text: str) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        text=text,
        from_property=ChannelAccount(id="28:bot"),
        conversation=ConversationAccount(id=CONVERSATION),
    )


def _client(transport: ConnectorTransport, base_url: str, credentials: Any = None) -> ConnectorClient:
    creds = credentials or MicrosoftAppCredentials("", "")
    return transport.install(ConnectorClient(creds, base_url=base_url))


async def test_a_message_arrives_whole_and_its_id_comes_back(
    connector: FakeConnector, transport: ConnectorTransport
) -> None:
    client = _client(transport, connector.url)
    text = "市民まつりのご案内です。\n日時：11月3日（祝）10時〜"
    sent = await client.conversations.send_to_conversation(CONVERSATION, _message(text))
    assert sent.id
    assert [p.body["text"] for p in connector.posted] == [text]
    assert connector.authorizations == [""], "anonymous: no Authorization header"


async def test_the_bearer_token_is_sent_and_reused(
    connector: FakeConnector, transport: ConnectorTransport
) -> None:
    credentials = IssuedCredentials("app-1")
    client = _client(transport, connector.url, credentials)
    for n in range(3):
        await client.conversations.send_to_conversation(CONVERSATION, _message(f"{n}件目"))
    assert connector.authorizations == ["Bearer token-1"] * 3
    assert credentials.issued == 1, "one token fetch for three calls"


async def test_a_refusal_keeps_its_status_and_retry_after(
    connector: FakeConnector, transport: ConnectorTransport
) -> None:
    client = _client(transport, connector.url)
    connector.fail_next(429, retry_after=2)
    with pytest.raises(HttpOperationError) as refused:
        await client.conversations.send_to_conversation(CONVERSATION, _message("混雑中"))
    assert status_of(refused.value) == 429
    assert retry_after_of(refused.value) == 2.0


async def test_an_update_with_an_empty_body_is_not_an_error(
    connector: FakeConnector, transport: ConnectorTransport
) -> None:
    client = _client(transport, connector.url)
    sent = await client.conversations.send_to_conversation(CONVERSATION, _message("下書き"))
    updated = _message("清書")
    updated.id = sent.id
    await client.conversations.update_activity(CONVERSATION, sent.id, updated)
    assert [p.method for p in connector.posted] == ["POST", "PUT"]


async def test_an_unreachable_connector_fails_as_a_client_request_error(
    transport: ConnectorTransport,
) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = _client(transport, f"http://127.0.0.1:{port}/")
    with pytest.raises(ClientRequestError):
        await client.conversations.send_to_conversation(CONVERSATION, _message("届かない"))


class CountingFactory(ConnectorFactory):
    def __init__(self) -> None:
        self.built: list[str] = []

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        self.built.append(service_url)
        return ConnectorClient(MicrosoftAppCredentials("", ""), base_url=service_url)


async def test_one_client_per_service_url_on_the_transport(transport: ConnectorTransport) -> None:
    inner, pool = CountingFactory(), OrderedDict[tuple[str, str, str], ConnectorClient]()
    factory = PooledConnectors(inner, "app-1", transport, pool)
    first = await factory.create("https://smba.example/jp/", "aud")
    assert await factory.create("https://smba.example/jp/", "aud") is first, "reused on the next turn"
    other = await factory.create("https://smba.example/amer/", "aud")
    assert other is not first
    assert inner.built == ["https://smba.example/jp/", "https://smba.example/amer/"]
    assert isinstance(first.config.pipeline._sender, _Sender), "on the kept-alive session, not requests"
    another_app = PooledConnectors(inner, "app-2", transport, pool)
    assert await another_app.create("https://smba.example/jp/", "aud") is not first, "keyed by app id too"


async def test_calls_go_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch, transport: ConnectorTransport
) -> None:
    """A forward proxy on loopback sees the absolute URL of the connector call (HTTP_PROXY)."""
    seen: list[str] = []

    async def forward(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        return web.json_response({"id": "via-proxy"}, status=201)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    proxy = TestServer(app, host="127.0.0.1")
    await proxy.start_server()
    try:
        monkeypatch.setenv("HTTP_PROXY", str(proxy.make_url("/")).rstrip("/"))
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        client = _client(transport, "http://connector.city.example/")
        sent = await client.conversations.send_to_conversation(CONVERSATION, _message("プロキシ経由"))
    finally:
        await proxy.close()
    assert sent.id == "via-proxy"
    assert seen == [f"http://connector.city.example/v3/conversations/{CONVERSATION}/activities"]
