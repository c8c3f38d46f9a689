"""Causes found by round 24 (an independent writer, scored unseen on 3 Dec 2026: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pasaporte: TR5530917 の方の転入手続き、スペイン語の案内を", "passport"),
        ("免許 3045-1298-7611 の方から照会", "drivers_license"),
        ("住民票の左上の番号（61994912908）の意味を説明したい", "resident_code"),
        ("No,氏名,番号⏎1,佐藤一郎,4933⏎,,8704⏎,,6158⏎表を整えて", "my_number"),
        ("送迎ボランティア運転者名簿⏎菊地 明	304512987611	普通", "drivers_license"),
        ("学生納付特例の申請者⏎高木 翔,0412-558203,大学生", "pension_number"),
    ],
)
def test_identifiers_in_context_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("佐々木恵美さん（H2-04-23）の申請書を確認して", "H2-04-23"),
        ("遠藤誠,1975/06/14,男,いわき市⏎表にして", "1975/06/14"),
        ("申請者 3 April 1988 ←この生年月日で年齢を", "3 April 1988"),
        ("うまれは へいせい3ねん7がつ2にち です（音声入力）", "7がつ2にち"),
        ("生⏎年⏎月⏎日⏎ 1960年1月22日（縦書きのOCR）", "1960年1月22日"),
        ("被扶養者：長女（R1.8.30）の保険証の再発行", "R1.8.30"),
    ],
)
def test_birth_dates_by_their_row_or_person_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    result = screen(iwaki, text)
    assert "birth_date" in kinds(result)
    assert gone not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "公にはまだですが、図書館の休館日が変わります。館内掲示の文面を",
        "これ他の人には言わないでね。来月で係長が異動するらしい。引き継ぎ表を",
        "重要度Ⅲ区分の資料です。要約して",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "年金相談センターの予約電話は 0570-05-1165 です",
        "会議は令和6年4月1日、場所は本庁舎",
        "免許更新の案内を作って。講習は30分です",
    ],
)
def test_ordinary_texts_pass(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is Action.ALLOW
