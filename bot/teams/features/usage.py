"""`利用状況` (/usage): this month's usage card; administrators also see the organisation's breakdown
and the month's most used templates (the same figures as `python -m bot usage`).

Also routes the quota's threshold alerts (50/80/95/100 %) to the support channel once it is known.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from botbuilder.core import CardFactory, MessageFactory, TurnContext

from bot.core.errors import StorageError
from bot.core.policy import Policy
from bot.core.quota import Alert, QuotaService
from bot.core.shared_templates import TemplateCatalogue
from bot.core.turn import Turn
from bot.teams.channels import DeliveryError, post_to_channel
from bot.teams.services import Services
from bot.ui import commands
from bot.ui import common as texts
from bot.ui.quota import texts as quota_texts
from bot.ui.quota.cards import usage_card

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    """Register the usage command."""
    catalogue = TemplateCatalogue(services.storage, services.policy, services.clock)
    usage = UsageCard(services.quota, services.policy, catalogue)
    services.router.command(commands.USAGE, commands.USAGE_BY_DEPARTMENT)(usage.show)


@dataclass(frozen=True)
class UsageCard:
    """利用状況: reads the quota (and, for administrators, the template uses); the policy names whom
    to ask when storage is down."""

    quota: QuotaService
    policy: Policy
    templates: TemplateCatalogue

    async def show(self, context: TurnContext, turn: Turn) -> None:
        """The caller's and the city's usage this month; administrators also get the breakdown."""
        try:
            snapshot = await self.quota.snapshot(turn.caller.user_id, turn.caller.department)
            report = await self.quota.report() if turn.caller.is_admin else None
            uses = await self.templates.uses(report.month) if report is not None else []
        except StorageError:
            await context.send_activity(texts.storage_unavailable(self.policy))
            return
        card = usage_card(snapshot, report, uses)
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))


def alert_sink(services: Services) -> Callable[[Alert], Awaitable[None]]:
    """Post the organisation's threshold alerts (50/80/95/100 %) to the admin channel; log if it cannot."""

    async def post(alert: Alert) -> None:
        text = quota_texts.alert_text(alert)
        log.warning("quota alert: %s", text)
        try:
            await post_to_channel(
                services.outreach,
                services.policy.support.admin_channel_name,
                services.outreach.to_channel(text),
            )
        except (DeliveryError, StorageError) as exc:
            log.warning("quota alert not posted to the admin channel: %s", type(exc).__name__)

    return post
