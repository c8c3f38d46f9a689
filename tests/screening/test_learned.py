"""The learned confidential-matter model (bot/core/screening/learned.py): shipped as trained, holds
live matters said outside the lexicon, leaves questions about a topic alone, can be turned off.

The sentences below were written for this file (none is from a red-team round); the figures on
rounds the model was not trained on are in the README (Screening quality, session 6)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.core.policy import load_policy
from bot.core.screening import Action, PseudonymTable, Screener
from bot.core.screening.detectors import Views
from bot.core.screening.learned import LearnedModel, features, load_model
from bot.core.screening.learned_names import candidate, joined, letter_spaced, load_name_model, token_features
from bot.core.screening.policy import ScreeningPolicy
from tests.screening import learn


@pytest.fixture(scope="module")
def screeners() -> tuple[Screener, Screener]:
    policy = load_policy("iwaki").screening
    return Screener(policy), Screener(replace(policy, learned_confirm=False))


def test_the_shipped_model_was_trained_on_the_rounds_in_the_repository() -> None:
    assert load_model().trained_on == learn.digest(learn.round_files()), (
        "a red-team round changed: retrain with `python -m tests.screening.learn`"
    )


def test_retraining_gives_the_shipped_file_byte_for_byte() -> None:
    assert learn.main(["--check"]) == 0


def test_the_training_never_reads_the_frozen_set_or_the_next_round() -> None:
    names = {p.name for p in learn.round_files()}
    assert names
    assert all(n.startswith("round") for n in names)
    assert "frozen.jsonl" not in names


LIVE = [
    # a prosecutor's request about a former employee, in words outside the lexicon's families
    (
        "地検の担当者から、先月退職した職員の超過勤務の記録を写しで出してほしいと電話があった。回答の段取りを整理したい",
    ),
    # a landowner's price in a negotiation still going on
    (
        "北口の市有地、向こうの社長は坪あたりあと5千円上げれば判を押すと言っている。次回の面談で出す数字の考え方をまとめて",
    ),
]
GENERAL = [
    "捜査関係事項照会とは何か、市役所が回答するときの一般的な注意点を教えてください",
    "用地交渉の一般的な進め方を新任職員向けに説明してください",
    "市民プールの開館時間を案内するお知らせ文を作ってください",
]


@pytest.mark.parametrize("text", [t for (t,) in LIVE])
def test_a_live_matter_is_held_for_confirmation(screeners: tuple[Screener, Screener], text: str) -> None:
    with_model, _ = screeners
    result = with_model.screen(text, PseudonymTable())
    assert result.action is Action.CONFIRM
    (finding,) = [f for f in result.findings if f.kind == "confidential"]
    assert finding.category in load_model().categories
    assert finding.signal
    assert all(word in text for word in finding.signal.split("・"))


def test_the_land_case_is_one_only_the_model_holds(screeners: tuple[Screener, Screener]) -> None:
    with_model, rules_only = screeners
    text = LIVE[1][0]
    assert rules_only.screen(text, PseudonymTable()).action is Action.ALLOW
    finding = next(f for f in with_model.screen(text, PseudonymTable()).findings if f.kind == "confidential")
    assert finding.category in ("operations", "deliberation")  # a negotiation still going on
    cues = finding.signal.split("・")
    assert all(len(c) >= 2 for c in cues), cues  # nouns worth showing, not 円 or 言う
    assert not {"円", "言っ", "いる", "言う"} & set(cues)


def test_a_message_the_rules_hold_gets_no_second_reason_from_the_model(
    screeners: tuple[Screener, Screener],
) -> None:
    # the marking holds it; the model would also hold the land case, but the card shows one reason
    text = "【部外秘】" + LIVE[1][0]
    with_model, rules_only = screeners
    assert with_model.screen(LIVE[1][0], PseudonymTable()).action is Action.CONFIRM
    result = with_model.screen(text, PseudonymTable())
    assert result.action is Action.CONFIRM
    (finding,) = [f for f in result.findings if f.kind == "confidential"]
    assert finding.signal == "部外秘"
    assert result.findings == rules_only.screen(text, PseudonymTable()).findings


@pytest.mark.parametrize("text", GENERAL)
def test_a_question_about_the_topic_is_left_alone(screeners: tuple[Screener, Screener], text: str) -> None:
    with_model, _ = screeners
    assert with_model.screen(text, PseudonymTable()).action is Action.ALLOW


def test_published_material_is_not_held_by_the_model(screeners: tuple[Screener, Screener]) -> None:
    with_model, _ = screeners
    text = "公表済みの資料です。" + LIVE[1][0]
    assert with_model.screen(text, PseudonymTable()).action is Action.ALLOW


def test_a_confirmation_releases_the_models_hold(screeners: tuple[Screener, Screener]) -> None:
    with_model, _ = screeners
    assert with_model.screen(LIVE[1][0], PseudonymTable(), confirmed=True).action is Action.ALLOW


def test_the_policy_turns_the_model_off_and_refuses_a_non_boolean() -> None:
    assert ScreeningPolicy.from_mapping({}).learned_confirm is True
    assert ScreeningPolicy.from_mapping({"learned_confirm": False}).learned_confirm is False
    with pytest.raises(ValueError, match="learned_confirm must be true or false"):
        ScreeningPolicy.from_mapping({"learned_confirm": "no"})


def test_features_are_content_words_without_numbers_or_names() -> None:
    feats = features(Views("佐藤さんが3月に用地交渉の記録を持ち帰った").tokens)
    words = {f for f in feats if f.startswith("u:")}
    assert "u:用地" in words or "u:用地交渉" in words
    assert not any("佐藤" in f or "3" in f for f in feats)
    assert not any(f in ("u:が", "u:の", "u:を") for f in feats)  # particles carry no content
    assert any(f.startswith("b:") for f in feats)


def test_the_model_file_is_checked_when_it_is_read() -> None:
    raw = json.loads(load_model().to_json())
    assert LearnedModel.from_json(raw) == load_model()
    raw["category_bias"] = raw["category_bias"][:-1]
    with pytest.raises(ValueError, match="category row"):
        LearnedModel.from_json(raw)


# ---- the name model (learned_names.py) ----------------------------------------------------------

NAMES_ONLY_THE_MODEL_FINDS = [
    ("今日の窓口当番：柳沢→受付、五月女→電話。これを表にして", ["柳沢", "五月女"]),
    ("受付簿\n10:05 真鍋（転入）\n10:20 小野寺（証明書）\n件数を集計する式を教えて", ["真鍋", "小野寺"]),
    ("引継ぎ：徳永→鶴見へ。来月から担当変更。挨拶文を", ["徳永"]),
]


@pytest.fixture(scope="module")
def name_screeners() -> tuple[Screener, Screener]:
    policy = load_policy("iwaki").screening
    return Screener(policy), Screener(replace(policy, learned_names=False))


@pytest.mark.parametrize(("text", "names"), NAMES_ONLY_THE_MODEL_FINDS)
def test_names_where_no_rule_looks_are_masked(
    name_screeners: tuple[Screener, Screener], text: str, names: list[str]
) -> None:
    with_model, rules_only = name_screeners
    assert all(n in rules_only.screen(text, PseudonymTable()).masked_text for n in names)
    result = with_model.screen(text, PseudonymTable())
    assert result.action is Action.MASK
    assert not any(n in result.masked_text for n in names), result.masked_text
    assert "〔人名1〕" in result.masked_text


@pytest.mark.parametrize(
    "text",
    [
        "夏目漱石の「坊っちゃん」のあらすじを、中学生向けに紹介してください",
        "申請書の記入例（氏名欄：山田太郎）を見やすく整えて",
        "平地区と小名浜地区の人口を比べる表を作って",
        "旅 券 の 申 請 に 必 要 な 書 類 の一覧を表にして",
    ],
)
def test_the_name_rules_filters_still_apply_to_the_models_names(
    name_screeners: tuple[Screener, Screener], text: str
) -> None:
    with_model, _ = name_screeners
    assert with_model.screen(text, PseudonymTable()).action is Action.ALLOW


def test_one_person_keeps_one_placeholder_across_the_models_and_the_rules_names(
    name_screeners: tuple[Screener, Screener],
) -> None:
    with_model, _ = name_screeners
    table = PseudonymTable()
    first = with_model.screen("今日の窓口当番：柳沢→受付。", table)
    second = with_model.screen("柳沢さんに明日の予定を伝える文を作って", table)
    assert "〔人名1〕→受付" in first.masked_text
    assert second.masked_text.startswith("〔人名1〕")


def test_the_policy_turns_the_name_model_off() -> None:
    assert ScreeningPolicy.from_mapping({}).learned_names is True
    assert ScreeningPolicy.from_mapping({"learned_names": False}).learned_names is False
    with pytest.raises(ValueError, match="learned_names must be true or false"):
        ScreeningPolicy.from_mapping({"learned_names": 1})


def test_the_fast_name_score_marks_exactly_what_the_features_give() -> None:
    """`NameModel.spans` sums cached per-token weights; training and this reference build the
    feature strings. On every message of the rounds both must mark the same tokens."""
    model = load_name_model()
    texts = [
        c["text"] for p in learn.round_files() for c in map(json.loads, p.read_text("utf-8").splitlines())
    ]
    compared = 0
    for text in texts[::3]:
        views = Views(text)
        base, toks = views.base.text, views.tokens
        marked = [
            t
            for i, t in enumerate(toks)
            if candidate(t)
            and not letter_spaced(base, toks, i)
            and model.probability(token_features(base, toks, i)) >= model.threshold
        ]
        assert model.spans(base, toks) == joined(base, marked), text
        compared += bool(marked)
    assert compared > 100  # the comparison saw many messages with names in them
