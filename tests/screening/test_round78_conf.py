"""Causes found while preparing for rounds 7 and 8 (block and confirm classes, and the benign side
of holding), each with new examples written here — none copied from a red-team round.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener
from bot.core.screening.checkdigits import luhn_ok, my_number_ok


def _my_number(first11: str) -> str:
    """`first11` completed with its My Number check digit."""
    return next(first11 + d for d in "0123456789" if my_number_ok(first11 + d))


# --- identifiers: a My Number after another labelled number; マイナの番号 -----------------------------


@pytest.mark.parametrize(
    "template",
    [
        "〒963-8601 {n} の方の届出を確認",
        "TEL 024-521-7700 {n}（控え）",
        "受付No 55120 {n} を転記",
    ],
)
def test_a_my_number_typed_after_a_labelled_number_is_blocked(iwaki: Screener, template: str) -> None:
    number = _my_number("62019384725")
    result = iwaki.screen(template.format(n=number))
    assert result.action is Action.BLOCK
    assert number not in result.masked_text


def test_the_labelled_number_alone_still_says_what_it_is(iwaki: Screener) -> None:
    number = _my_number("40918273645")
    text = f"受付番号 {number[:4]} {number[4:8]} {number[8:]} の件で折り返しを"
    assert iwaki.screen(text).action is not Action.BLOCK


@pytest.mark.parametrize(
    "template",
    [
        "マイナの番号は {n} と聞いています",
        "まいなかーどの番号、{n} で合っていますか",
        "マイナンバーカードの番号：{n}",
    ],
)
def test_my_number_labels_with_no_inside_block(iwaki: Screener, template: str) -> None:
    number = _my_number("83920174650")
    result = iwaki.screen(template.format(n=number))
    assert result.action is Action.BLOCK
    assert number not in result.masked_text


def test_my_number_pieces_after_a_label_with_no_inside_block(iwaki: Screener) -> None:
    text = "マイナの番号ですが、頭の4桁が3391、次が0827、最後が5516とのことです"
    assert iwaki.screen(text).action is Action.BLOCK


# --- confidential: a report that reached the city, a case's document number -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "学童クラブから、6歳の子の首に傷が何度もあると連絡。虐待として通告すべきか整理したい",
        "内部通報で、清掃委託の現場責任者が出勤簿を改ざんしていると情報が入った。調査の進め方を",
        "市民課に地検からの照会。照会書 第204号、対象者の戸籍の附票を出すべきか",
    ],
)
def test_a_report_about_a_case_is_held_even_asked_as_should_we(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM


# --- benign: a meeting's logistics, not its content -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "明後日の庁議の資料の文字サイズを揃えたい。Wordでの方法は？",
        "支援会議の日程調整のメールを書いて。候補は来週の月曜か木曜の午前",
        "次回の審議会の会場を市民会館に変えたい。委員への連絡文を",
    ],
)
def test_a_meetings_logistics_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


def test_a_meetings_content_is_still_held(iwaki: Screener) -> None:
    text = "支援会議の日程調整の前に共有：対象は小2の女児、母親の交際相手からの暴力が続いている"
    assert iwaki.screen(text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "捜査関係事項照会には必ず回答すべきか、考え方を教えて",
        "懲戒処分は氏名まで公表すべきか、他市の傾向は？",
    ],
)
def test_should_we_about_the_topic_in_general_is_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- identifiers: a romanised My Number label; an insurance card's numbers with a middle dot ---------


def test_a_romanised_short_my_number_label_blocks(iwaki: Screener) -> None:
    number = _my_number("21436587092")
    result = iwaki.screen(f"kojin_no,shimei\n{number},X\nの列を並べ替えて")
    assert result.action is Action.BLOCK
    assert number not in result.masked_text


def test_insurance_numbers_with_any_separator_are_screened_without_error(iwaki: Screener) -> None:
    result = iwaki.screen("国保の保険証、記号は 33・07 番号は 418 です")
    assert result.action is Action.BLOCK
    assert "418" not in result.masked_text


# --- confidential: more ways of saying "keep it in" and "not told yet"; more askers ----------------


@pytest.mark.parametrize(
    "text",
    [
        "内輪の話ですが、来年度から市民球場の使用料を上げる方向です。改定理由の説明文を",
        "非公式ですが、温水プールの運営を今年度末で終える方向で調整しています",
        "係長の異動は決まり。本人にはまだ。送別の段取りではなく、後任への引継ぎ表を作って",
        "家裁から照会があった件、対象は市内在住の70代の男性。回答書の書き方",
        "評定で2回続けて低評価だったFさん、改善指導の面談記録を整えて",
    ],
)
def test_more_confidential_forms_are_held(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM


# --- benign: police as a partner at a public event; a form's format ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "次回の交通安全教室で、警察官に講師をお願いする依頼文を作って",
        "来月の出前講座に県警の方を招く案内チラシ",
        "答弁書の書式をWordで揃える方法",
    ],
)
def test_public_events_and_formats_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- identifiers after round 7/8 (unseen): katakana readings, split or OCR'd cards, 第…号 licences ---


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("基礎年金番号 ｻﾝﾅﾅｺﾞｰｲﾁ の ﾆｰﾊﾁｾﾞﾛｷｭｰﾖﾝﾛｸ、音声メモです", "280946"),
        ("振込先は七十七銀行の本店、普通で、ゴーゴーイチハチサンゼロナナ", "5518307"),
    ],
)
def test_digits_read_out_in_katakana_are_digits(iwaki: Screener, text: str, digits: str) -> None:
    result = iwaki.screen(text)
    assert result.action is Action.BLOCK


def test_katakana_that_only_looks_like_readings_is_left_alone(iwaki: Screener) -> None:
    assert iwaki.screen("サンプルのイチゴとゴマを発注する文面を作って").action is Action.ALLOW


@pytest.mark.parametrize(
    "text",
    [
        "在留カードの番号、写真では\nQX30\n917264\nLB\nと読めます",
        "在留番号 TR8O5I1294K （読み取り結果）の形式を直して",
        "運転免許証で確認しました。番号は 第 318204957730 号 です",
        "ｳﾝﾃﾝﾒﾝｷｮｼｮｳ 5O21 7743 9l08 を台帳に",
        "年金の基礎番号は 3318-204957 とのこと",
        "The whole number 5193 0427 1186 3306 was on the form",
    ],
)
def test_more_identifier_layouts_are_blocked(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.BLOCK


def test_a_document_serial_near_a_licence_word_is_left_alone(iwaki: Screener) -> None:
    assert iwaki.screen("運転免許の自主返納の案内、第14号 の様式で作って").action is Action.ALLOW


def _card(first15: str) -> str:
    """`first15` completed with its Luhn check digit."""
    return next(first15 + d for d in "0123456789" if luhn_ok(first15 + d))


def test_a_card_number_in_pieces_after_a_payment_word_is_blocked(iwaki: Screener) -> None:
    card = _card("451203987766120")
    text = f"ネット決済の件、番号は最初が{card[:4]} {card[4:8]}、残りが{card[8:12]} {card[12:]}だそうです"
    assert iwaki.screen(text).action is Action.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        "決済番号 2025010700031298 の返金処理の起案文",
        "電子決済の受付 30491827364518 の控えを探したい",
    ],
)
def test_a_payment_word_does_not_make_any_long_number_a_card(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is not Action.BLOCK


def test_a_published_test_card_in_a_test_is_left_alone(iwaki: Screener) -> None:
    text = "決済代行の検証環境で、テスト用カード 4242 4242 4242 4242 を使う手順書を作って"
    assert iwaki.screen(text).action is Action.ALLOW


def test_a_published_test_card_outside_a_test_is_still_blocked(iwaki: Screener) -> None:
    assert iwaki.screen("申込者のカード番号は 4242 4242 4242 4242 です").action is Action.BLOCK


# --- benign: material the request says is public or invented; questions about wording --------------


@pytest.mark.parametrize(
    "text",
    [
        "次の公表済みの懲戒処分の発表文を、やさしい日本語にして。\n\n職員の懲戒処分について\n"
        "処分の内容　減給1/10 3月\n対象　○○課 主事（20代）",
        "以下は市のホームページに掲載している入札結果です。表にして\n工事名|予定価格|落札額\n市道改良|12,400,000|11,900,000",
        "研修用の架空の事例です（登場人物はすべて架空）。\n\nBさん（50代）は固定資産税を3期分滞納しており、分納の相談に来た。",
        "不開示決定通知書の「不開示理由」欄の文例を3つ",
        "What is the difference between 非公開 and 不開示 in a city's records?",
        "相談記録の要約文を作って（相談者の名前は伏せる）：転居後の手続について",
        "請求書の確認：取引先　株式会社北斗印刷、金額 55,000円、件名 封筒印刷",
    ],
)
def test_public_or_invented_material_and_wording_questions_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


def test_material_said_to_be_public_is_held_when_it_also_says_unpublished(iwaki: Screener) -> None:
    text = "以下は公表済みの入札結果です。あわせて未公表の次回分も入れて表にして\n次回　予定価格 9,800,000円"
    assert iwaki.screen(text).action is Action.CONFIRM


# --- confidential: more ways a case is told ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "福祉課の誰かが特定の業者に便宜を図ってる、という投書。調査メモの骨子を",
        "公園に夜まで毎日いる小学生の姉妹、父親が夜遅くまで帰らないらしい。関係機関への連絡文",
        "来年度、税務課は2人減で、減らすのは資産税係の方にしようと思っている。係長への説明メモ",
        "用地の一覧を整える：\n地番\t状況\n101-2\t交渉中（相手方の希望 ㎡2.4万、当方の上限 ㎡2.1万）",
        "窓口の受付時間短縮、17時→16時で内部決定。利用者への告知はまだ出さない。掲示文の案",
        "学童保育の有料化、4月から。庁内で決めたけど議会全協の前。職員向けの想定問答",
        "給食費の会計で残高が合わないと担当が言ってきた。教育長に上げる前に経過をまとめたい",
        "保健所の立入検査の結果、指摘事項4件。所内周知前に要点を",
        "昇任試験の論述問題、本番用5問のうち2問目を差し替えたい",
        "下水道使用料の未収金、同じ事業者で通算 38万。支払督促にするか決める資料",
        "教育総務課長の後任は学校教育課の次長で内定している。あいさつ文を先に",
        "清掃センターの職員が備品を持ち帰ってた件、処分は訓告か戒告か。量定を整理",
        "学童の支援員の一人（勤続2年）に退職を勧めたいと館長から相談。面談の準備",
        "任用1年目の会計年度任用職員 Gさん、次年度は再任用しない方向。通知文を",
        "防犯灯の保守、随契で 東和電設 にする方向。理由書の書きぶり",
        "まだオープンにできない話だけど、公民館2館の統合協議に入った。地区への説明資料",
        "まだ伏せといてほしいけど、市民体育館で天井材の落下が2件あった。利用者向け文書",
        "口外無用って念を押された件。保育所の民営化で○○保育所が対象。保護者説明の資料",
        "家庭児童相談の個別ケース会議、対象家庭は父子、父の就労不安定、不登校ぎみ。記録の要約",
        "市税の滞納、分割の申出を断られたケース。次は財産調査。経過の整理",
    ],
)
def test_more_cases_told_in_other_words_are_held(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "選挙ポスターのデザイン案を3つ考えて",
        "内定式のあいさつ文の一般的な構成を教えて",
        "随意契約とは何か、新人向けに説明して",
    ],
)
def test_the_same_words_as_a_topic_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


@pytest.mark.parametrize(
    "text",
    [
        "昇任試験の出題範囲は自治体ごとにどう違う？",
        "見積依頼で「当方の上限は300万円です」と伝える一般的な文例",
        "窓口で「まだ公にできない」と言われたときの、角の立たない返し方",
    ],
)
def test_questions_about_how_things_differ_or_are_said_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


@pytest.mark.parametrize("prefix", ["TEL 024-521-7700", "〒963-8601"])
def test_a_my_number_run_straight_into_a_phone_or_postal_code_is_blocked(
    iwaki: Screener, prefix: str
) -> None:
    number = _my_number("50617283946")
    result = iwaki.screen(f"{prefix}{number} の方から問い合わせ")
    assert result.action is Action.BLOCK
    assert number not in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "来週入札の体育館照明更新、設計書の金額がまだ参加業者に出ていない。積算メモを整理して",
        "課長昇任の候補者2名の比較表を作りたい。Jさんは折衝力、Kさんは企画力",
        "まだ正式ではないけど、来年度から市民会館の夜間利用を休止する。利用団体への案内の下書き",
    ],
)
def test_not_yet_out_and_candidates_are_held(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM


def test_preparing_for_an_audit_and_sharing_within_the_section_is_left_alone(iwaki: Screener) -> None:
    text = "来月の定期監査に備えて、契約書類の保管ルールを係内で共有する文を作って"
    assert iwaki.screen(text).action is Action.ALLOW


def test_a_kanji_word_ending_in_id_names_its_own_number(iwaki: Screener) -> None:
    number = _my_number("31415926535")
    assert iwaki.screen(f"利用者ID {number} のパスワード再発行の案内文").action is Action.ALLOW
    assert iwaki.screen(f"利用者ID（個人番号）{number} の確認").action is Action.BLOCK
