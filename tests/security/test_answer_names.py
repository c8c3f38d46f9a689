"""Person names the model writes are masked by the answer's own precise rules (issue 11).

The input detector is tuned for recall and garbles ordinary words in generated text, so the
answer path uses bot.core.screening.output_names: names of the conversation's pseudonym table
written out, and names with strong context (honorific, title, 氏名：…, a self-introduction).
Measured on realistic answers (tests/security/answer_samples.py): none of the public ones is
changed at all, every private name is masked and nothing else is. Then over real HTTP: nothing
half-written while streaming, records keep only the masked text, a known name comes back only
for the person who typed it.
"""

from __future__ import annotations

import pytest

from bot.core.exits import Gate
from bot.core.policy import load_policy
from bot.core.screening import PseudonymTable, Screener
from bot.core.screening.output_names import find_names, private_names
from tests.fakes.battery import model_env
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.security.answer_samples import PRIVATE, PUBLIC
from tests.teams.access_helpers import records
from tests.teams.harness import BotHarness

OTHER_OID = "aaaaaaaa-0000-0000-0000-0000000000cc"


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(Screener(load_policy("iwaki").screening))


def test_the_sample_sets_are_large_enough() -> None:
    assert len(PUBLIC) >= 60
    assert len(PRIVATE) >= 30
    assert sum(len(names) for _, names in PRIVATE) >= 40


def test_realistic_answers_without_private_names_are_never_masked(gate: Gate) -> None:
    changed = [text for text in PUBLIC if gate.screen_answer(text).text != text]
    assert changed == [], f"false-mask rate {len(changed)}/{len(PUBLIC)}: {changed[:3]}"


@pytest.mark.parametrize(("answer", "names"), PRIVATE, ids=[f"private-{i}" for i in range(len(PRIVATE))])
def test_private_names_the_model_writes_are_masked_and_nothing_else(
    gate: Gate, answer: str, names: tuple[str, ...]
) -> None:
    expected = answer
    for name in sorted(names, key=len, reverse=True):
        expected = expected.replace(name, "〔人名〕")
    assert gate.screen_answer(answer).text == expected


def test_a_name_of_the_conversation_is_masked_with_its_own_placeholder(gate: Gate) -> None:
    table = PseudonymTable()
    placeholder = table.placeholder("person_name", "村田英樹", "村田 英樹")
    known = private_names(table)
    assert known == {"村田 英樹": placeholder}
    screened = gate.screen_answer("村田英樹の件について、経緯をまとめました。", private_names=known).text
    assert screened == f"{placeholder}の件について、経緯をまとめました。"
    assert table.restore(screened).startswith("村田 英樹の件")  # the owner's table gives it back
    assert PseudonymTable().restore(screened) == screened  # anyone else's does not


def test_rules_name_what_they_found() -> None:
    samples = ("佐藤さん", "鈴木課長", "課長の田中", "担当の高橋です", "氏名：渡辺 健一")
    found = {(text[s.start : s.end], s.rule) for text in samples for s in find_names(text)}
    assert found == {
        ("佐藤", "honorific"),
        ("鈴木", "role"),
        ("田中", "role"),
        ("高橋", "intro"),
        ("渡辺 健一", "label"),
    }


# ---- over real HTTP ----------------------------------------------------------------------------


async def test_a_name_the_model_writes_is_never_shown_half_written_kept_or_recorded(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    answer = "文章を整えました。総務課の佐藤さんに確認のうえ、佐藤課長の決裁を受けてください。以上です。"
    fake_openai.script(Behaviour(text=answer, chunk_chars=2, interval_s=0.1), Behaviour(text="了解です。"))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("依頼文を整えて"))
    [final] = await harness.connector.wait_messages(1)
    assert final["text"].startswith(
        "文章を整えました。総務課の〔人名〕さんに確認のうえ、〔人名〕課長の決裁を受けてください。以上です。"
    )
    updates = [t.get("text") or "" for t in harness.connector.activities(type_="typing")]
    assert all("佐藤" not in text for text in updates), "never shown while streaming either"
    assert any("文章を整えました" in text for text in updates), "ordinary words are streamed as they are"
    await harness.post(harness.message("ありがとう"))
    await harness.connector.wait_messages(2)
    assert "佐藤" not in str(fake_openai.requests[-1]["messages"]), "the history keeps the masked answer"
    assert all("佐藤" not in r.answer for r in await records(harness))


async def test_a_name_typed_in_a_group_chat_comes_back_only_for_the_person_who_typed_it(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    group = "19:group-chat@thread.v2"
    # a model that writes the real name out (it may have read it in a passage or guessed it)
    fake_openai.script(Behaviour(text="村田英樹の件の返信文です。"), Behaviour(text="村田英樹の件です。"))
    await harness.start(**model_env(fake_openai))
    mention = [{"type": "mention", "mentioned": {"id": "28:bot-id", "name": "AI"}, "text": "<at>AI</at>"}]
    fields = {"conversation": group, "conversation_type": "groupChat", "entities": mention}
    await harness.post(harness.message("<at>AI</at> 村田英樹さんへの返信文を作って", **fields))
    [mine] = await harness.connector.wait_messages(1, group)
    assert mine["text"].startswith("村田英樹の件の返信文です。"), "the person who typed it gets it back"
    await harness.post(harness.message("<at>AI</at> その件を教えて", user=OTHER_OID, **fields))
    [_, theirs] = await harness.connector.wait_messages(2, group)
    assert "村田英樹" not in theirs["text"]
    assert theirs["text"].startswith("〔人名1〕の件です。")
    assert all("村田英樹" not in r.answer for r in await records(harness))
