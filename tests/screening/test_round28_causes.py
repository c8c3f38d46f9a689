"""Causes found by round 28 (an independent writer, scored unseen on the final engine of 3 Dec 2026,
session 13: see the README and tests/screening/redteam/heldout/README.md), each fixed in the rules
and checked here on sentences written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a log's or a form's key for the card number
        ("決済エラーの記録⏎cardNumber=5105105105105100⏎result=NG⏎原因を推測して", "payment_card"),
        ("cc_num: 4111 1111 1111 1111 のエラーは何？", "payment_card"),
        # "licence" alone right before the number
        ("Rental agreement: driver Ken Ito, licence 30 1234 5678 90", "drivers_license"),
    ],
)
def test_identifiers_after_log_keys_and_bare_words_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    "text",
    [
        "営業許可 licence 2024-001 の更新手続きを教えて",
        "card_type: VISA の時の表示文言を考えて",
    ],
)
def test_other_numbers_after_the_same_words_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("D.O.B: H040229 の方の年金相談", "H040229"),
        ("Patient D.O.B. 1979-11-30, please translate the form", "1979-11-30"),
        # a date alone in brackets after a person's name, outside any roster
        ("小野寺　健一（昭和58年6月3日）の住民票の写しの請求", "昭和58年6月3日"),
        # a name in capitals after a verb that meets or calls a person
        ("Yesterday I visited SAITO KAORI at home about the allowance.", "SAITO KAORI"),
        # a Japanese word for the person before a Latin-letter name
        ("相談者：Nguyen Thi Lan（ベトナム語通訳あり）", "Nguyen Thi Lan"),
        ("元住民 GURUNG ANITA からの問い合わせ", "GURUNG ANITA"),
    ],
)
def test_birth_dates_and_names_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    assert gone not in screen(iwaki, text).masked_text


@pytest.mark.parametrize(
    "text",
    [
        "定例会 資料（令和7年3月14日）の誤字を直して",
        "研修 日程（2025年5月1日）を案内文にして",
        "利用者 Microsoft Teams の使い方を簡単に",
        "We met TOKYO CITY officials last year; write a thank-you note.",
    ],
)
def test_events_and_products_next_to_the_same_shapes_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        # a matter told to be heading one way (…流れになってる) is not a question about how things go
        "まだ内々だけど、公園の指定管理を地元のNPOに任せる流れになってる。準備することを並べて",
        "随意契約の相手はK建設に決まる流れです。契約までの事務を整理して",
        # members divided; the secretariat's own draft in brackets
        "委員会の報告書（事務局素案）です。賛否が分かれているので両論を並べた形にして",
        # a matter still debated, told in English
        "We're still discussing whether to raise the nursery fees next April. Summarise the options.",
        # neglect told in plain English
        "A neighbour says the 6-year-old girl next door is often in the same clothes and looks hungry."
        " Write up the call.",
    ],
)
def test_confidential_matters_in_other_words_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "入札から契約までの一般的な流れを教えて",
        "審議会で意見が割れた場合の一般的な進め方は？",
        "How should staff respond in general when a child comes to school without lunch?",
    ],
)
def test_general_questions_about_the_same_words_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]
