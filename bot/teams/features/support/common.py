"""What the support and incident features share: screening a text before it is posted, the admins.

A text typed for a channel (a question, an incident description) is screened exactly like text for
the model: block-class findings refuse it, mask-class findings are replaced by placeholders, and
confirm-class findings (possibly non-disclosable) refuse it too, because a channel is read by
many staff and there is no one to confirm with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.exits import Exit, Gate, ScreenedText
from bot.core.screening.summary import summary

__all__ = ["ALLOWED_ACTIONS", "Screened", "screen_for_posting"]

ALLOWED_ACTIONS = frozenset({"allow", "mask"})


@dataclass(frozen=True)
class Screened:
    """A text screened for posting: what may be posted, and what the records keep."""

    allowed: bool
    text: str  # the masked text when allowed, '' otherwise (never the refused text)
    masked: bool
    summary: Mapping[str, object]
    findings: tuple[Any, ...]
    stored: ScreenedText  # what storage may keep (the gate's text for Exit.STORAGE)

    @property
    def blocked(self) -> bool:
        """True when a block-class finding (an identifier such as a My Number) was found."""
        return any(str(getattr(f.action, "value", f.action)) == "block" for f in self.findings)


def screen_for_posting(gate: Gate, text: str) -> Screened:
    """Screen a text bound for a channel or storage (see the module docstring)."""
    result = gate.screener.screen(text)
    action = str(getattr(result.action, "value", result.action))
    allowed = action in ALLOWED_ACTIONS
    stored = gate.apply(text, result, Exit.STORAGE)
    masked_text = stored.text if allowed else ""
    return Screened(
        allowed, masked_text, allowed and masked_text != text, summary(result), tuple(result.findings), stored
    )
