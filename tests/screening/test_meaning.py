"""Confidential matters recognised by meaning (issue 10): lexicon on normalised forms, specificity
against a general question, euphemisms, the lexicon kept in data. New examples, not red-team cases."""

from __future__ import annotations

import pytest

from bot.core.screening import Action, Screener, ScreeningPolicy
from bot.core.screening.detectors.meaning import load_lexicon


def _held(screener: Screener, text: str) -> bool:
    return screener.screen(text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "来週、市内の運送会社の滞納分について差し押さえを実施予定。通知文の案を",  # inflected: 差し押さえ
        "B社の代表者の滞納、差押予定は12月3日。手順の確認を",  # 差押 (another spelling)
        "県警の刑事さんが来庁し、ある世帯の転出先を教えてほしいとのこと。対応メモを",  # a pair across words
        "今度の採用試験の面接で、受験者2名の点数が同点。順位の付け方を",
        "用地課です。地権者3名への補償額（計8,400万円）を説明前に整理したい",
    ],
)
def test_a_case_in_other_words_is_held(screener: Screener, text: str) -> None:
    assert _held(screener, text)


@pytest.mark.parametrize(
    "text",
    [
        "差押えの一般的な流れと、差押禁止財産の考え方を教えて",
        "捜査関係事項照会とは何か、根拠条文を含めて説明して",
        "懲戒処分の種類と、地方公務員法の条文の一覧",
        "公益通報者保護法の改正ポイントを研修用にまとめて",
    ],
)
def test_a_general_question_about_the_topic_is_not_held(screener: Screener, text: str) -> None:
    assert screener.screen(text).action is Action.ALLOW


@pytest.mark.parametrize(
    "text",
    [
        "まだ表に出さないでほしいんですが、図書館の開館時間を来月から延ばす方向です。案内文を",
        "口外しないでください。児童館の統合が来年度に決まりそうです。説明資料を",
        "Off the record: the library will close on Mondays from April. Draft a notice.",
    ],
)
def test_euphemisms_hold_the_message(screener: Screener, text: str) -> None:
    assert _held(screener, text)


def test_a_question_about_the_phrase_itself_is_not_held(screener: Screener) -> None:
    assert screener.screen("「ここだけの話」という言い回しは社外メールで使ってよい？").action is Action.ALLOW


def test_published_content_is_not_held(screener: Screener) -> None:
    assert (
        screener.screen("入札結果（公表済み）：落札額 3,200万円、A社。HP用に整形して").action is Action.ALLOW
    )


def test_the_lexicon_is_data_with_every_category() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.categories.values()) >= {"operations", "law_secret", "public_safety", "personal"}
    assert len(lexicon.categories) >= 200


def test_a_city_adds_words_per_category() -> None:
    base = Screener(ScreeningPolicy.default())
    city = Screener(ScreeningPolicy.from_mapping({"confirm_terms": {"operations": ["指名審査会"]}}))
    text = "来週の指名審査会の議題を整理して"
    assert base.screen(text).action is Action.ALLOW
    assert city.screen(text).action is Action.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "市民課の窓口で使う案内文の素案を作ってください。対象は転入の手続きに来た市民の方です。",
        "次の条件で案内文の素案を200字以内で作成してください。目的：防災訓練のお知らせ",
        "議会答弁のたたき台を考えてほしい。テーマは公共施設の長寿命化です",
    ],
)
def test_a_draft_the_ai_is_asked_to_write_is_not_held(text: str) -> None:
    result = Screener(ScreeningPolicy()).screen(text)
    assert result.action is Action.ALLOW, [f.kind for f in result.findings]


def test_a_draft_pasted_in_is_still_held() -> None:
    text = "今回の組織改正の素案は課内で検討中です。次の3点を要約して：A課とB課を統合、定数を5人減"
    assert Screener(ScreeningPolicy()).screen(text).action is Action.CONFIRM
