"""Texts held for confirmation: kept server-side, encrypted, for at most ten minutes, never logged.

The raw text must survive until the user confirms on the card (several bot instances may serve
the click), so it goes to the `held` table sealed with the state cipher, bound to the
conversation and the user; it is deleted when used, cancelled, or found expired.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from bot.core.conversation import StateCipher, conversation_key
from bot.core.storage.base import Entity, Storage

TABLE = "held"
HOLD_FOR = timedelta(minutes=10)
CHUNK_CHARS = 30_000


class HeldTexts:
    """Put, take and discard held texts."""

    def __init__(self, storage: Storage, cipher: StateCipher, clock: Callable[[], datetime]) -> None:
        self._storage = storage
        self._cipher = cipher
        self._clock = clock

    async def put(self, conversation_id: str, user_id: str, text: str) -> str:
        """Hold a text; returns the id the card carries."""
        pk = conversation_key(conversation_id)
        await self._discard_expired(pk)
        held_id = uuid.uuid4().hex
        expires = (self._clock() + HOLD_FOR).isoformat()
        sealed = self._cipher.encrypt(text, _binding(pk, user_id, held_id))
        data: dict[str, str] = {"expires": expires, "owner": _owner(user_id), **_split(sealed)}
        await self._storage.insert(TABLE, Entity(pk, held_id, data))
        return held_id

    async def take(self, conversation_id: str, user_id: str, held_id: str) -> str | None:
        """The held text (and delete it), or None if unknown, expired or held for someone else."""
        return await self._read(conversation_id, user_id, held_id, consume=True)

    async def peek(self, conversation_id: str, user_id: str, held_id: str) -> str | None:
        """The held text, left in place (read before the stages allowed the turn; `take` after)."""
        return await self._read(conversation_id, user_id, held_id, consume=False)

    async def _read(self, conversation_id: str, user_id: str, held_id: str, *, consume: bool) -> str | None:
        pk = conversation_key(conversation_id)
        if not _valid_id(held_id):
            return None
        entity = await self._storage.get(TABLE, pk, held_id)
        if entity is None or entity.data.get("owner") != _owner(user_id):
            return None
        expired = datetime.fromisoformat(str(entity.data["expires"])) < self._clock()
        if consume or expired:
            await self._storage.delete(TABLE, pk, held_id)
        if expired:
            return None
        return self._cipher.decrypt(_join(entity.data), _binding(pk, user_id, held_id))

    async def discard(self, conversation_id: str, held_id: str) -> None:
        """Delete a held text (cancel / edit)."""
        if _valid_id(held_id):
            await self._storage.delete(TABLE, conversation_key(conversation_id), held_id)

    async def _discard_expired(self, pk: str) -> None:
        now = self._clock()
        for entity in await self._storage.query(TABLE, pk):
            if datetime.fromisoformat(str(entity.data.get("expires", ""))) < now:
                await self._storage.delete(TABLE, pk, entity.row_key)


def _split(sealed: str) -> dict[str, str]:
    """`sealed`, `sealed_1`, … of at most CHUNK_CHARS each: a held text with attached files can be
    30,000 characters, sealed far beyond one Azure Table property (32K UTF-16 characters)."""
    parts = [sealed[i : i + CHUNK_CHARS] for i in range(0, len(sealed), CHUNK_CHARS)] or [""]
    return {"sealed": parts[0], **{f"sealed_{n}": part for n, part in enumerate(parts[1:], start=1)}}


def _join(data: Mapping[str, object]) -> str:
    parts, n = [str(data["sealed"])], 1
    while f"sealed_{n}" in data:
        parts.append(str(data[f"sealed_{n}"]))
        n += 1
    return "".join(parts)


def _owner(user_id: str) -> str:
    return hashlib.sha256(user_id.encode()).hexdigest()[:24]


def _binding(pk: str, user_id: str, held_id: str) -> str:
    return f"{pk}|{user_id}|{held_id}"


def _valid_id(held_id: str) -> bool:
    try:
        return uuid.UUID(hex=held_id).hex == held_id
    except (ValueError, TypeError):
        return False
