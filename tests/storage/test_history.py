"""History appends are a compare-and-swap: two quick turns of one conversation never lose one."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

from bot.core.conversation import ConversationStore, load_cipher
from bot.core.model.base import ChatMessage
from bot.core.storage.base import Storage


def _store(storage: Storage) -> ConversationStore:
    cipher = load_cipher(base64.b64encode(b"k" * 32).decode(), Path("unused"))  # the key is given
    return ConversationStore(storage, cipher, history_char_budget=10_000)


async def test_two_turns_that_read_the_same_history_both_keep_their_exchange(storage: Storage) -> None:
    store = _store(storage)
    await store.append("conv", ChatMessage("user", "最初"), ChatMessage("assistant", "はい"))
    seen = await store.read("conv")  # both turns read the history before either answered
    await asyncio.gather(
        store.append("conv", ChatMessage("user", "質問A"), ChatMessage("assistant", "回答A"), known=seen),
        store.append("conv", ChatMessage("user", "質問B"), ChatMessage("assistant", "回答B"), known=seen),
    )
    contents = [m.content for m in await store.history("conv")]
    assert contents[:2] == ["最初", "はい"]
    assert sorted(contents[2:]) == sorted(["質問A", "回答A", "質問B", "回答B"])
    pairs = {tuple(contents[i : i + 2]) for i in (2, 4)}
    assert pairs == {("質問A", "回答A"), ("質問B", "回答B")}, "each exchange stays together"


async def test_an_append_after_a_reset_starts_a_new_history(storage: Storage) -> None:
    store = _store(storage)
    await store.append("conv", ChatMessage("user", "古い"), ChatMessage("assistant", "古い回答"))
    seen = await store.read("conv")
    await store.reset("conv")
    await store.append("conv", ChatMessage("user", "新しい"), ChatMessage("assistant", "回答"), known=seen)
    assert [m.content for m in await store.history("conv")] == ["新しい", "回答"]


async def test_one_read_gives_history_and_pseudonyms_and_the_append_still_detects_other_writers(
    storage: Storage,
) -> None:
    """Issue 13: a turn reads its conversation state once (one partition query); what another
    instance appends after that read is detected by the history's compare-and-swap and kept."""
    here, there = _store(storage), _store(storage)  # two bot instances, one storage
    await here.append("conv", ChatMessage("user", "最初"), ChatMessage("assistant", "はい"))
    await here.save_pseudonyms("conv", '{"person_name": {"k": "〔人名1〕"}}')
    calls: list[str] = []
    original_query, original_get = storage.query, storage.get

    async def query(table: str, pk: str, **kwargs: object) -> object:
        calls.append(f"query {table}")
        return await original_query(table, pk, **kwargs)  # type: ignore[arg-type]

    async def get(table: str, pk: str, rk: str) -> object:
        calls.append(f"get {table}")
        return await original_get(table, pk, rk)

    storage.query, storage.get = query, get  # type: ignore[method-assign,assignment]
    try:
        state = await here.load("conv")
    finally:
        storage.query, storage.get = original_query, original_get  # type: ignore[method-assign]
    assert calls == ["query state"], "one round trip for both rows"
    assert [m.content for m in state.history.messages] == ["最初", "はい"]
    assert state.pseudonyms == '{"person_name": {"k": "〔人名1〕"}}'
    assert await here.load("other") == type(state)(type(state.history)([], ""), None)

    await there.append("conv", ChatMessage("user", "別の質問"), ChatMessage("assistant", "別の回答"))
    await here.append(
        "conv", ChatMessage("user", "質問"), ChatMessage("assistant", "回答"), known=state.history
    )
    contents = [m.content for m in await there.history("conv")]
    assert contents == ["最初", "はい", "別の質問", "別の回答", "質問", "回答"], "the other write is kept"
