"""Incident report cards: the 報告 form, the admin channel card (head of section mentioned), the receipt."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.policy import Policy
from bot.core.tickets import Ticket
from bot.ui.incidents import texts
from bot.ui.support.cards import card, execute, facts, text_block, title
from bot.ui.support.texts import format_jst

SUBMIT, ACK, RESOLVE = "incident.submit", "incident.ack", "incident.resolve"
PEOPLE_DATASET = "graph.microsoft.com/users"


def incident_form(
    policy: Policy, incident_id: str, *, today: str, values: Mapping[str, str] | None = None, error: str = ""
) -> dict[str, Any]:
    """The reporting form (Action.Execute, so the receipt replaces it and it cannot be sent twice)."""
    kept = dict(values or {})
    body: list[dict[str, Any]] = [title(texts.FORM_TITLE), text_block(texts.form_intro(policy))]
    if error:
        body.append({"type": "TextBlock", "text": error, "wrap": True, "color": "Attention"})
    body += [
        _category_input(kept.get("category", "")),
        {"type": "Input.Date", "id": "date", "label": texts.DATE_LABEL, "isRequired": True,
         "errorMessage": texts.DATE_INVALID, "value": kept.get("date", today), "max": today},
        {"type": "Input.Time", "id": "time", "label": texts.TIME_LABEL, "isRequired": True,
         "errorMessage": texts.TIME_INVALID, "value": kept.get("time", "")},
        {"type": "Input.Text", "id": "description", "label": texts.DESCRIPTION_LABEL, "isMultiline": True,
         "isRequired": True, "errorMessage": texts.DESCRIPTION_MISSING,
         "maxLength": texts.MAX_DESCRIPTION_CHARS, "placeholder": texts.DESCRIPTION_PLACEHOLDER},
        people_picker("head", texts.HEAD_LABEL),
    ]  # fmt: skip
    action = execute(texts.SUBMIT_TITLE, SUBMIT, {"incident": incident_id}, style="positive")
    return card(body, [action])


def people_picker(input_id: str, label: str) -> dict[str, Any]:
    """An organisation people picker (Input.ChoiceSet over Microsoft Graph users)."""
    return {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "isRequired": True,
        "errorMessage": texts.HEAD_MISSING,
        "placeholder": texts.HEAD_PLACEHOLDER,
        "style": "filtered",
        "choices": [],
        "choices.data": {"type": "Data.Query", "dataset": PEOPLE_DATASET},
    }


def incident_card(policy: Policy, ticket: Ticket) -> dict[str, Any]:
    """The report in the admin channel: the head of section mentioned, status, admin-only actions."""
    mention = f"<at>{ticket.text('head_name') or texts.HEAD_FALLBACK_NAME}</at>"
    body: list[dict[str, Any]] = [
        title(f"問題の報告：{texts.category_label(ticket.text('category'))}"),
        text_block(f"所属長：{mention}"),
        facts(_facts(ticket)),
        text_block(ticket.text("description")),
        *[text_block(line, subtle=True) for line in texts.history_lines(ticket)],
    ]
    if ticket.text("note"):
        body.append(text_block(f"対応内容：{ticket.text('note')}"))
    built = card(body, _actions(ticket))
    built["msteams"] = {"entities": [_mention_entity(ticket, mention)]}
    return built


def receipt_card(policy: Policy, ticket: Ticket) -> dict[str, Any]:
    """Replaces the reporter's form as soon as the report is stored (it is posted right after)."""
    body = [
        title("報告を受け付けました"),
        text_block(texts.receipt(policy, ticket)),
        facts(
            [
                ("種類", texts.category_label(ticket.text("category"))),
                ("発生", texts.occurred_label(ticket.text("occurred"))),
            ]
        ),
    ]
    return card(body, [])


def _category_input(value: str) -> dict[str, Any]:
    return {
        "type": "Input.ChoiceSet",
        "id": "category",
        "label": texts.CATEGORY_LABEL,
        "isRequired": True,
        "errorMessage": texts.CATEGORY_MISSING,
        "style": "expanded",
        "value": value,
        "choices": [{"title": label, "value": key} for key, label in texts.CATEGORIES.items()],
    }


def _facts(ticket: Ticket) -> list[tuple[str, str]]:
    pairs = [
        ("状況", texts.STATUS_LABELS.get(ticket.status, ticket.status)),
        ("発生", texts.occurred_label(ticket.text("occurred"))),
        ("報告者", ticket.text("asker_name")),
    ]
    if ticket.text("asker_department"):
        pairs.append(("所属", ticket.text("asker_department")))
    pairs += [("受付", format_jst(ticket.text("created_at"))), ("受付番号", ticket.number)]
    return pairs


def _actions(ticket: Ticket) -> list[dict[str, Any]]:
    data = {"incident": ticket.id}
    if ticket.status == "resolved":
        return []
    note = {
        "type": "Input.Text",
        "id": "note",
        "label": texts.NOTE_LABEL,
        "isMultiline": True,
        "maxLength": 500,
    }
    resolve = {
        "type": "Action.ShowCard",
        "title": texts.RESOLVE_TITLE,
        "card": card([note], [execute(texts.RESOLVE_TITLE, RESOLVE, data, style="positive")]),
    }
    if ticket.status == "reported":
        return [execute(texts.ACK_TITLE, ACK, data, style="positive"), resolve]
    return [resolve]


def _mention_entity(ticket: Ticket, mention: str) -> dict[str, Any]:
    # Cards accept the Entra object id as the mentioned id when the 29: id is not known.
    name = ticket.text("head_name") or texts.HEAD_FALLBACK_NAME
    return {
        "type": "mention",
        "text": mention,
        "mentioned": {"id": ticket.text("head_mention_id"), "name": name},
    }
