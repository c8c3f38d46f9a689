"""Texts held for confirmation: kept server-side, encrypted, for at most ten minutes, never logged.

The raw text must survive until the user confirms on the card (several bot instances may serve
the click), so it goes to the `held` table sealed with the state cipher, bound to the
conversation and the user; it is deleted when used, cancelled, or found expired.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.conversation import StateCipher, conversation_key
from bot.core.storage.base import Entity, Storage

TABLE = "held"
HOLD_FOR = timedelta(minutes=10)


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
        data = {"sealed": sealed, "expires": expires, "owner": _owner(user_id)}
        await self._storage.insert(TABLE, Entity(pk, held_id, data))
        return held_id

    async def take(self, conversation_id: str, user_id: str, held_id: str) -> str | None:
        """The held text (and delete it), or None if unknown, expired or held for someone else."""
        pk = conversation_key(conversation_id)
        if not _valid_id(held_id):
            return None
        entity = await self._storage.get(TABLE, pk, held_id)
        if entity is None or entity.data.get("owner") != _owner(user_id):
            return None
        await self._storage.delete(TABLE, pk, held_id)
        if datetime.fromisoformat(str(entity.data["expires"])) < self._clock():
            return None
        return self._cipher.decrypt(str(entity.data["sealed"]), _binding(pk, user_id, held_id))

    async def discard(self, conversation_id: str, held_id: str) -> None:
        """Delete a held text (cancel / edit)."""
        if _valid_id(held_id):
            await self._storage.delete(TABLE, conversation_key(conversation_id), held_id)

    async def _discard_expired(self, pk: str) -> None:
        now = self._clock()
        for entity in await self._storage.query(TABLE, pk):
            if datetime.fromisoformat(str(entity.data.get("expires", ""))) < now:
                await self._storage.delete(TABLE, pk, entity.row_key)


def _owner(user_id: str) -> str:
    return hashlib.sha256(user_id.encode()).hexdigest()[:24]


def _binding(pk: str, user_id: str, held_id: str) -> str:
    return f"{pk}|{user_id}|{held_id}"


def _valid_id(held_id: str) -> bool:
    try:
        return uuid.UUID(hex=held_id).hex == held_id
    except (ValueError, TypeError):
        return False
