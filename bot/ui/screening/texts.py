"""Japanese messages of the screening stage: why a message was not sent, and what to do instead."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.core.policy import Policy

BLOCK_ADVICE = (
    "番号などの個人を特定できる情報を削除するか「（番号）」のように伏せてから、もう一度送ってください。"
    "誤って入力した場合も、この内容はAIに送られておらず、記録にも残っていません。"
)
CONFIRM_QUESTION = (
    "この内容を、ガイドラインに沿ってAIのサービス（外部のサービス）に送ってよいことを確認しましたか？"
    "部外秘・非公開の情報は、所属で外部サービスへの入力が認められている場合を除き、送信しないでください。"
)
SEND_BUTTON = "AIに送ってよいと確認したので送信"
NOTE_LABEL = "確認した内容（任意。例：所属長の了承済み、○月○日に公表済み）"
CARD_SENT = "AIに送ってよいことを確認のうえ、送信しました。"
CARD_EDIT = "書き直すため、送信を取り消しました。書き直した内容は下のカードから送れます。"
CARD_CANCELLED = "送信を取り消しました。"
HELD_EXPIRED = (
    "確認待ちの内容は保存期間（10分）を過ぎたため破棄しました。必要であれば、もう一度入力してください。"
)
HELD_CANCELLED = "送信を取り消しました。入力内容は破棄しました。"
EDIT_TITLE = "書き直して送信"
EDIT_INTRO = "非公開の内容を除いて書き直し、「送信」を押してください。送信前に、もう一度確認します。"
EDIT_LABEL = "依頼の内容"
EDIT_SEND = "送信"
EDIT_EMPTY = "依頼の内容が空です。書き直した内容を入力してから「送信」を押してください。"


def blocked(policy: Policy, findings: Iterable[Any]) -> str:
    """The message when identifiers were found: what, why (clause and category), what to do."""
    items = [f for f in findings if getattr(f.action, "value", f.action) == "block"]
    lines = ["**この内容はAIに送信しませんでした。**", ""]
    for f in items:
        lines.append(f"- {f.label}「{f.display}」が含まれています（{policy.ordinance.label(f.category)}）")
    lines += [
        "",
        f"理由：{policy.guideline.title} {policy.guideline.prohibition_clause}により、"
        "個人情報や非公開情報は入力できません。",
        "",
        BLOCK_ADVICE,
    ]
    return "\n".join(lines)


def confirm_reasons(policy: Policy, findings: Iterable[Any]) -> list[str]:
    """One line per confirm-class finding: the signal and the ordinance category it points to."""
    lines: list[str] = []
    for f in findings:
        if getattr(f.action, "value", f.action) != "confirm":
            continue
        what = f"「{f.signal}」" if getattr(f, "signal", "") else f"{f.label}「{f.display}」"
        line = f"{what}：{policy.ordinance.label(f.category)}に当たる可能性があります"
        if line not in lines:
            lines.append(line)
    return lines
