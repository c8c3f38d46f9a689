"""Fixtures for HTTP-level tests: the real bot app with a fake Bot Connector and a fake model server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.connector import FakeConnector
from tests.fakes.openai_server import FakeOpenAI
from tests.teams.harness import BotHarness


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A recording fake Bot Connector on loopback."""
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    """A fake OpenAI-compatible server on loopback."""
    fake = FakeOpenAI()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def harness(connector: FakeConnector, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot harness (not started: call `await harness.start(**env)`)."""
    h = BotHarness(connector=connector, data_dir=tmp_path / "data")
    yield h
    await h.close()
