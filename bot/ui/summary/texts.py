"""Japanese labels of the admin summary card (記録の概要)."""

from __future__ import annotations

from bot.core.policy import Policy

OUTCOMES = {
    "answered": "回答",
    "command": "コマンド・操作",
    "blocked": "送信を止めた入力",
    "held": "送信前に確認を求めた入力",
    "cancelled": "取り消し",
    "over_quota": "上限超過",
    "rate_limited": "送信の間隔・件数の上限",
    "not_allowed": "利用不可（未同意・未承認・権限なし）",
    "rejected": "入力の不備",
    "failed": "エラー",
    "stopped": "表示の停止",
    "incomplete": "未完了",
}
EVENTS = {
    "access.consent": "利用ルールへの同意",
    "access.apply": "利用申請",
    "access.apply_refused": "受け付けなかった申請",
    "access.decision_requested": "承認・却下・停止の操作",
    "access.approved": "承認",
    "access.rejected": "却下",
    "access.revoked": "利用停止",
    "access.action_refused": "受け付けなかった承認操作",
    "access.pending_listed": "承認待ちの確認",
    "admin.refused": "管理者以外による管理操作",
    "admin.summary": "記録の概要の表示",
    "feedback": "回答への評価",
}
SOURCES = {
    "chat": "チャット（個人）",
    "channel": "チャンネル",
    "confirmed": "確認のうえ送信",
    "template": "テンプレート",
}
NO_DEPARTMENT = "（所属未登録）"
NO_CATEGORY = "（区分なし）"
EMPTY = "この月の記録はまだありません。"


def month_title(month: str) -> str:
    """`記録の概要（2026年11月）`."""
    year, mon = month.split("-")
    return f"記録の概要（{year}年{int(mon)}月）"


def use_label(policy: Policy, key: str) -> str:
    """A `uses` key for people: template titles, command names, input sources."""
    if key.startswith("template:"):
        template = policy.template(key.removeprefix("template:"))
        return f"テンプレート：{template.title if template else key.removeprefix('template:')}"
    return SOURCES.get(key, key)


def category_label(policy: Policy, key: str) -> str:
    """An ordinance category key as the city's article label."""
    if key in ("", "-"):
        return NO_CATEGORY
    item = policy.ordinance.categories.get(key)
    return f"{policy.ordinance.article}{item}" if item else key
