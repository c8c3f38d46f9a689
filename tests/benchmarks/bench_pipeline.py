"""Load benchmark: personal chats through POST /api/messages, on loopback only.

The bot runs as real `python -m bot serve` processes with the dry-run model (optionally paced like
a real deployment: first chunk after 500 ms, then 20 chunks a second); a fake Bot Connector in this
process records what the bot posts and when. For every turn it measures, from the POST:

    first_update   the first activity the user sees (the informative typing 回答を作成しています…)
    first_text     the first streamed update carrying answer text
    final          the final message

and checks the turn really is the model's answer (the dry-run label, streamType final), so a
refusal, a consent card or an error message counts as an error, never as a fast turn. The same
driver measures a bare botbuilder echo bot for comparison.

    python tests/benchmarks/bench_pipeline.py              # quick: SQLite, 200 turns, 16 users, vs echo
    python tests/benchmarks/bench_pipeline.py --load       # issue 7: 200 concurrent chats, paced, 400 turns,
                                                           # SQLite x1, Azurite x1, Azurite x2 (+ echo)
    python tests/benchmarks/bench_pipeline.py --users 200 --turns 400 --paced --backend azurite --processes 2

Users consent to the guideline first, through the consent card's own verb (`access.agree`), outside
the measured time (`--consent verb`, the default); `--consent off` instead runs a policy copy with
require_consent = false. Bounded: at most --turns turns, no turn started after --deadline seconds,
each turn given up after 60 s. Target (issue 7): no errors, and p95 first_text at most 1 s above
the model's own first-token time (500 ms when paced).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from tests.fakes.connector import FakeConnector, Posted  # noqa: E402  (after the sys.path line)

TENANT = "11111111-2222-3333-4444-555555555555"
QUESTION = "市民まつりの開催案内を300字以内で作成してください"
DRY_RUN_LABEL = "【ドライラン】"
MODEL_FIRST_TOKEN_MS = 500.0  # the paced dry-run model's first chunk
TARGET_ABOVE_FIRST_TOKEN_MS = 1000.0
TURN_TIMEOUT_S = 60.0
CLEARED_ENV = (  # whatever the shell has set, the benchmark runs the embedded default
    "AZURE_TABLES_CONNECTION_STRING",
    "AZURE_TABLES_ENDPOINT",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_DEPLOYMENT",
    "MicrosoftAppId",
    "ALLOWED_TENANT_IDS",
)


class BenchConnector(FakeConnector):
    """The fake Bot Connector with a cheap per-conversation wait for the final message.

    FakeConnector.wait_for wakes every waiter on every post (fine for tests); with 200 users
    waiting that costs the driver a whole core and slows the bot it measures on a 2-core machine.
    """

    def __init__(self) -> None:
        super().__init__()
        self._message_posted: dict[str, asyncio.Event] = {}

    def expect_message(self, conversation: str) -> asyncio.Event:
        """An event set when the next message is posted to the conversation."""
        event = asyncio.Event()
        self._message_posted[conversation] = event
        return event

    def _record(self, posted: Posted) -> None:
        super()._record(posted)
        if posted.method == "POST" and posted.body.get("type") == "message":
            event = self._message_posted.pop(posted.conversation_id, None)
            if event is not None:
                event.set()


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
    notes: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        """Turns/second and percentiles in milliseconds."""
        done = [t for t in self.timings if t.final is not None and not t.error]
        errors: dict[str, int] = {}
        for t in self.timings:
            if t.error:
                errors[t.error] = errors.get(t.error, 0) + 1
        return {
            "scenario": self.name,
            "turns": len(self.timings),
            "errors": len(self.timings) - len(done),
            "error_kinds": errors,
            "turns_per_s": round(len(done) / self.wall_s, 1) if self.wall_s else 0,
            "first_update_ms": _pcts([t.first_update for t in done]),
            "first_text_ms": _pcts([t.first_text for t in done]),
            "final_ms": _pcts([t.final for t in done]),
            "peak_rss_mb": self.peak_rss_mb,
            "notes": self.notes,
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


BENCH_TURNS_PER_MINUTE = 100_000
"""The per-user rate limit in the benchmark's policy copy: still checked on every turn (the same
counter in the same quota transaction), but a benchmark user sends far more than 10 turns a
minute, and a refused turn is not a turn of the pipeline being measured."""


def bench_policy(tmp: Path, consent: str) -> str:
    """The Iwaki policy with the per-user rate limit raised (BENCH_TURNS_PER_MINUTE), and consent as
    shipped (`--consent verb`) or off (`--consent off`)."""
    text = resources.files("bot.core.policies").joinpath("iwaki.toml").read_text(encoding="utf-8")
    limited = "user_turns_per_minute = 10"
    if limited not in text:
        raise RuntimeError(f"the Iwaki policy no longer has {limited!r}: update bench_policy")
    text = text.replace(limited, f"user_turns_per_minute = {BENCH_TURNS_PER_MINUTE}")
    if consent == "off":
        text = text.replace("require_consent = true", "require_consent = false")
    path = tmp / f"bench-policy-{consent}.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def start_bot(
    port: int, env: dict[str, str], log: Path, profile: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start `python -m bot serve` on loopback, logging to a file (not a pipe); wait for /healthz.
    With `profile`, under stage_cpu.py, which writes the CPU by stage there (SIGUSR1 … SIGUSR2)."""
    runner = (
        ["-m", "bot"]
        if profile is None
        else [str(Path(os.environ.get("STAGE_CPU", Path(__file__).with_name("stage_cpu.py")))), str(profile)]
    )
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, *runner, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    _wait_http(f"http://127.0.0.1:{port}/healthz", proc, log)
    return proc


ECHO_WITH_FIX = (  # the echo bot with the bot's msrest workaround, so "added latency" is the pipeline's own
    "import runpy, sys; from bot.teams.adapter import speed_up_msrest; speed_up_msrest(); "
    "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)


def start_echo(port: int, *, stock: bool = False) -> subprocess.Popen[bytes]:
    """Start the bare echo bot (with the same msrest workaround as the bot unless `stock`)."""
    script = [str(REPO / "tests" / "benchmarks" / "echo_bot.py"), "--port", str(port)]
    command = [sys.executable, *script] if stock else [sys.executable, "-c", ECHO_WITH_FIX, *script]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    proc.stdout.readline()
    return proc


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"bot exited early: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process we started, by its pid."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def user_oid(index: int) -> str:
    """The Entra object id of benchmark user `index`."""
    return f"bbbbbbbb-0000-0000-0000-{index:012d}"


def activity(service_url: str, conversation: str, index: int, **fields: Any) -> dict[str, Any]:
    """A personal-chat activity from benchmark user `index`."""
    oid = user_oid(index)
    return {
        "type": "message",
        "id": f"m-{uuid.uuid4().hex[:12]}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:{oid}", "name": f"職員{index}", "aadObjectId": oid},
        "recipient": {"id": "28:bot", "name": "bot"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        **fields,
    }


async def consent_all(
    session: aiohttp.ClientSession, urls: list[str], service_url: str, conversations: list[str], version: str
) -> None:
    """Every user agrees to the guideline through the consent card's verb (not measured)."""
    gate = asyncio.Semaphore(16)

    async def agree(index: int) -> None:
        data = {"version": version, "department": f"課{index % 12}"}
        action = {"type": "Action.Execute", "verb": "access.agree", "data": data}
        body = activity(service_url, conversations[index], index, type="invoke", name="adaptiveCard/action")
        body["value"] = {"action": action, "trigger": "manual"}
        async with gate, session.post(urls[index % len(urls)], json=body) as resp:
            if resp.status != 200:
                raise RuntimeError(f"consent of user {index} refused: HTTP {resp.status}")

    await asyncio.gather(*(agree(i) for i in range(len(conversations))))


async def drive(
    urls: list[str],
    connector: BenchConnector,
    args: argparse.Namespace,
    *,
    echo: bool,
    version: str,
    on_start: Callable[[], None] = lambda: None,
) -> tuple[list[TurnTiming], float]:
    """Run `turns` turns spread over `users` concurrent personal chats; returns timings and wall time."""
    users, turns = args.users, args.turns
    per_user = [turns // users + (1 if i < turns % users else 0) for i in range(users)]
    run_id = uuid.uuid4().hex[:8]
    conversations = [f"a:bench-{run_id}-{i}" for i in range(users)]
    timings: list[TurnTiming] = []
    service_url = connector.url
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)) as session:
        if not echo and args.consent == "verb":
            await consent_all(session, urls, service_url, conversations, version)
        stop_at = time.monotonic() + args.deadline

        async def user(index: int) -> None:
            for _ in range(per_user[index]):
                if time.monotonic() > stop_at:
                    return
                body = activity(service_url, conversations[index], index, text=QUESTION)
                timings.append(await one_turn(session, urls[index % len(urls)], connector, body, echo=echo))

        on_start()
        start = time.monotonic()
        await asyncio.gather(*(user(i) for i in range(users)))
        return timings, time.monotonic() - start


async def one_turn(
    session: aiohttp.ClientSession, url: str, connector: BenchConnector, body: dict[str, Any], *, echo: bool
) -> TurnTiming:
    """Post one message, wait for its final reply, and check it is the answer."""
    conversation = body["conversation"]["id"]
    before = len(connector.by_conversation.get(conversation, []))
    posted = connector.expect_message(conversation)
    t0 = time.monotonic()
    timing = TurnTiming()
    try:
        async with session.post(url, json=body) as resp:
            if resp.status >= 300:
                timing.error = f"http {resp.status}"
                return timing
    except (aiohttp.ClientError, TimeoutError) as exc:
        timing.error = type(exc).__name__
        return timing
    try:
        await asyncio.wait_for(posted.wait(), TURN_TIMEOUT_S)
    except TimeoutError:
        timing.error = "timeout"
        return timing
    posts = connector.by_conversation.get(conversation, [])[before:]
    _fill(timing, posts, t0, echo=echo)
    return timing


def _fill(timing: TurnTiming, posts: list[Posted], t0: float, *, echo: bool) -> None:
    typing = [p for p in posts if p.body.get("type") == "typing"]
    final = next(p for p in posts if p.method == "POST" and p.body.get("type") == "message")
    text = str(final.body.get("text") or "")
    if echo:
        timing.first_update = final.at - t0
    elif not text.startswith(DRY_RUN_LABEL):
        timing.error = f"not an answer: {text[:30]!r}"
        return
    elif not any(e.get("streamType") == "final" for e in final.body.get("entities") or []):
        timing.error = "final message without streamType final"
        return
    else:
        timing.first_update = (typing[0].at - t0) if typing else None
    streamed = [p for p in typing if (p.body.get("entities") or [{}])[0].get("streamType") == "streaming"]
    timing.first_text = (streamed[0].at - t0) if streamed else None
    timing.final = final.at - t0


AZURITE_PID: list[int] = []  # the Azurite started here, whose CPU is reported with the bot's


@contextlib.contextmanager
def azurite_endpoint() -> Iterator[str]:
    """A connection string for Azurite: AZURITE_TABLES_URL if set, else one started (and stopped) here."""
    from _azurite import from_environment, start_azurite  # noqa: PLC0415  (tests/ is on sys.path only here)

    found = from_environment()
    started = None if found is not None else start_azurite()
    if started is not None and started.process is not None:
        AZURITE_PID[:] = [started.process.pid]
    try:
        yield (found or started).connection_string  # type: ignore[union-attr]
    finally:
        AZURITE_PID.clear()
        if started is not None:
            started.stop()


async def scenario(
    args: argparse.Namespace, tmp: Path, connector: BenchConnector, tables: str = ""
) -> Result:
    """Start the bot processes, drive the load, stop them."""
    from bot.core.policy import load_policy  # noqa: PLC0415  (the bot's modules load after the sys.path line)

    policy = bench_policy(tmp, args.consent)
    env = {
        "BOT_DATA_DIR": str(tmp / f"data-{uuid.uuid4().hex[:6]}"),
        "BOT_POLICY": policy,
        "LOG_LEVEL": "WARNING",
        "DRY_RUN_PACE": "true" if args.paced else "false",
        "QUOTA_MONTHLY_CHAR_LIMIT": "1000000000",
    }
    for name in CLEARED_ENV:
        env[name] = ""
    if tables:
        env.update(AZURE_TABLES_CONNECTION_STRING=tables, BOT_TABLE_PREFIX="b" + uuid.uuid4().hex[:10])
    ports = [free_port() for _ in range(args.processes)]
    logs = [tmp / f"bot-{port}.log" for port in ports]
    profiles = [tmp / f"stages-{port}.json" for port in ports] if args.profile else [None] * len(ports)
    procs = [
        start_bot(port, env, log, profile) for port, log, profile in zip(ports, logs, profiles, strict=True)
    ]
    try:
        urls = [f"http://127.0.0.1:{p}/api/messages" for p in ports]
        version = load_policy(policy).guideline.version
        before: list[float] = []

        azurite = list(AZURITE_PID) if tables else []

        def started() -> None:  # after the consent phase
            before[:] = [
                sum(cpu_seconds(p.pid) for p in procs),
                time.process_time(),
                sum(cpu_seconds(pid) for pid in azurite),
            ]
            for proc in procs if args.profile else ():
                proc.send_signal(signal.SIGUSR1)

        timings, wall = await drive(urls, connector, args, echo=False, version=version, on_start=started)
        cpu = sum(cpu_seconds(p.pid) for p in procs) - before[0]
        by_stage = stage_cpu(procs, profiles) if args.profile else {}
        driver = time.process_time() - before[1]
        azurite_cpu = sum(cpu_seconds(pid) for pid in azurite) - before[2]
        backend = "azurite" if tables else "sqlite"
        name = f"bot {backend} x{args.processes}{' paced' if args.paced else ''}"
        consent = "require_consent=false" if args.consent == "off" else "agreed via access.agree first"
        notes = [
            f"consent: {consent}",
            f"CPU: bot {cpu:.1f} s ({cpu / max(1, len(timings)) * 1000:.1f} ms/turn), "
            f"driver + fake connector {driver:.1f} s, "
            + (f"Azurite {azurite_cpu:.1f} s, " if azurite else "")
            + f"wall {wall:.1f} s, {os.cpu_count()} CPUs",
        ]
        if by_stage:
            notes.append(stage_line(by_stage, cpu, len(timings)))
        result = Result(name, wall, timings, [peak_rss_mb(p.pid) for p in procs], notes)
    finally:
        for proc in procs:
            stop(proc)
    if result.figures()["errors"]:
        for log in logs:
            tail = log.read_text(errors="replace")[-1500:]
            if tail.strip():
                result.notes.append(f"{log.name}: …{tail}")
    return result


def stage_cpu(procs: list[subprocess.Popen[bytes]], profiles: list[Path | None]) -> dict[str, float]:
    """CPU seconds by stage, summed over the bot processes (stage_cpu.py, stopped by SIGUSR2)."""
    total: dict[str, float] = {}
    for proc, path in zip(procs, profiles, strict=True):
        assert path is not None
        proc.send_signal(signal.SIGUSR2)
        deadline = time.monotonic() + 10
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        for stage, seconds in json.loads(path.read_text(encoding="utf-8")).items():
            total[stage] = total.get(stage, 0.0) + seconds
    return total


def stage_line(by_stage: dict[str, float], cpu: float, turns: int) -> str:
    """The bot's CPU per turn by stage, largest first (sampled; the total is checked against /proc)."""
    sampled = sum(by_stage.values())
    parts = [
        f"{stage} {seconds / max(1, turns) * 1000:.1f}"
        for stage, seconds in sorted(by_stage.items(), key=lambda item: -item[1])
    ]
    return f"CPU by stage, ms/turn (sampled {sampled:.1f} s of the bot's {cpu:.1f} s): " + ", ".join(parts)


async def echo_scenario(args: argparse.Namespace, connector: BenchConnector) -> Result:
    """The bare echo bot under the same driver."""
    port = free_port()
    proc = start_echo(port, stock=args.echo_stock)
    try:
        url = f"http://127.0.0.1:{port}/api/messages"
        timings, wall = await drive([url], connector, args, echo=True, version="")
        name = "bare botbuilder echo" + (" (stock msrest)" if args.echo_stock else "")
        return Result(name, wall, timings, [peak_rss_mb(proc.pid)])
    finally:
        stop(proc)


async def run(args: argparse.Namespace) -> list[Result]:
    """The scenarios the arguments select."""
    connector = BenchConnector()
    await connector.start()
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if args.url:  # bots started elsewhere (e.g. under a profiler): drive them only
                timings, wall = await drive(args.url, connector, args, echo=False, version=args.version)
                results.append(Result(f"bot at {', '.join(args.url)}", wall, timings))
            elif args.load:
                results.append(await scenario(args, Path(tmp), connector))
                with azurite_endpoint() as tables:
                    for processes in (1, 2):
                        args.processes = processes
                        results.append(await scenario(args, Path(tmp), connector, tables))
            elif args.backend == "azurite":
                with azurite_endpoint() as tables:
                    results.append(await scenario(args, Path(tmp), connector, tables))
            else:
                results.append(await scenario(args, Path(tmp), connector))
        if not args.no_echo:
            results.append(await echo_scenario(args, connector))
    finally:
        await connector.close()
    return results


def target_line(f: dict[str, Any]) -> str:
    """Issue 7's target, read both ways: the first update the user sees (the informative typing) and
    the first streamed answer text, each at p95 at most 1 s above the model's first token."""
    limit = MODEL_FIRST_TOKEN_MS + TARGET_ABOVE_FIRST_TOKEN_MS
    verdicts = []
    for key, label in (("first_update_ms", "first visible update"), ("first_text_ms", "first streamed text")):
        met = f["errors"] == 0 and f[key]["p95"] <= limit
        verdicts.append(f"{label} {'MET' if met else 'MISSED'}")
    return f"target (no errors, p95 <= {limit:.0f} ms): " + "; ".join(verdicts)


def report(results: list[Result], args: argparse.Namespace) -> None:
    """Print the figures, the target check, and the ratio to the echo bot."""
    figures = [r.figures() for r in results]
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    print(
        f"load: {args.users} concurrent personal chats, {args.turns} turns, dry-run model "
        f"{'paced (first chunk 500 ms, 20 chunks/s)' if args.paced else 'unpaced'}, loopback"
    )
    for f in figures:
        print(
            f"{f['scenario']}: {f['turns']} turns, {f['errors']} errors, {f['turns_per_s']} turns/s, "
            f"peak RSS {f['peak_rss_mb']} MB"
        )
        for key in ("first_update_ms", "first_text_ms", "final_ms"):
            if f[key]:
                p = f[key]
                print(f"    {key:16s} p50 {p['p50']:8.1f}  p95 {p['p95']:8.1f}  p99 {p['p99']:8.1f}")
        for kind, count in f["error_kinds"].items():
            print(f"    error x{count}: {kind}")
        for note in f["notes"]:
            print(f"    {note}")
        if args.paced and f["first_text_ms"] and not f["scenario"].startswith("bare botbuilder echo"):
            print(f"    {target_line(f)}")
    echo = next((f for f in figures if f["scenario"].startswith("bare botbuilder echo")), None)
    if echo and echo["final_ms"] and figures[0]["final_ms"] and not args.paced:
        bot = figures[0]
        added = bot["final_ms"]["p50"] - echo["final_ms"]["p50"]
        ratio = bot["turns_per_s"] / echo["turns_per_s"] if echo["turns_per_s"] else 0
        print(f"added latency p50 {added:.1f} ms; throughput ratio bot/echo {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=16, help="concurrent personal chats")
    parser.add_argument("--turns", type=int, default=200, help="total turns")
    parser.add_argument("--paced", action="store_true", help="dry-run model streams like a real deployment")
    parser.add_argument("--backend", choices=["sqlite", "azurite"], default="sqlite")
    parser.add_argument("--processes", type=int, default=1, choices=[1, 2])
    parser.add_argument(
        "--load",
        action="store_true",
        help="issue 7 load: 200 users, 400 turns, paced; SQLite x1, Azurite x1 and x2",
    )
    parser.add_argument(
        "--consent",
        choices=["verb", "off"],
        default="verb",
        help="users agree via the consent card's verb first (default), or consent is off",
    )
    parser.add_argument("--no-echo", action="store_true", help="skip the echo-bot baseline")
    parser.add_argument(
        "--echo-stock",
        action="store_true",
        help="echo bot without the msrest workaround the bot applies (library as shipped)",
    )
    parser.add_argument("--deadline", type=float, default=300.0, help="no turn starts after this (seconds)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the bot's CPU per turn by stage (sampled inside the bot: tests/benchmarks/stage_cpu.py)",
    )
    parser.add_argument(
        "--url",
        action="append",
        default=[],
        help="drive a bot already running at this loopback URL (profiling); repeatable",
    )
    parser.add_argument("--version", default="2024-04-15", help="guideline version to agree to with --url")
    args = parser.parse_args()
    if args.load:
        args.users, args.turns, args.paced = max(args.users, 200), max(args.turns, 400), True
    if args.processes > 1 and args.backend == "sqlite" and not args.load:
        parser.error("several processes share state through Azure Tables: use --backend azurite")
    report(asyncio.run(run(args)), args)


if __name__ == "__main__":
    main()
