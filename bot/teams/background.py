"""Work a turn starts but need not wait for: notices, channel card updates, follow-up turns.

Teams gives up on an `adaptiveCard/action` after 10–15 s and users expect the card to change in
about two, so a handler answers the click first and leaves connector calls (proactive notices,
updating the card in the channel for everyone) to a background task. The tasks live in the set
the app drains on shutdown (bot.teams.app hands its own set over when it starts), so none is cut
off. The app also hands over how to queue a message turn (`queue_turn`), which the consent step
uses to answer a question kept from before consent as a turn of its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from botbuilder.schema import Activity

log = logging.getLogger(__name__)

QueueTurn = Callable[[Any, Activity], None]
"""(authentication result, message activity) -> None: run it like a turn Teams sent."""


@dataclass
class Background:
    """The running app's background tasks and its turn queue (filled in by bot.teams.app)."""

    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    queue_turn: QueueTurn | None = None

    def spawn(self, work: Coroutine[Any, Any, Any], what: str) -> asyncio.Task[None]:
        """Run `work` after the current turn has answered; a failure is logged by type, never raised."""

        async def guarded() -> None:
            try:
                await work
            except Exception as exc:
                log.error("background %s failed: %s", what, type(exc).__name__)

        task = asyncio.create_task(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task
