"""Causes found when rounds 13, 15, 16 and 17 joined the learned models' training (2 Dec 2026, see
tests/screening/redteam/next/README.md): benign cases of our own suite the retrained model or the
rules newly held, and a round 14 identifier behind an English label. Each fixed in the rules and
checked here on sentences written for this file, not the suites' own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, PseudonymTable, Screener


@pytest.mark.parametrize(
    "text",
    [
        # a checklist or the points to check, asked of the work in general
        "記者発表の前に確認すべき点をチェックリストにして",
        "入札公告を公開前に見直すときのチェックリストを作って",
        # what sets kinds of work apart, with the ordinance's own categories listed
        "交渉、契約、試験の各事務の特徴をそれぞれ2行で",
        # a letter or notice addressed to a group, not a person
        "Dear Parents, the school trip leaflet is attached.",
        "Hi everyone, the pool opens on Saturday.",
        "Dear Citizens, the tax office will close early on Friday.",
    ],
)
def test_general_work_and_group_greetings_pass(iwaki: Screener, text: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.ALLOW, [(f.kind, text[f.start : f.end]) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "Dear Kenta, thanks for the form.",
        "Dear Mr. Okubo, your application was received.",
    ],
)
def test_a_greeted_person_is_still_masked(iwaki: Screener, text: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.MASK
    assert any(f.kind == "person_name" for f in result.findings)


@pytest.mark.parametrize(
    "text",
    [
        "her resident registry code is 47201938265, can I write it on the memo?",
        "Resident Registration Code: 47201938265",
    ],
)
def test_a_resident_code_behind_an_english_label_is_blocked(iwaki: Screener, text: str) -> None:
    result = iwaki.screen(text, PseudonymTable())
    assert result.action is Action.BLOCK
    assert any(f.kind == "resident_code" for f in result.findings)


def test_a_checklist_about_a_particular_case_still_asks(iwaki: Screener) -> None:
    text = "この案件の予定価格（開札前）をチェックリストに書き込んで"
    assert iwaki.screen(text, PseudonymTable()).action is Action.CONFIRM
