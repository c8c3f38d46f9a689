"""Snapshots and reports built from counter rows. Pure code: no storage, no clock of its own."""

from __future__ import annotations

from datetime import datetime

from bot.core.quota import months
from bot.core.quota.counters import ORG_KEY, Counter, scope_of
from bot.core.quota.limits import QuotaLimits
from bot.core.quota.types import DepartmentUsage, ScopeUsage, UsageReport, UsageSnapshot, UserUsage
from bot.core.storage.base import Entity


def _usage(counter: Counter, limits: QuotaLimits, now: float) -> ScopeUsage:
    scope = scope_of(counter.key)
    return ScopeUsage(scope, limits.cap(scope), counter.spent(now), counter.reserved(now))


def build_snapshot(
    counters: dict[str, Counter],
    keys: tuple[str, ...],
    limits: QuotaLimits,
    now_dt: datetime,
    department: str,
) -> UsageSnapshot:
    """One user's month from their counter rows (org, [dept], user, in that order)."""
    now = now_dt.timestamp()
    month = months.month_of(now_dt)
    dept = counters[keys[1]] if len(keys) == 3 else None
    return UsageSnapshot(
        month=month,
        org=_usage(counters[keys[0]], limits, now),
        user=_usage(counters[keys[-1]], limits, now),
        department=_usage(dept, limits, now) if dept is not None else None,
        department_name=department.strip(),
        days_left=months.days_left(now_dt),
        reset_at=months.reset_at(month),
    )


def build_report(month: str, rows: list[Entity], limits: QuotaLimits, now_dt: datetime) -> UsageReport:
    """The organisation's month from every row of the month's partition."""
    now = now_dt.timestamp()
    org = Counter(ORG_KEY)
    departments: list[DepartmentUsage] = []
    users: list[UserUsage] = []
    for row in rows:
        counter = Counter.load(row.row_key, row)
        if row.row_key == ORG_KEY:
            org = counter
        elif row.row_key.startswith("dept:"):
            departments.append(_department(counter, limits, now))
        elif row.row_key.startswith("user:"):
            users.append(_user(counter, now))
    return UsageReport(
        month=month,
        limit=limits.org_monthly_chars,
        used=org.spent(now),
        reserved=org.reserved(now),
        turns=org.turns,
        by_day=_by_day(month, org.days(), now_dt),
        departments=tuple(sorted(departments, key=lambda d: (-d.used, d.name))),
        users=tuple(sorted(users, key=lambda u: (-u.used, u.user_id))),
        days_left=_days_left(month, now_dt),
        reset_at=months.reset_at(month),
    )


def _department(counter: Counter, limits: QuotaLimits, now: float) -> DepartmentUsage:
    name = str(counter.labels.get("name", ""))
    return DepartmentUsage(
        name, counter.spent(now), counter.reserved(now), counter.turns, limits.department_monthly_chars
    )


def _user(counter: Counter, now: float) -> UserUsage:
    labels = counter.labels
    user_id = str(labels.get("uid", counter.key.removeprefix("user:")))
    return UserUsage(
        user_id=user_id,
        name=str(labels.get("name", "")),
        department=str(labels.get("dept", "")),
        used=counter.spent(now),
        reserved=counter.reserved(now),
        turns=counter.turns,
    )


def _days_so_far(month: str, now_dt: datetime) -> int:
    current = months.month_of(now_dt)
    if month < current:
        return months.days_in(month)
    return months.jst_date(now_dt).day if month == current else 0


def _by_day(month: str, days: dict[str, int], now_dt: datetime) -> tuple[tuple[str, int], ...]:
    """Every day of the month up to today (the whole month once it is over), zeros included."""
    return tuple(
        (f"{month}-{d:02d}", days.get(f"{d:02d}", 0)) for d in range(1, _days_so_far(month, now_dt) + 1)
    )


def _days_left(month: str, now_dt: datetime) -> int:
    current = months.month_of(now_dt)
    if month == current:
        return months.days_left(now_dt)
    return months.days_in(month) if month > current else 0
