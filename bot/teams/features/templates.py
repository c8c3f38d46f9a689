"""テンプレート: the policy's usage examples as small forms that build a concise prompt.

    テンプレート / template.list   the list card (replaced in place when coming back from a form)
    template.open                  the chosen template's form, in place of the list
    template.submit                (Action.Submit, a message) → `build` turns the values into
                                   ModelTurn(source="template") BEFORE screening, so screening,
                                   quota, records and the streamed answer apply unchanged (the
                                   use is counted only once every stage allowed it);
                                   invalid values → the handler says what to fix, nothing is sent

All three lead to the model, so the access stage gates them like a typed question.

Templates are the policy's plus those admins add in Teams (bot.core.shared_templates), shown with
the caller's 所属's own first; each filled form that goes to the model counts one use this month.

    テンプレート管理 (admins)    the list with this month's uses, 編集 / 廃止 / 元に戻す, 追加
    template.admin.edit / save   the editor (Action.Execute): saved, or shown again with the problem
    template.admin.retire / restore
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from bot.core.clock import Clock
from bot.core.prompt_templates import fill
from bot.core.shared_templates import TemplateCatalogue, TemplateSpecError, build_template, new_template_id
from bot.core.turn import ModelTurn, Outcome, Turn
from bot.teams import answers, replies
from bot.teams.answers import Answer
from bot.teams.router import Router
from bot.teams.services import Services
from bot.ui import commands
from bot.ui import common as common_texts
from bot.ui.templates import admin, cards

PROBLEMS_KEY = "templates.problems"
"""turn_state key: what was wrong with a submitted form (set by `build`, said by the handler)."""


def register(services: Services) -> None:
    """Register the template command and verbs (they lead to the model: access as for model turns)."""
    router = services.router
    policy = services.policy
    catalogue = TemplateCatalogue(services.storage, policy, services.clock)

    @router.command(commands.TEMPLATES, to_model=True)
    async def show_list(context: TurnContext, turn: Turn) -> Answer:
        templates = await catalogue.templates(turn.caller.department)
        return answers.card(cards.list_card(policy, templates))

    router.verb(cards.LIST, to_model=True)(show_list)

    @router.verb(cards.OPEN, to_model=True)
    async def open_form(context: TurnContext, turn: Turn) -> Answer:
        template = await catalogue.get(replies.text_field(replies.card_data(context), "template"))
        if template is None:
            return answers.toast(common_texts.UNKNOWN_ACTION)
        return answers.card(cards.form_card(policy, template))

    async def build(context: TurnContext, turn: Turn, data: dict[str, Any]) -> ModelTurn | None:
        # Read only: access or quota may still refuse the turn (the use is counted by `count_use`).
        template = await catalogue.get(str(data.get("template", "")))
        if template is None:
            context.turn_state[PROBLEMS_KEY] = common_texts.UNKNOWN_ACTION
            return None
        filled = fill(
            template,
            data,
            max_length=policy.quota.max_answer_chars,
            max_input_chars=policy.quota.max_input_chars,
        )
        turn.details["template"] = template.id
        if filled.problems:
            context.turn_state[PROBLEMS_KEY] = "\n".join(("送信しませんでした。", *filled.problems))
            return None
        return ModelTurn(raw_text=filled.prompt, source="template")

    async def count_use(context: TurnContext, turn: Turn, data: dict[str, Any]) -> bool:
        await catalogue.count_use(str(turn.details.get("template", "")))  # the stages allowed it
        return True

    @router.verb(cards.SUBMIT, builds_model_turn=build, on_allowed=count_use, to_model=True)
    async def invalid(context: TurnContext, turn: Turn) -> Answer:
        # Reached only when `build` found problems (a valid form became a model turn instead).
        turn.refuse(Outcome.REJECTED, "template_invalid")
        return answers.toast(str(context.turn_state.get(PROBLEMS_KEY, common_texts.UNKNOWN_ACTION)))

    register_admin(router, catalogue, services.clock)


def register_admin(router: Router, catalogue: TemplateCatalogue, clock: Clock) -> None:
    """テンプレート管理: admins add, edit, retire and restore the shared templates."""

    async def show(note: str = "") -> Answer:
        items = await catalogue.listed(include_retired=True)
        return answers.card(admin.manage_card(items, await catalogue.usage(), note))

    @router.command(commands.TEMPLATE_ADMIN)
    async def manage(context: TurnContext, turn: Turn) -> Answer:
        return await show()

    router.verb(admin.MANAGE, admin=True)(manage)

    @router.verb(admin.EDIT, admin=True)
    async def edit(context: TurnContext, turn: Turn) -> Answer:
        template_id = replies.text_field(replies.card_data(context), "template")
        item = next(
            (i for i in await catalogue.listed(include_retired=True) if i.template.id == template_id), None
        )
        if template_id and item is None:
            return await show(admin.NOT_FOUND)
        template = item.template if item else None
        return answers.card(admin.editor_card(template, item.department if item else ""))

    @router.verb(admin.SAVE, admin=True)
    async def save(context: TurnContext, turn: Turn) -> Answer:
        data = replies.card_data(context)
        field = replies.text_field
        template_id = field(data, "template") or new_template_id(clock().timestamp())
        try:
            length = int(str(data.get("default_length", "300")).strip() or "300")
        except ValueError:
            length = -1
        try:
            template = build_template(
                template_id,
                title=field(data, "title"),
                description=field(data, "description"),
                prompt=str(data.get("prompt", "")) if isinstance(data.get("prompt"), str) else "",
                fields=str(data.get("fields", "")) if isinstance(data.get("fields"), str) else "",
                default_length=length,
            )
        except TemplateSpecError as exc:
            turn.refuse(Outcome.REJECTED, "template_spec")
            turn.details["template_problem"] = exc.problem.value
            typed = {k: str(v) for k, v in data.items() if isinstance(v, str | int)}
            return answers.card(admin.editor_card(None, problem=admin.problem_text(exc), typed=typed))
        await catalogue.save(template, field(data, "department"), by=turn.caller.user_id)
        turn.details["template_saved"] = template.id
        return await show(admin.SAVED.format(title=template.title))

    @router.verb(admin.RETIRE, admin=True)
    async def retire(context: TurnContext, turn: Turn) -> Answer:
        template_id = replies.text_field(replies.card_data(context), "template")
        listed = {i.template.id: i.template for i in await catalogue.listed(include_retired=True)}
        if template_id not in listed or not await catalogue.retire(template_id, by=turn.caller.user_id):
            return await show(admin.NOT_FOUND)
        turn.details["template_retired"] = template_id
        return await show(admin.RETIRED.format(title=listed[template_id].title))

    @router.verb(admin.RESTORE, admin=True)
    async def restore(context: TurnContext, turn: Turn) -> Answer:
        template_id = replies.text_field(replies.card_data(context), "template")
        listed = {i.template.id: i.template for i in await catalogue.listed(include_retired=True)}
        if template_id not in listed or not await catalogue.restore(template_id, by=turn.caller.user_id):
            return await show(admin.NOT_FOUND)
        return await show(admin.RESTORED.format(title=listed[template_id].title))
