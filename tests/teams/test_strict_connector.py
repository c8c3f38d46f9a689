"""The fake Bot Connector refuses what Teams refuses (so the bot's tests mean something)."""

from __future__ import annotations

from typing import Any

import aiohttp

from tests.fakes.connector import COMPLETED, NOT_ALLOWED, FakeConnector

CHAT = "a:personal-1"


def _typing(
    text: str, sequence: int, stream_id: str | None = None, kind: str = "streaming"
) -> dict[str, Any]:
    info: dict[str, Any] = {"type": "streaminfo", "streamType": kind, "streamSequence": sequence}
    if stream_id:
        info["streamId"] = stream_id
    return {"type": "typing", "text": text, "entities": [info]}


def _final(text: str, stream_id: str) -> dict[str, Any]:
    return {
        "type": "message",
        "text": text,
        "entities": [{"type": "streaminfo", "streamType": "final", "streamId": stream_id}],
    }


async def _post(
    connector: FakeConnector, body: dict[str, Any], chat: str = CHAT
) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session:
        url = f"{connector.url}v3/conversations/{chat}/activities"
        async with session.post(url, json=body) as response:
            return response.status, await response.json()


async def _start(connector: FakeConnector, chat: str = CHAT) -> str:
    status, body = await _post(connector, _typing("回答を作成しています…", 1, kind="informative"), chat)
    assert status == 201
    return str(body["id"])


async def test_a_final_without_text_is_refused(connector: FakeConnector) -> None:
    stream = await _start(connector)
    status, _ = await _post(connector, _final("", stream))
    assert status == 400
    assert connector.open_streams(CHAT), "the refused final did not close the stream"
    assert connector.messages() == []


async def test_a_second_stream_in_a_chat_is_not_allowed_until_the_first_closes(
    connector: FakeConnector,
) -> None:
    stream = await _start(connector)
    status, body = await _post(connector, _typing("二つ目", 1, kind="informative"))
    assert (status, body["error"]["code"], body["error"]["message"]) == (
        403,
        "ContentStreamNotAllowed",
        NOT_ALLOWED,
    )
    assert await _start(connector, "a:personal-2"), "another chat may stream at the same time"
    assert (await _post(connector, _final("回答です。", stream)))[0] == 202
    assert await _start(connector)


async def test_an_update_must_continue_the_streamed_text(connector: FakeConnector) -> None:
    stream = await _start(connector)
    assert (await _post(connector, _typing("前半", 2, stream)))[0] == 202
    assert (await _post(connector, _typing("別の文", 3, stream)))[0] == 400
    assert (await _post(connector, _typing("前半と後半", 3, stream)))[0] == 202
    assert (await _post(connector, _final("後半だけ", stream)))[0] == 400
    assert (await _post(connector, _final("前半と後半です。", stream)))[0] == 202
    status, body = await _post(connector, _typing("前半と後半です。続き", 4, stream))
    assert (status, body["error"]["message"]) == (403, COMPLETED)


async def test_the_final_can_be_throttled_once_with_retry_after(connector: FakeConnector) -> None:
    connector.throttle_final_once(retry_after=2)
    stream = await _start(connector)
    async with aiohttp.ClientSession() as session:
        url = f"{connector.url}v3/conversations/{CHAT}/activities"
        async with session.post(url, json=_final("回答です。", stream)) as response:
            assert (response.status, response.headers["Retry-After"]) == (429, "2")
    assert (await _post(connector, _final("回答です。", stream)))[0] == 202
    assert [a.status for a in connector.answered] == [201, 429, 202]
