"""What people read when the screening gate held something back, and the trust-boundary notices."""

from __future__ import annotations

from bot.core.policy import Policy

WITHHELD = "〔非公開情報の可能性があるため、チャンネルには表示しません〕"
"""Replaces confirm-class text (部外秘・入札の予定価格…) in anything posted to a channel or group chat."""
EXCHANGE_WITHHELD = (
    "直前のやり取りには非公開情報の可能性がある内容が含まれるため、添付せずに質問だけを投稿しました。"
)


def foreign_install(policy: Policy, team_name: str, *, pinned: bool) -> str:
    """To the admins: the bot was added to a team that is not the support team."""
    team = f"「{team_name}」" if team_name else "別の"
    if not pinned:
        return (
            f"ボットが{team}チームに追加されましたが、管理者以外による追加のため、このチームを問い合わせ先には"
            "しませんでした。問い合わせ・報告・承認のチャンネルは、管理者がボットを全庁チームに追加したときに"
            "決まります（環境変数 SUPPORT_TEAM_ID で指定することもできます）。"
        )
    return (
        f"ボットが{team}チームに追加されました。問い合わせ・報告・承認は、これまでどおり最初に設定した"
        f"チームの「{policy.support.channel_name}」「{policy.support.admin_channel_name}」チャンネルに"
        "届きます（変わりません）。心当たりがない場合は、そのチームからアプリを削除してください。"
    )


def pinned(policy: Policy, team_name: str, missing: list[str]) -> str:
    """To the admins: this team now receives questions, incidents and approvals."""
    team = f"「{team_name}」" if team_name else "この"
    text = f"{team}チームを問い合わせ・報告・承認の送り先に設定しました。"
    if missing:
        names = "」「".join(missing)
        text += (
            f"ただし「{names}」チャンネルが見つかりません。チャンネルを作成してください"
            f"（管理者チャンネルは{policy.municipality.division}だけが見られるプライベートチャンネルにしてください）。"
        )
    return text


def admin_channel_missing(policy: Policy, what: str) -> str:
    """To the admins: something meant for the admin channel could not be posted there."""
    return (
        f"{what}を管理者チャンネル「{policy.support.admin_channel_name}」に投稿できませんでした。"
        "チャンネルが見つからないか、ボットが追加されていません。チャンネルを確認してください。"
        f"{what}の内容は「承認待ち」や記録から確認できます。"
    )


def applicant_admin_channel_missing(policy: Policy) -> str:
    """To the applicant: the admins were told directly because their channel could not be reached."""
    return (
        f"管理者チャンネルに申請を届けられなかったため、{policy.municipality.division}の担当者に個別にお知らせしました。"
        f"承認までに時間がかかる場合があります。お急ぎの場合は{policy.municipality.contact}にご連絡ください。"
    )
