"""Telling the administrators in their personal chats (a channel may be exactly what is missing)."""

from __future__ import annotations

import logging

from bot.teams.channels import DeliveryError, Outreach, notify_user

log = logging.getLogger(__name__)


async def tell_admins(outreach: Outreach, text: str) -> int:
    """Send `text` to every administrator's personal chat; returns how many got it."""
    delivered = 0
    for admin in sorted(outreach.admins):
        try:
            await notify_user(outreach, admin, outreach.to_person(text))
        except DeliveryError as exc:
            log.warning("administrator not told: %s", type(exc).__name__)
            continue
        delivered += 1
    if not delivered:
        log.warning("no administrator could be told (none has written to the bot yet?)")
    return delivered
