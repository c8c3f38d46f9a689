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

from botbuilder.core import CardFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, Mention

from bot.core.tickets import TicketStore, thread_key
from bot.core.turn import Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.channels import DeliveryError, PostedRef, directory_of, notify_user, reply_in_thread
from bot.teams.events import record_event
from bot.teams.exits import to_channel, to_person
from bot.teams.features.chat import answer_turn
from bot.teams.features.support.common import admin_ids
from bot.teams.services import Services
from bot.ui.support import texts
from bot.ui.support.cards import ESCALATE, escalate_card, escalated_card

log = logging.getLogger(__name__)


def register(services: Services, tickets: TicketStore) -> None:
    """Answer model-bound posts in the support channel from the guideline; register 担当者に確認."""
    router = services.router

    async def in_channel(turn: Turn) -> bool:
        return await in_support_channel(services, turn)

    @router.model(in_channel)
    async def answer(context: TurnContext, turn: Turn) -> None:
        await answer_in_channel(services, context, turn)

    @router.verb(ESCALATE)
    async def escalate(context: TurnContext, turn: Turn) -> Answer:
        return await escalate_thread(services, tickets, context, turn)


async def in_support_channel(services: Services, turn: Turn) -> bool:
    """True for a post in the policy's support channel (as discovered in the team)."""
    caller = turn.caller
    if caller.conversation_type != "channel" or not caller.channel_id:
        return False
    target = await directory_of(services).target(services.policy.support.channel_name)
    return target is not None and target.channel_id == caller.channel_id


async def answer_in_channel(services: Services, context: TurnContext, turn: Turn) -> None:
    """Answer from the guideline and FAQ: the one answer path, threaded, with the 担当者に確認 card."""
    await answer_turn(
        services,
        context,
        turn,
        extra_system=texts.channel_prompt(services.policy),
        attachments=[CardFactory.adaptive_card(escalate_card(services.policy))],
    )


async def escalate_thread(
    services: Services, tickets: TicketStore, context: TurnContext, turn: Turn
) -> Answer:
    """担当者に確認: mention the administrators in this thread (once per thread)."""
    thread = turn.caller.conversation_id
    if turn.caller.conversation_type != "channel" or ";messageid=" not in thread:
        return answers.toast(texts.ESCALATE_NOT_HERE)
    if not await tickets.escalate_once(thread, by=turn.caller.user_id):
        await record_event(context, services, "support.escalation_duplicate", {"thread": thread_key(thread)})
        return answers.toast(texts.ALREADY_ESCALATED)
    admins = await directory_of(services).accounts(admin_ids(services))
    bot = context.activity.recipient
    root = thread.split(";messageid=", 1)[1]
    posted = PostedRef(context.activity.service_url or "", thread, root, bot.id if bot else "")
    work = _post_escalation(services, context, posted, admins, clicked_by=turn.caller.user_id)
    services.background.spawn(work, "担当者に確認 thread reply")  # answer the click first
    return answers.card(escalated_card(turn.caller.display_name or "職員"))


async def _post_escalation(
    services: Services,
    context: TurnContext,
    posted: PostedRef,
    admins: list[ChannelAccount],
    *,
    clicked_by: str,
) -> None:
    """In the background: the thread reply mentioning the admins; a failure told to the clicker."""
    details = {"thread": thread_key(posted.conversation_id), "admins_mentioned": len(admins)}
    try:
        await reply_in_thread(services, posted, to_channel(services, escalation_activity(services, admins)))
    except DeliveryError as exc:
        await record_event(
            context, services, "support.escalation_not_posted", {**details, "error": type(exc).__name__}
        )
        try:
            await notify_user(
                services, clicked_by, to_person(services, texts.escalation_not_posted(services.policy))
            )
        except DeliveryError as again:
            log.error("clicker not told that 担当者に確認 was not posted: %s", type(again).__name__)
        return
    await record_event(context, services, "support.escalated", details)


def escalation_activity(services: Services, admins: list[ChannelAccount]) -> Activity:
    """The thread reply mentioning each known administrator (or naming the division)."""
    mentions = [
        Mention(mentioned=ChannelAccount(id=a.id, name=_name(a)), text=f"<at>{_name(a)}</at>", type="mention")
        for a in admins
    ]
    lead = " ".join(m.text for m in mentions)
    body = texts.escalation(services.policy, names_known=bool(mentions))
    return Activity(type=ActivityTypes.message, text=f"{lead} {body}".strip(), entities=list(mentions))


def _name(account: ChannelAccount) -> str:
    return account.name or "担当者"
