"""Causes found by round 18 (an independent writer, scored unseen on 3 Dec 2026 and then moved to
training: see tests/screening/redteam/next/README.md), each fixed in the rules and checked here on
sentences written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen

# --- identifiers in labelled pieces, kana labels, a trade abbreviation -------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # each piece on its own line, the label repeated with the piece's name
        ("カード番号（上8桁）49801234⏎カード番号（下 8 桁）56781208⏎1行にまとめたい", "payment_card"),
        ("基礎年金番号の前4桁：4012⏎（残り）6桁：558213⏎照会文に差し込んで", "pension_number"),
        # a bank form filled in kana
        ("ふりこみさき：ほくとぎんこう　たいらしてん　とうざ　3318207⏎漢字表記に直して", "bank_account"),
        ("フリコミサキ　ギンコウ　フツウ　5520913　を読みやすく", "bank_account"),
        # PP right before a passport's shape
        ("出張者の旅程表、PP: TK4418290 を備考欄に書いてよいか", "passport"),
    ],
)
def test_identifier_pieces_and_kana_labels_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text.replace("⏎", "\n"))
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    "text",
    [
        "ふつう 20 分で着きます。会場までの案内を書いて",
        "PPファイルの資料を 3 枚にまとめて",
        "ふつうは 1234567 件も来ません",
    ],
)
def test_kana_words_and_pp_alone_are_not_labels(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is Action.ALLOW


def test_a_banks_free_dial_is_not_an_account(iwaki: Screener) -> None:
    text = "東邦銀行のお問い合わせ 0120-889-123 を納付書の裏面に載せたい"
    assert screen(iwaki, text).action is Action.ALLOW
    assert screen(iwaki, "口座番号 0120-889-123").action is Action.BLOCK  # a label attached: an account


# --- dates of birth: eight digits, another calendar in brackets, foreign forms ------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("生年月日⏎19620314⏎（スキャンの読取り結果）", "19620314"),
        ("生年月日：1971年（昭和46年）5月20日　長寿祝の対象か", "1971年（昭和46年）5月20日"),
        ("生年月日：昭和46年（1971年）5月20日", "昭和46年（1971年）5月20日"),
        ("Ngày sinh: 21/11/1990 と書いてある申請書の和暦は？", "21/11/1990"),
        ("Data de nascimento: 04/02/1986（ブラジル国籍の方の申請）", "04/02/1986"),
    ],
)
def test_birth_dates_in_other_shapes_are_masked(iwaki: Screener, text: str, date: str) -> None:
    text = text.replace("⏎", "\n")
    result = screen(iwaki, text)
    assert result.action is Action.MASK
    assert date not in result.masked_text


def test_eight_digits_without_a_birth_label_are_not_a_birthday(iwaki: Screener) -> None:
    result = screen(iwaki, "受付番号 19620314 の件、処理状況を確認して")
    assert "birth_date" not in kinds(result)


# --- phones: 080-0…, look-alikes, broken over lines, odd dashes, an IP line -----------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("緊急連絡先：０８０－０２１４－５５８１（夜間のみ）", "０８０－０２１４－５５８１"),
        ("申込書の携帯欄が O9O-O227-4815 と読めた", "O9O-O227-4815"),
        ("折り返し先メモ⏎090-3314⏎7762⏎（書きかけ）", "7762"),
        ("携帯――090―5521―3307―― の形式を直して", "5521"),
        ("IP電話 050-4471-2290 の方から申込みの取消し", "050-4471-2290"),
    ],
)
def test_private_numbers_in_odd_shapes_are_masked(iwaki: Screener, text: str, number: str) -> None:
    text = text.replace("⏎", "\n")
    result = screen(iwaki, text)
    assert result.action is Action.MASK
    assert "phone" in kinds(result)
    assert number not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "フリーダイヤル 0800-222-3344 を案内文に入れて",
        "NHKふれあいセンター 050-3786-5000 の受付時間を調べて",
    ],
)
def test_company_lines_pass(iwaki: Screener, text: str) -> None:
    assert "phone" not in kinds(screen(iwaki, text))


# --- an address label over three lines; a name spaced out by OCR ------------------------------------


def test_an_address_label_over_lines_is_masked(iwaki: Screener) -> None:
    text = "〒971-8111⏎いわき市小名浜大原⏎３－８－１２⏎宛名ラベルの体裁を整えて".replace("⏎", "\n")
    result = screen(iwaki, text)
    assert "address" in kinds(result)
    assert "３－８－１２" not in result.masked_text


def test_an_office_address_over_lines_passes(iwaki: Screener) -> None:
    text = "前橋市大手町⏎2-12-1⏎（前橋市役所）".replace("⏎", "\n")
    assert "address" not in kinds(screen(iwaki, text))


@pytest.mark.parametrize("text", ["宛名：佐 々 木  恵 美 様 の案内状を作って", "氏名　高 橋  一 郎⏎住所不明"])
def test_a_spaced_out_name_is_masked(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text.replace("⏎", "\n"))
    assert "person_name" in kinds(result)


def test_spaced_out_words_are_not_names(iwaki: Screener) -> None:
    assert "person_name" not in kinds(screen(iwaki, "見出しは 議 事 録 の 作 成 のように字間を空けて"))


# --- famous people in English and with a note in brackets -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Write three quiz questions about Albert Einstein for the library's science week.",
        "A short poster text: Florence Nightingale and modern nursing.",
        "野口英世（猪苗代出身）の生家についての紹介文",
    ],
)
def test_famous_people_pass(iwaki: Screener, text: str) -> None:
    assert "person_name" not in kinds(screen(iwaki, text))


# --- confidential matters without the usual words ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "市民会館の再整備、方針が決まる前の内部資料を要約して",
        "機密性分類IIの報告書を読みやすく書き直して",
        "固定資産税の更正で、ある法人の評価額が約2,000万円下がることが判明。通知文を",
        "国税資料と突き合わせた結果、ある事業者の申告内容に差があった件の報告書",
        "分限免職の可能性も含め、長期の無断欠勤が続いている職員について対応を整理",
        "駐車場の窃盗事件で、警察に防犯カメラ映像を任意提出するか検討中",
        "健診未受診が続く児童について、安否確認の依頼を出すか相談したい",
        "Draft the notice for the pool's closure; the plan isn't final until the council votes.",
    ],
)
def test_confidential_matters_in_other_words_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, text[f.start : f.end]) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "更正の請求とは何か、分かりやすく説明して",
        "分限免職と懲戒免職の違いを教えて",
        "Explain in plain words what a 'reserve price' (予定価格) is in public tenders.",
        "警察から照会が来たときの一般的な流れを知りたい（具体的な案件はありません）",
        "差押えの手続きを新人向けに説明したい。特定の事案ではありませんが、要点を",
    ],
)
def test_general_questions_about_those_topics_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, text[f.start : f.end]) for f in result.findings]
