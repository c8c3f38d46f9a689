"""The bot: after the middleware pipeline, dispatch the classified turn to its handler.

Admin-only routes are authorised here, on the server, from the caller's Entra object id: a
non-admin holding an admin card is refused, nothing changes, and the attempt is recorded.
Every invoke gets an invoke response, even when a stage refused the turn.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.core.turn import TURN, Outcome, Turn
from bot.teams.router import match_of
from bot.teams.services import Services
from bot.ui import common as texts

log = logging.getLogger(__name__)

INVOKE_RESPONSE_KEY = "municipal_bot.invoke_sent"


class MunicipalBot(Bot):
    """Dispatches turns to the routes features registered."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def on_turn(self, context: TurnContext) -> None:
        """Run the turn's handler (the pipeline has already classified and screened it)."""
        turn: Turn | None = context.turn_state.get(TURN)
        if turn is None:
            return
        try:
            if not turn.refused:
                await self._dispatch(context, turn)
        finally:
            if context.activity.type == ActivityTypes.invoke and not context.turn_state.get(
                INVOKE_RESPONSE_KEY
            ):
                await send_invoke_response(context, _fallback_response(context, turn))

    async def _dispatch(self, context: TurnContext, turn: Turn) -> None:
        router = self._services.router
        if turn.model is not None:
            answer = await router.model_handler(turn)
            if answer is not None:
                await answer(context, turn)
            return
        if context.activity.type == ActivityTypes.conversation_update:
            await self._lifecycle(context, turn)
            return
        if context.activity.type == ActivityTypes.invoke and context.activity.name != "adaptiveCard/action":
            handler = router.invokes.get(context.activity.name or "")
            if handler is not None:
                await handler(context, turn)
            return
        route = match_of(context).route
        if route is None:
            if turn.command.startswith(("activity:", "invoke:")):
                log.info("unsupported %r ignored", turn.command[:80])  # activity type / invoke name only
            elif turn.command not in {"ignored", ""}:
                await reply_or_toast(context, texts.UNKNOWN_ACTION)
            return
        if route.admin and not turn.caller.is_admin:
            await self._refuse_admin(context, turn)
            return
        await route.handler(context, turn)

    async def _lifecycle(self, context: TurnContext, turn: Turn) -> None:
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = [m for m in activity.members_added or [] if m.id != bot_id]
        event = "installed" if any(m.id == bot_id for m in activity.members_added or []) else ""
        names = (["installed"] if event else []) + (["members_added"] if added else [])
        for name in names:
            for handler in self._services.router.events.get(name, []):
                await handler(context, turn)

    async def _refuse_admin(self, context: TurnContext, turn: Turn) -> None:
        turn.refuse(Outcome.NOT_ALLOWED, "not_admin")
        turn.details["forged_admin_action"] = turn.command
        log.warning("non-admin %s tried admin action %s", turn.caller.user_id, turn.command)
        await reply_or_toast(context, texts.admin_only(self._services.policy))


def _fallback_response(context: TurnContext, turn: Turn) -> dict[str, Any]:
    """The invoke response when no handler gave one: Teams needs a card, a message or an error for
    every adaptiveCard/action (an empty body shows 「問題が発生しました」); other invokes get 200 {}."""
    if context.activity.name != "adaptiveCard/action":
        return {}
    if not turn.refused:
        return toast(texts.UNKNOWN_ACTION)
    return toast(texts.ACTION_REFUSED_SEE_CHAT if context.responded else texts.ACTION_REFUSED)


def toast(text: str) -> dict[str, Any]:
    """An Action.Execute response that shows a short message to the clicking user."""
    return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}


def card_response(card: dict[str, Any]) -> dict[str, Any]:
    """An Action.Execute response that replaces the card for the clicking user."""
    return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": card}


async def send_invoke_response(context: TurnContext, body: dict[str, Any], status: int = 200) -> None:
    """Answer the invoke (serialised once, by bot.teams.app — see the botbuilder 4.17 defect)."""
    context.turn_state[INVOKE_RESPONSE_KEY] = True
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status, body=body))
    )


async def reply_or_toast(context: TurnContext, text: str) -> None:
    """A toast for Action.Execute invokes, a message otherwise."""
    if context.activity.type == ActivityTypes.invoke:
        await send_invoke_response(context, toast(text))
    else:
        await context.send_activity(text)
