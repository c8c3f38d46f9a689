"""Record times and months: stored in UTC, filed and shown by the Japanese calendar (Asia/Tokyo)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_month(month: str) -> str:
    """Return `month` if it is `YYYY-MM`, else raise ValueError."""
    if not _MONTH.match(month):
        raise ValueError(f"month must be YYYY-MM (got {month!r})")
    return month


def jst_month(when: datetime) -> str:
    """The `YYYY-MM` month of `when` in Japan (the quota and the records use JST months)."""
    return when.astimezone(JST).strftime("%Y-%m")


def add_months(month: str, delta: int) -> str:
    """`month` moved by `delta` months (negative goes back)."""
    year, mon = (int(part) for part in check_month(month).split("-"))
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def utc_iso(when: datetime) -> str:
    """`2026-11-22T09:41:03.123Z`: the stored form of a record's time."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def jst_display(iso: str) -> str:
    """`2026-11-22 18:41:03` in Japan time, for exports read by people."""
    return datetime.fromisoformat(iso).astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")
