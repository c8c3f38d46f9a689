"""The `利用状況` card (Adaptive Card 1.5): pure functions from quota snapshots and reports to dicts.

Everyone sees their own and the organisation's usage this month and the days left; administrators
also get the org gauge (Chart.Gauge), usage by day (Chart.VerticalBar), by department (Chart.Donut),
the top users and the month's most used templates (TemplateCatalogue.uses, the figures
`python -m bot usage` prints). Every chart carries a `fallback` (FactSet or Table) for clients
without charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.quota.types import ScopeUsage, UsageReport, UsageSnapshot
from bot.core.shared_templates import TemplateUse
from bot.ui import commands
from bot.ui.quota import texts

Element = dict[str, Any]
CARD_VERSION = "1.5"
TOP_USERS = 10
TOP_TEMPLATES = 10
DONUT_SLICES = 8


def usage_card(
    snapshot: UsageSnapshot, report: UsageReport | None = None, templates: Sequence[TemplateUse] = ()
) -> Element:
    """The card; pass `report` (the organisation's month) and `templates` (that month's template
    uses, most used first) only for administrators."""
    body: list[Element] = [
        _text(texts.CARD_TITLE.format(month=texts.month_ja(snapshot.month)), size="Large", weight="Bolder"),
        _text(texts.CARD_DAYS_LEFT.format(days=snapshot.days_left, reset=texts.reset_ja(snapshot.reset_at))),
        *_section(texts.CARD_YOU, snapshot.user),
    ]
    if snapshot.department is not None:
        body += _section(f"{texts.CARD_DEPARTMENT}（{snapshot.department_name}）", snapshot.department)
    body += _section(texts.CARD_ORG, snapshot.org)
    body.append(_text(texts.CARD_TIP, isSubtle=True, size="Small"))
    if report is not None:
        body += admin_sections(report, templates)
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }


def admin_sections(report: UsageReport, templates: Sequence[TemplateUse] = ()) -> list[Element]:
    """The administrators' part: gauge, by day, by department, top users, top templates."""
    header = _text(texts.CARD_ADMIN, weight="Bolder", size="Medium", separator=True)
    if report.used == 0 and report.reserved == 0 and not templates:
        return [header, _text(texts.CARD_NOTHING_YET)]
    if report.used == 0 and report.reserved == 0:
        return [header, _text(texts.CARD_NOTHING_YET), top_templates_table(templates)]
    return [
        header,
        org_gauge(report),
        by_day_chart(report),
        by_department_chart(report),
        top_users_table(report),
        top_templates_table(templates),
    ]


def org_gauge(report: UsageReport) -> Element:
    """Share of the org cap used, with threshold bands; a FactSet for clients without charts."""
    percent = round(min(100.0, 100.0 * report.used / report.limit), 1)
    return {
        "type": "Chart.Gauge",
        "title": texts.CARD_GAUGE,
        "value": percent,
        "min": 0,
        "max": 100,
        "valueFormat": "Percentage",
        "subLabel": f"{report.used:,} / {report.limit:,} 文字",
        "segments": [
            {"legend": "0–50%", "size": 50, "color": "good"},
            {"legend": "50–80%", "size": 30, "color": "warning"},
            {"legend": "80–100%", "size": 20, "color": "attention"},
        ],
        "fallback": _facts(
            [(texts.CARD_GAUGE, f"{percent}%"), *_figures(report.used, report.reserved, report.limit)]
        ),
    }


def by_day_chart(report: UsageReport) -> Element:
    """Characters per day of the month so far; a Table fallback."""
    data = [{"x": day[-2:].lstrip("0"), "y": chars} for day, chars in report.by_day]
    rows = [(day, f"{chars:,}") for day, chars in report.by_day if chars]
    return {
        "type": "Chart.VerticalBar",
        "title": texts.CARD_BY_DAY,
        "xAxisTitle": texts.CARD_DAY,
        "yAxisTitle": texts.CARD_CHARS,
        "data": data,
        "fallback": _table((texts.CARD_DAY, texts.CARD_CHARS), rows),
    }


def by_department_chart(report: UsageReport) -> Element:
    """Characters per department (the largest slices, the rest summed); a Table fallback."""
    named = [(d.name or texts.CARD_NO_DEPARTMENT, d.used) for d in report.departments if d.used]
    slices = named[:DONUT_SLICES]
    rest = sum(used for _, used in named[DONUT_SLICES:])
    if rest:
        slices.append(("その他", rest))
    return {
        "type": "Chart.Donut",
        "title": texts.CARD_BY_DEPARTMENT,
        "data": [{"legend": name, "value": used} for name, used in slices],
        "fallback": _table(
            (texts.CARD_COLUMN_DEPARTMENT, texts.CARD_CHARS), [(n, f"{u:,}") for n, u in named]
        ),
    }


def top_users_table(report: UsageReport) -> Element:
    """The users who used the most this month."""
    rows = [
        (u.name or u.user_id, u.department or "—", f"{u.used:,}", f"{u.turns:,}")
        for u in report.top_users(TOP_USERS)
    ]
    table = _table((texts.CARD_NAME, texts.CARD_COLUMN_DEPARTMENT, texts.CARD_CHARS, texts.CARD_TURNS), rows)
    return {"type": "Container", "items": [_text(texts.CARD_TOP_USERS, weight="Bolder"), table]}


def top_templates_table(templates: Sequence[TemplateUse]) -> Element:
    """The month's most used templates (title, uses), at most TOP_TEMPLATES; how many more there are."""
    items: list[Element] = [_text(texts.CARD_TEMPLATES, weight="Bolder")]
    if not templates:
        items.append(_text(texts.CARD_TEMPLATES_NONE))
        return {"type": "Container", "items": items}
    rows = [(t.title, f"{t.uses:,}") for t in templates[:TOP_TEMPLATES]]
    items.append(_table((texts.CARD_TEMPLATE, texts.CARD_TURNS), rows))
    if len(templates) > TOP_TEMPLATES:
        more = texts.CARD_TEMPLATES_MORE.format(
            more=len(templates) - TOP_TEMPLATES, command=commands.TEMPLATE_ADMIN.title
        )
        items.append(_text(more, isSubtle=True, size="Small"))
    return {"type": "Container", "items": items}


# ---- small builders --------------------------------------------------------------------------


def _section(title: str, usage: ScopeUsage) -> list[Element]:
    return [
        _text(title, weight="Bolder", separator=True),
        _facts(_figures(usage.used, usage.reserved, usage.limit)),
    ]


def _figures(used: int, reserved: int, limit: int | None) -> list[tuple[str, str]]:
    facts = [(texts.CARD_USED, f"{used:,} 文字")]
    if reserved:
        facts.append((texts.CARD_RESERVED, f"{reserved:,} 文字"))
    if limit is None:
        facts.append((texts.CARD_LIMIT, texts.CARD_NO_LIMIT))
    else:
        facts.append((texts.CARD_LIMIT, f"{texts.chars(limit)} 文字"))
        facts.append((texts.CARD_REMAINING, f"{max(0, limit - used - reserved):,} 文字"))
    return facts


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _facts(pairs: list[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Element:
    def row(cells: tuple[str, ...], bold: bool = False) -> Element:
        items = [
            {"type": "TableCell", "items": [_text(c, weight="Bolder" if bold else "Default")]} for c in cells
        ]
        return {"type": "TableRow", "cells": items}

    return {
        "type": "Table",
        "firstRowAsHeader": True,
        "columns": [{"width": 1} for _ in header],
        "rows": [row(header, bold=True), *(row(r) for r in rows)],
    }
