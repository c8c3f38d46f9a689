"""`TurnRecorder`: the records of one turn, written at the right moments (no botbuilder import).

The audit middleware puts one in `turn_state[RECORDER]` for every turn that carries a `Turn`:

Every record is submitted (stored at once in its own inbox row, bot.core.audit.chainer), so no
turn waits for, or loses a race on, the hash chain under load; the end record, whose start is
already stored, is handed to the running chainer instead (one storage round trip less per turn).

    await recorder.begin()        the dialog, right before the model call: the start record with
                                  the masked text. Raises StorageError -> do NOT call the model
                                  (a model call without a record never happens: fail closed).
    await recorder.event(k, d)    any stage: an event record (admin action, forged attempt,
                                  feedback vote, incident status). Raises StorageError.
    await recorder.finish()       the middleware, after the turn (also on exceptions): the end
                                  record (handed to the chainer: AuditLog.submit_closing), or one
                                  single record (inbox) when begin was never called.
                                  Never raises: the user already has their answer.

Log lines name turn ids, phases, partitions and error types only: never text.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Mapping
from enum import Enum
from typing import Any

from bot.core.audit.chainer import Pending
from bot.core.audit.log import AuditLog
from bot.core.audit.record import Phase, event_record, record_from_turn
from bot.core.errors import StorageError
from bot.core.turn import Outcome, Turn

log = logging.getLogger(__name__)

RECORDER = "municipal_bot.audit_recorder"
"""The turn_state key under which the turn's `TurnRecorder` lives."""


class TurnRecorder:
    """Writes the start/end, single and event records of one turn, timed by the log's own clock."""

    def __init__(self, audit: AuditLog, turn: Turn) -> None:
        self._audit = audit
        self._turn = turn
        self._clock = audit.clock
        self._start: Pending | None = None
        self._finished = False

    @property
    def began(self) -> bool:
        """True once the start record is stored."""
        return self._start is not None

    async def begin(self) -> None:
        """Store the start record (masked text); raise StorageError so the model is not called."""
        if self._start is not None:
            return
        record = record_from_turn(self._turn, "start", now=self._clock())
        try:
            self._start = await self._audit.submit(record)
        except StorageError as exc:
            log.error(
                "audit start record not written: turn=%s error=%s", self._turn.turn_id, type(exc).__name__
            )
            self._turn.outcome = Outcome.FAILED
            self._turn.error = self._turn.error or "audit_unavailable"
            raise

    async def event(self, kind: str, details: Mapping[str, Any], *, feedback: str = "") -> Pending:
        """Store an event record of this turn's caller; raise StorageError on failure."""
        turn = self._turn
        record = event_record(
            kind,
            details,
            now=self._clock(),
            caller=turn.caller,
            turn_id=turn.turn_id,
            command=turn.command,
            feedback=feedback,
        )
        stored = await self._audit.submit(record)
        log.info("audit event: turn=%s kind=%s", turn.turn_id, kind)
        return stored

    def note_failure(self, exc: BaseException) -> None:
        """Mark the turn failed (or stopped, when cancelled) unless a stage already said why it ended."""
        turn = self._turn
        if turn.outcome in {Outcome.ANSWERED, Outcome.COMMAND}:
            turn.outcome = Outcome.STOPPED if isinstance(exc, asyncio.CancelledError) else Outcome.FAILED
        turn.error = turn.error or error_kind(exc)

    async def finish(self) -> Pending | None:
        """Store the end (or single) record once; log and return None if storage fails."""
        if self._finished:
            return None
        self._finished = True
        phase: Phase = "end" if self._start is not None else "single"
        month = self._start.record.month if self._start is not None else ""
        record = record_from_turn(self._turn, phase, now=self._clock(), month=month)
        try:
            if phase == "end":  # the start is stored: the end joins the next chaining transaction
                stored = await self._audit.submit_closing(record)
            else:
                stored = await self._audit.submit(record)
        except (StorageError, ValueError) as exc:
            log.error(
                "audit %s record not written: turn=%s outcome=%s error=%s",
                phase,
                self._turn.turn_id,
                self._turn.outcome.value,
                type(exc).__name__,
            )
            return None
        log.info(
            "audit %s: turn=%s outcome=%s partition=%s",
            phase,
            self._turn.turn_id,
            self._turn.outcome.value,
            stored.partition,
        )
        return stored


async def record_refused(audit: AuditLog, turn: Turn, text: str, reason: str) -> Pending | None:
    """The single record of a turn refused before any stage ran (reason "busy": the conversation's
    queue was full and the user was told to send it again). It keeps the text the user will send
    again, screened by the record writer like every record's text (masked, identifiers redacted),
    so the record shows what was refused. Never raises: a failure is logged, like `finish`."""
    turn.refuse(Outcome.REFUSED, reason)
    record = dataclasses.replace(record_from_turn(turn, "single", now=audit.clock()), text=text)
    try:
        stored = await audit.submit(record)
    except (StorageError, ValueError) as exc:
        log.error("audit refused record not written: turn=%s error=%s", turn.turn_id, type(exc).__name__)
        return None
    log.info("audit single: turn=%s outcome=refused error=%s", turn.turn_id, reason)
    return stored


def error_kind(exc: BaseException) -> str:
    """A short, text-free name for an exception: its type, plus its `kind` when it has one."""
    if isinstance(exc, asyncio.CancelledError):
        return "cancelled"
    kind = getattr(exc, "kind", None)
    name = type(exc).__name__
    return f"{name}:{kind.value}" if isinstance(kind, Enum) else name


def recorder_of(turn_state: Mapping[str, Any]) -> TurnRecorder | None:
    """The turn's recorder, if the audit middleware installed one."""
    recorder = turn_state.get(RECORDER)
    return recorder if isinstance(recorder, TurnRecorder) else None
