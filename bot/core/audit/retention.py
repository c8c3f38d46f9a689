"""The retention period: which months may be purged (pure).

With a retention of N months, a month may be purged only once its newest possible record is at
least N months old: in 2026-11 with N = 12, 2025-11 still holds records younger than a year
(2025-11-30 is kept until 2026-11-30), so the oldest kept month is 2025-11 and
`purge --before 2025-11` (deleting 2025-10 and earlier) is the most that is allowed.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.audit.months import add_months, check_month, jst_month
from bot.core.errors import BotError


class RetentionError(BotError):
    """A purge would delete records that are still inside the retention period."""

    def __init__(self, before_month: str, oldest_kept: str, retention_months: int) -> None:
        super().__init__(
            f"purge before {before_month} refused: {oldest_kept} and later are within "
            f"the retention period of {retention_months} months"
        )
        self.before_month = before_month
        self.oldest_kept = oldest_kept
        self.retention_months = retention_months


def oldest_kept_month(now: datetime, retention_months: int) -> str:
    """The oldest month whose records must still be kept at `now`."""
    if retention_months < 1:
        raise ValueError(f"retention_months must be at least 1 (got {retention_months})")
    return add_months(jst_month(now), -retention_months)


def check_purge(before_month: str, retention_months: int, now: datetime) -> None:
    """Raise RetentionError unless every month before `before_month` is outside the retention period."""
    check_month(before_month)
    oldest = oldest_kept_month(now, retention_months)
    if before_month > oldest:
        raise RetentionError(before_month, oldest, retention_months)
