"""Bot Framework JWT authentication, offline: tokens signed with our own key, served by a local
OpenID metadata server (in a thread: the library fetches keys with blocking `requests`)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.teams.harness import BotHarness

APP_ID = "0b5c8a4e-1111-2222-3333-444444444444"
TENANT_ID = "11111111-2222-3333-4444-555555555555"
ISSUER = "https://api.botframework.com"
KID = "test-key-1"


class KeyServer:
    """Serves the OpenID configuration and the JWKS with our signing key."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": KID, "use": "sig", "endorsements": ["msteams"]})
        self.jwks = {"keys": [jwk]}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("openid-configuration"):
                    body: Any = {
                        "issuer": ISSUER,
                        "jwks_uri": f"{server.url}/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                else:
                    body = server.jwks
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def token(self, *, key: Any = None, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": APP_ID, "nbf": now - 60, "exp": now + 3600, "iat": now - 60, **claims}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": KID})

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def keys() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.close()


async def _start(harness: BotHarness, keys: KeyServer) -> None:
    await harness.start(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="not-used-offline",
        MicrosoftAppTenantId=TENANT_ID,
        BOT_OPENID_METADATA_URL=f"{keys.url}/.well-known/openid-configuration",
        BOT_TOKEN_ISSUER=ISSUER,
    )


def _activity(harness: BotHarness) -> dict[str, Any]:
    # An activity type the bot ignores: no outbound call is needed to see that it was accepted.
    return harness.activity(type="somethingNew")


async def test_missing_token_is_401(harness: BotHarness, keys: KeyServer) -> None:
    await _start(harness, keys)
    status, _ = await harness.post(_activity(harness))
    assert status == 401


async def test_valid_token_is_accepted(harness: BotHarness, keys: KeyServer) -> None:
    await _start(harness, keys)
    activity = _activity(harness)
    token = keys.token(serviceurl=activity["serviceUrl"])
    status, _ = await harness.post(activity, headers={"Authorization": f"Bearer {token}"})
    assert status == 202


@pytest.mark.parametrize(
    "problem",
    [
        "expired",
        "wrong_audience",
        "other_app",
        "wrong_issuer",
        "bad_signature",
        "garbage",
        "not_bearer",
        "wrong_serviceurl",
    ],
)
async def test_bad_tokens_are_401_never_500(harness: BotHarness, keys: KeyServer, problem: str) -> None:
    await _start(harness, keys)
    activity = _activity(harness)
    url = activity["serviceUrl"]
    now = int(time.time())
    header = {
        "expired": lambda: (
            f"Bearer {keys.token(serviceurl=url, exp=now - 600, nbf=now - 7200, iat=now - 7200)}"
        ),
        "wrong_audience": lambda: f"Bearer {keys.token(serviceurl=url, aud='api://something-else')}",
        "other_app": lambda: (
            f"Bearer {keys.token(serviceurl=url, aud='99999999-1111-2222-3333-444444444444')}"
        ),
        "wrong_issuer": lambda: f"Bearer {keys.token(serviceurl=url, iss='https://evil.example')}",
        "bad_signature": lambda: f"Bearer {keys.token(serviceurl=url, key=keys.other_key)}",
        "garbage": lambda: "Bearer not.a.jwt",
        "not_bearer": lambda: f"Basic {keys.token(serviceurl=url)}",
        "wrong_serviceurl": lambda: f"Bearer {keys.token(serviceurl='https://elsewhere.invalid/')}",
    }[problem]()
    status, _ = await harness.post(activity, headers={"Authorization": header})
    assert status == 401
