"""Screening stage: nothing personal or non-disclosable reaches the model (or storage).

block   → not sent; the user is told what was found (partly hidden), why, and what to do
confirm → held server-side (encrypted, 10 minutes) and a card asks send / edit / cancel
mask    → values replaced by 〔人名1〕-style placeholders; the table is kept per conversation
          (encrypted) so the answer can be restored and the same value keeps its placeholder
allow   → sent as typed

Attached files arrive here as typed text marked with their names (bot.core.attachments.compose):
the block message and the confirmation card name the file each finding came from (kinds, never
values), and every transcript speaker is masked even where the name detector did not see a name.

An identifier split over messages (「前半は1234 5678」 then 「残りは9018」) is blocked too: the text is
also read after the last RECENT_TURNS user messages of the conversation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import CardFactory, MessageFactory, Middleware, TurnContext

from bot.core import owned
from bot.core.attachments import name_key, section_of, sections, speakers_in, spellings
from bot.core.model.base import ChatMessage
from bot.core.screening import Action, PseudonymTable, ScreeningResult
from bot.core.screening.summary import summary
from bot.core.turn import TURN, Outcome, Turn
from bot.teams.held import HeldTexts
from bot.teams.services import Services
from bot.ui.attachments import texts as file_texts
from bot.ui.screening import texts
from bot.ui.screening.cards import confirm_card

RECENT_TURNS = 3
"""How many earlier user messages are read with this one for identifiers split over messages."""


class ScreeningMiddleware(Middleware):
    """Screens every model-bound text before the model and before anything is stored."""

    def __init__(self, services: Services, held: HeldTexts) -> None:
        self._services = services
        self._held = held

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        """Screen, then block, hold, or continue with the masked text."""
        turn: Turn | None = context.turn_state.get(TURN)
        if turn is None or turn.model is None or turn.refused:
            await logic()
            return
        model_turn = turn.model
        conversation = turn.caller.conversation_id
        model_turn.state = await self._services.conversations.load(conversation)  # read once per turn
        table, owners = owned.load(model_turn.state.pseudonyms)
        before = owned.dump(table, owners)
        result = self._services.screener.screen(model_turn.raw_text, table, confirmed=model_turn.confirmed)
        if result.action is not Action.BLOCK:
            result = self._with_recent(model_turn.state.history.messages, model_turn.raw_text, result)
        model_turn.screening = result
        turn.details["screening"] = summary(result)
        masked = mask_speakers(model_turn.raw_text, result.masked_text, table)
        if result.action is Action.BLOCK:
            turn.refuse(Outcome.BLOCKED, "screening_block")
            await context.send_activity(self._blocked(model_turn.raw_text, result))
            return
        if result.action is Action.CONFIRM:
            await self._hold(context, turn, result, masked)
            return
        model_turn.masked_text = masked
        model_turn.pseudonyms = table
        owned.claim_new(table, owners, turn.caller.user_id)
        model_turn.restore_table = owned.restorable(
            table, owners, turn.caller.user_id, personal=turn.caller.is_personal
        )
        if owned.dump(table, owners) != before:
            await self._services.conversations.save_pseudonyms(conversation, owned.dump(table, owners))
        await logic()

    def _blocked(self, raw_text: str, result: ScreeningResult) -> str:
        found = sections(raw_text)
        if not found:
            return texts.blocked(self._services.policy, result.findings)
        by_file: dict[str, dict[str, int]] = {}
        for f in result.with_action(Action.BLOCK):
            kinds = by_file.setdefault(section_of(found, f.start), {})
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        return file_texts.blocked(self._services.policy, by_file)

    def _with_recent(self, history: list[ChatMessage], text: str, result: ScreeningResult) -> ScreeningResult:
        """Blocked after all when an identifier is only whole with the previous user messages (the
        history read with the pseudonyms; only looked at when this text has digits)."""
        if not any(c.isdigit() for c in text):
            return result
        previous = [m.content for m in history if m.role == "user"][-RECENT_TURNS:]
        late = self._services.screener.screen_recent(
            previous, text, text_blocked=result.with_action(Action.BLOCK)
        )
        if not late:
            return result
        return ScreeningResult(
            action=Action.BLOCK, findings=result.findings + late, masked_text=result.masked_text
        )

    async def _hold(self, context: TurnContext, turn: Turn, result: ScreeningResult, masked: str) -> None:
        assert turn.model is not None
        turn.refuse(Outcome.HELD, "screening_confirm")
        held_id = await self._held.put(turn.caller.conversation_id, turn.caller.user_id, turn.model.raw_text)
        reasons = texts.confirm_reasons(self._services.policy, result.findings)
        found = sections(turn.model.raw_text)
        names = {section_of(found, f.start) for f in result.with_action(Action.CONFIRM)} - {""}
        if names:
            reasons.insert(0, file_texts.confirm_subject(sorted(names)))
        card = confirm_card(self._services.policy, reasons, held_id, masked)
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))


def mask_speakers(raw_text: str, masked_text: str, table: PseudonymTable) -> str:
    """`masked_text` with every transcript speaker of `raw_text` replaced by their placeholder
    (the same one the name detector gives that name), wherever screening left the name."""
    for speaker in sorted(speakers_in(raw_text), key=len, reverse=True):
        for spelling in spellings(speaker):
            if len(spelling) >= 2 and spelling in masked_text:  # one character would hit everything
                placeholder = table.placeholder("person_name", name_key(speaker), speaker)
                masked_text = masked_text.replace(spelling, placeholder)
    return masked_text
