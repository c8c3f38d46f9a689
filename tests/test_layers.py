"""The layout is the architecture: imports point one way (cli → teams → ui → core), botbuilder stays in
the Teams layer, and the parts of bot/ import each other without cycles.

Parts are the second level of the package: `bot.core.quota`, `bot.ui.access`, `bot.teams.features`,
`bot.cli` … An import of a part from inside a function counts like any other.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from tests._source import string_constants

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"
LAYERS = ("core", "ui", "teams", "cli")  # each may import only those before it
TEAMS_ONLY = ("botbuilder", "botframework", "msrest")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(BOT.rglob("*.py"))}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "bot" and parts[1] in LAYERS else None


def _part(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "bot" or parts[1] not in LAYERS:
        return None
    return ".".join(parts[:3]) if parts[1] != "cli" and len(parts) > 2 else ".".join(parts[:2])


def test_every_module_lives_in_a_layer() -> None:
    loose = [m for m in _modules() if m not in ("bot", "bot.__main__") and _layer(m) is None]
    assert loose == [], f"modules outside core/ui/teams/cli: {loose}"


def test_imports_point_one_way() -> None:
    wrong = []
    for module, imports in _modules().items():
        own = _layer(module)
        if own is None:
            continue
        allowed = set(LAYERS[: LAYERS.index(own) + 1])
        for target in imports:
            layer = _layer(target)
            if layer is not None and layer not in allowed:
                wrong.append(f"{module} imports {target}")
    assert wrong == [], "\n".join(sorted(wrong))


@pytest.mark.parametrize("layer", ["core", "ui", "cli", None])  # None: bot/__main__.py, bot/__init__.py
def test_botbuilder_only_inside_the_teams_layer(layer: str | None) -> None:
    wrong = [
        f"{module} imports {target}"
        for module, imports in _modules().items()
        if _layer(module) == layer
        for target in imports
        if target.split(".")[0] in TEAMS_ONLY
    ]
    assert wrong == [], "\n".join(sorted(wrong))


def test_no_japanese_user_text_in_the_core() -> None:
    """User-facing Japanese lives in bot/ui; the core may hold Japanese only as data it matches on
    (screening lexicons, patterns, the knowledge's stop words and 第N条 patterns), as what the model
    reads (the system prompt in dialog, the dry-run model's echo, prompt templates, the knowledge's
    instructions around the passages) or in docstrings."""
    data_parts = {
        "bot.core.screening",
        "bot.core.policy",
        "bot.core.model",
        "bot.core.prompt_templates",
        "bot.core.dialog",
        "bot.core.attachments.marks",  # the marks the model reads around a file's text
        "bot.core.knowledge",  # stop words and article patterns it matches on; the model's instructions
    }
    wrong = []
    for path in sorted((BOT / "core").rglob("*.py")):
        module = _module_name(path)
        if any(module == p or module.startswith(p + ".") for p in data_parts):
            continue
        wrong += [
            f"{module}:{node.lineno} {node.value[:30]!r}"
            for node in string_constants(path)
            if "\\" not in node.value  # a regular expression: data it matches on
            and any("\u3040" <= ch <= "\u30ff" for ch in node.value)  # kana: sentences, not codes
        ]
    assert wrong == [], "\n".join(wrong)


def test_no_cycles_between_parts() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imports in _modules().items():
        source = _part(module)
        if source is None:
            continue
        for target in imports:
            part = _part(target)
            if (part is not None and part != source and (BOT.parent / part.replace(".", "/")).exists()) or (
                part is not None
                and part != source
                and Path(BOT.parent / (part.replace(".", "/") + ".py")).exists()
            ):
                graph[source].add(part)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == [], "\n".join(" → ".join(c) for c in cycles)


TEAMS_DATA = {
    ("bot/teams/directory.py", "一般"),  # the General channel's Japanese name, matched on (not shown)
}


def test_no_japanese_user_text_in_the_teams_layer() -> None:
    """What staff read is written in bot/ui (per feature: texts.py, cards.py); the Teams layer passes it
    on. Kanji count here too: a title like 利用申請 is as much UI text as a sentence (the app package's
    names and descriptions too: they are built in bot/ui/manifest)."""
    wrong = []
    for path in sorted((BOT / "teams").rglob("*.py")):
        module = str(path.relative_to(ROOT))
        wrong += [
            f"{module}:{node.lineno} {node.value[:30]!r}"
            for node in string_constants(path)
            if (module, node.value) not in TEAMS_DATA
            and any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in node.value)
        ]
    assert wrong == [], "\n".join(wrong)
