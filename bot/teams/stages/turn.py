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
from bot.teams.activity import caller_of, card_action, file_attachments, mentions_bot, text_of
from bot.teams.services import Services
from bot.teams.stages.attachments import classify_files
from bot.teams.streaming import STREAMER, TeamsStreamer
from bot.ui import common as texts

log = logging.getLogger(__name__)


async def start_stream(context: TurnContext) -> None:
    """Show 回答を作成しています… at once: the first visible update comes before any storage round trip."""
    streamer = TeamsStreamer(context)
    await streamer.informative(texts.INFORMATIVE_THINKING)
    streamer.close_with_next_message()
    context.turn_state[STREAMER] = streamer


class TurnMiddleware(Middleware):
    """Puts a classified `Turn` on the turn state."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Build, classify, answer bad input, continue."""
        activity = context.activity
        caller = caller_of(activity)
        caller.is_admin = self._services.is_admin(
            activity.from_property.aad_object_id if activity.from_property else ""
        )
        turn = Turn(caller=caller, activity_id=activity.id or "", activity_type=activity.type or "")
        context.turn_state[TURN] = turn
        if activity.type == ActivityTypes.message:
            await self._classify_message(context, turn)
        elif activity.type == ActivityTypes.invoke:
            await self._classify_invoke(context, turn)
        else:
            turn.command = f"activity:{activity.type}"
        if turn.model is not None and turn.caller.is_personal and activity.type == ActivityTypes.message:
            await start_stream(context)
        await logic()

    async def _classify_message(self, context: TurnContext, turn: Turn) -> None:
        activity = context.activity
        if await self._classify_card(context, turn):
            return
        files = file_attachments(activity)
        if files:  # the text is the files' instruction (bot.teams.stages.attachments)
            await classify_files(self._services, context, turn, files, text_of(activity))
            return
        text = text_of(activity)
        if not turn.caller.is_personal and not mentions_bot(activity):
            turn.command = "ignored"  # channel post not addressed to the bot
            return
        if not text:
            turn.refuse(Outcome.REJECTED, "empty")
            await context.send_activity(texts.EMPTY_TEXT)
            return
        matched = self._services.router.match_command(text)
        if matched is not None:
            route, argument = matched
            turn.command = route.name
            turn.details["argument_chars"] = len(argument)
            context.turn_state["municipal_bot.argument"] = argument
            return
        await self._classify_text(context, turn, text)

    async def _classify_text(self, context: TurnContext, turn: Turn, text: str) -> None:
        limit = self._services.policy.quota.max_input_chars
        if len(text) > limit:
            turn.refuse(Outcome.REJECTED, "too_long")
            turn.details["input_length"] = len(text)
            await context.send_activity(texts.too_long(limit, len(text)))
            return
        source = "chat" if turn.caller.is_personal else "channel"
        turn.model = ModelTurn(raw_text=text, source=source)

    async def _classify_invoke(self, context: TurnContext, turn: Turn) -> None:
        name = context.activity.name or ""
        turn.command = f"invoke:{name}"
        if name == "adaptiveCard/action":
            await self._classify_card(context, turn)

    async def _classify_card(self, context: TurnContext, turn: Turn) -> bool:
        action = card_action(context.activity)
        if action is None:
            return False
        verb, data = action
        turn.command = verb
        route = self._services.router.verb_route(verb)
        if route is not None and route.builds_model_turn is not None:
            turn.model = await route.builds_model_turn(context, turn, data)
        return True
