"""The processes of an end-to-end run: the bot, the Agents Playground, and what they need.

    missing_requirement()   why the suite cannot run here ('' when it can)
    start_bot(...)          `python -m bot serve` on a free loopback port; waits for GET /healthz
    start_playground(...)   `agentsplayground start` pointed at the bot; waits until it listens
    run_bot_cli(bot, ...)   `python -m bot ...` (audit, usage) on the running bot's storage

Each started process is a `Service`, stopped by its own pid (`stop()`, killed after a grace period);
its output goes to a log file in the artifacts directory so a failure can be read afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / ".ci" / "node_modules"
PLAYGROUND_BIN = NODE_MODULES / ".bin" / "agentsplayground"
PLAYWRIGHT_CORE = NODE_MODULES / "playwright-core" / "package.json"
PLAYGROUND_CONFIG = Path(__file__).resolve().parent / "playground.yml"
TENANT_ID = "00000000-0000-0000-0000-000000000001"
"""The tenant of playground.yml; the bot accepts only it (ALLOWED_TENANT_IDS), as in production."""

# Everything bot/config.py reads: cleared so a developer's shell or CI cannot change the bot under test.
_BOT_ENV = re.compile(
    r"^(MicrosoftApp\w*|BOT_\w+|AZURE_\w+|OPENAI_\w+|MODEL_\w+|QUOTA_\w+|DRY_RUN_PACE|ALLOWED_TENANT_IDS|"
    r"ADMIN_AAD_OBJECT_IDS|MAX_REQUEST_BYTES|LOG_LEVEL)$"
)


def chromium_path() -> str:
    """The Chromium to drive: $E2E_CHROMIUM, else Debian's `chromium` on PATH."""
    return os.environ.get("E2E_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def missing_requirement() -> str:
    """Empty when Node, the npm tools, Chromium and a Japanese font are all here; else what is missing."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not PLAYGROUND_BIN.exists() or not PLAYWRIGHT_CORE.exists():
        return f"the Agents Playground or playwright-core is missing in {NODE_MODULES} (npm ci --prefix .ci)"
    if not Path(chromium_path()).exists():
        return "chromium is not installed (Debian: apt-get install chromium; or set E2E_CHROMIUM)"
    if shutil.which("fc-list") is None:
        return "fontconfig (fc-list) is not installed, so Japanese cannot be checked in screenshots"
    fonts = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        return "no Japanese font: screenshots would show boxes (Debian: apt-get install fonts-ipafont-gothic)"
    return ""


def free_port() -> int:
    """A port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    """A process we started, and where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str]
    cwd: Path

    @property
    def pid(self) -> int:
        """The process id (what `stop` signals)."""
        return self.process.pid

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.poll() is None

    def tail(self, lines: int = 20, path: Path | None = None) -> str:
        """The last lines of its log (or of another log file of it), indented for an error message."""
        target = path or self.log_path
        if not target.exists():
            return "    (no log)"
        text = target.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return "\n".join(f"    {line}" for line in text) or "    (empty)"

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM by pid, then SIGKILL if it has not exited within the grace period."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=grace_s)


def run_bot_cli(bot: Service, *args: str, timeout_s: float = 60.0) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot <args>` against the running bot's storage (same environment and directory)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=bot.env,
        cwd=bot.cwd,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


def _spawn(name: str, args: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> Service:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    return Service(name, process, log_path, env, cwd)


def start_bot(
    artifacts: Path, workdir: Path, extra_env: dict[str, str], deadline_s: float = 45.0
) -> tuple[Service, int]:
    """Start the bot (dry-run model at a visible pace, anonymous, loopback) and wait until it is healthy.

    `workdir` holds BOT_DATA_DIR and is the current directory, so no `.env` of the repo is read.
    """
    port = free_port()
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not _BOT_ENV.match(key)}
    env.update(
        BOT_DATA_DIR=str(data_dir),
        BOT_POLICY="iwaki",
        DRY_RUN_PACE="true",
        ALLOWED_TENANT_IDS=TENANT_ID,
        LOG_LEVEL="INFO",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env)
    args = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    bot = _spawn("bot", args, env, workdir, artifacts / "bot.log")
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if not bot.alive():
            raise RuntimeError(
                f"the bot exited with code {bot.process.returncode}; {bot.log_path}:\n{bot.tail()}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                health = json.loads(resp.read())
            if resp.status == 200:
                (artifacts / "bot-health.json").write_text(json.dumps(health, ensure_ascii=False, indent=2))
                return bot, port
        except OSError:
            pass
        time.sleep(0.2)
    bot.stop()
    raise RuntimeError(
        f"the bot did not answer GET /healthz within {deadline_s:.0f} s; {bot.log_path}:\n{bot.tail()}"
    )


def start_playground(
    artifacts: Path, workdir: Path, bot_port: int, deadline_s: float = 60.0
) -> tuple[Service, str]:
    """Start the Agents Playground for the bot; returns it and its page URL (on 127.0.0.1).

    It listens on every interface (it has no host option), so the caller stops it as soon as the
    scenarios are done. It writes a debug log (where start-up errors such as a bad config file go)
    into the artifacts, not into ./devTools of the current directory.
    """
    port = free_port()
    env = dict(os.environ)
    env.update(
        TEAMSAPPTESTER_BROWSER="none",
        M365_AGENTS_PLAYGROUND_CONFIG_PATH=str(PLAYGROUND_CONFIG),
        M365_AGENTS_PLAYGROUND_LOGFILE=str(artifacts / "playground-debug.log"),
    )
    args = [
        str(PLAYGROUND_BIN), "start",
        "-e", f"http://127.0.0.1:{bot_port}/api/messages",
        "-c", "msteams",
        "--disable-telemetry",
        "-p", str(port),
        "--service-url", f"http://127.0.0.1:{port}/_connector",
    ]  # fmt: skip
    playground = _spawn("playground", args, env, workdir, artifacts / "playground.log")
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if not playground.alive():
            break
        announced = re.search(r"Listening on (\d+)", playground.log_path.read_text(errors="replace"))
        if announced and int(announced.group(1)) != port:
            playground.stop()
            raise RuntimeError(
                f"the Playground took port {announced.group(1)} instead of {port} (taken meanwhile?)"
            )
        if announced and _listens(port):
            # It prints "Listening" before it reads its config file, and exits if that is invalid.
            time.sleep(0.5)
            if playground.alive():
                return playground, f"http://127.0.0.1:{port}/"
        time.sleep(0.2)
    playground.stop()
    debug_log = artifacts / "playground-debug.log"
    raise RuntimeError(
        f"the Agents Playground did not start (exit code {playground.process.returncode});\n"
        f"  {playground.log_path}:\n{playground.tail()}\n  {debug_log}:\n{playground.tail(path=debug_log)}"
    )


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
