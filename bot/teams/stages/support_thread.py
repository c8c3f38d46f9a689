"""Support-thread stage: an @mention reply in a question's channel thread is not a question for the model.

Without this stage such a reply would be a channel question for the model (screened as input,
quota reserved). It runs right after the references stage, before audit, access, screening and
quota. An admin's reply becomes the admin-only `support.thread_answer` route (authorised again in
the handler; the feature screens the answer before relaying it). Anyone else's reply becomes
`support.thread_note`, which says the division's staff will answer; its text is dropped here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext

from bot.core.tickets import TicketStore
from bot.core.turn import TURN, Turn
from bot.teams.keys import ANSWER_TEXT, THREAD_ANSWER, THREAD_NOTE
from bot.teams.router import MATCH, Match
from bot.teams.services import Services


class SupportThreadMiddleware(Middleware):
    """Turns a reply in a question thread into the thread-answer (admins) or thread-note route."""

    def __init__(self, services: Services) -> None:
        self._tickets = TicketStore(services.storage, services.clock)
        self._router = services.router

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Reclassify when the reply belongs to a question thread, then continue."""
        turn = context.turn_state.get(TURN)
        if isinstance(turn, Turn) and is_candidate(turn):
            ticket = await self._tickets.by_thread(turn.caller.conversation_id)
            if ticket is not None and turn.model is not None:
                if turn.caller.is_admin:
                    context.turn_state[ANSWER_TEXT] = turn.model.raw_text
                turn.model = None
                verb = THREAD_ANSWER if turn.caller.is_admin else THREAD_NOTE
                context.turn_state[MATCH] = Match("verb", self._router.verb_route(verb), name=verb)
                turn.command = verb
                turn.details["ticket"] = ticket.id
        await logic()


def is_candidate(turn: Turn) -> bool:
    """A model-bound post inside a channel thread."""
    caller = turn.caller
    return (
        turn.model is not None
        and not turn.refused
        and caller.conversation_type == "channel"
        and ";messageid=" in caller.conversation_id
    )
