"""The red-team sets written by people who never read the code: the issue's targets must hold.

A regression in any detector that lets an identifier through, leaks a sensitive message or holds
back harmless ones fails here. Reproduce the figures with

    python -m tests.screening.redteam.score tests/screening/redteam/round1.jsonl \
        tests/screening/redteam/round2.jsonl tests/screening/redteam/round3.jsonl \
        tests/screening/redteam/round4.jsonl tests/screening/redteam/round5.jsonl \
        tests/screening/redteam/round6.jsonl tests/screening/redteam/round7.jsonl \
        tests/screening/redteam/round8.jsonl

Round 3 was scored unseen first (identifiers blocked 90.1 %, sensitive leaked 14.1 %, benign held
3.7 %, benign masked 1.6 %), then fixed by cause; the targets hold on it, so it is asserted like
the others. Rounds 4 and 5 likewise (unseen: 93.5 / 19.3 / 4.0 / 9.7 % and 91.1 / 14.7 / 2.7 /
7.6 %; both scored before any fix learned from either), then fixed by cause
(tests/screening/test_round45_causes.py). Round 6 likewise (unseen: 96.8 / 15.1 / 0.0 / 5.5 %),
fixed by cause in tests/screening/test_round6_causes.py. Rounds 7 (pasted work material) and 8
(short hurried messages) likewise (unseen on main: 98.9 / 6.9 / 6.7 / 15.1 % and 90.5 / 18.1 /
1.1 / 3.9 %), fixed by cause in tests/screening/test_round78_names.py and test_round78_conf.py.
The frozen held-out set is not asserted here: no fix is tuned on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.screening import Screener
from tests.screening.redteam.score import TARGETS, load_cases, render, score

SETS = sorted((Path(__file__).parent / "redteam").glob("round*.jsonl"))


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_targets_hold_on_the_red_team_set(iwaki: Screener, path: Path) -> None:
    cases = load_cases([path])
    assert len(cases) >= 400, "a red-team round has at least 400 cases"
    report = score(iwaki, cases)
    assert not report.failures(), render(report, show_wrong=True)


def test_every_case_is_labelled_with_a_kind_and_an_expectation() -> None:
    for case in load_cases(SETS):
        assert case["expect"] in ("block", "mask", "confirm", "allow"), case["id"]
        assert case.get("kind"), case["id"]
        if case["expect"] == "mask":
            assert case["spans"], f"{case['id']}: a mask case names what must not reach the model"


def test_the_scorer_applies_the_shared_rule(iwaki: Screener) -> None:
    cases = [
        {
            "id": "a",
            "text": "個人番号 246813579021",
            "expect": "block",
            "spans": ["246813579021"],
            "kind": "x",
        },
        {"id": "b", "text": "佐藤さんへ", "expect": "mask", "spans": ["佐藤"], "kind": "y"},
        {"id": "c", "text": "市民まつりの案内", "expect": "allow", "spans": [], "kind": "z"},
    ]
    report = score(iwaki, cases)
    assert report.targets == {
        "identifiers_blocked": 1.0,
        "sensitive_leaked": 0.0,
        "benign_held": 0.0,
        "benign_masked": 0.0,
    }
    assert set(TARGETS) == set(report.targets)
    assert [row[0] for row in report.kind_rows()] == ["x", "y", "z"]
