"""Routing as data: commands and card verbs map to handlers, testable without HTTP.

Features register here (`router.command(commands.USAGE)(handler)`; the table of commands is
bot.ui.commands); the turn middleware asks `match_command` and `verb_route` to classify a turn
before screening runs, and the bot dispatches to the handler after the pipeline. Admin-only
routes are checked on the server from the caller's identity (`Turn.caller.is_admin`), never from
card data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext

from bot.core.turn import ModelTurn, Turn
from bot.ui.commands import Command

Handler = Callable[[TurnContext, Turn], Awaitable[Any]]
ModelSelector = Callable[[Turn], Awaitable[bool]]
ModelBuilder = Callable[[TurnContext, Turn, dict[str, Any]], Awaitable[ModelTurn | None]]


@dataclass(frozen=True)
class Route:
    """A command or card verb and what handles it."""

    name: str
    handler: Handler
    admin: bool = False
    builds_model_turn: ModelBuilder | None = None  # verbs whose submission becomes model-bound text
    to_model: bool = False  # leads to the model (templates): needs the same access as a model turn


@dataclass
class Router:
    """Commands (typed text) and verbs (card actions)."""

    commands: dict[str, Route] = field(default_factory=dict)
    verbs: dict[str, Route] = field(default_factory=dict)
    invokes: dict[str, Handler] = field(default_factory=dict)
    events: dict[str, list[Handler]] = field(default_factory=dict)
    model_routes: list[tuple[ModelSelector, Handler]] = field(default_factory=list)
    default_model: Handler | None = None

    def command(
        self, command: Command, *also: Command, to_model: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a command of the table (bot.ui.commands) and its aliases (case and width
        insensitive); `also` are further table entries answered by the same handler."""

        def register(handler: Handler) -> Handler:
            route = Route(command.title, handler, admin=command.admin, to_model=to_model)
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
        to_model: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Register a card verb (Action.Execute `verb` or Action.Submit `data.verb`)."""

        def register(handler: Handler) -> Handler:
            self.verbs[name] = Route(
                name, handler, admin=admin, builds_model_turn=builds_model_turn, to_model=to_model
            )
            return handler

        return register

    def invoke(self, name: str) -> Callable[[Handler], Handler]:
        """Register a handler for an invoke name other than adaptiveCard/action."""

        def register(handler: Handler) -> Handler:
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

    def route_named(self, name: str | None) -> Route | None:
        """The card verb or command a turn was classified as (`Turn.command`), if any."""
        if not name:
            return None
        return self.verbs.get(name) or self.commands.get(normalise_command(name))


_SPACES = re.compile(r"\s+")


def normalise_command(text: str) -> str:
    """NFKC, trimmed, single-spaced, lower-case: 「／ＵＳＡＧＥ」 and "/usage" match alike."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).strip()).lower()
