"""Causes found by round 17 (an independent writer, scored before any change: see
tests/screening/redteam/next/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, PseudonymTable, Screener, ScreeningResult


def screen(screener: Screener, text: str) -> ScreeningResult:
    return screener.screen(text, PseudonymTable())


def names(result: ScreeningResult, text: str) -> list[str]:
    return [text[f.start : f.end] for f in result.findings if f.kind == "person_name"]


# --- confidential matters: a case's own record, a pending bid, words for "keep it quiet" -----------


@pytest.mark.parametrize(
    "text",
    [
        "一時保護した児童（小4）の在籍校との調整、今後の見通しを整理して",
        "児相との面接記録（2きょうだい）を時系列に並べて",
        "個別ケース検討会議の資料のうち、支援目標の欄を整えてほしい",
        "不適切養育の疑いがある家庭への訪問、注意点を箇条書きで",
        "平窪地区の排水路改修、設計書の積算（開札前）を表にして",
        "発表までは黙っててね、と言われた件。四倉の道の駅の拡張、候補地が決まったらしい",
        "商店会と市の非公式協議で出た要望を文書にまとめたい",
        "機密性3の資料を要約してもいいか。中身は基幹系の構成図",
    ],
)
def test_a_matter_said_in_these_words_asks_first(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "情報公開条例第5条の不開示情報を一覧表にして",
        "不開示情報のうち個人に関する情報の考え方を教えて",
        "審議中の情報が不開示になる典型例は？",
        "「法令秘情報」に当たる例を三つ挙げて",
    ],
)
def test_questions_about_the_ordinances_categories_pass(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is Action.ALLOW


# --- names ---------------------------------------------------------------------------------------


def test_a_phone_tree_of_surnames_is_masked(iwaki: Screener) -> None:
    text = "緊急連絡網：①大和田→②菅野→③坂本→④鈴木 の順に回して。表にして"
    result = screen(iwaki, text)
    assert {"大和田", "菅野", "坂本", "鈴木"} <= set(names(result, text))


def test_a_route_of_places_is_not_a_phone_tree(iwaki: Screener) -> None:
    text = "巡回ルート：①平→②小名浜→③勿来→④湯本 の順で回ります。案内文にして"
    assert not names(screen(iwaki, text), text)


def test_a_mention_copied_from_teams_is_masked(iwaki: Screener) -> None:
    text = "@大平 昨日の件、どうなりました？という返信を丁寧にして"
    assert "大平" in names(screen(iwaki, text), text)


@pytest.mark.parametrize(
    "text",
    [
        "研修用の事例：乙川花子さん（架空）が保育料について相談、という想定問答を作って",
        "窓口の想定問答で、山中一郎（架空）さんが転入の相談をする場面を",
        "古関裕而の代表作を三つ挙げて、校歌も含めて",
        "中曽根康弘と福田赳夫の在任期間を表にして",
    ],
)
def test_invented_and_famous_people_are_not_masked(iwaki: Screener, text: str) -> None:
    assert not names(screen(iwaki, text), text)


# --- addresses over several lines, as forms and scans print them -----------------------------------


def test_an_address_broken_after_its_chome_is_masked(iwaki: Screener) -> None:
    text = "送り先：\n前橋市総社町3丁目\n8-21\nこの宛名を1行にまとめて"
    result = screen(iwaki, text)
    assert "8-21" not in result.masked_text


def test_a_scanned_lot_number_with_spaced_dashes_and_its_building_below(iwaki: Screener) -> None:
    text = "住所　〒972-8321\nいわき市常磐湯本町 3 - 5\n　　ハイツ湯本 201\n読み取り結果を整えて"
    result = screen(iwaki, text)
    assert "3 - 5" not in result.masked_text
    assert "ハイツ湯本 201" not in result.masked_text


def test_an_ordinary_postcode_starting_with_8_is_not_an_organisations(iwaki: Screener) -> None:
    text = "転居先は〒971-8185 いわき市泉町6丁目2-9 です。転居届の案内文を"
    assert [f.kind for f in screen(iwaki, text).findings] == ["address"]


def test_a_city_halls_own_postcode_still_marks_its_address_public(iwaki: Screener) -> None:
    text = "郵送先：〒970-8686 いわき市平字梅本21（いわき市役所）"
    assert not [f for f in screen(iwaki, text).findings if f.kind == "address"]
