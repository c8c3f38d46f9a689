"""The confirmation card's verbs: send after confirming, edit, cancel."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from msrest.exceptions import HttpOperationError

from bot.core.screening import Screener
from bot.core.turn import ModelTurn, Outcome, Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.held import HeldTexts
from bot.teams.router import Router
from bot.teams.services import Services
from bot.ui import common as common_texts
from bot.ui.screening import texts
from bot.ui.screening.cards import RESUBMIT, closed_card, edit_card

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    """Register the confirm card verbs (they use the held texts, the screener and the input limit)."""
    register_verbs(services.router, services.held, services.screener, services.policy.quota.max_input_chars)


def register_verbs(router: Router, held: HeldTexts, screener: Screener, limit: int) -> None:
    """送信 / 書き直す / 取り消す on the confirmation card, and 送信 on the edit card."""

    async def build(context: TurnContext, turn: Turn, data: dict[str, Any]) -> ModelTurn | None:
        # Read only: access, screening or quota may still refuse the turn (then the card still works).
        text = await held.peek(turn.caller.conversation_id, turn.caller.user_id, str(data.get("held", "")))
        if text is None:
            return None
        note = screener.screen(str(data.get("note", ""))[:200])
        turn.details["confirmed"] = True
        noted = note.masked_text if note.action.value in ("allow", "mask") else common_texts.NOT_RECORDED
        return ModelTurn(raw_text=text, source="confirmed", confirmed=True, confirmation_note=noted)

    async def consume(context: TurnContext, turn: Turn, data: dict[str, Any]) -> bool:
        # Every stage allowed the turn: the held text is used up and the card closed, at most once.
        taken = await held.take(turn.caller.conversation_id, turn.caller.user_id, str(data.get("held", "")))
        if taken is None:
            return False
        await close_card(context, texts.CARD_SENT)
        return True

    @router.verb("screening.send", builds_model_turn=build, on_allowed=consume)
    async def send(context: TurnContext, turn: Turn) -> Answer:
        # Reached only when the held text was gone (a found text became a model turn instead).
        return answers.toast(texts.HELD_EXPIRED)

    @router.verb("screening.edit")
    async def edit(context: TurnContext, turn: Turn) -> Answer:
        held_id = str(_data(context).get("held", ""))
        text = await held.take(turn.caller.conversation_id, turn.caller.user_id, held_id)
        turn.outcome = Outcome.CANCELLED
        if text is None:
            return answers.toast(texts.HELD_EXPIRED)
        await close_card(context, texts.CARD_EDIT)
        return answers.card(edit_card(text, limit))

    async def rebuild(context: TurnContext, turn: Turn, data: dict[str, Any]) -> ModelTurn | None:
        text = str(data.get("text") or "").strip()
        if not text or len(text) > limit:
            return None  # answered by `resubmit` below
        return ModelTurn(raw_text=text, source="chat")  # screened again like any new message

    @router.verb(RESUBMIT, builds_model_turn=rebuild)
    async def resubmit(context: TurnContext, turn: Turn) -> Answer:
        # Reached only when the edited text was empty or too long (a valid one became a model turn).
        turn.refuse(Outcome.REJECTED, "empty")
        text = str(_data(context).get("text") or "").strip()
        return answers.toast(common_texts.too_long(limit, len(text)) if text else texts.EDIT_EMPTY)

    @router.verb("screening.cancel")
    async def cancel(context: TurnContext, turn: Turn) -> Answer:
        await held.discard(turn.caller.conversation_id, str(_data(context).get("held", "")))
        turn.outcome = Outcome.CANCELLED
        await close_card(context, texts.CARD_CANCELLED)
        return answers.toast(texts.HELD_CANCELLED)


async def close_card(context: TurnContext, status: str) -> None:
    """Replace the confirmation card (the message the button was on) so its buttons cannot be used again."""
    card_id = context.activity.reply_to_id
    if not card_id:
        return
    update = MessageFactory.attachment(CardFactory.adaptive_card(closed_card(status)))
    update.id = card_id
    try:
        await context.update_activity(update)
    except HttpOperationError as exc:  # the card stays; the held text is gone anyway, so nothing is lost
        log.info("confirmation card not updated: %s", type(exc).__name__)


def _data(context: TurnContext) -> dict[str, Any]:
    value = context.activity.value
    return value if isinstance(value, dict) else {}
