"""One turn at a time per conversation: Teams allows one open stream per chat.

A second question sent while the first is still streaming would start a second stream, which
Teams refuses (403 "Content stream is not allowed"), and its answer would be lost. So the
background turns of one conversation run one after another, in arrival order, with a short queue
(`max_waiting`); a message beyond it is answered at once with a line asking the user to send it
again after the answer (and recorded: outcome refused, error busy). Other activity types
(conversation updates…) always queue: they are rare and short. State is per process: several
instances behind a load balancer each serialise the turns they receive (Teams sends one chat's
activities to whichever instance answers).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botbuilder.core import BotAdapter, CloudAdapterBase, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult
from msrest.exceptions import ClientException

from bot.core.audit import record_refused
from bot.core.exits import Exit
from bot.core.turn import Turn
from bot.teams.activity import caller_of
from bot.teams.channels import reply_outside_a_turn
from bot.teams.exits import outbound
from bot.teams.services import Services
from bot.ui import common as texts

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_WAITING = 2


def queue_follow_up(services: Services, context: TurnContext, text: str) -> bool:
    """Queue `text` as a new message turn from the caller of this turn (same chat, same identity);
    it goes through the whole pipeline (screening, quota, records) like a typed message."""
    queue = services.background.queue_turn  # the HTTP app's (bot.teams.app)
    incoming = context.activity
    if queue is None or incoming.conversation is None:
        return False
    auth = AuthenticateRequestResult()
    auth.claims_identity = context.turn_state.get(BotAdapter.BOT_IDENTITY_KEY)
    auth.audience = context.turn_state.get(BotAdapter.BOT_OAUTH_SCOPE_KEY)
    auth.connector_factory = context.turn_state.get(CloudAdapterBase.CONNECTOR_FACTORY_KEY)
    auth.caller_id = incoming.caller_id
    activity = Activity(
        type=ActivityTypes.message,
        text=text,
        channel_id=incoming.channel_id,
        service_url=incoming.service_url,
        from_property=incoming.from_property,
        recipient=incoming.recipient,
        conversation=incoming.conversation,
        channel_data=incoming.channel_data,
        locale=incoming.locale,
        timestamp=incoming.timestamp,
    )
    queue(auth, activity)
    return True


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    admitted: int = 0  # running + waiting


class ConversationSerial:
    """Admits turns per conversation and runs the admitted ones one at a time."""

    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self._max_waiting = max_waiting
        self._lanes: dict[str, _Lane] = {}

    def admit(self, conversation_id: str, *, always: bool = False) -> bool:
        """Reserve a place in the conversation's queue (False when it is full); call synchronously,
        in arrival order, then `run` the turn."""
        lane = self._lanes.setdefault(conversation_id, _Lane())
        if not always and lane.admitted > self._max_waiting:
            return False
        lane.admitted += 1
        return True

    def waiting(self, conversation_id: str) -> int:
        """Turns admitted and not finished in this conversation (running included)."""
        lane = self._lanes.get(conversation_id)
        return lane.admitted if lane is not None else 0

    async def run(self, conversation_id: str, turn: Callable[[], Awaitable[T]]) -> T:
        """Run an admitted turn once the earlier ones of its conversation are done."""
        lane = self._lanes[conversation_id]
        try:
            async with lane.lock:
                return await turn()
        finally:
            lane.admitted -= 1
            if lane.admitted == 0:
                del self._lanes[conversation_id]


async def tell_busy(auth: Any, activity: Activity, services: Services) -> None:
    """Answer a message that found its conversation's queue full: no pipeline runs, but the turn
    is recorded (outcome refused, error busy, its text screened by the record writer) before the
    user is told to send it again, so every message leaves a record."""
    turn = Turn(caller=caller_of(activity), activity_id=activity.id or "", activity_type="message")
    turn.details["queued"] = MAX_WAITING + 1
    await record_refused(services.audit, turn, activity.text or "", "busy")
    personal = (getattr(activity.conversation, "conversation_type", None) or "personal") == "personal"
    notice = Activity(type=ActivityTypes.message, text=texts.BUSY_CONVERSATION)
    try:
        await reply_outside_a_turn(
            auth, activity, outbound(services.gate, notice, Exit.PERSON if personal else Exit.CHANNEL)
        )
    except (ClientException, OSError, TimeoutError) as exc:
        log.warning("could not tell the user the conversation is busy: %s", type(exc).__name__)
    log.info("message refused: %d turns already queued in its conversation", MAX_WAITING + 1)
