"""Support-thread stage: an admin's @mention reply in a question's channel thread is the answer.

Without this stage such a reply would be a channel question for the model (screened as input,
quota reserved). It runs right after the references stage, before audit, access, screening and
quota: the turn becomes the admin-only `support.thread_answer` route (authorised again in the
handler), and the feature screens the answer itself before relaying it. Other replies in the
thread (non-admins) stay ordinary channel questions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext

from bot.teams.services import Services
from bot.tickets import TicketStore
from bot.turn import TURN, Turn

THREAD_ANSWER = "support.thread_answer"
"""The route an admin's thread reply is dispatched to."""
ANSWER_TEXT = "support.thread_answer_text"
"""turn_state key of the reply's text (never logged)."""


class SupportThreadMiddleware(Middleware):
    """Turns an admin's reply in a question thread into the thread-answer route."""

    def __init__(self, services: Services) -> None:
        self._tickets = TicketStore(services.storage, services.clock)

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Reclassify when the reply belongs to a question thread, then continue."""
        turn = context.turn_state.get(TURN)
        if isinstance(turn, Turn) and is_candidate(turn):
            ticket = await self._tickets.by_thread(turn.caller.conversation_id)
            if ticket is not None and turn.model is not None:
                context.turn_state[ANSWER_TEXT] = turn.model.raw_text
                turn.model = None
                turn.command = THREAD_ANSWER
                turn.details["ticket"] = ticket.id
        await logic()


def is_candidate(turn: Turn) -> bool:
    """An admin's model-bound post inside a channel thread."""
    caller = turn.caller
    return (
        turn.model is not None
        and not turn.refused
        and caller.is_admin
        and caller.conversation_type == "channel"
        and ";messageid=" in caller.conversation_id
    )
