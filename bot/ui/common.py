"""Japanese messages for the dialog, bad input and failures: chosen from the error type here only."""

from __future__ import annotations

import re

from bot.core.model.base import ModelErrorKind
from bot.core.policy import Policy
from bot.ui import commands

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

MODEL_ERRORS: dict[ModelErrorKind, str] = {
    ModelErrorKind.TIMEOUT: (
        "AIの応答に時間がかかりすぎたため中断しました。少し時間をおいて、もう一度お試しください。"
    ),
    ModelErrorKind.RATE_LIMIT: "AIの利用が混み合っています。1分ほど待ってから、もう一度お試しください。",
    ModelErrorKind.SERVER: "AIのサービスで障害が発生しています。しばらくしてから、もう一度お試しください。",
    ModelErrorKind.CONTENT_FILTER: (
        "AIのサービスの安全フィルターにより、この内容には回答できませんでした。"
        "表現を変えるか、業務上の質問であることが分かるように書き直してください。"
    ),
    ModelErrorKind.CONTEXT_LENGTH: (
        "会話が長くなりすぎたため回答できませんでした。「新しい会話」と送ってから、もう一度お試しください。"
    ),
    ModelErrorKind.AUTH: "AIのサービスに接続する設定に問題があります。{division}にお知らせください。",
    ModelErrorKind.BAD_REQUEST: (
        "AIのサービスがこの依頼を受け付けませんでした。内容を短くして、もう一度お試しください。"
    ),
    ModelErrorKind.CONNECTION: (
        "AIのサービスに接続できませんでした。しばらくしてから、もう一度お試しください。"
    ),
    ModelErrorKind.INTERRUPTED: "AIの回答が途中で途切れました。もう一度お試しください。",
}

STORAGE_UNAVAILABLE = (
    "現在、記録用のデータベースに接続できないため、AIを利用できません（記録が残せない状態では送信しません）。"
    "しばらくしてから、もう一度お試しください。続く場合は{division}にお知らせください。"
)
EMPTY_TEXT = "メッセージが空です。質問や依頼の内容を入力してください。"
UNKNOWN_ACTION = (
    "このボタンの操作は受け付けられませんでした。カードが古い可能性があります。もう一度操作し直してください。"
)
ACTION_REFUSED = "この操作は受け付けられませんでした。もう一度お試しください。"
ACTION_REFUSED_SEE_CHAT = "この操作は受け付けられませんでした。理由をチャットでお知らせしています。"
RESET_DONE = "新しい会話を始めます。これまでの会話の内容はAIに送られません。"
STOPPED_MESSAGE = "回答の生成を停止しました。続きが必要なときは、もう一度送ってください。"
BUSY_CONVERSATION = "前のご依頼に回答中です。回答のあとにもう一度送ってください。"
CARD_FOLLOWS = "次のカードをご確認ください。"
TRUNCATED_NOTE = "（回答が上限の文字数に達したため、ここで打ち切りました）"
INFORMATIVE_THINKING = "回答を作成しています…"
EMPTY_ANSWER = "（回答が空でした）"
NOT_RECORDED = "（記録できない内容を含むため省略）"  # kept in the record instead of a blocked note or comment


def tip_line(tip: str) -> str:
    """The concise-prompt tip as a line of the answer's footer."""
    return f"ヒント：{tip}"


def month_ja(month: str) -> str:
    """'2026年12月' for the 'YYYY-MM' month key (as it reads in a sentence); other text unchanged."""
    year, _, number = month.partition("-")
    return f"{year}年{int(number)}月" if year.isdigit() and number.isdigit() else month


def version_ja(version: str) -> str:
    """A guideline version as it reads in Japanese: '2024-04-15' → '2024年4月15日版',
    '1.0 (2023-10-26)' → '1.0版（2023年10月26日）'."""
    dated = _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", version.strip())
    if _ISO_DATE.fullmatch(version.strip()):
        return f"{dated}版"
    head, sep, rest = dated.partition(" (")
    if sep and rest.endswith(")"):
        return f"{head}版（{rest[:-1]}）"
    return dated if dated.endswith("版") else f"{dated}版"


def model_error(kind: ModelErrorKind, policy: Policy) -> str:
    """The message for a model failure."""
    return MODEL_ERRORS[kind].format(division=policy.municipality.division)


def unexpected_error(policy: Policy) -> str:
    """The message when something failed that has no message of its own."""
    return (
        "申し訳ありません。処理中にエラーが発生しました。もう一度お試しください。"
        f"続く場合は{policy.municipality.division}にお知らせください。"
    )


ADMIN_ONLY = "この操作は管理者（{division}）だけが行えます。操作は記録されました。"


def admin_only(policy: Policy) -> str:
    """The refusal of an administrators' action to anyone else (the attempt is recorded)."""
    return ADMIN_ONLY.format(division=policy.municipality.division)


def storage_unavailable(policy: Policy) -> str:
    """The message when storage is down (the turn fails closed)."""
    return STORAGE_UNAVAILABLE.format(division=policy.municipality.division)


def too_long(limit: int, length: int) -> str:
    """The message for text over the policy's maximum input length."""
    return (
        f"入力が長すぎます（{length:,}文字）。1回に送れるのは{limit:,}文字までです。"
        "要点に絞るか、分けて送ってください。"
    )


def help_text(policy: Policy, *, is_admin: bool) -> str:
    """The help message listing what the assistant does and the commands."""
    m = policy.municipality
    lines = [
        f"**{m.name} 生成AIアシスタント**",
        "",  # the title on its own line (Teams joins single line breaks)
        "業務に関する質問や文章作成の依頼を、そのまま入力してください。",
        "",
        "**使えるコマンド**",
        *[command.help_line(policy) for command in commands.offered(policy, admin=False)],
        "- ファイルの添付：Word・Excel・PowerPoint・PDF・テキスト・会議のトランスクリプト（.vtt）を"
        "添付すると要約します（「議事録の要約」「校正」「やさしい日本語」「翻訳 英語」などと一緒に送ると、"
        "その依頼になります）",
        "",
        "**守ること**",
        *[f"- {line}" for line in policy.guideline.summary],
        "",
        f"お問い合わせ：{m.contact}",
    ]
    if is_admin:
        admin = [
            f"{c.title}（{commands.fill(c.help, policy)}）" for c in commands.offered(policy, admin=True)
        ]
        lines += ["", "**管理者コマンド**：" + "、".join(admin)]
    return "\n".join(lines)
