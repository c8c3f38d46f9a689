"""Audit stage: every turn that carries a `Turn` leaves its records (bot.core.audit.recorder explains when).

Place it right after the stage that builds the `Turn` and before access, screening and quota:
those stages refuse turns by not continuing the chain, and a refused turn must still be recorded
(one "single" record), and they write their own event records through the recorder.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext

from bot.core.audit import RECORDER, AuditLog, TurnRecorder
from bot.core.turn import TURN, Turn
from bot.teams.router import match_of


class AuditMiddleware(Middleware):
    """Puts a `TurnRecorder` on the turn state and writes the closing record after the turn."""

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Run the rest of the turn, then record how it ended (exceptions are recorded and re-raised)."""
        turn = context.turn_state.get(TURN)
        if not isinstance(turn, Turn) or not match_of(context).recorded:  # the route's data decides
            await logic()
            return
        recorder = TurnRecorder(self._audit, turn)
        context.turn_state[RECORDER] = recorder
        try:
            await logic()
        except BaseException as exc:  # CancelledError too: a stopped turn is recorded as such
            recorder.note_failure(exc)
            raise
        finally:
            await recorder.finish()
