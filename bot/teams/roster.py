"""The Teams roster: who someone really is, asked of Teams instead of read from the activity.

`from.aadObjectId` is a field of the activity; on channels other than Teams (Web Chat, Direct Line)
the client sets it. Admin rights therefore need the roster's word: `TeamsInfo.get_member` for the
sender's channel account in this conversation, whose Entra object id and tenant must be the ones
claimed. Any failure (not a member, connector down, timeout) means "not confirmed": fail closed.
"""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

log = logging.getLogger(__name__)

ROSTER_TIMEOUT_S = 5.0


async def confirmed_member(context: TurnContext, claimed_oid: str, tenant_id: str) -> bool:
    """True when the roster says the sender's account is `claimed_oid` in `tenant_id`."""
    sender = context.activity.from_property
    if sender is None or not sender.id or not claimed_oid:
        return False
    try:
        member = await asyncio.wait_for(TeamsInfo.get_member(context, sender.id), ROSTER_TIMEOUT_S)
    except Exception as exc:  # the library raises ErrorResponseException, TypeError, OSError…: all "no"
        log.warning("roster lookup failed (%s): admin rights not confirmed", type(exc).__name__)
        return False
    oid = (getattr(member, "aad_object_id", "") or "").lower()
    tenant = (getattr(member, "tenant_id", "") or "").lower()
    if oid != claimed_oid.lower() or (tenant and tenant_id and tenant != tenant_id.lower()):
        log.warning("roster does not confirm the claimed identity: admin rights refused")
        return False
    return True
