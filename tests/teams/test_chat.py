"""Chatting over real HTTP: streaming, group chats and channels, bad input, commands, history."""

from __future__ import annotations

import asyncio
import sqlite3

from tests.teams.harness import BotHarness


async def test_group_chat_gets_one_normal_message_without_streaming(harness: BotHarness) -> None:
    await harness.start()
    activity = harness.message(
        "会議の案内文を作って", conversation="19:group@thread.v2", conversation_type="groupChat"
    )
    activity["entities"] = [
        {"type": "mention", "mentioned": {"id": "28:bot-id", "name": "AIアシスタント"}, "text": "<at>AI</at>"}
    ]
    await harness.post(activity)
    [final] = await harness.connector.wait_messages(1)
    assert harness.connector.activities(type_="typing") == []
    assert not any(e["type"] == "streaminfo" for e in final.get("entities", []))
    assert any(e.get("additionalType") == ["AIGeneratedContent"] for e in final["entities"])


async def test_channel_post_without_mention_is_ignored(harness: BotHarness) -> None:
    await harness.start()
    channel = "19:abc@thread.tacv2;messageid=1"
    status, _ = await harness.post(
        harness.message("独り言です", conversation=channel, conversation_type="channel")
    )
    assert status == 202
    await asyncio.sleep(0.3)
    assert harness.connector.posted == []


async def test_empty_text_is_answered_with_guidance(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("   "))
    [reply] = await harness.connector.wait_messages(1)
    assert "メッセージが空です" in reply["text"]


async def test_attachments_are_not_supported_yet(harness: BotHarness) -> None:
    await harness.start()
    activity = harness.message("この画像を説明して")
    activity["attachments"] = [{"contentType": "image/png", "contentUrl": "https://example.invalid/a.png"}]
    await harness.post(activity)
    [reply] = await harness.connector.wait_messages(1)
    assert "添付" in reply["text"]
    assert "対応していません" in reply["text"]


async def test_text_over_the_policy_limit_says_limit_and_length(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("あ" * 4500))
    [reply] = await harness.connector.wait_messages(1)
    assert "4,500文字" in reply["text"]
    assert "4,000文字" in reply["text"]


async def test_history_is_kept_and_reset_starts_over(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("一つ目の質問"))
    await harness.connector.wait_messages(1)
    await harness.post(harness.message("二つ目の質問"))
    second = (await harness.connector.wait_messages(2))[1]
    assert "これまでの会話：2件" in second["text"]
    await harness.post(harness.message("新しい会話"))
    reset = (await harness.connector.wait_messages(3))[2]
    assert "新しい会話を始めます" in reset["text"]
    await harness.post(harness.message("三つ目の質問"))
    third = (await harness.connector.wait_messages(4))[3]
    assert "これまでの会話：0件" in third["text"]


async def test_conversations_do_not_share_history(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("職員Aの質問", user="aaaaaaaa-0000-0000-0000-00000000000a"))
    await harness.connector.wait_messages(1)
    await harness.post(harness.message("職員Bの質問", user="aaaaaaaa-0000-0000-0000-00000000000b"))
    second = (await harness.connector.wait_messages(2))[1]
    assert "これまでの会話：0件" in second["text"]
    assert "職員Aの質問" not in second["text"]


async def test_help_lists_commands_and_the_guideline(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("ヘルプ"))
    [reply] = await harness.connector.wait_messages(1)
    assert "新しい会話" in reply["text"]
    assert "利用状況" in reply["text"]
    assert "情報公開条例第7条" in reply["text"]


async def test_healthz_reports_version_storage_and_model(harness: BotHarness) -> None:
    await harness.start()
    status, body = await harness.get("/healthz")
    assert status == 200
    assert body["storage"] == {"backend": "sqlite", "ok": True}
    assert body["model"]["kind"] == "dry-run"
    assert body["version"]


async def test_not_allowed_tenant_is_refused_and_nothing_is_stored(harness: BotHarness) -> None:
    await harness.start(ALLOWED_TENANT_IDS="99999999-2222-3333-4444-555555555555")
    status, _ = await harness.post(harness.message("こんにちは"))
    assert status == 403
    assert harness.connector.posted == []
    db = harness.data_dir / "bot.sqlite3"
    if db.exists():
        query = "select count(*) from entities where tbl != 'deployment'"  # not the start-up marker
        rows = sqlite3.connect(db).execute(query).fetchone()[0]
        assert rows == 0
