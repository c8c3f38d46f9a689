"""The table of commands (bot.ui.commands) is the one place a command is declared: the router's
commands, the help message and the app's command menus all come from it, for every built-in city."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.config import Settings
from bot.core.policy import builtin_policies, load_policy
from bot.teams.pipeline import open_services
from bot.teams.router import normalise_command
from bot.ui import commands
from bot.ui.common import help_text


@pytest.mark.parametrize("city", builtin_policies())
async def test_every_registered_command_is_in_the_table(city: str, tmp_path: Path) -> None:
    settings = Settings.from_env(environ={"BOT_DATA_DIR": str(tmp_path), "BOT_POLICY": city}, env_file=None)
    async with open_services(settings) as (services, _adapter, _bot):
        registered = {route.name for route in services.router.commands.values()}
        aliases = set(services.router.commands)
    titles = {c.title for c in commands.COMMANDS}
    assert registered <= titles, f"registered outside bot.ui.commands: {registered - titles}"
    for command in commands.COMMANDS:
        if command.available(load_policy(city)):
            assert {normalise_command(a) for a in (command.title, *command.aliases)} <= aliases, command.title


@pytest.mark.parametrize("city", builtin_policies())
def test_help_lists_the_table_and_names_the_citys_division(city: str) -> None:
    policy = load_policy(city)
    staff = help_text(policy, is_admin=False)
    admin = help_text(policy, is_admin=True)
    for command in commands.offered(policy, admin=False):
        assert f"- {command.title}：" in staff
        assert command.title in admin
    for command in commands.offered(policy, admin=True):
        assert f"- {command.title}：" not in staff, "admin commands are not offered to staff"
        assert command.title in admin
    assert ("利用申請" in staff) == policy.access.require_approval
    assert ("承認待ち" in admin) == policy.access.require_approval
    assert "{" not in staff
    assert "{" not in admin


def test_no_division_name_is_written_into_the_texts() -> None:
    """The division comes from the policy ({division}), so a third city's division is named right."""
    for command in commands.COMMANDS:
        for text in (command.help, command.menu_ja, command.menu_en):
            assert "政策課" not in text, command.title
