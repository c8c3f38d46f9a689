"""One audit record and the pure functions that build it from a `Turn`.

What is stored, by phase (a turn is either start + end, or one single record):

    start   right before the model call: the masked text exactly as sent, the screening summary,
            the confirmation; this is the only place any user text is kept
    end     after the turn: the answer as the model wrote it (placeholders, never restored values),
            model, characters, tokens, latency, outcome, error
    single  a turn that never reached the model (refused: blocked, held, over quota, not allowed,
            rejected; or a command): who, what, screening summary and outcome, never any text;
            except a message refused before it ran (outcome refused, error busy: the chat's queue
            was full), whose text is kept as the record writer screens it (masked, redacted)
    event   anything else worth keeping (admin actions, forged attempts, feedback, incidents):
            a kind and a `details` JSON object

Screening appears only as its action, the kinds found with counts and the ordinance categories:
never the values. Callers of `event_record` must keep `details` free of user text likewise.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import Enum
from typing import Any, Literal, cast

from bot.core.audit.months import jst_month, utc_iso
from bot.core.storage.base import Scalar
from bot.core.turn import Caller, Outcome, Turn

Phase = Literal["start", "end", "single", "event"]
PHASES: tuple[Phase, ...] = ("start", "end", "single", "event")


@dataclass(frozen=True)
class AuditRecord:
    """What one record holds (see the module docstring for what each phase fills in)."""

    record_id: str
    turn_id: str
    phase: Phase
    time: str  # UTC ISO 8601 with milliseconds and "Z"
    month: str  # JST month the record is filed under; an end record goes with its start
    tenant_id: str = ""
    user_id: str = ""
    display_name: str = ""
    department: str = ""
    conversation_id: str = ""
    conversation_type: str = ""
    command: str = ""  # routed command or card verb
    source: str = ""  # chat | channel | template | confirmed
    event: str = ""  # event kind, for phase "event"
    text: str = ""  # the masked text as sent to the model (start records only)
    screening_action: str = ""
    screening_kinds: Mapping[str, int] = field(default_factory=dict)
    screening_categories: tuple[str, ...] = ()
    confirmed: bool = False
    confirmation_note: str = ""
    answer: str = ""
    model_name: str = ""
    deployment: str = ""
    chars_in: int = 0
    chars_out: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    outcome: Outcome | None = None
    error: str = ""
    feedback: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


_INT_FIELDS = frozenset({"chars_in", "chars_out", "tokens_in", "tokens_out", "latency_ms"})
_JSON_FIELDS = frozenset({"screening_kinds", "screening_categories", "details"})
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(AuditRecord))


def new_record_id() -> str:
    """A fresh record id."""
    return uuid.uuid4().hex


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_LENIENT = json.JSONEncoder(ensure_ascii=False, default=str)
"""The encoders `json.dumps` would build on every call with these arguments (about 14 a turn),
built once: an encoder keeps no state between calls."""


def canonical_json(value: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces, Unicode kept) used for hashing and storage."""
    return _CANONICAL.encode(value)


def json_safe(details: Mapping[str, Any]) -> dict[str, Any]:
    """A plain-JSON copy of `details` (anything unusual becomes its string form)."""
    return cast(dict[str, Any], json.loads(_LENIENT.encode(dict(details))))


def to_fields(record: AuditRecord) -> dict[str, Scalar]:
    """The record as flat storable values (JSON text for the structured fields)."""
    out: dict[str, Scalar] = {}
    for name in FIELD_NAMES:
        value = getattr(record, name)
        if name in _JSON_FIELDS:
            out[name] = canonical_json(list(value) if isinstance(value, tuple) else dict(value))
        elif name == "outcome":
            out[name] = value.value if value is not None else ""
        else:
            out[name] = value
    return out


def from_fields(data: Mapping[str, Any]) -> AuditRecord:
    """Rebuild a record from stored values; ValueError if anything is missing or mistyped."""
    values: dict[str, Any] = {name: _field(name, data.get(name)) for name in FIELD_NAMES}
    if values["phase"] not in PHASES:
        raise ValueError(f"unknown phase {values['phase']!r}")
    return AuditRecord(**values)


def _field(name: str, raw: Any) -> Any:
    """One stored value, checked and converted back to its record type."""
    if name in _INT_FIELDS:
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise ValueError(f"{name} must be an integer")
        return raw
    if name == "confirmed":
        if raw not in (True, False):  # 0/1 accepted: backends may store booleans as integers
            raise ValueError("confirmed must be a boolean")
        return bool(raw)
    if not isinstance(raw, str):
        raise ValueError(f"{name} must be text")
    if name == "outcome":
        return Outcome(raw) if raw else None
    if name in _JSON_FIELDS:
        return _json_field(name, raw)
    return raw


def _json_field(name: str, raw: str) -> Any:
    value = json.loads(raw)
    if name == "screening_categories":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("screening_categories must be a list of strings")
        return tuple(value)
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object")
    return value


def screening_summary(result: Any) -> tuple[str, dict[str, int], tuple[str, ...]]:
    """(action, kinds with counts, categories) of a screening result: never the values found.

    Reads only `action` and each finding's `kind` and `category` (strings or str enums), so it
    works with any result shaped like the `python -m bot screen` contract.
    """
    if result is None:
        return "", {}, ()
    findings = list(getattr(result, "findings", ()) or ())
    kinds = Counter(_label(getattr(f, "kind", "")) for f in findings)
    categories = sorted({_label(getattr(f, "category", "")) for f in findings} - {""})
    return _label(getattr(result, "action", "")), dict(sorted(kinds.items())), tuple(categories)


def _label(value: Any) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value or "")


def _caller_fields(caller: Caller | None) -> dict[str, Any]:
    if caller is None:
        return {}
    return {
        "tenant_id": caller.tenant_id,
        "user_id": caller.user_id,
        "display_name": caller.display_name,
        "department": caller.department,
        "conversation_id": caller.conversation_id,
        "conversation_type": caller.conversation_type,
    }


def record_from_turn(turn: Turn, phase: Phase, *, now: datetime, month: str = "") -> AuditRecord:
    """The start, end or single record of `turn` at time `now` (pure)."""
    if phase == "event":
        raise ValueError("use event_record for event records")
    values: dict[str, Any] = {
        **_caller_fields(turn.caller),
        "command": turn.command,
        "details": json_safe(turn.details),
    }
    if phase != "start":
        values.update(outcome=turn.outcome, error=turn.error, latency_ms=turn.elapsed_ms())
    if turn.model is not None:
        values.update(_model_fields(turn, phase))
    return AuditRecord(
        record_id=new_record_id(),
        turn_id=turn.turn_id,
        phase=phase,
        time=utc_iso(now),
        month=month or jst_month(now),
        **values,
    )


def _model_fields(turn: Turn, phase: Phase) -> dict[str, Any]:
    """The model-bound part of a turn, as much of it as this phase records."""
    model = turn.model
    assert model is not None
    action, kinds, categories = screening_summary(model.screening)
    values: dict[str, Any] = {
        "source": model.source,
        "screening_action": action,
        "screening_kinds": kinds,
        "screening_categories": categories,
        "confirmed": model.confirmed,
        "confirmation_note": model.confirmation_note,
        "chars_in": model.input_chars,
        "model_name": model.model_name,
        "deployment": model.deployment,
    }
    if phase == "start":
        values["text"] = model.masked_text
    else:
        values.update(
            answer=model.answer_text,
            chars_out=model.answer_chars,
            tokens_in=model.tokens_in,
            tokens_out=model.tokens_out,
        )
    return values


def event_record(
    kind: str,
    details: Mapping[str, Any],
    *,
    now: datetime,
    caller: Caller | None = None,
    turn_id: str = "",
    command: str = "",
    feedback: str = "",
) -> AuditRecord:
    """An event record (admin action, forged attempt, feedback vote, incident status...)."""
    if not kind:
        raise ValueError("an event record needs a kind")
    return AuditRecord(
        record_id=new_record_id(),
        turn_id=turn_id,
        phase="event",
        time=utc_iso(now),
        month=jst_month(now),
        event=kind,
        command=command,
        feedback=feedback,
        details=json_safe(details),
        **_caller_fields(caller),
    )
