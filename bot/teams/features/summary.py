"""記録の概要 (admin only): this month's records summed up as a card (`記録の概要 2026-10` for another)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from botbuilder.core import TurnContext

from bot.core.audit import AuditLog
from bot.core.audit.months import jst_month
from bot.core.clock import Clock
from bot.core.policy import Policy
from bot.core.turn import Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.events import EventLog
from bot.teams.router import match_of
from bot.teams.services import Services
from bot.ui import commands
from bot.ui.summary.cards import summary_card

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def register(services: Services) -> None:
    """Register the summary command."""
    summary = RecordsSummary(services.audit, services.policy, services.clock, EventLog.of(services))
    services.router.command(commands.RECORDS_SUMMARY)(summary.show)


@dataclass(frozen=True)
class RecordsSummary:
    """The records of a month summed up: reads the audit log, records that it was looked at."""

    audit: AuditLog
    policy: Policy
    clock: Clock
    events: EventLog

    async def show(self, context: TurnContext, turn: Turn) -> Answer:
        """記録の概要 [YYYY-MM]: the summary card of that month (this month in Japan by default)."""
        month = self.month(match_of(context).argument)
        await self.events.record(context, "admin.summary", {"month": month})
        result = await self.audit.summary(month)
        return answers.card(summary_card(self.policy, result))

    def month(self, argument: str) -> str:
        """The month asked for (YYYY-MM), else the current month in Japan."""
        wanted = argument.strip().replace("/", "-")
        return wanted if _MONTH.match(wanted) else jst_month(self.clock())
