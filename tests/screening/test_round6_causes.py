"""The causes behind the round 6 red-team misses, each with new examples written here.

Round 6 (/work/eval/round6.jsonl, copied to tests/screening/redteam/round6.jsonl) was scored unseen
first; these tests pin the classes of text it exposed — an identifier's label with a typo or in
mixed kana and kanji, a network's name as the label of its number, an allegation of wrongdoing told
to the city — never its cases.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener


def _result(screener: Screener, text: str) -> tuple[Action, str]:
    result = screener.screen(text)
    return result.action, result.masked_text


# --- identifiers: labels in mixed kana/kanji, with a homophone typo, a network's name ---------------


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("ねんきん番号は 4410 の 302918 です、控えておいて", "302918"),
        ("ねんきんの手帳に 2281-774105 と書いてある", "774105"),
        ("被保験者証 31827746 を紛失したとの届出", "31827746"),
        ("被保検者番号：55019273 の方の資格確認", "55019273"),
        ("住基ネットに登録されている 28371940562 で照会したい", "28371940562"),
        ("住民基本台帳ネットワークの番号 70318264951 を確認", "70318264951"),
    ],
)
def test_identifier_labels_in_more_forms_block(iwaki: Screener, text: str, digits: str) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.BLOCK
    assert digits not in masked


# --- confidential: an allegation of wrongdoing, whoever the actor and however it reached the city ---


@pytest.mark.parametrize(
    "text",
    [
        "体育館の職員が備品を私物化していると市民から電話があった。対応記録を作りたい",
        "匿名のメールで、保育所の園長が補助金の書類を書き換えていると。確認の進め方を教えて",
        "「係長が出張旅費を水増ししている」と同僚から相談を受けました。報告書の書き方を",
        "委託先の社員が個人情報を持ち帰っていた疑いがある。調査メモの骨子を",
        "A resident says a staff member at the pool was taking cash from the ticket machine. Draft a memo",
    ],
)
def test_an_allegation_of_wrongdoing_is_held_for_confirmation(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "公益通報制度とは何か、職員研修向けに一般論で説明して",
        "職員が窓口で使う丁寧な言い回しを教えて",
        "The caller asked when the library opens. Please write a polite reply",
    ],
)
def test_general_questions_about_reporting_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- confidential: the words of a case the lexicon did not know, in Japanese and in English ----------


@pytest.mark.parametrize(
    "text",
    [
        "来週の入札、うちの設計額は1,250万。業者に聞かれたらどう答える？",  # the city's own estimate
        "今回の入札で、東山建設は経審の点数が足りない。参加を断る通知文の判断材料を",  # bid qualification
        "今度の指名は北浜建設・西原工業の2社で起案する予定。理由を書いて",  # the firms to be nominated
        "移転する美容室の休業補償を2か月分で計算したら310万。先方は4か月を主張",  # compensation
        "用地の買収、上限は鑑定価格の1.2倍で課内合意済み。交渉の想定問答を",  # our negotiating limit
        "差押えている土地を公売にかける前に相場を業者に聞きたい（滞納処分の件）",  # a step still to come
        "保健室の先生から、1年の男子生徒にリストカットの跡があると相談。連絡票を作りたい",
        "図書館2館を統合する案、教育委員会の協議会で揉んでいる段階。説明資料の骨子を",
        "We are considering merging the two community centres next April. Please draft a notice",
        "A third-grader told the teacher his stepfather hits him at night. Help me write the report",
        "Memo: Mr. Sato owes 800,000 yen in city tax; we intend to seize his deposit next week",
        "The landowner is asking 52,000 yen per m2 but our appraisal is 38,000. Draft talking points",
    ],
)
def test_more_case_words_are_held_for_confirmation(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "法人番号で入札参加資格審査の登録を確認する方法を教えて",
        "指名競争入札と一般競争入札の違いを職員研修向けに説明して",
        "リストカットをする子どもへの一般的な関わり方の研修資料の目次",
        "Please explain what a land appraisal is, in general terms, for a training slide",
    ],
)
def test_the_same_words_in_a_general_question_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is not Action.CONFIRM


# --- dates of birth: a list under one label, kana and romanised labels, M/D, English forms ----------


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        (
            "新入職員の生年月日を名簿に：山内 陽菜 H15.3.8、小野 湊 H12.10.30。並べ替えて",
            ["H15.3.8", "H12.10.30"],
        ),
        ("ｾｲﾈﾝｶﾞｯﾋﾟ S52.11.03 の方の記録を整形して", ["S52.11.03"]),
        ("namae,seinengappi\n田村 結衣,2011/09/14\n並べ替えて", ["2011/09/14"]),
        ("誕生日 11/3 、生まれ年は1961年だそうです。お祝いの文を", ["11/3", "1961"]),
        ("She was born on the 21st of March, 1984. Please write a card", ["21st of March, 1984"]),
        ("DOB: 12/05/1990 on the form — is this day first?", ["12/05/1990"]),
    ],
)
def test_more_forms_of_a_date_of_birth_are_masked(iwaki: Screener, text: str, dates: list[str]) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    for date in dates:
        assert date not in masked


@pytest.mark.parametrize(
    "text",
    [
        "生年月日の欄は和暦で書きます。提出期限は2025/6/30です",
        "研修の日程は7/14と7/21です。案内文を作って",
        "The library was built on the 3rd of May, 1975. Write a short history",
    ],
)
def test_other_dates_near_a_birth_word_are_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


# --- phones and e-mail addresses told in pieces, broken over lines, or in international form ---------


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("携帯は最初が080で、次が3312、最後が9054です。メモにして", ["3312", "9054"]),
        ("電話番号が\n0242-\n33-\n1980\nと改行された。直して", ["1980"]),
        ("フィリピンの家族の番号 +63 917 882 4410 に連絡したいとの相談", ["882 4410"]),
        ("アットマークの前が kenta_h.77 で、後ろが docomo.ne.jp です", ["kenta_h.77", "docomo.ne.jp"]),
        ("アドレスが\nhiro.tanabe\n@yahoo.co.jp\nと2行になった", ["hiro.tanabe"]),
    ],
)
def test_contacts_in_pieces_are_masked(iwaki: Screener, text: str, pieces: list[str]) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    for piece in pieces:
        assert piece not in masked


def test_ordinary_numbers_in_a_sentence_are_not_read_as_phones(iwaki: Screener) -> None:
    assert (
        iwaki.screen("参加者は最初が20名で、次が35名、最後が41名でした。グラフにして").action is Action.ALLOW
    )
    assert iwaki.screen("気温は +12 度から +3 度まで下がった").action is Action.ALLOW


# --- dates of people long dead are history, not personal data ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "野口英世は1876年11月9日生まれ。子ども向けの紹介文を",
        "宮沢賢治は明治29年8月27日生まれだが、年表の表記を揃えて",
    ],
)
def test_a_birth_date_before_anyone_living_is_left_alone(iwaki: Screener, text: str) -> None:
    assert iwaki.screen(text).action is Action.ALLOW


def test_a_living_persons_birth_date_is_still_masked(iwaki: Screener) -> None:
    action, masked = _result(iwaki, "祖母は1931年5月2日生まれです。長寿祝いの文を")
    assert action is Action.MASK
    assert "1931年5月2日" not in masked


# --- addresses: ヶ in the town, a line break after 町, a building with floor and room, katakana towns,
# --- English towns of two words, a home's room after a postal code that looks like an office's -------


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        ("星ヶ丘3-8-12 のお宅から騒音の苦情。回答文を", "3-8-12"),
        ("住所が2行になった：\n高崎市八幡町\n二丁目4-11\n直して", "4-11"),
        ("届出書にはコーポ緑川 3階302号 とだけある。確認の電話の例を", "302"),
        ("ｼﾞｭｳｼｮ ｻｸﾗｶﾞｵｶﾁｮｳ 2-7-15 の半角カナを漢字に", "2-7-15"),
        ("Please write: 3-11-8 Taira Kamata-cho, Iwaki on the envelope", "3-11-8"),
        ("送付先「〒970-8031 いわき市平字鍛冶町5-2 ハイツ鍛冶203」に送る", "203"),
    ],
)
def test_more_address_forms_are_masked(iwaki: Screener, text: str, piece: str) -> None:
    action, masked = _result(iwaki, text)
    assert action is Action.MASK
    assert piece not in masked


def test_an_offices_address_with_its_own_postal_code_is_still_left_alone(iwaki: Screener) -> None:
    assert iwaki.screen("〒970-8686 いわき市平梅本21 いわき市役所 あてに送付").action is Action.ALLOW
