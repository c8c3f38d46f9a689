"""Cards in messages and the data a clicked card carries (answers to clicks: bot.teams.answers)."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes


def card_activity(card: dict[str, Any], text: str | None = None) -> Activity:
    """A message activity carrying one Adaptive Card (and optional text)."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    if text:
        activity.text = text
    return activity


def is_invoke(context: TurnContext) -> bool:
    """True for invoke turns (Action.Execute clicks, feedback votes...)."""
    return context.activity.type == ActivityTypes.invoke


def card_data(context: TurnContext) -> dict[str, Any]:
    """The data of an Action.Execute invoke (inputs merged) or of an Action.Submit message."""
    value = context.activity.value if isinstance(context.activity.value, dict) else {}
    if is_invoke(context):
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        data = action.get("data") if isinstance(action, dict) else None
        return dict(data) if isinstance(data, dict) else {}
    return dict(value)


def text_field(data: dict[str, Any], key: str) -> str:
    """A string input from card data ('' when missing or not text)."""
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""
