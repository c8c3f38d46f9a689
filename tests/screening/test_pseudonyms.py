"""Pseudonym table: stable placeholders, restore, serialisation, footer text."""

from __future__ import annotations

import pytest

from bot.core.screening import PseudonymTable, Screener


def test_same_value_gets_same_placeholder_across_messages(screener: Screener) -> None:
    table = PseudonymTable()
    first = screener.screen("石井 美加さんから電話 090-1234-5678", table)
    second = screener.screen("石井美加さんに折り返す（０９０ー１２３４ー５６７８）", table)
    assert first.masked_text == "〔人名1〕さんから電話 〔電話番号1〕"
    assert second.masked_text == "〔人名1〕さんに折り返す（〔電話番号1〕）"
    third = screener.screen("村田さんにも連絡", table)
    assert third.masked_text == "〔人名2〕さんにも連絡"


def test_restore_puts_back_first_spelling_and_tolerates_variants(screener: Screener) -> None:
    table = PseudonymTable()
    screener.screen("担当の原口係長（電話 0246-55-9876）", table)
    answer = "〔人名1〕係長へ。［人名１］様、[電話番号1]、〔人名9〕"
    assert table.restore(answer) == "原口係長へ。原口様、0246-55-9876、〔人名9〕"


def test_json_round_trip_keeps_numbering(screener: Screener) -> None:
    table = PseudonymTable()
    screener.screen("佐藤さんと田中さん", table)
    copy = PseudonymTable.from_json(table.to_json())
    assert copy.restore("〔人名2〕") == "田中"
    assert screener.screen("鈴木さん", copy).masked_text == "〔人名3〕さん"
    assert screener.screen("佐藤さん", copy).masked_text == "〔人名1〕さん"


@pytest.mark.parametrize("bad", ["", "[]", '{"version": 9}', '{"version": 1, "entries": [{"kind": "x"}]}'])
def test_from_json_rejects_garbage(bad: str) -> None:
    with pytest.raises(ValueError, match="pseudonym table"):
        PseudonymTable.from_json(bad)


def test_masked_kinds_is_footer_text(screener: Screener) -> None:
    table = PseudonymTable()
    assert table.masked_kinds() == ""
    screener.screen("佐藤さんと田中さん、電話 090-1111-2222", table)
    assert table.masked_kinds() == "人名2件、電話番号1件をマスクして送信しました"
    assert table.kind_counts() == {"person_name": 2, "phone": 1}


def test_blocked_values_never_enter_the_table(screener: Screener) -> None:
    table = PseudonymTable()
    screener.screen("マイナンバー 123456789018 の山田さん", table)
    assert "123456789018" not in table.to_json()
