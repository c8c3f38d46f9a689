"""Thumbs up / down on answers (the Teams feedback loop), recorded with the exchange.

The final answer carries `channelData.feedbackLoop = {"type": "default"}`; a vote arrives as the invoke
`message/submitAction` with `value.actionValue = {reaction: like|dislike, feedback: "<JSON>"}` and
`replyToId` = the answer's activity id. The free-text comment is screened like any input: masked
text is kept, anything screening would block or hold is not kept at all. Answered with HTTP 200.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext

from bot.core.screening import Screener
from bot.core.screening.model import Action
from bot.core.turn import Outcome, Turn
from bot.teams import answers
from bot.teams.answers import Answer
from bot.teams.events import EventLog
from bot.teams.services import Services
from bot.ui import common as common_texts

REACTIONS = frozenset({"like", "dislike"})
MAX_COMMENT_CHARS = 500
MAX_ID_CHARS = 200
WITHHELD = common_texts.NOT_RECORDED


def register(services: Services) -> None:
    """Register the feedback invoke."""
    votes = Votes(services.screener, EventLog.of(services))
    services.router.invoke("message/submitAction")(votes.vote)


@dataclass(frozen=True)
class Votes:
    """Records votes: needs the screener (for the comment) and the event log, nothing else."""

    screener: Screener
    events: EventLog

    async def vote(self, context: TurnContext, turn: Turn) -> Answer:
        """A thumbs up / down with its optional comment: recorded, answered 200 (400 when malformed)."""
        value = context.activity.value
        raw = value.get("actionValue") if isinstance(value, dict) else None
        action: dict[str, Any] = raw if isinstance(raw, dict) else {}
        reaction = action.get("reaction")
        if reaction not in REACTIONS:
            turn.refuse(Outcome.REJECTED, "feedback_invalid")
            return answers.plain(status=400)
        typed = _comment(action.get("feedback"))
        comment, screening = _screened_comment(self.screener, typed)
        details = {
            "reaction": reaction,
            "replied_to": (context.activity.reply_to_id or "")[:MAX_ID_CHARS],  # an id, sent by the client
            "comment_chars": len(typed),
            "comment_screening": screening,
        }
        turn.details["feedback"] = reaction
        await self.events.record(context, "feedback", details, feedback=comment)
        return answers.plain()


def _comment(raw: Any) -> str:
    """The free text of the feedback form (`feedbackText` inside a JSON string)."""
    if not isinstance(raw, str) or not raw:
        return ""
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError:
        return ""
    text = parsed.get("feedbackText") if isinstance(parsed, dict) else None
    return text.strip()[:MAX_COMMENT_CHARS] if isinstance(text, str) else ""


def _screened_comment(screener: Screener, comment: str) -> tuple[str, str]:
    """(what may be stored, screening action): masked text, or nothing when it would be blocked or held."""
    if not comment:
        return "", ""
    result = screener.screen(comment)
    if result.action in (Action.BLOCK, Action.CONFIRM):
        return WITHHELD, result.action.value
    return str(result.masked_text), result.action.value
