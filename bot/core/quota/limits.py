"""The numbers the quota enforces, from the policy's [quota] section and the operators' overrides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.config import Settings
from bot.core.policy import QuotaPolicy

Scope = Literal["org", "department", "user"]
SCOPES: tuple[Scope, ...] = ("org", "department", "user")
MIN_ANSWER_CHARS = 50
"""Below this, a shortened answer is not worth asking for: the turn is refused instead."""


@dataclass(frozen=True)
class QuotaLimits:
    """Monthly caps (None: no cap at that scope) and the per-turn reservation rules."""

    org_monthly_chars: int
    user_monthly_chars: int | None = None
    department_monthly_chars: int | None = None
    max_answer_chars: int = 2000
    min_answer_chars: int = MIN_ANSWER_CHARS
    reservation_ttl_seconds: int = 300
    alert_thresholds: tuple[int, ...] = (50, 80, 95, 100)
    user_turns_per_minute: int | None = None
    """Reservations one user may make in any 60 seconds (None: no rate limit)."""
    user_live_holds: int | None = None
    """Turns of one user in progress at once, across all their chats (None: only the row limit)."""

    def __post_init__(self) -> None:
        for name in ("org_monthly_chars", "max_answer_chars", "reservation_ttl_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.min_answer_chars > self.max_answer_chars:
            object.__setattr__(self, "min_answer_chars", self.max_answer_chars)

    @classmethod
    def from_policy(cls, policy: QuotaPolicy, settings: Settings | None = None) -> QuotaLimits:
        """The policy's limits; QUOTA_MONTHLY_CHAR_LIMIT / QUOTA_USER_MONTHLY_CHAR_LIMIT win when set."""
        org = settings.quota_monthly_char_limit if settings else None
        user = settings.quota_user_monthly_char_limit if settings else None
        return cls(
            org_monthly_chars=org or policy.org_monthly_chars,
            user_monthly_chars=user or policy.user_monthly_chars,
            department_monthly_chars=policy.department_monthly_chars,
            max_answer_chars=policy.max_answer_chars,
            reservation_ttl_seconds=policy.reservation_ttl_seconds,
            alert_thresholds=tuple(sorted(set(policy.alert_thresholds))),
            user_turns_per_minute=policy.user_turns_per_minute,
            user_live_holds=policy.user_concurrent_turns,
        )

    def cap(self, scope: Scope) -> int | None:
        """The monthly cap at a scope, or None when that scope is not capped."""
        if scope == "org":
            return self.org_monthly_chars
        return self.department_monthly_chars if scope == "department" else self.user_monthly_chars
