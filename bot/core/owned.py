"""Who typed each masked value of a conversation, so a pseudonym is restored only for its owner.

The pseudonym table (bot.core.screening) is per conversation; in a group chat or channel several
people add to it. The owners map (placeholder → Entra object id of the person who typed the
value) is kept next to the table, sealed the same way. `restorable` gives the table the dialog
restores from: in a personal chat all of it (the only person there typed every value, including
entries from before owners were kept), elsewhere only the caller's own values.
"""

from __future__ import annotations

import json
from typing import Any

from bot.core.screening import PseudonymTable

_OWNERS = "owners"


def load(stored: str | None) -> tuple[PseudonymTable, dict[str, str]]:
    """(table, owners) from the stored JSON (a plain table from before owners were kept is fine)."""
    if not stored:
        return PseudonymTable(), {}
    data = json.loads(stored)
    owners = data.pop(_OWNERS, {}) if isinstance(data, dict) else {}
    table = PseudonymTable.from_json(json.dumps(data, ensure_ascii=False))
    return table, {str(k): str(v) for k, v in owners.items()} if isinstance(owners, dict) else {}


def dump(table: PseudonymTable, owners: dict[str, str]) -> str:
    """The table with its owners, as JSON (real values: encrypt before storing)."""
    data: dict[str, Any] = json.loads(table.to_json())
    data[_OWNERS] = owners
    return json.dumps(data, ensure_ascii=False)


def claim_new(table: PseudonymTable, owners: dict[str, str], user_id: str) -> None:
    """Every placeholder without an owner yet was typed by `user_id` this turn."""
    for entry in _entries(table):
        owners.setdefault(entry["placeholder"], user_id.lower())


def restorable(
    table: PseudonymTable, owners: dict[str, str], user_id: str, *, personal: bool
) -> PseudonymTable:
    """The part of the table that may be restored for `user_id` (see the module docstring)."""
    if personal:
        return table
    data = json.loads(table.to_json())
    mine = user_id.lower()
    data["entries"] = [e for e in data.get("entries", []) if owners.get(e.get("placeholder", "")) == mine]
    return PseudonymTable.from_json(json.dumps(data, ensure_ascii=False))


def values(table: PseudonymTable) -> tuple[str, ...]:
    """The real values in a table (to let them pass the gate for their owner)."""
    return tuple(e["value"] for e in _entries(table))


def _entries(table: PseudonymTable) -> list[dict[str, str]]:
    entries = json.loads(table.to_json()).get("entries", [])
    return [e for e in entries if isinstance(e, dict)]
