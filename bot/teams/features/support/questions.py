"""問い合わせ: questions posted to the support channel and answered there by the division's staff.

    問い合わせ            (personal chat) the form card: the question, attach the last exchange?
    問い合わせ 質問文      posts at once
    support.submit        the form's Action.Submit
    support.answer        admin-only Action.Execute on the channel card (answer input)
    support.thread_answer admin-only: an admin's @mention reply in the question's thread
    support.thread_note   anyone else's @mention reply there: the staff will answer
    support.refresh       the card's refresh (admins get the answer input)

A question is screened before it is stored or posted, stored as a ticket (bot.core.tickets), posted as a
new channel thread; the answer is relayed to the asker's personal chat once (compare-and-swap on
the ticket) and the channel card updated for everyone. Every step writes an audit event. An answer
from the card is answered at once (回答済み) and delivered in the background (bot.teams.background):
a failure then is told to the answering admin in their personal chat (or in the thread).
Channel questions to the bot and 担当者に確認 live in bot.teams.features.support.channel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.core import TurnContext

from bot.core.conversation import ConversationStore
from bot.core.errors import ConflictError
from bot.core.exits import Exit, ScreenedText
from bot.core.policy import Policy
from bot.core.tickets import QUESTION, Ticket, TicketStore, is_ticket_id, new_ticket_id
from bot.core.turn import Outcome, Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.background import Background
from bot.teams.channels import (
    DeliveryError,
    Outreach,
    PostedRef,
    notify_user,
    post_to_channel,
    reply_in_thread,
    update_activity,
)
from bot.teams.events import EventLog
from bot.teams.features.support import channel as support_channel
from bot.teams.features.support.common import screen_for_posting
from bot.teams.keys import ANSWER_TEXT, THREAD_ANSWER, THREAD_NOTE
from bot.teams.replies import card_activity, card_data
from bot.teams.router import match_of
from bot.teams.services import Services
from bot.ui import commands, common
from bot.ui.exits import texts as exit_texts
from bot.ui.support import texts
from bot.ui.support.cards import ANSWER, REFRESH, SUBMIT, question_card, question_form

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    """Register 問い合わせ and its card verbs (after chat: the channel answers wrap its model route)."""
    desk = SupportDesk(
        services.policy,
        TicketStore(services.storage, services.clock),
        services.outreach,
        EventLog.of(services),
        services.background,
        services.conversations,
    )
    router = services.router
    router.command(commands.ASK)(desk.ask)
    router.verb(SUBMIT)(desk.submit)
    router.verb(ANSWER, admin=True)(desk.answer_from_card)
    router.verb(THREAD_ANSWER, admin=True)(desk.answer_from_thread)
    router.verb(THREAD_NOTE)(desk.thread_note)
    router.verb(REFRESH)(desk.refresh)
    support_channel.register(services, desk.tickets)


@dataclass
class Answered:
    """What became of an admin's answer."""

    ticket: Ticket
    message: str  # what the admin is told
    changed: bool = False  # this answer was recorded (not a duplicate)
    delivered: bool = False  # and relayed to the asker
    card_updated: bool = True  # the channel card shows 回答済み for everyone


@dataclass(frozen=True)
class SupportDesk:
    """The question flow: ask, post, answer, relay."""

    policy: Policy
    tickets: TicketStore
    outreach: Outreach
    events: EventLog
    background: Background
    conversations: ConversationStore

    async def ask(self, context: TurnContext, turn: Turn) -> None:
        """問い合わせ: the form, or post the question typed after the command."""
        if not turn.caller.is_personal:
            await context.send_activity(texts.ASK_IN_PERSONAL_CHAT)
            return
        question = match_of(context).argument.strip()
        if question:
            await self._post_question(context, turn, new_ticket_id(), question, attach=False)
            return
        has_exchange = bool(await self._last_exchange(turn))
        await context.send_activity(
            card_activity(question_form(self.policy, new_ticket_id(), has_exchange=has_exchange))
        )

    async def submit(self, context: TurnContext, turn: Turn) -> Answer:
        """The form was sent (Action.Submit)."""
        data = card_data(context)
        ticket_id, question = data.get("ticket"), str(data.get("question", "")).strip()
        if not is_ticket_id(ticket_id) or not turn.caller.is_personal:
            return answers.toast(common.UNKNOWN_ACTION)
        if not question:
            return answers.toast(texts.QUESTION_EMPTY)
        await self._post_question(
            context, turn, str(ticket_id), question, attach=data.get("attach") == "true"
        )
        return answers.in_chat()

    async def answer_from_card(self, context: TurnContext, turn: Turn) -> Answer:
        """An admin answered with the card's input (Action.Execute)."""
        data = card_data(context)
        ticket_id = str(data.get("ticket", ""))[:64]
        ticket = await self.tickets.get(QUESTION, ticket_id)
        if ticket is None:
            await self.events.record(context, "support.action_refused", {"reason": "unknown_ticket"})
            turn.refuse(Outcome.REJECTED, "unknown_ticket")
            return answers.toast(texts.TICKET_NOT_FOUND)
        result = await self._answer(context, turn, ticket, str(data.get("answer", "")).strip(), via="card")
        if result.changed:  # answer the click first; relaying and the channel card go to the background
            work = self._deliver_from_card(context, result.ticket, turn.caller.user_id)
            self.background.spawn(work, "support answer delivery")
        if result.ticket.status == "answered":
            return answers.card(question_card(self.policy, result.ticket, answer_form=False))
        return answers.toast(result.message)

    async def answer_from_thread(self, context: TurnContext, turn: Turn) -> Answer:
        """An admin replied in the question's thread mentioning the bot."""
        text = str(context.turn_state.get(ANSWER_TEXT, "")).strip()
        ticket = await self.tickets.get(QUESTION, str(turn.details.get("ticket", "")))
        if ticket is None or not text:
            return answers.toast(texts.TICKET_NOT_FOUND)
        result = await self._answer(context, turn, ticket, text, via="thread")
        if result.changed:  # a message turn: already off the HTTP request, so deliver in the turn
            result = await self._deliver(context, result.ticket, "thread")
        return answers.toast(texts.THREAD_ANSWER_SENT if result.delivered else result.message)

    async def thread_note(self, context: TurnContext, turn: Turn) -> Answer:
        """Someone other than an admin mentioned the bot in a question's thread."""
        return answers.toast(texts.thread_note(self.policy))

    async def refresh(self, context: TurnContext, turn: Turn) -> Answer:
        """The card's refresh: admins see the answer input, everyone else the read-only card."""
        ticket = await self.tickets.get(QUESTION, str(card_data(context).get("ticket", "")))
        if ticket is None:
            return answers.toast(texts.TICKET_NOT_FOUND)
        refresh_ids = await self._admin_account_ids()
        card = question_card(self.policy, ticket, answer_form=turn.caller.is_admin, refresh_ids=refresh_ids)
        return answers.card(card)

    async def _post_question(
        self, context: TurnContext, turn: Turn, ticket_id: str, question: str, *, attach: bool
    ) -> None:
        if len(question) > texts.MAX_QUESTION_CHARS:
            await context.send_activity(texts.question_too_long(len(question)))
            return
        screened = screen_for_posting(self.outreach.gate, question)
        turn.details["screening"] = dict(screened.summary)
        if not screened.allowed:
            turn.refuse(Outcome.BLOCKED, "screening_block" if screened.blocked else "screening_confirm")
            await self.events.record(context, "support.question_refused", {"screening": screened.summary})
            await context.send_activity(texts.not_posted(self.policy, screened.findings))
            return
        exchange, exchange_withheld = await self._exchange_for_channel(turn) if attach else (None, False)
        try:
            ticket = await self.tickets.create(
                QUESTION,
                ticket_id,
                "posting",
                question=screened.stored,
                exchange=exchange or self.outreach.for_storage(""),
                **_asker(turn),
            )
        except ConflictError:
            await context.send_activity(texts.ALREADY_SENT)
            return
        posted = await self._post(context, ticket)
        if posted is None:
            return
        ticket = await self.tickets.update(ticket, status="open", posted=posted.to_json())
        await self.tickets.link_thread(posted.conversation_id, ticket.id)
        details = {
            "ticket": ticket.id,
            "screening": screened.summary,
            "exchange_attached": bool(exchange and exchange.text),
            "exchange_withheld": exchange_withheld,
        }
        await self.events.record(
            context,
            "support.question_posted",
            {**details, "question_chars": len(screened.text)},
        )
        notice = texts.posted(self.policy, ticket.number, screened.masked)
        if exchange_withheld:
            notice += "\n\n※ " + exit_texts.EXCHANGE_WITHHELD
        await context.send_activity(notice)

    async def _post(self, context: TurnContext, ticket: Ticket) -> PostedRef | None:
        channel = self.policy.support.channel_name
        refresh_ids = await self._admin_account_ids()
        card = question_card(self.policy, ticket, answer_form=not refresh_ids, refresh_ids=refresh_ids)
        try:
            return await post_to_channel(self.outreach, channel, self.outreach.to_channel(card))
        except DeliveryError as exc:
            await self.tickets.delete(ticket)
            await self.events.record(
                context,
                "support.question_not_posted",
                {"ticket": ticket.id, "error": type(exc).__name__},
            )
            await context.send_activity(texts.not_delivered(self.policy, channel))
            return None

    async def _answer(
        self, context: TurnContext, turn: Turn, ticket: Ticket, text: str, *, via: str
    ) -> Answered:
        if not text:
            return Answered(ticket, texts.ANSWER_EMPTY)
        screened = screen_for_posting(self.outreach.gate, text[: texts.MAX_ANSWER_CHARS])
        if screened.blocked:
            await self.events.record(
                context,
                "support.answer_refused",
                {"ticket": ticket.id, "screening": screened.summary},
            )
            return Answered(ticket, texts.ANSWER_BLOCKED)
        caller = turn.caller
        updated, changed = await self.tickets.advance(
            QUESTION, ticket.id, {"open"}, "answered",
            answer=screened.stored, answered_by=caller.user_id,
            answered_by_name=caller.display_name, answered_at=self.tickets.now(), answered_via=via,
        )  # fmt: skip
        current = updated or ticket
        if not changed:
            if current.status != "answered":
                return Answered(current, texts.TICKET_NOT_FOUND)  # not posted (yet)
            await self.events.record(context, "support.answer_duplicate", {"ticket": ticket.id, "via": via})
            return Answered(
                current, texts.already_answered(current.text("answered_by_name"), current.text("answered_at"))
            )
        return Answered(current, texts.ANSWER_SENT, changed=True)

    async def _deliver_from_card(self, context: TurnContext, ticket: Ticket, admin_id: str) -> None:
        """In the background: relay and update the card; tell the answering admin what failed."""
        result = await self._deliver(context, ticket, "card")
        if not result.delivered or not result.card_updated:
            await self._tell_answerer(ticket, admin_id, result)

    async def _tell_answerer(self, ticket: Ticket, admin_id: str, result: Answered) -> None:
        """The admin saw 回答済み at once, so a failure after it is told to them in their personal chat,
        or, when the bot cannot reach them there, in the question's thread (no reason: staff read it)."""
        text = texts.delivery_problem(ticket, result.message if not result.delivered else "")
        try:
            await notify_user(self.outreach, admin_id, self.outreach.to_person(text))
            return
        except DeliveryError as exc:
            log.warning("answering admin not told of a delivery problem: %s", type(exc).__name__)
        posted = PostedRef.from_json(ticket.text("posted"))
        if posted is None:
            return
        try:
            note = texts.delivery_problem_in_thread(ticket, relayed=result.delivered)
            await reply_in_thread(self.outreach, posted, self.outreach.to_channel(note))
        except DeliveryError as exc:
            log.error("delivery problem of an answer could not be shown anywhere: %s", type(exc).__name__)

    async def _deliver(self, context: TurnContext, ticket: Ticket, via: str) -> Answered:
        problem = await self._relay(ticket)
        card_updated = await self._update_card(ticket)
        details = {
            "ticket": ticket.id,
            "via": via,
            "relayed": problem is None,
            "card_updated": card_updated,
            "answer_chars": len(ticket.text("answer")),
        }
        await self.events.record(
            context,
            "support.answered",
            {**details, "delivery_error": type(problem).__name__ if problem else ""},
        )
        message = (
            texts.ANSWER_SENT
            if problem is None
            else texts.answer_not_delivered(texts.delivery_reason(problem))
        )
        return Answered(ticket, message, changed=True, delivered=problem is None, card_updated=card_updated)

    async def _relay(self, ticket: Ticket) -> DeliveryError | None:
        text = texts.relayed_answer(self.policy, ticket)
        try:
            await notify_user(self.outreach, ticket.text("asker_id"), self.outreach.to_person(text))
        except DeliveryError as exc:
            return exc
        return None

    async def _update_card(self, ticket: Ticket) -> bool:
        """Show 回答済み on the channel card for everyone; False when the connector refused."""
        posted = PostedRef.from_json(ticket.text("posted"))
        if posted is None:
            return True  # nothing posted to update
        try:
            card = question_card(self.policy, ticket, answer_form=False)
            await update_activity(self.outreach, posted, self.outreach.to_channel(card))
        except DeliveryError as exc:
            log.warning("question card not updated: %s", type(exc).__name__)
            return False
        return True

    async def _admin_account_ids(self) -> list[str]:
        return [a.id for a in await self.outreach.directory.accounts(self.outreach.admins) if a.id]

    async def _exchange_for_channel(self, turn: Turn) -> tuple[ScreenedText | None, bool]:
        """(the last exchange as storage may keep it, True when it was withheld).

        History is masked already, but a confirmed 部外秘 text or what the model wrote may still be
        in it: confirm-class content is never attached to a channel post."""
        exchange = await self._last_exchange(turn)
        if not exchange:
            return None, False
        if self.outreach.gate.screen(exchange, Exit.CHANNEL).withheld:
            return None, True
        return self.outreach.for_storage(exchange), False

    async def _last_exchange(self, turn: Turn) -> str:
        history = await self.conversations.history(turn.caller.conversation_id)
        last_user = max((i for i, m in enumerate(history) if m.role == "user"), default=-1)
        if last_user < 0:
            return ""
        return texts.exchange_text([(m.role, m.content) for m in history[last_user : last_user + 2]])


def _asker(turn: Turn) -> dict[str, str]:
    caller = turn.caller
    return {
        "asker_id": caller.user_id.lower(),
        "asker_name": caller.display_name,
        "asker_department": caller.department,
        "asker_account": caller.channel_account_id,
    }
