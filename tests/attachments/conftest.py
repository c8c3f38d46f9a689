"""The fake file host, shared with the HTTP-level tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.file_server import FileServer


@pytest.fixture
async def file_server() -> AsyncIterator[FileServer]:
    """A loopback file host with SharePoint-like download URLs."""
    server = FileServer()
    await server.start()
    yield server
    await server.close()
