"""Support channel cards: the 問い合わせ form, the question card in the channel, 担当者に確認.

The question card has three faces: read-only (everyone; refreshed for the admins whose 29: ids
are known), with the answer input (admins, or everyone when no admin id is known yet: answering
is still authorised on the server), and answered (everyone, after `update_activity`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.policy import Policy
from bot.core.tickets import Ticket
from bot.ui.access.cards import MAX_REFRESH_USERS
from bot.ui.support import texts
from bot.ui.support.texts import format_jst

SUBMIT, ANSWER, REFRESH, ESCALATE = "support.submit", "support.answer", "support.refresh", "support.escalate"
VERSION = "1.5"


def question_form(policy: Policy, ticket_id: str, *, has_exchange: bool) -> dict[str, Any]:
    """The personal-chat form: the question and whether to attach the last exchange."""
    body: list[dict[str, Any]] = [
        title(f"{policy.municipality.division}への問い合わせ"),
        text_block(
            f"質問は Teams の「{policy.support.channel_name}」チャンネルに投稿され、担当者が回答します。"
            "回答はこのチャットでお知らせします。"
        ),
        text_block(
            "個人情報や非公開情報は書かないでください（チャンネルは多くの職員が読めます）。", subtle=True
        ),
        {
            "type": "Input.Text",
            "id": "question",
            "label": "質問",
            "isMultiline": True,
            "isRequired": True,
            "errorMessage": texts.QUESTION_EMPTY,
            "maxLength": texts.MAX_QUESTION_CHARS,
            "placeholder": "例：作成した文章を市のホームページに載せるとき、注意することはありますか",
        },
    ]
    if has_exchange:
        body.append(
            {
                "type": "Input.Toggle",
                "id": "attach",
                "title": "直前のAIとのやり取りを添付する（個人情報は記号に置き換え済み）",
                "value": "false",
                "valueOn": "true",
                "valueOff": "false",
            }
        )
    actions = [
        {
            "type": "Action.Submit",
            "title": "送信",
            "style": "positive",
            "data": {"verb": SUBMIT, "ticket": ticket_id},
        }
    ]
    return card(body, actions)


def question_card(
    policy: Policy, ticket: Ticket, *, answer_form: bool, refresh_ids: Sequence[str] = ()
) -> dict[str, Any]:
    """The question as posted in the support channel (face chosen by status and viewer)."""
    body: list[dict[str, Any]] = [
        title("職員からの問い合わせ"),
        facts(_asker_facts(ticket)),
        text_block(ticket.text("question")),
    ]
    if ticket.text("exchange"):
        body += _exchange(ticket)
    answered = ticket.status == "answered"
    actions: list[dict[str, Any]] = []
    if answered:
        body += _answered(ticket)
    elif answer_form:
        body += [_answer_input()]
        actions = [execute("回答を送る", ANSWER, {"ticket": ticket.id}, style="positive")]
    else:
        body.append(text_block(f"未回答：{policy.municipality.division}の担当者が回答します。", subtle=True))
    built = card(body, actions)
    if refresh_ids and not answered:
        built["refresh"] = {
            "action": execute("更新", REFRESH, {"ticket": ticket.id}),
            "userIds": list(refresh_ids)[:MAX_REFRESH_USERS],  # Teams allows at most 60
        }
    return built


def escalate_card(policy: Policy) -> dict[str, Any]:
    """Under an AI answer in the channel: ask the division's staff instead."""
    body = [
        text_block(f"解決しない場合は、{policy.municipality.division}の担当者に確認できます。", subtle=True)
    ]
    return card(body, [execute("担当者に確認", ESCALATE, {})])


def escalated_card(who: str) -> dict[str, Any]:
    """The escalation card once used (replaces the button for the clicking user)."""
    return card([text_block(texts.escalated_note(who), subtle=True)], [])


def _asker_facts(ticket: Ticket) -> list[tuple[str, str]]:
    pairs = [("質問者", ticket.text("asker_name") or "（不明）")]
    if ticket.text("asker_department"):
        pairs.append(("所属", ticket.text("asker_department")))
    pairs += [("受付", format_jst(ticket.text("created_at"))), ("受付番号", ticket.number)]
    return pairs


def _exchange(ticket: Ticket) -> list[dict[str, Any]]:
    container = {
        "type": "Container",
        "id": "exchange",
        "isVisible": False,
        "style": "emphasis",
        "items": [text_block(ticket.text("exchange"), subtle=True)],
    }
    toggle = {
        "type": "ActionSet",
        "actions": [
            {
                "type": "Action.ToggleVisibility",
                "title": "添付されたAIとのやり取りを表示",
                "targetElements": ["exchange"],
            }
        ],
    }
    return [toggle, container]


def _answered(ticket: Ticket) -> list[dict[str, Any]]:
    who = ticket.text("answered_by_name") or "担当者"
    return [
        {
            "type": "TextBlock",
            "text": f"✔ 回答済み（{who}、{format_jst(ticket.text('answered_at'))}）",
            "weight": "Bolder",
            "color": "Good",
            "wrap": True,
        },
        text_block(ticket.text("answer")),
    ]


def _answer_input() -> dict[str, Any]:
    return {
        "type": "Input.Text",
        "id": "answer",
        "label": "回答（質問者の個人チャットに届きます）",
        "isMultiline": True,
        "isRequired": True,
        "errorMessage": texts.ANSWER_EMPTY,
        "maxLength": texts.MAX_ANSWER_CHARS,
    }


def execute(label: str, verb: str, data: dict[str, Any], style: str = "default") -> dict[str, Any]:
    """An Action.Execute (Universal Action) button."""
    return {"type": "Action.Execute", "title": label, "verb": verb, "data": data, "style": style}


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    """A version 1.5 Adaptive Card (the highest Teams renders)."""
    built: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": body,
    }
    if actions:
        built["actions"] = actions
    return built


def title(text: str) -> dict[str, Any]:
    """A card heading."""
    return {"type": "TextBlock", "text": text, "weight": "Bolder", "size": "Medium", "wrap": True}


def text_block(text: str, *, subtle: bool = False) -> dict[str, Any]:
    """A wrapped TextBlock (small and subtle for notes)."""
    block: dict[str, Any] = {"type": "TextBlock", "text": text, "wrap": True}
    if subtle:
        block.update(isSubtle=True, size="Small")
    return block


def facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """A FactSet from (title, value) pairs."""
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}
