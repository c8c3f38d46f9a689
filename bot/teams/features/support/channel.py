"""The support channel's questions to the bot, and 担当者に確認.

A post in the support channel that @mentions the bot is a ModelTurn with source "channel", so it
has already been screened and its quota reserved by the pipeline. Here it is answered from the
guideline summary and the FAQ (extra system prompt lines through `Dialog.messages_for`), as one
normal threaded reply (channels cannot stream), with the AI-generated label and a "担当者に確認"
button. The button (Action.Execute, anyone) mentions the administrators in the thread, once per
thread: the 29: ids seen in the references, or the division's name when none is known. The click
is answered at once; the thread reply is posted in the background (a failure is told to the person
who clicked, in their personal chat).

Posts in other channels and group chats keep the ordinary chat answer (the router's default
model route, registered by chat).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from botbuilder.core import CardFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, Mention

from bot.core.policy import Policy
from bot.core.tickets import TicketStore, thread_key
from bot.core.turn import Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.background import Background
from bot.teams.channels import DeliveryError, Outreach, PostedRef, notify_user, reply_in_thread
from bot.teams.events import EventLog
from bot.teams.features.chat import Answers, answer_turn, answers_of
from bot.teams.services import Services
from bot.ui.support import texts
from bot.ui.support.cards import ESCALATE, escalate_card, escalated_card

log = logging.getLogger(__name__)


def register(services: Services, tickets: TicketStore) -> None:
    """Answer model-bound posts in the support channel from the guideline; register 担当者に確認."""
    desk = SupportChannel(
        services.policy,
        tickets,
        services.outreach,
        EventLog.of(services),
        services.background,
        answers_of(services),  # chat's answer path and its collaborators: one path for both
    )
    services.router.model(desk.in_channel)(desk.answer)
    services.router.verb(ESCALATE)(desk.escalate)


@dataclass(frozen=True)
class SupportChannel:
    """The support channel: the bot's answers there and 担当者に確認."""

    policy: Policy
    tickets: TicketStore
    outreach: Outreach
    events: EventLog
    background: Background
    answers: Answers  # the one answer path's collaborators (bot.teams.features.chat)

    async def in_channel(self, turn: Turn) -> bool:
        """True for a post in the policy's support channel (as discovered in the team)."""
        caller = turn.caller
        if caller.conversation_type != "channel" or not caller.channel_id:
            return False
        target = await self.outreach.directory.target(self.policy.support.channel_name)
        return target is not None and target.channel_id == caller.channel_id

    async def answer(self, context: TurnContext, turn: Turn) -> None:
        """Answer from the guideline and FAQ: the one answer path, threaded, with the 担当者に確認 card."""
        await answer_turn(
            self.answers,
            context,
            turn,
            extra_system=texts.channel_prompt(self.policy),
            attachments=[CardFactory.adaptive_card(escalate_card(self.policy))],
        )

    async def escalate(self, context: TurnContext, turn: Turn) -> Answer:
        """担当者に確認: mention the administrators in this thread (once per thread)."""
        thread = turn.caller.conversation_id
        if turn.caller.conversation_type != "channel" or ";messageid=" not in thread:
            return answers.toast(texts.ESCALATE_NOT_HERE)
        if not await self.tickets.escalate_once(thread, by=turn.caller.user_id):
            await self.events.record(context, "support.escalation_duplicate", {"thread": thread_key(thread)})
            return answers.toast(texts.ALREADY_ESCALATED)
        admins = await self.outreach.directory.accounts(self.outreach.admins)
        bot = context.activity.recipient
        root = thread.split(";messageid=", 1)[1]
        posted = PostedRef(context.activity.service_url or "", thread, root, bot.id if bot else "")
        work = self._post_escalation(context, posted, admins, clicked_by=turn.caller.user_id)
        self.background.spawn(work, "escalation thread reply")  # answer the click first
        return answers.card(escalated_card(turn.caller.display_name or texts.SOMEONE))

    async def _post_escalation(
        self, context: TurnContext, posted: PostedRef, admins: Sequence[ChannelAccount], *, clicked_by: str
    ) -> None:
        """In the background: the thread reply mentioning the admins; a failure told to the clicker."""
        details = {"thread": thread_key(posted.conversation_id), "admins_mentioned": len(admins)}
        try:
            reply = escalation_activity(self.policy, admins)
            await reply_in_thread(self.outreach, posted, self.outreach.to_channel(reply))
        except DeliveryError as exc:
            await self.events.record(
                context, "support.escalation_not_posted", {**details, "error": type(exc).__name__}
            )
            try:
                notice = self.outreach.to_person(texts.escalation_not_posted(self.policy))
                await notify_user(self.outreach, clicked_by, notice)
            except DeliveryError as again:
                log.error("clicker not told that the escalation was not posted: %s", type(again).__name__)
            return
        await self.events.record(context, "support.escalated", details)


def escalation_activity(policy: Policy, admins: Sequence[ChannelAccount]) -> Activity:
    """The thread reply mentioning each known administrator (or naming the division)."""
    mentions = [
        Mention(mentioned=ChannelAccount(id=a.id, name=_name(a)), text=f"<at>{_name(a)}</at>", type="mention")
        for a in admins
    ]
    lead = " ".join(m.text for m in mentions)
    body = texts.escalation(policy, names_known=bool(mentions))
    return Activity(type=ActivityTypes.message, text=f"{lead} {body}".strip(), entities=list(mentions))


def _name(account: ChannelAccount) -> str:
    return account.name or texts.ADMIN_UNNAMED
