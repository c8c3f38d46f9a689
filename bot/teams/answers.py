"""What a card verb or an invoke answers: a value its handler returns, sent once by the dispatcher.

Teams expects exactly one invoke response per invoke, and an `adaptiveCard/action` needs a card or
a message in it (never `{}`). So the handlers of card verbs and invokes *return* their answer
(mypy checks that every path of such a handler returns one, see bot.teams.router) and only
bot.teams.handler sends it (`InvokeResponses`, the stage wrapping everything after the first):

    Action.Execute (an invoke)        the answer is the invoke response (toast / card / search…)
    Action.Submit (a message)         a toast is sent as a message, a card as a new card message
    `in_chat()`                       the handler answered with chat messages itself; a click then
                                      gets the dispatcher's fallback toast

A stage cannot return a value through botbuilder's middleware chain: the dispatcher and a stage
that refuses an invoke put the answer on the turn state (`ANSWER`, one typed value, never a "sent"
flag), and `InvokeResponses` sends it — or a fallback — exactly once when the turn is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext

from bot.teams.replies import card_activity, is_invoke

TOAST = "application/vnd.microsoft.activity.message"
CARD = "application/vnd.microsoft.card.adaptive"

ANSWER = "municipal_bot.answer"
"""turn_state key: the `Answer` to this invoke (from its handler or the stage that refused it)."""


@dataclass(frozen=True)
class Answer:
    """An invoke response as a typed value (botbuilder's own `InvokeResponse` is untyped, so mypy
    could not tell a handler that forgot it); `body` None means "answered in the chat"."""

    body: dict[str, Any] | None
    status: int = 200

    @property
    def in_chat(self) -> bool:
        """The handler answered with chat messages: nothing more to show where the button was."""
        return self.body is None


def toast(text: str) -> Answer:
    """A short message shown to the clicking user (a chat message for Action.Submit)."""
    return Answer({"statusCode": 200, "type": TOAST, "value": text})


def card(content: dict[str, Any]) -> Answer:
    """The card that replaces the clicked one for the clicking user (a new card message for Action.Submit)."""
    return Answer({"statusCode": 200, "type": CARD, "value": content})


def plain(body: dict[str, Any] | None = None, status: int = 200) -> Answer:
    """A bare invoke response (feedback votes: 200 `{}`; type-ahead search results)."""
    return Answer({} if body is None else body, status)


def in_chat() -> Answer:
    """The handler has answered in the chat."""
    return Answer(None)


async def show(context: TurnContext, answer: Answer) -> None:
    """Show an answer in the chat (a message turn): a toast as text, a card as a card message."""
    body = answer.body or {}
    if body.get("type") == TOAST and isinstance(body.get("value"), str):
        await context.send_activity(body["value"])
    elif body.get("type") == CARD and isinstance(body.get("value"), dict):
        await context.send_activity(card_activity(body["value"]))


async def respond(context: TurnContext, answer: Answer) -> None:
    """Answer the turn: kept as the invoke response on an invoke (sent once, by
    bot.teams.handler.InvokeResponses), shown in the chat otherwise."""
    if is_invoke(context):
        context.turn_state[ANSWER] = answer
    else:
        await show(context, answer)
