"""Typed services (issue 13): `Services` is a frozen dataclass whose collaborators are all concrete and
required, built once by bot.teams.pipeline.open_services; no `Any`, nothing optional, no extras bag."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from bot.teams.services import Services


def test_services_are_frozen_and_every_collaborator_is_required() -> None:
    assert Services.__dataclass_params__.frozen  # type: ignore[attr-defined]
    defaults = [
        f.name
        for f in dataclasses.fields(Services)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    ]
    assert defaults == []  # the composition root passes each one: nothing is made up on the side


def test_every_collaborator_has_a_concrete_type() -> None:
    hints = typing.get_type_hints(Services)
    assert set(hints) == {f.name for f in dataclasses.fields(Services)}
    loose = {
        name: hint
        for name, hint in hints.items()
        if hint is Any
        or type(None) in typing.get_args(hint)
        or typing.get_origin(hint) in {dict, typing.Union, types.UnionType}
    }
    assert loose == {}  # no Any, no Optional, no bag of extras


def test_the_app_builds_its_background_once_and_hands_it_over() -> None:
    """The HTTP app's task set (drained on shutdown) and its turn queue are the Background's from
    the start: nothing patches them into the services afterwards."""
    from bot.core.config import Settings  # noqa: PLC0415
    from bot.teams.app import BACKGROUND, TASKS, create_app  # noqa: PLC0415
    from bot.teams.background import Background  # noqa: PLC0415

    assert Background.__dataclass_params__.frozen  # type: ignore[attr-defined]
    app = create_app(Settings.from_env({}, env_file=None))
    background = app[BACKGROUND]
    assert background.tasks is app[TASKS]
    assert background.queue_turn is not None
    assert Background().queue_turn is None  # without an HTTP front door there is no turn queue
