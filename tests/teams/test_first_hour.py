"""The first hour of a new user, on the strict fake: what they meet must make sense."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.config import Settings
from bot.core.errors import ConfigError
from bot.teams.pipeline import open_services
from bot.ui.access import texts as access_texts
from bot.ui.screening import texts as screening_texts
from tests.fakes.battery import drain, execute, model_env
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import BotHarness

CONFIDENTIAL = "部外秘：次年度予算の査定方針案を要約して"


def _card(activity: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = activity["attachments"][0]["content"]
    return content


def _action(card: dict[str, Any], verb: str) -> dict[str, Any]:
    return next(a for a in card["actions"] if a["data"]["verb"] == verb)


async def test_confidential_confirmation_names_what_the_user_confirms(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message(CONFIDENTIAL))
    [reply] = await harness.connector.wait_messages(1)
    card = _card(reply)
    texts_on_card = [b.get("text", "") for b in card["body"]] + [a["title"] for a in card["actions"]]
    assert not any("公開済み・了承済み" in t for t in texts_on_card), "部外秘 is not 公開済み"
    assert any("AIのサービス" in t and "送ってよい" in t for t in texts_on_card)
    assert _action(card, "screening.send")["title"] == screening_texts.SEND_BUTTON


async def test_rewrite_gives_the_text_back_for_editing_and_sends_the_edit(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="要約しました。"))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message(CONFIDENTIAL))
    [confirm] = await harness.connector.wait_messages(1)
    edit = _action(_card(confirm), "screening.edit")
    await harness.post(harness.message("", value=edit["data"], replyToId=confirm.get("id", "")))
    [_, edit_msg] = await harness.connector.wait_messages(2)
    await drain(harness)
    edit_card = _card(edit_msg)
    [field] = [b for b in edit_card["body"] if b["type"] == "Input.Text"]
    assert field["value"] == CONFIDENTIAL, "the text comes back for editing (unlike 取り消す)"
    assert fake_openai.requests == []

    resubmit = edit_card["actions"][0]
    await harness.post(
        harness.message(
            "", value={**resubmit["data"], "text": "次年度予算の査定方針の一般的な考え方を要約して"}
        )
    )
    messages = await harness.connector.wait_messages(3, timeout=15)
    assert messages[-1]["text"].startswith("要約しました。")
    assert fake_openai.user_texts()[-1] == "次年度予算の査定方針の一般的な考え方を要約して"

    # the held text was taken: 書き直す on the old card again finds nothing
    await harness.post(harness.message("", value=edit["data"]))
    later = await harness.connector.wait_messages(4)
    assert later[-1]["text"] == screening_texts.HELD_EXPIRED


async def test_an_edited_text_is_screened_again(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("", value={"verb": "screening.resubmit", "text": CONFIDENTIAL}))
    [reply] = await harness.connector.wait_messages(1)
    assert any(a["data"]["verb"] == "screening.send" for a in _card(reply)["actions"])
    assert fake_openai.requests == []


async def test_a_question_sent_before_consent_is_answered_after_it(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="案内文の案です。"))
    await harness.start(**model_env(fake_openai, BOT_POLICY="iwaki"))
    await harness.post(harness.message("会議の案内文を作って"))
    [consent_msg] = await harness.connector.wait_messages(1)
    card = _card(consent_msg)
    agree = next(a for a in card["actions"] if a.get("verb") == "access.agree")
    assert agree["data"]["held"], "the question is kept for after consent"
    assert "会議の案内文を作って" not in str(card), "the kept question is not put on the card"
    assert fake_openai.requests == []

    status, body = await harness.post(
        execute(harness, "access.agree", {**agree["data"], "department": "総務課"})
    )
    assert status == 200
    assert access_texts.QUESTION_FOLLOWS in str(body["value"])
    [_, answer] = await harness.connector.wait_messages(2, timeout=15)
    await drain(harness)
    assert answer["text"].startswith("案内文の案です。")
    assert fake_openai.user_texts()[-1] == "会議の案内文を作って"
    assert harness.connector.refused() == []

    # the kept question was used up: the old consent card's id cannot replay it
    await harness.post(execute(harness, "access.agree", {**agree["data"], "department": "総務課"}))
    await drain(harness)
    assert len(fake_openai.requests) == 1


async def test_a_data_directory_belongs_to_one_municipality(tmp_path: Path) -> None:
    def settings(policy: str) -> Settings:
        return Settings.from_env(environ={"BOT_DATA_DIR": str(tmp_path), "BOT_POLICY": policy}, env_file=None)

    async with open_services(settings("iwaki")):
        pass
    async with open_services(settings("iwaki")):  # the same city again
        pass
    with pytest.raises(ConfigError, match="belongs to いわき市") as refused:
        async with open_services(settings("maebashi")):
            pytest.fail("another city's policy must not start on this data")
    assert "BOT_DATA_DIR" in str(refused.value)
