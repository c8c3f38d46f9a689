"""An Azurite table service of the test's own that can be stopped and started again on the same port
with its data kept on disk (`--location`, no `--inMemoryPersistence`): the storage outage test.

tests/_azurite.start_azurite starts a throwaway in-memory Azurite; this one keeps its workspace
until `close()`. Processes are stopped by their own pid only.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tests._azurite import AZURITE_BIN, Azurite, _free_port, _wait_for_port, can_start


class RestartableAzurite:
    """azurite-table on 127.0.0.1:<port> with a persistent workspace; stop() and start() at will."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="azurite-persist-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.endpoint = Azurite(f"http://127.0.0.1:{self.port}/devstoreaccount1")

    @staticmethod
    def unavailable() -> str:
        """Why Azurite cannot be started here ('' when it can)."""
        return can_start()

    @property
    def connection_string(self) -> str:
        """Development-account connection string for this endpoint."""
        return self.endpoint.connection_string

    def start(self, deadline_s: float = 30.0) -> None:
        """Start (or start again) on the same port and workspace; wait until it listens."""
        assert self.process is None or self.process.poll() is not None, "already running"
        args = [
            str(AZURITE_BIN),
            "--disableTelemetry",
            "--silent",
            "--skipApiVersionCheck",
            "--tableHost",
            "127.0.0.1",
            "--tablePort",
            str(self.port),
            "--location",
            str(self.workdir),
        ]
        self.process = subprocess.Popen(
            args, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_for_port(self.port, self.process, deadline_s)

    def stop(self) -> None:
        """Stop it by pid with SIGINT: Azurite's graceful close, which saves its database to the
        workspace (on SIGTERM it exits at once and loses up to 5 s of writes)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def close(self) -> None:
        """Stop and remove the workspace."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
