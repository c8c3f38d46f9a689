"""記録の概要 (admin only): this month's records summed up as a card (`記録の概要 2026-10` for another)."""

from __future__ import annotations

import re

from botbuilder.core import TurnContext

from bot.core.audit.months import jst_month
from bot.core.turn import Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.events import record_event
from bot.teams.router import match_of
from bot.teams.services import Services
from bot.ui import commands
from bot.ui.summary.cards import summary_card

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def register(services: Services) -> None:
    """Register the summary command."""

    @services.router.command(commands.RECORDS_SUMMARY)
    async def summary(context: TurnContext, turn: Turn) -> Answer:
        month = _month(match_of(context).argument, services)
        await record_event(context, services, "admin.summary", {"month": month})
        result = await services.audit.summary(month)
        return answers.card(summary_card(services.policy, result))


def _month(argument: str, services: Services) -> str:
    """The month asked for (YYYY-MM), else the current month in Japan."""
    wanted = argument.strip().replace("/", "-")
    return wanted if _MONTH.match(wanted) else jst_month(services.clock())
