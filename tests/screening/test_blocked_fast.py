"""`Screener.blocked` is exactly `screen(text).with_action(BLOCK)`, found faster.

The exits (a reply in the caller's own chat, identifiers split over messages, the model's answer)
read only block-class findings, so `blocked` runs only the detectors that can produce one and screens
in full when it cannot be sure (a weak candidate, or a policy that makes another kind block-class).
These tests compare the two on every labelled case we have and on a stride sample of the red-team
rounds, under the built-in policies, a policy with forbidden terms, and policies that force the
full path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.policy import builtin_policies, load_policy
from bot.core.screening import Action, Finding, PseudonymTable, Screener, ScreeningPolicy

HERE = Path(__file__).parent
_STRIDE = 4  # every 4th red-team message: all rounds are still represented, the test stays short


def _texts() -> list[str]:
    cases = (HERE / "cases.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in cases if line.strip()]
    rounds = sorted((HERE / "redteam").glob("**/*.jsonl"))
    for path in rounds:
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        texts += [json.loads(line)["text"] for line in lines[::_STRIDE]]
    return texts


TEXTS = _texts()


def _full(screener: Screener, text: str) -> tuple[Finding, ...]:
    return screener.screen(text, PseudonymTable()).with_action(Action.BLOCK)


def _differences(
    screener: Screener, texts: list[str] = TEXTS
) -> list[tuple[str, tuple[Finding, ...], tuple[Finding, ...]]]:
    out = []
    for text in texts:
        full, fast = _full(screener, text), screener.blocked(text)
        if full != fast:
            out.append((text[:80], full, fast))
    return out


def test_the_sample_holds_identifiers_and_enough_texts() -> None:
    """The comparison means something only if the texts hold many block-class findings."""
    screener = Screener(load_policy("iwaki").screening)
    with_block = sum(1 for text in TEXTS[::3] if screener.blocked(text))
    assert len(TEXTS) > 1500
    assert with_block > 100


@pytest.mark.parametrize("city", builtin_policies())
def test_blocked_equals_full_screening_for_each_city(city: str) -> None:
    assert _differences(Screener(load_policy(city).screening)) == []


def test_blocked_equals_full_screening_with_forbidden_terms() -> None:
    """A policy's block_terms are found by the signal detector, which then runs in `blocked` too."""
    policy = ScreeningPolicy.from_mapping({"block_terms": ["プロジェクトK", "基幹系"]})
    screener = Screener(policy)
    assert screener.blocked("基幹系のパスワード再設定の手順を教えて")  # the term itself is found
    assert _differences(screener) == []


@pytest.mark.parametrize("kind", ["phone", "person_name", "confidential"])
def test_a_policy_that_blocks_another_kind_screens_in_full(kind: str) -> None:
    """Where another detector's kind is block-class, `blocked` takes the full path (and agrees)."""
    screener = Screener(ScreeningPolicy.from_mapping({"actions": {kind: "block"}}))
    text = {
        "phone": "折り返しは 090-1234-5678 へお願いします",
        "person_name": "担当の佐藤花子です。よろしくお願いします",
        "confidential": "開札前の予定価格は 12,345,000 円です",
    }[kind]
    found = screener.blocked(text)
    assert found == _full(screener, text)
    assert any(f.kind == kind for f in found)
    assert _differences(screener, TEXTS[::10]) == []


def test_a_weak_candidate_is_resolved_as_in_full_screening(iwaki: Screener) -> None:
    """A 12-digit number with only a check digit for it yields to the other detectors' reading."""
    texts = [
        "代表電話 0246-22-1111、受付番号 123456789018 の件",
        "123456789018",
        "口座 1234567 と 123456789018 を確認",
    ]
    for text in texts:
        assert iwaki.blocked(text) == _full(iwaki, text)
