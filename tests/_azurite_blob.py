"""Start an Azurite *blob* endpoint for tests (not a test module), like tests/_azurite.py does for tables.

`.ci/run` starts only the table service; the blob tests start their own `azurite-blob` in memory on
a free loopback port and stop it by its pid. `can_start()` says why that is impossible here (then
the tests are skipped with that message).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests._azurite import ACCOUNT, ACCOUNT_KEY, REPO

BLOB_BIN = REPO / ".ci" / "node_modules" / ".bin" / "azurite-blob"


@dataclass
class AzuriteBlob:
    """A running azurite-blob we started."""

    url: str
    process: subprocess.Popen[bytes]
    workdir: Path

    @property
    def connection_string(self) -> str:
        """Connection string for the development account at this endpoint."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={self.url};"
        )

    def stop(self) -> None:
        """Stop it (by its pid) and remove its workspace."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


def can_start() -> str:
    """Empty when azurite-blob can be started here, else the reason it cannot."""
    if not BLOB_BIN.exists():
        return f"{BLOB_BIN} not found (run `npm ci --prefix .ci`)"
    if shutil.which("node") is None:
        return "node is not installed"
    return ""


def start_azurite_blob(deadline_s: float = 30.0) -> AzuriteBlob:
    """azurite-blob in memory on a free loopback port; RuntimeError if it does not come up."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    workdir = Path(tempfile.mkdtemp(prefix="azurite-blob-"))
    args = [
        str(BLOB_BIN),
        "--inMemoryPersistence",
        "--disableTelemetry",
        "--silent",
        "--skipApiVersionCheck",
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        str(port),
    ]
    process = subprocess.Popen(args, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    blob = AzuriteBlob(f"http://127.0.0.1:{port}/{ACCOUNT}", process, workdir)
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            blob.stop()
            raise RuntimeError(f"azurite-blob exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return blob
        except OSError:
            time.sleep(0.1)
    blob.stop()
    raise RuntimeError(f"azurite-blob did not listen on 127.0.0.1:{port} within {deadline_s:.0f} s")
