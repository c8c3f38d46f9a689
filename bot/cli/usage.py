"""`python -m bot usage [--month YYYY-MM] [--json]`: a month's character usage, for operations.

Prints the organisation's total against its cap, reservations in progress, departments and users
(most used first) in Japanese; `--json` prints the same as one JSON object with at least
{"month", "limit", "used", "reserved"}. Months are JST calendar months; the default is this month.

Exit codes: 0 done, 2 bad arguments, configuration or policy, 3 storage failed or unavailable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.errors import BotError, StorageError
from bot.core.policy import Policy, load_policy
from bot.core.quota import QuotaLimits, QuotaService, UsageReport, parse_month
from bot.core.shared_templates import TemplateCatalogue
from bot.core.storage import open_storage
from bot.ui.quota import texts
from bot.ui.templates.admin import TEMPLATE_ROW, TEMPLATES_HEADER

OK, USAGE, FAILED = 0, 2, 3


def add_parser(subparsers: Any) -> None:
    """Register `usage`."""
    usage = subparsers.add_parser(
        "usage",
        help="今月（または指定した月）の利用文字数を表示する",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    usage.add_argument("--month", help="表示する月 YYYY-MM（日本時間、既定: 今月）")
    usage.add_argument("--json", action="store_true", help="JSON で出力する（機械処理用）")
    usage.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the month's usage; return the exit code."""
    month = args.month
    if month is not None:
        try:
            month = parse_month(month)
        except ValueError:
            return _fail(USAGE, texts.CLI_BAD_MONTH.format(value=args.month))
    try:
        settings = Settings.from_env()
        policy = load_policy(settings.policy)
        limits = QuotaLimits.from_policy(policy.quota, settings)
    except BotError as exc:
        return _fail(USAGE, texts.CLI_CONFIG_ERROR.format(error=exc))
    try:
        report, templates = asyncio.run(_report(settings, policy, limits, month))
    except StorageError as exc:
        return _fail(FAILED, texts.CLI_STORAGE_ERROR.format(error=exc))
    if args.json:
        print(json.dumps({**report.to_json(), "templates": templates}, ensure_ascii=False, indent=2))
    else:
        print("\n".join([report_text(report), *template_lines(templates)]))
    return OK


async def _report(
    settings: Settings, policy: Policy, limits: QuotaLimits, month: str | None
) -> tuple[UsageReport, list[dict[str, Any]]]:
    storage = await open_storage(settings)
    try:
        report = await QuotaService(storage, limits, clock=system_clock).report(month)
        uses = await TemplateCatalogue(storage, policy, system_clock).uses(report.month)
        return report, [{"id": u.template_id, "title": u.title, "uses": u.uses} for u in uses]
    finally:
        await storage.close()


def template_lines(templates: list[dict[str, Any]]) -> list[str]:
    """The month's template uses, most used first (nothing when no template was used)."""
    if not templates:
        return []
    return [TEMPLATES_HEADER, *(TEMPLATE_ROW.format(title=t["title"], uses=t["uses"]) for t in templates)]


def report_text(report: UsageReport) -> str:
    """The report for people, in Japanese."""
    lines = [
        texts.CLI_HEADER.format(month=texts.month_ja(report.month), reset=texts.reset_ja(report.reset_at)),
        texts.CLI_ORG.format(
            used=report.used,
            limit=report.limit,
            percent=100.0 * report.used / report.limit,
            reserved=report.reserved,
            remaining=report.remaining,
        ),
        texts.CLI_TURNS.format(turns=report.turns, users=len(report.users)),
        texts.CLI_DEPARTMENTS,
    ]
    lines += [
        _row(d.name or texts.CARD_NO_DEPARTMENT, d.used, d.turns, d.reserved) for d in report.departments
    ]
    lines += [texts.CLI_NONE] if not report.departments else []
    lines.append(texts.CLI_USERS)
    lines += [_row(_who(u.name, u.user_id, u.department), u.used, u.turns, u.reserved) for u in report.users]
    lines += [texts.CLI_NONE] if not report.users else []
    return "\n".join(lines)


def _who(name: str, user_id: str, department: str) -> str:
    label = f"{name}（{user_id}）" if name else user_id
    return f"{label} {department}" if department else label


def _row(name: str, used: int, turns: int, reserved: int) -> str:
    extra = texts.CLI_ROW_RESERVED.format(reserved=reserved) if reserved else ""
    return texts.CLI_ROW.format(name=name, used=used, turns=turns, reserved=extra)


def _fail(code: int, message: str) -> int:
    print(f"エラー: {message}", file=sys.stderr)
    return code
