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

from bot.core.prompt_templates import fill
from bot.core.shared_templates import TemplateCatalogue
from bot.core.turn import ModelTurn, Outcome, Turn
from bot.teams import answers, replies
from bot.teams.answers import Answer
from bot.teams.features import template_admin
from bot.teams.services import Services
from bot.ui import commands
from bot.ui import common as common_texts
from bot.ui.templates import cards

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
            context.turn_state[PROBLEMS_KEY] = cards.not_sent(filled.problems)
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

    template_admin.register(services, catalogue)
