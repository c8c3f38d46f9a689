"""Consent, application and approval over the real HTTP endpoint (fake Bot Connector, fake model)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.core.access import AccessStore, Status
from bot.core.clock import system_clock
from bot.core.errors import StorageError
from bot.teams.features.access.digest import digest_of, send_weekly_digest
from tests.fakes.openai_server import Behaviour, FakeOpenAI
from tests.teams.access_helpers import (
    ADMIN_CHANNEL_ID,
    ADMIN_NAME,
    actions_of,
    agree,
    card_of,
    card_text,
    channel_posts,
    channel_updates,
    events,
    execute,
    join_team,
    personal_messages,
    seed_consent,
    services_of,
    wait_records,
)
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness, policy_without_consent

OTHER_OID = "aaaaaaaa-0000-0000-0000-0000000000bb"
MY_NUMBER = "123456789018"
CARD = "application/vnd.microsoft.card.adaptive"


def _env(fake: FakeOpenAI, **extra: str) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "MODEL_MAX_RETRIES": "0", **extra}


async def _store(harness: BotHarness) -> AccessStore:
    services = services_of(harness)
    return AccessStore(services.storage, services.clock)


# ---- consent --------------------------------------------------------------------------------------


async def test_first_message_gets_the_consent_card_and_nothing_reaches_the_model(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai, BOT_POLICY="iwaki"))
    await harness.post(harness.message("会議の案内文を作って"))
    [reply] = await harness.connector.wait_messages(1)
    card = card_of(reply)
    assert card["version"] == "1.5"
    text = card_text(card)
    assert "情報公開条例第7条" in text
    assert "著作権" in text
    assert "業務目的" in text
    assert "責任" in text
    assert "access.agree" in actions_of(card)
    assert fake_openai.requests == []
    [single] = await wait_records(harness, lambda r: r.phase == "single")
    assert single.outcome is not None
    assert single.outcome.value == "not_allowed"
    assert single.text == ""  # a refused turn keeps no text


async def test_agree_records_the_consent_and_the_department_rides_on_every_turn(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**_env(fake_openai, BOT_POLICY="iwaki"))
    body = await agree(harness, department="市民部 市民課")
    assert body["statusCode"] == 200
    assert body["type"] == CARD
    assert "同意を記録しました" in card_text(body["value"])
    [consent] = await events(harness, "access.consent")
    assert consent.details == {"version": "2024-04-15", "department": "市民部 市民課"}
    assert consent.user_id == USER_OID
    assert consent.display_name == "市役所 太郎"
    await harness.post(harness.message("市民まつりの案内文を作って"))
    [final] = await harness.connector.wait_messages(1)
    assert final["channelData"]["feedbackLoop"] == {"type": "default"}
    assert len(fake_openai.requests) == 1
    [start] = await wait_records(harness, lambda r: r.phase == "start")
    assert start.department == "市民部 市民課"


async def test_agree_needs_a_department(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="iwaki")
    body = await agree(harness, department=" ")
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "所属を入力" in body["value"]
    assert await events(harness, "access.consent") == []


async def test_a_new_guideline_version_asks_again(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**_env(fake_openai, BOT_POLICY="iwaki"))
    await seed_consent(harness, version="2023-01-01")
    await harness.post(harness.message("質問です"))
    [reply] = await harness.connector.wait_messages(1)
    assert "改定されました" in card_text(card_of(reply))
    assert fake_openai.requests == []
    status, body = await harness.post(
        execute(harness, "access.agree", {"version": "2023-01-01", "department": "総務課"})
    )
    assert status == 200
    assert "改定されました" in card_text(body["value"])
    await agree(harness)
    await harness.post(harness.message("質問です"))
    await harness.connector.wait_messages(2)
    assert len(fake_openai.requests) == 1


async def test_installing_the_bot_shows_the_consent_card(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="iwaki")
    activity = harness.activity(type="conversationUpdate", membersAdded=[{"id": "28:bot-id"}])
    await harness.post(activity)
    [reply] = await harness.connector.wait_messages(1)
    assert "access.agree" in actions_of(card_of(reply))


async def test_help_works_before_consent(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="iwaki")
    await harness.post(harness.message("ヘルプ"))
    [reply] = await harness.connector.wait_messages(1)
    assert "使えるコマンド" in reply["text"]


# ---- application and approval (Maebashi) ----------------------------------------------------------


async def _apply(harness: BotHarness, user: str = USER_OID, purpose: str = "お知らせ文の素案作成") -> Any:
    await agree(harness, user=user)
    data = {"department": "政策推進課", "staff_type": "正規職員", "purpose": purpose}
    status, body = await harness.post(execute(harness, "access.apply", data, user=user))
    assert status == 200
    return body


async def _approval_card(harness: BotHarness, count: int = 1) -> dict[str, Any]:
    await harness.connector.wait_for(lambda c: len(channel_posts(harness)) >= count)
    return card_of(channel_posts(harness)[count - 1])


async def _click(
    harness: BotHarness, card: dict[str, Any], verb: str, user: str = ADMIN_OID, **inputs: str
) -> Any:
    data = {**actions_of(card)[verb]["data"], **inputs}
    name = ADMIN_NAME if user == ADMIN_OID else "他の 職員"
    status, body = await harness.post(execute(harness, verb, data, user=user, name=name))
    assert status == 200
    return body


async def test_application_approval_then_use(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Behaviour(text="承認後の回答です。"))
    await harness.start(**_env(fake_openai, BOT_POLICY="maebashi"))
    await join_team(harness)
    body = await agree(harness)
    assert "access.apply" in actions_of(body["value"])  # the consent card turns into the application form
    body = await _apply(harness)
    assert "申請を受け付けました" in card_text(body["value"])
    card = await _approval_card(harness)
    assert card["version"] == "1.5"
    assert "政策推進課" in card_text(card)
    assert "お知らせ文の素案作成" in card_text(card)
    assert {"access.approve", "access.reject"} <= set(actions_of(card))
    [applied] = await events(harness, "access.apply")
    assert applied.details["staff_type"] == "正規職員"

    await harness.post(harness.message("質問です"))
    [status_msg] = await harness.connector.wait_messages(1, f"a:personal-{USER_OID}")
    assert "確認中" in status_msg["text"]
    assert "承認" in status_msg["text"]
    assert fake_openai.requests == []

    body = await _click(harness, card, "access.approve")
    assert body["statusCode"] == 200
    assert body["type"] == CARD
    assert f"承認済み：{ADMIN_NAME}" in card_text(body["value"])
    await harness.connector.wait_for(
        lambda c: any("承認されました" in (m.get("text") or "") for m in personal_messages(harness))
    )
    await harness.connector.wait_for(lambda c: bool(channel_updates(harness)))  # updated in the background
    [update] = channel_updates(harness)
    assert f"承認済み：{ADMIN_NAME}" in card_text(card_of(update))
    assert next(p.conversation_id for p in harness.connector.posted if p.method == "PUT").startswith(
        ADMIN_CHANNEL_ID
    )
    [approved] = await events(harness, "access.approved")
    assert approved.user_id == ADMIN_OID
    assert approved.details["applicant"] == USER_OID

    before = len(personal_messages(harness))
    await harness.post(harness.message("質問です"))
    await harness.connector.wait_for(lambda c: len(personal_messages(harness)) > before)
    assert fake_openai.requests
    assert personal_messages(harness)[-1]["text"].startswith("承認後の回答です。")


async def test_approving_twice_does_nothing_more(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    await _apply(harness)
    card = await _approval_card(harness)
    first, second = await asyncio.gather(
        _click(harness, card, "access.approve"), _click(harness, card, "access.approve")
    )
    again = await _click(harness, card, "access.approve")
    for body in (first, second, again):
        assert "承認済み" in card_text(body["value"])
    await asyncio.sleep(0.2)
    notices = [m for m in personal_messages(harness) if "承認されました" in (m.get("text") or "")]
    assert len(notices) == 1
    assert len(await events(harness, "access.approved")) == 1
    assert len(channel_updates(harness)) == 1


async def test_a_non_admin_cannot_approve_and_nothing_changes(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    await _apply(harness)
    card = await _approval_card(harness)
    body = await _click(harness, card, "access.approve", user=OTHER_OID)
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "管理者" in body["value"]
    stored = await (await _store(harness)).application(USER_OID)
    assert stored is not None
    assert stored.status is Status.PENDING
    [refused] = await events(harness, "admin.refused")
    assert refused.user_id == OTHER_OID
    assert refused.details == {"action": "access.approve"}
    assert await events(harness, "access.approved") == []
    assert channel_updates(harness) == []


async def test_tampered_or_unknown_applications_are_refused_and_recorded(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    await _apply(harness)
    await _apply(harness, user=OTHER_OID)
    mine, theirs = card_of(channel_posts(harness)[0]), await _approval_card(harness, 2)
    forged = {**actions_of(mine)["access.approve"]["data"]}
    forged["application_id"] = actions_of(theirs)["access.approve"]["data"]["application_id"]
    status, body = await harness.post(
        execute(harness, "access.approve", forged, user=ADMIN_OID, name=ADMIN_NAME)
    )
    assert status == 200
    assert "一致しない" in body["value"]
    gone = {"application_id": "0" * 32, "user_id": "aaaaaaaa-0000-0000-0000-00000000dead"}
    status, body = await harness.post(
        execute(harness, "access.reject", {**gone, "reason": "x"}, user=ADMIN_OID)
    )
    assert status == 200
    assert "見つかりませんでした" in body["value"]
    reasons = [e.details["reason"] for e in await events(harness, "access.action_refused")]
    assert reasons == ["tampered", "unknown_application"]
    store = await _store(harness)
    assert all(a.status is Status.PENDING for a in await store.applications())
    assert channel_updates(harness) == []


async def test_reject_needs_a_reason_and_the_applicant_can_apply_again(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    await _apply(harness)
    card = await _approval_card(harness)
    body = await _click(harness, card, "access.reject")
    assert "理由を200文字以内で入力" in body["value"]
    body = await _click(harness, card, "access.reject", reason="利用目的をもう少し具体的に書いてください")
    assert f"却下：{ADMIN_NAME}" in card_text(body["value"])
    await harness.connector.wait_for(
        lambda c: any("承認されませんでした" in (m.get("text") or "") for m in personal_messages(harness))
    )
    notice = next(m for m in personal_messages(harness) if "承認されませんでした" in (m.get("text") or ""))
    assert "具体的に" in notice["text"]
    await harness.post(harness.message("質問です"))
    await harness.connector.wait_for(
        lambda c: any("理由：利用目的" in (m.get("text") or "") for m in personal_messages(harness))
    )
    await harness.post(harness.message("利用申請"))
    await harness.connector.wait_for(
        lambda c: (
            "access.apply" in actions_of(card_of(personal_messages(harness)[-1]))
            if personal_messages(harness)[-1].get("attachments")
            else False
        )
    )


async def test_revoke_stops_use(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**_env(fake_openai, BOT_POLICY="maebashi"))
    await join_team(harness)
    await _apply(harness)
    card = await _approval_card(harness)
    approved = await _click(harness, card, "access.approve")
    assert "access.revoke" in actions_of(approved["value"])
    await harness.post(harness.message("利用停止", user=ADMIN_OID, conversation=f"a:personal-{ADMIN_OID}"))
    [form] = await harness.connector.wait_messages(1, f"a:personal-{ADMIN_OID}")
    revoke = actions_of(card_of(form))["access.revoke"]
    assert USER_OID in card_text(card_of(form)) or "市役所 太郎" in card_text(card_of(form))
    data = {**revoke["data"], "user_id": USER_OID, "reason": "業務以外での利用が確認されたため"}
    status, body = await harness.post(
        execute(harness, "access.revoke", data, user=ADMIN_OID, name=ADMIN_NAME)
    )
    assert status == 200
    assert "利用停止" in str(body["value"])
    await harness.connector.wait_for(
        lambda c: any("停止しました" in (m.get("text") or "") for m in personal_messages(harness))
    )
    await harness.post(harness.message("質問です"))
    await harness.connector.wait_for(
        lambda c: any("停止されています" in (m.get("text") or "") for m in personal_messages(harness))
    )
    assert fake_openai.requests == []
    assert len(await events(harness, "access.revoked")) == 1


async def test_pending_list_is_for_admins_only(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    await _apply(harness)
    await harness.post(harness.message("承認待ち", user=ADMIN_OID, conversation=f"a:personal-{ADMIN_OID}"))
    [listing] = await harness.connector.wait_messages(1, f"a:personal-{ADMIN_OID}")
    card = card_of(listing)
    assert "承認待ちの申請（1件）" in card_text(card)
    assert "政策推進課" in card_text(card)
    body = await _click(harness, card, "access.approve")
    assert "承認待ちの申請はありません" in card_text(body["value"])  # the list, refreshed
    await harness.post(harness.message("承認待ち", user=OTHER_OID, conversation=f"a:personal-{OTHER_OID}"))
    [refused] = await harness.connector.wait_messages(1, f"a:personal-{OTHER_OID}")
    assert "管理者" in refused["text"]
    assert len(await events(harness, "admin.refused")) == 1


async def test_an_intended_use_with_personal_information_is_refused_and_not_stored(
    harness: BotHarness,
) -> None:
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    body = await _apply(harness, purpose=f"個人番号 {MY_NUMBER} の方の通知文を作る")
    assert "受け付けませんでした" in card_text(body["value"])
    assert MY_NUMBER not in card_text(body["value"])
    assert await (await _store(harness)).application(USER_OID) is None
    assert channel_posts(harness) == []
    [refused] = await events(harness, "access.apply_refused")
    assert MY_NUMBER not in str(refused)


async def test_weekly_digest_lists_applications_past_the_target(harness: BotHarness) -> None:
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    await _apply(harness)
    weekly = digest_of(services_of(harness))
    assert await send_weekly_digest(weekly, system_clock() + timedelta(days=3)) == 0
    assert await send_weekly_digest(weekly, system_clock() + timedelta(days=9)) == 1
    digest = card_of(channel_posts(harness)[-1])
    assert "承認の目安（7日）を過ぎた申請が1件" in card_text(digest)
    assert "市役所 太郎" in card_text(digest)
    assert ADMIN_CHANNEL_ID in harness.connector.posted[-1].conversation_id


async def test_admin_summary_card(harness: BotHarness, fake_openai: FakeOpenAI) -> None:
    await harness.start(**_env(fake_openai, BOT_POLICY="iwaki"))
    await agree(harness)
    await harness.post(harness.message("質問です"))
    await harness.connector.wait_messages(1)
    await harness.post(harness.message(f"個人番号 {MY_NUMBER} について"))
    await harness.connector.wait_messages(2)
    await harness.post(harness.message("記録の概要", user=ADMIN_OID, conversation=f"a:personal-{ADMIN_OID}"))
    [reply] = await harness.connector.wait_messages(1, f"a:personal-{ADMIN_OID}")
    text = card_text(card_of(reply))
    assert "記録の概要" in text
    assert "総務課" in text
    assert "第7条イ（個人識別情報）" in text
    assert "利用ルールへの同意" in text
    await harness.post(harness.message("記録の概要"))
    await harness.connector.wait_messages(3, f"a:personal-{USER_OID}")
    assert "管理者" in personal_messages(harness)[-1]["text"]


async def test_a_policy_without_consent_lets_staff_chat_at_once(
    harness: BotHarness, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    await harness.start(**_env(fake_openai, BOT_POLICY=str(policy_without_consent(tmp_path))))
    await harness.post(harness.message("質問です"))
    [final] = await harness.connector.wait_messages(1)
    assert "attachments" not in final
    assert len(fake_openai.requests) == 1


async def test_an_approval_is_never_stored_without_its_record(harness: BotHarness) -> None:
    """Issue 11: the intent record is written before the decision; when the records cannot be
    written, the click fails and the application stays pending (no unrecorded approval)."""
    await harness.start(BOT_POLICY="maebashi")
    await join_team(harness)
    await _apply(harness)
    card = await _approval_card(harness)
    services = services_of(harness)
    real_submit = services.audit.submit

    async def records_down(record: Any) -> Any:
        if record.event.startswith("access.decision"):
            raise StorageError("records unavailable (test)")
        return await real_submit(record)

    services.audit.submit = records_down
    await _click(harness, card, "access.approve")
    application = await services.access.application(USER_OID)
    assert application is not None
    assert application.status is Status.PENDING, "no decision without its record"
    assert await events(harness, "access.approved") == []
    services.audit.submit = real_submit
    await _click(harness, card, "access.approve")
    [intent] = await events(harness, "access.decision_requested")
    [approved] = await events(harness, "access.approved")
    assert intent.time <= approved.time
    decided = await services.access.application(USER_OID)
    assert decided is not None
    assert decided.status is Status.APPROVED
