"""The Python side of tests/e2e/drive.mjs: one headless Chromium page on the Agents Playground.

`Browser.start()` runs `node drive.mjs` and talks JSON Lines to it; every method is one command and
returns the driver's result. A failed command raises `BrowserError` whose message carries what the
driver saw (the error, the last bot messages, the screenshot it took at that moment and the tail of
its diagnostics log), so a red test says where to look.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "drive.mjs"


class BrowserError(AssertionError):
    """A driver command failed or timed out (an AssertionError, so pytest reports it as a failure)."""


@dataclass
class Message:
    """A bot message as the page shows it."""

    index: int
    text: str
    ai_label: bool
    feedback: bool
    card: bool
    buttons: list[str]
    inputs: list[dict[str, str]]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Message:
        """Build from the driver's JSON."""
        return cls(
            index=int(data["index"]),
            text=str(data["text"]),
            ai_label=bool(data["ai_label"]),
            feedback=bool(data["feedback"]),
            card=bool(data["card"]),
            buttons=list(data["buttons"]),
            inputs=list(data["inputs"]),
            raw=data,
        )


@dataclass
class Browser:
    """A running drive.mjs process and its page."""

    artifacts: Path
    chromium: str
    node: str = "node"
    process: subprocess.Popen[str] | None = None
    _lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    _ids: int = 0
    last_screenshot: str = ""

    @property
    def log_path(self) -> Path:
        """Where the driver's diagnostics (page console errors, failed requests) are written."""
        return self.artifacts / "drive.log"

    def start(self) -> Browser:
        """Start the driver (the browser itself starts with `open`)."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        options = json.dumps({"artifacts": str(self.artifacts), "chromium": self.chromium})
        with self.log_path.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [self.node, str(DRIVER), options],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                encoding="utf-8",
            )
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def call(self, cmd: str, timeout_s: float = 60.0, **args: Any) -> Any:
        """Send one command and wait for its answer; BrowserError on failure."""
        assert self.process is not None
        assert self.process.stdin is not None
        self._ids += 1
        request = {"id": self._ids, "cmd": cmd, **args}
        try:
            self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self.process.stdin.flush()
        except OSError as exc:
            raise BrowserError(self._explain(f"{cmd}: the driver is gone ({exc})")) from None
        while True:
            try:
                line = self._lines.get(timeout=timeout_s)
            except queue.Empty:
                raise BrowserError(
                    self._explain(f"{cmd}: no answer from the driver in {timeout_s:.0f} s")
                ) from None
            if line is None:
                raise BrowserError(self._explain(f"{cmd}: the driver exited (code {self.process.poll()})"))
            answer = json.loads(line)
            if answer.get("id") == self._ids:
                break
        if not answer["ok"]:
            self.last_screenshot = answer.get("screenshot", self.last_screenshot)
            seen = "\n".join(f"    {m!r}" for m in answer.get("messages", []))
            raise BrowserError(
                self._explain(
                    f"{cmd} {json.dumps(args, ensure_ascii=False)[:300]} failed: {answer['error']}\n"
                    f"  last bot messages:\n{seen}"
                )
            )
        return answer["result"]

    def _explain(self, what: str) -> str:
        tail = ""
        if self.log_path.exists():
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            tail = "\n".join(f"    {line}" for line in lines)
        return (
            f"{what}\n  last screenshot: {self.last_screenshot or '(none)'}\n"
            f"  driver log ({self.log_path}):\n{tail or '    (empty)'}"
        )

    # ---- one method per driver command -------------------------------------------------------------

    def open(self, url: str) -> None:
        """Launch Chromium and open the Playground; waits for the message box."""
        self.call("open", timeout_s=90, url=url, timeout_ms=60_000)

    def messages(self) -> list[Message]:
        """Every bot message in the chat, oldest first."""
        return [Message.of(m) for m in self.call("messages")]

    def send(self, text: str) -> int:
        """Type `text` into the message box and press Enter; returns the bot message count before."""
        return int(self.call("send", text=text)["before"])

    def wait_bot(
        self, *contains: str, after: int = 0, ai_label: bool = False, timeout_s: float = 30
    ) -> Message:
        """The newest bot message (index >= after) that contains every string."""
        result = self.call(
            "wait_bot",
            timeout_s=timeout_s + 15,
            after=after,
            contains=list(contains),
            ai_label=ai_label,
            timeout_ms=int(timeout_s * 1000),
        )
        return Message.of(result)

    def capture_stream(
        self, final: str, *, after: int, name: str, timeout_s: float = 60
    ) -> list[dict[str, Any]]:
        """Each text the newest bot message showed until it contained `final` (partial ones screenshotted)."""
        states: list[dict[str, Any]] = self.call(
            "capture_stream",
            timeout_s=timeout_s + 15,
            final=final,
            after=after,
            name=name,
            timeout_ms=int(timeout_s * 1000),
        )
        return states

    def fill(self, index: int, label: str, value: str | int) -> None:
        """Fill the card input with this label (or placeholder) in bot message `index`."""
        self.call("fill", index=index, label=label, value=str(value))

    def select(self, index: int, label: str, value: str) -> None:
        """Choose `value` in the card's choice set with this label."""
        self.call("select", index=index, label=label, value=value)

    def click(self, index: int, name: str) -> None:
        """Press the card button with exactly this name in bot message `index`."""
        self.call("click", index=index, name=name)

    def shot(self, name: str, index: int | None = None) -> dict[str, str]:
        """Screenshot the page (and bot message `index` on its own) as <artifacts>/<name>.png."""
        result: dict[str, str] = self.call("shot", name=name, index=index)
        self.last_screenshot = result["page"]
        return result

    def close(self) -> None:
        """Close the browser and stop the driver (by its pid; killed if it does not exit)."""
        if self.process is None:
            return
        try:
            if self.process.poll() is None:
                self.call("close", timeout_s=15)
        except BrowserError:
            pass
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process = None
