"""A per-user sliding-window limit kept in storage (no botbuilder): so many actions per window.

Used for incident reports (報告): each one posts to the admin channel and mentions a head of
section, so a flood from one account would bury the real ones. The window's timestamps live in
one row per user and change by compare-and-swap, so two instances cannot both let the last one
through.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.errors import ConflictError
from bot.core.storage.base import Entity, Storage

TABLE = "support"
MAX_ATTEMPTS = 5


class RateLimit:
    """At most `limit` actions per user in `window` (kind names the action)."""

    def __init__(
        self, storage: Storage, clock: Callable[[], datetime], *, kind: str, limit: int, window: timedelta
    ) -> None:
        self._storage = storage
        self._clock = clock
        self._pk = f"rate-{kind}"
        self.limit = limit
        self.window = window

    async def take(self, user_id: str) -> bool:
        """Count one action for `user_id`; False (nothing counted) when the limit is reached."""
        for _ in range(MAX_ATTEMPTS):
            entity = await self._storage.get(TABLE, self._pk, user_id.lower())
            now = self._clock()
            recent = [t for t in _times(entity) if now - t < self.window]
            if len(recent) >= self.limit:
                return False
            data = {"times": json.dumps([t.isoformat() for t in [*recent, now]])}
            try:
                if entity is None:
                    await self._storage.insert(TABLE, Entity(self._pk, user_id.lower(), data))
                else:
                    await self._storage.replace(TABLE, Entity(self._pk, user_id.lower(), data, entity.etag))
            except ConflictError:
                continue
            return True
        return False


def _times(entity: Entity | None) -> list[datetime]:
    if entity is None:
        return []
    try:
        return [datetime.fromisoformat(t) for t in json.loads(str(entity.data.get("times", "[]")))]
    except (ValueError, TypeError):
        return []
