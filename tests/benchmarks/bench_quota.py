"""Quota benchmark (a script, not a test): what the quota adds to a turn, on SQLite and on Azurite.

    python tests/benchmarks/bench_quota.py [--turns 2000] [--users 16] [--no-azurite]

1. Turns per second with and without quota, 16 concurrent users in one process. A turn "without
   quota" does the storage work every model turn does anyway (read the conversation, write it back);
   "with quota" adds reserve before and settle after. The cap is large, so nothing is refused.
   There is no model here, so this is the storage-bound ceiling: every quota write of the month
   goes through the one org row (that is what makes the cap exact), about one round trip each.
2. The latency the quota adds to one turn (reserve + settle, one user, warm cache), p50 and p99.
3. ETag conflicts per 1,000 turns at 16 concurrent users: all in one process (this process's own
   turns queue behind a local lock), and spread over 4 processes × 4 users sharing the storage
   (tests/quota/quota_worker.py, started together).

Azurite is found like the test fixture: AZURITE_TABLES_URL, else `.ci/node_modules/.bin/azurite-table`
is started on a free loopback port and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.core.clock import system_clock  # noqa: E402
from bot.core.quota import QuotaLimits, QuotaService  # noqa: E402
from bot.core.storage.azure_tables import AzureTableStorage  # noqa: E402
from bot.core.storage.base import Entity, Storage  # noqa: E402
from bot.core.storage.sqlite import SqliteStorage  # noqa: E402
from tests._azurite import Azurite, can_start, from_environment, start_azurite  # noqa: E402

WORKER = REPO / "tests" / "quota" / "quota_worker.py"
LIMITS = QuotaLimits(10_000_000_000, max_answer_chars=2000)
Opener = Callable[[], Storage]


async def conversation_step(storage: Storage, user: int) -> None:
    """The storage work a turn does without quota: read the conversation, write it back."""
    found = await storage.get("state", f"conv{user}", "history")
    count = int(found.data.get("n", 0)) if found else 0
    await storage.upsert("state", Entity(f"conv{user}", "history", {"n": count + 1, "text": "あ" * 200}))


async def run_turns(storage: Storage, quota: QuotaService | None, turns: int, users: int) -> float:
    """Turns per second for `turns` turns spread over `users` concurrent users."""
    per_user = turns // users

    async def user_loop(user: int) -> None:
        for _ in range(per_user):
            reservation = await quota.reserve(f"user{user}", "税務課", 120) if quota else None
            await conversation_step(storage, user)
            if quota and reservation:
                await quota.settle(reservation, reservation.charge_for(800))

    started = time.perf_counter()
    await asyncio.gather(*(user_loop(u) for u in range(users)))
    return per_user * users / (time.perf_counter() - started)


async def added_latency(opener: Opener, turns: int = 300) -> dict[str, float]:
    """p50 / p99 milliseconds of reserve + settle for one user (what a real turn waits for)."""
    storage = opener()
    quota = QuotaService(storage, LIMITS, clock=system_clock)
    timings = []
    try:
        for _ in range(turns + 20):
            started = time.perf_counter()
            r = await quota.reserve("solo", "税務課", 120)
            await quota.settle(r, r.charge_for(800))
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        await storage.close()
    timings = sorted(timings[20:])  # after warm-up
    return {
        "added_ms_p50": round(statistics.median(timings), 2),
        "added_ms_p99": round(timings[int(len(timings) * 0.99) - 1], 2),
    }


async def throughput(name: str, opener: Opener, turns: int, users: int) -> dict[str, object]:
    """Best of two runs each, with and without quota (warm caches, fresh counters)."""
    results: dict[str, list[float]] = {"without": [], "with": []}
    conflicts = 0
    runs = 2
    for _ in range(runs):
        storage = opener()
        try:
            await run_turns(storage, None, users, users)  # warm up (tables, connections)
            results["without"].append(await run_turns(storage, None, turns, users))
            quota = QuotaService(storage, LIMITS, clock=system_clock)
            results["with"].append(await run_turns(storage, quota, turns, users))
            conflicts += quota.conflicts
        finally:
            await storage.close()
    without, with_quota = max(results["without"]), max(results["with"])
    return {
        "backend": name,
        "turns_per_s_without_quota": round(without, 1),
        "turns_per_s_with_quota": round(with_quota, 1),
        "ratio": round(with_quota / without, 2),
        "conflicts_per_1000_turns_one_process": round(1000 * conflicts / (runs * turns), 2),
        **await added_latency(opener),
    }


def multi_process_conflicts(backend_args: list[str], env: dict[str, str], turns: int) -> dict[str, object]:
    """16 users as 4 processes × 4 users on one storage; ETag conflicts per 1,000 turns."""
    per_task = max(1, turns // 16)
    start_at = time.time() + 3
    args = [
        "--cap",
        str(LIMITS.org_monthly_chars),
        "--max-answer",
        "2000",
        "--tasks",
        "4",
        "--turns",
        str(per_task),
    ]
    args += ["--release-share", "0", "--pause-ms", "2", "--start-at", str(start_at), *backend_args]
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), *args, "--seed", str(i)], stdout=subprocess.PIPE, env=env, cwd=REPO
        )
        for i in range(4)
    ]
    stats = [json.loads(p.communicate()[0]) for p in procs]
    done = sum(s["reserved_ok"] for s in stats)
    conflicts = sum(s["conflicts"] for s in stats)
    elapsed = statistics.mean(s["elapsed_s"] for s in stats)
    return {
        "turns": done,
        "turns_per_s": round(done / elapsed, 1),
        "conflicts_per_1000_turns_4_processes": round(1000 * conflicts / max(1, done), 1),
        "busy_refusals": sum(s["busy"] for s in stats),
    }


def find_azurite() -> Azurite | None:
    found = from_environment()
    if found is not None:
        return found
    reason = can_start()
    if reason:
        print(f"Azurite skipped: {reason}", file=sys.stderr)
        return None
    return start_azurite()


def bench_azurite(conn: str, args: argparse.Namespace, env: dict[str, str]) -> None:
    def azure() -> Storage:
        return AzureTableStorage.from_connection_string(conn, prefix=f"b{uuid.uuid4().hex[:10]}")

    row = asyncio.run(throughput("azurite", azure, args.azure_turns, args.users))
    backend = ["--prefix", f"b{uuid.uuid4().hex[:10]}"]
    row.update(
        multi_process_conflicts(backend, {**env, "AZURE_TABLES_CONNECTION_STRING": conn}, args.azure_turns)
    )
    report(row)


def report(row: dict[str, object]) -> None:
    print(json.dumps(row, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=2000, help="turns per SQLite measurement")
    parser.add_argument("--azure-turns", type=int, default=800, help="turns per Azurite measurement")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--no-azurite", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1000))
        sqlite: Opener = lambda: SqliteStorage(Path(tmp) / f"bench{next(counter)}.sqlite3")  # noqa: E731
        row = asyncio.run(throughput("sqlite", sqlite, args.turns, args.users))
        row.update(multi_process_conflicts(["--sqlite", str(Path(tmp) / "multi.sqlite3")], env, args.turns))
        report(row)
    azurite = None if args.no_azurite else find_azurite()
    if azurite is not None:
        try:
            bench_azurite(azurite.connection_string, args, env)
        finally:
            azurite.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
