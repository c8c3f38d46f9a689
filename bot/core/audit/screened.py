"""The record writer's gate: no record is stored before its free text passed bot.core.exits.Gate.

`AuditLog.append` calls `screened_record` on every record, whoever built it, so a new event kind
cannot store a value screening would have kept out (Exit.STORAGE: block-class redacted,
mask-class masked). Texts the gate produced already (the masked input, the screened answer) are
recognised and not screened twice. Detail values that are ids (ASCII, short, no '@') are left
alone: they are ours, and screening them would only risk mangling an id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from bot.core.audit.record import AuditRecord
from bot.core.exits import Exit, Gate

TEXT_FIELDS = ("text", "answer", "feedback", "confirmation_note", "display_name", "department")


def screened_record(record: AuditRecord, gate: Gate) -> AuditRecord:
    """`record` with every free-text field and free-text detail passed through the gate."""
    changes: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            screened = gate.screen(value, Exit.STORAGE, names_pass=name == "display_name").text
            if screened != value:
                changes[name] = screened
    details = _details(record.details, gate)
    if details is not record.details:
        changes["details"] = details
    return dataclasses.replace(record, **changes) if changes else record


def _details(details: Mapping[str, Any], gate: Gate) -> Mapping[str, Any]:
    out: dict[str, Any] = {}
    changed = False
    for key, value in details.items():
        new = _value(value, gate)
        changed = changed or new is not value
        out[key] = new
    return out if changed else details


def _value(value: Any, gate: Gate) -> Any:
    if isinstance(value, str) and _free_text(value):
        screened = gate.screen(value, Exit.STORAGE).text
        return screened if screened != value else value
    if isinstance(value, Mapping):
        return _details(value, gate)
    if isinstance(value, list | tuple):
        items = [_value(v, gate) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _free_text(value: str) -> bool:
    return not value.isascii() or "@" in value or len(value) > 40
