"""Support tickets: questions to the support channel and incident reports, in the `support` table.

Pure domain (no botbuilder). Entities, partition = kind:

    ("question", id)                  open → answered
    ("incident", id)                  reported → acknowledged → resolved
    ("thread", <hash of a thread>)    which question was posted as that channel thread
    ("escalation", <hash of thread>)  a "担当者に確認" request, once per thread

Ticket ids come from the form card (so a form submitted twice makes one ticket) or are new.
Status changes are compare-and-swap on the ETag: when two admins answer at once, exactly one
change wins and is relayed. Texts stored here are already screened (masked), never raw: the free
text fields (FREE_TEXT) take only a `ScreenedText` the gate made for storage, and anything else
is refused with TypeError before it is written.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.core.errors import ConflictError
from bot.core.exits import Exit, ScreenedText
from bot.core.storage.base import Entity, Scalar, Storage

TABLE = "support"
QUESTION, INCIDENT = "question", "incident"
MAX_ATTEMPTS = 5
FREE_TEXT = frozenset({"question", "exchange", "answer", "note", "description"})
"""Fields people type: stored only as screened text (bot.core.exits, Exit.STORAGE)."""
_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Ticket:
    """One question or incident report as stored."""

    kind: str
    id: str
    status: str
    data: Mapping[str, Scalar]
    etag: str = ""

    def text(self, key: str) -> str:
        """A stored value as text ('' when absent)."""
        return str(self.data.get(key, ""))

    @property
    def number(self) -> str:
        """The short receipt number users and admins see (受付番号)."""
        return self.id[:8].upper()


def new_ticket_id() -> str:
    """A fresh ticket id (32 hex digits)."""
    return uuid.uuid4().hex


def is_ticket_id(value: object) -> bool:
    """True for a well-formed ticket id (card data is never trusted)."""
    return isinstance(value, str) and bool(_ID.match(value))


def thread_key(conversation_id: str) -> str:
    """Row key of a channel thread (conversation ids hold characters keys should not)."""
    return hashlib.sha256(conversation_id.encode()).hexdigest()[:32]


class TicketStore:
    """Creates tickets and moves them through their statuses."""

    def __init__(self, storage: Storage, clock: Callable[[], datetime]) -> None:
        self._storage = storage
        self._clock = clock

    def now(self) -> str:
        """The current time as stored (ISO 8601, UTC)."""
        return self._clock().isoformat()

    async def create(self, kind: str, ticket_id: str, status: str, **data: Scalar | ScreenedText) -> Ticket:
        """Insert a new ticket; ConflictError when this id exists (a form sent twice)."""
        entity = Entity(
            kind, ticket_id, {"status": status, "created_at": self.now(), **_present(_stored(data))}
        )
        return _ticket(await self._storage.insert(TABLE, entity))

    async def get(self, kind: str, ticket_id: str) -> Ticket | None:
        """The ticket, if it exists."""
        if not is_ticket_id(ticket_id):
            return None
        entity = await self._storage.get(TABLE, kind, ticket_id)
        return _ticket(entity) if entity is not None else None

    async def delete(self, ticket: Ticket) -> None:
        """Remove a ticket that could not be posted (so the same form can be sent again)."""
        await self._storage.delete(TABLE, ticket.kind, ticket.id)

    async def update(self, ticket: Ticket, **data: Scalar | ScreenedText | None) -> Ticket:
        """Change values (not the status) with compare-and-swap; ConflictError if changed meanwhile."""
        entity = Entity(ticket.kind, ticket.id, dict(ticket.data), ticket.etag).with_data(**_stored(data))
        return _ticket(await self._storage.replace(TABLE, entity))

    async def advance(
        self, kind: str, ticket_id: str, allowed_from: Collection[str], to: str, **data: Scalar | ScreenedText
    ) -> tuple[Ticket | None, bool]:
        """Move to status `to` if the ticket is in `allowed_from`; (ticket, True) only for the winner."""
        for _ in range(MAX_ATTEMPTS):
            ticket = await self.get(kind, ticket_id)
            if ticket is None or ticket.status not in allowed_from:
                return ticket, False
            try:
                return await self.update(ticket, status=to, **data), True
            except ConflictError:
                continue  # another admin acted at the same moment: read again
        return await self.get(kind, ticket_id), False

    async def link_thread(self, conversation_id: str, ticket_id: str) -> None:
        """Remember which question was posted as this channel thread."""
        entity = Entity("thread", thread_key(conversation_id), {"ticket": ticket_id})
        await self._storage.upsert(TABLE, entity)

    async def by_thread(self, conversation_id: str) -> Ticket | None:
        """The question posted as this channel thread, if any."""
        link = await self._storage.get(TABLE, "thread", thread_key(conversation_id))
        return await self.get(QUESTION, str(link.data.get("ticket", ""))) if link is not None else None

    async def escalate_once(self, conversation_id: str, **data: Scalar) -> bool:
        """Record a "担当者に確認" request for the thread; False when one was already made."""
        entity = Entity("escalation", thread_key(conversation_id), {"at": self.now(), **data})
        try:
            await self._storage.insert(TABLE, entity)
        except ConflictError:
            return False
        return True


def _stored(data: Mapping[str, Scalar | ScreenedText | None]) -> dict[str, Scalar | None]:
    """The values to write: free text only as gate-screened text (TypeError otherwise)."""
    out: dict[str, Scalar | None] = {}
    for key, value in data.items():
        if key in FREE_TEXT:
            if not isinstance(value, ScreenedText) or value.exit is not Exit.STORAGE:
                raise TypeError(f"ticket field {key!r} takes only text screened for storage")
            out[key] = value.text
        elif isinstance(value, ScreenedText):
            out[key] = value.text
        else:
            out[key] = value
    return out


def _present(data: dict[str, Scalar | None]) -> dict[str, Scalar]:
    return {k: v for k, v in data.items() if v is not None}


def _ticket(entity: Entity) -> Ticket:
    return Ticket(
        kind=entity.partition_key,
        id=entity.row_key,
        status=str(entity.data.get("status", "")),
        data=dict(entity.data),
        etag=entity.etag,
    )
