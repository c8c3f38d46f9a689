"""Issue 10 at the Teams stage, over real HTTP: identifiers split over messages are blocked, the
dry-run model shows the placeholders the model receives, the footer counts this message only."""

from __future__ import annotations

from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import BotHarness


def _env(fake: FakeOpenAI) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "MODEL_MAX_RETRIES": "0"}


async def test_an_identifier_split_over_two_messages_is_blocked(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="承知しました。"))
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("個人番号の上8桁は 2468 1357 です。続きは次に送ります"))
    await harness.connector.wait_messages(1)
    assert len(fake_openai.requests) == 1
    await harness.post(harness.message("残りは 9021 です"))
    messages = await harness.connector.wait_messages(2)
    assert "送信しませんでした" in messages[-1]["text"]
    assert len(fake_openai.requests) == 1, "the second half never reached the model"


async def test_the_dry_run_shows_the_placeholders_the_model_receives(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("大和田 章さん（090-4455-8810）への返信を作って"))
    [final] = await harness.connector.wait_messages(1)
    assert "〔人名1〕" in final["text"]
    assert "〔電話番号1〕" in final["text"]
    assert "大和田" not in final["text"]
    assert "090-4455-8810" not in final["text"]


async def test_the_footer_counts_what_this_message_masked(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="はい。"), Behaviour(text="はい。"))
    await harness.start(**_env(fake_openai))
    await harness.post(harness.message("佐藤さんと田中さんと鈴木さんに連絡"))
    await harness.connector.wait_messages(1)
    await harness.post(harness.message("田中さんにだけもう一度"))
    messages = await harness.connector.wait_messages(2)
    assert "人名1件をマスクして送信しました" in messages[-1]["text"]
