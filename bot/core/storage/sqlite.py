"""The embedded default backend: one SQLite file, safe for several processes sharing it.

Layout: a single table `entities(tbl, pk, rk, etag, data, updated)` keyed by (tbl, pk, rk);
`data` is the entity's values as a JSON object (JSON keeps int, float, bool and str apart, and
Python's integers are exact at any size), `updated` the write time in epoch seconds.

Concurrency: every call runs on one dedicated worker thread that owns the connection, so the event
loop never blocks on disk. The calls go to that thread in order through a plain queue and come back
as an asyncio future set from the thread (`_Worker`): `loop.run_in_executor` on a one-thread
`ThreadPoolExecutor` did the same with a concurrent future, its locks and a chained asyncio future
per call, about 20 µs more of CPU for each of the 4–5 storage calls of a turn.
The file is in WAL mode (readers never wait for a writer) with a busy timeout, and every write
starts with `BEGIN IMMEDIATE`: the write lock is taken before the precondition is read, so a
compare-and-swap is correct across processes, not only across tasks.
Any sqlite3 error (locked past the timeout, disk I/O) surfaces as StorageError.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from bot.core.errors import ConflictError, NotFoundError, StorageError
from bot.core.storage._common import check_ops, check_table, new_etag, prefix_end, prepare
from bot.core.storage.base import Entity, Op

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
    tbl     TEXT NOT NULL,
    pk      TEXT NOT NULL,
    rk      TEXT NOT NULL,
    etag    TEXT NOT NULL,
    data    TEXT NOT NULL,  -- JSON object of the entity's values
    updated REAL NOT NULL,
    PRIMARY KEY (tbl, pk, rk)
) WITHOUT ROWID
"""
SCAN_PAGE = 500


class SqliteStorage:
    """Storage over one SQLite file (see the module docstring for the concurrency model)."""

    name = "sqlite"

    def __init__(self, path: Path, *, busy_timeout_s: float = 10.0) -> None:
        self.path = Path(path)
        self._busy_timeout_s = busy_timeout_s
        self._worker = _Worker(self._in_thread, name="sqlite-storage_0")
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    # --- plumbing -------------------------------------------------------------------------

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(connection, *args) on the worker thread; sqlite3 errors become StorageError."""
        if self._closed:
            raise StorageError("SQLite storage is closed")
        try:
            return await self._worker.submit(asyncio.get_running_loop(), fn, args)
        except sqlite3.Error as exc:
            raise StorageError(f"SQLite ({self.path.name}): {exc}") from exc

    def _in_thread(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        return fn(self._connection(), *args)

    def _connection(self) -> sqlite3.Connection:
        """The worker thread's connection, opened (and the schema created) on first use."""
        if self._conn is None:
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout_s, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_s * 1000)}")
            deadline = time.monotonic() + self._busy_timeout_s
            # Switching to WAL takes the database lock and, while other processes write, can fail
            # at once ("database is locked") without waiting the busy timeout: retried until then.
            _until_unlocked(deadline, lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
            _until_unlocked(deadline, lambda: conn.execute(SCHEMA))
            self._conn = conn
        return self._conn

    async def _write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn inside BEGIN IMMEDIATE … COMMIT (rolled back if it raises)."""
        return await self._call(_in_write_transaction, fn, *args)

    # --- the Storage protocol -------------------------------------------------------------

    async def get(self, table: str, pk: str, rk: str) -> Entity | None:
        """The entity, or None if it does not exist."""
        check_table(table)
        return await self._call(_get, table, pk, rk)

    async def insert(self, table: str, entity: Entity) -> Entity:
        """Create; ConflictError if it exists."""
        check_table(table)
        return await self._write(_apply, table, Op("insert", prepare(entity)))

    async def replace(self, table: str, entity: Entity) -> Entity:
        """Compare-and-swap on entity.etag (empty: unconditional); NotFoundError if missing."""
        check_table(table)
        return await self._write(_apply, table, Op("replace", prepare(entity)))

    async def upsert(self, table: str, entity: Entity) -> Entity:
        """Create or overwrite unconditionally."""
        check_table(table)
        return await self._write(_apply, table, Op("upsert", prepare(entity)))

    async def delete(self, table: str, pk: str, rk: str, etag: str = "") -> bool:
        """Delete (conditionally when etag is given); False if it did not exist."""
        check_table(table)
        return await self._write(_delete, table, pk, rk, etag)

    async def query(
        self, table: str, pk: str, *, rk_from: str = "", rk_to: str = "", limit: int = 0
    ) -> list[Entity]:
        """Entities of one partition, row keys in [rk_from, rk_to), ascending; limit 0 = all."""
        check_table(table)
        return await self._call(_query, table, pk, (rk_from, rk_to), limit)

    async def scan(self, table: str, *, pk_prefix: str = "") -> AsyncIterator[Entity]:
        """Every entity whose partition key starts with pk_prefix, by (pk, rk), read in pages."""
        check_table(table)
        after: tuple[str, str] | None = None
        while True:
            page = await self._call(_scan_page, table, pk_prefix, after)
            for entity in page:
                yield entity
            if len(page) < SCAN_PAGE:
                return
            after = (page[-1].partition_key, page[-1].row_key)

    async def transact(self, table: str, ops: Sequence[Op]) -> list[Entity]:
        """Apply ops of one partition atomically; ConflictError and nothing applied on failure."""
        check_table(table)
        prepared = check_ops(ops)
        if not prepared:
            return []
        return await self._write(_transact, table, prepared)

    async def ping(self) -> None:
        """Raise StorageError if the file cannot be opened or read."""
        await self._call(lambda conn: conn.execute("SELECT count(*) FROM entities WHERE 0").fetchone())

    async def close(self) -> None:
        """Close the connection and stop the worker thread (idempotent)."""
        if self._closed:
            return
        if self._conn is not None:
            await self._call(_close)
        self._closed = True
        self._conn = None
        self._worker.shutdown()


class _Worker:
    """One thread running calls in the order they were submitted, each answered by an asyncio future.

    What `run_in_executor` on a one-thread ThreadPoolExecutor did, with less per call: a call whose
    future was cancelled before the thread reached it is skipped (as a cancelled work item is), one
    that started runs to the end; the thread starts on first use and is joined by `shutdown`, which
    runs what was submitted before it, and at interpreter exit like the executor's threads."""

    def __init__(self, run: Callable[[Callable[..., Any], tuple[Any, ...]], Any], *, name: str) -> None:
        self._run = run
        self._name = name
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopped = False

    def submit(
        self, loop: asyncio.AbstractEventLoop, fn: Callable[..., T], args: tuple[Any, ...]
    ) -> asyncio.Future[T]:
        """The future of fn(connection, *args) run on the worker thread."""
        future: asyncio.Future[T] = loop.create_future()
        if self._thread is None:
            self._start()
        self._queue.put((loop, future, fn, args))
        return future

    def _start(self) -> None:
        with self._lock:
            if self._stopped:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if self._thread is None:
                thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                thread.start()
                _LIVE.add(self)
                self._thread = thread

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            loop, future, fn, args = item
            del item
            if future.cancelled():
                continue
            try:
                result = self._run(fn, args)
            except BaseException as exc:  # handed to the awaiting task, as an executor does
                _answer(loop, future, None, exc)
            else:
                _answer(loop, future, result, None)
            del loop, future, fn, args

    def shutdown(self) -> None:
        """Run what was submitted, then stop and join the thread (idempotent)."""
        with self._lock:
            self._stopped = True
            thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join()
        _LIVE.discard(self)


_Item = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]
_LIVE: set[_Worker] = set()


def _answer(
    loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any], result: Any, exc: BaseException | None
) -> None:
    """Settle `future` on its loop from the worker thread (nothing when the loop is closed)."""
    if loop.is_closed():
        return
    with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
        loop.call_soon_threadsafe(_settle, future, result, exc)


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.cancelled():
        return
    if exc is None:
        future.set_result(result)
    else:
        future.set_exception(exc)


def _join_workers() -> None:
    """At interpreter exit, like concurrent.futures: what was submitted still runs."""
    for worker in list(_LIVE):
        worker.shutdown()


threading._register_atexit(_join_workers)  # type: ignore[attr-defined]  # what concurrent.futures uses


# --- functions run on the worker thread ---------------------------------------------------------


def _in_write_transaction(conn: sqlite3.Connection, fn: Callable[..., T], *args: Any) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(conn, *args)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


def _row(pk: str, rk: str, etag: str, data: str) -> Entity:
    return Entity(pk, rk, json.loads(data), etag)


def _current_etag(conn: sqlite3.Connection, table: str, pk: str, rk: str) -> str | None:
    sql = "SELECT etag FROM entities WHERE tbl=? AND pk=? AND rk=?"
    found = conn.execute(sql, (table, pk, rk)).fetchone()
    return None if found is None else str(found[0])


def _get(conn: sqlite3.Connection, table: str, pk: str, rk: str) -> Entity | None:
    found = conn.execute(
        "SELECT etag, data FROM entities WHERE tbl=? AND pk=? AND rk=?", (table, pk, rk)
    ).fetchone()
    return None if found is None else _row(pk, rk, found[0], found[1])


def _apply(conn: sqlite3.Connection, table: str, op: Op, *, in_batch: bool = False) -> Entity:
    """Check one operation's precondition and apply it (inside an open write transaction)."""
    entity = op.entity
    current = _current_etag(conn, table, entity.partition_key, entity.row_key)
    if op.kind == "insert" and current is not None:
        raise ConflictError(f"{table}/{entity.partition_key}/{entity.row_key} already exists")
    if op.kind in {"replace", "delete"} and current is None:
        missing = f"{table}/{entity.partition_key}/{entity.row_key} does not exist"
        raise ConflictError(missing) if in_batch else NotFoundError(missing)
    if op.kind in {"replace", "delete"} and entity.etag and entity.etag != current:
        raise ConflictError(f"{table}/{entity.partition_key}/{entity.row_key} was changed (ETag mismatch)")
    if op.kind == "delete":
        sql = "DELETE FROM entities WHERE tbl=? AND pk=? AND rk=?"
        conn.execute(sql, (table, entity.partition_key, entity.row_key))
        return Entity(entity.partition_key, entity.row_key, entity.data, "")
    etag = new_etag()
    conn.execute(
        "INSERT INTO entities (tbl, pk, rk, etag, data, updated) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (tbl, pk, rk) DO UPDATE "
        "SET etag=excluded.etag, data=excluded.data, updated=excluded.updated",
        (table, entity.partition_key, entity.row_key, etag, _dumps(entity), time.time()),
    )
    return Entity(entity.partition_key, entity.row_key, dict(entity.data), etag)


def _dumps(entity: Entity) -> str:
    return json.dumps(dict(entity.data), ensure_ascii=False, separators=(",", ":"))


def _delete(conn: sqlite3.Connection, table: str, pk: str, rk: str, etag: str) -> bool:
    try:
        _apply(conn, table, Op("delete", Entity(pk, rk, {}, etag)))
    except NotFoundError:
        return False
    return True


def _transact(conn: sqlite3.Connection, table: str, ops: Sequence[Op]) -> list[Entity]:
    return [_apply(conn, table, op, in_batch=True) for op in ops]


def _query(
    conn: sqlite3.Connection, table: str, pk: str, rk_range: tuple[str, str], limit: int
) -> list[Entity]:
    rk_from, rk_to = rk_range
    sql = "SELECT rk, etag, data FROM entities WHERE tbl=? AND pk=? AND rk>=?"
    params: list[Any] = [table, pk, rk_from]
    if rk_to:
        sql += " AND rk<?"
        params.append(rk_to)
    sql += " ORDER BY rk"
    if limit > 0:
        sql += " LIMIT ?"
        params.append(limit)
    return [_row(pk, rk, etag, data) for rk, etag, data in conn.execute(sql, params)]


def _scan_page(
    conn: sqlite3.Connection, table: str, prefix: str, after: tuple[str, str] | None
) -> list[Entity]:
    sql = "SELECT pk, rk, etag, data FROM entities WHERE tbl=? AND pk>=?"
    params: list[Any] = [table, prefix]
    end = prefix_end(prefix)
    if end:
        sql += " AND pk<?"
        params.append(end)
    if after is not None:
        sql += " AND (pk, rk) > (?, ?)"
        params.extend(after)
    sql += " ORDER BY pk, rk LIMIT ?"
    params.append(SCAN_PAGE)
    return [_row(pk, rk, etag, data) for pk, rk, etag, data in conn.execute(sql, params)]


def _close(conn: sqlite3.Connection) -> None:
    conn.close()


def _until_unlocked(deadline: float, statement: Callable[[], object]) -> None:
    """Run `statement`, again every 20 ms while the database is locked, until `deadline` (monotonic)."""
    while True:
        try:
            statement()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)
