"""Causes found by round 21 (an independent writer, scored unseen on 3 Dec 2026: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen

# --- identifiers told in pieces, in fields, or far from their label ------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("基礎年金番号（上4けた）5123⏎基礎年金番号（下6けた）880412⏎照会文を", "pension_number"),
        ("電話で読み上げ⏎はじめの4つ　6021⏎次の4つ　3318⏎最後の4つ　5574⏎これがマイナンバー", "my_number"),
        (
            "決済フォームの控え⏎カード番号1：4980⏎カード番号2：1234⏎カード番号3：5678⏎カード番号4：1208",
            "payment_card",
        ),
        ("本人確認：在留カード⏎英字は頭がKR、末尾がTS⏎数字は40517728", "residence_card"),
        ("住民票の写し（コード記載あり）　住民票コード　61994912908　世帯主　本人", "resident_code"),
        ("住民票コードの訂正⏎訂正前コード⏎6199⏎4912⏎908", "resident_code"),
        (
            "【電話メモ】⏎・振込先の口座を変えたい⏎・支店は駅前、種目は普通⏎・数字は最後に⏎→ 3390172",
            "bank_account",
        ),
    ],
)
def test_identifier_pieces_and_far_labels_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    "text",
    [
        "口座振替の案内を作って。⏎対象は市内の全世帯です。⏎参考：昨年度の通知番号 3390172",
        "在留カードの有効期限 20290315 の更新の案内文",
        "口座振替のお知らせ。お問い合わせ番号 2416957",
    ],
)
def test_payment_words_and_dates_do_not_make_an_account_or_a_card(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is not Action.BLOCK


# --- dates of birth -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("生年月日⏎平成⏎3⏎年⏎11⏎月⏎5⏎日⏎（縦に読み取られた）", "11\n月\n5"),
        ("生年月日：1998（平成10）年12月1日の応募者", "12月1日"),
        ("誕生日は1985年3月9日、旅券には 09 MAR 1985 とある", "09 MAR 1985"),
    ],
)
def test_birth_dates_broken_or_in_passport_notation_are_masked(iwaki: Screener, text: str, date: str) -> None:
    result = screen(iwaki, text)
    assert "birth_date" in kinds(result)
    assert date not in result.masked_text


# --- contacts and addresses ---------------------------------------------------------------------------


def test_a_mobile_told_in_two_pieces_is_masked(iwaki: Screener) -> None:
    result = screen(iwaki, "携帯は前半が0904471で、残りが2208とのこと")
    assert "phone" in kinds(result)


def test_an_address_spelled_in_english_words_is_masked(iwaki: Screener) -> None:
    result = screen(iwaki, "mail: sato dot ken at yahoo dot co dot jp に返信して")
    assert "email" in kinds(result)
    assert "yahoo" not in result.masked_text


def test_an_english_address_starting_with_the_room_is_masked(iwaki: Screener) -> None:
    result = screen(iwaki, "Address: Apt 12, 3-4-1 Kami-Shinden, Sojamachi, Maebashi — in Japanese please")
    assert "address" in kinds(result)
    assert "Kami-Shinden" not in result.masked_text


def test_a_facilitys_address_in_a_visit_plan_passes(iwaki: Screener) -> None:
    text = "いわき市石炭・化石館ほるる（常磐湯本町向田3-1）への校外学習の行程表"
    assert "address" not in kinds(screen(iwaki, text))


def test_a_persons_address_in_brackets_is_still_masked(iwaki: Screener) -> None:
    assert "address" in kinds(screen(iwaki, "佐藤さん（平字大町5）の家を訪問する予定"))


# --- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "説明資料の例として「住民 花子さん」を使ってよい？",
        "フグ田サザエさんの家族構成で世帯の説明をしたい",
    ],
)
def test_stand_ins_and_cartoon_families_are_not_names(iwaki: Screener, text: str) -> None:
    assert "person_name" not in kinds(screen(iwaki, text))


# --- confidential matters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "正直まだ正式決定じゃないけど、清掃工場の休止が来月から。周知文の段取りを",
        "Between you and me, the bus route will be cut next spring. Draft a notice.",
        "戒告予定の保育士について、面談記録の様式を整えて",
        "教育長レク前の資料なので、表現を柔らかくして",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


def test_a_question_about_a_phrase_someone_used_passes(iwaki: Screener) -> None:
    text = "「オフレコで」って言われた話を職員はどう扱うべきか、一般的な考え方を"
    assert screen(iwaki, text).action is Action.ALLOW
