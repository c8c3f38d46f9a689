"""テンプレート over the real HTTP endpoint: list → form → submission answered (streamed)."""

from __future__ import annotations

from typing import Any

from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import actions_of, agree, card_of, card_text, execute, wait_records
from tests.teams.harness import BotHarness

CARD = "application/vnd.microsoft.card.adaptive"


def _env(fake: FakeOpenAI) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "MODEL_MAX_RETRIES": "0"}


async def _form(harness: BotHarness, template: str) -> dict[str, Any]:
    await harness.post(harness.message("テンプレート"))
    [listing] = await harness.connector.wait_messages(1)
    assert "template.open" in actions_of(card_of(listing))
    status, body = await harness.post(execute(harness, "template.open", {"template": template}))
    assert status == 200
    assert body["type"] == CARD
    form: dict[str, Any] = body["value"]
    return form


async def test_templates_list_shows_every_policy_template(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="iwaki")
    await agree(harness)
    await harness.post(harness.message("テンプレート"))
    [listing] = await harness.connector.wait_messages(1)
    text = card_text(card_of(listing))
    for title in (
        "あいさつ文・案内文の素案",
        "文章の校正",
        "要約",
        "翻訳",
        "情報収集",
        "アイデア出し",
        "Excel の計算式",
    ):
        assert title in text


async def test_a_submitted_form_is_answered_streamed_with_the_built_prompt(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="・要点一\n・要点二\n" * 10, chunk_chars=4, interval_s=0.05))
    await harness.start(**_env(fake_openai), BOT_POLICY="iwaki")
    await agree(harness)
    form = await _form(harness, "summary")
    assert form["version"] == "1.5"
    length = next(i for i in form["body"] if i.get("id") == "length")
    assert length["value"] == 300
    assert length["max"] == 2000
    submit = actions_of(form)["template.submit"]
    assert submit["type"] == "Action.Submit"
    values = {
        **submit["data"],
        "style": "箇条書き",
        "text": "市民まつりは10月5日に中央公園で開催します。",
        "length": "200",
    }
    await harness.post(harness.message("", value=values))
    final = (await harness.connector.wait_messages(2))[1]
    assert final["text"].startswith("・要点一")
    assert harness.connector.activities(type_="typing"), "the answer is streamed"
    assert fake_openai.user_texts()[-1] == (
        "次の文章を200字以内で、箇条書きで要約してください。\n---\n市民まつりは10月5日に中央公園で開催します。"
    )
    [start] = await wait_records(harness, lambda r: r.phase == "start")
    assert start.source == "template"
    assert start.details["template"] == "summary"


async def test_a_missing_required_field_is_rejected_and_nothing_is_sent(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai), BOT_POLICY="iwaki")
    await agree(harness)
    form = await _form(harness, "translate")
    values = {
        **actions_of(form)["template.submit"]["data"],
        "language": "英語",
        "text": "  ",
        "length": "600",
    }
    await harness.post(harness.message("", value=values))
    reply = (await harness.connector.wait_messages(2))[1]
    assert "送信しませんでした" in reply["text"]
    assert "「翻訳する文章」を入力してください" in reply["text"]
    values["text"], values["length"] = "こんにちは", "5000"
    await harness.post(harness.message("", value=values))
    reply = (await harness.connector.wait_messages(3))[2]
    assert "50〜2,000字" in reply["text"]
    assert fake_openai.requests == []


async def test_templates_need_consent_first(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**_env(fake_openai), BOT_POLICY="iwaki")
    await harness.post(harness.message("テンプレート"))
    [reply] = await harness.connector.wait_messages(1)
    assert "access.agree" in actions_of(card_of(reply))
    values = {"verb": "template.submit", "template": "ideas", "topic": "図書館の利用促進", "count": "5"}
    await harness.post(harness.message("", value=values))
    await harness.connector.wait_messages(2)
    assert fake_openai.requests == []


async def test_templates_wait_for_approval_in_maebashi(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(BOT_POLICY="maebashi", **_env(fake_openai))
    await agree(harness)
    values = {"verb": "template.submit", "template": "ideas", "topic": "図書館の利用促進", "count": "5"}
    await harness.post(harness.message("", value=values))
    messages = await harness.connector.wait_messages(1)
    assert "利用申請" in messages[0]["text"]
    assert fake_openai.requests == []
