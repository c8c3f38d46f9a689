"""The access rules: standing, form checks, overdue applications, digest times (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.access import (
    Application,
    ApplicationForm,
    Consent,
    Standing,
    Status,
    can_apply,
    form_problems,
    next_digest_at,
    overdue,
    standing,
    week_key,
)
from bot.core.access.schedule import JST
from bot.core.policy import AccessPolicy

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # Sunday 18:00 in Japan
STAFF = ("正規職員", "会計年度任用職員")
MAEBASHI = AccessPolicy(True, True, STAFF, 7, frozenset())
IWAKI = AccessPolicy(True, False, STAFF, 7, frozenset())


def consent(version: str = "v1") -> Consent:
    return Consent("u1", "市役所 太郎", "総務課", version, NOW)


def application(status: Status = Status.PENDING, days_ago: int = 0) -> Application:
    return Application(
        "a" * 32,
        "u1",
        "市役所 太郎",
        "総務課",
        "正規職員",
        "文書作成",
        NOW - timedelta(days=days_ago),
        status,
    )


@pytest.mark.parametrize(
    ("policy", "agreed", "applied", "expected"),
    [
        (IWAKI, None, None, Standing.NO_CONSENT),
        (IWAKI, consent("v0"), None, Standing.OUTDATED_CONSENT),
        (IWAKI, consent(), None, Standing.ALLOWED),
        (MAEBASHI, consent(), None, Standing.NOT_APPLIED),
        (MAEBASHI, consent(), application(), Standing.PENDING),
        (MAEBASHI, consent(), application(Status.APPROVED), Standing.ALLOWED),
        (MAEBASHI, consent(), application(Status.REJECTED), Standing.REJECTED),
        (MAEBASHI, consent(), application(Status.REVOKED), Standing.REVOKED),
        (MAEBASHI, None, application(Status.APPROVED), Standing.NO_CONSENT),
        (IWAKI, consent(), application(Status.REVOKED), Standing.REVOKED),
    ],
)
def test_standing(
    policy: AccessPolicy, agreed: Consent | None, applied: Application | None, expected: Standing
) -> None:
    assert standing(policy, "v1", agreed, applied) is expected


def test_admins_need_consent_but_no_approval() -> None:
    assert standing(MAEBASHI, "v1", consent(), None, is_admin=True) is Standing.ALLOWED
    assert standing(MAEBASHI, "v1", None, None, is_admin=True) is Standing.NO_CONSENT


def test_revoked_admin_is_still_revoked() -> None:
    assert standing(MAEBASHI, "v1", consent(), application(Status.REVOKED), is_admin=True) is Standing.REVOKED


def test_form_problems() -> None:
    ok = ApplicationForm("総務課", "正規職員", "案内文の素案作成")
    assert form_problems(ok, STAFF) == []
    bad = ApplicationForm(" ", "アルバイト", "")
    assert form_problems(bad, STAFF) == ["department_missing", "staff_type_not_eligible", "purpose_missing"]
    long = ApplicationForm("課" * 41, "正規職員", "あ" * 401)
    assert form_problems(long, STAFF) == ["department_too_long", "purpose_too_long"]


def test_only_none_or_rejected_may_apply() -> None:
    assert can_apply(None)
    assert can_apply(application(Status.REJECTED))
    assert not any(can_apply(application(s)) for s in (Status.PENDING, Status.APPROVED, Status.REVOKED))


def test_overdue_lists_pending_past_the_target_oldest_first() -> None:
    apps = [
        application(days_ago=8),
        application(days_ago=7),
        application(Status.APPROVED, days_ago=30),
        application(days_ago=20),
    ]
    late = overdue(apps, NOW, 7)
    assert [a.waiting_days(NOW) for a in late] == [20, 8]


@pytest.mark.parametrize(
    ("now_jst", "expected_jst"),
    [
        (datetime(2026, 11, 22, 18, 0, tzinfo=JST), datetime(2026, 11, 23, 9, 0, tzinfo=JST)),  # Sunday
        (datetime(2026, 11, 23, 8, 59, tzinfo=JST), datetime(2026, 11, 23, 9, 0, tzinfo=JST)),  # Monday early
        (datetime(2026, 11, 23, 9, 0, tzinfo=JST), datetime(2026, 11, 30, 9, 0, tzinfo=JST)),  # exactly then
        (datetime(2026, 11, 25, 12, 0, tzinfo=JST), datetime(2026, 11, 30, 9, 0, tzinfo=JST)),  # Wednesday
    ],
)
def test_next_digest_is_the_next_monday_nine_in_japan(now_jst: datetime, expected_jst: datetime) -> None:
    assert next_digest_at(now_jst.astimezone(UTC)) == expected_jst


def test_week_key_uses_the_japanese_date() -> None:
    monday_0001_jst = datetime(2026, 11, 22, 15, 1, tzinfo=UTC)  # Monday 00:01 in Japan
    assert week_key(monday_0001_jst) == "2026-W48"
    assert week_key(monday_0001_jst - timedelta(minutes=2)) == "2026-W47"
