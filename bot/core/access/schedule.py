"""When the weekly digest of waiting applications runs: Mondays at 09:00 Japan time (pure)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = time(9, 0)


def next_digest_at(now: datetime) -> datetime:
    """The first Monday 09:00 JST strictly after `now` (timezone-aware)."""
    local = now.astimezone(JST)
    days_ahead = (DIGEST_WEEKDAY - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=days_ahead), DIGEST_TIME, tzinfo=JST)
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate


def week_key(when: datetime) -> str:
    """`2026-W48`: the ISO week of `when` in Japan, so each week's digest is claimed once."""
    year, week, _ = when.astimezone(JST).isocalendar()
    return f"{year}-W{week:02d}"
