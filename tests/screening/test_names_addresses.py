"""Names and addresses in the contexts issue 10 lists; one person, one placeholder. New examples."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, PseudonymTable, Screener


def _masked(screener: Screener, text: str) -> str:
    result = screener.screen(text)
    assert result.action in (Action.MASK, Action.ALLOW)
    return result.masked_text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("係長 津久井 に確認してから返信します", "津久井"),  # title before the name
        ("主査 大和田 章 と打ち合わせ", "大和田"),
        ("納税課の宍戸です。督促の案内文を作ってください", "宍戸"),  # self-introduction
        ("わたくし、市民課の舘野と申します。", "舘野"),
        ("[09:15] 蛭田: 資料届きました\n[09:16] 猪狩: 了解", "蛭田"),  # chat speakers
        ("そうすけくん（4歳）の保護者から電話", "そうすけ"),  # hiragana given name
        ("長女・ひなた（小1）の転校手続き", "ひなた"),
        ("My name is Rafael Mendes and I moved here last week.", "Rafael Mendes"),
        ("出席者：鯨岡、猪狩、蛭田（敬称略）", "鯨岡"),  # a list after a colon
    ],
)
def test_names_in_context_are_masked(screener: Screener, text: str, name: str) -> None:
    assert name not in _masked(screener, text)


def test_a_csv_of_surnames_and_given_names(screener: Screener) -> None:
    text = "姓,名,係\n鯨岡,まどか,庶務\n猪狩,健吾,会計\n姓と名を結合したい"
    masked = _masked(screener, text)
    for value in ("鯨岡", "まどか", "猪狩", "健吾"):
        assert value not in masked


def test_one_person_one_placeholder(screener: Screener) -> None:
    table = PseudonymTable()
    result = screener.screen("相談者 蛭田 和明 さん。蛭田さんは来週も来庁予定。ヒルタ カズアキ 様宛", table)
    names = {f.placeholder for f in result.findings if f.kind == "person_name"}
    assert "蛭田" not in result.masked_text
    assert names == {"〔人名1〕"}, names


def test_the_footer_counts_this_message_only(screener: Screener) -> None:
    table = PseudonymTable()
    screener.screen("佐藤さんと田中さんと鈴木さん", table)
    second = screener.screen("田中さんへの返信", table)
    assert second.masked_counts() == {"person_name": 1}
    assert table.kind_counts() == {"person_name": 3}


@pytest.mark.parametrize(
    "text",
    [
        "宮沢賢治の童話をもとに読み聞かせの台本を",
        "記入例：氏名 山田 花子、生年月日 平成2年1月1日",
        "『サザエさん』のカツオくんみたいなキャラで交通安全の呼びかけを",
    ],
)
def test_figures_characters_and_specimens_are_left_alone(screener: Screener, text: str) -> None:
    assert screener.screen(text).action is Action.ALLOW


def test_housing_estate_rooms_without_a_city(screener: Screener) -> None:
    masked = _masked(screener, "みどり台団地7号棟412号室の方から水漏れの連絡")
    assert "412" not in masked
    assert "412" not in _masked(screener, "市営 青葉団地 7-412 の入居者から苦情")


def test_an_area_down_to_chome_and_office_addresses_stay(screener: Screener) -> None:
    assert screener.screen("平五丁目周辺で夏祭りを開きます").action is Action.ALLOW
    assert screener.screen("〒970-8686 いわき市平字梅本21 いわき市役所").action is Action.ALLOW


def test_phone_numbers_in_pieces_and_read_out(screener: Screener) -> None:
    assert "8810" not in _masked(screener, "携帯は 080 の 4455 の 8810 です")
    assert "8810" not in _masked(screener, "折り返しは\n080\n4455\n8810\nまで")
    assert screener.screen("市民課（代表）0246-22-1111 にお問い合わせください").action is Action.ALLOW


def test_a_one_kanji_noun_after_no_is_not_a_self_introduction() -> None:
    from bot.core.screening import Action, Screener, ScreeningPolicy  # noqa: PLC0415

    screener = Screener(ScreeningPolicy())
    assert screener.screen("対象は転入の手続きに来た市民の方です。案内文を").action is Action.ALLOW
    assert screener.screen("担当の鬼頭です。折り返しの文面を").action is Action.MASK
