"""The one clock: a function returning the current time, timezone-aware.

Nothing in the core reads the system time itself: every collaborator that needs the time takes a
`Clock`, and only the composition roots (bot.teams.pipeline, the CLI commands) pass `system_clock`.
Tests pass their own clocks, so a test that pins a month cannot meet the real date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)
