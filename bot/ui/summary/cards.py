"""The admin summary card (記録の概要): a month of records in counts, never any text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.audit import AuditSummary
from bot.core.policy import Policy
from bot.ui.access.cards import Card, card, text, title
from bot.ui.summary import texts

Counts = tuple[tuple[str, int], ...]


def summary_card(policy: Policy, summary: AuditSummary) -> Card:
    """Totals, then counts by department, outcome, blocked category, use and event."""
    body: list[dict[str, Any]] = [title(texts.month_title(summary.month)), _totals(summary)]
    if summary.turns == 0 and not summary.events:
        body.append(text(texts.EMPTY))
        return card(body)
    sections: list[tuple[str, Counts, Callable[[str], str]]] = [
        ("所属別の利用件数", summary.by_department, lambda k: texts.NO_DEPARTMENT if k in ("", "-") else k),
        ("結果別", summary.outcomes, lambda k: texts.OUTCOMES.get(k, k)),
        (
            "送信を止めた入力（条例の区分別）",
            summary.blocked_by_category,
            lambda k: texts.category_label(policy, k),
        ),
        (
            "確認を求めた入力（条例の区分別）",
            summary.held_by_category,
            lambda k: texts.category_label(policy, k),
        ),
        ("よく使われた機能", summary.uses, lambda k: texts.use_label(policy, k)),
        ("管理・申請などの記録", summary.events, lambda k: texts.EVENTS.get(k, k)),
    ]
    for heading, counts, label in sections:
        if counts:
            body += _section(heading, counts, label)
    return card(body)


def _totals(summary: AuditSummary) -> dict[str, Any]:
    facts = [
        ("利用件数", f"{summary.turns:,}件"),
        ("利用者数", f"{summary.users:,}人"),
        ("入力文字数", f"{summary.chars_in:,}文字"),
        ("回答文字数", f"{summary.chars_out:,}文字"),
    ]
    if summary.incomplete:
        facts.append(("未完了", f"{summary.incomplete:,}件"))
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in facts]}


def _section(heading: str, counts: Counts, label: Callable[[str], str]) -> list[dict[str, Any]]:
    return [
        text(heading, weight="Bolder", separator=True, spacing="Medium"),
        {"type": "FactSet", "facts": [{"title": label(k), "value": f"{n:,}"} for k, n in counts]},
    ]
