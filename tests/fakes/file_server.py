"""A fake file host for attachments: serves files at SharePoint-like download URLs and records hits.

URLs look like the pre-authenticated `downloadUrl` Teams puts in a file attachment: no file
extension in the path, the credential in the query
(`/personal/staff_city_lg_jp/_layouts/15/download.aspx?UniqueId=…&tempauth=…`). Every request is
recorded (path and UniqueId, never served from cache) so a test can assert that nothing was
fetched. A file can answer with a status, redirect (to the same or another host), stream in
chunks without Content-Length, or hang.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer

DOWNLOAD_PATH = "/personal/staff_city_lg_jp/_layouts/15/download.aspx"


@dataclass
class Served:
    """What one UniqueId answers with."""

    body: bytes = b""
    status: int = 200
    redirect_to: str = ""
    chunked: bool = False  # stream in pieces with no Content-Length
    hang: bool = False


@dataclass
class Hit:
    """One request the bot made."""

    path: str
    unique_id: str
    token: str


@dataclass
class FileServer:
    """The running fake and its hits."""

    host: str = "127.0.0.1"
    files: dict[str, Served] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    _server: TestServer | None = None

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_get(DOWNLOAD_PATH, self._download)
        self._server = TestServer(app, host=self.host)
        await self._server.start_server()

    async def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            await self._server.close()

    @property
    def port(self) -> int:
        """The port it listens on."""
        assert self._server is not None
        assert self._server.port is not None
        return self._server.port

    def add(self, body: bytes = b"", **how: object) -> tuple[str, str]:
        """Serve `body`; returns (download URL, UniqueId)."""
        unique_id = str(uuid.uuid4())
        self.files[unique_id] = Served(body=body, **how)  # type: ignore[arg-type]
        return self.url_for(unique_id), unique_id

    def url_for(self, unique_id: str, host: str | None = None) -> str:
        """The download URL of a UniqueId (optionally on another host name for the same server)."""
        return (
            f"http://{host or self.host}:{self.port}{DOWNLOAD_PATH}"
            f"?UniqueId={unique_id}&Translate=false&tempauth=secret-{unique_id[:8]}&ApiVersion=2.0"
        )

    def hits_for(self, unique_id: str) -> list[Hit]:
        """Requests for one file."""
        return [h for h in self.hits if h.unique_id == unique_id]

    async def _download(self, request: web.Request) -> web.StreamResponse:
        unique_id = request.query.get("UniqueId", "")
        self.hits.append(Hit(request.path, unique_id, request.query.get("tempauth", "")))
        served = self.files.get(unique_id)
        if served is None:
            return web.Response(status=404, text="Not Found")
        if served.hang:
            await asyncio.sleep(3600)
        if served.redirect_to:
            return web.Response(status=302, headers={"Location": served.redirect_to})
        if served.status != 200:
            return web.Response(status=served.status, text="error")
        if not served.chunked:
            return web.Response(body=served.body, content_type="application/octet-stream")
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(served.body), 256 * 1024):
            await response.write(served.body[start : start + 256 * 1024])
        await response.write_eof()
        return response
