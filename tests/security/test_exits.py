"""Every exit guarded (issue 11): what the model writes, what goes to channels, storage and logs.

Over real HTTP with the fake Bot Connector and the fake OpenAI-compatible server. Each test names
the protection it proves; removing that protection makes it fail.
"""

from __future__ import annotations

import logging

from bot.core.exits import Exit, Gate, LogGate, ScreenedText, defang_links
from bot.core.policy import load_policy
from bot.core.screening import Screener
from bot.ui.exits import texts as exit_texts
from bot.ui.support.cards import SUBMIT
from tests.fakes.battery import model_env
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import actions_of, card_of, card_text, execute, records
from tests.teams.harness import ADMIN_OID, BotHarness, policy_without_consent
from tests.teams.support_helpers import (
    ADMIN_NAME,
    database_text,
    in_channel,
    install_in_team,
    only_question,
    thread_posts,
    updates,
    wait_personal,
)

MY_NUMBER = "123456789018"  # valid check digit
PHONE = "090-1234-5678"
OTHER_OID = "aaaaaaaa-0000-0000-0000-0000000000cc"


def _gate() -> Gate:
    return Gate(Screener(load_policy("iwaki").screening))


# ---- from the model ----------------------------------------------------------------------------


async def test_identifiers_the_model_writes_are_never_shown_kept_or_recorded(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    invented = f"該当者の個人番号は {MY_NUMBER} です。連絡先は山本健一さん（{PHONE}）です。以上です。"
    fake_openai.script(Behaviour(text=invented, chunk_chars=3), Behaviour(text="了解です。"))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("通知文の例を作って"))
    [final] = await harness.connector.wait_messages(1)
    shown = [final["text"], *(t.get("text") or "" for t in harness.connector.activities(type_="typing"))]
    assert all(MY_NUMBER not in text for text in shown)
    assert all("1234 5678 9018" not in text for text in shown)
    assert all(PHONE not in text for text in shown), "a value the model invented is masked, not shown"
    assert "〔マイナンバー（個人番号）〕" in final["text"]
    await harness.post(harness.message("ありがとう"))  # the history goes to the model with this turn
    await harness.connector.wait_messages(2)
    history = str(fake_openai.requests[-1]["messages"])
    assert MY_NUMBER not in history
    assert PHONE not in history
    answers = " ".join(r.answer for r in await records(harness))
    assert MY_NUMBER not in answers
    assert PHONE not in answers
    assert MY_NUMBER not in database_text(harness)


async def test_the_callers_own_values_are_restored_in_their_personal_chat(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="〔人名1〕様への返信文です。"))
    await harness.start(**model_env(fake_openai))
    await harness.post(harness.message("村田英樹さんへの返信文を作って"))
    [final] = await harness.connector.wait_messages(1)
    assert "村田英樹" not in fake_openai.user_texts()[-1]
    assert final["text"].startswith("村田英樹様への返信文です。")


async def test_in_a_group_chat_a_pseudonym_is_restored_only_for_the_person_who_typed_it(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    group = "19:group-chat@thread.v2"
    fake_openai.script(Behaviour(text="〔人名1〕様への返信文です。"), Behaviour(text="〔人名1〕様の件です。"))
    await harness.start(**model_env(fake_openai))
    mention = [{"type": "mention", "mentioned": {"id": "28:bot-id", "name": "AI"}, "text": "<at>AI</at>"}]
    typed = harness.message(
        "<at>AI</at> 村田英樹さんへの返信文を作って",
        conversation=group,
        conversation_type="groupChat",
        entities=mention,
    )
    await harness.post(typed)
    [mine] = await harness.connector.wait_messages(1, group)
    assert mine["text"].startswith("村田英樹様"), "restored for the person who typed the name"
    other = harness.message(
        "<at>AI</at> さっきの人について教えて",
        user=OTHER_OID,
        conversation=group,
        conversation_type="groupChat",
        entities=mention,
    )
    await harness.post(other)
    [_, theirs] = await harness.connector.wait_messages(2, group)
    assert "村田英樹" not in theirs["text"]
    assert theirs["text"].startswith("〔人名1〕様の件です。")


# ---- to channels and storage ------------------------------------------------------------------


async def test_a_confirmed_confidential_exchange_is_never_attached_to_a_channel_post(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.script(Behaviour(text="査定方針案の要約です。"))
    await harness.start(**model_env(fake_openai))
    await install_in_team(harness)
    await harness.post(harness.message("部外秘：次年度予算の査定方針案を要約して"))
    [held] = await wait_personal(harness, 1)
    send = next(a for a in card_of(held)["actions"] if a["data"]["verb"] == "screening.send")
    await harness.post(harness.message("", value={**send["data"], "note": "確認しました"}))
    await wait_personal(harness, 2)
    await harness.post(harness.message("問い合わせ"))
    form = card_of((await wait_personal(harness, 3))[2])
    value = {
        **actions_of(form)[SUBMIT]["data"],
        "question": "この要約の扱いを教えてください",
        "attach": "true",
    }
    await harness.post(harness.activity(type="message", value=value))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) == 1)
    posted = card_text(card_of(thread_posts(harness)[0].body))
    assert "部外秘" not in posted
    assert "査定方針" not in posted
    [*_, notice] = await wait_personal(harness, 4)
    assert exit_texts.EXCHANGE_WITHHELD in notice["text"]
    assert (await only_question(harness)).text("exchange") == ""


async def test_an_admins_answer_leaves_masked_for_the_channel_card_and_the_asker(
    harness: BotHarness,
) -> None:
    await harness.start()
    await install_in_team(harness)
    await harness.post(harness.message("問い合わせ 申請書の書き方を教えてください"))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) == 1)
    await wait_personal(harness, 1)
    thread = str(thread_posts(harness)[0].conversation_id)
    ticket = await only_question(harness)
    answer = f"担当の山本健一（{PHONE}）に聞いてください。"  # an identifier would refuse the answer
    await harness.post(
        execute(
            harness,
            "support.answer",
            {"ticket": ticket.id, "answer": answer},
            user=ADMIN_OID,
            name=ADMIN_NAME,
            **in_channel(thread),
        )
    )
    [relayed] = (await wait_personal(harness, 2))[1:]
    await harness.connector.wait_for(lambda c: bool(updates(harness, thread)))  # after the relay
    card = card_text(updates(harness, thread)[-1]["attachments"][0]["content"])
    for text in (relayed["text"], card, (await only_question(harness)).text("answer")):
        assert PHONE not in text
        assert MY_NUMBER not in text
        assert "山本健一" not in text


async def test_links_in_forwarded_text_are_not_clickable(harness: BotHarness) -> None:
    await harness.start()
    await install_in_team(harness)
    await harness.post(harness.message("問い合わせ このページ https://evil.example/login は本物ですか"))
    await harness.connector.wait_for(lambda c: len(thread_posts(harness)) == 1)
    posted = card_text(card_of(thread_posts(harness)[0].body))
    assert "https://evil.example" not in posted
    assert "https[:]//evil.example/login" in posted


async def test_a_feedback_comment_never_keeps_an_identifier(harness: BotHarness) -> None:
    await harness.start()
    await harness.post(harness.message("ヘルプ"))
    await wait_personal(harness, 1)
    vote = harness.activity(
        type="invoke",
        name="message/submitAction",
        value={
            "actionName": "feedback",
            "actionValue": {
                "reaction": "dislike",
                "feedback": f'{{"feedbackText": "山本さん {PHONE} 番号 {MY_NUMBER} が違う"}}',
            },
        },
        replyToId="act-1",
    )
    vote["name"] = "message/submitAction"
    status, _ = await harness.post(vote)
    assert status == 200
    assert MY_NUMBER not in database_text(harness)
    assert PHONE not in database_text(harness)


# ---- the gate itself ------------------------------------------------------------------------------


def test_only_the_gate_makes_screened_text() -> None:
    try:
        ScreenedText("村田英樹", Exit.CHANNEL)
    except TypeError:
        pass
    else:
        raise AssertionError("ScreenedText must not be constructible outside the gate")
    screened = _gate().screen(f"村田英樹 {PHONE} 個人番号 {MY_NUMBER}", Exit.STORAGE)
    assert MY_NUMBER not in screened.text
    assert PHONE not in screened.text
    assert "村田英樹" not in screened.text


def test_confirm_class_text_is_withheld_from_channels_only() -> None:
    gate = _gate()
    text = "部外秘：次年度予算の査定方針案"
    assert gate.screen(text, Exit.CHANNEL).withheld
    assert gate.screen(text, Exit.CHANNEL).text == gate.withheld_notice
    assert gate.screen(text, Exit.OWN_CHAT).text == text


def test_links_are_defanged() -> None:
    assert defang_links("[ここ](https://evil.example/x) www.evil.example") == (
        "ここ (https[:]//evil.example/x) www[.]evil.example"
    )


def test_log_lines_pass_the_gate() -> None:
    logger = logging.getLogger("tests.exits.log")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(LogGate(_gate()))
    logger.addHandler(handler)
    try:
        logger.warning("library said: %s", f"個人番号 {MY_NUMBER} 電話 {PHONE}")
    finally:
        logger.removeHandler(handler)
    [line] = [r.getMessage() for r in records]
    assert MY_NUMBER not in line
    assert PHONE not in line


async def test_in_a_group_chat_confidential_content_from_the_model_is_withheld(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    group = "19:group-chat-2@thread.v2"
    mention = [{"type": "mention", "mentioned": {"id": "28:bot-id", "name": "AI"}, "text": "<at>AI</at>"}]
    fake_openai.script(Behaviour(text="部外秘：来年度の職員削減計画案は次のとおりです。"))
    harness.data_dir.mkdir(parents=True, exist_ok=True)
    policy = policy_without_consent(harness.data_dir, "maebashi")  # its help text talks about 部外秘
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("require_approval = true", "require_approval = false")
    )
    await harness.start(**model_env(fake_openai), BOT_POLICY=str(policy))
    fields = {"conversation": group, "conversation_type": "groupChat", "entities": mention}
    await harness.post(harness.message("<at>AI</at> ヘルプ", **fields))
    [help_reply] = await harness.connector.wait_messages(1, group)
    assert exit_texts.WITHHELD not in help_reply["text"], "the bot's own guidance is not content"
    await harness.post(harness.message("<at>AI</at> 来年度の計画について教えて", **fields))
    [_, answer] = await harness.connector.wait_messages(2, group)
    assert "職員削減" not in answer["text"]
    assert exit_texts.WITHHELD in answer["text"]
