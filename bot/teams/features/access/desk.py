"""What the access feature and its stage use of the running bot, and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from botbuilder.core import TurnContext

from bot.core.access import AccessStore
from bot.core.clock import Clock
from bot.core.policy import Policy
from bot.core.screening import Screener
from bot.teams.background import Background
from bot.teams.channels import Outreach
from bot.teams.events import EventLog
from bot.teams.held import HeldTexts
from bot.teams.serial import queue_follow_up
from bot.teams.services import Services

FollowUp = Callable[[TurnContext, str], bool]
"""Queue a text as a new turn from this turn's caller (bot.teams.serial.queue_follow_up)."""


@dataclass(frozen=True)
class AccessDesk:
    """The collaborators of consent, applications and approval (built by `of`)."""

    policy: Policy
    store: AccessStore
    outreach: Outreach
    events: EventLog
    screener: Screener
    held: HeldTexts  # questions sent before consent, kept for 10 minutes
    background: Background
    clock: Clock
    follow_up: FollowUp

    @classmethod
    def of(cls, services: Services) -> AccessDesk:
        """The desk of the running bot."""
        return cls(
            services.policy,
            services.access,
            services.outreach,
            EventLog.of(services),
            services.screener,
            services.held,
            services.background,
            services.clock,
            partial(queue_follow_up, services),
        )
