"""Work an invoke starts but need not wait for: notices, channel card updates.

Teams gives up on an `adaptiveCard/action` after 10–15 s and users expect the card to change in
about two, so a handler answers the click first and leaves connector calls (proactive notices,
updating the card in the channel for everyone) to a background task. The tasks live in the set
the app drains on shutdown (bot.teams.app sets it on the services), so none is cut off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.teams.services import Services

log = logging.getLogger(__name__)

TASKS_KEY = "teams.background"
"""services.extras key: the set of running background tasks (the app's own, when running)."""


def spawn(services: Services, work: Coroutine[Any, Any, Any], what: str) -> asyncio.Task[None]:
    """Run `work` after the current turn has answered; a failure is logged by type, never raised."""
    tasks: set[asyncio.Task[None]] = services.extras.setdefault(TASKS_KEY, set())

    async def guarded() -> None:
        try:
            await work
        except Exception as exc:
            log.error("background %s failed: %s", what, type(exc).__name__)

    task = asyncio.create_task(guarded())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return task
