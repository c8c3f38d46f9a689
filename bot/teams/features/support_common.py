"""What the support and incident features share: screening before posting, audit events, card data.

A text typed for a channel (a question, an incident description) is screened exactly like text for
the model: block-class findings refuse it, mask-class findings are replaced by placeholders, and
confirm-class findings (possibly non-disclosable) refuse it too, because a channel is read by
many staff and there is no one to confirm with.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from bot.audit import recorder_of
from bot.teams.activity import card_action
from bot.teams.middleware.screening import summary
from bot.teams.services import Services

log = logging.getLogger(__name__)

ALLOWED_ACTIONS = frozenset({"allow", "mask"})


@dataclass(frozen=True)
class Screened:
    """A text screened for posting: what may be posted, and what the records keep."""

    allowed: bool
    text: str  # the masked text when allowed, '' otherwise (never the refused text)
    masked: bool
    summary: Mapping[str, object]
    findings: tuple[Any, ...]

    @property
    def blocked(self) -> bool:
        """True when a block-class finding (an identifier such as a My Number) was found."""
        return any(str(getattr(f.action, "value", f.action)) == "block" for f in self.findings)


def screen_for_posting(services: Services, text: str) -> Screened:
    """Screen a text bound for a channel or storage (see the module docstring)."""
    result = services.screener.screen(text)
    action = str(getattr(result.action, "value", result.action))
    allowed = action in ALLOWED_ACTIONS
    masked_text = result.masked_text if allowed else ""
    return Screened(allowed, masked_text, allowed and masked_text != text, summary(result), tuple(result.findings))


async def record_event(context: TurnContext, kind: str, details: Mapping[str, Any]) -> None:
    """Write an audit event for this turn (the audit stage's recorder; StorageError propagates)."""
    recorder = recorder_of(context.turn_state)
    if recorder is None:
        log.warning("no audit recorder on this turn: event %s not recorded", kind)
        return
    await recorder.event(kind, details)


def card_data(context: TurnContext) -> dict[str, Any]:
    """The data (inputs merged) of the card action that started this turn."""
    action = card_action(context.activity)
    return action[1] if action is not None else {}


def admin_ids(services: Services) -> set[str]:
    """Entra object ids of the administrators (environment and policy)."""
    return set(services.settings.admin_aad_object_ids) | set(services.policy.access.admin_aad_object_ids)


def card_message(card: dict[str, Any]) -> Activity:
    """A message carrying one Adaptive Card."""
    return MessageFactory.attachment(CardFactory.adaptive_card(card))
