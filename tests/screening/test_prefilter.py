"""The first-character guard finds exactly what the unguarded pattern finds."""

from __future__ import annotations

import random
import re

import pytest

from bot.core.screening.detectors.labels import compile_labels
from bot.core.screening.prefilter import first_chars, guarded, literal_filter

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


def _lexicon_patterns() -> list[re.Pattern[str]]:
    from bot.core.screening.detectors.meaning import load_lexicon  # noqa: PLC0415 (loads Sudachi)

    lex = load_lexicon()
    return [*lex.specific, *lex.topic, lex.euphemisms, *(p for _, a, b in lex.pairs for p in (a, b))]


def test_literal_filter_never_rejects_a_text_the_pattern_matches() -> None:
    """Exact by construction; checked on every cue of the lexicon over the suite's and the red-team
    rounds' texts (not the frozen set), and on random strings of the literals' own characters."""
    import json  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    here = Path(__file__).parent
    files = [here / "cases.jsonl", *sorted((here / "redteam").glob("round*.jsonl"))]
    texts = [
        json.loads(line)["text"] for f in files for line in f.read_text(encoding="utf-8").splitlines() if line
    ]
    rnd = random.Random(5)
    filtered = 0
    for pattern in _lexicon_patterns():
        needs = literal_filter(pattern)
        if needs is None:
            continue
        filtered += 1
        alphabet = "".join(
            {*"".join(needs.plain + needs.folded), *"0123456789 、。\nAaKk\u212a\u017f\u0130\u0131"}
        )
        extra = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(200)]
        for text in texts + extra:
            if pattern.search(text):
                assert needs.may_match(text), (pattern.pattern, text)
    assert filtered >= 40  # most cues have a literal every match contains


@pytest.mark.parametrize(
    ("source", "matching", "other"),
    [
        (r"[0-9]+ ?(?:歳|才)", "14 歳", "14 年"),
        (r"(?i:staff only)", "STAFF \u212aNLY".replace("\u212a", "O"), "stuff only"),
        (r"(?i:ask)", "a\u017f\u212a", "aqk"),
        (r"(?:この|例の)件", "例の件", "その件"),
        (r"(?i:\b(?:mr|ms)\.? [A-Z])", "Mr. T", "Dr. T"),
    ],
)
def test_literal_filter_examples(source: str, matching: str, other: str) -> None:
    pattern = re.compile(source)
    needs = literal_filter(pattern)
    assert needs is not None
    assert pattern.search(matching)
    assert needs.may_match(matching)
    assert not pattern.search(other)
    assert not needs.may_match(other)


def test_no_literal_filter_when_a_match_needs_no_literal() -> None:
    for source in (r"[0-9]+", r"(?:abc|[^x]+)", r"a?b?", r"(?i:é)"):
        assert literal_filter(re.compile(source)) is None
