"""Quota months: calendar months in Asia/Tokyo. A month's counters reset at 00:00 JST on the 1st.

Everything takes timezone-aware datetimes (naive ones are refused: a naive time on a UTC server would
silently shift the month boundary by nine hours). Months are written `YYYY-MM`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def _jst(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("quota times must be timezone-aware")
    return moment.astimezone(JST)


def month_of(moment: datetime) -> str:
    """The JST month of a moment: 2026-11-30T15:00Z is `2026-12`."""
    return _jst(moment).strftime("%Y-%m")


def jst_date(moment: datetime) -> date:
    """The JST calendar day of a moment."""
    return _jst(moment).date()


def parse_month(text: str) -> str:
    """`text` if it is a valid `YYYY-MM` month, else ValueError."""
    if not isinstance(text, str) or not _MONTH.fullmatch(text.strip()):
        raise ValueError(f"month must be YYYY-MM, e.g. 2026-11 (got {text!r})")
    return text.strip()


def _year_month(month: str) -> tuple[int, int]:
    year, mon = parse_month(month).split("-")
    return int(year), int(mon)


def month_start(month: str) -> datetime:
    """00:00 JST on the first day of the month."""
    year, mon = _year_month(month)
    return datetime(year, mon, 1, tzinfo=JST)


def next_month(month: str) -> str:
    """The month after `month`."""
    year, mon = _year_month(month)
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def reset_at(month: str) -> datetime:
    """When the month's counters reset: 00:00 JST on the 1st of the next month."""
    return month_start(next_month(month))


def days_in(month: str) -> int:
    """Number of days in the month."""
    year, mon = _year_month(month)
    return calendar.monthrange(year, mon)[1]


def days_left(moment: datetime) -> int:
    """Days of the JST month still to come, today included (the 30th of November: 1)."""
    today = jst_date(moment)
    return days_in(month_of(moment)) - today.day + 1


def partition_key(month: str) -> str:
    """The storage partition that holds every counter of the month (`m2026-11`)."""
    return "m" + parse_month(month)
