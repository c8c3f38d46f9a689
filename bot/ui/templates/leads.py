"""The テンプレート管理 card's part about each 所属's template lead (where the policy allows leads).

Admins see the leads with 解除 buttons and a form to name one (a person from the organisation's
directory and the 所属 they lead); a lead sees which 所属's templates they manage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.policy import Policy
from bot.core.template_leads import MAX_DEPARTMENT_CHARS, Lead
from bot.ui.access.cards import execute, text
from bot.ui.incidents.cards import PEOPLE_DATASET

LEAD_SAVE, LEAD_REMOVE = "template.lead.save", "template.lead.remove"

OUTSIDE = (
    "このテンプレートは{department}のものではないため、変更できません"
    "（担当者が変更できるのは自分の所属のテンプレートだけです）。"
)
LEAD_INTRO = (
    "あなたは{department}のテンプレート担当者です。{department}向けのテンプレートを追加・編集・廃止できます。"
)
LEADS_HEADER = "所属のテンプレート担当者"
LEADS_HELP = (
    "担当者は、自分の所属向けのテンプレートだけを追加・編集・廃止できます"
    "（全庁向けのテンプレートとポリシーのテンプレートは管理者だけが変更できます）。"
)
LEADS_NONE = "まだ指定されていません。"
LEAD_SAVED = "{name}を{department}のテンプレート担当者に指定しました。"
LEAD_REMOVED = "{name}の{department}のテンプレート担当者の指定を解除しました。"
LEAD_UNKNOWN = "その担当者の指定は見つかりませんでした。一覧を開き直してください。"
LEAD_PROBLEMS = {
    "person": "担当者にする職員を選んでください。",
    "department": f"担当する所属を入力してください（{MAX_DEPARTMENT_CHARS}字以内）。",
}
LEADS_DISABLED = (
    "この市のポリシーでは、所属ごとのテンプレート担当者は使わない設定です"
    "（ポリシーファイルの [access] template_leads）。"
)
UNNAMED = "指定の職員"


def not_allowed(policy: Policy) -> str:
    """Why someone who is neither an admin nor a lead cannot manage templates, and whom to ask."""
    return (
        "テンプレートの管理は、管理者と、管理者が指定した各所属のテンプレート担当者だけが使えます。"
        f"テンプレートを追加したいときは、所属の担当者か{policy.municipality.division}に相談してください。"
    )


def who(lead: Lead) -> str:
    """The lead as the messages name them."""
    return f"{lead.name}さん" if lead.name else UNNAMED


def leads_section(leads: Sequence[Lead]) -> list[dict[str, Any]]:
    """The admins' part of the card: the leads, and the form to name one."""
    items: list[dict[str, Any]] = [
        text(LEADS_HEADER, weight="Bolder", size="Medium", separator=True),
        text(LEADS_HELP, size="Small", isSubtle=True),
    ]
    if not leads:
        items.append(text(LEADS_NONE, size="Small"))
    for lead in leads:
        remove = {"type": "ActionSet", "actions": [execute("解除", LEAD_REMOVE, {"lead": lead.oid})]}
        name = text(f"{lead.department}：{who(lead)}")
        items.append(
            {
                "type": "ColumnSet",
                "columns": [
                    {"type": "Column", "width": "stretch", "items": [name]},
                    {"type": "Column", "width": "auto", "items": [remove]},
                ],
            }
        )
    items += [
        {
            "type": "Input.ChoiceSet",
            "id": "lead",
            "label": "担当者にする職員",
            "style": "filtered",
            "choices": [],
            "choices.data": {"type": "Data.Query", "dataset": PEOPLE_DATASET},
            "placeholder": "名前で検索",
        },
        _text_input("lead_department", "担当する所属", "例：市民課"),
        _text_input("lead_name", "表示する名前（任意）", "例：市民 花子"),
        {"type": "ActionSet", "actions": [execute("担当者に指定", LEAD_SAVE)]},
    ]
    return items


def _text_input(input_id: str, label: str, placeholder: str) -> dict[str, Any]:
    return {"type": "Input.Text", "id": input_id, "label": label, "placeholder": placeholder}
