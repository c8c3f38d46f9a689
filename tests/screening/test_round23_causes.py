"""Causes found by round 23 (an independent writer, scored unseen on 3 Dec 2026: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("確認書類：運免 304512987611（更新済み）", "drivers_license"),
        ("Health insurance card No. 40518273 — is it still valid?", "health_insurance_number"),
        ("口座番号の記入欄⏎[3390][172]⏎名義人は本人", "bank_account"),
    ],
)
def test_short_english_and_boxed_labels_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("生年月日⏎1981⏎11⏎3⏎（申請書の枠ごとに読み取り）", "11\n3"),
        ("アドレスは「hiro.k77」アットマーク「ezweb.ne.jp」とのこと", "ezweb"),
        ("Please reply to Haruka SUGAWARA about the bus pass.", "SUGAWARA"),
    ],
)
def test_boxed_dates_quoted_halves_and_capital_surnames_are_masked(
    iwaki: Screener, text: str, gone: str
) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.MASK
    assert gone not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "Please send the PDF to the JAPAN desk.",
        "代表の公式メール info@city.example.lg.jp の案内文",
        "作業の流れを図にまとめて",
    ],
)
def test_acronyms_office_mailboxes_and_diagrams_pass(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is Action.ALLOW


@pytest.mark.parametrize(
    "text",
    [
        "表に出る前に、保育園の統合案を一覧にしておきたい",
        "外に出したくない話ですが、プールの水質が基準を超えた日がありました",
        "評議員会前の買取価格案を整理して",
        "係争中の損害賠償請求、準備書面の構成を考えて",
        "Our walk-away price for the land is 40 million yen. Draft talking points.",
    ],
)
def test_confidential_matters_in_plain_words_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]
