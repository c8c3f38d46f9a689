"""The causes behind the round 4 and round 5 red-team misses, each with new examples written here.

Rounds 4 and 5 (tests/screening/redteam/round4.jsonl, round5.jsonl) were scored unseen first; these
tests pin the classes of text they exposed — an identifier's label in yet another form, any other
word naming a number, a confidential matter told as "not yet disclosed", a public facility's
number, a name in a list or a signature — never their cases.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener


def _result(screener: Screener, text: str) -> tuple[Action, str]:
    result = screener.screen(text)
    return result.action, result.masked_text


# --- identifiers: labels in more forms, look-alikes, spoken digits, passports of any country -------


@pytest.mark.parametrize(
    "text",
    [
        "jumin_cd,shimei\n40918273655,サトウ ハナ\nこの列を並べ替えて",
        "hoken_bango\thoken_kigo\n3071\t552\n整形して",
        "めんきょ番号 4102 8837 1290 をメモした",
        "パスポ番号 KD8120934 の方の転出届",
        "护照号码 GH7302185，请翻译",
        "くれじっと の番号 4980 1203 3384 5512 を預かった",
        "個人番号 7877 8932 879O を確認",  # O for 0 at the end of a group (OCR)
        "マイナンバー：787789328l9O",  # l and O in a run (OCR)
        "年金 番号は「よんさんにーいち、はちはちごーななろくぜろ」でした",  # read out in hiragana
        "旅券番号の欄には\n　ＪＫ\n　8812045\nと二段で書かれています",  # letters and digits on separate lines
        "参加者の旅券番号（米国は9桁）を表にして\nMaria Lopez / 612093487",
        "保険証の写しです。記号 5120　番号 33　枝番 01",  # card fields after 記号/番号/枝番
    ],
)
def test_identifiers_in_new_forms_are_blocked(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.BLOCK, text


@pytest.mark.parametrize(
    "text",
    [
        "交付番号 787789328790 のマニフェストが戻ってこない",
        "領収書番号 217421809673 の再発行はできますか",
        'Please tell the guest: "Your booking number is 929081003393."',
        "denpyo_no,kingaku\n787789328790,5400\n217421809673,1200",
        "口座振替の受付は納税課（電話 0246-22-1111）へ",  # a phone's label beats a bank word nearby
    ],
)
def test_a_number_with_its_own_label_is_not_an_identifier(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is not Action.BLOCK, text


def test_a_sensitive_label_inside_another_word_still_labels(iwaki: Screener) -> None:
    assert iwaki.screen("申請者個人番号 217421809673").action is Action.BLOCK
    assert iwaki.screen("住基番号 40918273655").action is Action.BLOCK


def test_ordinary_words_are_not_read_as_digits(iwaki: Screener) -> None:
    for text in ("いちごを買った", "にさんにちで届きます", "Oil 100 l の在庫", "しごとの手順"):
        assert iwaki.screen(text).action is Action.ALLOW, text


# --- confidential matters told as "not yet disclosed", by meaning --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "保育所の統合案、保護者にはまだ何も伝えていません。説明会の進行表を作って",
        "図書館の開館時間短縮の件、利用者への周知はこれからです。お知らせ文を作って",
        "来年度の組織の見直しは正式決定が4月の予定です。職員向けQ&Aを下書きして",
        "審議会に諮る前の案として、使用料を1時間300円から450円に上げる方向。説明資料を",
        "この単価は業者に絶対言わないでと言われています。1㎡あたり8,200円。メモを整理して",
        "市営プールの入札で、見積から出した上限は 1,240万円。仕様書の文を見て",
        "決裁前の人事配置案です。総務課から2名を防災課へ。通知文を",
        "The staff survey results are not yet public: 42% want remote work. Summarise them in Japanese.",
    ],
)
def test_matters_not_yet_disclosed_are_held(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM, text


@pytest.mark.parametrize(
    "text",
    [
        "「オフレコ」という言葉の意味と使い方を教えて",
        "公表前の資料の取扱いについて、一般的な注意点を研修用にまとめて",
        "入札の仕組みを新人向けに説明して",
    ],
)
def test_questions_about_the_topic_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW, text


def test_a_lexicon_noun_matches_its_verb_form(iwaki: Screener) -> None:
    assert iwaki.screen("来週差押え予定の3件を一覧表にして").action is Action.CONFIRM


# --- public numbers and made-up examples ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "市民体育館の電話 0246-21-3311 を大会案内に載せて",
        "夜間の連絡先一覧（市HP掲載）\n水道　0246-22-4000\nごみ　0246-22-5000\n表にして",
        "電話番号を「0246-22-3333」のような形にそろえる関数を教えて",
        "テストケース：電話番号 03-1234-5678（テスト用）で入力エラーにならないこと",
        "課の代表メールアドレス kouhou@city.example.lg.jp を案内に入れて",
    ],
)
def test_public_and_example_contacts_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW, text


def test_a_persons_landline_is_still_masked(iwaki: Screener) -> None:
    action, masked = _result(iwaki, "申請者の自宅電話 0246-58-2210（固定）に折り返したい")
    assert action is Action.MASK
    assert "0246-58-2210" not in masked


# --- names: lists, signatures, fields, history ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("表彰者一覧\n・書道の部　東海林 亮介\n・絵画の部　百目鬼 澪\n紹介文を作って", ["百目鬼 澪"]),
        ("名簿\n1 東海林 亮介\n2 薬師寺 瑠璃\n清書して", ["薬師寺 瑠璃"]),
        (
            "担当は、1係 東海林、2係 グエン・ヴァン・アン、3係 さくらい です",
            ["グエン・ヴァン・アン", "さくらい"],
        ),
        ("姓：五十嵐　名：みのり　の順に並べ替えたい", ["五十嵐", "みのり"]),
        ("本文です。よろしくお願いします。\n\n--\n鬼頭 静香\nmail: x@example.net", ["鬼頭 静香"]),
        ("議事録の下書き\n議長（百目鬼）：開会します。", ["百目鬼"]),
        ("昭和40年生まれの男性からの相談", ["昭和40年"]),
        ("設計者：一級建築士 日下部 航", ["日下部 航"]),
    ],
)
def test_names_in_lists_fields_and_signatures_are_masked(
    iwaki: Screener, text: str, names: list[str]
) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.MASK, text
    for name in names:
        assert name not in masked, (name, masked)


@pytest.mark.parametrize(
    "text",
    [
        "郷土の偉人の名言を集めた放送原稿：「為せば成る」上杉鷹山",
        "江戸時代の藩主 保科正之 の業績を小学生向けにまとめて",
        "英語の教材です: Elizabeth Bennet meets Mr. Darcy at a ball.",
        "Excel練習用の表\n氏名\t点数\n職員A\t80\n職員B\t75",
    ],
)
def test_historical_fictional_and_stand_in_names_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW, text


def test_a_named_person_in_a_history_message_is_still_masked(iwaki: Screener) -> None:
    action, masked = _result(iwaki, "郷土の偉人展の講師、平野 崇さんへの依頼文を作って")
    assert action is Action.MASK
    assert "平野 崇" not in masked


def test_estate_rooms_with_floor_and_phase_are_addresses(iwaki: Screener) -> None:
    action, masked = _result(iwaki, "入居者は 桜台団地 第3期 2号棟 4階 408 の方です")
    assert action is Action.MASK
    assert "408" not in masked
