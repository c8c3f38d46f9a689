"""Screening in the real pipeline: masked before the model, restored in the answer, blocked and held."""

from __future__ import annotations

import json
import sqlite3

from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import BotHarness

MY_NUMBER = "123456789018"  # passes the check digit


def _env(fake: FakeOpenAI) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "MODEL_MAX_RETRIES": "0"}


def _stored_text(harness: BotHarness) -> str:
    db = sqlite3.connect(harness.data_dir / "bot.sqlite3")
    return "\n".join(
        json.dumps(json.loads(row[0]), ensure_ascii=False) for row in db.execute("select data from entities")
    )


async def test_names_and_phones_are_masked_for_the_model_and_restored_for_the_user(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(echo=True, chunk_chars=3))
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("村田英樹さん（携帯 090-1234-5678）への返信文を作って"))
    [final] = await harness.connector.wait_messages(1)
    sent = fake_openai.user_texts()[-1]
    assert "村田" not in sent
    assert "090-1234-5678" not in sent
    assert "5678" not in sent
    assert "〔人名1〕" in sent
    assert "〔電話番号1〕" in sent
    assert final["text"].startswith("村田英樹さん（携帯 090-1234-5678）への返信文を作って")
    for typing in harness.connector.activities(type_="typing"):
        assert "〔" not in typing["text"]
    stored = _stored_text(harness)
    assert "村田" not in stored
    assert "090-1234-5678" not in stored


async def test_same_value_keeps_its_placeholder_across_turns(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(echo=True), Behaviour(echo=True))
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("堀江様へのお礼状を書いて"))
    await harness.connector.wait_messages(1)
    await harness.post(harness.message("もう少し短くして。宛名は堀江様のままで"))
    await harness.connector.wait_messages(2)
    first, second = fake_openai.user_texts()[-2:]
    assert "〔人名1〕" in first
    assert "〔人名1〕" in second
    assert "堀江" not in first + second


async def test_my_number_is_blocked_and_never_reaches_model_or_storage(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message(f"個人番号 {MY_NUMBER} の方への通知文"))
    [reply] = await harness.connector.wait_messages(1)
    assert "送信しませんでした" in reply["text"]
    assert "マイナンバー" in reply["text"]
    assert "第7条" in reply["text"]
    assert MY_NUMBER not in reply["text"]
    assert fake_openai.requests == []
    assert MY_NUMBER not in _stored_text(harness)


async def test_confidential_content_asks_and_sends_after_confirmation(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="要約しました。"))
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("部外秘：次年度予算の査定方針案を要約して"))
    [card_msg] = await harness.connector.wait_messages(1)
    card = card_msg["attachments"][0]["content"]
    assert fake_openai.requests == []
    assert "部外秘" not in _stored_text(harness)
    send = next(a for a in card["actions"] if a["data"]["verb"] == "screening.send")
    submit = harness.message("", value={**send["data"], "note": "公表済みの資料です"})
    await harness.post(submit)
    messages = await harness.connector.wait_messages(2)
    assert messages[-1]["text"].startswith("要約しました。")
    assert "部外秘" in fake_openai.user_texts()[-1]


async def test_held_text_cannot_be_sent_by_another_user_or_twice(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("非公開の審議会資料を300字にまとめて"))
    [card_msg] = await harness.connector.wait_messages(1)
    held = card_msg["attachments"][0]["content"]["actions"][0]["data"]
    other = harness.message(
        "",
        value=held,
        user="aaaaaaaa-0000-0000-0000-0000000000ff",
        conversation="a:personal-aaaaaaaa-0000-0000-0000-000000000001",
    )
    await harness.post(other)
    await harness.connector.wait_messages(2)
    assert fake_openai.requests == []
    fake_openai.script(Behaviour(text="まとめました。"))
    await harness.post(harness.message("", value=held))
    messages = await harness.connector.wait_messages(3)
    assert messages[-1]["text"].startswith("まとめました。"), "the owner can still send it"
    await harness.post(harness.message("", value=held))
    messages = await harness.connector.wait_messages(4)
    assert "破棄しました" in messages[-1]["text"], "a held text is sent at most once"
    assert len(fake_openai.requests) == 1


async def test_cancel_discards_the_held_text(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("取扱注意の人事評価結果を集計して"))
    [card_msg] = await harness.connector.wait_messages(1)
    actions = card_msg["attachments"][0]["content"]["actions"]
    cancel = next(a for a in actions if a["data"]["verb"] == "screening.cancel")
    await harness.post(harness.message("", value=cancel["data"]))
    messages = await harness.connector.wait_messages(2)
    assert "取り消しました" in messages[-1]["text"]
    send = next(a for a in actions if a["data"]["verb"] == "screening.send")
    await harness.post(harness.message("", value=send["data"]))
    messages = await harness.connector.wait_messages(3)
    assert "破棄しました" in messages[-1]["text"]
    assert fake_openai.requests == []


async def test_choosing_on_the_card_closes_it(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("取扱注意の人事評価結果を集計して"))
    [card_msg] = await harness.connector.wait_messages(1)
    card_id = next(p.activity_id for p in harness.connector.posted if p.body.get("attachments"))
    cancel = next(
        a for a in card_msg["attachments"][0]["content"]["actions"] if a["data"]["verb"] == "screening.cancel"
    )
    await harness.post(harness.message("", value=cancel["data"], replyToId=card_id))
    await harness.connector.wait_messages(2)
    updates = [p for p in harness.connector.posted if p.method == "PUT" and p.activity_id == card_id]
    assert updates, "the card message was updated"
    closed = updates[-1].body["attachments"][0]["content"]
    assert "actions" not in closed
    assert "取り消しました" in closed["body"][1]["text"]
