"""Screening fixtures: one Screener per policy for the whole session (SudachiPy loads once)."""

from __future__ import annotations

import pytest

from bot.core.policy import load_policy
from bot.core.screening import Screener, ScreeningPolicy


@pytest.fixture(scope="session")
def screener() -> Screener:
    """A Screener with the built-in defaults (no city lists)."""
    return Screener(ScreeningPolicy.default())


@pytest.fixture(scope="session")
def iwaki() -> Screener:
    """A Screener with Iwaki City's [screening] section."""
    return Screener(load_policy("iwaki").screening)


@pytest.fixture(scope="session")
def maebashi() -> Screener:
    """A Screener with Maebashi City's [screening] section."""
    return Screener(load_policy("maebashi").screening)
