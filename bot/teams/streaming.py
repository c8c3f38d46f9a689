"""Teams streaming in personal chats, one stream per answer.

Protocol (shared/notes/teams-platform.md): an informative `typing` activity with streaminfo
sequence 1 starts the stream (its response id is the stream id); `typing` updates carry the WHOLE
text so far with streamSequence 2, 3, …, at most one a second, awaited one at a time; a final
`message` carries streamType "final", the stream id and the full text. A 403 means the user
pressed Stop (or time ran out): stop streaming and stop generating. A 429 or 5xx on an update is
skipped (its sequence number reused, the next update a full interval later; after three, updates
stop): the final message carries the whole text, so a throttled progress update never costs the
user the answer.
Group chats and channels do not stream: `OneShotSink` collects the text for one normal message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import HttpOperationError

from bot.teams.entities import StreamInfo

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 1.0
STREAM_LIMIT_S = 115.0  # Teams cuts a stream after 2 minutes; finish before it
MAX_INFORMATIVE_CHARS = 1000
MAX_FAILED_UPDATES = 3


STREAMER = "municipal_bot.streamer"
"""turn_state key of the personal chat's streamer, started by the turn stage."""


class StreamStopped(Exception):
    """The user pressed Stop, or Teams refused the stream (403)."""


class TeamsStreamer:
    """Sends the growing answer as cumulative streaming updates, then the final message."""

    def __init__(
        self,
        context: TurnContext,
        *,
        min_interval_s: float = MIN_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._context = context
        self._interval = min_interval_s
        self._clock = clock
        self._stream_id: str | None = None
        self._sequence = 0
        self._last_sent = 0.0
        self._started = clock()
        self._last_text = ""
        self._stopped = False
        self._not_before = 0.0
        self.updates_sent = 0
        self.updates_failed = 0
        self._finished = False

    @property
    def stopped(self) -> bool:
        """True once Teams refused further updates."""
        return self._stopped

    @property
    def stream_id(self) -> str | None:
        """The stream id Teams assigned (None before the first update)."""
        return self._stream_id

    async def informative(self, text: str) -> None:
        """Start the stream with a status line (e.g. 回答を作成しています…)."""
        await self._send_typing(text[:MAX_INFORMATIVE_CHARS], "informative")

    async def update(self, text_so_far: str) -> None:
        """Send the answer so far, at most one update per interval."""
        if self._stopped or not text_so_far or text_so_far == self._last_text:
            return
        now = self._clock()
        if self._stream_id is not None and now - self._last_sent < self._interval:
            return
        if now < self._not_before or self.updates_failed >= MAX_FAILED_UPDATES:
            return  # the connector refused an update lately: the final message still has everything
        if now - self._started > STREAM_LIMIT_S:
            return  # close to Teams' 2-minute limit: keep the rest for the final message
        if await self._send_typing(text_so_far, "streaming"):
            self._last_text = text_so_far

    async def final(self, activity: Activity) -> Any:
        """Send the final message (text must start with what was streamed)."""
        self._mark_final(activity)
        return await self._context.send_activity(activity)

    def close_with_next_message(self) -> None:
        """Make the next message this turn sends the stream's final one, whoever sends it.

        The informative update goes out before access, screening and quota run (it is the first
        thing the user sees); if one of them refuses the turn, its message closes the stream.
        """
        self._context.on_send_activities(self._on_send)

    async def _on_send(
        self, _context: TurnContext, activities: list[Activity], send: Callable[[], Any]
    ) -> Any:
        for activity in activities:
            if activity.type == ActivityTypes.message:
                self._mark_final(activity)
                break
        return await send()

    def _mark_final(self, activity: Activity) -> None:
        if self._stream_id is None or self._stopped or self._finished:
            return
        self._finished = True
        entities = [e for e in activity.entities or [] if not isinstance(e, StreamInfo)]
        entities.append(StreamInfo(stream_type="final", stream_id=self._stream_id))
        activity.entities = entities

    async def _send_typing(self, text: str, stream_type: str) -> bool:
        """Send one streaming activity; False when Teams did not take it (stopped, or skipped)."""
        self._sequence += 1
        info = StreamInfo(stream_type=stream_type, stream_id=self._stream_id, stream_sequence=self._sequence)
        typing = Activity(type=ActivityTypes.typing, text=text, entities=[info])
        try:
            response = await self._context.send_activity(typing)
        except HttpOperationError as exc:
            status = status_of(exc)
            if status == 403:
                log.info("stream stopped by Teams (403) after %d updates", self.updates_sent)
                self._stopped = True
                return False
            if status == 429 or (status is not None and status >= 500):
                self._skip(status)
                return False
            raise
        self._last_sent = self._clock()
        self.updates_sent += 1
        if self._stream_id is None and response is not None and getattr(response, "id", None):
            self._stream_id = response.id
        return True

    def _skip(self, status: int) -> None:
        """A progress update the connector refused (throttled or failing): reuse its sequence number
        and wait a full interval before the next one."""
        self._sequence -= 1
        self.updates_failed += 1
        self._not_before = self._clock() + self._interval
        log.warning("stream update refused with HTTP %d (%d so far); skipped", status, self.updates_failed)


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
