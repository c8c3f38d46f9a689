"""Screening stage: nothing personal or non-disclosable reaches the model (or storage).

block   → not sent; the user is told what was found (partly hidden), why, and what to do
confirm → held server-side (encrypted, 10 minutes) and a card asks send / edit / cancel
mask    → values replaced by 〔人名1〕-style placeholders; the table is kept per conversation
          (encrypted) so the answer can be restored and the same value keeps its placeholder
allow   → sent as typed

An identifier split over messages (「前半は1234 5678」 then 「残りは9018」) is blocked too: the text is
also read after the last RECENT_TURNS user messages of the conversation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import CardFactory, MessageFactory, Middleware, TurnContext

from bot.core.screening import Action, PseudonymTable, ScreeningResult
from bot.core.screening.summary import summary
from bot.core.turn import TURN, Outcome, Turn
from bot.teams.held import HeldTexts
from bot.teams.services import Services
from bot.ui.screening import texts
from bot.ui.screening.cards import confirm_card

RECENT_TURNS = 3
"""How many earlier user messages are read with this one for identifiers split over messages."""


class ScreeningMiddleware(Middleware):
    """Screens every model-bound text before the model and before anything is stored."""

    def __init__(self, services: Services, held: HeldTexts) -> None:
        self._services = services
        self._held = held

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Screen, then block, hold, or continue with the masked text."""
        turn: Turn | None = context.turn_state.get(TURN)
        if turn is None or turn.model is None or turn.refused:
            await logic()
            return
        model_turn = turn.model
        conversation = turn.caller.conversation_id
        stored = await self._services.conversations.pseudonyms(conversation)
        table = PseudonymTable.from_json(stored) if stored else PseudonymTable()
        before = table.to_json()
        result = self._services.screener.screen(model_turn.raw_text, table, confirmed=model_turn.confirmed)
        if result.action is not Action.BLOCK:
            result = await self._with_recent(conversation, model_turn.raw_text, result)
        model_turn.screening = result
        turn.details["screening"] = summary(result)
        if result.action is Action.BLOCK:
            turn.refuse(Outcome.BLOCKED, "screening_block")
            await context.send_activity(texts.blocked(self._services.policy, result.findings))
            return
        if result.action is Action.CONFIRM:
            await self._hold(context, turn, result)
            return
        model_turn.masked_text = result.masked_text
        model_turn.pseudonyms = table
        if table.to_json() != before:
            await self._services.conversations.save_pseudonyms(conversation, table.to_json())
        await logic()

    async def _with_recent(self, conversation: str, text: str, result: ScreeningResult) -> ScreeningResult:
        """Blocked after all when an identifier is only whole with the previous user messages (one
        read of the stored history, and only when this text has digits)."""
        if not any(c.isdigit() for c in text):
            return result
        history = await self._services.conversations.history(conversation)
        previous = [m.content for m in history if m.role == "user"][-RECENT_TURNS:]
        late = self._services.screener.screen_recent(previous, text)
        if not late:
            return result
        return ScreeningResult(
            action=Action.BLOCK, findings=result.findings + late, masked_text=result.masked_text
        )

    async def _hold(self, context: TurnContext, turn: Turn, result: ScreeningResult) -> None:
        assert turn.model is not None
        turn.refuse(Outcome.HELD, "screening_confirm")
        held_id = await self._held.put(turn.caller.conversation_id, turn.caller.user_id, turn.model.raw_text)
        reasons = texts.confirm_reasons(self._services.policy, result.findings)
        card = confirm_card(self._services.policy, reasons, held_id, result.masked_text)
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))
