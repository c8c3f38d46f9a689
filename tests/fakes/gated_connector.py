"""A fake Bot Connector that can hold the bot at a known point of a turn.

`gate("typing")` makes the next typing activity wait, unanswered, until the test calls
`release()`: the bot is then paused inside `await send_activity(...)` (for the informative update:
after the quota reservation, before the audit start record and the model call), and the test can
break something (stop storage) at exactly that moment.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from tests.fakes.connector import FakeConnector


class GatedConnector(FakeConnector):
    """FakeConnector whose next activity of one type waits for `release()`."""

    def __init__(self) -> None:
        super().__init__()
        self._gate_type: str | None = None
        self._reached = asyncio.Event()
        self._open = asyncio.Event()

    def gate(self, activity_type: str) -> None:
        """Hold the next posted activity of this type until `release()`."""
        self._gate_type = activity_type
        self._reached.clear()
        self._open.clear()

    async def reached(self, timeout: float = 10.0) -> None:
        """Wait until the bot is held at the gate."""
        await asyncio.wait_for(self._reached.wait(), timeout)

    def release(self) -> None:
        """Let the held request (and everything after it) through."""
        self._gate_type = None
        self._open.set()

    async def _route(self, method: str, path: str, body: dict[str, Any]) -> web.StreamResponse:
        if self._gate_type is not None and method == "POST" and body.get("type") == self._gate_type:
            self._gate_type = None
            self._reached.set()
            await self._open.wait()
        return await super()._route(method, path, body)
