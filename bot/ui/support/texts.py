"""Japanese texts of the support channel: 問い合わせ, the admins' answers, channel answers and 担当者に確認.

Also the refusals shared with incident reports (a text that screening stopped is not posted).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.policy import Policy
from bot.core.tickets import Ticket
from bot.ui.common import version_ja

JST = ZoneInfo("Asia/Tokyo")
MAX_QUESTION_CHARS = 1000
MAX_ANSWER_CHARS = 3000

ASK_IN_PERSONAL_CHAT = (
    "「問い合わせ」はボットとの個人チャットで使ってください。"
    "このチャンネルでは、ボットをメンションして質問すると、ガイドラインと使い方についてAIがお答えします。"
)
QUESTION_EMPTY = "質問の内容を入力してください。"
SOMEONE = "職員"  # who asked for 担当者に確認, when Teams gives no name
ADMIN_UNNAMED = "担当者"  # an administrator mentioned without a name
ALREADY_SENT = "この問い合わせは送信済みです。回答が届いたら、このチャットでお知らせします。"
MASKED_NOTE = "個人情報と思われる部分は〔人名1〕のような記号に置き換えて投稿しました。"
ANSWER_EMPTY = "回答を入力してください。"
ANSWER_BLOCKED = (
    "回答にマイナンバーなどの番号が含まれているため、送信しませんでした。"
    "番号を削除してから、もう一度送ってください。"
)
ANSWER_SENT = "回答を質問者の個人チャットに送りました。"
THREAD_ANSWER_SENT = "この返信を回答として、質問者の個人チャットに送りました。"
TICKET_NOT_FOUND = "この問い合わせが見つかりませんでした。カードが古い可能性があります。"
ALREADY_ESCALATED = "このスレッドは、すでに担当者に確認を依頼しています。"
ESCALATE_NOT_HERE = "担当者への確認は、チャンネルのスレッドで使えます。"


def escalation_not_posted(policy: Policy) -> str:
    """Told in the clicker's personal chat when the 担当者に確認 reply could not be posted."""
    return (
        "「担当者に確認」の依頼をスレッドに投稿できませんでした。"
        f"お手数ですが、{policy.municipality.division}に直接お問い合わせください。"
    )


NOT_POSTED_ADVICE = (
    "番号などの個人を特定できる情報を削除するか伏せてから、もう一度送ってください。"
    "この内容はチャンネルに投稿しておらず、記録にも残していません。"
)
CONFIDENTIAL_ADVICE = "該当する部分を除いて、もう一度送ってください。この内容はチャンネルに投稿していません。"


def format_jst(iso: str) -> str:
    """'2026年11月22日 10:15' for a stored ISO time ('' if it cannot be read)."""
    try:
        moment = datetime.fromisoformat(iso).astimezone(JST)
    except ValueError:
        return ""
    return f"{moment:%Y年%-m月%-d日 %H:%M}"


def question_too_long(length: int) -> str:
    """The question is over the card's limit."""
    return f"質問が長すぎます（{length:,}文字）。{MAX_QUESTION_CHARS:,}文字以内にまとめてください。"


def posted(policy: Policy, number: str, masked: bool) -> str:
    """The asker's confirmation that the question is in the support channel."""
    text = (
        f"「{policy.support.channel_name}」チャンネルに問い合わせを投稿しました（受付番号 {number}）。"
        f"{policy.municipality.division}の担当者が回答したら、このチャットでお知らせします。"
    )
    return text + ("\n\n※ " + MASKED_NOTE if masked else "")


def not_posted(policy: Policy, findings: Iterable[Any], what: str = "問い合わせ") -> str:
    """Why screening stopped a question or report: what was found, the clause, what to do."""
    found = list(findings)
    blocked = [f for f in found if _action(f) == "block"]
    if blocked:
        lines = [f"**この{what}は投稿しませんでした。**", ""]
        lines += [
            f"- {f.label}「{f.display}」が含まれています（{policy.ordinance.label(f.category)}）"
            for f in blocked
        ]
        lines += [
            "",
            f"理由：{policy.guideline.title} {policy.guideline.prohibition_clause}",
            "",
            NOT_POSTED_ADVICE,
        ]
        return "\n".join(lines)
    lines = [
        f"**この{what}は投稿しませんでした。**",
        "",
        "投稿先のチャンネルは多くの職員が読めます。非公開情報に当たる可能性のある内容が含まれています。",
    ]
    lines += [f"- {_what(f)}：{policy.ordinance.label(f.category)}" for f in found if _action(f) == "confirm"]
    return "\n".join([*lines, "", CONFIDENTIAL_ADVICE])


def not_delivered(policy: Policy, channel_name: str, what: str = "問い合わせ") -> str:
    """The support or admin channel could not be reached (bot not in the team, channel not found)."""
    return (
        f"{what}を「{channel_name}」チャンネルに投稿できませんでした。"
        "ボットがチームに追加されていないか、チャンネルが見つからない可能性があります。"
        f"時間をおいてもう一度お試しいただくか、{policy.municipality.contact}にご連絡ください。"
    )


def relayed_answer(policy: Policy, ticket: Ticket) -> str:
    """The answer as it reaches the asker's personal chat."""
    by = ticket.text("answered_by_name") or "担当者"
    return "\n\n".join(
        [
            f"**問い合わせへの回答が届きました**（受付番号 {ticket.number}）",
            f"ご質問：{_clip(ticket.text('question'), 300)}",
            f"回答（{policy.municipality.division} {by}、{format_jst(ticket.text('answered_at'))}）：",
            ticket.text("answer"),
        ]
    )


def thread_note(policy: Policy) -> str:
    """A reply in a question's thread that is not an admin's: the staff answer there, not the AI."""
    return (
        f"この問い合わせには{policy.municipality.division}の担当者が回答します。"
        "AIに質問する場合は、チャンネルに新しく投稿してボットをメンションしてください。"
    )


def already_answered(by: str, at: str) -> str:
    """A second answer attempt: nothing relayed again."""
    return f"この問い合わせには{format_jst(at)}に{by}さんが回答済みです。質問者には重ねて送っていません。"


def answer_not_delivered(reason: str) -> str:
    """The answer is recorded but could not reach the asker."""
    return (
        f"回答は記録しましたが、質問者の個人チャットに届けられませんでした（{reason}）。"
        "別の方法でお知らせください。"
    )


def delivery_problem(ticket: Ticket, not_relayed: str) -> str:
    """The answering admin's notice when an answer given on the card did not fully arrive.

    `not_relayed` is answer_not_delivered(...) when the asker was not reached, '' when only the
    channel card could not be updated."""
    head = f"**問い合わせ（受付番号 {ticket.number}）への回答について**"
    if not_relayed:
        return f"{head}\n\n{not_relayed}"
    return (
        f"{head}\n\n回答は質問者に届きましたが、チャンネルのカードを「回答済み」に更新できませんでした。"
        "ほかの担当者が重ねて回答しないよう、スレッドでお知らせください。"
    )


def delivery_problem_in_thread(ticket: Ticket, *, relayed: bool) -> str:
    """The same, in the question's thread, when the admin's personal chat is not known (no reason:
    the channel is read by all staff)."""
    if relayed:
        return (
            f"受付番号 {ticket.number} の回答は質問者に届いています（カードの表示を更新できませんでした）。"
        )
    return (
        f"受付番号 {ticket.number} の回答を質問者の個人チャットに届けられませんでした。"
        "回答した担当者から、別の方法で質問者にお知らせください。"
    )


def delivery_reason(error: Exception) -> str:
    """Why a personal notice did not arrive, by error type (bot.teams.channels)."""
    name = type(error).__name__
    if name == "Blocked":
        return "ボットがブロックされているか、削除されています"
    if name == "NoReference":
        return "質問者とボットの個人チャットが見つかりません"
    return "Teams への送信に失敗しました"


def escalation(policy: Policy, names_known: bool) -> str:
    """The thread reply that asks the division's staff to look at a question."""
    if names_known:
        return "担当者の確認をお願いします。AIの回答では解決しなかった質問です。"
    return (
        f"{policy.municipality.division}の担当者に確認を依頼しました。AIの回答では解決しなかった質問です。"
        "担当者がこのスレッドで回答します。"
    )


def escalated_note(who: str) -> str:
    """What the escalation card shows once used."""
    return f"{who}さんが担当者に確認を依頼しました。担当者がこのスレッドで回答します。"


def channel_prompt(policy: Policy) -> list[str]:
    """Extra system prompt lines for answers in the support channel: the guideline and the FAQ."""
    lines = [
        f"この質問は、{policy.municipality.name}職員向けの問い合わせチャンネル"
        f"「{policy.support.channel_name}」に投稿されたものです。",
        "生成AIの利用ガイドラインと、このAIアシスタントの使い方に関する質問に、次の内容に基づいて答えてください。",
        "ここに書かれていないことは推測で答えず、「担当者に確認」ボタンで"
        f"{policy.municipality.division}の担当者に確認するよう案内してください。",
        f"■ {policy.guideline.title}（{version_ja(policy.guideline.version)}）の要点",
        *[f"- {line}" for line in policy.guideline.summary],
        "■ よくある質問",
    ]
    for entry in policy.support.faq:
        lines += [f"Q. {entry.question}", f"A. {entry.answer}"]
    lines.append(f"■ 問い合わせ先：{policy.municipality.contact}")
    return lines


def exchange_text(messages: Sequence[tuple[str, str]]) -> str:
    """The attached last exchange as shown in the channel card ((role, masked text) pairs)."""
    labels = {"user": "職員", "assistant": "AI"}
    return "\n\n".join(f"{labels.get(role, role)}：{_clip(text, 1500)}" for role, text in messages)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _action(finding: Any) -> str:
    return str(getattr(finding.action, "value", finding.action))


def _what(finding: Any) -> str:
    signal = getattr(finding, "signal", "")
    return f"「{signal}」" if signal else f"{finding.label}「{finding.display}」"
