"""The first-character guard finds exactly what the unguarded pattern finds."""

from __future__ import annotations

import random
import re

import pytest

from bot.core.screening.detectors.labels import compile_labels
from bot.core.screening.prefilter import first_chars, guarded

PATTERNS = [
    r"(?:きそ)?ねんきん|[Mm]y ?[Nn]umber|〒|(?<![A-Za-z])VISA(?![A-Za-z])",
    r"(?i:kojin[_ -]?bango|insured)|口座",
    r"(?m)^[ \t]*(?:氏名|名前|(?i:name))[:：]",
    r"ここだけ(?:の話|にして)|(?:通知|公表)(?:の)?前|(?i:off the record)",
]


@pytest.mark.parametrize("source", PATTERNS)
def test_first_chars_cover_every_match_start(source: str) -> None:
    pattern = re.compile(source)
    chars = first_chars(pattern)
    if chars is None:
        pytest.skip("unbounded first character: left unguarded")
    # every BMP character that can begin a match must be in the set (K = U+212A, ſ under IGNORECASE)
    tails = ("ojin bango", "nsured", "ねんきん", "y number", "ISA", "ame:", "こだけの話", "ff the record")
    for tail in tails:
        for code in range(0x20, 0x10000):
            if 0xD800 <= code < 0xE000:
                continue
            if pattern.match(chr(code) + tail):
                assert chr(code) in chars, (hex(code), source)


def test_unbounded_patterns_are_left_alone() -> None:
    for source in (r"\d+番", r"[^a]b", r".x", r"a?"):
        pattern = re.compile(source)
        assert guarded(pattern) is pattern


def test_guarded_label_pattern_finds_the_same_labels() -> None:
    pattern = compile_labels(["宛名番号", "Case No"])
    assert pattern.pattern.startswith("(?=[")
    plain = re.compile(pattern.pattern.split("])(?:", 1)[1][:-1])
    rnd = random.Random(3)
    alphabet = "個人番号マイナンバー口座普通支店基礎年金被保険者証kojinBANGOVisa受付No.：: 0123456789"
    alphabet += "abcK\u212a\u017f〒"
    for _ in range(400):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(5, 60)))
        got = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
        want = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
        assert got == want, text
