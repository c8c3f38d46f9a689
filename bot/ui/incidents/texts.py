"""Japanese texts of incident reports (報告): the form, the admin channel card, status notices."""

from __future__ import annotations

from bot.core.policy import Policy
from bot.core.tickets import Ticket
from bot.ui.support.texts import format_jst

MAX_DESCRIPTION_CHARS = 2000
HEAD_FALLBACK_NAME = "所属長"

CATEGORIES: dict[str, str] = {
    "personal_info": "個人情報を誤って入力した",
    "copyright": "著作権上の問題がある可能性",
    "wrong_info": "誤った情報を業務に使った",
    "other": "その他",
}
"""What happened: key -> label (the form's choices and the card's 種類)."""

STATUS_LABELS: dict[str, str] = {
    "reported": "受付（未確認）",
    "acknowledged": "確認済み・対応中",
    "resolved": "対応完了",
}

REPORT_IN_PERSONAL_CHAT = (
    "「報告」はボットとの個人チャットで使ってください。報告の内容はチャンネルに書き込まないでください。"
)
FORM_TITLE = "問題の報告"
REPORT_NOUN = "報告"  # what was not posted, told to the reporter
INCIDENT_NOUN = "問題の報告"  # what was not posted, in the admins' notice
CATEGORY_LABEL = "何が起きましたか"
DATE_LABEL = "起きた日"
TIME_LABEL = "起きた時刻（おおよそで構いません）"
DESCRIPTION_LABEL = "内容（何を入力・利用したか、気づいた経緯、とった措置）"
DESCRIPTION_PLACEHOLDER = (
    "個人情報そのもの（氏名・番号など）は書かず、「住民の氏名と住所」のように種類で書いてください。"
)
HEAD_LABEL = "報告する所属長"
HEAD_PLACEHOLDER = "名前を入力して検索"
SUBMIT_TITLE = "報告する"
ACK_TITLE = "確認した（対応を始める）"
RESOLVE_TITLE = "対応完了にする"
NOTE_LABEL = "対応内容（任意・報告者に届きます）"

CATEGORY_MISSING = "何が起きたかを選んでください。"
DATE_INVALID = "起きた日を選んでください。"
TIME_INVALID = "起きた時刻を選んでください。"
DESCRIPTION_MISSING = "内容を入力してください。"
HEAD_MISSING = "報告する所属長を選んでください。"
HEAD_NOT_IN_TEAM = (
    "選んだ方が全庁チームのメンバーに見つかりませんでした。所属長をもう一度選んでください"
    "（組織外の方や、チームに参加していない方には報告を送れません）。"
)
REPORTS_PER_HOUR = 5


def too_many_reports(contact: str) -> str:
    """The reporter sent more reports in an hour than allowed."""
    return (
        f"報告は1時間に{REPORTS_PER_HOUR}件までです。少し時間をおいてから送ってください。"
        f"お急ぎの場合は{contact}に電話でご連絡ください。"
    )


INCIDENT_NOT_FOUND = "この報告が見つかりませんでした。カードが古い可能性があります。"
NOTE_BLOCKED = (
    "対応内容にマイナンバーなどの番号が含まれているため、記録しませんでした。番号を削除してください。"
)


def form_intro(policy: Policy) -> str:
    """Why and where the report goes (Iwaki §5: the head of section and the division, at once)."""
    division = policy.municipality.division
    return (
        f"問題が生じた場合は、直ちに所属長と{division}に報告してください。"
        f"この報告は{division}の「{policy.support.admin_channel_name}」チャンネルに投稿され、"
        "選んだ所属長にも知らせます。"
    )


def description_too_long(length: int) -> str:
    """The description is over the limit."""
    return f"内容が長すぎます（{length:,}文字）。{MAX_DESCRIPTION_CHARS:,}文字以内にまとめてください。"


def receipt(policy: Policy, ticket: Ticket) -> str:
    """The reporter's receipt (replaces the form at once; the post follows in the background)."""
    return (
        f"報告を受け付けました（受付番号 {ticket.number}）。{policy.municipality.division}の"
        f"「{policy.support.admin_channel_name}」チャンネルに、所属長をメンションして投稿します。"
        "投稿できなかったときや、対応の状況は、このチャットでお知らせします。"
    )


def not_posted(policy: Policy, ticket: Ticket) -> str:
    """To the reporter, after the receipt: the report could not be posted to the admin channel."""
    division = policy.municipality.division
    return (
        f"先ほどの報告（受付番号 {ticket.number}）を{division}の"
        f"「{policy.support.admin_channel_name}」チャンネルに投稿できませんでした。"
        f"{division}の管理者には個人チャットで知らせています。"
        f"お急ぎの場合は{policy.municipality.contact}に電話でご連絡ください。"
        "もう一度送るときは「報告」と入力してください。"
    )


def status_not_delivered(ticket: Ticket, *, reporter_notified: bool) -> str:
    """To the admin who acknowledged or resolved a report: what did not arrive after the click."""
    label = STATUS_LABELS.get(ticket.status, ticket.status)
    if not reporter_notified:
        return (
            f"報告（受付番号 {ticket.number}）を「{label}」にしましたが、報告者の個人チャットに"
            "お知らせを届けられませんでした。別の方法で報告者にお知らせください。"
        )
    return (
        f"報告（受付番号 {ticket.number}）を「{label}」にし、報告者にも知らせましたが、"
        "管理者チャンネルのカードを更新できませんでした。ほかの担当者にお知らせください。"
    )


def head_copy(policy: Policy, ticket: Ticket) -> str:
    """The copy sent to the head of section's personal chat."""
    return "\n\n".join(
        [
            f"**生成AIの利用に関する問題の報告**（受付番号 {ticket.number}）",
            f"{ticket.text('asker_name')}さんから、あなたを所属長として報告がありました。"
            f"{policy.municipality.division}にも報告済みです。",
            f"種類：{category_label(ticket.text('category'))}",
            f"発生：{occurred_label(ticket.text('occurred'))}",
            f"内容：{ticket.text('description')}",
        ]
    )


def status_notice(policy: Policy, ticket: Ticket) -> str:
    """The reporter's notice when an admin acknowledges or resolves the report."""
    division = policy.municipality.division
    if ticket.status == "acknowledged":
        who = ticket.text("acknowledged_by_name") or "担当者"
        text = (
            f"あなたの報告（受付番号 {ticket.number}）を{division}が確認し、対応を始めました（担当：{who}）。"
        )
    else:
        who = ticket.text("resolved_by_name") or "担当者"
        text = f"あなたの報告（受付番号 {ticket.number}）への対応が完了しました（担当：{who}）。"
    note = ticket.text("note")
    return text + (f"\n\n対応内容：{note}" if note else "")


def already(ticket: Ticket) -> str:
    """A second click on an action that is already done."""
    return f"この報告はすでに「{STATUS_LABELS.get(ticket.status, ticket.status)}」です。"


def category_label(key: str) -> str:
    """The label of a category key."""
    return CATEGORIES.get(key, CATEGORIES["other"])


def history_lines(ticket: Ticket) -> list[str]:
    """Who acknowledged and resolved it, and when, for the admin channel card."""
    lines = []
    for status, label in (("acknowledged", "確認"), ("resolved", "対応完了")):
        if ticket.text(f"{status}_at"):
            who = ticket.text(f"{status}_by_name")
            lines.append(f"{label}：{format_jst(ticket.text(f'{status}_at'))}（{who}）")
    return lines


def occurred_label(value: str) -> str:
    """'2026年11月20日 14:30' for the stored 'YYYY-MM-DD HH:MM' (as entered, Japan time)."""
    day, _, hour = value.partition(" ")
    parts = day.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return value
    return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日 {hour}".strip()
