"""Cards stay usable at city scale: long lists are paged, people are found by type-ahead search."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.core.access import Application
from bot.ui.access import cards
from tests.fakes.battery import agree, execute
from tests.teams.harness import ADMIN_OID, BotHarness

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def _application(i: int) -> Application:
    return Application(f"{i:032x}", f"user-{i}", f"職員 {i}", "総務課", "正規職員", "文書作成", NOW)


def _names(card: dict[str, Any]) -> list[str]:
    return [c["items"][0]["text"] for c in card["body"] if c.get("type") == "Container"]


def _verbs(card: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["verb"], a["data"].get("page", "")) for a in card.get("actions", [])]


def test_the_pending_list_is_paged() -> None:
    applications = [_application(i) for i in range(25)]
    first = cards.pending_card(applications, NOW)
    assert len(_names(first)) == cards.PAGE_SIZE
    assert _verbs(first) == [(cards.PENDING_PAGE, "1")]
    last = cards.pending_card(applications, NOW, page=2)
    assert _names(last) == [f"職員 {i}（総務課）" for i in range(20, 25)]
    assert _verbs(last) == [(cards.PENDING_PAGE, "1")]
    assert len(json.dumps(first, ensure_ascii=False).encode("utf-16-le")) < 28_000
    assert cards.pending_card(applications, NOW, page=99) == last, "a page past the end shows the last one"


def test_the_revoke_form_searches_instead_of_listing_everyone() -> None:
    people = [(f"職員 {i}（総務課）", f"user-{i}") for i in range(3000)]
    card = cards.revoke_card(people)
    [picker] = [b for b in card["body"] if b.get("type") == "Input.ChoiceSet"]
    assert picker["choices.data"] == {"type": "Data.Query", "dataset": cards.STAFF_DATASET, "count": 15}
    assert len(picker["choices"]) <= 15
    assert len(json.dumps(card, ensure_ascii=False)) < 10_000


def _search(harness: BotHarness, text: str, user: str) -> dict[str, Any]:
    activity = harness.activity(type="invoke", user=user)
    activity["name"] = "application/search"
    activity["value"] = {
        "queryText": text,
        "queryOptions": {"skip": 0, "top": 15},
        "dataset": cards.STAFF_DATASET,
    }
    return activity


async def test_type_ahead_finds_staff_by_name_or_department_for_admins_only(harness: BotHarness) -> None:
    await harness.start()
    await agree(harness, "aaaaaaaa-0000-0000-0000-000000000101", department="税務課", name="税務 花子")
    await agree(harness, "aaaaaaaa-0000-0000-0000-000000000102", department="総務課", name="総務 一郎")
    status, body = await harness.post(_search(harness, "ぜいむ", ADMIN_OID))
    assert status == 200
    assert body == {"type": "application/vnd.microsoft.search.searchResponse", "value": {"results": []}}
    status, body = await harness.post(_search(harness, "税務", ADMIN_OID))
    assert [r["value"] for r in body["value"]["results"]] == ["aaaaaaaa-0000-0000-0000-000000000101"]
    status, body = await harness.post(_search(harness, "総務 一郎", ADMIN_OID))
    assert [r["value"] for r in body["value"]["results"]] == ["aaaaaaaa-0000-0000-0000-000000000102"]

    status, body = await harness.post(_search(harness, "税務", "aaaaaaaa-0000-0000-0000-000000000102"))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.error", "staff names only for administrators"


async def test_the_pending_page_verb_is_for_admins_only(harness: BotHarness) -> None:
    await harness.start()
    status, body = await harness.post(execute(harness, cards.PENDING_PAGE, {"page": "1"}))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "管理者" in body["value"]
