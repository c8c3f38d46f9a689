"""Causes found by round 20 (an independent writer, scored unseen on 3 Dec 2026: see the README and
tests/screening/redteam/heldout/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from tests.screening.causes import kinds, screen

# --- identifiers known by their shape in the message's context ----------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a trip being arranged: a Japanese passport's shape under a bare 番号
        ("視察の渡航準備⏎・航空券：予約済⏎・旅行会社へ⏎　番号 TR5530917⏎メール文に", "passport"),
        # a passport's machine-readable zone (its second line)
        ("MRZ⏎P<JPNSASAKI<<MIHO<<<<<<<<<<<<<<<<<<<<⏎TZ40721865JPN9106148F3205021<<<<<<<<04", "passport"),
        # four and six digits in a message about a pension
        ("年金の受給相談。ご本人から伺った番号は 3120-847215 です。回答文を", "pension_number"),
        ("老齢年金の請求書（写し）⏎⏎（欄外）6031 418820⏎この書類の確認手順を", "pension_number"),
        # 証番号 as a form's own field
        ("高額療養費の申請⏎・保険者：国民健康保険⏎・証番号：40518273⏎審査の観点", "health_insurance_number"),
        # 免許 alone before a licence's twelve digits
        ("送迎ボランティア登録（免許 304512987611）の確認事項を整理して", "drivers_license"),
    ],
)
def test_identifiers_known_by_their_context_are_blocked(iwaki: Screener, text: str, kind: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.BLOCK
    assert kind in kinds(result)


@pytest.mark.parametrize(
    "text",
    [
        "年金相談の電話予約は 0246-221111 へ、と案内文に書いて",  # a phone written 4-6
        "年金課の受付番号 2024-118830 の処理状況",  # its own label
        "出張旅費の精算番号 AB1234567 を入力する欄はどこ？",  # no trip being arranged
        "会員証番号 12345678 の更新手続きの案内",  # a word that ends in 証番号
    ],
)
def test_other_numbers_in_those_contexts_are_not_blocked(iwaki: Screener, text: str) -> None:
    assert screen(iwaki, text).action is not Action.BLOCK


# --- dates of birth -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("申請者は1979年（昭和54年）3月生まれです", "3月"),
        ("母は昭和22年4月9日に生まれて、今年喜寿を迎えます", "4月9日"),
        ("（生）Ｓ５１．１０．３０と書かれた欄の読み方", "１０．３０"),
        ("対象者：82歳（S17.6.2）の女性。訪問記録の要約を", "S17.6.2"),
        ("Her date of birth is given as 3/25/1990 on the form.", "3/25/1990"),
    ],
)
def test_birth_dates_in_more_shapes_are_masked(iwaki: Screener, text: str, date: str) -> None:
    result = screen(iwaki, text)
    assert "birth_date" in kinds(result)
    assert date not in result.masked_text


def test_a_date_something_else_was_born_on_passes(iwaki: Screener) -> None:
    assert "birth_date" not in kinds(screen(iwaki, "2024年4月1日に誕生した新しい施設の紹介文"))


# --- e-mail addresses ---------------------------------------------------------------------------------


def test_an_address_read_out_with_dots_as_words_is_masked(iwaki: Screener) -> None:
    result = screen(iwaki, "聞き取ったアドレスは yuki ドット 77 アットマーク docomo ドット ne ドット jp です")
    assert "email" in kinds(result)
    assert "docomo" not in result.masked_text


def test_a_carriers_mailbox_in_an_office_message_is_personal(iwaki: Screener) -> None:
    text = "市民課の者です。⏎⏎申請者の連絡先 hana.s_0412@gmail.com に送ってよいか確認したい"
    result = screen(iwaki, text)
    assert "email" in kinds(result)


def test_an_office_mailbox_stays(iwaki: Screener) -> None:
    assert "email" not in kinds(screen(iwaki, "市民課です。問い合わせは shimin@city.iwaki.lg.jp まで"))


# --- addresses ----------------------------------------------------------------------------------------


def test_a_lot_number_broken_before_its_dash_is_masked(iwaki: Screener) -> None:
    result = screen(iwaki, "住所が2行に分かれています⏎平赤井町25⏎－8⏎ハイツ赤井102⏎1行に直して")
    assert "address" in kinds(result)
    assert "ハイツ赤井102" not in result.masked_text


def test_an_english_address_with_its_flat_is_masked(iwaki: Screener) -> None:
    text = 'He wrote "Apt. 3, Sunny Court, 2-7 Taira-Kamiarakawa, Iwaki". Put it in Japanese order.'
    result = screen(iwaki, text)
    assert "address" in kinds(result)
    assert "Sunny Court" not in result.masked_text


# --- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("From: SAKURAI MEGUMI⏎Subject: bus pass renewal⏎⏎Please reply in English.", "SAKURAI MEGUMI"),
        ("「ナカムラトモコ」というカナ氏名をローマ字にして", "ナカムラトモコ"),
        ("佐久間という相談者から折り返しの依頼", "佐久間"),
    ],
)
def test_names_named_as_such_are_masked(iwaki: Screener, text: str, name: str) -> None:
    result = screen(iwaki, text)
    assert "person_name" in kinds(result)
    assert name not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "From: Iwaki City Hall International Section⏎Subject: newsletter",
        "カナ氏名の欄を半角にする関数を教えて",
        "民法の設例に出てくる「丙川三郎」はなぜこの名前？",
        "The parade starts at Shikishima Park (Shikishima-cho). Translate please.",
        "研修用の架空の相談者「山本家（4人家族）」の設定を考えて",
        "ロールプレイで市民役の名前を「たいら 花子」にしました。台詞の例を",
    ],
)
def test_words_places_and_invented_people_are_not_names(iwaki: Screener, text: str) -> None:
    assert "person_name" not in kinds(screen(iwaki, text))


# --- confidential matters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "STRICTLY CONFIDENTIAL — Draft agreement on shared costs. Check the grammar. 一般的な表現で",
        "固定資産税の滞納額上位20の一覧（氏名・滞納額入り）を見やすく",
        "あの店、売上を少なく申告していると思う。比べる表を作りたい",
        "Review the draft questions for this year's clerk recruitment exam, items 2 to 9.",
        "要支援家庭として把握している世帯の次回訪問の段取り",
        "ここだけの話と言われた内容を議事メモに整理して",
    ],
)
def test_confidential_matters_ask(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.CONFIRM, [(f.kind, f.display) for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "「秘」「取扱注意」などの表示を付ける基準を文書にまとめたい",
        "【部外秘】という表示の意味を新人向けに説明して",
        "ここだけの話、と言われた情報の扱い方を一般論として教えて",
        "What does CONFIDENTIAL mean when it is stamped on a letter?",
    ],
)
def test_questions_about_markings_and_phrases_pass(iwaki: Screener, text: str) -> None:
    result = screen(iwaki, text)
    assert result.action is Action.ALLOW, [(f.kind, f.display) for f in result.findings]
