"""One bot-like process for the quota invariant test and the benchmark (a script, not a test).

Runs `--tasks` concurrent users, each doing `--turns` turns: reserve → (maybe) pause → release
(30 %) or settle a random actual ≤ the reservation. Storage: `--sqlite PATH`, or Azure Tables with
the connection string in AZURE_TABLES_CONNECTION_STRING and `--prefix`. Prints one JSON line:
settled characters, counts, ETag conflicts, and any invariant violation it saw on its own writes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.core.clock import system_clock
from bot.core.quota import QuotaBusy, QuotaExceeded, QuotaLimits, QuotaService
from bot.core.storage.base import Storage

DEPARTMENTS = ("税務課", "市民課", "")


@dataclass
class Stats:
    settled_chars: int = 0
    reserved_ok: int = 0
    settled: int = 0
    released: int = 0
    shortened: int = 0
    refused: int = 0
    busy: int = 0
    violations: int = 0
    conflicts: int = 0
    elapsed_s: float = 0.0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", type=Path)
    parser.add_argument("--prefix", default="bot")
    parser.add_argument("--cap", type=int, default=5000)
    parser.add_argument("--user-cap", type=int, default=0)
    parser.add_argument("--max-answer", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=4)
    parser.add_argument("--turns", type=int, default=25)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--pause-ms", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--at", default="", help="fixed clock (ISO time with offset); default: real time")
    parser.add_argument("--release-share", type=float, default=0.3)
    parser.add_argument("--charge-share", type=float, default=1.0, help="settle at most this share of a hold")
    parser.add_argument("--think-ms", type=float, default=0.0, help="pause between a user's turns")
    parser.add_argument("--max-attempts", type=int, default=60)
    parser.add_argument("--start-at", type=float, default=0.0, help="epoch seconds: start together")
    parser.add_argument(
        "--barrier", action="store_true", help="print 'ready' once open, then start on a line from stdin"
    )
    return parser.parse_args(argv)


def open_backend(args: argparse.Namespace) -> Storage:
    if args.sqlite is not None:
        from bot.core.storage.sqlite import SqliteStorage  # noqa: PLC0415

        return SqliteStorage(args.sqlite)
    from bot.core.storage.azure_tables import AzureTableStorage  # noqa: PLC0415

    return AzureTableStorage.from_connection_string(
        os.environ["AZURE_TABLES_CONNECTION_STRING"], prefix=args.prefix
    )


async def one_turn(quota: QuotaService, rng: random.Random, args: argparse.Namespace, stats: Stats) -> None:
    user = f"u{rng.randrange(args.users)}"
    department = DEPARTMENTS[int(user[1:]) % len(DEPARTMENTS)]
    try:
        r = await quota.reserve(user, department, rng.randint(10, 100))
    except QuotaExceeded:
        stats.refused += 1
        return
    except QuotaBusy:
        stats.busy += 1
        return
    stats.reserved_ok += 1
    stats.shortened += r.shortened
    stats.violations += sum(left < 0 for left in r.remaining.values())
    await asyncio.sleep(rng.uniform(0, args.pause_ms / 1000))
    if rng.random() < args.release_share:
        await quota.release(r)
        stats.released += 1
    else:
        actual = rng.randint(0, int(r.amount * args.charge_share))
        charged = await quota.settle(r, actual)  # not `stats.x += await …`: that loses updates
        stats.settled_chars += charged
        stats.settled += 1


async def user_loop(quota: QuotaService, seed: int, args: argparse.Namespace, stats: Stats) -> None:
    rng = random.Random(seed)
    for _ in range(args.turns):
        await one_turn(quota, rng, args, stats)
        await asyncio.sleep(rng.uniform(0, args.think_ms / 1000))


async def main(argv: list[str]) -> Stats:
    args = parse(argv)
    storage = open_backend(args)
    limits = QuotaLimits(args.cap, user_monthly_chars=args.user_cap or None, max_answer_chars=args.max_answer)
    fixed = datetime.fromisoformat(args.at) if args.at else None
    clock = (lambda: fixed) if fixed else system_clock
    quota = QuotaService(storage, limits, max_attempts=args.max_attempts, clock=clock)
    stats = Stats()
    await asyncio.sleep(max(0.0, args.start_at - time.time()))  # a start barrier across processes
    if args.barrier:  # a real barrier: the parent says go once every process is open and warm
        await quota.snapshot("warm-up")  # the table made, the connection open: no slow first turn
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    started = time.perf_counter()
    try:
        await asyncio.gather(
            *(user_loop(quota, args.seed * 1000 + i, args, stats) for i in range(args.tasks))
        )
    finally:
        stats.elapsed_s = time.perf_counter() - started
        stats.conflicts = quota.conflicts
        await storage.close()
    return stats


if __name__ == "__main__":
    print(json.dumps(asdict(asyncio.run(main(sys.argv[1:])))))
