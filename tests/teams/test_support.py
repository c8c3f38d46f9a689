"""The support channel over real HTTP: 問い合わせ, admin answers, channel answers, 担当者に確認."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.tickets import TicketStore
from bot.teams.channels import (
    NoReference,
    notify_user,
    post_to_channel,
    reply_in_thread,
    update_activity,
)
from bot.ui.common import admin_only
from bot.ui.support import texts
from bot.ui.support.cards import ANSWER, ESCALATE, REFRESH, SUBMIT
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import (
    actions_of,
    card_of,
    card_text,
    events,
    execute,
    seed_consent,
    services_of,
    wait_records,
)
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness
from tests.teams.support_helpers import (
    ADMIN_NAME,
    BOT_ID,
    CHANNEL_ID,
    TEAM_ID,
    channel_message,
    database_text,
    in_channel,
    install_in_team,
    introduce_admin,
    only_question,
    personal,
    thread_posts,
    updates,
    wait_personal,
)

OTHER_OID = "aaaaaaaa-0000-0000-0000-0000000000bb"
CARD = "application/vnd.microsoft.card.adaptive"
QUESTION = "作成した案内文を市のホームページに載せるとき、注意することはありますか"


def _env(fake: FakeOpenAI) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "MODEL_MAX_RETRIES": "0"}


async def _ask(harness: BotHarness, text: str = QUESTION) -> str:
    """問い合わせ <text> from the user; returns the new thread's conversation id."""
    before = len(thread_posts(harness))
    await harness.post(harness.message(f"問い合わせ {text}"))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) > before)
    await wait_personal(harness, 1)
    return str(thread_posts(harness)[-1].conversation_id)


async def _answer(
    harness: BotHarness, ticket_id: str, text: str, *, user: str = ADMIN_OID, thread: str
) -> object:
    status, body = await harness.post(
        execute(
            harness,
            ANSWER,
            {"ticket": ticket_id, "answer": text},
            user=user,
            name=_name(user),
            **in_channel(thread),
        )
    )
    assert status == 200
    return body


def _name(user: str) -> str:
    return ADMIN_NAME if user == ADMIN_OID else "別の 職員"


# ---- the channel --------------------------------------------------------------------------------


async def test_installing_in_a_team_discovers_the_support_channel(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    target = await services_of(harness).channels.target("ＣｈａｔＧＰＴ")  # width and case folded
    assert target is not None
    assert (target.team_id, target.channel_id, target.bot_id) == (TEAM_ID, CHANNEL_ID, BOT_ID)
    assert target.service_url == harness.connector.url
    reference = await services_of(harness).channels.channel("ChatGPT")
    assert reference is not None
    assert reference.conversation.id == CHANNEL_ID


async def test_a_question_without_the_channel_known_is_not_lost(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message(f"問い合わせ {QUESTION}"))
    [reply] = await wait_personal(harness, 1)
    assert "投稿できませんでした" in reply["text"]
    assert [e async for e in services_of(harness).storage.scan("support", pk_prefix="question")] == []
    await install_in_team(harness)
    await _ask(harness)  # the same question can be sent again once the bot is in the team
    assert len(thread_posts(harness)) == 1


async def test_proactive_helpers_work_with_an_empty_app_id(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await harness.post(harness.message("ヘルプ"))
    await wait_personal(harness, 1)
    outreach = services_of(harness).outreach
    card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
    posted = await post_to_channel(outreach, "ChatGPT", outreach.to_channel(card))
    assert posted.conversation_id.startswith(f"{CHANNEL_ID};messageid=")
    assert posted.activity_id == posted.conversation_id.rsplit("=", 1)[-1]
    await reply_in_thread(outreach, posted, outreach.to_channel("スレッドへの返信"))
    await update_activity(outreach, posted, outreach.to_channel("更新後の本文"))
    await notify_user(outreach, USER_OID, outreach.to_person("個人チャットへのお知らせ"))
    [reply] = [p for p in harness.connector.posted if p.body.get("text") == "スレッドへの返信"]
    assert (reply.conversation_id, reply.reply_to) == (posted.conversation_id, posted.activity_id)
    assert updates(harness, posted.conversation_id)[0]["text"] == "更新後の本文"
    assert personal(harness)[-1]["text"] == "個人チャットへのお知らせ"
    with pytest.raises(NoReference):
        await notify_user(outreach, OTHER_OID, outreach.to_person("会ったことのない職員"))


# ---- 問い合わせ → admin answer → relayed --------------------------------------------------------


async def test_question_is_posted_as_a_new_thread_and_the_admin_answer_is_relayed_once(
    harness: BotHarness,
) -> None:
    await harness.start()
    await install_in_team(harness)
    await introduce_admin(harness)
    thread = await _ask(harness)
    [root] = [p for p in thread_posts(harness) if p.conversation_id == thread]
    card = card_of(root.body)
    assert card["version"] == "1.5"
    assert QUESTION in card_text(card)
    assert "市役所 太郎" in card_text(card)
    assert card["refresh"]["userIds"] == [f"29:{ADMIN_OID}"]  # the admin sees the answer input on refresh
    assert ANSWER not in actions_of(card)  # everyone else sees the question only
    assert "受付番号" in personal(harness)[0]["text"]
    ticket = await only_question(harness)
    assert ticket.status == "open"
    assert ticket.text("question") == QUESTION

    status, refreshed = await harness.post(
        execute(harness, REFRESH, {"ticket": ticket.id}, user=ADMIN_OID, **in_channel(thread))
    )
    assert status == 200
    assert refreshed["type"] == CARD
    assert ANSWER in actions_of(refreshed["value"])

    body = await _answer(harness, ticket.id, "掲載前に所属長の確認を受けてください。", thread=thread)
    assert body["type"] == CARD
    assert "回答済み" in card_text(body["value"])
    [_, relayed] = await wait_personal(harness, 2)  # delivered in the background, after the click
    assert "掲載前に所属長の確認を受けてください。" in relayed["text"]
    assert ticket.number in relayed["text"]
    await harness.connector.wait_for(lambda c: len(updates(harness, thread)) == 1)
    [update] = updates(harness, thread)
    assert update["id"] == root.body["conversation"]["id"].rsplit("=", 1)[-1]
    assert "回答済み" in card_text(card_of(update))
    assert ADMIN_NAME in card_text(card_of(update))
    [answered] = await wait_records(harness, lambda r: r.event == "support.answered")
    assert answered.details["via"] == "card"
    assert answered.details["relayed"] is True

    again = await _answer(harness, ticket.id, "二度目の回答", thread=thread)
    assert "回答済み" in card_text(again["value"])
    assert "二度目の回答" not in card_text(again["value"])
    await asyncio.sleep(0.2)
    assert len(personal(harness)) == 2
    assert len(updates(harness, thread)) == 1
    assert await events(harness, "support.answer_duplicate")


async def test_a_non_admin_cannot_answer_and_nothing_changes(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    thread = await _ask(harness)
    ticket = await only_question(harness)
    body = await _answer(harness, ticket.id, "勝手な回答", user=OTHER_OID, thread=thread)
    assert body["value"] == admin_only(services_of(harness).policy)
    assert (await only_question(harness)).status == "open"
    await asyncio.sleep(0.2)
    assert len(personal(harness)) == 1
    assert updates(harness, thread) == []
    [refused] = await events(harness, "admin.refused")
    assert refused.details["action"] == ANSWER
    assert refused.user_id == OTHER_OID


async def test_an_admin_reply_in_the_thread_mentioning_the_bot_is_relayed(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai))
    await install_in_team(harness)
    thread = await _ask(harness)
    reply = channel_message(
        harness, "所属で事実確認をしてから掲載してください。", thread, user=ADMIN_OID, name=ADMIN_NAME
    )
    await harness.post(reply)
    [_, relayed] = await wait_personal(harness, 2)
    assert "所属で事実確認をしてから掲載してください。" in relayed["text"]
    [_root, note] = await harness.connector.wait_messages(2, thread)  # the question card, then the reply
    assert note["text"] == texts.THREAD_ANSWER_SENT
    assert fake_openai.requests == []  # an answer, not a question for the model
    assert (await only_question(harness)).text("answered_via") == "thread"
    assert len(updates(harness, thread)) == 1


async def test_a_non_admin_reply_in_the_thread_is_neither_an_answer_nor_a_question(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai))
    await install_in_team(harness)
    await seed_consent(harness, OTHER_OID)
    thread = await _ask(harness)
    await harness.post(channel_message(harness, "私も同じ疑問があります", thread, user=OTHER_OID))
    [_root, note] = await harness.connector.wait_messages(2, thread)
    assert "担当者が回答します" in note["text"]
    assert fake_openai.requests == []
    assert (await only_question(harness)).status == "open"
    assert len(personal(harness)) == 1


async def test_the_form_attaches_the_last_exchange_and_is_sent_once(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="案内文の案です。"))
    await harness.start(**_env(fake_openai))
    await install_in_team(harness)
    await seed_consent(harness)
    await harness.post(harness.message("会議の案内文を作って"))
    await wait_personal(harness, 1)
    await harness.post(harness.message("問い合わせ"))
    form = card_of((await wait_personal(harness, 2))[1])
    submit = actions_of(form)[SUBMIT]
    assert any(item.get("id") == "attach" for item in form["body"])
    value = {**submit["data"], "question": QUESTION, "attach": "true"}
    await harness.post(harness.activity(type="message", value=value))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) == 1)
    posted = card_text(card_of(thread_posts(harness)[0].body))
    assert "会議の案内文を作って" in posted
    assert "案内文の案です。" in posted
    await wait_personal(harness, 3)
    await harness.post(harness.activity(type="message", value=value))  # the same form again
    [*_, again] = await wait_personal(harness, 4)
    assert again["text"] == texts.ALREADY_SENT
    assert len(thread_posts(harness)) == 1


# ---- screening ------------------------------------------------------------------------------------


async def test_a_my_number_in_a_question_is_refused_and_never_posted_or_stored(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await harness.post(
        harness.message("問い合わせ 申請者のマイナンバーは123456789018です。どう扱えばよいですか")
    )
    [reply] = await wait_personal(harness, 1)
    assert "投稿しませんでした" in reply["text"]
    assert "123456789018" not in reply["text"]
    await asyncio.sleep(0.2)
    assert thread_posts(harness) == []
    [refused] = await wait_records(harness, lambda r: r.event == "support.question_refused")
    assert refused.details["screening"]["action"] == "block"
    assert "123456789018" not in database_text(harness)
    assert not any("123456789018" in str(p.body) for p in harness.connector.posted)


async def test_names_and_phone_numbers_are_masked_before_posting(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await _ask(harness, "山田太郎さん（090-1234-5678）への回答文を作ってよいですか")
    posted = card_text(card_of(thread_posts(harness)[0].body))
    assert "090-1234-5678" not in posted
    assert "〔電話番号1〕" in posted
    assert "置き換えて投稿しました" in personal(harness)[0]["text"]
    assert "090-1234-5678" not in database_text(harness)


# ---- questions to the bot in the channel ---------------------------------------------------------


async def test_a_channel_question_is_answered_in_the_thread_from_the_faq(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="氏名は記号に置き換えられます。"))
    await harness.start(**_env(fake_openai))
    await install_in_team(harness)
    await seed_consent(harness)
    thread = f"{CHANNEL_ID};messageid=777"
    await harness.post(channel_message(harness, "個人の名前を入力してもよいですか", thread))
    [answer] = await harness.connector.wait_messages(1, thread)
    assert harness.connector.activities(type_="typing") == []  # channels do not stream
    assert not any(e["type"] == "streaminfo" for e in answer.get("entities", []))
    assert any(e.get("additionalType") == ["AIGeneratedContent"] for e in answer["entities"])
    assert "氏名は記号に置き換えられます。" in answer["text"]
    assert ESCALATE in actions_of(card_of(answer))
    system = fake_openai.requests[0]["messages"][0]["content"]
    policy = services_of(harness).policy
    assert policy.support.faq[0].question in system
    assert policy.guideline.summary[0] in system


async def test_a_channel_question_goes_through_screening(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai))
    await install_in_team(harness)
    await seed_consent(harness)
    thread = f"{CHANNEL_ID};messageid=778"
    await harness.post(channel_message(harness, "マイナンバー123456789018の扱いは？", thread))
    [reply] = await harness.connector.wait_messages(1, thread)
    assert "送信しませんでした" in reply["text"]
    assert fake_openai.requests == []


async def test_other_channels_keep_the_ordinary_answer(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Behaviour(text="回答です。"))
    await harness.start(**_env(fake_openai))
    await install_in_team(harness)
    await seed_consent(harness)
    thread = "19:other@thread.tacv2;messageid=5"
    await harness.post(channel_message(harness, "会議の案内文を作って", thread))
    [answer] = await harness.connector.wait_messages(1, thread)
    assert not answer.get("attachments")
    assert (
        services_of(harness).policy.support.faq[0].question
        not in fake_openai.requests[0]["messages"][0]["content"]
    )


async def test_ask_staff_mentions_the_admins_in_the_thread_once(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await introduce_admin(harness)
    thread = f"{CHANNEL_ID};messageid=900"
    status, body = await harness.post(execute(harness, ESCALATE, {}, **in_channel(thread)))
    assert status == 200
    assert body["type"] == CARD
    assert "市役所 太郎" in card_text(body["value"])
    [mention] = await harness.connector.wait_messages(1, thread)  # posted after the click is answered
    [entity] = mention["entities"]
    assert entity["type"] == "mention"
    assert entity["mentioned"]["id"] == f"29:{ADMIN_OID}"
    assert entity["text"] in mention["text"]
    assert entity["text"] == f"<at>{ADMIN_NAME}</at>"
    status, again = await harness.post(execute(harness, ESCALATE, {}, **in_channel(thread)))
    assert again["value"] == texts.ALREADY_ESCALATED
    assert len(harness.connector.messages(thread)) == 1
    assert await wait_records(harness, lambda r: r.event == "support.escalated")


async def test_ask_staff_answers_the_click_before_the_thread_reply_is_posted(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await introduce_admin(harness)
    thread = f"{CHANNEL_ID};messageid=903"
    harness.connector.delay_next(5, method="POST")
    loop = asyncio.get_running_loop()
    started = loop.time()
    status, body = await harness.post(execute(harness, ESCALATE, {}, **in_channel(thread)))
    assert status == 200
    assert body["type"] == CARD
    assert loop.time() - started < 4  # the slow connector did not hold the click
    assert not harness.connector.messages(thread)
    await harness.connector.wait_messages(1, thread, timeout=15)


async def test_ask_staff_that_cannot_be_posted_is_told_to_the_person_who_clicked(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await introduce_admin(harness)
    await harness.post(harness.message("ヘルプ"))  # the clicker's personal chat is known to the bot
    before = len(await wait_personal(harness, 1))
    thread = f"{CHANNEL_ID};messageid=902"
    harness.connector.fail_next(404, activity_type="message")
    status, body = await harness.post(execute(harness, ESCALATE, {}, **in_channel(thread)))
    assert status == 200
    assert body["type"] == CARD
    [record] = await wait_records(harness, lambda r: r.event == "support.escalation_not_posted")
    assert record.details["error"] == "ConnectorFailed"
    told = await wait_personal(harness, before + 1)
    assert texts.escalation_not_posted(services_of(harness).policy) == told[-1]["text"]
    assert not harness.connector.messages(thread)
    assert not await events(harness, "support.escalated")


async def test_ask_staff_names_the_division_when_no_admin_is_known(harness: BotHarness) -> None:
    await harness.start(SUPPORT_TEAM_ID=TEAM_ID)  # configured: a member of staff may install it
    await install_in_team(harness, user=USER_OID)
    thread = f"{CHANNEL_ID};messageid=901"
    await harness.post(execute(harness, ESCALATE, {}, **in_channel(thread)))
    [message] = await harness.connector.wait_messages(1, thread)
    assert "情報政策課の担当者" in message["text"]
    assert not message.get("entities")


# ---- blocked bot --------------------------------------------------------------------------------


async def test_a_blocked_personal_chat_is_recorded_and_not_retried(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    first = await _ask(harness, "一つ目の質問です")
    ticket_one = await only_question(harness)
    await harness.post(harness.message("問い合わせ 二つ目の質問です"))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) == 2)
    second = str(thread_posts(harness)[1].conversation_id)
    await wait_personal(harness, 2)
    await introduce_admin(harness)
    harness.connector.fail_next(403, code="MessageWritesBlocked")
    body = await _answer(harness, ticket_one.id, "回答1", thread=first)
    assert body["type"] == CARD
    assert "回答済み" in card_text(body["value"])
    [*_, told] = await wait_personal(harness, 2, user=ADMIN_OID)  # then the admin is told what failed
    assert "ブロック" in told["text"]
    assert ticket_one.number in told["text"]
    assert await services_of(harness).channels.is_blocked(USER_OID)
    attempts = len(harness.connector.posted)
    ticket_two = await _ticket_of_thread(harness, second)
    body = await _answer(harness, ticket_two, "回答2", thread=second)
    assert body["type"] == CARD
    [*_, told] = await wait_personal(harness, 3, user=ADMIN_OID)
    assert "ブロック" in told["text"]
    assert not any(p.conversation_id == f"a:personal-{USER_OID}" for p in harness.connector.posted[attempts:])
    [*_, not_relayed] = await wait_records(
        harness, lambda r: r.event == "support.answered" and not r.details["relayed"]
    )
    assert not_relayed.details["delivery_error"] == "Blocked"
    await harness.post(harness.message("ヘルプ"))  # the user is back: no longer blocked
    await wait_personal(harness, 3)
    assert not await services_of(harness).channels.is_blocked(USER_OID)


async def _ticket_of_thread(harness: BotHarness, thread: str) -> str:
    services = services_of(harness)
    ticket = await TicketStore(services.storage, services.clock).by_thread(thread)
    assert ticket is not None
    return ticket.id
