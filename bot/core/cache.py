"""A small per-process cache with expiry, for reads that every turn repeats (consent, references).

Each instance keeps its own: what one instance writes it updates in its own cache at once, and the
others see the change when their entry expires. Callers choose the lifetimes so that a change made
on another instance (an approval, a revocation) takes effect there within that time; a miss only
costs the storage round trip the cache saves. Expiry uses the monotonic clock (not wall time), so
changing the system time neither keeps an entry alive nor drops it early.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class TtlCache(Generic[K, V]):
    """A bounded map whose entries expire `ttl_s` seconds after they were put (LRU beyond `size`)."""

    def __init__(self, ttl_s: float, *, size: int = 10_000, monotonic: Callable[[], float] = time.monotonic):
        self._ttl = ttl_s
        self._size = size
        self._now = monotonic
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K, default: object = _MISSING) -> V | object:
        """The live value for `key`, else `default` (the module's sentinel unless given)."""
        found = self._items.get(key)
        if found is None or found[0] <= self._now():
            self._items.pop(key, None)
            return default
        self._items.move_to_end(key)
        return found[1]

    def put(self, key: K, value: V, ttl_s: float | None = None) -> None:
        """Keep `value` for `ttl_s` seconds (the cache's lifetime unless given)."""
        self._items[key] = (self._now() + (self._ttl if ttl_s is None else ttl_s), value)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def drop(self, key: K) -> None:
        """Forget `key` (after a write whose result is unknown)."""
        self._items.pop(key, None)


def missing(value: object) -> bool:
    """True when `TtlCache.get` found nothing live."""
    return value is _MISSING
