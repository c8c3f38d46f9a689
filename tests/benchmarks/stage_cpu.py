"""CPU per turn by stage, measured inside a running bot (bench_pipeline.py --profile).

    python tests/benchmarks/stage_cpu.py OUT.json serve --host 127.0.0.1 --port 3978

runs `python -m bot serve …` with a sampling thread. SIGUSR1 starts sampling, SIGUSR2 stops it
and writes OUT.json: CPU seconds by stage. Every SAMPLE_S the thread reads the event loop thread's
own CPU clock and charges what it used since the last sample to the stage its stack is in then:
the innermost frame that belongs to a known part (screening, storage, the connector client…)
names it, so the JSON encoder run by the storage counts as storage and Sudachi run by the
screener as screening; a stack with no such frame inside the loop's own frames is the event loop.
Work done in executor threads (the connector client's `requests`, `asyncio.to_thread`) and on the
SQLite storage's own worker thread is timed exactly, each item charged to the part its function
belongs to. The loop's share is a sampling estimate (CPU
used by a callback that ended between two samples is charged to what runs at the second one);
the total is printed beside the process's CPU from /proc.
"""

from __future__ import annotations

import functools
import json
import os
import runpy
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import thread as futures_thread
from types import CodeType, FrameType
from typing import Any

SAMPLE_S = 0.001

STAGES: tuple[tuple[str, str], ...] = (  # (path fragment, stage), the first match of a frame wins
    ("/bot/core/screening/", "screening"),
    ("/bot/core/exits.py", "screening"),
    ("/bot/teams/exits.py", "screening"),
    ("/bot/core/storage/", "storage"),
    ("/bot/core/conversation.py", "storage"),
    ("/bot/core/audit/", "records (audit)"),
    ("/bot/core/quota/", "quota"),
    ("/bot/teams/stages/quota.py", "quota"),
    ("/bot/core/access/", "access"),
    ("/bot/teams/stages/access.py", "access"),
    ("/bot/core/dialog.py", "dialog and model"),
    ("/bot/core/model/", "dialog and model"),
    ("/bot/core/knowledge/", "knowledge"),
    ("/bot/teams/streaming.py", "streaming"),
    ("/site-packages/msrest/", "connector client (msrest, requests)"),
    ("/site-packages/botframework/", "connector client (msrest, requests)"),
    ("/site-packages/requests/", "connector client (msrest, requests)"),
    ("/site-packages/urllib3/", "connector client (msrest, requests)"),
    ("/site-packages/botbuilder/", "botbuilder"),
    ("/site-packages/azure/", "storage"),  # azure-data-tables and azure-core
    ("/site-packages/aiohttp/", "HTTP server (aiohttp)"),
    ("/site-packages/jwt/", "botbuilder"),
    ("/bot/teams/", "teams stages and router"),
    ("/bot/", "other bot code"),
)
LOOP = "event loop (asyncio), other"
HTTP = "HTTP server (aiohttp)"
THREADS = "executor threads, other"


def stage_of_path(path: str) -> str | None:
    """The stage a source file belongs to, if any."""
    for fragment, stage in STAGES:
        if fragment in path:
            return stage
    return None


def stage_of(frame: FrameType | None) -> str:
    """The stage the loop thread is in: its innermost frame that belongs to a known part."""
    while frame is not None:
        path = frame.f_code.co_filename
        if "/asyncio/base_events.py" in path or "/selectors.py" in path:
            return LOOP  # the loop's own work (selecting, scheduling), below every callback
        stage = stage_of_path(path)
        if stage == HTTP:
            return _client_of(frame.f_back) or stage
        if stage is not None:
            return stage
        frame = frame.f_back
    return LOOP


def _client_of(frame: FrameType | None) -> str | None:
    """ "storage" when aiohttp runs as the storage SDK's HTTP client (azure-core's transport)."""
    while frame is not None:
        stage = stage_of_path(frame.f_code.co_filename)
        if stage not in (None, HTTP):
            return stage if stage == "storage" else None
        frame = frame.f_back
    return None


def code_of(fn: Any) -> CodeType | None:
    """The code object of an executor item's function (through partials and bound methods)."""
    while isinstance(fn, functools.partial):  # asyncio.to_thread: partial(context.run, fn, …)
        fn = fn.args[0] if getattr(fn.func, "__name__", "") == "run" and fn.args else fn.func
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    return code if isinstance(code, CodeType) else None


class Sampler:
    """Charges each thread's CPU to the stage its stack is in, every SAMPLE_S."""

    def __init__(self, loop_thread: int) -> None:
        self.cpu: Counter[str] = Counter()
        self._loop_thread = loop_thread
        self._last: float | None = None
        self._on = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        self._last = None
        with self._lock:
            self.cpu.clear()
        self._on.set()

    def charge(self, stage: str, seconds: float) -> None:
        """Add CPU seconds to a stage (from any thread)."""
        if self._on.is_set():
            with self._lock:
                self.cpu[stage] += seconds

    def timed_items(self) -> None:
        """Time every executor work item on its own thread's CPU clock."""
        run = futures_thread._WorkItem.run
        sampler = self

        def timed(item: Any) -> None:
            started = time.thread_time()
            try:
                run(item)
            finally:
                code = code_of(item.fn)
                stage = stage_of_path(code.co_filename) if code is not None else None
                sampler.charge(stage or THREADS, time.thread_time() - started)

        futures_thread._WorkItem.run = timed  # type: ignore[method-assign]

        from bot.core.storage import sqlite  # noqa: PLC0415  (its calls run on its own worker thread)

        call = sqlite.SqliteStorage._in_thread

        def timed_call(storage: Any, fn: Any, args: tuple[Any, ...]) -> Any:
            started = time.thread_time()
            try:
                return call(storage, fn, args)
            finally:
                sampler.charge("storage", time.thread_time() - started)

        sqlite.SqliteStorage._in_thread = timed_call  # type: ignore[method-assign]

    def stop(self) -> None:
        self._on.clear()

    def run(self) -> None:
        clock = time.pthread_getcpuclockid(self._loop_thread)
        while True:
            self._on.wait()
            time.sleep(SAMPLE_S)
            if not self._on.is_set():
                continue
            frame = sys._current_frames().get(self._loop_thread)
            used = time.clock_gettime(clock)
            if self._last is not None and used > self._last:
                self.charge(stage_of(frame), used - self._last)
            self._last = used


def main() -> None:
    out, args = sys.argv[1], sys.argv[2:]
    sampler = Sampler(threading.get_ident())
    sampler.timed_items()
    threading.Thread(target=sampler.run, name="stage-cpu", daemon=True).start()

    def start(*_: object) -> None:
        sampler.start()

    def stop(*_: object) -> None:
        sampler.stop()
        tmp = out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f, sampler._lock:
            json.dump(dict(sampler.cpu), f)
        os.replace(tmp, out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = ["bot", *args]
    runpy.run_module("bot", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
