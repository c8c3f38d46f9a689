"""報告: incident reports (Iwaki §5 — report problems at once to the head of section and the division).

    報告              (personal chat) the form card: what happened, when, description, head of section
    incident.submit   the form (Action.Execute): screened, stored; the receipt replaces the form at
                      once, and the report is posted to the admin channel with the head of section
                      mentioned in the background (a failure is told to the reporter and the admins)
    incident.ack      admin-only: acknowledged (reporter notified, card updated for everyone)
    incident.resolve  admin-only: resolved, with an optional note

Connector calls run after the click is answered (bot.teams.background): Teams gives up on an
invoke after 10–15 s and the card should change in about two.

Status lives in the `support` table (bot.core.tickets) and changes by compare-and-swap, so a second
click changes nothing and notifies no one. Every step writes an audit event (no text in it).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount

from bot.core.clock import Clock
from bot.core.errors import ConflictError
from bot.core.policy import Policy
from bot.core.ratelimit import RateLimit
from bot.core.tickets import INCIDENT, Ticket, TicketStore, is_ticket_id, new_ticket_id
from bot.core.turn import Outcome, Turn
from bot.teams import answers
from bot.teams.admin_alerts import tell_admins
from bot.teams.answers import Answer
from bot.teams.background import Background
from bot.teams.channels import (
    DeliveryError,
    Outreach,
    PostedRef,
    lookup_member,
    notify_user,
    post_to_channel,
    update_activity,
)
from bot.teams.events import EventLog
from bot.teams.features.support.common import Screened, screen_for_posting
from bot.teams.replies import card_activity, card_data
from bot.teams.services import Services
from bot.ui import commands, common
from bot.ui.exits import texts as exit_texts
from bot.ui.incidents import texts
from bot.ui.incidents.cards import ACK, RESOLVE, SUBMIT, incident_card, incident_form, receipt_card
from bot.ui.support import texts as support_texts
from bot.ui.support.texts import JST

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)
_MEMBER_ID = re.compile(r"^[0-9A-Za-z@._:\-]{1,128}$")


def register(services: Services) -> None:
    """Register 報告 and its card verbs."""
    desk = IncidentDesk(
        services.policy,
        TicketStore(services.storage, services.clock),
        RateLimit(
            services.storage, services.clock, kind="incident", limit=texts.REPORTS_PER_HOUR, window=HOUR
        ),
        services.outreach,
        EventLog.of(services),
        services.background,
        services.clock,
    )
    router = services.router
    router.command(commands.REPORT)(desk.report)
    router.verb(SUBMIT)(desk.submit)
    router.verb(ACK, admin=True)(desk.acknowledge)
    router.verb(RESOLVE, admin=True)(desk.resolve)


@dataclass(frozen=True)
class IncidentForm:
    """A validated form (the description not yet screened)."""

    category: str
    occurred: str  # "YYYY-MM-DD HH:MM" (JST, as the reporter entered it)
    description: str
    head_id: str


def parse_form(data: dict[str, Any]) -> tuple[IncidentForm | None, str]:
    """The form's values, or the first problem to show the reporter."""
    category = str(data.get("category", ""))
    day, hour = str(data.get("date", "")), str(data.get("time", ""))
    description, head = str(data.get("description", "")).strip(), str(data.get("head", "")).strip()
    problem = (
        (category not in texts.CATEGORIES and texts.CATEGORY_MISSING)
        or (not _valid(date.fromisoformat, day) and texts.DATE_INVALID)
        or (not _valid(time.fromisoformat, hour) and texts.TIME_INVALID)
        or (not description and texts.DESCRIPTION_MISSING)
        or (len(description) > texts.MAX_DESCRIPTION_CHARS and texts.description_too_long(len(description)))
        or (not _MEMBER_ID.match(head) and texts.HEAD_MISSING)
    )
    if problem:
        return None, str(problem)
    return IncidentForm(category, f"{day} {hour[:5]}", description, head), ""


def _valid(parse: Any, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return bool(value)


@dataclass(frozen=True)
class IncidentDesk:
    """The incident flow: form, report, acknowledge, resolve."""

    policy: Policy
    tickets: TicketStore
    rate: RateLimit
    outreach: Outreach
    events: EventLog
    background: Background
    clock: Clock

    async def report(self, context: TurnContext, turn: Turn) -> None:
        """報告: the form (personal chat only: the details must not go to a channel first)."""
        if not turn.caller.is_personal:
            await context.send_activity(texts.REPORT_IN_PERSONAL_CHAT)
            return
        await context.send_activity(card_activity(self._form(new_ticket_id())))

    async def submit(self, context: TurnContext, turn: Turn) -> Answer:
        """The form was sent: validate, screen, store, post, notify; the receipt replaces the form."""
        data = card_data(context)
        incident_id = str(data.get("incident", ""))
        if not turn.caller.is_personal or not is_ticket_id(incident_id):
            return answers.toast(common.UNKNOWN_ACTION)
        form, problem = parse_form(data)
        if form is None:
            return self._show_form(incident_id, data, problem)
        screened = screen_for_posting(self.outreach.gate, form.description)
        turn.details["screening"] = dict(screened.summary)
        if not screened.allowed:
            turn.refuse(Outcome.BLOCKED, "screening_block" if screened.blocked else "screening_confirm")
            await self.events.record(
                context,
                "incident.refused",
                {"incident": incident_id, "screening": screened.summary},
            )
            message = support_texts.not_posted(self.policy, screened.findings, what=texts.REPORT_NOUN)
            return self._show_form(incident_id, data, message)
        in_team, head = await self._head_in_team(form.head_id)
        if not in_team:
            await self.events.record(context, "incident.head_not_found", {"incident": incident_id})
            return self._show_form(incident_id, data, texts.HEAD_NOT_IN_TEAM)
        if await self.tickets.get(INCIDENT, incident_id) is None and not await self.rate.take(
            turn.caller.user_id
        ):
            turn.refuse(Outcome.REJECTED, "rate_limited")
            await self.events.record(context, "incident.rate_limited", {"incident": incident_id})
            return answers.toast(texts.too_many_reports(self.policy.municipality.contact))
        return await self._file(
            context, turn, incident_id=incident_id, form=form, screened=screened, head=head
        )

    async def _head_in_team(self, head_id: str) -> tuple[bool, ChannelAccount | None]:
        """(the head of section is on the roster of the team holding the admin channel, the member).

        The one connector call left in the click: the form comes back at once when the head was not
        found. When that channel is not known yet the roster cannot be asked; the report then
        cannot be posted either, and the reporter and the admins are told (see _post)."""
        channel = self.policy.support.admin_channel_name
        if await self.outreach.directory.target(channel) is None:
            return True, None
        member = await lookup_member(self.outreach, channel, head_id)
        return member is not None, member

    async def acknowledge(self, context: TurnContext, turn: Turn) -> Answer:
        """An admin acknowledged the report."""
        return await self._advance(context, turn, {"reported"}, "acknowledged", note="")

    async def resolve(self, context: TurnContext, turn: Turn) -> Answer:
        """An admin resolved the report (optional note, screened)."""
        note = str(card_data(context).get("note", "")).strip()[:500]
        screened = screen_for_posting(self.outreach.gate, note) if note else None
        if screened is not None and screened.blocked:
            return answers.toast(texts.NOTE_BLOCKED)
        return await self._advance(context, turn, {"reported", "acknowledged"}, "resolved", note=note)

    async def _file(
        self,
        context: TurnContext,
        turn: Turn,
        *,
        incident_id: str,
        form: IncidentForm,
        screened: Screened,
        head: ChannelAccount | None,
    ) -> Answer:
        head_mention_id, head_name = await self._head(form.head_id, head)
        try:
            ticket = await self.tickets.create(
                INCIDENT, incident_id, "reported", category=form.category, occurred=form.occurred,
                description=screened.stored, head_id=form.head_id.lower(), head_name=head_name,
                head_mention_id=head_mention_id, **_reporter(turn),
            )  # fmt: skip
        except ConflictError:
            existing = await self.tickets.get(INCIDENT, incident_id)
            assert existing is not None
            return answers.card(receipt_card(self.policy, existing))
        details = {"incident": ticket.id, "category": form.category, "screening": screened.summary}
        self.background.spawn(self._deliver(context, ticket, details), "incident report delivery")
        return answers.card(receipt_card(self.policy, ticket))

    async def _deliver(self, context: TurnContext, ticket: Ticket, details: dict[str, Any]) -> None:
        """In the background: post to the admin channel, copy the head of section, record it."""
        posted = await self._post(context, ticket)
        if posted is None:
            return
        ticket = await self.tickets.update(ticket, posted=posted.to_json())
        head_notified = await self._notify(ticket.text("head_id"), texts.head_copy(self.policy, ticket))
        await self.events.record(context, "incident.reported", {**details, "head_notified": head_notified})

    async def _post(self, context: TurnContext, ticket: Ticket) -> PostedRef | None:
        """The admin channel thread; on failure the report is withdrawn and reporter and admins told."""
        channel = self.policy.support.admin_channel_name
        try:
            card = self.outreach.to_channel(incident_card(self.policy, ticket))
            return await post_to_channel(self.outreach, channel, card)
        except DeliveryError as exc:
            await self.tickets.delete(ticket)
            await self.events.record(
                context,
                "incident.not_posted",
                {"incident": ticket.id, "error": type(exc).__name__},
            )
            await tell_admins(
                self.outreach, exit_texts.admin_channel_missing(self.policy, texts.INCIDENT_NOUN)
            )
            if not await self._notify(ticket.text("asker_id"), texts.not_posted(self.policy, ticket)):
                log.error("reporter not told that the report was not posted")
            return None

    async def _advance(
        self, context: TurnContext, turn: Turn, allowed: set[str], to: str, *, note: str
    ) -> Answer:
        incident_id = str(card_data(context).get("incident", ""))
        caller = turn.caller
        changes = {
            f"{to}_by": caller.user_id,
            f"{to}_by_name": caller.display_name,
            f"{to}_at": self.tickets.now(),
        }
        stored_note = {"note": self.outreach.for_storage(note)} if note else {}
        updated, changed = await self.tickets.advance(
            INCIDENT, incident_id, allowed, to, **changes, **stored_note
        )
        if updated is None:
            await self.events.record(context, "incident.action_refused", {"reason": "unknown_incident"})
            turn.refuse(Outcome.REJECTED, "unknown_incident")
            return answers.toast(texts.INCIDENT_NOT_FOUND)
        if not changed:
            await self.events.record(context, "incident.duplicate", {"incident": incident_id, "status": to})
            return answers.toast(texts.already(updated))
        details = {"incident": incident_id, "status": to, "note_chars": len(note)}
        work = self._announce(context, updated, details, admin_id=caller.user_id)
        self.background.spawn(work, f"incident {to} notice")  # answer the click first
        return answers.card(incident_card(self.policy, updated))

    async def _announce(
        self, context: TurnContext, ticket: Ticket, details: dict[str, Any], *, admin_id: str
    ) -> None:
        """In the background: the card for everyone, the reporter's notice; failures told to the admin."""
        card_updated = await self._update_card(ticket)
        notified = await self._notify(ticket.text("asker_id"), texts.status_notice(self.policy, ticket))
        details = {**details, "reporter_notified": notified, "card_updated": card_updated}
        await self.events.record(context, f"incident.{ticket.status}", details)
        if not notified or not card_updated:
            problem = texts.status_not_delivered(ticket, reporter_notified=notified)
            if not await self._notify(admin_id, problem):
                log.error("admin not told that an incident notice was not delivered")

    async def _update_card(self, ticket: Ticket) -> bool:
        posted = PostedRef.from_json(ticket.text("posted"))
        if posted is None:
            return True
        try:
            card = self.outreach.to_channel(incident_card(self.policy, ticket))
            await update_activity(self.outreach, posted, card)
        except DeliveryError as exc:
            log.warning("incident card not updated: %s", type(exc).__name__)
            return False
        return True

    async def _notify(self, user_id: str, text: str) -> bool:
        try:
            await notify_user(self.outreach, user_id, self.outreach.to_person(text))
        except DeliveryError as exc:
            log.info("incident notice not delivered: %s", type(exc).__name__)
            return False
        return True

    async def _head(self, head_id: str, member: ChannelAccount | None) -> tuple[str, str]:
        """(id to mention, display name) of the chosen head of section (found on the roster or not)."""
        if member is not None and member.id:
            return member.id, member.name or texts.HEAD_FALLBACK_NAME
        account = await self.outreach.directory.account(head_id)
        if account is not None:
            return account.id, account.name or texts.HEAD_FALLBACK_NAME
        return head_id, texts.HEAD_FALLBACK_NAME

    def _form(
        self, incident_id: str, values: dict[str, str] | None = None, error: str = ""
    ) -> dict[str, Any]:
        today = f"{self.clock().astimezone(JST):%Y-%m-%d}"
        return incident_form(self.policy, incident_id, today=today, values=values, error=error)

    def _show_form(self, incident_id: str, data: dict[str, Any], error: str) -> Answer:
        kept = {k: str(data.get(k, "")) for k in ("category", "date", "time")}  # never the description
        return answers.card(self._form(incident_id, kept, error))


def _reporter(turn: Turn) -> dict[str, str]:
    caller = turn.caller
    return {
        "asker_id": caller.user_id.lower(),
        "asker_name": caller.display_name,
        "asker_department": caller.department,
    }
