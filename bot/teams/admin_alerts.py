"""Telling the administrators in their personal chats (a channel may be exactly what is missing)."""

from __future__ import annotations

import logging

from bot.teams.channels import DeliveryError, notify_user
from bot.teams.exits import to_person
from bot.teams.services import Services

log = logging.getLogger(__name__)


def admin_ids(services: Services) -> set[str]:
    """Entra object ids of the administrators (environment and policy)."""
    return set(services.settings.admin_aad_object_ids) | set(services.policy.access.admin_aad_object_ids)


async def tell_admins(services: Services, text: str) -> int:
    """Send `text` to every administrator's personal chat; returns how many got it."""
    delivered = 0
    for admin in sorted(admin_ids(services)):
        try:
            await notify_user(services, admin, to_person(services, text))
        except DeliveryError as exc:
            log.warning("administrator not told: %s", type(exc).__name__)
            continue
        delivered += 1
    if not delivered:
        log.warning("no administrator could be told (none has written to the bot yet?)")
    return delivered
