"""First stage: build the `Turn` from the activity and classify it (command, card verb, model-bound text).

Bad input is answered here, before anything else runs: empty text, text over the policy's maximum
length, attached files that cannot be read (type, number, host: nothing is fetched here; the files
are read by the attachments stage after access). Nothing the user typed is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import ActivityTypes

from bot.core.turn import TURN, ModelTurn, Outcome, Turn
from bot.teams.activity import caller_of, file_attachments
from bot.teams.router import MATCH, Match
from bot.teams.services import Services
from bot.teams.stages.attachments import classify_files
from bot.teams.streaming import STREAMER, open_stream
from bot.ui import common as texts

log = logging.getLogger(__name__)


async def start_stream(context: TurnContext) -> None:
    """Show 回答を作成しています… at once: the first visible update comes before any storage round trip."""
    context.turn_state[STREAMER] = await open_stream(context, texts.INFORMATIVE_THINKING, texts.CARD_FOLLOWS)


class TurnMiddleware(Middleware):
    """Puts a classified `Turn` on the turn state."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Build, classify (once: `Router.select`), answer bad input, continue."""
        activity = context.activity
        caller = caller_of(activity)
        caller.is_admin = self._services.is_admin(
            activity.from_property.aad_object_id if activity.from_property else ""
        )
        turn = Turn(caller=caller, activity_id=activity.id or "", activity_type=activity.type or "")
        context.turn_state[TURN] = turn
        match = self._services.router.select(activity)
        context.turn_state[MATCH] = match
        turn.command = match.label
        await self._apply(context, turn, match)
        if turn.model is not None and turn.caller.is_personal and activity.type == ActivityTypes.message:
            await start_stream(context)
        await logic()

    async def _apply(self, context: TurnContext, turn: Turn, match: Match) -> None:
        """What the match means for the turn: a model-bound text, a refusal of bad input, or nothing."""
        if match.kind == "command":
            turn.details["argument_chars"] = len(match.argument)
        elif match.kind == "files":  # the text is the files' instruction (bot.teams.stages.attachments)
            files = file_attachments(context.activity)
            await classify_files(self._services, context, turn, files, match.argument)
        elif match.kind == "empty":
            turn.refuse(Outcome.REJECTED, "empty")
            await context.send_activity(texts.EMPTY_TEXT)
        elif match.kind == "text":
            await self._classify_text(context, turn, match.argument)
        elif match.kind == "verb" and match.route is not None and match.route.builds_model_turn is not None:
            turn.model = await match.route.builds_model_turn(context, turn, match.data)

    async def _classify_text(self, context: TurnContext, turn: Turn, text: str) -> None:
        limit = self._services.policy.quota.max_input_chars
        if len(text) > limit:
            turn.refuse(Outcome.REJECTED, "too_long")
            turn.details["input_length"] = len(text)
            await context.send_activity(texts.too_long(limit, len(text)))
            return
        source = "chat" if turn.caller.is_personal else "channel"
        turn.model = ModelTurn(raw_text=text, source=source)
