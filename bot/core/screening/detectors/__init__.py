"""Detectors: each finds one family of things in the normalised views and reports `Hit`s.

A detector is built once per policy (it compiles what it needs) and is then called for every
text with the same `Views`. Hits carry ORIGINAL offsets; the engine resolves overlaps, applies the
policy's actions and builds findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from bot.core.screening.analyser import Tok, tokens
from bot.core.screening.model import Action
from bot.core.screening.normalize import NormText, normalize, numeric_view


@dataclass(frozen=True)
class Hit:
    """Something a detector found: kind, original span and the value key used for pseudonyms."""

    kind: str
    start: int
    end: int
    key: str
    action: Action | None = None  # None: the policy's action for the kind
    category: str = ""
    signal: str = ""
    weak: bool = False  # evidence is a check digit only: yields to any overlapping strong hit


class Views:
    """The original text and its normalised views, computed once per screening."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.base: NormText = normalize(original)

    @cached_property
    def tokens(self) -> list[Tok]:
        """SudachiPy tokens of the base view (shared by the name and meaning detectors)."""
        return tokens(self.base.text)

    @cached_property
    def num(self) -> NormText:
        """The numeric view (kanji numerals as digits)."""
        return numeric_view(self.base)


class Detector(Protocol):
    """Finds one family of things."""

    def detect(self, views: Views) -> list[Hit]:
        """Hits in `views`, with original offsets."""
        ...


def voice_input(text: str) -> bool:
    """A message typed by voice and left in kana: no kanji, and nearly every letter a kana, with
    spaces between the phrases (こんどの けんしゅうの あんないぶんを…)."""
    if " " not in text and "\u3000" not in text:
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters or any("\u3400" <= c <= "\u9fff" for c in letters):
        return False
    kana = sum("\u3041" <= c <= "\u30ff" for c in letters)
    return kana >= 0.9 * len(letters)


SENTENCE_ENDS = "。\n!?！？"


def sentence_start(text: str, pos: int) -> int:
    """Where the sentence containing `pos` starts: just after the last 。/line break/!/? before it.

    (`rfind` per character instead of scanning every sentence end from the start of the text: this
    is asked for every signal word and every name.)"""
    return max(text.rfind(c, 0, pos) for c in SENTENCE_ENDS) + 1


def hit_from(
    view: NormText,
    kind: str,
    span: tuple[int, int],
    key: str,
    *,
    action: Action | None = None,
    category: str = "",
    signal: str = "",
    weak: bool = False,
) -> Hit:
    """A Hit for the normalised span of `view`."""
    start, end = view.span(*span)
    return Hit(kind, start, end, key, action=action, category=category, signal=signal, weak=weak)
