"""The growing answer is screened only when the stream would show it (issue 13: CPU per turn).

Teams takes one streaming update a second; the dialog used to screen the answer on every piece
and let the streamer drop most of the results. Now it asks the sink (`ready`) first. What the user
sees is unchanged: every update shown was screened, and the final text is screened in full.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from bot.core.dialog import Dialog
from bot.core.exits import Gate, ScreenedText
from bot.core.model.base import ChatMessage, Chunk
from bot.core.policy import load_policy
from bot.core.screening import Screener
from bot.core.turn import ModelTurn
from bot.teams.streaming import TeamsStreamer

ANSWER = "市民まつりは十月に開催します。会場は中央公園です。" * 6


class PiecesModel:
    """A model that streams ANSWER in small pieces, all at once."""

    name = deployment = "pieces"

    async def stream(self, messages: list[ChatMessage], **_: Any) -> AsyncIterator[Chunk]:
        for start in range(0, len(ANSWER), 4):
            yield Chunk(text=ANSWER[start : start + 4])

    async def close(self) -> None:
        return None


class CountingGate(Gate):
    """The real gate, counting what it screens for the answer exit."""

    answer_screenings = 0

    def screen_answer(self, text: str, **kwargs: Any) -> ScreenedText:
        self.answer_screenings += 1
        return super().screen_answer(text, **kwargs)


class Sink:
    """Collects updates; `ready` as the test sets it."""

    def __init__(self, ready: bool) -> None:
        self.ready = ready
        self.updates: list[str] = []
        self.stopped = False

    async def update(self, text_so_far: str) -> None:
        self.updates.append(text_so_far)


def _dialog(gate: Gate) -> Dialog:
    policy = load_policy("iwaki")
    return Dialog(policy, PiecesModel(), None, clock=lambda: None, gate=gate)  # type: ignore[arg-type]


async def _answer(ready: bool) -> tuple[str, Sink, CountingGate]:
    policy = load_policy("iwaki")
    gate = CountingGate(Screener(policy.screening))
    sink = Sink(ready)
    turn = ModelTurn(raw_text="案内文", masked_text="案内文")
    shown = await _dialog(gate).answer(turn, [ChatMessage("user", "案内文")], sink)
    return shown, sink, gate


async def test_a_sink_that_would_not_show_an_update_gets_no_screening_work() -> None:
    shown, sink, gate = await _answer(ready=False)
    assert shown == ANSWER, "the final answer is whole"
    assert sink.updates == []
    assert gate.answer_screenings == 1, "only the final text was screened"


async def test_a_ready_sink_gets_screened_updates_as_before() -> None:
    shown, sink, gate = await _answer(ready=True)
    assert shown == ANSWER
    assert sink.updates, "updates offered"
    assert all(ANSWER.startswith(u) for u in sink.updates), "every update is a screened prefix"
    assert gate.answer_screenings > 1


class FakeContext:
    """TurnContext stand-in: the streamer's `ready` never touches it."""


def test_the_teams_streamer_is_ready_once_a_second() -> None:
    now = [100.0]
    streamer = TeamsStreamer(FakeContext(), min_interval_s=1.0, clock=lambda: now[0])  # type: ignore[arg-type]
    assert streamer.ready, "the first update may go at once"
    streamer._stream_id, streamer._last_sent = "s1", now[0]  # an update was just accepted
    assert not streamer.ready
    now[0] += 1.0
    assert streamer.ready
