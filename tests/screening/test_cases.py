"""The labelled suite (cases.jsonl, made by make_cases.py) and the shared dev set, scored like the scorer.

A case is protected when what would reach the model carries none of its sensitive spans: block
and confirm hold the message; mask must remove every span (also as NFKC text and as digits).
No leak is tolerated, every identifier must be blocked, and at most MAX_HELD_BACK benign cases
may be held back (they are printed).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from bot.core.screening import Action, Screener

HERE = Path(__file__).parent
DEV_SET = Path(__file__).parents[3] / "shared" / "eval" / "screening-dev.jsonl"
MAX_HELD_BACK = 2  # of ~190 benign cases; currently 0


def _cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _leaks(span: str, sent: str) -> bool:
    """Same rule as score_screening.py: the span, its NFKC form, or its digits (6+) appear."""
    norm = unicodedata.normalize("NFKC", span)
    sent_norm = unicodedata.normalize("NFKC", sent)
    sent_digits = "".join(c for c in sent_norm if c.isdigit())
    digits = "".join(c for c in norm if c.isdigit())
    if len(digits) >= 6 and digits in sent_digits:
        return True
    return any(v and not v.isdigit() and (v in sent or v in sent_norm) for v in (span, norm))


def _score(screener: Screener, cases: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    leaked, unblocked, held_back = [], [], []
    for case in cases:
        result = screener.screen(case["text"])
        line = f"{case['id']} expect={case['expect']} got={result.action.value}: {case['text'][:50]}"
        if case["expect"] == "allow":
            if result.action is not Action.ALLOW:
                held_back.append(line)
            continue
        protected = result.action in (Action.BLOCK, Action.CONFIRM) or (
            result.action is Action.MASK
            and bool(case["spans"])
            and not any(_leaks(s, result.masked_text) for s in case["spans"])
        )
        if not protected:
            leaked.append(f"{line} -> {result.masked_text[:60]}")
        if case["expect"] == "block" and result.action is not Action.BLOCK:
            unblocked.append(line)
    return leaked, unblocked, held_back


@pytest.mark.parametrize("path", [HERE / "cases.jsonl", DEV_SET], ids=["own-suite", "dev-set"])
def test_labelled_cases(iwaki: Screener, path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} not present")
    cases = _cases(path)
    leaked, unblocked, held_back = _score(iwaki, cases)
    for line in held_back:
        print("held back:", line)
    assert not leaked, "sensitive text would reach the model:\n" + "\n".join(leaked)
    assert not unblocked, "identifiers not blocked:\n" + "\n".join(unblocked)
    assert len(held_back) <= MAX_HELD_BACK, "too many benign cases held back:\n" + "\n".join(held_back)


def test_suite_is_large_and_covers_every_action() -> None:
    cases = _cases(HERE / "cases.jsonl")
    expects = {c["expect"] for c in cases}
    assert len(cases) >= 400
    assert expects == {"block", "mask", "confirm", "allow"}
    assert len({c["id"] for c in cases}) == len(cases)
