"""Quota stage: reserve the characters before the model, settle (or release) after.

    no model-bound text, or already refused  → continue untouched
    reserve fails: QuotaExceeded             → Japanese refusal (cap, reset day, contact); OVER_QUOTA
                   QuotaBusy                 → "busy, try again"; FAILED; the model is not called
                   StorageError              → raised: the pipeline fails the turn closed
    reserved                                 → model.reservation / max_answer_chars / input_chars set
                                               (+ a footer note when the answer had to be shortened)
    reserve fails: RateLimitExceeded / UserTurnsBusy→ the user's pace: "wait, then send again"; RATE_LIMITED
    after the dialog: completed              → settle input + answer (never above the hold)
                      output began, then cut, filtered, stopped or raised
                                             → settle input + the characters shown so far
                      nothing shown          → release (and any exception goes on)

The final message is sent inside the dialog, so the dialog renders the usage line itself from
`bot.ui.quota.texts.footer(...)`; this stage only settles. Counted input is the masked text
the model receives, plus the history and the system prompt when the policy counts them (the
`counted_input` hook the pipeline passes in: Dialog.counted_input_chars).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext

from bot.core.errors import StorageError
from bot.core.quota import (
    Alert,
    QuotaBusy,
    QuotaExceeded,
    QuotaService,
    RateLimitExceeded,
    Reservation,
    UserTurnsBusy,
)
from bot.core.turn import TURN, ModelTurn, Outcome, Turn
from bot.ui.quota import texts

log = logging.getLogger(__name__)

AlertSink = Callable[[Alert], Awaitable[None]]
InputCounter = Callable[[Turn], Awaitable[int]]
"""Characters a turn's input counts for (the policy may count history and the system prompt too)."""


async def log_alert(alert: Alert) -> None:
    """Default alert sink until the support channel exists: a warning in the log."""
    log.warning("quota alert: %s", texts.alert_text(alert))


class QuotaMiddleware(Middleware):
    """Reserves before the model and settles after; refuses turns that would overshoot a cap."""

    def __init__(
        self,
        quota: QuotaService,
        *,
        contact: str,
        on_alert: AlertSink = log_alert,
        counted_input: InputCounter | None = None,
    ) -> None:
        self._quota = quota
        self._contact = contact
        self._on_alert = on_alert
        self._counted_input = counted_input

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Reserve, run the rest of the pipeline, settle or release."""
        turn: Turn | None = context.turn_state.get(TURN)
        if turn is None or turn.model is None or turn.refused:
            await logic()
            return
        reservation = await self._reserve(context, turn, turn.model)
        if reservation is None:
            return
        try:
            await logic()
        except BaseException:
            await self._close(turn, turn.model, reservation)
            raise
        await self._close(turn, turn.model, reservation)
        await self._announce(reservation.month)

    async def _close(self, turn: Turn, model: ModelTurn, reservation: Reservation) -> None:
        """Charge what the user was shown (a cut stream too); release only when nothing was."""
        if model.completed or model.answer_chars > 0:
            await self._settle(turn, model, reservation)
        else:
            await self._release(turn, reservation)

    async def _reserve(self, context: TurnContext, turn: Turn, model: ModelTurn) -> Reservation | None:
        caller = turn.caller
        counted = await self._counted_input(turn) if self._counted_input else len(model.masked_text)
        try:
            reservation = await self._quota.reserve(
                caller.user_id, caller.department, counted, display_name=caller.display_name
            )
        except QuotaExceeded as exc:
            turn.refuse(Outcome.OVER_QUOTA, f"quota_{exc.scope}")
            await context.send_activity(texts.refusal(exc, self._contact))
            return None
        except RateLimitExceeded as exc:
            turn.refuse(Outcome.RATE_LIMITED, "rate_limited")
            await context.send_activity(texts.rate_limited(exc.limit, exc.retry_after_s))
            return None
        except UserTurnsBusy as exc:
            turn.refuse(Outcome.RATE_LIMITED, "too_many_turns")
            await context.send_activity(texts.too_many_turns(exc.limit))
            return None
        except QuotaBusy:
            turn.outcome, turn.error = Outcome.FAILED, "quota_busy"
            await context.send_activity(texts.BUSY)
            return None
        model.reservation = reservation
        model.max_answer_chars = reservation.max_answer_chars
        model.input_chars = reservation.input_chars
        if reservation.shortened:  # rendered by the dialog with the final message
            model.footer_extra.append(texts.shortened(reservation.max_answer_chars))
        turn.details["quota"] = {"reserved": reservation.amount, "shortened": reservation.shortened}
        return reservation

    async def _settle(self, turn: Turn, model: ModelTurn, reservation: Reservation) -> None:
        """Charge the turn. The answer is already delivered, so a failure is logged, not raised:
        the hold then expires by itself after the policy's TTL."""
        try:
            charged = await self._quota.settle(reservation, reservation.charge_for(model.answer_chars))
        except (StorageError, QuotaBusy) as exc:
            log.error("quota: settlement of %s failed (%s); the hold will expire", reservation.id, exc)
            turn.details.setdefault("quota", {})["error"] = "settle"
            return
        turn.details.setdefault("quota", {})["charged"] = charged

    async def _release(self, turn: Turn, reservation: Reservation) -> None:
        """Drop the hold; on failure log it (the hold expires by itself) and keep the turn's own error."""
        try:
            await self._quota.release(reservation)
        except (StorageError, QuotaBusy) as exc:
            log.error("quota: release of %s failed (%s); the hold will expire", reservation.id, exc)
            turn.details.setdefault("quota", {})["error"] = "release"

    async def _announce(self, month: str) -> None:
        """Hand newly crossed thresholds of the org cap to the alert sink (usually no I/O)."""
        try:
            alerts = await self._quota.take_alerts(month)
        except (StorageError, QuotaBusy) as exc:
            log.warning("quota: alerts not checked (%s)", type(exc).__name__)
            return
        for alert in alerts:
            await self._on_alert(alert)
