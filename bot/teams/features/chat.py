"""Chatting with the model: the answer (streamed in personal chats), 新しい会話 and ヘルプ.

The answer path is the one the support channel uses too (bot.teams.features.support.channel): begin
the record → the messages → stream (personal chat) or one message → remember → the final answer.
It takes `Answers`, what it uses of the running bot, built by `answers_of(services)`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.core.audit import recorder_of
from bot.core.dialog import Dialog
from bot.core.errors import StorageError
from bot.core.knowledge import cited
from bot.core.model.base import ChatModel, ModelError
from bot.core.policy import Policy
from bot.core.quota import QuotaService, Reservation, coaching_tip
from bot.core.screening import masked_summary
from bot.core.turn import ModelTurn, Outcome, Turn
from bot.teams.entities import AIGeneratedMessage, feedback_channel_data
from bot.teams.services import Services
from bot.teams.streaming import STREAMER, OneShotSink, TeamsStreamer, open_stream
from bot.ui import commands
from bot.ui import common as texts
from bot.ui.knowledge import texts as knowledge_texts
from bot.ui.quota import texts as quota_texts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answers:
    """What the one answer path uses of the running bot (chat's answers and the support channel's)."""

    policy: Policy
    model: ChatModel
    dialog: Dialog  # messages, the streamed answer, remembering the exchange
    quota: QuotaService  # the concise-prompt tip


def answers_of(services: Services) -> Answers:
    """The answer path's collaborators in the running bot."""
    return Answers(services.policy, services.model, services.dialog, services.quota)


def register(services: Services) -> None:
    """Register the chat routes (each takes what it uses: the answer path, the conversations, the policy)."""
    router, conversations, policy = services.router, services.conversations, services.policy
    answers = answers_of(services)

    @router.model()
    async def answer(context: TurnContext, turn: Turn) -> None:
        await answer_turn(answers, context, turn)

    @router.command(commands.NEW_CONVERSATION)
    async def reset(context: TurnContext, turn: Turn) -> None:
        await conversations.reset(turn.caller.conversation_id)
        await context.send_activity(texts.RESET_DONE)

    @router.command(commands.HELP)
    async def help_(context: TurnContext, turn: Turn) -> None:
        await context.send_activity(texts.help_text(policy, is_admin=turn.caller.is_admin))


async def answer_turn(
    answers: Answers,
    context: TurnContext,
    turn: Turn,
    *,
    extra_system: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
) -> None:
    """The one answer path (personal chat, group chat and channel alike): begin the record, build the
    messages, stream (personal chat) or send one message, remember the exchange, show the final
    answer with the AI label, the guideline's reminder and any `attachments` (the channel's card)."""
    model_turn = turn.model
    assert model_turn is not None
    model_turn.model_name, model_turn.deployment = answers.model.name, answers.model.deployment
    streamer: TeamsStreamer | None = context.turn_state.get(STREAMER) if turn.caller.is_personal else None
    if streamer is None and turn.caller.is_personal:
        streamer = await open_stream(context, texts.INFORMATIVE_THINKING, texts.CARD_FOLLOWS)
    recorder = recorder_of(context.turn_state)
    try:
        if recorder is not None:
            await recorder.begin()
        messages = await answers.dialog.messages_for(
            turn.caller.conversation_id, model_turn.masked_text, extra_system=extra_system, turn=model_turn
        )
    except StorageError:
        turn.refuse(Outcome.FAILED, "storage")
        await context.send_activity(texts.storage_unavailable(answers.policy))
        return
    sink = streamer or OneShotSink()
    try:
        shown = await answers.dialog.answer(model_turn, messages, sink)
    except ModelError as exc:
        turn.outcome, turn.error = Outcome.FAILED, exc.kind.value
        model_turn.completed = False
        await context.send_activity(texts.model_error(exc.kind, answers.policy))
        return
    turn.outcome = Outcome.STOPPED if sink.stopped else Outcome.ANSWERED
    record_sources(turn, model_turn)
    if turn.caller.is_personal:
        await _coach(answers, turn, model_turn)  # a tip for one person, not for a channel thread
    await answers.dialog.remember(
        turn.caller.conversation_id, model_turn, messages
    )  # before the user can reply
    await _send_final(answers.policy, context, turn, shown, streamer, attachments=attachments)


async def _coach(answers: Answers, turn: Turn, model_turn: ModelTurn) -> None:
    """The concise-prompt tip (Iwaki's advice), at most once a day per user; never fails the answer."""
    tip = await coaching_tip(
        answers.quota,
        turn.caller.user_id,
        model_turn.masked_text,
        model_turn.answer_chars,
        answers.policy.quota,
    )
    if tip:
        model_turn.footer_extra.append(texts.tip_line(tip))


async def _send_final(
    policy: Policy,
    context: TurnContext,
    turn: Turn,
    shown: str,
    streamer: TeamsStreamer | None,
    *,
    attachments: Sequence[Attachment],
) -> None:
    model_turn = turn.model
    assert model_turn is not None
    if streamer is not None and streamer.stopped:
        # the user pressed Stop: what was streamed stays on screen; a short note, not the answer again
        await context.send_activity(texts.STOPPED_MESSAGE)
        return
    text = with_references(shown or texts.EMPTY_ANSWER, model_turn)
    if model_turn.truncated:
        text += "\n\n" + texts.TRUNCATED_NOTE
    footer = footer_lines(policy, model_turn)
    activity = Activity(
        type=ActivityTypes.message,
        text=text + "\n\n---\n" + "\n\n".join(footer),
        text_format="markdown",
        entities=[AIGeneratedMessage()],
        attachments=list(attachments) or None,
        channel_data=feedback_channel_data(),
    )
    if streamer is not None:
        await streamer.final(activity)
    else:
        await context.send_activity(activity)


def record_sources(turn: Turn, model_turn: ModelTurn) -> None:
    """What the record keeps of the knowledge used: the passages given and cited (ids, not text)."""
    if model_turn.sources:
        used = {s.number for s in cited(model_turn.answer_text, model_turn.sources)}
        turn.details["knowledge"] = [
            {"doc": s.doc_id, "label": s.label, "cited": s.number in used} for s in model_turn.sources
        ]


def with_references(text: str, model_turn: ModelTurn) -> str:
    """The answer followed by 「参考：『文書名』第N条…」 for each source it used (none: unchanged)."""
    line = knowledge_texts.references(cited(model_turn.answer_text, model_turn.sources))
    return f"{text}\n\n{line}" if line else text


def footer_lines(policy: Policy, model_turn: ModelTurn) -> list[str]:
    """The small print under every answer: reminder, what was masked, usage."""
    lines = [f"※ {policy.reminders.footer}"]
    screening = model_turn.screening
    if screening is not None and model_turn.masked_text != model_turn.raw_text:
        note = masked_summary(screening.masked_counts())  # what THIS message hid, not the conversation
        if note:
            lines.append(f"※ {note}")
    reservation = model_turn.reservation
    if isinstance(reservation, Reservation):
        lines.append(quota_texts.footer(reservation, model_turn.input_chars + model_turn.answer_chars))
        if model_turn.passage_chars and model_turn.input_chars >= model_turn.passage_chars:
            lines.append(knowledge_texts.passages_counted(model_turn.passage_chars))
    lines.extend(model_turn.footer_extra)
    return lines
