"""Backend-specific behaviour: failures surface as StorageError quickly; SQLite across processes."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.core.config import Settings
from bot.core.errors import StorageError
from bot.core.storage import open_storage
from bot.core.storage.azure_tables import AzureTableStorage
from bot.core.storage.base import Entity
from bot.core.storage.sqlite import SqliteStorage
from tests._azurite import ACCOUNT, ACCOUNT_KEY

REPO = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_azure_fails_within_seconds() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/{ACCOUNT}"
    conn = (
        f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};TableEndpoint={url};"
    )
    storage = AzureTableStorage.from_connection_string(conn, prefix="down")
    started = time.monotonic()
    try:
        with pytest.raises(StorageError):
            await storage.get("state", "p", "r")
        with pytest.raises(StorageError):
            await storage.ping()
    finally:
        await storage.close()
    assert time.monotonic() - started < 10


async def test_sqlite_unwritable_path_is_storage_error(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "missing-dir" / "bot.sqlite3")
    with pytest.raises(StorageError):
        await storage.ping()
    await storage.close()


async def test_sqlite_locked_database_is_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    storage = SqliteStorage(path, busy_timeout_s=0.2)
    await storage.ping()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="locked"):
            await storage.insert("state", Entity("p", "r", {"v": 1}))
        assert await storage.get("state", "p", "r") is None  # readers are not blocked (WAL)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await storage.insert("state", Entity("p", "r", {"v": 1}))
    await storage.close()


async def test_sqlite_opening_waits_while_another_process_still_writes_without_wal(tmp_path: Path) -> None:
    """Another process created the file and is writing in rollback-journal mode: switching to WAL
    fails at once with "database is locked" (SQLite does not wait the busy timeout for it), so
    opening retries until the timeout instead of failing the first query."""
    path = tmp_path / "bot.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE other (x)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO other VALUES (1)")
    storage = SqliteStorage(path, busy_timeout_s=5.0)

    async def release_soon() -> None:
        await asyncio.sleep(0.3)
        writer.execute("COMMIT")

    try:
        releasing = asyncio.create_task(release_soon())
        assert await storage.get("state", "p", "r") is None
        await releasing
        mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
    finally:
        writer.close()
        await storage.close()


async def test_sqlite_closed_storage_refuses(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "bot.sqlite3")
    await storage.close()
    await storage.close()
    with pytest.raises(StorageError):
        await storage.get("state", "p", "r")


async def test_open_storage_picks_sqlite_and_creates_the_directory(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "nested" / "data")
    storage = await open_storage(settings)
    try:
        assert storage.name == "sqlite"
        await storage.ping()
        assert (tmp_path / "nested" / "data" / "bot.sqlite3").exists()
    finally:
        await storage.close()


async def test_open_storage_picks_azure_from_connection_string() -> None:
    conn = f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};TableEndpoint=http://127.0.0.1:1/{ACCOUNT};"
    storage = await open_storage(Settings(tables_connection_string=conn, table_prefix="x"))
    try:
        assert storage.name == "azure-tables"
    finally:
        await storage.close()


_WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.core.errors import ConflictError
    from bot.core.storage.sqlite import SqliteStorage

    async def main(path, times):
        storage = SqliteStorage(path)
        for _ in range(times):
            while True:
                cur = await storage.get("state", "counter", "c")
                try:
                    await storage.replace("state", cur.with_data(n=cur.data["n"] + 1))
                    break
                except ConflictError:
                    pass
        await storage.close()

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)


@pytest.mark.slow
async def test_sqlite_cas_is_exact_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    storage = SqliteStorage(path)
    await storage.insert("state", Entity("counter", "c", {"n": 0}))
    procs = [
        await asyncio.create_subprocess_exec(sys.executable, "-c", _WORKER, str(path), "60", cwd=REPO)
        for _ in range(4)
    ]
    codes = [await p.wait() for p in procs]
    assert codes == [0, 0, 0, 0]
    final = await storage.get("state", "counter", "c")
    assert final is not None
    assert final.data["n"] == 240
    await storage.close()
