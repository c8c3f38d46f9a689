"""The causes behind the round 3 red-team misses, each with new examples written for these tests.

Round 3 (tests/screening/redteam/round3.jsonl) was scored unseen first; these tests pin the
classes of text it exposed (a label written in hiragana, an identifier split by a line break or
hyphens, a confidential case told by its details rather than a keyword, …), never its cases.
"""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener


def _action(screener: Screener, text: str) -> Action:
    return screener.screen(text).action


def _masked(screener: Screener, text: str) -> str:
    result = screener.screen(text)
    assert result.action is Action.MASK, result
    return result.masked_text


# --- identifier labels written in hiragana, or with の inside -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ひほけんしゃばんごうは 52810937 と聞きました。",
        "じゅうみんひょうこーど 83920174655 の照会",
        "うんてんめんきょしょう の 530218746390 を控えた",
        "めんきょのばんごう 530218746390",
        "免許の番号は 530218746390 です",
        "ねんきんばんごう 4821-573920 の件",
        "年金 手帳番号 4821 - 573920 を確認",
        "ざいりゅうかーど ZK 5820 3917 MP",
    ],
)
def test_hiragana_and_loose_identifier_labels_block(iwaki: Screener, text: str) -> None:
    assert _action(iwaki, text) is Action.BLOCK


# --- letters-and-digits identifiers split by a line break or hyphens -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "パスポート番号\nMK\n5830291\nと2行で届いた",
        "旅券は RX-8402916 です",
        "在留カード番号 PD-7715-2038-XA を入力",
        "在留カード：YT-50281934-KE",
    ],
)
def test_alphanumeric_identifiers_split_by_layout_block(iwaki: Screener, text: str) -> None:
    assert _action(iwaki, text) is Action.BLOCK


def test_a_specimen_alphanumeric_number_is_allowed(iwaki: Screener) -> None:
    assert _action(iwaki, "在留カード番号の書き方（例：ZZ00000000ZZ）を案内文に") is Action.ALLOW
    assert _action(iwaki, "旅券番号の記入例は AA0000000 としてください") is Action.ALLOW
    assert _action(iwaki, "在留カード番号 PD-7715-2038-XA の記入例") is Action.BLOCK  # a real-looking one


def test_a_harmless_label_in_brackets_still_labels_the_number(iwaki: Screener) -> None:
    assert _action(iwaki, "お問合せ番号（受付番号）246813579021 の件で電話") is Action.ALLOW


# --- confidential matters told by their details (specificity cues, euphemisms, new terms) ----------


@pytest.mark.parametrize(
    "text",
    [
        "児童相談所への通告を検討中の家庭（母親28歳、転入予定）について、支援の分担を整理して",
        "弁護士会照会で、ある市民の課税額について回答を求められている。回答文の案を",
        "休職中の職員（主任、入庁5年目）について復職の可否を判断する資料を",
        "給食センターの民営化、内部ではC地区から令和9年に移す案で固まりつつある",
        "滞納者宅の捜索を来週行う。徴収職員の配置を決めたい",
        "まだ誰にも話していない段階ですが、公民館を2館閉じる方向です",
        "相談者の件、外部には漏らさない約束で聞いた話です。対応の整理を",
        "採用内定者2名のうち1名が辞退しそう。次点の扱いを課内で相談したい",
        "職員から相談があった。本人は誰にも言わないでほしいと言っている",
        "買受希望者が示した金額（1反あたり80万円）は妥当か",
    ],
)
def test_confidential_cases_in_other_words_are_confirmed(iwaki: Screener, text: str) -> None:
    assert _action(iwaki, text) is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "採用試験の問題作成を外部に頼むときの秘密保持の誓約書のひな形を作ってください",
        "「ここだけの話」、という前置きは社内メールで使ってもよいですか",
        "市が公表した随時監査結果報告書の概要を3行で",
        "工事番号 第7-下-031号 の竣工検査の日程を業者と調整するメール",
        "退職勧奨とは何か、一般論として注意点を教えて",
    ],
)
def test_benign_classes_are_left_alone(iwaki: Screener, text: str) -> None:
    assert _action(iwaki, text) is Action.ALLOW


# --- names in more contexts --------------------------------------------------------------------------


def test_award_list_names_are_masked(iwaki: Screener) -> None:
    masked = _masked(iwaki, "表彰者\n大賞　鴨志田 涼子\n佳作　　柳生 健吾\n式次第を作って")
    assert "鴨志田" not in masked
    assert "柳生" not in masked


def test_council_minutes_speakers_are_masked(iwaki: Screener) -> None:
    masked = _masked(iwaki, "○議長（勅使河原）　ただいまから開会します。\n○委員（百目鬼）　質問です。")
    assert "勅使河原" not in masked
    assert "百目鬼" not in masked


def test_the_writer_naming_themself_is_masked(iwaki: Screener) -> None:
    assert "一ノ瀬" not in _masked(iwaki, "保健師の一ノ瀬です。訪問記録の書き方を教えて")
    assert "東海林" not in _masked(iwaki, "私、東海林から、申請者へのお詫び文をお願いします")


def test_a_kanji_name_and_its_reading_after_a_name_label(iwaki: Screener) -> None:
    masked = _masked(iwaki, "名字は「小鳥遊（たかなし）」です。窓口で読み違えないように")
    assert "小鳥遊" not in masked
    assert "たかなし" not in masked


def test_a_katakana_name_with_a_bracketed_note_before_the_honorific(iwaki: Screener) -> None:
    assert "アイシャ" not in _masked(iwaki, "アイシャ（小4）さんの保護者への連絡文")


def test_an_apostrophe_surname_after_mr(iwaki: Screener) -> None:
    assert "O'Malley" not in _masked(iwaki, "Dear Mr. O'Malley, your application was received.")
    assert "D'Souza" not in _masked(iwaki, "Please call Ms. D'Souza tomorrow.")


# --- a date of birth repeated in another notation -----------------------------------------------------


def test_a_birth_date_written_again_in_another_notation_is_masked_too(iwaki: Screener) -> None:
    masked = _masked(iwaki, "生年月日「1978/11/23」を「昭和53年11月23日」の形に直したい")
    assert "1978" not in masked
    assert "昭和53年11月23日" not in masked
    masked = _masked(iwaki, "誕生日欄の R2.4.8 を令和2年4月8日 と書き直す")
    assert "令和2年4月8日" not in masked


def test_an_unrelated_date_next_to_a_birth_date_is_kept(iwaki: Screener) -> None:
    masked = _masked(iwaki, "生年月日は1978年11月23日、申請日は2024年5月1日です")
    assert "2024年5月1日" in masked
