"""Teams streaming in personal chats, one stream per answer, by Teams' rules.

Protocol (msteams-docs `bots/streaming-ux.md`, shared/notes/teams-platform.md): an informative
`typing` activity with streaminfo sequence 1 starts the stream (its response id is the stream id);
`typing` updates carry the WHOLE text so far with streamSequence 2, 3, …, at most one a second,
awaited one at a time; a final `message` carries streamType "final", the stream id and text that
starts with what was streamed. Teams refuses a final without text, so a card-only message that
closes a stream is given a short text (its summary, else 「次のカードをご確認ください。」).

Refusals, told apart by the connector's error message (all 403s share the code
ContentStreamNotAllowed):
    403 "…cancelled by user"            STOPPED: stop generating; only a short note follows
    403 "…exceeded streaming time"      TIMED_OUT (2 minutes): the answer is finished by updating
                                        the streamed message in place (else sent as a new message)
    403 "…not allowed" / other 403      NOT_ALLOWED: no more updates; the answer goes out as one
                                        normal message
    429 / 5xx on an update              skipped (sequence number reused, next one an interval later,
                                        after three updates stop): the final carries everything
    429 / 5xx on the final              retried, honouring Retry-After: the final is never skipped
Group chats and channels do not stream: `OneShotSink` collects the text for one normal message.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import HttpOperationError

from bot.teams.entities import StreamInfo

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 1.0
STREAM_LIMIT_S = 115.0  # Teams cuts a stream after 2 minutes; stop updating before it
MAX_INFORMATIVE_CHARS = 1000
MAX_FAILED_UPDATES = 3
FINAL_ATTEMPTS = 4
MAX_RETRY_AFTER_S = 10.0


STREAMER = "municipal_bot.streamer"
"""turn_state key of the personal chat's streamer, started by the turn stage."""


async def open_stream(context: TurnContext, informative: str, card_closing_text: str) -> TeamsStreamer:
    """Start a stream with a status line; the next message of the turn closes it."""
    streamer = TeamsStreamer(context, card_closing_text=card_closing_text)
    await streamer.informative(informative)
    streamer.close_with_next_message()
    return streamer


class StreamState(enum.Enum):
    """Where the stream is."""

    IDLE = "idle"  # nothing accepted yet
    OPEN = "open"
    STOPPED = "stopped"  # the user pressed Stop
    TIMED_OUT = "timed_out"  # Teams' 2-minute limit
    NOT_ALLOWED = "not_allowed"  # streaming refused here: one normal message instead
    CLOSED = "closed"  # the final message went out


def refusal_of(exc: HttpOperationError) -> StreamState:
    """Which 403 a stream refusal is, from the connector's error message."""
    message = error_message(exc).lower()
    if "exceeded streaming time" in message:
        return StreamState.TIMED_OUT
    if "cancel" in message:
        return StreamState.STOPPED
    if "not allowed" in message or "not enabled" in message or "too large" in message:
        return StreamState.NOT_ALLOWED
    return StreamState.STOPPED  # an unexplained ContentStreamNotAllowed: what Microsoft's SDKs assume


class TeamsStreamer:
    """Sends the growing answer as cumulative streaming updates, then the final message."""

    def __init__(
        self,
        context: TurnContext,
        *,
        min_interval_s: float = MIN_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        card_closing_text: str = "",
    ) -> None:
        self._context = context
        self._interval = min_interval_s
        self._clock = clock
        self._closing_text = card_closing_text
        self._stream_id: str | None = None
        self._sequence = 0
        self._last_sent = 0.0
        self._started = clock()
        self._streamed = ""  # the text of the last accepted `streaming` update
        self._not_before = 0.0
        self.state = StreamState.IDLE
        self.updates_sent = 0
        self.updates_failed = 0

    @property
    def stopped(self) -> bool:
        """True once the user pressed Stop (the dialog stops generating)."""
        return self.state is StreamState.STOPPED

    @property
    def streaming(self) -> bool:
        """True while updates may still be sent."""
        return self.state in (StreamState.IDLE, StreamState.OPEN)

    @property
    def stream_id(self) -> str | None:
        """The stream id Teams assigned (None before the first update)."""
        return self._stream_id

    async def informative(self, text: str) -> None:
        """Start the stream with a status line (e.g. 回答を作成しています…)."""
        await self._send_typing(text[:MAX_INFORMATIVE_CHARS], "informative")

    @property
    def ready(self) -> bool:
        """True when an update offered now would be sent (the dialog screens the growing answer only
        then: text that would never be shown is not screened for nothing)."""
        if not self.streaming:
            return False
        now = self._clock()
        if self._stream_id is not None and now - self._last_sent < self._interval:
            return False
        if now < self._not_before or self.updates_failed >= MAX_FAILED_UPDATES:
            return False  # the connector refused an update lately: the final message has everything
        return now - self._started <= STREAM_LIMIT_S  # near Teams' 2-minute limit: the final has the rest

    async def update(self, text_so_far: str) -> None:
        """Send the answer so far, at most one update per interval."""
        if not text_so_far or text_so_far == self._streamed:
            return
        if not text_so_far.startswith(self._streamed):
            return  # an update must continue what was streamed; the final carries the rest
        if not self.ready:
            return
        if await self._send_typing(text_so_far, "streaming"):
            self._streamed = text_so_far

    async def final(self, activity: Activity) -> Any:
        """Send the answer: the stream's final message, or the fallback its state calls for."""
        if self.state is StreamState.TIMED_OUT and self._stream_id is not None:
            return await self._update_in_place(activity)
        return await self._context.send_activity(activity)  # closed by _on_send, retried by deliver()

    def close_with_next_message(self) -> None:
        """Make the next message this turn sends close the stream, whoever sends it.

        The informative update goes out before access, screening and quota run (it is the first
        thing the user sees); if one of them refuses the turn, its message closes the stream.
        """
        self._context.on_send_activities(self._on_send)

    async def _on_send(
        self, _context: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[Any]]
    ) -> Any:
        message = next((a for a in activities if a.type in (ActivityTypes.message, None)), None)
        if message is None or self.state is not StreamState.OPEN or self._stream_id is None:
            return await send()
        self.state = StreamState.CLOSED
        text = message.text or ""
        if not text.strip():
            text = message.summary or self._closing_text  # a card-only message: Teams needs the text
        if self._streamed and not text.startswith(self._streamed):
            text = f"{self._streamed}\n\n{text}"  # e.g. an error after a partial answer
        message.text = text
        self._mark_final(message)
        return await send()  # botbuilder sends after every handler ran: deliver() retries it

    def _mark_final(self, activity: Activity) -> None:
        entities = [e for e in activity.entities or [] if not isinstance(e, StreamInfo)]
        entities.append(StreamInfo(stream_type="final", stream_id=self._stream_id))
        activity.entities = entities

    async def _update_in_place(self, activity: Activity) -> Any:
        """After Teams' time limit: put the whole answer into the streamed message."""
        activity.id = self._stream_id
        activity.entities = [e for e in activity.entities or [] if not isinstance(e, StreamInfo)]
        try:
            return await send_retrying(self._context.update_activity, activity)
        except HttpOperationError as exc:
            log.info("timed-out stream not updated (HTTP %s); answer sent as a new message", status_of(exc))
            activity.id = None
            return await self._context.send_activity(activity)

    async def _send_typing(self, text: str, stream_type: str) -> bool:
        """Send one streaming activity; False when Teams did not take it (refused, or skipped)."""
        self._sequence += 1
        info = StreamInfo(stream_type=stream_type, stream_id=self._stream_id, stream_sequence=self._sequence)
        typing = Activity(type=ActivityTypes.typing, text=text, entities=[info])
        try:
            response = await self._context.send_activity(typing)
        except HttpOperationError as exc:
            status = status_of(exc)
            if status == 403:
                self.state = refusal_of(exc)
                log.info(
                    "stream refused by Teams (403, %s) after %d updates", self.state.value, self.updates_sent
                )
                return False
            if status == 429 or (status is not None and status >= 500):
                self._skip(status)
                return False
            raise
        self._last_sent = self._clock()
        self.updates_sent += 1
        if self._stream_id is None and response is not None and getattr(response, "id", None):
            self._stream_id = response.id
            self.state = StreamState.OPEN
        return True

    def _skip(self, status: int) -> None:
        """A progress update the connector refused (throttled or failing): reuse its sequence number
        and wait a full interval before the next one."""
        self._sequence -= 1
        self.updates_failed += 1
        self._not_before = self._clock() + self._interval
        log.warning("stream update refused with HTTP %d (%d so far); skipped", status, self.updates_failed)


async def deliver(
    send: Callable[[Activity], Awaitable[Any]],
    update: Callable[[Activity], Awaitable[Any]],
    activity: Activity,
) -> Any:
    """Send one outgoing activity the way Teams needs (the adapter calls this for every activity).

    Messages are retried on 429/5xx (Retry-After honoured): a final answer is never skipped. A final
    streamed message refused with 403 is not lost: after the 2-minute limit it updates the streamed
    message in place, otherwise it goes out as a normal message. Typing updates pass straight
    through (the streamer skips refused ones)."""
    if activity.type not in (ActivityTypes.message, None):
        return await send(activity)
    try:
        return await send_retrying(send, activity)
    except HttpOperationError as exc:
        info = next((e for e in activity.entities or [] if isinstance(e, StreamInfo)), None)
        if status_of(exc) != 403 or info is None or info.stream_type != "final":
            raise
        refusal = refusal_of(exc)
        log.info("final streamed message refused (403, %s); delivered without the stream", refusal.value)
        activity.entities = [e for e in activity.entities or [] if not isinstance(e, StreamInfo)]
        if refusal is StreamState.TIMED_OUT and info.stream_id:
            activity.id = info.stream_id
            return [await send_retrying(update, activity)]
        return await send_retrying(send, activity)


async def send_retrying(send: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """Send, retrying on 429 and 5xx (honouring Retry-After, at most MAX_RETRY_AFTER_S a wait)."""
    for attempt in range(1, FINAL_ATTEMPTS + 1):
        try:
            return await send(*args)
        except HttpOperationError as exc:
            status = status_of(exc)
            retryable = status == 429 or (status is not None and status >= 500)
            if not retryable or attempt == FINAL_ATTEMPTS:
                raise
            wait = retry_after_of(exc)
            wait = min(MAX_RETRY_AFTER_S, wait if wait is not None else float(2 ** (attempt - 1)))
            log.warning("message refused with HTTP %s; retrying in %.1f s", status, wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


class OneShotSink:
    """Collects the answer for one normal message (group chats and channels)."""

    stopped = False

    def __init__(self) -> None:
        self.text = ""

    async def update(self, text_so_far: str) -> None:
        """Remember the latest text."""
        self.text = text_so_far


def status_of(exc: HttpOperationError) -> int | None:
    """The HTTP status of a connector error, whatever the transport's response type."""
    response = getattr(exc, "response", None)
    for attr in ("status_code", "status"):
        value = getattr(response, attr, None)
        if isinstance(value, int):
            return value
    return None


def error_message(exc: HttpOperationError) -> str:
    """The connector's error message (Teams tells its 403s apart only by this)."""
    inner = getattr(getattr(exc, "error", None), "error", None)
    message = getattr(inner, "message", None)
    return message if isinstance(message, str) else ""


def retry_after_of(exc: HttpOperationError) -> float | None:
    """Seconds from the Retry-After header of a refused request, if it has one."""
    response = getattr(exc, "response", None)
    for holder in (response, getattr(response, "internal_response", None)):
        headers = getattr(holder, "headers", None)
        value = headers.get("Retry-After") if headers is not None else None
        if value is not None:
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None
