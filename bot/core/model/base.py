"""What the dialog needs from a model: stream an answer to a list of chat messages.

Three implementations: `OpenAIChatModel` (OpenAI, Azure OpenAI, any OpenAI-compatible server),
and `DryRunModel` (the embedded default: says what would have been sent). Failures raise
`ModelError` with a `kind`; the user-facing message for each kind lives in bot.ui.common.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol

from bot.core.errors import BotError

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of the conversation sent to the model (always screened text)."""

    role: Role
    content: str


@dataclass(frozen=True)
class Chunk:
    """A piece of the streamed answer; the last one may carry token usage."""

    text: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    finish_reason: str = ""


class ModelErrorKind(StrEnum):
    """Why the model could not answer."""

    TIMEOUT = "timeout"
    RATE_LIMIT = "rate_limit"
    SERVER = "server"
    CONTENT_FILTER = "content_filter"
    CONTEXT_LENGTH = "context_length"
    AUTH = "auth"
    BAD_REQUEST = "bad_request"
    CONNECTION = "connection"
    INTERRUPTED = "interrupted"  # the stream was cut off half-way


class ModelError(BotError):
    """The model failed; `kind` chooses the message the user sees."""

    def __init__(self, kind: ModelErrorKind, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind
        self.retry_after = retry_after


class ChatModel(Protocol):
    """A model that streams answers."""

    name: str
    """Model name recorded with every exchange."""
    deployment: str
    """Deployment (Azure) or base URL host, recorded with every exchange."""

    def stream(
        self, messages: list[ChatMessage], *, max_tokens: int, temperature: float
    ) -> AsyncIterator[Chunk]:
        """Yield the answer in chunks; raise ModelError on failure."""

    async def close(self) -> None:
        """Release HTTP connections."""


def max_tokens_for(chars: int) -> int:
    """A max_tokens hint for an answer of at most `chars` Japanese characters.

    Japanese text runs at roughly one token per 1–1.5 characters on current tokenizers; the
    hint errs on the generous side because the streamed answer is cut at `chars` anyway.
    """
    return max(16, int(chars * 1.2) + 16)
