"""The model over real HTTP (fake OpenAI-compatible server): streaming, failures, Stop."""

from __future__ import annotations

import itertools
from importlib import resources

import pytest

from tests.fakes.battery import model_env
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.harness import BotHarness


async def test_answer_streams_cumulative_updates_then_final(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    text = "一。" * 60
    fake_openai.script(Behaviour(text=text, chunk_chars=4, interval_s=0.1))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("市の広報誌の見出し案を三つ"))
    [final] = await harness.connector.wait_messages(1)
    typing = harness.connector.activities(type_="typing")
    infos = [t["entities"][0] for t in typing]
    assert infos[0]["streamType"] == "informative"
    assert [i["streamSequence"] for i in infos] == list(range(1, len(infos) + 1))
    updates = [t["text"] for t in typing[1:]]
    assert len(updates) >= 2, "a 3-second answer gets more than one streaming update"
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(updates))
    assert all(i["streamId"] == infos[1]["streamId"] for i in infos[1:]) or infos[1].get("streamId")
    assert final["text"].startswith(text)
    assert fake_openai.requests[0]["stream"] is True
    assert fake_openai.requests[0]["messages"][0]["role"] == "system"


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [
        (Behaviour(status=429, retry_after="1"), "混み合っています"),
        (Behaviour(status=500), "障害が発生しています"),
        (Behaviour(status=400, error_code="content_filter"), "安全フィルター"),
        (Behaviour(status=400, error_code="context_length_exceeded"), "新しい会話"),
        (Behaviour(status=401), "設定に問題があります"),
        (Behaviour(hang=True), "時間がかかりすぎた"),
        (Behaviour(text="途中まで" * 30, cut_after_chunks=3), "途切れました"),
        (Behaviour(text="不適切な", finish_reason="content_filter"), "安全フィルター"),
    ],
)
async def test_model_failures_get_a_clear_japanese_message(
    harness: BotHarness, fake_openai: FakeOpenAI, behaviour: Behaviour, expected: str
) -> None:
    fake_openai.script(behaviour)
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("質問です"))
    messages = await harness.connector.wait_messages(1, timeout=15)
    assert expected in messages[-1]["text"]
    assert "Traceback" not in messages[-1]["text"]


async def test_retries_on_429_then_answers(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Behaviour(status=429, retry_after="0"), Behaviour(text="再試行後の回答です。"))
    await harness.start(**model_env(fake_openai, MODEL_MAX_RETRIES="2"))
    await harness.post(harness.message("質問です"))
    [final] = await harness.connector.wait_messages(1, timeout=15)
    assert final["text"].startswith("再試行後の回答です。")
    assert len(fake_openai.requests) == 2


async def test_user_pressing_stop_ends_the_stream(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Behaviour(text="長い回答。" * 100, chunk_chars=5, interval_s=0.03))
    await harness.start(**model_env(fake_openai))
    # the informative update goes through; the first streaming update is refused with 403 (Stop)
    harness.connector.fail_next(403, count=50, activity_type="typing", after=1)
    await harness.post(harness.message("長い文章を書いて"))
    [final] = await harness.connector.wait_messages(1, timeout=15)
    assert "停止しました" in final["text"]
    assert len(final["text"]) < len("長い回答。" * 100)


async def test_answer_is_cut_at_the_maximum_length(
    harness: BotHarness, fake_openai: FakeOpenAI, tmp_path
) -> None:
    policy = tmp_path / "short.toml"
    text = resources.files("bot.core.policies").joinpath("iwaki.toml").read_text(encoding="utf-8")
    policy.write_text(
        text.replace("max_answer_chars = 2000", "max_answer_chars = 50").replace(
            "require_consent = true", "require_consent = false"
        ),
        encoding="utf-8",
    )
    fake_openai.script(Behaviour(text="あ" * 500))
    await harness.start(**model_env(fake_openai, BOT_POLICY=str(policy)))
    await harness.post(harness.message("長い文章を書いて"))
    [final] = await harness.connector.wait_messages(1)
    body = final["text"].split("\n\n")[0]
    assert body == "あ" * 50
    assert "打ち切りました" in final["text"]
    assert fake_openai.requests[0]["max_tokens"] < 500
