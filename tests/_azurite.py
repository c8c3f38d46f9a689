"""Find or start an Azurite table endpoint for tests and benchmarks (not a test module).

`.ci/run` starts Azurite itself and exports AZURITE_TABLES_URL; otherwise `start_azurite()` runs
`.ci/node_modules/.bin/azurite-table` on a free loopback port with a temporary workspace, and the
caller stops it by its pid with `stop()`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AZURITE_BIN = REPO / ".ci" / "node_modules" / ".bin" / "azurite-table"
ACCOUNT = "devstoreaccount1"
# The well-known development account key, published in Azurite's documentation (not a secret).
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


@dataclass
class Azurite:
    """A reachable Azurite table endpoint (and the process, when we started it)."""

    url: str
    process: subprocess.Popen[bytes] | None = None
    workdir: Path | None = None
    log: list[str] = field(default_factory=list)

    @property
    def connection_string(self) -> str:
        """Connection string for the development account at this endpoint."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"TableEndpoint={self.url};"
        )

    def stop(self) -> None:
        """Stop the Azurite we started (by its pid) and remove its workspace."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def table_url(raw: str) -> str:
    """Normalise AZURITE_TABLES_URL: accept `http://host:port` or `http://host:port/devstoreaccount1`."""
    url = raw.strip().rstrip("/")
    return url if url.endswith("/" + ACCOUNT) else f"{url}/{ACCOUNT}"


def from_environment() -> Azurite | None:
    """The endpoint named by AZURITE_TABLES_URL, if set."""
    raw = os.environ.get("AZURITE_TABLES_URL", "")
    return Azurite(table_url(raw)) if raw.strip() else None


def can_start() -> str:
    """Empty when we can start Azurite here, else the reason we cannot."""
    if not AZURITE_BIN.exists():
        return f"{AZURITE_BIN} not found (run `npm ci --prefix .ci`)"
    if shutil.which("node") is None:
        return "node is not installed"
    return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], deadline_s: float) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"azurite-table exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"azurite-table did not listen on 127.0.0.1:{port} within {deadline_s:.0f} s")


def start_azurite(deadline_s: float = 30.0) -> Azurite:
    """Start azurite-table in memory on a free loopback port; RuntimeError if it does not come up."""
    workdir = Path(tempfile.mkdtemp(prefix="azurite-"))
    port = _free_port()
    args = [
        str(AZURITE_BIN),
        "--inMemoryPersistence",
        "--disableTelemetry",
        "--silent",
        "--tableHost",
        "127.0.0.1",
        "--tablePort",
        str(port),
    ]  # no --location: Azurite refuses it together with --inMemoryPersistence (cwd is the temp dir)
    process = subprocess.Popen(args, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    azurite = Azurite(f"http://127.0.0.1:{port}/{ACCOUNT}", process, workdir)
    try:
        _wait_for_port(port, process, deadline_s)
    except RuntimeError:
        azurite.stop()
        raise
    return azurite
