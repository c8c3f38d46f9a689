"""Causes found by round 27 (an independent writer, scored unseen on the final engine of 3 Dec 2026,
session 13: see the README and tests/screening/redteam/heldout/README.md), each fixed in the rules
and checked here on sentences written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a label OCR'd with a space after every character
        ("運 転 免 許 証 番 号：4411 0923 7785（スキャンの結果）", "drivers_license"),
        # a passport number whose last digits OCR read as letters
        ("旅券番号 MK55102Oo の方の渡航書類", "passport"),
        # a number's halves in boxes named on their own lines
        ("基礎年金番号（左欄・右欄）⏎左：7730⏎右：518826", "pension_number"),
        # a Japanese passport's shape lines below the word パスポート
        ("パスポートの情報⏎氏名欄は省略⏎発行 2021⏎No. RE4417093⏎申請書に転記して", "passport"),
    ],
)
def test_identifiers_in_ocr_and_boxes_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


def test_a_part_number_with_letters_is_left_alone(iwaki: Screener) -> None:
    assert screen(iwaki, "型番 AB12345Ol の部品の在庫を確認したい").action is Action.ALLOW


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("DOB S520317 の方の介護保険の案内を", "S520317"),
        ("The applicant was born 昭和５０年４月２日 in Iwaki.", "昭和５０年４月２日"),
        ("避難者名簿：佐久間ゆり（1968/02/09）、根本和夫（S29.11.3）", "1968/02/09"),
        ("氏 名　小 野 寺 誠（1文字ずつ空白）の申請書", "小 野 寺 誠"),
    ],
)
def test_birth_dates_and_names_are_masked(iwaki: Screener, text: str, gone: str) -> None:
    assert gone not in screen(iwaki, text).masked_text


@pytest.mark.parametrize(
    "text",
    [
        "行事一覧：定例会（2025/04/10）、総会（2025/05/20）を表にして",
        "参加者名簿の更新日（2025/04/01）を入れて",
        "ジョン万次郎の生涯を小学生向けに",
        "窓口の例文『山田太郎様、こちらへどうぞ』を英語にして",
    ],
)
def test_dates_of_events_and_stand_ins_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "係長級の選考の筆記、明日が本番です。問いを5問貼るので表現を直して",
        "来月配る前の確認テストの問題をワードにしたものです。体裁を整えて",
        "差押え済みの預金と給与の一覧から、配当の順番を整理して",
        "水道料金をずっと払ってくれないお宅への訪問、話す順序を考えて",
        "国保税を3か月待ってほしいと言われた。返答の文面を",
        "隣の地権者に出した金額は言えないので、角が立たない説明を考えて",
        "配られた紙は回収されました。メモした中身を議事録風に",
        "表紙に「複写禁止」とある内部資料の要点を3行で",
        "審議中の要綱改正案の新旧対照表の説明を作って",
    ],
)
def test_confidential_matters_in_plain_words_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "「コピー禁止」と書かれた資料はAIに入力してもいいですか",
        "金額は言えないと断るときの丁寧な言い方を教えて",
        "公文書の「未定稿」と「確定稿」の違いは？",
        "税金を待ってほしいという相談への一般的な対応の流れを教えて",
    ],
)
def test_general_questions_about_the_same_words_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]
