"""Access stage: only staff who agreed to the current guideline (and, where the policy asks, were
approved) reach the model.

    every turn             caller.department ← the department given with the stored consent
    admin-only route, non-admin caller
                           recorded as an event (the dispatcher refuses it and answers)
    model-bound turn, or a gated command / verb (templates: they lead to the model)
        allowed            → continue
        anything else      → NOT_ALLOWED; the consent card, the application form or the status
                             (申請中 / 却下 / 利用停止) is shown; the model is never called

Everything else (ヘルプ, 利用状況, the consent and application verbs) passes untouched, so a user
who is not approved yet can still read the help and apply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext

from bot.core.access import AccessStore, Application, Consent, Standing, standing
from bot.core.turn import TURN, Outcome, Turn
from bot.teams.features.access import consent as feature
from bot.teams.features.access.desk import AccessDesk
from bot.teams.router import match_of


class AccessMiddleware(Middleware):
    """Refuses model use to users without consent or approval; puts the department on the caller."""

    def __init__(self, desk: AccessDesk) -> None:
        self._desk = desk
        self._store: AccessStore = desk.store

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Look the caller up, refuse what they may not do yet, else continue."""
        turn: Turn | None = context.turn_state.get(TURN)
        if turn is None:
            await logic()
            return
        consent, application = await self._store.standing_of(turn.caller.user_id)
        if consent is not None:
            turn.caller.department = consent.department
        await self._note_forged_admin(context, turn)
        if (
            turn.refused
            or not self._gated(context, turn)
            or await self._allowed(context, turn, consent, application)
        ):
            await logic()

    def _gated(self, context: TurnContext, turn: Turn) -> bool:
        route = match_of(context).route
        return turn.model is not None or (route is not None and route.to_model)

    async def _allowed(
        self, context: TurnContext, turn: Turn, consent: Consent | None, application: Application | None
    ) -> bool:
        policy = self._desk.policy
        found = standing(
            policy.access, policy.guideline.version, consent, application, is_admin=turn.caller.is_admin
        )
        if found is Standing.ALLOWED:
            return True
        turn.refuse(Outcome.NOT_ALLOWED, found.value)
        turn.details["access"] = found.value
        await feature.explain(
            self._desk, context, turn, standing=found, consent=consent, application=application
        )
        return False

    async def _note_forged_admin(self, context: TurnContext, turn: Turn) -> None:
        """Record a non-admin's attempt at an admin-only route (the dispatcher refuses it)."""
        route = match_of(context).route
        if route is not None and route.admin and not turn.caller.is_admin:
            await self._desk.events.record(context, "admin.refused", {"action": turn.command})
