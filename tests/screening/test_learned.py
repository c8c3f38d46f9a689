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
    assert finding.category == "operations"
    assert "市有地" in finding.signal.split("・")  # a noun worth showing, not 円 or 言う


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
