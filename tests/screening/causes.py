"""Helpers of the per-round cause tests (test_round18_causes.py and later): screen one sentence with
a fresh pseudonym table (⏎ written for a line break) and list the kinds it found."""

from __future__ import annotations

from bot.core.screening import PseudonymTable, Screener, ScreeningResult


def screen(screener: Screener, text: str) -> ScreeningResult:
    """`text` (⏎ for a line break) screened on its own."""
    return screener.screen(text.replace("⏎", "\n"), PseudonymTable())


def kinds(result: ScreeningResult) -> set[str]:
    """The kinds of the result's findings."""
    return {f.kind for f in result.findings}
