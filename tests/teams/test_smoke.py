"""The bot answers a personal message end to end over real HTTP (dry-run model, SQLite)."""

from __future__ import annotations

from tests.teams.harness import BotHarness


async def test_personal_message_gets_streamed_dry_run_answer(harness: BotHarness) -> None:
    await harness.start()
    status, _ = await harness.post(harness.message("市民まつりの開催案内を300字以内で"))
    assert status == 202
    [final] = await harness.connector.wait_messages(1)
    typing = harness.connector.activities(type_="typing")
    assert typing[0]["entities"][0]["streamType"] == "informative"
    assert typing[0]["entities"][0]["streamSequence"] == 1
    stream = [e for e in final["entities"] if e["type"] == "streaminfo"]
    assert stream == [{"type": "streaminfo", "streamId": stream[0]["streamId"], "streamType": "final"}]
    assert "ドライラン" in final["text"]
    assert "市民まつりの開催案内を300字以内で" in final["text"]
    assert any(e.get("additionalType") == ["AIGeneratedContent"] for e in final["entities"])
    assert final["channelData"]["feedbackLoop"] == {"type": "default"}
    assert "今月の残り" in final["text"], "the quota stage ran and the footer shows what remains"
    assert "AIが生成した回答です" in final["text"], "the policy's reminder footer"
