"""Cards for managing the shared templates (admins, and each 所属's lead where the policy allows):
the list with use counts, and the editor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.policy import Template
from bot.core.shared_templates import Listed, SpecProblem, TemplateSpecError, fields_text
from bot.ui.access.cards import Card, card, execute, text, title
from bot.ui.templates.leads import LEAD_INTRO

MANAGE, EDIT, SAVE, RETIRE, RESTORE = (
    "template.admin.list",
    "template.admin.edit",
    "template.admin.save",
    "template.admin.retire",
    "template.admin.restore",
)
COMMAND = "テンプレート管理"

PROBLEMS = {
    SpecProblem.NO_TITLE: "名前を入力してください。",
    SpecProblem.NO_PROMPT: "依頼文を入力してください。",
    SpecProblem.PROMPT_TOO_LONG: "依頼文は2,000字以内にしてください。",
    SpecProblem.BAD_FIELD: (
        "入力項目「{detail}」の書き方を確認してください"
        "（1行に1項目。記号 {{ }} [ ] . : ! と空白は使えません。同じ名前は1つまで）。"
    ),
    SpecProblem.TOO_MANY_FIELDS: "入力項目は8つまでにしてください。",
    SpecProblem.UNKNOWN_FIELD: (
        "依頼文の {{{detail}}} に当たる入力項目がありません。"
        "入力項目の名前と同じ語を {{ }} で囲んでください（字数は {{length}}）。"
    ),
    SpecProblem.BAD_LENGTH: "回答の長さは50〜4,000字の数にしてください。",
}
TEMPLATES_HEADER = "テンプレートの利用（回数の多い順）："
TEMPLATE_ROW = "  {title}: {uses:,} 回"
SAVED = "「{title}」を保存しました。"
RETIRED = "「{title}」を廃止しました（一覧には表示されません）。"
RESTORED = "「{title}」を元に戻しました。"
NOT_FOUND = "そのテンプレートは見つかりませんでした。一覧を開き直してください。"


def problem_text(error: TemplateSpecError) -> str:
    """The Japanese message for a template that cannot be saved."""
    return PROBLEMS[error.problem].format(detail=error.detail)


def manage_card(
    items: Sequence[Listed],
    usage: Mapping[str, int],
    note: str = "",
    *,
    lead_of: str = "",
    extra: Sequence[dict[str, Any]] = (),
) -> Card:
    """Every template (retired ones last) with this month's uses and 編集 / 廃止 buttons; for a
    lead (`lead_of` = their 所属) only that 所属's; `extra` (the admins' leads section) at the end."""
    body: list[dict[str, Any]] = [
        title(f"テンプレートの管理（{lead_of}）" if lead_of else "テンプレートの管理")
    ]
    if note:
        body.append(text(note, color="Good", weight="Bolder"))
    body.append(
        text(
            LEAD_INTRO.format(department=lead_of)
            if lead_of
            else "追加・編集したテンプレートは保存され、すべての職員の「テンプレート」に表示されます"
            "（所属を指定すると、その所属の職員の一覧の先頭に表示されます）。回数は今月の利用回数です。",
            size="Small",
            isSubtle=True,
        )
    )
    for item in items:
        t = item.template
        scope = f"{item.department}向け" if item.department else "全庁"
        facts = f"{scope}・今月 {usage.get(t.id, 0)} 回" + ("" if item.stored else "・ポリシーの既定")
        actions = [execute("編集", EDIT, {"template": t.id}), execute("廃止", RETIRE, {"template": t.id})]
        if item.retired:
            facts += "・廃止済み"
            actions = [execute("元に戻す", RESTORE, {"template": t.id})]
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    text(t.title, weight="Bolder"),
                    text(facts, size="Small", isSubtle=True, spacing="None"),
                    {"type": "ActionSet", "actions": actions},
                ],
            }
        )
    body.extend(extra)
    return card(body, [execute("テンプレートを追加", EDIT, {})])


def editor_card(
    template: Template | None,
    department: str = "",
    problem: str = "",
    typed: Mapping[str, str] | None = None,
    *,
    fixed_department: str = "",
) -> Card:
    """The form to add (template None) or edit a template; `typed` refills what the admin wrote; a
    lead's form has their 所属 fixed (`fixed_department`: shown, not an input)."""
    values = dict(typed or {})
    if template is not None:
        values = {
            "template": template.id,
            "title": template.title,
            "description": template.description,
            "fields": fields_text(template.fields),
            "prompt": template.prompt,
            "default_length": str(template.default_length),
            "department": department,
        }
    editing = bool(values.get("template"))
    body: list[dict[str, Any]] = [title("テンプレートの編集" if editing else "テンプレートの追加")]
    if problem:
        body.append(text(problem, color="Attention", weight="Bolder"))
    body += [
        _input("title", "名前", values.get("title", ""), placeholder="例：窓口対応記録の要約"),
        _input("description", "説明（一覧に表示）", values.get("description", ""), required=False),
        _input(
            "fields",
            "入力項目（1行に1つ。任意は「（任意）」、複数行は「（複数行）」、選択肢は「形式：箇条書き／文章」）",
            values.get("fields", ""),
            multiline=True,
            required=False,
            placeholder="例：\n目的\n本文（複数行）\n形式：箇条書き／文章",
        ),
        _input(
            "prompt",
            "依頼文（入力項目は {項目名}、回答の字数は {length} と書きます）",
            values.get("prompt", ""),
            multiline=True,
            placeholder="例：次の{本文}を{length}字以内で、{形式}で要約してください。",
        ),
        {
            "type": "Input.Number",
            "id": "default_length",
            "label": "回答の長さの初期値（字）",
            "value": _number(values.get("default_length", "300")),
            "min": 50,
            "max": 4000,
        },
        text(f"対象の所属：{fixed_department}", weight="Bolder")
        if fixed_department
        else _input(
            "department", "対象の所属（空欄なら全庁）", department, required=False, placeholder="例：市民課"
        ),
        text("個人情報や非公開情報はテンプレートに書かないでください。", size="Small", isSubtle=True),
    ]
    data = {"template": values["template"]} if editing else {}
    return card(body, [execute("保存する", SAVE, data, style="positive"), execute("一覧に戻る", MANAGE)])


def _input(
    input_id: str,
    label: str,
    value: str,
    *,
    multiline: bool = False,
    required: bool = True,
    placeholder: str = "",
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "type": "Input.Text",
        "id": input_id,
        "label": label,
        "value": value,
        "isMultiline": multiline,
        "isRequired": required,
        "errorMessage": f"「{label.split('（', maxsplit=1)[0]}」を入力してください。",
    }
    if placeholder:
        field["placeholder"] = placeholder
    return field


def _number(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return 300
