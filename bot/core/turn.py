"""Data that rides on one turn (`turn_context.turn_state[TURN]`), filled in by each pipeline stage.

No botbuilder import here: the Teams layer builds a `Turn` from the activity, the middlewares and
the dialog fill in their parts, and the audit stage records it. Reading this dataclass tells you
everything a turn can carry.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.core.conversation import ConversationState
    from bot.core.quota import Reservation
    from bot.core.screening import PseudonymTable, ScreeningResult

TURN = "municipal_bot.turn"
"""The turn_state key under which the `Turn` lives."""


class Outcome(StrEnum):
    """How a turn ended, as recorded."""

    ANSWERED = "answered"
    COMMAND = "command"
    BLOCKED = "blocked"  # screening blocked the text
    HELD = "held"  # screening asked the user to confirm; text held server-side
    CANCELLED = "cancelled"  # the user cancelled a held text
    OVER_QUOTA = "over_quota"
    RATE_LIMITED = "rate_limited"  # the user's pace (turns a minute, turns at once) was exceeded
    NOT_ALLOWED = "not_allowed"  # consent missing, not approved, revoked
    REJECTED = "rejected"  # bad input (empty, too long, attachment)
    FAILED = "failed"  # model or storage error
    STOPPED = "stopped"  # the user pressed Stop while streaming
    REFUSED = "refused"  # not run at all (error "busy": the conversation's queue was full; sent again)


@dataclass
class Caller:
    """Who is talking to the bot, and where."""

    user_id: str  # Entra object id when Teams gives one, else the channel account id
    display_name: str
    tenant_id: str
    conversation_id: str
    conversation_type: str  # personal | groupChat | channel
    channel_account_id: str = ""  # 29:… id, needed for card refresh userIds and mentions
    department: str = ""
    is_admin: bool = False
    team_id: str = ""
    channel_id: str = ""

    @property
    def is_personal(self) -> bool:
        """True in a one-to-one chat with the bot (where Teams streaming is allowed)."""
        return self.conversation_type in {"personal", ""}


@dataclass
class ModelTurn:
    """The model-bound part of a turn. Absent for commands and card actions that do not ask the model."""

    raw_text: str = field(repr=False)  # as typed: never logged, never stored
    source: str = "chat"  # chat | channel | template | confirmed
    confirmed: bool = False  # the user confirmed held confidential content is public / cleared
    confirmation_note: str = ""
    masked_text: str = ""  # set by screening: exactly what the model receives
    screening: ScreeningResult | None = None
    pseudonyms: PseudonymTable | None = None
    restore_table: PseudonymTable | None = None  # the caller's own values: what their answer may restore
    reservation: Reservation | None = None
    max_answer_chars: int = 0  # set by quota (may be shorter than the policy's when the month is nearly used)
    input_chars: int = 0  # characters counted for the quota on the way in
    answer_text: str = ""  # the answer as the model wrote it (placeholders, not restored values)
    answer_chars: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    model_name: str = ""
    deployment: str = ""
    truncated: bool = False  # cut at the reserved length
    completed: bool = False
    footer_extra: list[str] = field(
        default_factory=list
    )  # notes the final message shows (quota, masking, tips)
    files: tuple[Any, ...] = ()  # bot.core.attachments.FileRef still to read: the attachments stage
    # downloads and extracts them and puts the composed text in raw_text before screening
    sources: tuple[Any, ...] = ()  # bot.core.knowledge.Source: the passages the model was given
    knowledge: Any = None  # the knowledge prepared for this question (bot.core.dialog), once per turn
    passage_chars: int = 0  # characters of the passages sent: counted for the quota like the text
    state: ConversationState | None = None  # history + pseudonyms, read once by screening (one round
    # trip); the dialog builds the prompt from it and appends with a CAS on its history's ETag


@dataclass
class Turn:
    """Everything one turn carries through the pipeline."""

    caller: Caller
    activity_id: str = ""
    activity_type: str = "message"
    turn_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: float = field(default_factory=time.monotonic)
    command: str = ""  # routed command or card verb, if any
    model: ModelTurn | None = None
    outcome: Outcome = Outcome.COMMAND
    error: str = ""  # error kind (never a raw message that could echo user text)
    details: dict[str, Any] = field(default_factory=dict)  # extra non-sensitive fields for the record

    def refuse(self, outcome: Outcome, error: str = "") -> None:
        """Mark the turn as refused (the model is not called)."""
        self.outcome = outcome
        self.error = error

    @property
    def refused(self) -> bool:
        """True once a stage refused the turn."""
        return self.outcome in {
            Outcome.BLOCKED,
            Outcome.HELD,
            Outcome.CANCELLED,
            Outcome.OVER_QUOTA,
            Outcome.RATE_LIMITED,
            Outcome.NOT_ALLOWED,
            Outcome.REJECTED,
            Outcome.REFUSED,
        }

    def elapsed_ms(self) -> int:
        """Milliseconds since the turn started."""
        return int((time.monotonic() - self.started) * 1000)
