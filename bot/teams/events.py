"""Writing audit event records from the Teams layer (admin actions, refusals, consents, votes).

Events go through the turn's recorder so they carry the caller and the turn id. Details must never
hold user text: ids, kinds, counts and lengths only. A failure to record raises StorageError, so an
admin action whose record cannot be written is reported as a failed turn.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext

from bot.core.audit import AuditLog, event_record, recorder_of
from bot.core.clock import Clock
from bot.core.turn import TURN, Turn
from bot.teams.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventLog:
    """Writes a turn's event records (what a feature needs of the audit trail, and nothing more)."""

    audit: AuditLog
    clock: Clock

    @classmethod
    def of(cls, services: Services) -> EventLog:
        """The event log of the running bot."""
        return cls(services.audit, services.clock)

    async def record(
        self, context: TurnContext, kind: str, details: Mapping[str, Any], *, feedback: str = ""
    ) -> None:
        """Record an event of this turn (falls back to the audit log when no recorder is installed)."""
        recorder = recorder_of(context.turn_state)
        if recorder is not None:
            await recorder.event(kind, details, feedback=feedback)
            return
        turn = context.turn_state.get(TURN)
        if not isinstance(turn, Turn):
            log.warning("audit event not recorded (no turn): kind=%s", kind)
            return
        record = event_record(
            kind,
            details,
            now=self.clock(),
            caller=turn.caller,
            turn_id=turn.turn_id,
            command=turn.command,
            feedback=feedback,
        )
        await self.audit.submit(record)
