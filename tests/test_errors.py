"""The error tree drawn in bot/core/errors.py is the real class hierarchy: every BotError subclass in
the package is drawn, under its real parent."""

from __future__ import annotations

import importlib
import pkgutil
import re

import bot
from bot.core import errors
from bot.core.errors import BotError


def _drawn() -> dict[str, str]:
    """class name → parent name, read from the tree in the module docstring."""
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r"^( *)((?:[│ ]   )*)(?:[├└]── )?([A-Z]\w+)\s{2,}", line)
        if not found or not found.group(3).endswith(
            ("Error", "Exceeded", "Busy", "Reference", "Blocked", "Failed")
        ):
            continue
        depth = len(found.group(2)) // 4 + (1 if "──" in line else 0)
        name = found.group(3)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[name] = stack[-1][1] if stack else ""
        stack.append((depth, name))
    return parents


def _real() -> dict[str, str]:
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: dict[str, str] = {}
    pending = [BotError]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("bot."):
                found[sub.__name__] = cls.__name__
                pending.append(sub)
    return found


def test_the_drawn_tree_is_the_class_hierarchy() -> None:
    drawn = _drawn()
    assert drawn.pop("BotError") == ""
    assert drawn == _real()
