"""JST month arithmetic, limits from the policy, and the Japanese texts that show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.core.config import Settings
from bot.core.policy import builtin_policies, load_policy
from bot.core.quota import QuotaExceeded, QuotaLimits, months
from bot.ui.quota import texts
from bot.ui.quota import texts as quota_texts
from tests.quota.conftest import quota_policy


def test_jst_month_boundary() -> None:
    assert months.month_of(datetime(2026, 11, 30, 14, 59, 59, tzinfo=UTC)) == "2026-11"
    assert months.month_of(datetime(2026, 11, 30, 15, 0, tzinfo=UTC)) == "2026-12"  # 00:00 JST on Dec 1
    assert months.month_of(datetime(2026, 12, 31, 15, 0, tzinfo=UTC)) == "2027-01"
    assert months.month_of(datetime(2026, 12, 1, 0, 0, tzinfo=timezone(timedelta(hours=9)))) == "2026-12"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        months.month_of(datetime(2026, 11, 30, 15, 0))


def test_reset_is_midnight_jst_on_the_first() -> None:
    reset = months.reset_at("2026-11")
    assert reset.astimezone(UTC) == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert months.reset_at("2026-12") == datetime(2027, 1, 1, tzinfo=months.JST)
    assert months.month_start("2026-02") == datetime(2026, 2, 1, tzinfo=months.JST)


def test_days_left_counts_today() -> None:
    assert months.days_left(datetime(2026, 11, 29, 15, 30, tzinfo=UTC)) == 1  # Nov 30, 00:30 JST
    assert months.days_left(datetime(2026, 11, 30, 15, 30, tzinfo=UTC)) == 31  # Dec 1 JST
    assert months.days_left(datetime(2028, 2, 1, 3, 0, tzinfo=UTC)) == 29  # leap year
    assert months.days_in("2027-02") == 28


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "", "2026-11-01"])
def test_parse_month_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        months.parse_month(bad)


def test_partition_key() -> None:
    assert months.partition_key("2026-11") == "m2026-11"
    assert months.next_month("2026-12") == "2027-01"


def test_limits_from_policy_and_overrides() -> None:
    policy = quota_policy(user_monthly_chars=50_000, department_monthly_chars=1_000_000)
    limits = QuotaLimits.from_policy(policy)
    assert (limits.org_monthly_chars, limits.user_monthly_chars, limits.department_monthly_chars) == (
        10_000_000,
        50_000,
        1_000_000,
    )
    settings = Settings(quota_monthly_char_limit=5000, quota_user_monthly_char_limit=700)
    overridden = QuotaLimits.from_policy(policy, settings)
    assert (overridden.org_monthly_chars, overridden.user_monthly_chars) == (5000, 700)
    assert overridden.department_monthly_chars == 1_000_000
    assert overridden.cap("org") == 5000
    assert overridden.cap("user") == 700


def test_limits_from_environment() -> None:
    settings = Settings.from_env(
        environ={"QUOTA_MONTHLY_CHAR_LIMIT": "1,000,000", "QUOTA_USER_MONTHLY_CHAR_LIMIT": "20000"},
        env_file=None,
    )
    limits = QuotaLimits.from_policy(load_policy("iwaki").quota, settings)
    assert limits.org_monthly_chars == 1_000_000
    assert limits.user_monthly_chars == 20_000


def test_iwaki_cap_is_ten_million() -> None:
    limits = QuotaLimits.from_policy(load_policy("iwaki").quota)
    assert limits.org_monthly_chars == 10_000_000
    assert limits.alert_thresholds == (50, 80, 95, 100)


@pytest.mark.parametrize("city", builtin_policies())
def test_shipped_policies_give_each_user_a_fair_share(city: str) -> None:
    """Issue 11: one account cannot spend the city's month, nor flood it (the Iwaki test above used
    to pin `user_monthly_chars is None`)."""
    limits = QuotaLimits.from_policy(load_policy(city).quota)
    assert limits.user_monthly_chars is not None
    assert limits.user_monthly_chars <= limits.org_monthly_chars // 20, "at most 5 % of the month"
    assert limits.user_monthly_chars >= 20 * (limits.max_answer_chars + 4000), "room for real work"
    assert limits.user_turns_per_minute is not None
    assert limits.user_live_holds is not None


def test_japanese_number_format() -> None:
    assert texts.chars(10_000_000) == "1,000万"
    assert texts.chars(50_000) == "5万"
    assert texts.chars(12_345) == "12,345"
    assert texts.chars(999) == "999"


def test_reset_message_for_the_org_cap() -> None:
    exc = QuotaExceeded("org", 10_000_000, 9_999_990, months.reset_at("2026-11"))
    assert quota_texts.refusal(exc, "情報政策課") == (
        "今月の利用上限（1,000万文字）に達しました。12月1日 0時から再び利用できます。"
        "お問い合わせは情報政策課へ"
    )


def test_reset_message_for_personal_and_department_caps() -> None:
    reset = months.reset_at("2026-12")
    user = quota_texts.refusal(QuotaExceeded("user", 50_000, 50_000, reset), "情報政策課")
    assert user.startswith("今月のあなたの利用上限（5万文字）に達しました。1月1日 0時から")
    dept = quota_texts.refusal(QuotaExceeded("department", 1_000_000, 999_950, reset), "情報政策課")
    assert dept.startswith("今月の所属の利用上限（100万文字）に達しました。")


def test_refusal_says_so_when_a_shorter_request_could_fit() -> None:
    message = quota_texts.refusal(
        QuotaExceeded("org", 10_000, 8_500, months.reset_at("2026-11")), "情報政策課"
    )
    assert "残り約1,500文字" in message
    assert "短く" in message
