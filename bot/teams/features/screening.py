"""The confirmation card's verbs: send after confirming, edit, cancel."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from bot.teams.held import HeldTexts
from bot.teams.services import Services
from bot.texts import screening as texts
from bot.turn import ModelTurn, Outcome, Turn

HELD_KEY = "screening.held"


def register(services: Services) -> None:
    """Register the confirm card verbs."""
    held: HeldTexts = services.extras[HELD_KEY]
    router = services.router

    async def build(context: TurnContext, turn: Turn, data: dict[str, Any]) -> ModelTurn | None:
        text = await held.take(turn.caller.conversation_id, turn.caller.user_id, str(data.get("held", "")))
        if text is None:
            context.turn_state["screening.expired"] = True
            return None
        note = services.screener.screen(str(data.get("note", ""))[:200])
        turn.details["confirmed"] = True
        noted = note.masked_text if note.action.value in ("allow", "mask") else "（記録できない内容を含むため省略）"
        return ModelTurn(raw_text=text, source="confirmed", confirmed=True, confirmation_note=noted)

    @router.verb("screening.send", builds_model_turn=build)
    async def send(context: TurnContext, turn: Turn) -> None:
        # Reached only when the held text was gone (a found text became a model turn instead).
        await context.send_activity(texts.HELD_EXPIRED)

    @router.verb("screening.edit")
    async def edit(context: TurnContext, turn: Turn) -> None:
        await held.discard(turn.caller.conversation_id, str(_data(context).get("held", "")))
        turn.outcome = Outcome.CANCELLED
        await context.send_activity(texts.HELD_EDIT)

    @router.verb("screening.cancel")
    async def cancel(context: TurnContext, turn: Turn) -> None:
        await held.discard(turn.caller.conversation_id, str(_data(context).get("held", "")))
        turn.outcome = Outcome.CANCELLED
        await context.send_activity(texts.HELD_CANCELLED)


def _data(context: TurnContext) -> dict[str, Any]:
    value = context.activity.value
    return value if isinstance(value, dict) else {}
