"""Settings are declared once (variable, default, parser, doc in one field), strict, and documented."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from bot.core.config import Settings, env_names
from bot.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_declared_once_and_documented() -> None:
    """Each setting has its variable, parser and a docstring in one place, and the README lists it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = (ROOT / "bot/core/config.py").read_text(encoding="utf-8")
    names = env_names()
    assert len(names) == len(set(names)), "a variable is declared twice"
    for field_ in fields(Settings):
        assert f"{field_.name}:" in source
        assert f'"""{field_.metadata["env"]}' in source, f"{field_.name} has no docstring naming its variable"
    missing = [name for name in names if f"`{name}`" not in readme]
    assert missing == [], f"README's configuration table does not list {missing}"


def test_a_bad_value_names_its_variable() -> None:
    for name, value in (("MODEL_TIMEOUT_SECONDS", "soon"), ("DRY_RUN_PACE", "maybe"), ("LOG_LEVEL", "LOUD")):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env(environ={name: value}, env_file=None)
