"""The front door refuses malformed and oversize requests with a 4xx, never a 500."""

from __future__ import annotations

import pytest

from tests.teams.harness import BotHarness


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2, 3]", 400),
        (b'"a string"', 400),
        (b"{}", 400),
        (b'{"type": 5}', 400),
        (b'{"type": "message", "text": 12}', 400),
        (b'{"type": "message", "conversation": "x"}', 400),
        (b"\xff\xfe\x00", 400),
    ],
)
async def test_malformed_bodies_get_400(harness: BotHarness, raw: bytes, status: int) -> None:
    await harness.start()
    got, body = await harness.post(None, raw=raw)
    assert got == status
    assert "error" in body


async def test_oversize_body_gets_413(harness: BotHarness) -> None:
    await harness.start(MAX_REQUEST_BYTES="10000")
    got, _ = await harness.post(harness.message("あ" * 20000))
    assert got == 413


async def test_wrong_content_type_gets_415(harness: BotHarness) -> None:
    await harness.start()
    got, _ = await harness.post(
        None, raw=b"type=message", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert got == 415


async def test_unknown_activity_type_is_accepted_and_ignored(harness: BotHarness) -> None:
    await harness.start()
    got, _ = await harness.post(harness.activity(type="somethingNew"))
    assert got == 202
