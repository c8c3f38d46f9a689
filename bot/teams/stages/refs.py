"""References stage: keep the conversation references proactive messages need, on every activity.

Stores the personal chat reference and the sender's channel account, refreshes the service url of
known team channels, and looks up the policy's channels when the bot joins a team (or a channel
is still unknown). A failure here is logged by type only and never breaks the user's turn.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import ClientError
from botbuilder.core import Middleware, TurnContext
from msrest.exceptions import ClientException

from bot.core.errors import StorageError
from bot.teams.channels import ChannelDirectory, directory_of
from bot.teams.services import Services

log = logging.getLogger(__name__)

REFRESH_ERRORS = (StorageError, ValueError, ClientException, ClientError, OSError, TimeoutError)
"""What storing or discovering a reference may raise (storage, bad keys, connector, network)."""


class RefsMiddleware(Middleware):
    """Refreshes conversation references, then continues the turn whatever happened."""

    def __init__(self, services: Services) -> None:
        self._directory: ChannelDirectory = directory_of(services)

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Remember (and discover the team's channels when needed), then continue."""
        try:
            await self._directory.remember(context.activity)
            if await self._directory.needs_discovery(context.activity):
                await self._directory.discover_team(context)
        except REFRESH_ERRORS as exc:
            log.warning("conversation references not refreshed: %s", type(exc).__name__)
        await logic()
