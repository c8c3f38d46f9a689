"""What the records keep of a screening: the action, kinds with counts and categories — never values."""

from __future__ import annotations

from bot.core.screening.model import ScreeningResult


def summary(result: ScreeningResult) -> dict[str, object]:
    """The screening of one text as it is recorded (no value, no position)."""
    return {
        "action": result.action.value,
        "kinds": result.counts(),
        "categories": sorted({f.category for f in result.findings if f.category}),
    }
