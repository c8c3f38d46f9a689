"""Cards of テンプレート: the list of the policy's templates and one template's form.

The list opens a form in place (Action.Execute); the form is sent with Action.Submit, so the
submission arrives as a message and the answer can stream like a typed question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.policy import Policy, Template, TemplateField
from bot.core.prompt_templates import MIN_LENGTH
from bot.ui.access.cards import Card, card, execute, text, title

OPEN, LIST, SUBMIT = "template.open", "template.list", "template.submit"


def not_sent(problems: Sequence[str]) -> str:
    """Why a filled-in template was not sent, one problem a line."""
    return "\n".join(("送信しませんでした。", *problems))


def list_card(policy: Policy, templates: Sequence[Template] | None = None) -> Card:
    """Every template (the policy's, or `templates` as the catalogue lists them) with its description
    and a button that opens its form."""
    body: list[dict[str, Any]] = [
        title("テンプレート"),
        text("使いたいひな形を選んでください。項目を埋めると、簡潔な依頼文を作って送ります。", size="Small"),
    ]
    for t in policy.templates if templates is None else templates:
        body.append(
            {
                "type": "Container",
                "separator": True,
                "selectAction": execute(t.title, OPEN, {"template": t.id}),
                "items": [
                    {"type": "ActionSet", "actions": [execute(t.title, OPEN, {"template": t.id})]},
                    text(t.description, isSubtle=True, size="Small", spacing="None"),
                ],
            }
        )
    body.extend(file_templates(policy))
    return card(body)


def file_templates(policy: Policy) -> list[dict[str, Any]]:
    """The templates used with an attached file: sent as text together with the file."""
    listed = policy.attachments.templates
    if not listed:
        return []
    lines = [f"- **{t.title}**：{t.description}" for t in listed]
    return [
        {
            "type": "Container",
            "separator": True,
            "items": [
                text("ファイルを添付して使うテンプレート", weight="Bolder"),
                text(
                    "個人チャットでファイルを添付し、次の名前（例：「議事録の要約」）を入力して送ってください。"
                    "何も入力しなければ要約します。",
                    size="Small",
                ),
                text("\n".join(lines), size="Small"),
            ],
        }
    ]


def form_card(policy: Policy, template: Template) -> Card:
    """The template's inputs, the answer length, and the send button."""
    max_length = policy.quota.max_answer_chars
    body: list[dict[str, Any]] = [
        title(template.title),
        text(template.description, size="Small"),
        *[_input(f) for f in template.fields],
        {
            "type": "Input.Number",
            "id": "length",
            "label": f"回答の長さ（{MIN_LENGTH}〜{max_length:,}字）",
            "value": template.default_length,
            "min": MIN_LENGTH,
            "max": max_length,
            "isRequired": True,
            "errorMessage": f"{MIN_LENGTH}〜{max_length:,}の数を入力してください。",
        },
        text(
            "個人情報や非公開情報は入力しないでください。送信前に自動で確認します。",
            isSubtle=True,
            size="Small",
        ),
    ]
    actions = [
        {
            "type": "Action.Submit",
            "title": "この内容で依頼する",
            "style": "positive",
            "data": {"verb": SUBMIT, "template": template.id},
        },
        execute("一覧に戻る", LIST),
    ]
    return card(body, actions)


def _input(spec: TemplateField) -> dict[str, Any]:
    optional = not spec.required and not spec.label.endswith("（任意）")  # a policy label may say so already
    label = f"{spec.label}（任意）" if optional else spec.label
    if spec.choices:
        return {
            "type": "Input.ChoiceSet",
            "id": spec.id,
            "label": label,
            "style": "compact",
            "value": spec.choices[0],
            "choices": [{"title": c, "value": c} for c in spec.choices],
            "isRequired": spec.required,
            "errorMessage": f"「{spec.label}」を選んでください。",
        }
    field: dict[str, Any] = {
        "type": "Input.Text",
        "id": spec.id,
        "label": label,
        "isMultiline": spec.multiline,
        "isRequired": spec.required,
        "errorMessage": f"「{spec.label}」を入力してください。",
    }
    if spec.placeholder:
        field["placeholder"] = spec.placeholder
    return field
