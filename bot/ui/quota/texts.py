"""Japanese strings of the monthly character quota: refusals, the footer, alerts, card and CLI labels."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.quota.types import Alert, QuotaExceeded, Reservation
from bot.ui.common import month_ja

__all__ = ["month_ja"]  # re-exported: the usage card and CLI take it from here

JST = ZoneInfo("Asia/Tokyo")

SCOPE_NAMES = {"org": "市全体", "department": "所属", "user": "あなた"}
SCOPE_CAPS = {"org": "今月の利用上限", "department": "今月の所属の利用上限", "user": "今月のあなたの利用上限"}


def chars(n: int) -> str:
    """A character count the Japanese way: 10,000,000 → '1,000万', 50,000 → '5万', 12,345 → '12,345'."""
    if n >= 10_000 and n % 10_000 == 0:
        return f"{n // 10_000:,}万"
    return f"{n:,}"


def reset_ja(moment: datetime) -> str:
    """'1月1日 0時' for the moment a month's quota resets (Japan time, the only time staff use)."""
    local = moment.astimezone(JST)
    return f"{local.month}月{local.day}日 {local.hour}時"


def over_quota(scope: str, limit: int, used: int, reset: datetime, contact: str) -> str:
    """The refusal when a cap would be overshot (the model is not called).

    When a fair amount is still left (the request itself is too long for it), say so: shortening the
    request may help, which 'the cap is reached' would hide."""
    cap = f"{SCOPE_CAPS.get(scope, '今月の利用上限')}（{chars(limit)}文字）"
    remaining = max(0, limit - used)
    when = reset_ja(reset)
    if remaining >= 100:
        return (
            f"{cap}まで残り約{remaining:,}文字のため、この依頼は送信できません。"
            f"依頼を短くするか、{when}以降にお試しください。お問い合わせは{contact}へ"
        )
    return f"{cap}に達しました。{when}から再び利用できます。お問い合わせは{contact}へ"


def refusal(exc: QuotaExceeded, contact: str) -> str:
    """The Japanese refusal shown to the user for a turn the quota refused."""
    return over_quota(exc.scope, exc.limit, exc.used, exc.reset_at, contact)


def footer(reservation: Reservation, actual_chars: int) -> str:
    """The usage line of an answer's footer for a turn that held `reservation`."""
    return footer_line(reservation.clamp(actual_chars), reservation.remaining_after(actual_chars))


def alert_text(alert_: Alert) -> str:
    """The Japanese message for the admin channel when the organisation crosses a threshold."""
    return alert(alert_.month, alert_.threshold, alert_.used, alert_.limit)


def footer_line(actual: int, remaining: dict[str, int]) -> str:
    """'今回 1,234 文字／今月の残り 約 9,876,543 文字（市全体）、約 48,766 文字（あなた）'."""
    parts = [
        f"約 {remaining[s]:,} 文字（{SCOPE_NAMES[s]}）"
        for s in ("org", "department", "user")
        if s in remaining
    ]
    if not parts:
        return f"今回 {actual:,} 文字"
    return f"今回 {actual:,} 文字／今月の残り " + "、".join(parts)


SHORTENED_NOTE = "今月の残りが少ないため、回答を約{limit:,}文字までに短くしています。"


def shortened(limit: int) -> str:
    """Shown when the answer was limited because the month is nearly used up."""
    return SHORTENED_NOTE.format(limit=limit)


def alert(month: str, threshold: int, used: int, limit: int) -> str:
    """The support-channel message when the organisation crosses a threshold of its cap."""
    if threshold >= 100:
        return (
            f"【利用上限】{month_ja(month)}の利用が上限（{chars(limit)}文字）に達しました（{used:,}文字）。"
            "今月はこれ以上利用できません。"
        )
    return (
        f"【利用状況】{month_ja(month)}の利用が上限（{chars(limit)}文字）の{threshold}％を超えました"
        f"（{used:,}文字）。"
    )


# ---- the usage card ----------------------------------------------------------------------------
CARD_TITLE = "利用状況（{month}）"
CARD_DAYS_LEFT = "今月の残り日数：{days}日（{reset}にリセット）"
CARD_YOU = "あなたの利用"
CARD_DEPARTMENT = "所属の利用"
CARD_ORG = "市全体の利用"
CARD_USED = "利用済み"
CARD_RESERVED = "処理中（予約）"
CARD_LIMIT = "上限"
CARD_REMAINING = "残り"
CARD_NO_LIMIT = "上限なし"
CARD_ADMIN = "管理者向け"
CARD_BY_DAY = "日別の利用文字数"
CARD_BY_DEPARTMENT = "所属別の利用文字数"
CARD_TOP_USERS = "利用の多い職員"
CARD_GAUGE = "上限に対する利用率"
CARD_DAY = "日"
CARD_NAME = "名前"
CARD_COLUMN_DEPARTMENT = "所属"
CARD_CHARS = "文字数"
CARD_TURNS = "回数"
CARD_NO_DEPARTMENT = "（所属未設定）"
CARD_NOTHING_YET = "今月の利用はまだありません。"
CARD_TEMPLATES = "よく使われたテンプレート（今月）"
CARD_TEMPLATE = "テンプレート"
CARD_TEMPLATES_NONE = "今月はまだテンプレートが使われていません。"
CARD_TEMPLATES_MORE = (
    "ほか{more}件のテンプレートが使われています（すべての回数は「{command}」で確認できます）。"
)
CARD_TIP = "「○○字以内で」「箇条書きで」と指示すると、文字数を節約できます。"

# ---- the CLI -------------------------------------------------------------------------------------
CLI_HEADER = "{month}の利用状況（日本時間、{reset}にリセット）"
CLI_ORG = (
    "市全体: 利用 {used:,} 文字 / 上限 {limit:,} 文字（{percent:.1f}%）、"
    "処理中の予約 {reserved:,} 文字、残り {remaining:,} 文字"
)
CLI_TURNS = "やりとり {turns:,} 回、利用者 {users:,} 人"
CLI_DEPARTMENTS = "所属別:"
CLI_USERS = "利用者別:"
CLI_ROW = "  {name}: {used:,} 文字（{turns:,} 回）{reserved}"
CLI_ROW_RESERVED = "、予約 {reserved:,} 文字"
CLI_NONE = "  （なし）"
CLI_BAD_MONTH = "月は YYYY-MM の形で指定してください（例: 2026-11、指定: {value!r}）"
CLI_CONFIG_ERROR = "設定エラー: {error}"
CLI_STORAGE_ERROR = "利用状況を読み出せません（保存先のエラー）: {error}"

BUSY = "利用が集中しているため、いま受け付けられませんでした。少し時間をおいて、もう一度お試しください。"


def rate_limited(limit: int, retry_after_s: int) -> str:
    """The per-user rate limit was reached (policy: quota.user_turns_per_minute)."""
    return (
        f"短い時間にご依頼が続いたため、受け付けを一時止めています（1分間に{limit}件まで）。"
        f"{retry_after_s}秒ほど待ってから、もう一度送ってください。"
    )


def too_many_turns(limit: int) -> str:
    """The user already has as many turns in progress as allowed (quota.user_concurrent_turns)."""
    return (
        f"回答中のご依頼がすでに{limit}件あります（同時に{limit}件まで）。"
        "回答が届いてから、もう一度送ってください。"
    )
