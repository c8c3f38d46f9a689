"""Shared fixtures.

Storage (kept at the top; owned by the storage/quota work):
    sqlite_storage     a SqliteStorage on a fresh file under tmp_path
    azurite            session-scoped Azurite endpoint: AZURITE_TABLES_URL if set (.ci/run starts one),
                       else `.ci/node_modules/.bin/azurite-table` started here and stopped by pid at the end;
                       skipped with the reason when neither is possible, failed instead when CI is set
    azurite_storage    an AzureTableStorage on that endpoint with a table prefix unique to the test
    storage            parametrized over both backends (the Azure one carries the `azurite` marker)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.core.storage.azure_tables import AzureTableStorage
from bot.core.storage.base import Storage
from bot.core.storage.sqlite import SqliteStorage
from tests._azurite import Azurite, can_start, from_environment, start_azurite
from tests.fakes.connector import FakeConnector
from tests.fakes.file_server import FileServer
from tests.fakes.openai_server import FakeOpenAI
from tests.teams.harness import BotHarness


def _unavailable(reason: str) -> None:
    """Skip locally; in CI a missing Azurite is a failure, never a silent skip."""
    message = f"Azurite unavailable: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def azurite() -> Iterator[Azurite]:
    """A reachable Azurite table endpoint for the whole session."""
    found = from_environment()
    if found is not None:
        yield found
        return
    reason = can_start()
    if reason:
        _unavailable(reason)
    try:
        started = start_azurite()
    except (OSError, RuntimeError) as exc:
        _unavailable(str(exc))
        return
    try:
        yield started
    finally:
        started.stop()


def unique_prefix() -> str:
    """A table prefix no other test uses (Azure table names: letters and digits)."""
    return "t" + uuid.uuid4().hex[:12]


@pytest.fixture
async def sqlite_storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    """SQLite storage on a fresh file."""
    storage = SqliteStorage(tmp_path / "bot.sqlite3")
    yield storage
    await storage.close()


@pytest.fixture
async def azurite_storage(azurite: Azurite) -> AsyncIterator[AzureTableStorage]:
    """Azure Table storage on Azurite, with tables of its own."""
    storage = AzureTableStorage.from_connection_string(azurite.connection_string, prefix=unique_prefix())
    yield storage
    await storage.close()


@pytest.fixture(params=["sqlite", pytest.param("azure-tables", marks=pytest.mark.azurite)])
def storage(request: pytest.FixtureRequest) -> Storage:
    """Each storage backend in turn: the contract suite runs unchanged against both."""
    name = "sqlite_storage" if request.param == "sqlite" else "azurite_storage"
    backend: Storage = request.getfixturevalue(name)
    return backend


# ---- fixtures of other areas go below this line -------------------------------------------------


# ---- HTTP-level fakes (tests/teams, tests/screening, …) ------------------------------------------


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
async def file_server() -> AsyncIterator[FileServer]:
    """A loopback file host with SharePoint-like download URLs (attachments, ナレッジに登録)."""
    server = FileServer()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def harness(connector: FakeConnector, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot harness (not started: call `await harness.start(**env)`)."""
    h = BotHarness(connector=connector, data_dir=tmp_path / "data")
    yield h
    await h.close()
