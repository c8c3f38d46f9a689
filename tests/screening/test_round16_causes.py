"""Causes found by round 16 (an independent writer, scored before any change: see
tests/screening/redteam/next/README.md), each fixed in the rules and checked here on sentences
written for this file, not the round's own."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, PseudonymTable, Screener, ScreeningResult


def screen(screener: Screener, text: str) -> ScreeningResult:
    return screener.screen(text, PseudonymTable())


def masked_values(result: ScreeningResult, text: str, kind: str) -> list[str]:
    return [text[f.start : f.end] for f in result.findings if f.kind == kind]


# --- voice input: digits read out one by one, with spaces between them ---------------------------

SPOKEN_BLOCKED = [
    # 374019285569 has a valid My Number check digit
    "こじんばんごうは サン ナナ ヨン ゼロ イチ キュウ ニー ハチ ゴー ゴー ロク キュウ です。照会文を",
    "まいなんばー　さん　なな　よん　ぜろ　いち　きゅう　にー　はち　ごー　ごー　ろく　きゅう　の方の件",
    "ねんきんばんごうは ヨン ヨン イチ ナナ キュウ ゼロ ニー サン イチ ゴー、付加年金の案内を",
]


@pytest.mark.parametrize("text", SPOKEN_BLOCKED)
def test_identifiers_read_out_digit_by_digit_are_blocked(maebashi: Screener, text: str) -> None:
    assert screen(maebashi, text).action is Action.BLOCK


def test_a_landline_read_out_in_groups_is_masked(maebashi: Screener) -> None:
    text = "折り返し先は　ゼロにーなな　さんいちきゅう　はちななろくよん　です。電話の台本を"
    result = screen(maebashi, text)
    assert result.action is Action.MASK
    assert [f.kind for f in result.findings] == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "ごご に さん 人 来ます",  # 午後に三人: words, not digits
        "いち に さん で はじめます",  # counting three
        "さん に 伝えて ください",
    ],
)
def test_spaced_kana_words_are_not_read_as_digits(maebashi: Screener, text: str) -> None:
    assert screen(maebashi, text).action is Action.ALLOW


# --- voice input never converted to kanji: the lexicon's words by their reading ------------------


@pytest.mark.parametrize(
    "text",
    [
        "こんどの　ようちかいとりの　こうしょうで　ほしょうたんかを　このあんけんで　せいりして",
        "さしおさえの　よていが　あるので　このかたの　たいのうの　けいかを　まとめて　ほしいです",
        "ないしょのはなし　ですが　らいげつの　じんじいどうの　ないじが　でるので　あいさつぶんを",
    ],
)
def test_unconverted_voice_input_about_a_matter_asks_first(maebashi: Screener, text: str) -> None:
    assert screen(maebashi, text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "えくせるで　ひづけを　われきに　かえる　かんすうを　おしえて　ください　おねがいします",
        "いっぱんろんとして　ちょうかいしょぶんの　しゅるいと　せいどの　ながれを　おしえて",
    ],
)
def test_unconverted_voice_input_that_is_harmless_passes(maebashi: Screener, text: str) -> None:
    assert screen(maebashi, text).action is Action.ALLOW


# --- names ---------------------------------------------------------------------------------------


def test_the_surname_of_an_unspaced_full_name_is_masked_when_said_again(maebashi: Screener) -> None:
    text = "出席：理事 小野寺健二、監事 若林美穂\n理事の小野寺から、会費改定の提案があった。"
    result = screen(maebashi, text)
    assert "小野寺" not in result.masked_text
    values = masked_values(result, text, "person_name")
    assert "小野寺健二" in values
    assert "小野寺" in values


def test_a_name_with_a_compatibility_ideograph_is_masked(maebashi: Screener) -> None:
    text = "受賞者の確認：齋藤 亜美、﨑田 光、吉田 和也。字体が正しいか見て"
    result = screen(maebashi, text)
    assert "﨑田" not in result.masked_text


def test_english_family_members_and_names_joined_by_and(maebashi: Screener) -> None:
    text = "Thanks to Ms. Hannah Olsen and Marco Bianchi for the help. The father of Mateo called today."
    result = screen(maebashi, text)
    for value in ("Hannah Olsen", "Marco Bianchi", "Mateo"):
        assert value not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        # offices, not names
        "〇議長　ただいまから会議を開きます。\n〇市長　お答えします。\n〇議員　再質問します。",
        "司会：それでは、次の議題に移ります。\n記録：以上",  # the chair's first word
        "契約書のひな形では「甲野太郎」「乙野花子」を当事者の例に使うのはなぜ？",  # legal stand-ins
    ],
)
def test_offices_openers_and_legal_stand_ins_are_not_names(maebashi: Screener, text: str) -> None:
    result = screen(maebashi, text)
    assert not [f for f in result.findings if f.kind == "person_name"]


# --- confidential wording that is not a matter -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "議事録の発言者はもう伏せてあります（A〜Cに置換済み）。要点を3行で",
        "記入例の電話番号は伏せるべきですか、それとも000-0000-0000でいいですか",
        'What does "off the record" usually mean for a city press office?',
    ],
)
def test_anonymised_material_and_questions_about_wording_are_not_held(maebashi: Screener, text: str) -> None:
    assert screen(maebashi, text).action in (Action.ALLOW, Action.MASK)


# --- public places and forms' examples --------------------------------------------------------------


def test_a_public_offices_address_after_its_name_is_left_alone(maebashi: Screener) -> None:
    text = "前橋地方法務局（前橋市大手町二丁目3番1号）への行き方を案内文にして"
    assert not [f for f in screen(maebashi, text).findings if f.kind == "address"]


def test_a_forms_zero_account_is_not_joined_to_the_line_number_above(maebashi: Screener) -> None:
    text = "【記入例】\n3 振込先\n　銀行名　○○銀行　○○支店\n　口座番号　0000000（普通）\nこの見本を見やすく"
    assert screen(maebashi, text).action is not Action.BLOCK


# --- second pass over round 16's misses ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "初代の町長として知られる新井源蔵の功績を、小学生向けに紹介して",
        "郷土の画家の生誕120年展のチラシ文案：「山口 晴雲の生涯をたどる」を直して",
    ],
)
def test_figures_of_local_history_are_not_masked(maebashi: Screener, text: str) -> None:
    assert not [f for f in screen(maebashi, text).findings if f.kind == "person_name"]


def test_a_surname_in_a_department_named_for_lifelong_learning_is_still_masked(maebashi: Screener) -> None:
    text = "生涯学習課の担当、大須賀 瞳さんから連絡がありました。返信を作って"
    assert "大須賀" not in screen(maebashi, text).masked_text


@pytest.mark.parametrize(
    "text",
    ["予算科目 02-01-05-13 の組替えを説明する文を", "科目コード 10-02-01-07 と 10-02-01-08 の違いは？"],
)
def test_a_code_after_its_label_is_not_an_address(maebashi: Screener, text: str) -> None:
    assert not [f for f in screen(maebashi, text).findings if f.kind == "address"]


def test_dates_shown_as_the_data_of_a_birth_column_are_masked(maebashi: Screener) -> None:
    text = "名簿の生年月日から学年を出したい。実データは 2011/04/02 や 2012/03/31 です。式を教えて"
    result = screen(maebashi, text)
    assert "2011/04/02" not in result.masked_text
    assert "2012/03/31" not in result.masked_text


def test_a_deadline_after_a_birth_column_is_not_a_birthday(maebashi: Screener) -> None:
    text = "生年月日の欄の書き方を案内したい。実データは提出期限 2025/01/31 までに入力します"
    assert not [f for f in screen(maebashi, text).findings if f.kind == "birth_date"]
