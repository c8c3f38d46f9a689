"""Filling template forms into concise prompts (pure)."""

from __future__ import annotations

from bot.core.policy import load_policy
from bot.core.prompt_templates import fill

POLICY = load_policy("iwaki")
SUMMARY = POLICY.template("summary")
GREETING = POLICY.template("greeting")


def test_a_valid_form_builds_the_prompt_with_the_length() -> None:
    assert SUMMARY is not None
    filled = fill(
        SUMMARY,
        {"style": "箇条書き", "text": "会議の記録です。", "length": "200"},
        max_length=2000,
        max_input_chars=4000,
    )
    assert filled.problems == ()
    assert filled.prompt == "次の文章を200字以内で、箇条書きで要約してください。\n---\n会議の記録です。"


def test_default_length_and_optional_fields() -> None:
    assert GREETING is not None
    values = {"kind": "案内文", "topic": "市民まつり", "audience": "市民の皆さま"}
    filled = fill(GREETING, values, max_length=2000, max_input_chars=4000)
    assert "300字以内" in filled.prompt
    assert "盛り込む事項：（指定なし）" in filled.prompt


def test_problems_are_listed_and_nothing_is_built() -> None:
    assert SUMMARY is not None
    filled = fill(
        SUMMARY, {"style": "詩", "text": " ", "length": "9999"}, max_length=2000, max_input_chars=4000
    )
    assert filled.prompt == ""
    assert filled.problems == (
        "「形式」は選択肢から選んでください。",
        "「要約する文章（公開できる内容に限ります）」を入力してください。",
        "回答の長さは50〜2,000字の整数で指定してください。",
    )


def test_length_accepts_full_width_and_card_numbers() -> None:
    assert SUMMARY is not None
    for raw in ("３００", 300, "300.0"):
        filled = fill(
            SUMMARY, {"style": "文章", "text": "本文", "length": raw}, max_length=2000, max_input_chars=4000
        )
        assert "300字以内" in filled.prompt
    for raw in ("abc", "inf", "-5", "12.5"):
        filled = fill(
            SUMMARY, {"style": "文章", "text": "本文", "length": raw}, max_length=2000, max_input_chars=4000
        )
        assert filled.problems


def test_braces_typed_by_the_user_are_kept_as_text() -> None:
    assert SUMMARY is not None
    filled = fill(
        SUMMARY, {"style": "文章", "text": "{length} と {0}"}, max_length=2000, max_input_chars=4000
    )
    assert filled.prompt.endswith("{length} と {0}")


def test_the_built_prompt_must_fit_the_input_limit() -> None:
    assert SUMMARY is not None
    filled = fill(SUMMARY, {"style": "文章", "text": "あ" * 3990}, max_length=2000, max_input_chars=4000)
    assert filled.problems
    assert "4,000文字以内" in filled.problems[0]
