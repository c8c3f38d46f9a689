"""テンプレート管理: admins — and, where the policy allows (`[access] template_leads`), each 所属's lead
for that 所属's own templates — add, edit, retire and restore the shared templates; admins name leads.

    テンプレート管理 / template.admin.list   the list with this month's uses (a lead: their 所属's only;
                                            an admin: also the leads, with the form to name one)
    template.admin.edit / save              the editor: saved, or shown again with the problem
    template.admin.retire / restore
    template.lead.save / remove             (admins) name / remove a 所属's lead

The management routes are not marked admin-only in the router: every handler asks `authority` first
— an admin may do everything; a lead (the stored designation, the sender confirmed through the
Teams roster) only templates stored for their 所属, and whatever a lead saves is for that 所属;
anyone else is refused and the attempt recorded (`admin.refused`). Card data never grants anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext

from bot.core.clock import Clock
from bot.core.shared_templates import (
    Listed,
    TemplateCatalogue,
    TemplateSpecError,
    build_template,
    new_template_id,
)
from bot.core.template_leads import ADMIN, Authority, LeadSpecError, TemplateLeads
from bot.core.turn import Outcome, Turn
from bot.teams import answers, replies
from bot.teams.answers import Answer
from bot.teams.events import EventLog
from bot.teams.roster import confirmed_member
from bot.teams.services import Services
from bot.ui import commands
from bot.ui.templates import admin
from bot.ui.templates import leads as lead_texts


def register(services: Services, catalogue: TemplateCatalogue) -> None:
    """Register the management command and verbs."""
    manager = TemplateAdmin(
        catalogue,
        TemplateLeads(services.storage, services.clock),
        EventLog.of(services),
        services.clock,
        allow_leads=services.policy.access.template_leads,
        refusal=lead_texts.not_allowed(services.policy),
    )
    router = services.router
    router.command(commands.TEMPLATE_ADMIN, admin=False)(manager.guarded(manager.manage))
    router.verb(admin.MANAGE)(manager.guarded(manager.manage))
    router.verb(admin.EDIT)(manager.guarded(manager.edit))
    router.verb(admin.SAVE)(manager.guarded(manager.save))
    router.verb(admin.RETIRE)(manager.guarded(manager.retire))
    router.verb(admin.RESTORE)(manager.guarded(manager.restore))
    router.verb(lead_texts.LEAD_SAVE, admin=True)(manager.name_lead)
    router.verb(lead_texts.LEAD_REMOVE, admin=True)(manager.remove_lead)


@dataclass(frozen=True)
class TemplateAdmin:
    """The handlers (module docstring)."""

    catalogue: TemplateCatalogue
    leads: TemplateLeads
    events: EventLog
    clock: Clock
    allow_leads: bool
    refusal: str  # why the caller may not manage templates, naming the policy's division

    async def authority(self, context: TurnContext, turn: Turn) -> Authority | None:
        """What the caller may do with templates; None: nothing."""
        if turn.caller.is_admin:
            return ADMIN
        if not self.allow_leads:
            return None
        sender = context.activity.from_property
        oid = (sender.aad_object_id if sender is not None else "") or ""
        lead = await self.leads.lead_of(oid)
        if lead is None or not await confirmed_member(context, oid, turn.caller.tenant_id):
            return None  # the activity's aadObjectId alone can be forged: the roster confirms it
        return Authority(department=lead.department)

    def guarded(self, handler: Any) -> Callable[[TurnContext, Turn], Awaitable[Answer]]:
        """The handler, run only for a caller with an authority (given to it)."""

        async def run(context: TurnContext, turn: Turn) -> Answer:
            found = await self.authority(context, turn)
            if found is None:
                return await self.refuse(context, turn)
            answer: Answer = await handler(context, turn, found)
            return answer

        return run

    async def refuse(self, context: TurnContext, turn: Turn, message: str = "") -> Answer:
        """Refuse the action, say why (`message`, else who may manage templates), record the attempt."""
        turn.refuse(Outcome.NOT_ALLOWED, "not_template_manager")
        turn.details["forged_admin_action"] = turn.command
        await self.events.record(context, "admin.refused", {"action": turn.command})
        return answers.toast(message or self.refusal)

    async def show(self, context: TurnContext, found: Authority, note: str = "") -> Answer:
        """The management card as this caller may see it."""
        items = await self.catalogue.listed(include_retired=True)
        if not found.everything:
            items = [i for i in items if i.stored and found.may_manage(i.department)]
        extra = (
            lead_texts.leads_section(await self.leads.leads())
            if found.everything and self.allow_leads
            else []
        )
        usage = await self.catalogue.usage()
        card = admin.manage_card(items, usage, note, lead_of=found.department, extra=extra)
        return answers.card(card)

    async def chosen(
        self, context: TurnContext, turn: Turn, found: Authority
    ) -> tuple[str, Listed | None] | Answer:
        """(template id, its listing) of the card's template; the refusal when the caller may not
        change it: a lead may not touch a template for every 所属, another 所属's, or a policy one."""
        template_id = replies.text_field(replies.card_data(context), "template")
        listed = await self.catalogue.listed(include_retired=True)
        item = next((i for i in listed if i.template.id == template_id), None)
        if (
            item is not None
            and not found.everything
            and not (item.stored and found.may_manage(item.department))
        ):
            return await self.refuse(context, turn, lead_texts.OUTSIDE.format(department=found.department))
        return template_id, item

    async def manage(self, context: TurnContext, turn: Turn, found: Authority) -> Answer:
        """テンプレート管理 / 一覧に戻る."""
        return await self.show(context, found)

    async def edit(self, context: TurnContext, turn: Turn, found: Authority) -> Answer:
        """The editor for a new template or the chosen one."""
        picked = await self.chosen(context, turn, found)
        if isinstance(picked, Answer):
            return picked
        template_id, item = picked
        if template_id and item is None:
            return await self.show(context, found, admin.NOT_FOUND)
        card = admin.editor_card(
            item.template if item else None,
            item.department if item else "",
            fixed_department=found.department,
        )
        return answers.card(card)

    async def save(self, context: TurnContext, turn: Turn, found: Authority) -> Answer:
        """Save the editor's template (a lead's always for their 所属), or show the problem."""
        data = replies.card_data(context)
        field = replies.text_field
        picked = await self.chosen(context, turn, found)
        if isinstance(picked, Answer):
            return picked
        if not found.everything and field(data, "department") not in {"", found.department}:
            return await self.refuse(context, turn, lead_texts.OUTSIDE.format(department=found.department))
        department = field(data, "department") if found.everything else found.department
        template_id = picked[0] or new_template_id(self.clock().timestamp())
        try:
            template = build_template(template_id, **_spec(data))
        except TemplateSpecError as exc:
            turn.refuse(Outcome.REJECTED, "template_spec")
            turn.details["template_problem"] = exc.problem.value
            typed = {k: str(v) for k, v in data.items() if isinstance(v, str | int)}
            problem = admin.problem_text(exc)
            card = admin.editor_card(None, problem=problem, typed=typed, fixed_department=found.department)
            return answers.card(card)
        await self.catalogue.save(template, department, by=turn.caller.user_id)
        turn.details["template_saved"] = template.id
        if not found.everything:
            turn.details["template_lead"] = True
        return await self.show(context, found, admin.SAVED.format(title=template.title))

    async def retire(self, context: TurnContext, turn: Turn, found: Authority) -> Answer:
        """Retire the chosen template."""
        picked = await self.chosen(context, turn, found)
        if isinstance(picked, Answer):
            return picked
        template_id, item = picked
        if item is None or not await self.catalogue.retire(template_id, by=turn.caller.user_id):
            return await self.show(context, found, admin.NOT_FOUND)
        turn.details["template_retired"] = template_id
        return await self.show(context, found, admin.RETIRED.format(title=item.template.title))

    async def restore(self, context: TurnContext, turn: Turn, found: Authority) -> Answer:
        """Bring the chosen template back."""
        picked = await self.chosen(context, turn, found)
        if isinstance(picked, Answer):
            return picked
        template_id, item = picked
        if item is None or not await self.catalogue.restore(template_id, by=turn.caller.user_id):
            return await self.show(context, found, admin.NOT_FOUND)
        return await self.show(context, found, admin.RESTORED.format(title=item.template.title))

    async def name_lead(self, context: TurnContext, turn: Turn) -> Answer:
        """(admins) Name a person the lead of a 所属."""
        if not self.allow_leads:
            return answers.toast(lead_texts.LEADS_DISABLED)
        data = replies.card_data(context)
        field = replies.text_field
        try:
            lead = await self.leads.name(
                field(data, "lead"),
                field(data, "lead_department"),
                field(data, "lead_name"),
                by=turn.caller.user_id,
            )
        except LeadSpecError as exc:
            turn.refuse(Outcome.REJECTED, f"template_lead_{exc.problem}")
            return await self.show(context, ADMIN, lead_texts.LEAD_PROBLEMS[exc.problem])
        details = {"lead": lead.oid, "department": lead.department}
        await self.events.record(context, "template.lead_named", details)
        note = lead_texts.LEAD_SAVED.format(name=lead_texts.who(lead), department=lead.department)
        return await self.show(context, ADMIN, note)

    async def remove_lead(self, context: TurnContext, turn: Turn) -> Answer:
        """(admins) End a designation."""
        lead = await self.leads.remove(replies.text_field(replies.card_data(context), "lead"))
        if lead is None:
            return await self.show(context, ADMIN, lead_texts.LEAD_UNKNOWN)
        details = {"lead": lead.oid, "department": lead.department}
        await self.events.record(context, "template.lead_removed", details)
        note = lead_texts.LEAD_REMOVED.format(name=lead_texts.who(lead), department=lead.department)
        return await self.show(context, ADMIN, note)


def _spec(data: dict[str, Any]) -> dict[str, Any]:
    """The editor's values for build_template (a length that is not a number is refused there)."""
    field = replies.text_field
    try:
        length = int(str(data.get("default_length", "300")).strip() or "300")
    except ValueError:
        length = -1
    prompt, fields = data.get("prompt"), data.get("fields")
    return {
        "title": field(data, "title"),
        "description": field(data, "description"),
        "prompt": prompt if isinstance(prompt, str) else "",
        "fields": fields if isinstance(fields, str) else "",
        "default_length": length,
    }
