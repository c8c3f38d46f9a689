"""The gate screens each text once (issue 13: CPU per turn), and every exit is still screened.

What is reused, and why it is safe:
- a text the gate produced for a masking exit (the screened answer) passes the caller's own chat as
  it is: that exit only redacts block-class values, which the masking rule already redacted;
- the final message (the screened answer, then references and the footer) is screened from a line
  a little before the end of the answer: a value in what follows, or across the join, is still
  redacted;
- the screener's result for a short text (the bot's fixed texts) is kept: it depends on the text
  alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.exits import Exit, Gate
from bot.core.policy import load_policy
from bot.core.screening import Finding, Screener, ScreeningResult

MY_NUMBER = "123456789018"  # valid check digit
ANSWER = "市民まつりは十月に開催します。会場は中央公園です。\n" * 12  # a long answer, no findings


class CountingScreener(Screener):
    """The real screener, recording the texts it screens (in full or for block-class values only)."""

    def __init__(self) -> None:
        super().__init__(load_policy("iwaki").screening)
        self.texts: list[str] = []
        self._inside = False

    def screen(self, text: str, *args: Any, **kwargs: Any) -> ScreeningResult:
        if not self._inside:
            self.texts.append(text)
        return super().screen(text, *args, **kwargs)

    def blocked(self, text: str) -> tuple[Finding, ...]:
        self.texts.append(text)
        self._inside = True  # `blocked` may screen in full: one text read once
        try:
            return super().blocked(text)
        finally:
            self._inside = False


@pytest.fixture(scope="module")
def screener() -> CountingScreener:
    return CountingScreener()


def test_the_screened_answer_shown_in_the_callers_chat_is_not_screened_again(
    screener: CountingScreener,
) -> None:
    gate = Gate(screener)
    answer = gate.screen_answer(f"番号は {MY_NUMBER} です。" + ANSWER)
    assert MY_NUMBER not in answer.text
    screener.texts.clear()
    shown = gate.screen(answer.text, Exit.OWN_CHAT)
    assert shown.text == answer.text
    assert screener.texts == [], "a fixed point of the masking rule"


def test_a_value_after_the_screened_answer_is_still_redacted(screener: CountingScreener) -> None:
    gate = Gate(screener)
    answer = gate.screen_answer(ANSWER).text
    screener.texts.clear()
    final = gate.screen(f"{answer}\n\n---\n番号 {MY_NUMBER}", Exit.OWN_CHAT)
    assert MY_NUMBER not in final.text
    assert final.text.startswith(answer)
    assert final.redacted == 1
    [window] = screener.texts
    assert len(window) < len(answer), "only the end of the answer is read again, with what follows"


def test_an_identifier_across_the_end_of_the_answer_is_redacted(screener: CountingScreener) -> None:
    gate = Gate(screener)
    answer = gate.screen_answer(ANSWER + "個人番号は1234 5678").text
    final = gate.screen(answer + " 9018 です", Exit.OWN_CHAT)
    assert "9018" not in final.text
    assert "〔マイナンバー（個人番号）〕" in final.text


def test_the_same_final_message_screened_whole_gives_the_same_text(screener: CountingScreener) -> None:
    reused = Gate(screener)
    answer = reused.screen_answer(ANSWER).text
    final = (
        f"{answer}\n\n---\n※ AIが生成した回答です。\n\n今回 191 文字／電話 090-1234-5678、番号 {MY_NUMBER}"
    )
    whole = Gate(screener).screen(final, Exit.OWN_CHAT)  # a new gate: no answer produced before
    assert reused.screen(final, Exit.OWN_CHAT).text == whole.text
    assert MY_NUMBER not in whole.text


def test_a_short_fixed_text_is_screened_once(screener: CountingScreener) -> None:
    gate = Gate(screener)
    screener.texts.clear()
    for _ in range(3):
        assert gate.screen("回答を作成しています…", Exit.OWN_CHAT).text == "回答を作成しています…"
    assert screener.texts == ["回答を作成しています…"]
    blocked = [gate.screen(f"番号 {MY_NUMBER}", Exit.OWN_CHAT).text for _ in range(2)]
    assert all(MY_NUMBER not in text for text in blocked), "a kept result still redacts"


def test_channels_still_screen_the_answer_for_their_own_rule(screener: CountingScreener) -> None:
    gate = Gate(screener)
    answer = gate.screen_answer("〔人名1〕さんの件は部外秘です。" + ANSWER).text
    assert gate.screen(answer, Exit.CHANNEL).withheld, "confirm-class text is withheld from a channel"
