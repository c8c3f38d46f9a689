"""Round 10 causes in the mask class and the benign side (names, addresses, phones, tables of
numbers): each test uses new sentences of its own, none copied from a red-team round.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from bot.core.screening.checkdigits import luhn_ok, my_number_ok


def _my_number(first11: str) -> str:
    """`first11` completed with its My Number check digit."""
    return next(first11 + d for d in "0123456789" if my_number_ok(first11 + d))


def _not_my_number(first11: str) -> str:
    return next(first11 + d for d in "0123456789" if not my_number_ok(first11 + d))


def _card(first15: str) -> str:
    return next(first15 + d for d in "0123456789" if luhn_ok(first15 + d))


def _groups(number: str, sep: str) -> str:
    return sep.join(number[k : k + 4] for k in range(0, len(number), 4))


def _kinds(screener: Screener, text: str) -> set[str]:
    return {f.kind for f in screener.screen(text).findings}


# --- a table row of values is not one number ------------------------------------------------------

_VALID = _my_number("38150972664")
_OTHER = _not_my_number("52093817465")
_SECOND = _my_number("61720493815")


@pytest.mark.parametrize("sep", [" ", "\t", " | ", ",", "、"])
def test_values_in_the_year_columns_of_a_row_are_not_one_my_number(iwaki: Screener, sep: str) -> None:
    text = (
        "転入者数の推移を折れ線に\n"
        + sep.join(("区分", "2022", "2023", "2024"))
        + "\n"
        + sep.join(("転入", _groups(_VALID, sep)))
        + "\n"
        + sep.join(("転出", _groups(_OTHER, sep)))
    )
    assert iwaki.screen(text).action is Action.ALLOW


def test_a_card_valid_reading_across_four_year_columns_is_not_a_card(iwaki: Screener) -> None:
    number = _card("451837206419553")
    text = f"来館者数（館別）\n館名 | 2021 | 2022 | 2023 | 2024\n中央館 | {_groups(number, ' | ')}"
    assert "payment_card" not in _kinds(iwaki, text)
    assert iwaki.screen(text).action is not Action.BLOCK


def test_a_statistics_table_with_word_columns_is_values_when_its_rows_disagree(iwaki: Screener) -> None:
    text = f"地区別の人数\n地区 男 女 計\n内郷 {_groups(_VALID, ' ')}\n好間 {_groups(_OTHER, ' ')}"
    assert iwaki.screen(text).action is Action.ALLOW


@pytest.mark.parametrize(
    "text",
    [
        # the header spans the three cells: one number per row
        f"転記用\n氏名,個人番号,,\n山川 さとみ,{_groups(_VALID, ',')}\n並べ替えて",
        f"転記用\n氏名、個人番号、、\n山川 さとみ、{_groups(_VALID, '、')}\n並べ替えて",
        # the headers name pieces of one number
        f"転記用\n氏名\t前4桁\t中4桁\t後4桁\n山川 さとみ\t{_groups(_VALID, chr(9))}",
        # a label cell before the values in the row
        f"確認\n区分 2022 2023 2024\nマイナンバー {_groups(_VALID, ' ')}",
        # a single row under word headers, and a roster whose every row is valid
        f"控え\n氏名 区分 備考 メモ\n山川 {_groups(_VALID, ' ')}",
        f"控え\n氏名 区分 備考 メモ\n山川 {_groups(_VALID, ' ')}\n谷口 {_groups(_SECOND, ' ')}",
        # no grid at all: a number read out over lines
        f"聞き取りメモ\n{_VALID[:4]}\n{_VALID[4:8]}\n{_VALID[8:]}\nこれで正しいか確認したい",
    ],
)
def test_a_number_the_table_itself_makes_one_is_still_blocked(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.BLOCK


# --- addresses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "地方税法18条の2（時効）の読み方を易しく説明して",
        "施行令第4条の3と4条の5の違いを表にまとめて",
        "住所の書き方（2丁目3番4号／2-3-4）を揃えるマクロを作りたい",
    ],
)
def test_an_article_number_or_a_notation_example_is_no_address(iwaki: Screener, text: str) -> None:
    assert "address" not in _kinds(iwaki, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("不法投棄の連絡、現場は5丁目14-9の空き地の前。回収依頼の文を", "5丁目14-9"),
        ("自宅は札幌市北区北12条西4丁目の角です", "条西4丁目"),
    ],
)
def test_a_block_and_lot_without_a_town_is_still_an_address(iwaki: Screener, text: str, value: str) -> None:
    result = iwaki.screen(text)
    assert "address" in _kinds(iwaki, text)
    assert value not in result.masked_text


# --- public numbers in lists of facilities, an office's note after a number -----------------------


def test_phone_cells_of_facility_rows_are_left(iwaki: Screener) -> None:
    text = "一覧を整形して\n|名称|電話|\n|北部体育館|0246-35-2201|\n|南公民館|0246-58-4410|"
    assert iwaki.screen(text).action is Action.ALLOW


def test_phone_cells_of_people_and_mobiles_are_still_masked(iwaki: Screener) -> None:
    people = "連絡網\n|氏名|電話|\n|松浦 ひかる|0246-35-8812|"
    assert iwaki.screen(people).action is Action.MASK
    mobile = "一覧\n|名称|電話|\n|北部体育館|080-4417-2290|"
    assert "phone" in _kinds(iwaki, mobile)


def test_a_number_noted_as_the_main_line_is_left(iwaki: Screener) -> None:
    text = "粗大ごみの受付は（0246-37-1200、代表から転送）です。案内文にして"
    assert "phone" not in _kinds(iwaki, text)


# --- names ---------------------------------------------------------------------------------------------


def test_role_words_under_a_name_header_are_not_names(iwaki: Screener) -> None:
    text = "続柄の欄を揃えて\n氏名\t書き方\n世帯主\t姓名を全部書く\n配偶者\t姓も書く"
    assert "person_name" not in _kinds(iwaki, text)
    real = "名簿\n氏名\t学年\n浦野 まどか\t3年"
    assert "person_name" in _kinds(iwaki, real)


def test_a_mascot_is_not_a_person(iwaki: Screener) -> None:
    text = "町のマスコット「いわきちゃん」の自己紹介文を考えて"
    assert "person_name" not in _kinds(iwaki, text)


def test_a_one_character_surname_with_a_known_given_name_and_said_again_alone(iwaki: Screener) -> None:
    text = "連絡：梁 雅美（市民協働課）より、会議室の変更です。梁までお返事ください。"
    result = iwaki.screen(text)
    assert "梁" not in result.masked_text
    placeholders = {f.placeholder for f in result.findings if f.kind == "person_name"}
    assert len(placeholders) == 1
