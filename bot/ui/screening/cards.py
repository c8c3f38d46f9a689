"""The confirmation card for content that may be non-disclosable (send / edit / cancel)."""

from __future__ import annotations

from typing import Any

from bot.core.policy import Policy
from bot.ui.screening import texts

SEND, EDIT, CANCEL = "screening.send", "screening.edit", "screening.cancel"
RESUBMIT = "screening.resubmit"


def confirm_card(policy: Policy, reasons: list[str], held_id: str, masked_preview: str) -> dict[str, Any]:
    """Asks the user whether held content is public or cleared before it is sent."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": "送信前の確認", "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": "入力に、非公開情報に当たる可能性のある内容があります。", "wrap": True},
        *[{"type": "TextBlock", "text": f"・{r}", "wrap": True, "spacing": "Small"} for r in reasons],
        {
            "type": "TextBlock",
            "text": f"根拠：{policy.guideline.title} {policy.guideline.prohibition_clause}",
            "wrap": True,
            "isSubtle": True,
            "size": "Small",
        },
        {"type": "TextBlock", "text": texts.CONFIRM_QUESTION, "wrap": True, "weight": "Bolder"},
        {
            "type": "TextBlock",
            "text": "送信される内容（個人情報は記号に置き換え済み）：",
            "wrap": True,
            "size": "Small",
            "isSubtle": True,
        },
        {
            "type": "TextBlock",
            "text": masked_preview[:400] + ("…" if len(masked_preview) > 400 else ""),
            "wrap": True,
            "size": "Small",
            "fontType": "Monospace",
        },
        {
            "type": "Input.Text",
            "id": "note",
            "label": texts.NOTE_LABEL,
            "isMultiline": False,
            "maxLength": 200,
        },
        {
            "type": "TextBlock",
            "text": "確認待ちの内容は10分後に破棄されます。",
            "wrap": True,
            "size": "Small",
            "isSubtle": True,
        },
    ]
    actions = [
        _submit(texts.SEND_BUTTON, SEND, held_id, style="positive"),
        _submit("書き直す", EDIT, held_id),
        _submit("取り消す", CANCEL, held_id, style="destructive"),
    ]
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
        "actions": actions,
    }


def _submit(title: str, verb: str, held_id: str, style: str = "default") -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "style": style, "data": {"verb": verb, "held": held_id}}


def closed_card(status: str) -> dict[str, Any]:
    """What the confirmation card becomes once the user has chosen (no buttons left)."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": "送信前の確認", "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": status, "wrap": True, "isSubtle": True},
        ],
    }


def edit_card(text: str, max_chars: int) -> dict[str, Any]:
    """「書き直す」: the held text back in an input to edit, and a send button (screened again)."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [
            {
                "type": "TextBlock",
                "text": texts.EDIT_TITLE,
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {"type": "TextBlock", "text": texts.EDIT_INTRO, "wrap": True},
            {
                "type": "Input.Text",
                "id": "text",
                "label": texts.EDIT_LABEL,
                "value": text[:max_chars],
                "isMultiline": True,
                "maxLength": max_chars,
            },
        ],
        "actions": [
            {
                "type": "Action.Submit",
                "title": texts.EDIT_SEND,
                "style": "positive",
                "data": {"verb": RESUBMIT},
            }
        ],
    }
