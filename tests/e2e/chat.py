"""One person's chat with the bot in the Agents Playground, as the scenarios use it.

`Chat` wraps the page (`Browser`) with numbered screenshots and the checks every screenshot gets:
a screenshot of a bot message fails the test if Japanese in it is drawn as empty boxes, and notes
any other character without a glyph in `missing-glyphs.txt` (see README.md).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.browser import Browser, Message
from tests.e2e.stack import Service

CONSENT_BUTTON = "内容を確認し、同意する"
DEPARTMENT = "総務部 情報政策課"


def is_japanese(char: str) -> bool:
    """Kana, kanji, and the full-width forms Japanese text is written with."""
    name = unicodedata.name(char, "")
    return name.startswith(
        ("HIRAGANA", "KATAKANA", "CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "FULLWIDTH")
    ) or (
        0x3000 <= ord(char) <= 0x303F  # CJK punctuation: 、。「」
    )


@dataclass
class Chat:
    """The page, the processes behind it, and what the scenarios have done so far."""

    backend: str
    browser: Browser
    artifacts: Path
    bot: Service
    playground: Service
    consented: bool = False
    screenshots: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    outcomes: set[str] = field(default_factory=set)
    """Record outcomes the scenarios so far must have left (checked against `audit export`)."""
    charged: int = 0
    """Characters the answers so far said they used (「今回 N 文字」); the usage card must add up to it."""
    _count: int = 0

    @property
    def last_screenshot(self) -> str:
        """The newest screenshot (for failure messages)."""
        return self.browser.last_screenshot or "(none yet)"

    def shot(self, name: str, message: Message | None = None) -> str:
        """Numbered screenshot of the page (and of `message` alone, whose glyphs are checked)."""
        self._count += 1
        taken = self.browser.shot(f"{self._count:02d}-{name}", None if message is None else message.index)
        self.screenshots.extend(taken.values())
        if message is not None:
            self._check_glyphs(message, taken["message"])
        return taken["page"]

    def stream(self, final: str, *, after: int, name: str) -> list[dict[str, object]]:
        """Watch the newest answer until it contains `final`; numbered screenshots of the partial states."""
        self._count += 1
        states = self.browser.capture_stream(final, after=after, name=f"{self._count:02d}-{name}")
        self.screenshots.extend(str(s["shot"]) for s in states if s.get("shot"))
        return states

    def _check_glyphs(self, message: Message, screenshot: str) -> None:
        missing: list[str] = self.browser.call("missing_glyphs", index=message.index)
        for char in missing:
            self.missing.setdefault(char, []).append(screenshot)
        lines = [
            f"U+{ord(c):04X} {c} {unicodedata.name(c, '?')}: {', '.join(p)}" for c, p in self.missing.items()
        ]
        (self.artifacts / "missing-glyphs.txt").write_text(
            "\n".join(lines) + "\n" if lines else "", encoding="utf-8"
        )
        japanese = [c for c in missing if is_japanese(c)]
        assert not japanese, f"Japanese drawn as empty boxes: {''.join(japanese)!r}; see {screenshot}"

    def expect(self, condition: object, what: str) -> None:
        """Assert with the newest screenshot named in the message."""
        assert condition, f"{what}\n  last screenshot: {self.last_screenshot}"

    def answers_after(self, before: int) -> list[Message]:
        """Bot messages that arrived after `before` messages were on the page."""
        return self.browser.messages()[before:]

    def agree(self, card: Message) -> Message:
        """Fill in the department on the consent card and agree; returns the confirmation."""
        self.browser.fill(card.index, "所属", DEPARTMENT)
        self.browser.click(card.index, CONSENT_BUTTON)
        done = self.browser.wait_bot("同意を記録しました", after=card.index)
        self.consented = True
        return done

    def ensure_consent(self) -> None:
        """Agree on the consent card unless a scenario did it already (tests selected with -k)."""
        if not self.consented:
            self.agree(self.browser.wait_bot(CONSENT_BUTTON))
