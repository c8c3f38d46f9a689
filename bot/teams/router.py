"""Routing as data: commands and card verbs map to handlers, testable without HTTP.

Features register here (`router.command(commands.USAGE)(handler)`; the table of commands is
bot.ui.commands); the first stage classifies the turn once with `select` and the bot dispatches
to the handler after the pipeline. Admin-only routes are checked on the server from the caller's
identity (`Turn.caller.is_admin`), never from card data.

A route's data says what the later stages do with it: `admin` (refused to non-admins), `to_model`
(gated by access like a question to the model), `recorded` (leaves an audit record),
`builds_model_turn` / `on_allowed` (a card whose submission becomes a question to the model).

Handlers of card verbs and invokes return their answer (`Answering`: an `Answer` from
bot.teams.answers) and the dispatcher sends it once; a handler that forgot it on some path is a
mypy error ("missing return statement"), not a card that spins in Teams.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.core.turn import ModelTurn, Turn
from bot.teams.activity import card_action, file_attachments, mentions_bot, text_of
from bot.teams.answers import Answer
from bot.ui.commands import Command

Handler = Callable[[TurnContext, Turn], Awaitable[None]]
"""Events and model-bound turns: they answer in the chat."""
Answering = Callable[[TurnContext, Turn], Awaitable[Answer]]
"""Card verbs and invokes: they return the answer the dispatcher sends (bot.teams.answers)."""
RouteHandler = Callable[[TurnContext, Turn], Awaitable[Answer | None]]
"""Commands answer in the chat or return an answer (a command and a verb may share a handler)."""
AnyRoute = TypeVar("AnyRoute", bound=RouteHandler)
ModelSelector = Callable[[Turn], Awaitable[bool]]
ModelBuilder = Callable[[TurnContext, Turn, dict[str, Any]], Awaitable[ModelTurn | None]]
"""Reads a submitted card into model-bound text; no side effects (the stages may still refuse)."""
OnAllowed = Callable[[TurnContext, Turn, dict[str, Any]], Awaitable[bool]]
"""Runs once every stage allowed a built model turn, before the model: consumes what the builder only
read (a held text), closes the card, counts a use. False: gone meanwhile, the route's handler answers."""


@dataclass(frozen=True)
class Route:
    """A command or card verb and what handles it."""

    name: str
    handler: RouteHandler
    admin: bool = False
    builds_model_turn: ModelBuilder | None = None  # verbs whose submission becomes model-bound text
    on_allowed: OnAllowed | None = None  # the side effects of such a submission, after the stages
    to_model: bool = False  # leads to the model (templates): needs the same access as a model turn
    recorded: bool = True  # the turn leaves an audit record (read by the audit stage from the match)
    takes_files: bool = False  # a command typed with files attached (ナレッジに登録): the files are its input


MatchKind = Literal[
    "command",  # a text command of the table (route set; argument = the rest of the text)
    "verb",  # a card action (route set if the verb is registered; data = the card's data)
    "invoke",  # an invoke other than adaptiveCard/action (name in `name`)
    "event",  # conversationUpdate and other lifecycle activities
    "text",  # free text for the model (argument = the text)
    "files",  # a message carrying files
    "empty",  # a message with nothing in it
    "ignored",  # a channel post not addressed to the bot
    "other",  # an activity type the bot does not handle
]


UNRECORDED_ACTIVITIES = frozenset({"typing", "messageReaction", "endOfConversation"})
"""Activity types that are not exchanges with the bot: they leave no audit record."""


@dataclass(frozen=True)
class Match:
    """What an activity is, computed once by `Router.select` (pure) and read by every later stage."""

    kind: MatchKind
    route: Route | None = None
    argument: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    name: str = ""  # the verb, the invoke name or the activity type

    @property
    def label(self) -> str:
        """What the records call the turn (`Turn.command`)."""
        if self.route is not None:
            return self.route.name
        if self.kind == "verb":
            return self.name
        if self.kind == "invoke":
            return f"invoke:{self.name}"
        if self.kind in ("event", "other"):
            return f"activity:{self.name}"
        return {"files": "attachment", "ignored": "ignored"}.get(self.kind, "")

    @property
    def recorded(self) -> bool:
        """Whether the turn leaves an audit record: the route says so; without a route, every turn
        except channel posts not addressed to the bot and typing / reactions / end of conversation."""
        if self.route is not None:
            return self.route.recorded
        return self.kind != "ignored" and not (self.kind == "other" and self.name in UNRECORDED_ACTIVITIES)


@dataclass
class Router:
    """Commands (typed text) and verbs (card actions)."""

    commands: dict[str, Route] = field(default_factory=dict)
    verbs: dict[str, Route] = field(default_factory=dict)
    invokes: dict[str, Answering] = field(default_factory=dict)
    events: dict[str, list[Handler]] = field(default_factory=dict)
    model_routes: list[tuple[ModelSelector, Handler]] = field(default_factory=list)
    default_model: Handler | None = None

    def command(
        self,
        command: Command,
        *also: Command,
        to_model: bool = False,
        takes_files: bool = False,
        admin: bool | None = None,
    ) -> Callable[[AnyRoute], AnyRoute]:
        """Register a command of the table (bot.ui.commands) and its aliases (case and width
        insensitive); `also` are further table entries answered by the same handler; with
        `takes_files`, the command typed with files attached is this command, not files for the model;
        `admin=False` for a command listed for admins whose handler authorises callers itself
        (テンプレート管理: admins and, where the policy allows, each 所属's lead)."""

        def register(handler: AnyRoute) -> AnyRoute:
            route = Route(
                command.title,
                handler,
                admin=command.admin if admin is None else admin,
                to_model=to_model,
                takes_files=takes_files,
            )
            for entry in (command, *also):
                for alias in (entry.title, *entry.aliases):
                    self.commands[normalise_command(alias)] = route
            return handler

        return register

    def verb(
        self,
        name: str,
        *,
        admin: bool = False,
        builds_model_turn: ModelBuilder | None = None,
        on_allowed: OnAllowed | None = None,
        to_model: bool = False,
    ) -> Callable[[Answering], Answering]:
        """Register a card verb (Action.Execute `verb` or Action.Submit `data.verb`); its handler
        returns the answer (bot.teams.answers)."""

        def register(handler: Answering) -> Answering:
            self.verbs[name] = Route(
                name,
                handler,
                admin=admin,
                builds_model_turn=builds_model_turn,
                on_allowed=on_allowed,
                to_model=to_model,
            )
            return handler

        return register

    def invoke(self, name: str) -> Callable[[Answering], Answering]:
        """Register a handler for an invoke name other than adaptiveCard/action; it returns the
        invoke response."""

        def register(handler: Answering) -> Answering:
            self.invokes[name] = handler
            return handler

        return register

    def on_event(self, name: str) -> Callable[[Handler], Handler]:
        """Register a handler for a lifecycle event (`installed`, `members_added`, `team_installed`)."""

        def register(handler: Handler) -> Handler:
            self.events.setdefault(name, []).append(handler)
            return handler

        return register

    def model(self, selector: ModelSelector | None = None) -> Callable[[Handler], Handler]:
        """Register who answers model-bound turns: routes with a selector are tried in order,
        the one without a selector answers everything else."""

        def register(handler: Handler) -> Handler:
            if selector is None:
                self.default_model = handler
            else:
                self.model_routes.append((selector, handler))
            return handler

        return register

    async def model_handler(self, turn: Turn) -> Handler | None:
        """The handler that answers this model-bound turn."""
        for selector, handler in self.model_routes:
            if await selector(turn):
                return handler
        return self.default_model

    def match_command(self, text: str) -> tuple[Route, str] | None:
        """The command a message starts with, and the rest of the text as its argument."""
        head, _, rest = normalise_command(text).partition(" ")
        route = self.commands.get(head)
        if route is None:
            return None
        original_rest = text.strip().split(maxsplit=1)
        return route, original_rest[1].strip() if len(original_rest) > 1 else rest

    def verb_route(self, verb: str) -> Route | None:
        """The route of a card verb, if registered."""
        return self.verbs.get(verb)

    def select(self, activity: Activity) -> Match:
        """Classify an activity once, without side effects (unit-tested without HTTP)."""
        kind = activity.type or ""
        if kind == ActivityTypes.invoke:
            action = card_action(activity) if activity.name == "adaptiveCard/action" else None
            if action is not None:
                return Match("verb", self.verbs.get(action[0]), data=action[1], name=action[0])
            return Match("invoke", name=activity.name or "")
        if kind != ActivityTypes.message:
            return Match("event" if kind == ActivityTypes.conversation_update else "other", name=kind)
        action = card_action(activity)
        if action is not None:
            return Match("verb", self.verbs.get(action[0]), data=action[1], name=action[0])
        if file_attachments(activity):
            typed = self.match_command(text_of(activity))
            if typed is not None and typed[0].takes_files:
                return Match("command", typed[0], argument=typed[1])
            return Match("files", argument=text_of(activity))
        conversation = activity.conversation.conversation_type if activity.conversation else None
        if (conversation or "personal") != "personal" and not mentions_bot(activity):
            return Match("ignored")
        text = text_of(activity)
        if not text:
            return Match("empty")
        matched = self.match_command(text)
        if matched is not None:
            return Match("command", matched[0], argument=matched[1])
        return Match("text", argument=text)


_SPACES = re.compile(r"\s+")


def normalise_command(text: str) -> str:
    """NFKC, trimmed, single-spaced, lower-case: 「／ＵＳＡＧＥ」 and "/usage" match alike."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).strip()).lower()


MATCH = "municipal_bot.match"
"""turn_state key of the turn's `Match` (set once by the first stage)."""


def match_of(context: TurnContext) -> Match:
    """The turn's match (the first stage computed it; an empty one before that)."""
    found = context.turn_state.get(MATCH)
    return found if isinstance(found, Match) else Match("other")
