"""The administrators' 利用状況 card lists the month's template uses, over the real HTTP endpoint: the
figures `python -m bot usage` prints (TemplateCatalogue.uses), most used first; staff do not see
them; a storage failure while reading them is answered like any other on that card."""

from __future__ import annotations

from typing import Any

from bot.core.errors import StorageError
from bot.core.shared_templates import TemplateCatalogue
from bot.core.storage.base import Entity
from bot.ui import common
from tests.teams.access_helpers import actions_of, card_of, card_text, execute, services_of
from tests.teams.harness import ADMIN_OID, USER_OID, BotHarness

ADMIN_CHAT = f"a:personal-{ADMIN_OID}"
USER_CHAT = f"a:personal-{USER_OID}"


def _template_rows(card: dict[str, Any]) -> list[list[str]]:
    """The rows under the template table's header."""
    found: list[list[str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Table":
                rows = [[c["items"][0]["text"] for c in r["cells"]] for r in node["rows"]]
                if rows and rows[0] == ["テンプレート", "回数"]:
                    found.extend(rows[1:])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card["body"])
    return found


async def _use_the_email_template(harness: BotHarness) -> None:
    """Fill in and send the メール文 form as a member of staff (the dry-run model answers)."""
    status, body = await harness.post(execute(harness, "template.open", {"template": "email"}, user=USER_OID))
    assert status == 200, body
    submit = actions_of(body["value"])["template.submit"]
    values = {
        **submit["data"],
        "purpose": "依頼",
        "recipient": "委託事業者のご担当者さま",
        "points": "月末までに報告書を送ってほしい",
        "tone": "丁寧",
        "length": "300",
    }
    await harness.post(harness.message("", value=values))
    [answer] = await harness.connector.wait_messages(1, USER_CHAT)
    assert "業務メール" in answer["text"], "the dry-run model shows the prompt it was sent"


async def test_the_admin_usage_card_lists_this_month_s_templates(harness: BotHarness) -> None:
    await harness.start()
    await _use_the_email_template(harness)
    services = services_of(harness)
    catalogue = TemplateCatalogue(services.storage, services.policy, services.clock)
    for _ in range(3):
        await catalogue.count_use("summary")

    await harness.post(harness.message("利用状況", user=ADMIN_OID))
    [reply] = await harness.connector.wait_messages(1, ADMIN_CHAT)
    card = card_of(reply)
    assert "よく使われたテンプレート（今月）" in card_text(card)
    assert _template_rows(card) == [["要約", "3"], ["メール文", "1"]]
    assert _template_rows(card) == [[u.title, str(u.uses)] for u in await catalogue.uses()], (
        "the same figures as python -m bot usage"
    )

    await harness.post(harness.message("利用状況"))
    staff = card_of((await harness.connector.wait_messages(2, USER_CHAT))[-1])
    assert "テンプレート" not in card_text(staff)


async def test_a_storage_failure_reading_template_uses_is_said_plainly(harness: BotHarness) -> None:
    await harness.start()
    storage = services_of(harness).storage
    real_query = storage.query

    async def templates_down(table: str, partition_key: str, *args: Any, **kwargs: Any) -> list[Entity]:
        if table == "templates":
            raise StorageError("templates unavailable (test)")
        return await real_query(table, partition_key, *args, **kwargs)

    storage.query = templates_down  # type: ignore[method-assign]
    await harness.post(harness.message("利用状況", user=ADMIN_OID))
    [reply] = await harness.connector.wait_messages(1, ADMIN_CHAT)
    assert reply["text"] == common.storage_unavailable(services_of(harness).policy)
    assert not reply.get("attachments")

    await harness.post(harness.message("利用状況"))
    [staff] = await harness.connector.wait_messages(1, USER_CHAT)
    assert "利用状況" in card_text(card_of(staff)), "staff never read the template uses"
