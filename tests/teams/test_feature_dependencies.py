"""Features take only what they use (issue 13): a feature's `register(services)` is where `Services`
is unpacked, once; its handlers receive the few collaborators they need as constructor or function
parameters, so they can be read (and built in a test) without the whole bot.

The features listed here are held to it: the ones that write outside a turn take `Outreach`
(bot.teams.channels: the connector, the directory, the gate, the administrators) instead of the
whole `Services`. Still taking `Services`: chat's answer path, and the
weekly digest (a background task the composition root enters); `access/desk.py` builds the access
feature's bundle from it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FEATURES = Path(__file__).resolve().parents[2] / "bot" / "teams" / "features"
NARROW = (
    "feedback.py",
    "summary.py",
    "usage.py",
    "screening.py",
    "templates.py",
    "incidents.py",
    "support/questions.py",
    "support/channel.py",
    "access/approval.py",
    "access/consent.py",
    "template_admin.py",
    "knowledge.py",
)
COMPOSITION = {"register", "alert_sink"}  # where the running bot's services are unpacked


def _outside_composition(tree: ast.Module) -> list[str]:
    """`services` used, or `Services` taken, anywhere but the module's composition functions."""
    found: list[str] = []
    for top in tree.body:
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) and top.name in COMPOSITION:
            continue
        for node in ast.walk(top):
            name = node.id if isinstance(node, ast.Name) else node.arg if isinstance(node, ast.arg) else ""
            if name in {"services", "Services"}:
                found.append(f"line {node.lineno}: {name}")
    return found


@pytest.mark.parametrize("module", NARROW)
def test_handlers_never_reach_into_the_services(module: str) -> None:
    tree = ast.parse((FEATURES / module).read_text(encoding="utf-8"))
    assert _outside_composition(tree) == []


def test_the_check_sees_a_handler_that_takes_the_services() -> None:
    tree = ast.parse(
        "def register(services: Services) -> None:\n    services.router\n\n"
        "async def handler(services: Services, context: object) -> None:\n    services.quota\n"
    )
    assert sorted(_outside_composition(tree)) == ["line 4: Services", "line 4: services", "line 5: services"]
