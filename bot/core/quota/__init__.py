"""Monthly character quota: reserve before the model, settle after, never overshoot a cap.

    months     JST calendar months (reset at 00:00 JST on the 1st)
    limits     QuotaLimits from the policy's [quota] and the QUOTA_* overrides
    types      QuotaExceeded, Reservation, UsageSnapshot, UsageReport, Alert
    counters   the stored counter rows (one partition per month, CAS-guarded)
    rules      the decisions on loaded rows: hold, charge, alerts (pure)
    service    QuotaService: reserve / settle / release / snapshot / report / take_alerts / coaching_due
    reports    snapshots and reports from rows (pure)
    coaching   the concise-prompt tip rule

No botbuilder here: the Teams stage is bot.teams.stages.quota.
"""

from __future__ import annotations

from bot.core.quota.coaching import coaching_tip, has_length_instruction, needs_coaching
from bot.core.quota.limits import MIN_ANSWER_CHARS, SCOPES, QuotaLimits, Scope
from bot.core.quota.months import JST, days_left, month_of, parse_month, reset_at
from bot.core.quota.service import QuotaService
from bot.core.quota.types import (
    Alert,
    DepartmentUsage,
    QuotaBusy,
    QuotaExceeded,
    RateLimitExceeded,
    Reservation,
    ScopeUsage,
    UsageReport,
    UsageSnapshot,
    UserTurnsBusy,
    UserUsage,
)

__all__ = [
    "JST",
    "MIN_ANSWER_CHARS",
    "SCOPES",
    "Alert",
    "DepartmentUsage",
    "QuotaBusy",
    "QuotaExceeded",
    "QuotaLimits",
    "QuotaService",
    "RateLimitExceeded",
    "Reservation",
    "Scope",
    "ScopeUsage",
    "UsageReport",
    "UsageSnapshot",
    "UserTurnsBusy",
    "UserUsage",
    "coaching_tip",
    "days_left",
    "has_length_instruction",
    "month_of",
    "needs_coaching",
    "parse_month",
    "reset_at",
]
