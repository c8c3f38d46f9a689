"""The usage card: Adaptive Card 1.5, charts only for administrators, each chart with a fallback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bot.core.shared_templates import TemplateUse
from bot.core.storage.base import Storage
from bot.ui.quota.cards import usage_card
from tests.quota.conftest import Clock, make_service

CHARTS = {"Chart.Gauge", "Chart.VerticalBar", "Chart.Donut"}


def _elements(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for value in node.values():
            yield from _elements(value)
    elif isinstance(node, list):
        for item in node:
            yield from _elements(item)


def _text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


async def _seeded(storage: Storage, clock: Clock) -> Any:
    quota = make_service(storage, clock, user_monthly_chars=5000)
    for user, dept, chars in [("a", "税務課", 900), ("b", "市民課", 300), ("c", "", 100)]:
        r = await quota.reserve(user, dept, 50, display_name=f"職員{user}")
        await quota.settle(r, chars)
    return quota


async def test_staff_card_has_own_and_org_usage_without_charts(sqlite_storage: Storage, clock: Clock) -> None:
    quota = await _seeded(sqlite_storage, clock)
    card = usage_card(await quota.snapshot("a", "税務課"))
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    types = {e["type"] for e in _elements(card["body"])}
    assert not types & CHARTS
    text = _text(card)
    for expected in [
        "利用状況（2026年11月）",
        "残り日数：11日",
        "12月1日",
        "あなたの利用",
        "900 文字",
        "5,000 文字",
        "所属の利用（税務課）",
        "市全体の利用",
        "1,300 文字",
        "1万 文字",
    ]:
        assert expected in text, expected


async def test_admin_card_has_charts_with_fallbacks(sqlite_storage: Storage, clock: Clock) -> None:
    quota = await _seeded(sqlite_storage, clock)
    card = usage_card(await quota.snapshot("a", "税務課"), await quota.report())
    charts = [e for e in _elements(card["body"]) if e["type"] in CHARTS]
    assert {c["type"] for c in charts} == CHARTS
    for chart in charts:
        assert chart["fallback"]["type"] in {"FactSet", "Table"}
    gauge = next(c for c in charts if c["type"] == "Chart.Gauge")
    assert (gauge["value"], gauge["min"], gauge["max"]) == (13.0, 0, 100)
    bars = next(c for c in charts if c["type"] == "Chart.VerticalBar")
    assert bars["data"][-1] == {"x": "20", "y": 1300}
    donut = next(c for c in charts if c["type"] == "Chart.Donut")
    assert donut["data"] == [{"legend": "税務課", "value": 900}, {"legend": "市民課", "value": 300}]
    assert "職員a" in _text(card)
    json.dumps(card)


async def test_admin_card_for_an_empty_month(sqlite_storage: Storage, clock: Clock) -> None:
    quota = make_service(sqlite_storage, clock)
    card = usage_card(await quota.snapshot("a"), await quota.report())
    assert "今月の利用はまだありません" in _text(card)
    assert not {e["type"] for e in _elements(card["body"])} & CHARTS


def _template_rows(card: dict[str, Any]) -> list[list[str]]:
    """The rows (header first) of the administrators' template table."""
    [table] = [
        e
        for e in _elements(card["body"])
        if e["type"] == "Table" and "テンプレート" in _text(e["rows"][0]) and "回数" in _text(e["rows"][0])
    ]
    return [[cell["items"][0]["text"] for cell in row["cells"]] for row in table["rows"]]


async def test_admin_card_lists_the_month_s_templates_best_first(
    sqlite_storage: Storage, clock: Clock
) -> None:
    quota = await _seeded(sqlite_storage, clock)
    uses = [TemplateUse(f"t{i}", f"テンプレート{i}", 1_200 - 100 * i) for i in range(12)]
    card = usage_card(await quota.snapshot("a", "税務課"), await quota.report(), uses)
    rows = _template_rows(card)
    assert rows[0] == ["テンプレート", "回数"]
    assert rows[1:] == [[f"テンプレート{i}", f"{1_200 - 100 * i:,}"] for i in range(10)], "the top 10"
    text = _text(card)
    assert "よく使われたテンプレート（今月）" in text
    more = "ほか2件のテンプレートが使われています（すべての回数は「テンプレート管理」で確認できます）。"
    assert more in text


async def test_admin_card_says_when_no_template_was_used(sqlite_storage: Storage, clock: Clock) -> None:
    quota = await _seeded(sqlite_storage, clock)
    card = usage_card(await quota.snapshot("a", "税務課"), await quota.report(), [])
    assert "今月はまだテンプレートが使われていません。" in _text(card)


async def test_an_empty_month_shows_templates_only_when_some_were_used(
    sqlite_storage: Storage, clock: Clock
) -> None:
    quota = make_service(sqlite_storage, clock)
    quiet = usage_card(await quota.snapshot("a"), await quota.report(), [])
    assert "今月の利用はまだありません" in _text(quiet)
    assert "テンプレート" not in _text(quiet), "an empty month says only that"
    used = usage_card(await quota.snapshot("a"), await quota.report(), [TemplateUse("email", "メール文", 1)])
    assert "今月の利用はまだありません" in _text(used)
    assert _template_rows(used)[1:] == [["メール文", "1"]]


async def test_staff_card_never_shows_templates(sqlite_storage: Storage, clock: Clock) -> None:
    quota = await _seeded(sqlite_storage, clock)
    card = usage_card(await quota.snapshot("a", "税務課"), None, [TemplateUse("email", "メール文", 3)])
    assert "メール文" not in _text(card)
