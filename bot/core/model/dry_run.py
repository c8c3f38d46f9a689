"""The dry-run model: the embedded default when no model is configured.

It answers with exactly what a real model would have received (system prompt summary and the
user's text after screening, placeholders and all — `shows_request` tells the dialog not to
restore them), clearly labelled, through the same streaming path as a real answer; a long
input (an attached file) is shortened to its beginning and end. With `pace=True` it streams like
a real deployment (first chunk after 500 ms, then 20 chunks a second), which the load benchmark
relies on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from bot.core.model.base import ChatMessage, Chunk

KNOWLEDGE_HEADER = "■ 参考資料"  # the start of bot.core.knowledge.context.HEADER (shown whole in a dry run)

FIRST_CHUNK_DELAY_S = 0.5
CHUNK_INTERVAL_S = 0.05


class DryRunModel:
    """Streams a labelled description of the request instead of calling a model."""

    name = "dry-run"
    deployment = "local"
    shows_request = True
    """Its answer quotes the request: the dialog must not put masked values back into it, so the
    user sees exactly the placeholders (〔人名1〕) the model receives."""

    def __init__(self, *, pace: bool = False, chunk_chars: int = 12) -> None:
        self._pace = pace
        self._chunk_chars = chunk_chars

    async def stream(
        self, messages: list[ChatMessage], *, max_tokens: int, temperature: float
    ) -> AsyncIterator[Chunk]:
        """Yield the description in small chunks."""
        text = describe(messages)
        if self._pace:
            await asyncio.sleep(FIRST_CHUNK_DELAY_S)
        for start in range(0, len(text), self._chunk_chars):
            yield Chunk(text=text[start : start + self._chunk_chars])
            await asyncio.sleep(CHUNK_INTERVAL_S if self._pace else 0)
        prompt_chars = sum(len(m.content) for m in messages)
        yield Chunk(tokens_in=prompt_chars, tokens_out=len(text), finish_reason="stop")

    async def close(self) -> None:
        """Nothing to release."""


def describe(messages: list[ChatMessage]) -> str:
    """The dry-run answer: what would have been sent, in Japanese."""
    system = next((m.content for m in messages if m.role == "system"), "")
    history = [m for m in messages if m.role != "system"][:-1]
    user = messages[-1].content if messages and messages[-1].role == "user" else ""
    first_line = system.splitlines()[0] if system else "（なし）"
    _, marker, passages = system.partition(KNOWLEDGE_HEADER)
    knowledge = f"{marker}{passages}\n\n" if marker else ""
    return (
        "【ドライラン】モデルには送信していません。実際のモデルには次の内容が送られます。\n\n"
        f"■ システムプロンプト（{len(system)}文字）：{first_line}…\n\n"
        f"{knowledge}"
        f"■ これまでの会話：{len(history)}件\n\n"
        f"■ あなたの入力（スクリーニング後、モデルが受け取る形）：\n\n{shorten(user)}"
    )


SHOW_HEAD, SHOW_TAIL = 900, 200


def shorten(text: str) -> str:
    """A long input (an attached file) shortened to its beginning and end, saying how much is left out."""
    if len(text) <= SHOW_HEAD + SHOW_TAIL + 100:
        return text
    omitted = len(text) - SHOW_HEAD - SHOW_TAIL
    note = f"…（全{len(text):,}文字のうち{omitted:,}文字を省略）…"
    return f"{text[:SHOW_HEAD]}\n\n{note}\n\n{text[-SHOW_TAIL:]}"
