"""General mechanisms for the block class (identifiers) and the benign side of holding, written
before round 9 was seen: each test uses new examples of its own, none copied from a red-team round.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from bot.core.screening.checkdigits import luhn_ok, my_number_ok


def _my_number(first11: str) -> str:
    """`first11` completed with its My Number check digit."""
    return next(first11 + d for d in "0123456789" if my_number_ok(first11 + d))


def _not_my_number(first11: str) -> str:
    """`first11` with a wrong check digit."""
    return next(first11 + d for d in "0123456789" if not my_number_ok(first11 + d))


_KANJI = str.maketrans("0123456789", "〇一二三四五六七八九")


# --- the digit stream: every reading of the message's digit groups, whatever separates them ------


@pytest.mark.parametrize(
    "template",
    [
        "（{a}）{b}-{c} と書いてあります",
        "| {a} | {b} | {c} |",
        "[{a}][{b}][{c}] の順で入力",
        "メモ「{a}」「{b}」「{c}」",
        "{a}/{b}/{c} と控えた",
    ],
)
def test_a_valid_my_number_is_blocked_whatever_separates_its_groups(iwaki: Screener, template: str) -> None:
    number = _my_number("73018462951")
    text = template.format(a=number[:4], b=number[4:8], c=number[8:])
    result = iwaki.screen(text)
    assert result.action is Action.BLOCK
    assert number[4:8] not in result.masked_text


@pytest.mark.parametrize(
    "template",
    [
        "マイナンバーの控え。確認した番号は {a}、{b}、{c} でした",
        "個人番号の控え：{a},{b},{c}",
        "個人番号を聞き取り {a} ; {b} ; {c}",
    ],
)
def test_groups_parted_like_a_list_are_one_number_where_a_label_stands(
    iwaki: Screener, template: str
) -> None:
    number = _not_my_number("73018462951")
    assert iwaki.screen(template.format(a=number[:4], b=number[4:8], c=number[8:])).action is Action.BLOCK


@pytest.mark.parametrize(
    "template",
    [
        "在庫数：{a}、{b}、{c} の合計を出して",
        "次の表をグラフにして\n年度,2021,2022,2023\n人口,{a},{b},{c}\n世帯数,2210,2305,2398",
        "ロット {a}、{b}、{c}、1200 を出荷",
    ],
)
def test_a_list_of_numbers_is_not_one_number(iwaki: Screener, template: str) -> None:
    number = _my_number("73018462951")
    text = template.format(a=number[:4], b=number[4:8], c=number[8:])
    assert iwaki.screen(text).action is not Action.BLOCK


def test_kanji_numerals_in_groups_with_commas_are_read_as_one_number(iwaki: Screener) -> None:
    number = _my_number("52904718366")
    kanji = number.translate(_KANJI)
    text = f"台帳の個人番号欄に {kanji[:4]}、{kanji[4:8]}、{kanji[8:]} と手書きで"
    assert iwaki.screen(text).action is Action.BLOCK


def test_a_circle_between_digits_is_a_zero(iwaki: Screener) -> None:
    number = _my_number("30512984070")
    typed = number.replace("0", "○")
    assert iwaki.screen(f"控えに {typed} とあった").action is Action.BLOCK
    assert iwaki.screen("○○課の○○様あて").action is Action.ALLOW


def test_a_my_number_label_anywhere_claims_a_twelve_digit_reading(iwaki: Screener) -> None:
    number = _not_my_number("61820397451")  # the check digit is wrong: only the label says what it is
    text = f"マイナンバーの控えは以下。\n\n{number[:4]}、{number[4:8]}、{number[8:]}"
    assert iwaki.screen(text).action is Action.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        # a date, times and a count strung together are not one number
        "面談候補：12/9 10:00、12/10 14:00、12/11 09:30（3枠）",
        # two phone numbers in a list
        "代表 0246-22-1111、夜間 0246-22-1190 へ",
        # amounts with thousands separators
        "内訳は 1,234,567、2,345,678、3,456,789 円です",
    ],
)
def test_the_digit_stream_leaves_dates_phones_and_amounts(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is not Action.BLOCK


def test_numbers_under_a_harmless_column_header_stay_in_the_stream_too(iwaki: Screener) -> None:
    a, b = _my_number("21098374655"), _my_number("87120394561")
    text = f"問合せ番号,受付日\n{a},2025/01/06\n{b},2025/01/07\n日付順に並べ替えて"
    assert iwaki.screen(text).action is Action.ALLOW


def test_another_numbers_label_on_a_group_keeps_the_window_out(iwaki: Screener) -> None:
    number = _my_number("40277318596")
    text = f"予約番号 {number[:4]}、{number[4:8]}、{number[8:]} で取れました"
    assert iwaki.screen(text).action is Action.ALLOW


# --- labels: the stems in any script, a slip in a kana label, words naming the same number -------


@pytest.mark.parametrize(
    "label",
    [
        "こじん番号",
        "個人ばんごう",
        "個人ナンバー",
        "個人No.",
        "Myナンバー",
        "my no.",
        "マイナ",
        "マイナカード",
        "マイナンハー",  # one kana wrong
        "まいなんばあ",
        "マイナンバ一",  # the long vowel typed as the kanji 一
        "納税者番号",
        "社会保障番号",
    ],
)
def test_my_number_labels_in_other_forms(iwaki: Screener, label: str) -> None:
    number = _not_my_number("19283746502")
    result = iwaki.screen(f"{label} {number} の方の手続き")
    assert result.action is Action.BLOCK
    assert any(f.kind == "my_number" for f in result.findings)


def test_a_kana_label_with_a_slip_for_other_identifiers(iwaki: Screener) -> None:
    result = iwaki.screen("ひほけんしゃしょお 31807264 を確認")
    assert result.action is Action.BLOCK


@pytest.mark.parametrize("label", ["本人確認番号", "個人識別番号", "本人番号"])
def test_a_word_naming_a_personal_number_does_not_exempt_a_valid_my_number(
    iwaki: Screener, label: str
) -> None:
    number = _my_number("58203917462")
    assert iwaki.screen(f"{label}：{number}").action is Action.BLOCK


def test_a_harmless_word_naming_a_number_still_exempts_it(iwaki: Screener) -> None:
    number = _my_number("58203917462")
    assert iwaki.screen(f"見積番号：{number} の件、納期を確認").action is Action.ALLOW


def test_minus_and_the_portal_are_not_my_number_labels(iwaki: Screener) -> None:
    assert iwaki.screen("マイナス 1200 の調整").action is Action.ALLOW
    assert iwaki.screen("マイナポータルの問い合わせは 0120-95-0178").action is not Action.BLOCK


# --- identifiers: the digit stream for every identifier whose label stands in the message -----------


def test_a_licence_number_split_over_lines_far_below_its_label_is_blocked(iwaki: Screener) -> None:
    text = "確認書類：運転免許証（下に転記）\n\n\n2904\n7716\n3058\nこの欄の書き方を統一したい"
    result = iwaki.screen(text)
    assert result.action is Action.BLOCK
    assert "7716" not in result.masked_text


def test_a_card_number_in_two_halves_is_blocked(iwaki: Screener) -> None:
    card = next(f"453902176881452{d}" for d in "0123456789" if luhn_ok(f"453902176881452{d}"))
    text = f"電話で聞いたカード番号は {card[:8]}、{card[8:]} とのこと。処理の流れを"
    result = iwaki.screen(text)
    assert result.action is Action.BLOCK
    assert card[8:] not in result.masked_text


def test_a_my_number_in_pieces_without_any_label_is_blocked(iwaki: Screener) -> None:
    number = _my_number("61734902855")
    text = f"最初が{number[:4]} {number[4:8]}、あとは{number[8:]}です。入力前に桁を確かめたい"
    assert iwaki.screen(text).action is Action.BLOCK


def test_a_header_that_only_says_number_names_no_kind(iwaki: Screener) -> None:
    number = _my_number("39016284751")
    text = f"扶養親族の一覧\n氏名\t番号\n（記載省略）\t{number}\n提出用の送付状を"
    assert iwaki.screen(text).action is Action.BLOCK


def test_a_union_members_card_is_an_insurance_card(iwaki: Screener) -> None:
    result = iwaki.screen("共済の組合員証、記号 東北 番号 3187 の方の高額療養費の案内を")
    assert result.action is Action.BLOCK


def test_a_kanji_word_ending_in_code_names_its_own_number(iwaki: Screener) -> None:
    number = _my_number("73920184650")
    assert iwaki.screen(f"団体コード {number} で集計表を抽出したい").action is Action.ALLOW


# --- confidential matters: signs of a general question; structural signs of a case ----------------


@pytest.mark.parametrize(
    "text",
    [
        "予定価格を事前に公表する自治体が多いのはなぜですか",
        "採用試験の問題を複数の自治体で共同作成する例はありますか",
        "懲戒処分の指針を公表するメリットとデメリットを整理して",
        "紙の入札書が電子入札に置き換わった経緯を説明する文",
    ],
)
def test_a_question_about_how_things_are_done_in_general_does_not_hold(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


def test_a_plan_that_exists_is_a_case_even_with_pros_and_cons_asked(iwaki: Screener) -> None:
    text = "内々の話ですが、公民館を図書館と統合する案があります（委員にはまだ）。統合のメリットを整理して"
    assert iwaki.screen(text).action is Action.CONFIRM


def test_a_marking_still_holds_without_any_detail(iwaki: Screener) -> None:
    assert iwaki.screen("部外秘の資料を要約して").action is Action.CONFIRM


def test_one_phrase_is_one_sign_of_a_general_question(iwaki: Screener) -> None:
    text = "戒告処分を予定している職員がいます。本人は土木課。手続きの流れを具体的に"
    assert iwaki.screen(text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        # a request the writer received
        "弁護士会照会で、ある元職員の住所について回答を求められています。判断材料を整理して",
        # a step under way
        "児童相談所と情報共有中の家庭について、次回の支援会議のメモの作り方",
        # something still open, and houses counted
        "道路拡幅の用地で、立ち退きに応じていない2軒がある。説得の進め方",
        # a proposal that came up at a meeting
        "幹部会で、文化会館の指定管理料を来年度から削減する話が出た。団体への説明資料を",
        # a tender with a single bidder
        "来月の指名競争入札、参加申請が1社だけになりそう。上司への報告メモ",
        # a suspicion that is growing
        "不審火が続き、放火の疑いが強まっている。警察と共有する資料の作り方",
        # an amount typed with spaces
        "補償交渉で先方に提示する額は 1,240 万円が上限。交渉メモを",
    ],
)
def test_structural_signs_of_a_case_hold_the_message(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM


def test_a_request_about_a_form_is_not_a_received_request(iwaki: Screener) -> None:
    text = "人事課から異動希望の調書の様式を見直すよう頼まれました。項目案を"
    assert iwaki.screen(text).action is Action.ALLOW


def test_toha_in_is_different_from_is_not_a_topic_sign(iwaki: Screener) -> None:
    text = "産休明けの職員さんを、本人希望とは違うけど別の係に配置する案で決まった。本人への説明文"
    assert iwaki.screen(text).action is Action.CONFIRM
