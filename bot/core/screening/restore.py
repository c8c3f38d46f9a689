"""Streaming restore: put real values back into the model's answer as it arrives in chunks.

A placeholder can be split across chunks ("〔人" + "名1〕"), so the restorer holds back an
unterminated bracket at the end of what it has seen, up to `HOLD` characters (a bracket left
open longer than that is ordinary text and is released).
"""

from __future__ import annotations

from bot.core.screening.pseudonyms import PseudonymTable

HOLD = 16
_OPEN, _CLOSE = "〔［[", "〕］]"


class Restorer:
    """Restores placeholders in a stream of chunks."""

    def __init__(self, table: PseudonymTable) -> None:
        self._table = table
        self._pending = ""

    def feed(self, chunk: str) -> str:
        """Restored text that is safe to show now."""
        buffer = self._pending + chunk
        cut = _safe_cut(buffer)
        self._pending = buffer[cut:]
        return self._table.restore(buffer[:cut])

    def flush(self) -> str:
        """Whatever is still held back, restored (call at the end of the stream)."""
        rest, self._pending = self._pending, ""
        return self._table.restore(rest)


def _safe_cut(buffer: str) -> int:
    """Index of the earliest unterminated opening bracket within the last HOLD characters."""
    for i in range(max(0, len(buffer) - HOLD), len(buffer)):
        if buffer[i] in _OPEN:
            tail = buffer[i:]
            if not any(c in tail for c in _CLOSE) and "\n" not in tail:
                return i
    return len(buffer)
