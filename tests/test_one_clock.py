"""One clock (issue 13): the time of day comes from the `Clock` the composition roots pass in.

`bot.core.clock.system_clock` is the only place that reads the system time, and only the composition
roots (bot/teams/pipeline.py, the CLI commands) pass it; nothing else falls back on the system time
when no clock is given. That is what lets the whole suite run under a fixed clock
(tests/conftest.py, and CI's run at the JST/UTC month boundary). Durations (`time.monotonic`,
`loop.time()`) are not the time of day and stay free.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"
WALL_CLOCK = {
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
}
SYSTEM_TIME_READERS = {
    ("bot/core/clock.py", "system_clock"),  # the one clock
    # unique keys that sort by when they were made; never compared with the Clock's time
    ("bot/core/storage/_common.py", "new_etag"),
    ("bot/core/audit/chainer.py", "inbox_key"),
    # the `updated` column of the SQLite table: the backend's own write time, never read back by the bot
    ("bot/core/storage/sqlite.py", "_apply"),
}
ROOTS = ("bot/teams/pipeline.py", "bot/cli/")  # the composition roots: where system_clock is passed


def _sources() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(BOT.rglob("*.py"))
    }


def wall_clock_reads(tree: ast.Module) -> list[tuple[str, int]]:
    """(top-level function, line) of each read of the time of day (`time.time()`, `datetime.now()` …)."""
    return [
        (getattr(top, "name", ""), node.lineno)
        for top in tree.body
        for node in ast.walk(top)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and (_name(node.func.value), node.func.attr) in WALL_CLOCK
    ]


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def test_only_the_system_clock_reads_the_time_of_day() -> None:
    found = [
        f"{module}:{line} in {function}"
        for module, tree in _sources().items()
        for function, line in wall_clock_reads(tree)
        if (module, function) not in SYSTEM_TIME_READERS
    ]
    assert found == []


def test_only_the_composition_roots_pass_the_system_clock() -> None:
    found = [
        f"{module}:{node.lineno}"
        for module, tree in _sources().items()
        if module != "bot/core/clock.py" and not module.startswith(ROOTS)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name | ast.alias)
        and getattr(node, "id", getattr(node, "name", "")) == "system_clock"
    ]
    assert found == []


def test_the_check_sees_each_way_of_reading_the_time() -> None:
    tree = ast.parse(
        "import time, datetime as dt\nfrom datetime import date, datetime\n"
        "a = time.time()\nb = datetime.now(UTC)\nc = dt.datetime.utcnow()\nd = date.today()\n"
        "e = time.monotonic()\nf = clock()\n"
    )
    assert wall_clock_reads(tree) == [("", 3), ("", 4), ("", 5), ("", 6)]
