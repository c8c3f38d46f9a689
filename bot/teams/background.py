"""Work a turn starts but need not wait for: notices, channel card updates, follow-up turns.

Teams gives up on an `adaptiveCard/action` after 10–15 s and users expect the card to change in
about two, so a handler answers the click first and leaves connector calls (proactive notices,
updating the card in the channel for everyone) to a background task. The tasks live in the set
the app drains on shutdown, so none is cut off. The app builds its `Background` once, with its own
task set and how to queue a message turn (`queue_turn`, which the consent step uses to answer a
question kept from before consent as a turn of its own), and hands it to the composition root;
nothing is filled in afterwards.
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


@dataclass(frozen=True)
class Background:
    """The running app's background tasks and its turn queue (built by bot.teams.app; a process
    without an HTTP front door, such as a test or the CLI, has no turn queue)."""

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
