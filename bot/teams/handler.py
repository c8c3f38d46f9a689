"""The bot: after the middleware pipeline, dispatch the classified turn to its handler.

Admin-only routes are authorised here, on the server, from the caller's Entra object id: a
non-admin holding an admin card is refused, nothing changes, and the attempt is recorded.

Every invoke gets exactly one invoke response, sent by `InvokeResponses` (the stage right after the
first, so it wraps every stage that may refuse the turn and the dispatcher) and nowhere else: the
answer its handler returned (bot.teams.answers), else the answer of the stage that refused it,
else a fallback (Teams needs a card or a message for every `adaptiveCard/action`). For an
Action.Submit (a message activity) the handler's answer is shown in the chat instead.

A card submission that becomes a question to the model (`Route.builds_model_turn`) had only been
read by the first stage; its side effects (`Route.on_allowed`: the held text consumed, the card
closed, a template use counted) run here, after every stage has allowed the turn.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import Bot, InvokeResponse, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.core.policy import Policy
from bot.core.turn import TURN, Outcome, Turn
from bot.teams import answers
from bot.teams.router import Match, Router, match_of
from bot.ui import common as texts

log = logging.getLogger(__name__)


class MunicipalBot(Bot):
    """Dispatches turns to the routes features registered."""

    def __init__(self, router: Router, policy: Policy) -> None:
        self._router = router
        self._policy = policy

    async def on_turn(self, context: TurnContext) -> None:
        """Run the turn's handler (the pipeline has already classified and screened it)."""
        turn: Turn | None = context.turn_state.get(TURN)
        if turn is None or turn.refused:
            return
        answer = await self._dispatch(context, turn)
        if answer is not None:
            await answers.respond(context, answer)  # the invoke response, or shown in the chat

    async def _dispatch(self, context: TurnContext, turn: Turn) -> answers.Answer | None:
        router = self._router
        match = match_of(context)
        if turn.model is not None:
            return await self._answer_model(context, turn, match)
        if context.activity.type == ActivityTypes.conversation_update:
            await self._lifecycle(context, turn)
            return None
        if context.activity.type == ActivityTypes.invoke and context.activity.name != "adaptiveCard/action":
            handler = router.invokes.get(context.activity.name or "")
            return await handler(context, turn) if handler is not None else None
        route = match.route
        if route is None:
            if turn.command.startswith(("activity:", "invoke:")):
                log.info("unsupported %r ignored", turn.command[:80])  # activity type / invoke name only
                return None
            return answers.toast(texts.UNKNOWN_ACTION) if turn.command not in {"ignored", ""} else None
        if route.admin and not turn.caller.is_admin:
            return self._refuse_admin(turn)
        return await route.handler(context, turn)

    async def _answer_model(self, context: TurnContext, turn: Turn, match: Match) -> answers.Answer | None:
        """A question for the model; a card's submission first takes effect (`on_allowed`)."""
        route = match.route
        consumed = (
            route is None or route.on_allowed is None or await route.on_allowed(context, turn, match.data)
        )
        if route is not None and not consumed:  # gone meanwhile (sent twice): the route's handler says so
            return await route.handler(context, turn)
        answer = await self._router.model_handler(turn)
        if answer is not None:
            await answer(context, turn)
        return None

    async def _lifecycle(self, context: TurnContext, turn: Turn) -> None:
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = [m for m in activity.members_added or [] if m.id != bot_id]
        event = "installed" if any(m.id == bot_id for m in activity.members_added or []) else ""
        names = (["installed"] if event else []) + (["members_added"] if added else [])
        for name in names:
            for handler in self._router.events.get(name, []):
                await handler(context, turn)

    def _refuse_admin(self, turn: Turn) -> answers.Answer:
        turn.refuse(Outcome.NOT_ALLOWED, "not_admin")
        turn.details["forged_admin_action"] = turn.command
        log.warning("non-admin %s tried admin action %s", turn.caller.user_id, turn.command)
        return answers.toast(texts.admin_only(self._policy))


class InvokeResponses(Middleware):
    """Answers every invoke exactly once, when the turn is over: the one place that sends one."""

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Run the rest of the pipeline, then send the invoke response (also when it failed)."""
        if not answers.is_invoke(context):
            await logic()
            return
        failed = True
        try:
            await logic()
            failed = False
        finally:
            await _send_invoke_response(context, _invoke_answer(context, failed=failed))


def _invoke_answer(context: TurnContext, *, failed: bool) -> answers.Answer:
    """The one invoke response of this turn: the handler's or a refusing stage's, else the fallback."""
    answer = context.turn_state.get(answers.ANSWER)
    if isinstance(answer, answers.Answer) and not answer.in_chat:
        return answer
    turn = context.turn_state.get(TURN)
    return _fallback_response(context, turn if isinstance(turn, Turn) else None, failed=failed)


def _fallback_response(context: TurnContext, turn: Turn | None, *, failed: bool) -> answers.Answer:
    """The invoke response when no handler gave one: Teams needs a card, a message or an error for
    every adaptiveCard/action (an empty body shows 「問題が発生しました」); other invokes get 200 {}."""
    if context.activity.name != "adaptiveCard/action":
        return answers.plain()
    if failed or turn is None:
        return answers.toast(texts.ACTION_REFUSED)
    if not turn.refused:
        return answers.toast(texts.UNKNOWN_ACTION)
    return answers.toast(texts.ACTION_REFUSED_SEE_CHAT if context.responded else texts.ACTION_REFUSED)


async def _send_invoke_response(context: TurnContext, answer: answers.Answer) -> None:
    """Answer the invoke (serialised once, by bot.teams.app — see the botbuilder 4.17 defect)."""
    response = InvokeResponse(status=answer.status, body=answer.body or {})
    await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))
