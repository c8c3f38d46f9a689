"""Features take only what they use (issue 13): a feature's `register(services)` is where `Services`
is unpacked, once; its handlers receive the few collaborators they need as constructor or function
parameters, so they can be read (and built in a test) without the whole bot.

Every feature module is held to it. The ones that write outside a turn take `Outreach`
(bot.teams.channels: the connector, the directory, the gate, the administrators) instead of the
whole `Services`; chat's answer path takes `Answers` (built by `chat.answers_of`, and the support
channel answers through the same path with the same bundle); the weekly digest, a background task
the composition root enters through `weekly_digest(services)`, takes `WeeklyDigest` (`digest_of`).
Only `access/desk.py`, which builds the access feature's bundle from the services, is not listed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FEATURES = Path(__file__).resolve().parents[2] / "bot" / "teams" / "features"
NARROW = (
    "chat.py",
    "feedback.py",
    "summary.py",
    "usage.py",
    "screening.py",
    "templates.py",
    "incidents.py",
    "support/questions.py",
    "support/channel.py",
    "support/common.py",
    "access/approval.py",
    "access/consent.py",
    "access/digest.py",
    "template_admin.py",
    "knowledge.py",
)
# where the running bot's services are unpacked: a feature's registration, the bundles it builds,
# and what the composition root (bot.teams.pipeline) calls besides `register`
COMPOSITION = {"register", "alert_sink", "answers_of", "digest_of", "weekly_digest"}


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


def test_every_feature_module_but_the_access_desk_is_held_to_it() -> None:
    modules = {
        str(path.relative_to(FEATURES)) for path in FEATURES.rglob("*.py") if path.name != "__init__.py"
    }
    assert modules - set(NARROW) == {"access/desk.py"}


def test_the_answer_sequence_is_written_once() -> None:
    """One answer path (begin record → messages → stream → remember): only chat.answer_turn asks the
    dialog for the messages, the answer and remembering; the support channel goes through it."""
    calls: list[str] = []
    for path in sorted(FEATURES.parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for top in tree.body:
            for node in ast.walk(top):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"messages_for", "answer", "remember"}
                    and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "dialog"
                ):
                    calls.append(
                        f"{path.relative_to(FEATURES.parent)}:{getattr(top, 'name', '')}:{node.func.attr}"
                    )
    assert sorted(calls) == [
        f"features/chat.py:answer_turn:{name}" for name in ("answer", "messages_for", "remember")
    ]
