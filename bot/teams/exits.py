"""The screening gate at the Teams edge: every activity the bot sends passes bot.core.exits.Gate.

Two doors, both closed structurally:

    proactive sends   bot.teams.channels (new channel threads, card updates, thread replies,
                      personal notices) accept only an `Outbound`, which only `outbound()` makes:
                      the activity's text and every human-readable string of its cards screened
                      for the exit (a channel or someone's personal chat)
    replies in a turn `ExitsMiddleware`, the first stage, hooks the TurnContext's send and update
                      handlers, so every `send_activity` / `update_activity` of the turn (answers,
                      streaming updates, cards, invoke responses) is screened before it goes:
                      block-class values never leave; in group chats and channels confirm-class
                      text is withheld and mask-class values are masked, except the caller's own
                      restored values and @mentioned names

tests/security/test_exits_structure.py walks bot/ to check that no other code talks to the
connector.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from botbuilder.core import CardFactory, MessageFactory, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.core import owned
from bot.core.exits import Exit, Gate
from bot.core.turn import TURN, Turn

_SEAL = object()
AI_ENTITY_TYPE = "https://schema.org/Message"  # bot.teams.entities.AIGeneratedMessage
CARD = "application/vnd.microsoft.card.adaptive"
_TEXT_KEYS = frozenset({"text", "title", "altText", "fallbackText", "placeholder", "label", "errorMessage"})
_SKIP_KEYS = frozenset({"data", "refresh", "msteams", "userIds", "id", "verb", "url", "type", "style"})


@dataclass(frozen=True)
class Outbound:
    """An activity that passed the gate for `exit`; only `outbound()` makes one."""

    activity: Activity
    exit: Exit
    withheld: bool = False
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._seal is not _SEAL:
            raise TypeError("Outbound is made only by bot.teams.exits.outbound")


Content: TypeAlias = Activity | dict[str, Any] | str


def as_activity(content: Content) -> Activity:
    """An outgoing message from an Activity, an Adaptive Card dict or plain text."""
    if isinstance(content, Activity):
        return content
    if isinstance(content, dict):
        return MessageFactory.attachment(CardFactory.adaptive_card(content))
    return MessageFactory.text(content)


def outbound(gate: Gate, content: Content, exit: Exit, *, names: Iterable[str] = ()) -> Outbound:
    """Screen a proactive message for a channel (`Exit.CHANNEL`) or a personal chat (`Exit.PERSON`).

    Display names from the directory pass (`names_pass`): the free text inside was masked where
    it entered the bot; block-class values and, for channels, confirm-class text never pass."""
    activity = as_activity(content)
    screen = _Screen(gate, exit, known=tuple(names), names_pass=True, foreign=True)
    screen.activity(activity)
    return Outbound(activity, exit, withheld=screen.withheld, _seal=_SEAL)


@dataclass
class _Screen:
    """Screens an activity in place (text, card strings) for one exit."""

    gate: Gate
    exit: Exit
    known: tuple[str, ...] = ()
    own: tuple[str, ...] = ()
    names_pass: bool = False
    foreign: bool = False
    withhold: bool = True
    withheld: bool = False

    def text(self, value: str) -> str:
        screened = self.gate.screen(
            value,
            self.exit,
            known_names=self.known,
            own_values=self.own,
            names_pass=self.names_pass,
            foreign=self.foreign,
            withhold=self.withhold,
        )
        self.withheld = self.withheld or screened.withheld
        return screened.text

    def activity(self, activity: Activity) -> None:
        mentions = [getattr(e, "additional_properties", {}) or {} for e in activity.entities or []]
        names = [str((m.get("mentioned") or {}).get("name") or "") for m in mentions]
        self.known = (*self.known, *(n for n in names if n))
        if isinstance(activity.text, str) and activity.text:
            activity.text = self.text(activity.text)
        if isinstance(activity.summary, str) and activity.summary:
            activity.summary = self.text(activity.summary)
        for attachment in activity.attachments or []:
            if attachment.content_type == CARD and isinstance(attachment.content, dict):
                attachment.content = self.card(attachment.content)
        value = activity.value
        if activity.type == ActivityTypes.invoke_response and value is not None:
            body = getattr(value, "body", None)
            if isinstance(body, dict) and isinstance(body.get("value"), dict | str):
                body["value"] = (
                    self.card(body["value"]) if isinstance(body["value"], dict) else self.text(body["value"])
                )

    def card(self, node: Any, key: str = "") -> Any:
        """A card (JSON) with every human-readable string screened; ids, data and verbs untouched."""
        if isinstance(node, dict):
            return {k: v if k in _SKIP_KEYS else self.card(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [self.card(item, key) for item in node]
        if isinstance(node, str) and (key in _TEXT_KEYS or key == "value"):
            return self.text(node) if node else node
        return node


class ExitsMiddleware(Middleware):
    """First stage: every activity the turn sends or updates passes the gate."""

    def __init__(self, gate: Gate) -> None:
        self._gate = gate

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Hook the turn's send and update handlers, then continue."""
        context.on_send_activities(self._on_send)
        context.on_update_activity(self._on_update)
        await logic()

    async def _on_send(
        self, context: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[Any]]
    ) -> Any:
        for activity in activities:
            self._screen(context, activity).activity(activity)
        return await send()

    async def _on_update(
        self, context: TurnContext, activity: Activity, update: Callable[[], Awaitable[Any]]
    ) -> Any:
        self._screen(context, activity).activity(activity)
        return await update()

    def _screen(self, context: TurnContext, activity: Activity) -> _Screen:
        turn = context.turn_state.get(TURN)
        conversation = context.activity.conversation
        personal = (getattr(conversation, "conversation_type", None) or "personal") == "personal"
        if personal:
            return _Screen(self._gate, Exit.OWN_CHAT)
        own = own_values(turn) if isinstance(turn, Turn) else ()
        caller = (context.activity.from_property.name or "") if context.activity.from_property else ""
        # the model's answers carry the AI-generated label: confirm-class content in them is
        # withheld from the group; the bot's own fixed texts (help, notes) only talk about it
        generated = any(getattr(e, "type", "") == AI_ENTITY_TYPE for e in activity.entities or [])
        return _Screen(
            self._gate, Exit.CHANNEL, known=(caller,), own=own, names_pass=True, withhold=generated
        )


def own_values(turn: Turn) -> tuple[str, ...]:
    """The values the caller typed themselves this conversation (restored in their answer)."""
    model = turn.model
    table = model.restore_table if model is not None else None
    return owned.values(table) if table is not None else ()
