"""Nothing with side effects runs before the stages have allowed the turn (issue 13).

A card whose submission becomes a question to the model is only *read* by the first stage
(`Route.builds_model_turn`); what it changes — the held text used up, the confirmation card
closed, a template use counted — happens after access, screening and quota allowed the turn
(`Route.on_allowed`, run by the dispatcher). So a turn refused by access (no consent to the
current guideline) or by the quota leaves the held text in place, the card open and the
template counts unchanged, and the model is never called.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.core.access import Consent
from bot.core.shared_templates import TemplateCatalogue
from tests.fakes.battery import model_env, services_of
from tests.fakes.openai_server import FakeOpenAI
from tests.teams.harness import USER_OID, BotHarness

CONFIDENTIAL = "部外秘：次年度予算の査定方針案を要約して"
TEMPLATE = {"verb": "template.submit", "template": "ideas", "topic": "図書館の利用促進", "count": "5"}


async def _held_card(harness: BotHarness) -> tuple[str, dict[str, Any]]:
    """Send a confidential question; the confirmation card's message id and its 送信 data."""
    before = len(harness.connector.messages())
    await harness.post(harness.message(CONFIDENTIAL))
    card_msg = (await harness.connector.wait_messages(before + 1))[-1]
    card_id = [p.activity_id for p in harness.connector.posted if p.body.get("attachments")][-1]
    actions = card_msg["attachments"][0]["content"]["actions"]
    send = next(a for a in actions if a["data"]["verb"] == "screening.send")
    return card_id, dict(send["data"])


async def _no_side_effects(harness: BotHarness, fake: FakeOpenAI, card_id: str, held_id: str) -> None:
    services = services_of(harness)
    conversation = f"a:personal-{USER_OID}"
    assert await services.held.peek(conversation, USER_OID, held_id) == CONFIDENTIAL, "held text kept"
    card_updates = [p for p in harness.connector.posted if p.method == "PUT" and p.activity_id == card_id]
    assert card_updates == [], "the confirmation card was not closed"
    assert fake.requests == [], "the model was not called"


async def test_a_confirmation_refused_by_the_quota_changes_nothing(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai, QUOTA_USER_MONTHLY_CHAR_LIMIT="10"))
    card_id, send = await _held_card(harness)
    await harness.post(harness.message("", value=send, replyToId=card_id))
    messages = await harness.connector.wait_messages(2)
    assert "上限" in messages[-1]["text"], messages[-1]["text"]  # the quota's refusal
    await _no_side_effects(harness, fake_openai, card_id, send["held"])


async def test_a_confirmation_refused_by_access_changes_nothing(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai, BOT_POLICY="iwaki"))
    services = services_of(harness)
    current = services.policy.guideline.version
    now = datetime.now(UTC)
    await services.access.agree(Consent(USER_OID, "市役所 太郎", "総務課", current, now))
    card_id, send = await _held_card(harness)
    await services.access.agree(Consent(USER_OID, "市役所 太郎", "総務課", "2000年1月1日版", now))
    await harness.post(harness.message("", value=send, replyToId=card_id))
    messages = await harness.connector.wait_messages(2)
    refusal = messages[-1]["attachments"][0]["content"]
    assert any(a.get("verb") == "access.agree" for a in refusal["actions"]), "the consent card"
    await _no_side_effects(harness, fake_openai, card_id, send["held"])


async def test_a_template_refused_by_the_quota_is_not_counted(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    await harness.start(**model_env(fake_openai, QUOTA_USER_MONTHLY_CHAR_LIMIT="10"))
    services = services_of(harness)
    catalogue = TemplateCatalogue(services.storage, services.policy, services.clock)
    await harness.post(harness.message("", value=TEMPLATE))
    [refusal] = await harness.connector.wait_messages(1)
    assert "上限" in refusal["text"], refusal["text"]
    assert await catalogue.usage() == {}
    assert fake_openai.requests == []


async def test_an_allowed_template_and_confirmation_do_take_effect(
    harness: BotHarness, fake_openai: FakeOpenAI
) -> None:
    """The same flows, allowed: counted, consumed, closed, answered (the effects moved, not lost)."""
    await harness.start(**model_env(fake_openai))
    services = services_of(harness)
    catalogue = TemplateCatalogue(services.storage, services.policy, services.clock)
    await harness.post(harness.message("", value=TEMPLATE))
    await harness.connector.wait_messages(1)
    assert await catalogue.usage() == {"ideas": 1}
    card_id, send = await _held_card(harness)
    await harness.post(harness.message("", value=send, replyToId=card_id))
    await harness.connector.wait_messages(3)
    conversation = f"a:personal-{USER_OID}"
    assert await services.held.peek(conversation, USER_OID, send["held"]) is None, "used up"
    assert [p for p in harness.connector.posted if p.method == "PUT" and p.activity_id == card_id]
    assert len(fake_openai.requests) == 2
