"""Causes found by round 15 (an independent writer, scored before any change: see
tests/screening/redteam/next/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.policy import load_policy
from bot.core.screening import Action, PseudonymTable, Screener, ScreeningResult


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(load_policy("iwaki").screening)


def screen(screener: Screener, text: str) -> ScreeningResult:
    return screener.screen(text, PseudonymTable())


BLOCKED = [
    ("住民票の）81726354019 の桁が足りるか確認して", "81726354019"),  # bare 住民票 before the code's shape
    ("年金 4417 902315 の照会文を作って", "4417 902315"),  # 4-6 shape with a space
    ("第 5102 3388 4410 号（運転経歴証明書）を確認した", "5102 3388 4410"),
    ("menkyo 5102 3388 4410 is written on the copy", "5102 3388 4410"),
    ("氏名,生年月日,個人番号\n,,1127\n,,5622\n,,2107", "1127"),  # a My Number down a column
]


@pytest.mark.parametrize(("text", "value"), BLOCKED)
def test_identifier_labels_and_layouts_block(screener: Screener, text: str, value: str) -> None:
    result = screen(screener, text)
    assert result.action is Action.BLOCK
    assert value not in result.masked_text


def test_a_column_of_short_values_is_not_joined_without_a_valid_check_digit(screener: Screener) -> None:
    text = "職員番号,個人番号下4桁\nA01,1234\nA02,5678\nA03,9013"
    assert not [f for f in screen(screener, text).findings if f.kind == "my_number"]


GENERAL = [
    "入札談合等関与行為防止法って職員に何を求めてる？",
    "予定価格と最低制限価格って何が違うの？入札の基礎を3行で",
    "住民監査請求と住民訴訟の関係を図で説明する文章",
    "「ここだけの話」って言われたときに職員としてどう受け止めるべき？一般論で",
    "職員が飲酒運転で検挙された場合の懲戒処分の一般的な基準は？",
    "What is an engineer's estimate in public procurement, in general?",
]


@pytest.mark.parametrize("text", GENERAL)
def test_definitional_questions_about_a_topic_pass(screener: Screener, text: str) -> None:
    assert screen(screener, text).action is Action.ALLOW


CASES = [
    "The engineer's estimate for the Oda river dredging is ¥41.2M; bids open on the 12th. Check the totals.",
    "The answer key for the October clerical recruitment exam: please proofread question 3.",
    "A clerk told me privately that overtime sheets are being altered. What should I do first?",
    "監査結果報告書（案）の総括。「一部に不適切な処理」とした理由を補って",
    "酒気帯びで検挙された職員（税務課）の処分案を整理して",
]


@pytest.mark.parametrize("text", CASES)
def test_specific_matters_in_other_words_are_held(screener: Screener, text: str) -> None:
    assert screen(screener, text).action is Action.CONFIRM


MASKED = [
    ("好間町上好間字小館 14 に住む方", "小館 14"),  # a 字 name ending in 館 is not a facility
    ("市営 みどり団地 C棟 2F-5 の方から相談", "2F-5"),
    ("合格者\n1 星 一輝\n2 須藤 あかね", "あかね"),
    ("Park Ji-young and Choi Yu-na attended", "young"),
    ("宛先：sato.k@example.org; kimura-t@example.org", "kimura-t@example.org"),
]


@pytest.mark.parametrize(("text", "gone"), MASKED)
def test_personal_data_in_these_shapes_is_masked(screener: Screener, text: str, gone: str) -> None:
    result = screen(screener, text)
    assert result.action is Action.MASK
    assert gone not in result.masked_text


def test_a_name_is_not_extended_over_a_following_word(screener: Screener) -> None:
    result = screen(screener, "担当の佐藤 まで連絡してください")
    assert "まで連絡" in result.masked_text
