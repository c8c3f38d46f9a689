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
from bot.core.policy import Policy
from bot.core.turn import TURN, Turn
from bot.teams.admin_alerts import tell_admins
from bot.teams.channels import Outreach
from bot.teams.directory import Discovery, bot_added
from bot.ui.exits import texts

log = logging.getLogger(__name__)

REFRESH_ERRORS = (StorageError, ValueError, ClientException, ClientError, OSError, TimeoutError)
"""What storing or discovering a reference may raise (storage, bad keys, connector, network)."""


class RefsMiddleware(Middleware):
    """Refreshes conversation references, then continues the turn whatever happened."""

    def __init__(self, outreach: Outreach, policy: Policy) -> None:
        self._outreach = outreach
        self._directory = outreach.directory
        self._policy = policy

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Remember (and discover the team's channels when needed), then continue."""
        try:
            await self._directory.remember(context.activity)
            if await self._directory.needs_discovery(context.activity):
                turn = context.turn_state.get(TURN)
                by_admin = isinstance(turn, Turn) and turn.caller.is_admin  # confirmed by the roster
                found = await self._directory.discover_team(context, by_admin=by_admin)
                await self._report(context, found)
        except REFRESH_ERRORS as exc:
            log.warning("conversation references not refreshed: %s", type(exc).__name__)
        await logic()

    async def _report(self, context: TurnContext, found: Discovery) -> None:
        """Tell the admins when the bot was installed outside the support team, or a channel is missing."""
        policy = self._policy
        team_name = str(((context.activity.channel_data or {}).get("team") or {}).get("name") or "")
        if (
            found.foreign
            and bot_added(context.activity)
            and await self._directory.first_notice(found.team_id)
        ):
            pinned = bool(await self._directory.support_team())
            await tell_admins(self._outreach, texts.foreign_install(policy, team_name, pinned=pinned))
        elif found.pinned_now:
            missing = [
                n for n in self._directory.names_in(found.team_id, found.team_id) if n not in found.found
            ]
            await tell_admins(self._outreach, texts.pinned(policy, team_name, missing))
