"""Japanese strings of the records (audit log): export column headers, labels, CLI messages."""

from __future__ import annotations

from bot.core.turn import Outcome

COLUMN_LABELS: dict[str, str] = {
    "record_id": "記録ID",
    "turn_id": "ターンID",
    "phase": "記録種別",
    "status": "状態",
    "time_jst": "日時（日本時間）",
    "time_utc": "日時（UTC）",
    "tenant_id": "テナントID",
    "user_id": "利用者ID",
    "display_name": "氏名",
    "department": "所属",
    "conversation_id": "会話ID",
    "conversation_type": "会話の種類",
    "conversation_type_code": "会話の種類（コード）",
    "command": "コマンド・操作",
    "source": "入力の経路",
    "source_code": "入力の経路（コード）",
    "event": "イベント",
    "event_code": "イベント（コード）",
    "text": "送信テキスト（マスク済み）",
    "screening_action": "確認結果",
    "screening_action_code": "確認結果（コード）",
    "screening_kinds": "検出した情報の種類（件数）",
    "screening_kinds_code": "検出した情報の種類（コード）",
    "screening_categories": "該当する不開示情報の区分",
    "screening_categories_code": "不開示情報の区分（コード）",
    "confirmed": "利用者の確認",
    "confirmation_note": "確認の内容",
    "answer": "回答（置換記号のまま）",
    "model_name": "モデル",
    "deployment": "デプロイ",
    "chars_in": "入力文字数",
    "chars_out": "出力文字数",
    "tokens_in": "入力トークン",
    "tokens_out": "出力トークン",
    "latency_ms": "応答時間（ミリ秒）",
    "outcome": "結果",
    "error": "エラー",
    "feedback": "評価",
    "details": "詳細",
    "partition": "区画",
    "seq": "連番",
    "prev_hash": "前の記録のハッシュ",
    "hash": "ハッシュ",
}
"""CSV column headers, in export order."""

CODE_LABELS: dict[str, dict[str, str]] = {
    "conversation_type": {
        "personal": "個人チャット",
        "channel": "チャンネル",
        "groupChat": "グループチャット",
    },
    "source": {
        "chat": "チャット",
        "channel": "チャンネル",
        "template": "テンプレート",
        "confirmed": "確認のうえ送信",
    },
    "screening_action": {
        "allow": "問題なし",
        "mask": "記号に置き換えて送信",
        "confirm": "送信前に確認",
        "block": "送信せず",
    },
    "event": {
        "access.consent": "ガイドラインへの同意",
        "access.apply": "利用申請",
        "access.approved": "申請の承認",
        "access.rejected": "申請の却下",
        "access.revoked": "利用停止",
        "access.pending_listed": "承認待ち一覧の表示",
        "access.action_refused": "申請操作の拒否",
        "access.apply_refused": "申請の受付拒否",
        "admin.refused": "管理者操作の拒否",
        "admin.summary": "記録の概要の表示",
    },
    "screening_categories": {
        "law_secret": "法令秘情報",
        "personal": "個人に関する情報",
        "corporate": "法人等の事業活動情報",
        "public_safety": "公共の安全に関する情報",
        "intergovernmental": "国等との協力関係情報",
        "deliberation": "審議・検討中の情報",
        "operations": "事務事業の遂行に関する情報",
        "voluntary": "任意に提供された情報",
    },
}
"""Japanese labels of the codes records keep (the CSV also keeps each code in a column of its own)."""

PHASE_LABELS = {"start": "開始", "end": "終了", "single": "単独", "event": "イベント"}
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.ANSWERED: "回答",
    Outcome.COMMAND: "コマンド",
    Outcome.BLOCKED: "送信停止（個人情報等）",
    Outcome.HELD: "確認待ち",
    Outcome.CANCELLED: "取り消し",
    Outcome.OVER_QUOTA: "利用上限",
    Outcome.RATE_LIMITED: "送信の間隔・件数の上限",
    Outcome.NOT_ALLOWED: "利用不可（未同意・未承認）",
    Outcome.REJECTED: "入力不備",
    Outcome.FAILED: "失敗",
    Outcome.STOPPED: "停止",
    Outcome.REFUSED: "受付不可（前の依頼に回答中・再送を依頼）",
}
INCOMPLETE = "未完了（終了の記録なし）"
YES = "はい"

PROBLEMS = {
    "unreadable": "記録を読み取れません（値が書き換えられています）",
    "misplaced": "記録の位置（行キー）が連番と一致しません",
    "missing": "連番 {seq} の記録がありません（削除されています）",
    "content_changed": "記録の内容が変更されています（ハッシュ不一致）",
    "link_broken": "前の記録とのつながりが切れています（前の記録が書き換えられたか削除されています）",
    "head_missing": "区画の末尾情報（ヘッド）がありません",
    "head_mismatch": "区画の末尾情報（ヘッド）が最後の記録と一致しません",
    "partition_missing": "控え（アンカー）にある区画が丸ごとありません（月または区画が削除されています）",
    "truncated": "控え（アンカー）の連番 {seq} まであった記録が途中で切れています（末尾が削除されています）",
    "anchor_mismatch": "連番 {seq} の記録が控え（アンカー）と一致しません（末尾が書き換えられています）",
}
"""What `audit verify` says about the first broken link of a partition, by problem kind."""


def problem_text(kind: str, seq: int) -> str:
    """The Japanese description of a broken link."""
    return PROBLEMS.get(kind, kind).format(seq=seq)


def retention_refused(before: str, oldest_kept: str, retention_months: int) -> str:
    """Why a purge inside the retention period is refused."""
    return (
        f"保存期間（{retention_months}か月）内の記録は削除できません。"
        f"{oldest_kept} 以降の記録は保存期間内です。--before には {oldest_kept} 以前の月を指定してください"
        f"（指定: {before}）。"
    )
