"""Answers from the knowledge over real HTTP: passages to the model (screened), the 参考 line for what the
answer cites, none for unrelated questions, the dry run showing the passages, the channel, ナレッジ."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core.clock import system_clock
from bot.core.knowledge import Knowledge
from bot.core.storage.sqlite import SqliteStorage
from tests.fakes.battery import model_env
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.knowledge.conftest import load_fixtures
from tests.teams.access_helpers import seed_consent, services_of, wait_records
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness
from tests.teams.support_helpers import CHANNEL_ID, channel_message, install_in_team

RYOHI = "架空市職員等の旅費に関する規程"


async def preload(harness: BotHarness, *extra: tuple[str, str, str]) -> None:
    """Load the fixtures (and extra (source, title, text) documents) into the bot's storage."""
    harness.data_dir.mkdir(parents=True, exist_ok=True)
    storage = SqliteStorage(harness.data_dir / "bot.sqlite3")
    knowledge = Knowledge.open(storage, system_clock)
    await load_fixtures(knowledge)
    for source, title, text in extra:
        await knowledge.add(source, title, text)
    await knowledge.close()
    await storage.close()


def system_of(fake: FakeOpenAI, index: int = -1) -> str:
    return str(fake.requests[index]["messages"][0]["content"])


def body_of(message: dict[str, object]) -> str:
    """The answer above the small print."""
    return str(message["text"]).split("\n\n---\n")[0]


async def test_an_answer_cites_the_article_it_used(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await preload(harness)
    fake_openai.script(
        Behaviour(text="特別急行列車で片道100km以上などの場合に限り、特別車両料金が支給されます【1】。")
    )
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("出張でグリーン車は使えますか"))
    [final] = await harness.connector.wait_messages(1)
    system = system_of(fake_openai)
    assert f"【1】『{RYOHI}』第五条" in system
    assert "特別車両料金は、片道百キロメートル以上" in system
    assert "資料名・条番号を作らないでください" in system
    assert body_of(final).endswith(f"参考：『{RYOHI}』第五条")
    assert fake_openai.requests[-1]["messages"][-1]["content"] == "出張でグリーン車は使えますか"
    [end] = await wait_records(harness, lambda r: r.phase == "end")
    assert {"label": "第五条", "cited": True}.items() <= end.details["knowledge"][0].items()


async def test_no_reference_line_when_nothing_relevant_or_nothing_cited(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await preload(harness)
    fake_openai.script(Behaviour(text="A案、B案、C案です。"), Behaviour(text="資料には記載がありません。"))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("おすすめのランチを教えて"))
    [first] = await harness.connector.wait_messages(1)
    assert "参考：" not in first["text"]
    system = system_of(fake_openai)
    assert "見つかりませんでした" in system
    assert "■ 参考資料" not in system
    await harness.post(harness.message("出張でグリーン車は使えますか"))
    messages = await harness.connector.wait_messages(2)
    assert "■ 参考資料" in system_of(fake_openai)
    assert "参考：" not in messages[-1]["text"], "the model cited nothing, so no source is claimed"


async def test_a_question_about_another_of_the_rules_kind_gets_no_passage_and_no_reference_line(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    teate = "架空市住居手当支給規則"
    await preload(
        harness,
        (
            "/reiki/jukyo.md",
            teate,
            "第3条（手当の額）\n住居手当の月額は、家賃の額から12,000円を控除した額とし、28,000円を限度とする。\n"
            "2　前項の規定は、管理職の職員にも適用する。\n",
        ),
    )
    fake_openai.script(
        Behaviour(text="管理職手当は給料の一割です【1】。"), Behaviour(text="上限は28,000円です【1】。")
    )
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("管理職手当っていくらもらえますか"))
    [first] = await harness.connector.wait_messages(1)
    system = system_of(fake_openai)
    assert "■ 参考資料" not in system, "a rule on 住居手当 says nothing about 管理職手当"
    assert "見つかりませんでした" in system
    assert "参考：" not in first["text"], "a 【1】 with no passage given names no source"
    await harness.post(harness.message("住居手当っていくらもらえますか"))
    messages = await harness.connector.wait_messages(2)
    assert f"『{teate}』第3条" in system_of(fake_openai)
    assert body_of(messages[-1]).endswith(f"参考：『{teate}』第3条")


async def test_passages_are_screened_but_rule_topics_do_not_hold_the_question(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await preload(
        harness,
        ("/k/nyusatsu.txt", "入札事務の手引", "第一条　入札の結果は、予定価格とともに入札後に公表する。"),
        (
            "/k/madoguchi.txt",
            "窓口対応マニュアル",
            "第一条　窓口の苦情は担当の村田英樹（090-1234-5678）が受ける。",
        ),
        ("/k/bangou.txt", "番号の例", "第一条　窓口の苦情の記録例：個人番号 123456789018 の方。"),
    )
    fake_openai.script(
        Behaviour(text="入札後に公表します【1】。"), Behaviour(echo=False, text="担当が受けます【1】【2】。")
    )
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("入札の結果はいつ公表しますか"))
    [first] = await harness.connector.wait_messages(1)
    assert "予定価格" in system_of(fake_openai), "a confirm-class topic word in a rule is sent"
    assert body_of(first).endswith("参考：『入札事務の手引』第一条")
    await harness.post(harness.message("窓口の苦情はだれが受けますか"))
    messages = await harness.connector.wait_messages(2)
    system = system_of(fake_openai)
    assert "090-1234-5678" not in system
    assert "村田英樹" not in system
    assert "〔電話番号" in system
    assert "123456789018" not in system, "a passage with a blocked kind is never sent"
    assert "番号の例" not in system
    assert "参考：『窓口対応マニュアル』第一条" in messages[-1]["text"]


async def test_the_dry_run_shows_the_passages(harness: BotHarness) -> None:
    await preload(harness)
    await harness.start()
    await harness.post(harness.message("ホテル代はいくらまで出ますか"))
    [final] = await harness.connector.wait_messages(1)
    text = final["text"]
    assert "【ドライラン】" in text
    assert "■ 参考資料" in text
    assert "宿泊料は、一夜当たり一万千円を上限" in text
    assert f"参考：『{RYOHI}』第八条" in text


async def test_admins_list_the_documents_in_teams(harness: BotHarness) -> None:
    await preload(harness)
    await harness.start()
    await harness.post(harness.message("ナレッジ", user=ADMIN_OID))
    [listing] = await harness.connector.wait_messages(1, f"a:personal-{ADMIN_OID}")
    assert "登録されているナレッジ（3件）" in listing["text"]
    assert f"『{RYOHI}』" in listing["text"]
    await harness.post(harness.message("ナレッジに登録", user=ADMIN_OID))
    messages = await harness.connector.wait_messages(2, f"a:personal-{ADMIN_OID}")
    assert "python -m bot knowledge add" in messages[-1]["text"]
    await harness.post(harness.message("ナレッジ"))
    refused = await harness.connector.wait_messages(1, f"a:personal-{USER_OID}")
    assert refused
    assert all("登録されているナレッジ" not in m["text"] for m in refused)


async def test_a_change_on_another_instance_is_seen(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await preload(harness)
    fake_openai.script(Behaviour(text="総務課で借ります【1】。"))
    await harness.start(**model_env(fake_openai, KNOWLEDGE_REFRESH_SECONDS="0.05"))
    storage = SqliteStorage(Path(harness.data_dir) / "bot.sqlite3")
    other = Knowledge.open(storage, system_clock)
    await other.add("/k/car.txt", "公用車管理要領", "第三条　公用車の鍵は、総務課で借りる。")
    await other.close()
    await storage.close()
    await asyncio.sleep(0.1)
    await harness.post(harness.message("公用車の鍵はどこで借りますか"))
    [final] = await harness.connector.wait_messages(1)
    assert "参考：『公用車管理要領』第三条" in final["text"]


async def test_the_support_channel_answers_from_the_same_knowledge(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await preload(harness)
    fake_openai.script(Behaviour(text="私物のパソコンは使えません【1】。"))
    await harness.start(**model_env(fake_openai))
    await install_in_team(harness)
    await seed_consent(harness)
    thread = f"{CHANNEL_ID};messageid=778"
    await harness.post(channel_message(harness, "テレワークで自分のパソコンを使ってもいいですか", thread))
    [answer] = await harness.connector.wait_messages(1, thread)
    system = system_of(fake_openai)
    assert "私物のパソコンを業務に使用してはならない" in system
    assert services_of(harness).policy.support.faq[0].question in system  # the FAQ is still there
    assert body_of(answer).endswith("参考：『架空市テレワーク実施要綱』「情報の取扱い」")


async def test_hybrid_only_with_its_own_setting(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await preload(
        harness, ("/k/bangou.txt", "番号の例", "第一条　出張の記録例：個人番号 123456789018 の方。")
    )
    fake_openai.script(Behaviour(text="回答【1】"), Behaviour(text="回答【1】"))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("出張でグリーン車は使えますか"))
    await harness.connector.wait_messages(1)
    assert fake_openai.embedding_requests == [], "the chat model's settings alone do not switch it on"
    await harness.close()

    again = BotHarness(connector=harness.connector, data_dir=harness.data_dir)
    try:
        await again.start(**model_env(fake_openai, KNOWLEDGE_EMBEDDINGS_MODEL="text-embedding-3-small"))
        await again.post(again.message("出張でグリーン車は使えますか"))
        await again.connector.wait_messages(2)
        sent = [t for r in fake_openai.embedding_requests for t in r["input"]]
        assert sent, "hybrid retrieval asks the embeddings endpoint"
        assert fake_openai.embedding_requests[0]["model"] == "text-embedding-3-small"
        assert not any("123456789018" in t for t in sent)
        assert f"参考：『{RYOHI}』第五条" in again.connector.messages()[-1]["text"]
    finally:
        await again.close()


async def test_passages_count_as_input_in_the_reservation_the_settlement_and_the_usage_line(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await preload(harness)
    answer = "特別車両料金が支給される場合があります【1】。"
    fake_openai.script(Behaviour(text=answer))
    await harness.start(**model_env(fake_openai))
    question = "出張でグリーン車は使えますか"
    await harness.post(harness.message(question))
    [final] = await harness.connector.wait_messages(1)
    services = services_of(harness)
    assert services.dialog.knowledge is not None
    prepared = await services.dialog.knowledge.prepare(question, None)
    passages = prepared.passage_chars
    system = system_of(fake_openai)
    assert passages > 100
    assert all(source.block in system for source in prepared.sources), "what is counted is what was sent"
    [end] = await wait_records(harness, lambda r: r.phase == "end")
    assert end.chars_in == len(question) + passages
    reserved = end.details["quota"]["reserved"]
    assert reserved == len(question) + passages + services.policy.quota.max_answer_chars
    used = await used_after_settlement(harness)
    assert used == len(question) + passages + len(answer)
    footer = str(final["text"]).split("\n\n---\n")[1]
    assert f"今回 {used:,} 文字" in footer
    assert f"参考資料（{passages:,}文字）も、入力の文字数として利用文字数に含まれます" in footer


async def used_after_settlement(harness: BotHarness) -> int:
    """The organisation's used characters once the turn has settled (settlement follows the reply)."""
    quota = services_of(harness).quota
    for _ in range(200):
        snapshot = await quota.snapshot(USER_OID)
        if snapshot.org.used and snapshot.org.reserved == 0:
            return snapshot.org.used
        await asyncio.sleep(0.02)
    raise AssertionError("the turn was not settled")
