"""What people read when the screening gate held something back."""

WITHHELD = "〔非公開情報の可能性があるため、チャンネルには表示しません〕"
"""Replaces confirm-class text (部外秘・入札の予定価格…) in anything posted to a channel or group chat."""
EXCHANGE_WITHHELD = (
    "直前のやり取りには非公開情報の可能性がある内容が含まれるため、添付せずに質問だけを投稿しました。"
)
