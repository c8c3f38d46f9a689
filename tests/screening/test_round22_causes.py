"""Causes found by round 22 (an independent writer, scored unseen on 3 Dec 2026: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("協会けんぽ 記号41 番号220917 の方の資格喪失の案内", "health_insurance_number"),
        ("申込書の免許欄は 304512987611 と書いてある", "drivers_license"),
        ("振込先は常陽銀 水戸 普 5512093 で合ってる？", "bank_account"),
        ("店番 118 ｜ 科目 普通 ｜ No. 4402917 の行を整えて", "bank_account"),
    ],
)
def test_abbreviated_and_form_labels_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("DOB: 07 NOV 1975 on the passport copy", "07 NOV 1975"),
        ("OCR結果：生年月日 平成l年O3月2l日", "l年O3月2l日"),
        ("E-mail: k a t o . m i k i @ y a h o o . c o . j p", "y a h o o"),
        ("090-5531⏎-7720⏎（折り返し先、2行に分かれた）", "7720"),
    ],
)
def test_broken_dates_addresses_and_phones_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.MASK
    assert gone not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "限定配布の資料です。要点を3行で",
        "差押えをする予定の車両について、当日の段取りを",
        "協議会の答申案（第2稿）の表現を整えて",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "警察から照会が届いたときの一般的な対応ルールを教えて",
        "店番号とは何か、新人向けに説明して",
        "普通預金と当座預金の違いを教えて",
    ],
)
def test_general_questions_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]
