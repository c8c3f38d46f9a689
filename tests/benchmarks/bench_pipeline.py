"""Load benchmark: personal chats through POST /api/messages, on loopback only.

The bot runs as real `python -m bot serve` processes (dry-run model, optionally paced like a real
deployment: first chunk after 500 ms, 20 chunks a second), a fake Bot Connector in this process
records what the bot posts and when. For each turn it measures the time from the POST to the
first visible update (the informative typing activity), to the first streamed text, and to the
final message. The same driver measures a bare botbuilder echo bot for comparison.

    python tests/benchmarks/bench_pipeline.py                       # quick: SQLite, 200 turns, 16 users, vs echo
    python tests/benchmarks/bench_pipeline.py --users 200 --turns 400 --paced            # issue 7 load
    python tests/benchmarks/bench_pipeline.py --users 200 --turns 400 --paced --backend azurite --processes 2

Bounded in count and time: at most --turns turns, and the run stops after --deadline seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from tests.fakes.connector import FakeConnector  # noqa: E402

TENANT = "11111111-2222-3333-4444-555555555555"


@dataclass
class TurnTiming:
    """One turn's timings in seconds (None when it never happened)."""

    first_update: float | None = None
    first_text: float | None = None
    final: float | None = None
    error: str = ""


@dataclass
class Result:
    """A scenario's figures."""

    name: str
    wall_s: float
    timings: list[TurnTiming] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, object]:
        """Turns/second and percentiles in milliseconds."""
        done = [t for t in self.timings if t.final is not None and not t.error]
        return {
            "scenario": self.name,
            "turns": len(self.timings),
            "errors": len(self.timings) - len(done),
            "turns_per_s": round(len(done) / self.wall_s, 1) if self.wall_s else 0,
            "first_update_ms": _pcts([t.first_update for t in done]),
            "first_text_ms": _pcts([t.first_text for t in done]),
            "final_ms": _pcts([t.final for t in done]),
            "peak_rss_mb": self.peak_rss_mb,
        }


def _pcts(values: list[float | None]) -> dict[str, float]:
    data = sorted(v * 1000 for v in values if v is not None)
    if not data:
        return {}
    def pct(p: float) -> float:
        return round(data[min(len(data) - 1, int(p * len(data)))], 1)
    return {"p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99), "mean": round(statistics.fmean(data), 1)}


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_policy(tmp: Path) -> Path:
    """The Iwaki policy with consent off, so every turn reaches the model path being measured."""
    text = resources.files("bot.policies").joinpath("iwaki.toml").read_text(encoding="utf-8")
    path = tmp / "bench-policy.toml"
    path.write_text(text.replace("require_consent = true", "require_consent = false"), encoding="utf-8")
    return path


def start_bot(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `python -m bot serve` on loopback and wait for /healthz."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    _wait_http(f"http://127.0.0.1:{port}/healthz", proc)
    return proc


def start_echo(port: int) -> subprocess.Popen[bytes]:
    """Start the bare echo bot."""
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "benchmarks" / "echo_bot.py"), "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    return proc


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"bot exited early: {err[-2000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (loopback only)
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process we started, by its pid."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def drive(
    urls: list[str], connector: FakeConnector, users: int, turns: int, deadline_s: float, *, final_type: str
) -> tuple[list[TurnTiming], float]:
    """Run `turns` turns spread over `users` concurrent personal chats; returns timings and wall time."""
    per_user = [turns // users + (1 if i < turns % users else 0) for i in range(users)]
    run_id = uuid.uuid4().hex[:8]
    timings: list[TurnTiming] = []
    stop_at = time.monotonic() + deadline_s
    connector_url = connector.url
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:

        async def user(index: int) -> None:
            conversation = f"a:bench-{run_id}-{index}"
            url = urls[index % len(urls)]
            for n in range(per_user[index]):
                if time.monotonic() > stop_at:
                    return
                timings.append(await one_turn(session, url, connector, connector_url, conversation, index, n, final_type))

        start = time.monotonic()
        await asyncio.gather(*(user(i) for i in range(users)))
        return timings, time.monotonic() - start


async def one_turn(
    session: aiohttp.ClientSession, url: str, connector: FakeConnector, service_url: str,
    conversation: str, user: int, n: int, final_type: str,
) -> TurnTiming:
    """Post one message and wait for its final reply."""
    oid = f"bbbbbbbb-0000-0000-0000-{user:012d}"
    body = {
        "type": "message", "id": f"m{n}", "channelId": "msteams", "serviceUrl": service_url, "text": "市民まつりの開催案内を300字以内で作成してください",
        "from": {"id": f"29:{oid}", "name": f"職員{user}", "aadObjectId": oid},
        "recipient": {"id": "28:bot", "name": "bot"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
    }
    before = len(connector.messages(conversation))
    t0 = time.monotonic()
    timing = TurnTiming()
    async with session.post(url, json=body) as resp:
        if resp.status >= 300:
            timing.error = f"http {resp.status}"
            return timing
    try:
        await connector.wait_for(lambda c: len(c.messages(conversation)) > before, timeout=60)
    except TimeoutError:
        timing.error = "timeout"
        return timing
    posts = [p for p in connector.by_conversation.get(conversation, []) if p.at >= t0]
    typing = [p for p in posts if p.body.get("type") == "typing"]
    final = [p for p in posts if p.body.get("type") == final_type]
    timing.first_update = (typing[0].at - t0) if typing else None
    streamed = [p for p in typing if (p.body.get("entities") or [{}])[0].get("streamType") == "streaming"]
    timing.first_text = (streamed[0].at - t0) if streamed else None
    timing.final = final[-1].at - t0 if final else None
    return timing


async def scenario(args: argparse.Namespace, tmp: Path, connector: FakeConnector) -> Result:
    """Start the bot processes, drive the load, stop them."""
    env = {"BOT_DATA_DIR": str(tmp / "data"), "BOT_POLICY": str(bench_policy(tmp)), "LOG_LEVEL": "WARNING",
           "DRY_RUN_PACE": "true" if args.paced else "false",
           "QUOTA_MONTHLY_CHAR_LIMIT": "1000000000"}
    azurite = None
    if args.backend == "azurite":
        from _azurite import from_environment, start_azurite  # noqa: PLC0415

        azurite = from_environment() or start_azurite()
        env.update(AZURE_TABLES_CONNECTION_STRING=azurite.connection_string, BOT_TABLE_PREFIX="b" + uuid.uuid4().hex[:10])
    ports = [free_port() for _ in range(args.processes)]
    procs = [start_bot(port, env) for port in ports]
    try:
        urls = [f"http://127.0.0.1:{p}/api/messages" for p in ports]
        timings, wall = await drive(urls, connector, args.users, args.turns, args.deadline, final_type="message")
        name = f"bot {args.backend} x{args.processes}{' paced' if args.paced else ''}"
        return Result(name, wall, timings, [peak_rss_mb(p.pid) for p in procs])
    finally:
        for proc in procs:
            stop(proc)
        if azurite is not None and azurite.process is not None:
            azurite.stop()


async def echo_scenario(args: argparse.Namespace, connector: FakeConnector) -> Result:
    """The bare echo bot under the same driver."""
    port = free_port()
    proc = start_echo(port)
    try:
        timings, wall = await drive([f"http://127.0.0.1:{port}/api/messages"], connector, args.users, args.turns,
                                    args.deadline, final_type="message")
        return Result("bare botbuilder echo", wall, timings, [peak_rss_mb(proc.pid)])
    finally:
        stop(proc)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=16, help="concurrent personal chats")
    parser.add_argument("--turns", type=int, default=200, help="total turns")
    parser.add_argument("--paced", action="store_true", help="dry-run model streams like a real deployment")
    parser.add_argument("--backend", choices=["sqlite", "azurite"], default="sqlite")
    parser.add_argument("--processes", type=int, default=1, choices=[1, 2])
    parser.add_argument("--no-echo", action="store_true", help="skip the echo-bot baseline")
    parser.add_argument("--deadline", type=float, default=300.0, help="stop starting turns after this many seconds")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.processes > 1 and args.backend == "sqlite":
        parser.error("several processes share state through Azure Tables: use --backend azurite")
    connector = FakeConnector()
    await connector.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = [await scenario(args, Path(tmp), connector)]
        if not args.no_echo:
            results.append(await echo_scenario(args, connector))
    finally:
        await connector.close()
    report(results, args)


def report(results: list[Result], args: argparse.Namespace) -> None:
    """Print the figures (and the ratio to the echo bot)."""
    figures = [r.figures() for r in results]
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for f in figures:
        print(f"{f['scenario']}: {f['turns']} turns, {f['errors']} errors, {f['turns_per_s']} turns/s, "
              f"peak RSS {f['peak_rss_mb']} MB")
        for key in ("first_update_ms", "first_text_ms", "final_ms"):
            if f[key]:
                print(f"    {key:16s} {f[key]}")
    if len(figures) == 2 and figures[1]["final_ms"] and figures[0]["final_ms"]:
        bot, echo = figures[0], figures[1]
        added = bot["final_ms"]["p50"] - echo["final_ms"]["p50"]  # type: ignore[index]
        ratio = bot["turns_per_s"] / echo["turns_per_s"] if echo["turns_per_s"] else 0  # type: ignore[operator]
        print(f"added latency p50 {added:.1f} ms; throughput ratio bot/echo {ratio:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
