"""The pseudonym table of a conversation: value → placeholder (〔人名1〕), and back.

The same value (after normalisation: 石井 美加 = 石井美加, 080-1234-5678 = ０８０１２３４５６７８) gets the
same placeholder for the whole conversation, so the model can follow who is who. The table holds
real values: the caller encrypts `to_json()` at rest and never logs it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.core.screening.model import KIND_LABELS, PLACEHOLDER_NAMES

_VERSION = 1
_FOOTER_FIRST = ("person_name", "phone", "email", "address", "birth_date")
_OPEN, _CLOSE = "〔［[", "〕］]"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_PLACEHOLDER = re.compile(
    r"[〔［\[] ?(?P<name>"
    + "|".join(sorted((re.escape(n) for n in set(PLACEHOLDER_NAMES.values())), key=len, reverse=True))
    + r") ?(?P<n>[0-9０-９]{1,4}) ?[〕］\]]"
)


def placeholder_text(kind: str, number: int) -> str:
    """The placeholder for the `number`-th value of `kind`: 〔人名1〕."""
    return f"〔{PLACEHOLDER_NAMES[kind]}{number}〕"


class PseudonymTable:
    """Placeholders of one conversation, serialisable with to_json/from_json."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._entries: dict[str, tuple[str, str]] = {}  # placeholder -> (kind, original value)
        self._counters: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def placeholder(self, kind: str, key: str, value: str) -> str:
        """The placeholder of `value` (identified by `key`), creating one if it is new."""
        existing = self._by_key.get((kind, key))
        if existing is not None:
            return existing
        number = self._counters.get(kind, 0) + 1
        self._counters[kind] = number
        text = placeholder_text(kind, number)
        self._by_key[(kind, key)] = text
        self._entries[text] = (kind, value)
        return text

    def value(self, placeholder: str) -> str | None:
        """The original value behind a placeholder, if this table made it."""
        entry = self._entries.get(placeholder)
        return entry[1] if entry else None

    def restore(self, text: str) -> str:
        """`text` with every known placeholder replaced by its value (tolerates ［人名１］ and [人名1])."""
        if not any(c in text for c in _OPEN):
            return text
        return _PLACEHOLDER.sub(self._restore_match, text)

    def _restore_match(self, m: re.Match[str]) -> str:
        canonical = f"〔{m.group('name')}{m.group('n').translate(_FULLWIDTH_DIGITS)}〕"
        value = self.value(canonical)
        return value if value is not None else m.group()

    def kind_counts(self) -> dict[str, int]:
        """Number of distinct masked values per kind."""
        counts: dict[str, int] = {}
        for kind, _ in self._entries.values():
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def masked_kinds(self) -> str:
        """Footer text: "人名2件、電話番号1件をマスクして送信しました" ("" when nothing was masked)."""
        return masked_summary(self.kind_counts())

    def to_json(self) -> str:
        """The table as JSON (contains real values: encrypt before storing)."""
        entries = [
            {"placeholder": p, "kind": kind, "value": value, "key": key}
            for (kind, key), p in self._by_key.items()
            for value in [self._entries[p][1]]
        ]
        return json.dumps(
            {"version": _VERSION, "counters": self._counters, "entries": entries}, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, s: str) -> PseudonymTable:
        """Rebuild a table from `to_json()` output; ValueError if it is not one."""
        try:
            data = json.loads(s)
        except json.JSONDecodeError as exc:
            raise ValueError(f"pseudonym table: not JSON ({exc.msg})") from None
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            raise ValueError("pseudonym table: unknown format or version")
        table = cls()
        for entry in data.get("entries", []):
            table._load_entry(entry)
        counters = data.get("counters", {})
        if not isinstance(counters, dict) or not all(isinstance(v, int) for v in counters.values()):
            raise ValueError("pseudonym table: bad counters")
        for kind, n in counters.items():
            table._counters[kind] = max(n, table._counters.get(kind, 0))
        return table

    def _load_entry(self, entry: Any) -> None:
        fields = ("placeholder", "kind", "value", "key")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in fields):
            raise ValueError("pseudonym table: bad entry")
        kind, placeholder = entry["kind"], entry["placeholder"]
        if kind not in KIND_LABELS:
            raise ValueError(f"pseudonym table: unknown kind {kind!r}")
        self._by_key[(kind, entry["key"])] = placeholder
        self._entries[placeholder] = (kind, entry["value"])
        number = re.search(r"(\d+)〕$", placeholder)
        if number:
            self._counters[kind] = max(self._counters.get(kind, 0), int(number.group(1)))


def masked_summary(counts: dict[str, int]) -> str:
    """Footer text for kind counts: 人名2件、電話番号1件をマスクして送信しました ("" when empty)."""
    order = [*_FOOTER_FIRST, *(k for k in KIND_LABELS if k not in _FOOTER_FIRST)]
    parts = [f"{PLACEHOLDER_NAMES[k]}{counts[k]}件" for k in order if counts.get(k)]
    return f"{'、'.join(parts)}をマスクして送信しました" if parts else ""
