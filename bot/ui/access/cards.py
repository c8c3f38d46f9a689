"""Cards of consent, applications and approval (Adaptive Cards 1.5, Universal Actions).

Buttons are `Action.Execute`, so a click arrives as an `adaptiveCard/action` invoke and the card is
replaced in place. Card data only says WHICH application a button is about; who may act is decided
on the server from the clicking user's identity, and the ids are checked against the stored row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.access import Application, Status
from bot.core.policy import Policy
from bot.ui.access import texts
from bot.ui.common import version_ja

AGREE, APPLY = "access.agree", "access.apply"
APPROVE, REJECT, REVOKE, VIEW = "access.approve", "access.reject", "access.revoke", "access.card"
PENDING_PAGE = "access.pending_page"
SEARCH_RESULTS = 15  # Teams shows at most 15 type-ahead results
PAGE_SIZE = 10  # applications per 承認待ち page: the card stays well under Teams' size limit
STAFF_DATASET = "municipal.staff"  # the type-ahead dataset of the 利用停止 form (application/search)
MAX_REFRESH_USERS = 60  # Teams refreshes a card automatically for at most 60 listed users
Card = dict[str, Any]


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None, **extra: Any) -> Card:
    """An Adaptive Card 1.5 with this body and these actions."""
    out: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
        **extra,
    }
    if actions:
        out["actions"] = actions
    return out


def text(value: str, **style: Any) -> dict[str, Any]:
    """A wrapped TextBlock."""
    return {"type": "TextBlock", "text": value, "wrap": True, **style}


def title(value: str) -> dict[str, Any]:
    """A card heading."""
    return text(value, weight="Bolder", size="Medium")


def execute(label: str, verb: str, data: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """An Action.Execute button."""
    return {"type": "Action.Execute", "title": label, "verb": verb, "data": data or {}, **extra}


def message_card(heading: str, message: str) -> Card:
    """A card that only says something (replaces a card after its action)."""
    return card([title(heading), text(message)])


# ---- consent ------------------------------------------------------------------------------------


_TOPICS = {  # a reminder is added only when the summary does not already cover its topic
    "fact_check": ("根拠", "裏付け", "事実"),
    "copyright": ("著作",),
    "responsibility": ("責任",),
    "business_use": ("業務",),
}


def consent_points(policy: Policy) -> list[str]:
    """The guideline summary, plus the reminders (fact checking, copyright, responsibility,
    business use) whose topic it does not mention: every topic once, and the card stays short."""
    points = list(policy.guideline.summary)
    for name, words in _TOPICS.items():
        if not any(word in line for line in points for word in words):
            points.append(getattr(policy.reminders, name))
    return points


def consent_card(policy: Policy, *, revised: bool = False, department: str = "", held_id: str = "") -> Card:
    """The guideline in short, the department input and the agree button (`held_id`: the question
    sent before agreeing, answered once the user agrees)."""
    g = policy.guideline
    points = consent_points(policy)
    body: list[dict[str, Any]] = [
        title(texts.CONSENT_TITLE),
        text(texts.CONSENT_REVISED if revised else texts.CONSENT_LEAD),
        text(f"{g.title}（{version_ja(g.version)}）", isSubtle=True, size="Small"),
        *[text(f"・{line}", spacing="Small") for line in points],
        {
            "type": "Input.Text",
            "id": "department",
            "label": texts.CONSENT_DEPARTMENT,
            "placeholder": texts.CONSENT_DEPARTMENT_PLACEHOLDER,
            "value": department,
            "maxLength": 40,
            "isRequired": True,
            "errorMessage": texts.DEPARTMENT_MISSING,
        },
        text(texts.CONSENT_NOTE.format(division=policy.municipality.division), isSubtle=True, size="Small"),
    ]
    if g.url:
        body.append(text(f"[ガイドライン全文]({g.url})", size="Small"))
    if held_id:
        body.append(text(texts.QUESTION_KEPT, size="Small"))
    data = {"version": g.version, **({"held": held_id} if held_id else {})}
    actions = [execute(texts.CONSENT_AGREE, AGREE, data, style="positive")]
    return card(body, actions)


# ---- application ---------------------------------------------------------------------------------


def application_card(policy: Policy, *, department: str = "", note: str = "", note_ok: bool = False) -> Card:
    """The application form: department, staff type, intended use (`note`: a problem to fix, in the
    attention colour, or with `note_ok` a step done, e.g. consent recorded, in the good colour)."""
    body: list[dict[str, Any]] = [title(texts.APPLY_TITLE)]
    if note:
        body.append(text(note, color="Good" if note_ok else "Attention"))
    body += [
        text(texts.apply_intro(policy), size="Small"),
        {
            "type": "Input.Text",
            "id": "department",
            "label": texts.CONSENT_DEPARTMENT,
            "value": department,
            "maxLength": 40,
            "isRequired": True,
            "errorMessage": texts.PROBLEMS["department_missing"],
        },
        {
            "type": "Input.ChoiceSet",
            "id": "staff_type",
            "label": texts.APPLY_STAFF,
            "style": "expanded",
            "choices": [{"title": s, "value": s} for s in policy.access.eligible_staff],
            "isRequired": True,
            "errorMessage": "職員区分を選んでください。",
        },
        {
            "type": "Input.Text",
            "id": "purpose",
            "label": texts.APPLY_PURPOSE,
            "isMultiline": True,
            "placeholder": texts.APPLY_PURPOSE_PLACEHOLDER,
            "maxLength": 400,
            "isRequired": True,
            "errorMessage": texts.PROBLEMS["purpose_missing"],
        },
        text(texts.APPLY_PURPOSE_NOTE, isSubtle=True, size="Small"),
    ]
    return card(body, [execute(texts.APPLY_SUBMIT, APPLY, style="positive")])


def _facts(application: Application) -> dict[str, Any]:
    facts = [
        ("申請者", application.display_name),
        ("所属", application.department),
        ("職員区分", application.staff_type),
        ("利用目的", application.purpose),
        ("申請日時", texts.jst(application.applied_at)),
    ]
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in facts if v]}


def _ids(application: Application) -> dict[str, str]:
    return {"application_id": application.application_id, "user_id": application.user_id}


def _reason_input(input_id: str = "reason", label: str = texts.REASON_LABEL) -> dict[str, Any]:
    return {"type": "Input.Text", "id": input_id, "label": label, "maxLength": 200}


def approval_card(application: Application, *, admin_account_ids: list[str], actionable: bool = True) -> Card:
    """The card in the admin channel: details, decision so far, and the actions left.

    `refresh` lists the administrators Teams knows (29:… ids): their view is re-fetched with
    `access.card`, so a decision made elsewhere shows up for them and non-admins see no buttons.
    """
    status = application.status
    heading = f"生成AIの利用申請（{texts.STATUS_LABELS[status]}）"
    body: list[dict[str, Any]] = [title(heading), _facts(application)]
    if status is not Status.PENDING:
        body.append(text(texts.decided_line(application), weight="Bolder"))
        if application.reason:
            body.append(text(f"理由：{application.reason}"))
    actions: list[dict[str, Any]] = []
    if actionable and status in {Status.PENDING, Status.APPROVED}:
        body.append(_reason_input())
        if status is Status.PENDING:
            actions += [
                execute(texts.APPROVE, APPROVE, _ids(application), style="positive"),
                execute(texts.REJECT, REJECT, _ids(application), style="destructive"),
            ]
        else:
            actions.append(execute(texts.REVOKE, REVOKE, _ids(application), style="destructive"))
    extra: dict[str, Any] = {}
    users = admin_account_ids[:MAX_REFRESH_USERS]
    if users:
        extra["refresh"] = {"action": execute("更新", VIEW, _ids(application)), "userIds": users}
    return card(body, actions, **extra)


def pending_card(applications: list[Application], now: datetime, *, view: str = "", page: int = 0) -> Card:
    """承認待ち: one page of pending applications with approve / reject (reason) buttons."""
    pages = max(1, -(-len(applications) // PAGE_SIZE))
    page = min(max(0, page), pages - 1)
    shown = applications[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    body: list[dict[str, Any]] = [title(texts.pending_title(len(applications)))]
    if pages > 1:
        body.append(text(texts.page_line(page + 1, pages, PAGE_SIZE), isSubtle=True, size="Small"))
    for a in shown:
        ids = {**_ids(a), "view": view, "page": str(page)}
        reason_id = f"reason_{a.application_id}"
        reject = card(
            [_reason_input(reason_id, texts.REJECT_REASON_LABEL)],
            [execute(texts.REJECT, REJECT, ids, style="destructive")],
        )
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    text(f"{a.display_name}（{a.department}）", weight="Bolder"),
                    text(texts.waiting(a, now), isSubtle=True, size="Small"),
                    _facts(a),
                    {
                        "type": "ActionSet",
                        "actions": [
                            execute(texts.APPROVE, APPROVE, ids, style="positive"),
                            {"type": "Action.ShowCard", "title": "却下…", "card": reject},
                        ],
                    },
                ],
            }
        )
    nav = []
    if page > 0:
        nav.append(execute(texts.PREVIOUS_PAGE, PENDING_PAGE, {"page": str(page - 1)}))
    if page < pages - 1:
        nav.append(execute(texts.NEXT_PAGE, PENDING_PAGE, {"page": str(page + 1)}))
    return card(body, nav)


def revoke_card(choices: list[tuple[str, str]], *, selected: str = "") -> Card:
    """利用停止: choose a user by type-ahead search (the staff list is searched through the
    `application/search` invoke, so the card stays small at city scale) and give a reason.
    `choices` are shown before typing (the one named in the command, or the first few)."""
    body = [
        title("生成AIの利用停止"),
        text(texts.REVOKE_PICK),
        {
            "type": "Input.ChoiceSet",
            "id": "user_id",
            "label": "職員",
            "placeholder": texts.REVOKE_SEARCH,
            "style": "filtered",
            "value": selected,
            "choices": [{"title": label, "value": value} for label, value in choices[:SEARCH_RESULTS]],
            "choices.data": {"type": "Data.Query", "dataset": STAFF_DATASET, "count": SEARCH_RESULTS},
            "isRequired": True,
            "errorMessage": "職員を選んでください。",
        },
        _reason_input(label=texts.REVOKE_REASON_LABEL),
    ]
    return card(body, [execute(texts.REVOKE, REVOKE, style="destructive")])


def digest_card(applications: list[Application], now: datetime, target_days: int) -> Card:
    """The weekly digest for the admin channel: applications waiting past the target."""
    rows = [
        text(f"・{a.display_name}（{a.department}）{texts.waiting(a, now)}", spacing="Small")
        for a in applications
    ]
    body = [
        title(texts.digest_title(len(applications), target_days)),
        *rows,
        text("「承認待ち」と送ると、この場で承認・却下できます。", isSubtle=True, size="Small"),
    ]
    return card(body)
