"""What the quota hands out and reports: refusals, reservations, snapshots, reports and alerts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.errors import QuotaError
from bot.core.quota.limits import Scope


class QuotaExceeded(QuotaError):
    """A cap would be overshot: the turn is refused before the model is called."""

    def __init__(self, scope: Scope, limit: int, used: int, reset_at: datetime, month: str = "") -> None:
        super().__init__(f"{scope} monthly cap of {limit} characters reached ({used} used or reserved)")
        self.scope = scope
        self.limit = limit
        self.used = used  # used + reserved at the binding scope when the turn was refused
        self.reset_at = reset_at
        self.month = month


class QuotaBusy(QuotaError):
    """The counters stayed contended through every retry, or hold too many turns: try again soon."""


class UserTurnsBusy(QuotaBusy):
    """This user already has as many turns in progress as the policy allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"user has {limit} turns in progress")
        self.limit = limit


class RateLimitExceeded(QuotaError):
    """This user sent more turns in the last minute than the policy allows."""

    def __init__(self, limit: int, retry_after_s: int) -> None:
        super().__init__(f"more than {limit} turns a minute; retry after {retry_after_s} s")
        self.limit = limit
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Reservation:
    """Characters held for one turn on every applicable counter until it is settled or released."""

    id: str
    month: str
    amount: int  # input_chars + max_answer_chars: never more is charged
    input_chars: int
    max_answer_chars: int  # may be below the policy's when the month is nearly used up
    scopes: tuple[str, ...]  # row keys of the counters holding it (org, dept:…, user:…)
    remaining: Mapping[str, int] = field(default_factory=dict)  # per capped scope, after this hold
    expires_at: float = 0.0  # epoch seconds; an unsettled hold is ignored after this
    shortened: bool = False

    def charge_for(self, answer_chars: int) -> int:
        """What a turn with this answer length is charged: input + answer, never above the hold."""
        return self.clamp(self.input_chars + answer_chars)

    def clamp(self, actual_chars: int) -> int:
        """`actual_chars` within [0, amount]."""
        return max(0, min(int(actual_chars), self.amount))

    def remaining_after(self, actual_chars: int) -> dict[str, int]:
        """What remains per capped scope once this turn is charged `actual_chars` (approximate:
        other turns move the counters too)."""
        refund = self.amount - self.clamp(actual_chars)
        return {scope: max(0, left + refund) for scope, left in self.remaining.items()}


@dataclass(frozen=True)
class ScopeUsage:
    """One counter this month."""

    scope: Scope
    limit: int | None
    used: int
    reserved: int

    @property
    def remaining(self) -> int | None:
        """Characters still available (None without a cap)."""
        return None if self.limit is None else max(0, self.limit - self.used - self.reserved)

    @property
    def percent(self) -> float | None:
        """Used share of the cap in percent (None without a cap)."""
        return None if not self.limit else 100.0 * self.used / self.limit


@dataclass(frozen=True)
class UsageSnapshot:
    """One user's view of the month: their counters and the organisation's."""

    month: str
    org: ScopeUsage
    user: ScopeUsage
    department: ScopeUsage | None
    department_name: str
    days_left: int
    reset_at: datetime


@dataclass(frozen=True)
class DepartmentUsage:
    """A department's month."""

    name: str
    used: int
    reserved: int
    turns: int
    limit: int | None


@dataclass(frozen=True)
class UserUsage:
    """A user's month."""

    user_id: str
    name: str
    department: str
    used: int
    reserved: int
    turns: int


@dataclass(frozen=True)
class UsageReport:
    """The organisation's month, for administrators and operations."""

    month: str
    limit: int
    used: int
    reserved: int
    turns: int
    by_day: tuple[tuple[str, int], ...]  # (YYYY-MM-DD, characters) for every day of the month so far
    departments: tuple[DepartmentUsage, ...]  # most used first
    users: tuple[UserUsage, ...]  # most used first
    days_left: int
    reset_at: datetime

    @property
    def remaining(self) -> int:
        """Characters still available to the organisation."""
        return max(0, self.limit - self.used - self.reserved)

    def top_users(self, n: int = 10) -> tuple[UserUsage, ...]:
        """The n users who used the most."""
        return self.users[:n]

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form (`python -m bot usage --json`)."""
        return {
            "month": self.month,
            "limit": self.limit,
            "used": self.used,
            "reserved": self.reserved,
            "remaining": self.remaining,
            "turns": self.turns,
            "reset_at": self.reset_at.isoformat(),
            "days_left": self.days_left,
            "by_day": [{"date": day, "chars": n} for day, n in self.by_day],
            "departments": [vars(d) for d in self.departments],
            "users": [vars(u) for u in self.users],
        }


@dataclass(frozen=True)
class Alert:
    """The organisation crossed a threshold of its monthly cap (announced once per month)."""

    month: str
    threshold: int
    used: int
    limit: int
