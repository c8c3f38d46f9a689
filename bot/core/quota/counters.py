"""One monthly counter as stored: characters used, live holds, and labels for reports. Pure code.

Every counter of a month lives in ONE partition (`m2026-11`) of the `quota` table, so a turn's
reservation or settlement is a single `Storage.transact` over its rows, guarded by their ETags:

    org               used, turns, holds, days   (days: JSON {"01": chars, …}, the usage by day)
    dept:<sha256/20>  used, turns, holds, name   (department names are Japanese: the key is a hash)
    user:<id>         used, turns, holds, name, uid, dept
    alerts            done                       (JSON list of the thresholds already announced)
    tip:<id>          day                        (the JST day the coaching tip was last shown)

`holds` is JSON {reservation id: [amount, expires_at epoch seconds]}. A hold past its expiry counts
as SPENT, in full: a process that crashed after the answer began may have shown all of it, so its
room is never handed to someone else. When the row is next written the expired hold is folded into
`used` (and `turns`). A user row also keeps `recent`: JSON list of the epoch seconds of the user's
last reservations, for the per-user rate limit.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core.quota import months
from bot.core.quota.limits import Scope
from bot.core.storage.base import Entity, Op, Scalar

TABLE = "quota"
ORG_KEY = "org"
ALERTS_KEY = "alerts"
_SAFE_ID = re.compile(r"[A-Za-z0-9:._@-]{1,128}")


def _digest(text: str, size: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def department_key(name: str) -> str:
    """Row key of a department: a stable hash of its (Japanese) name."""
    return "dept:" + _digest(name.strip(), 20)


def _user_part(user_id: str) -> str:
    return user_id if _SAFE_ID.fullmatch(user_id) else "h" + _digest(user_id, 24)


def user_key(user_id: str) -> str:
    """Row key of a user: the id itself when it is key-safe (Entra GUIDs, 29:… ids), else a hash."""
    return "user:" + _user_part(user_id)


def tip_key(user_id: str) -> str:
    """Row key of a user's coaching-tip marker."""
    return "tip:" + _user_part(user_id)


def scope_of(key: str) -> Scope:
    """The scope a counter row key belongs to."""
    if key == ORG_KEY:
        return "org"
    return "department" if key.startswith("dept:") else "user"


@dataclass
class Counter:
    """A counter row, decoded; mutate it, then write it back with `op()` (CAS on its ETag)."""

    key: str
    used: int = 0
    turns: int = 0
    holds: dict[str, tuple[int, float]] = field(default_factory=dict)
    labels: dict[str, Scalar] = field(default_factory=dict)
    etag: str = ""
    exists: bool = False

    @classmethod
    def load(cls, key: str, entity: Entity | None) -> Counter:
        """Decode a stored row (None: the row does not exist yet)."""
        if entity is None:
            return cls(key)
        data = dict(entity.data)
        used, turns = int(data.pop("used", 0)), int(data.pop("turns", 0))
        raw = json.loads(str(data.pop("holds", "{}")))
        holds = {rid: (int(v[0]), float(v[1])) for rid, v in raw.items()}
        return cls(key, used, turns, holds, data, entity.etag, True)

    def live_holds(self, now: float) -> dict[str, int]:
        """Amounts of the holds that have not expired."""
        return {rid: amount for rid, (amount, expires) in self.holds.items() if expires > now}

    def reserved(self, now: float) -> int:
        """Characters held by live reservations."""
        return sum(self.live_holds(now).values())

    def expired(self, now: float) -> int:
        """Characters of holds past their expiry: spent, not yet folded into `used`."""
        return sum(amount for amount, expires in self.holds.values() if expires <= now)

    def spent(self, now: float) -> int:
        """Characters used this month, expired holds included."""
        return self.used + self.expired(now)

    def headroom(self, cap: int, now: float) -> int:
        """What may still be reserved under `cap`: cap − used − every hold (live or expired)."""
        return cap - self.spent(now) - self.reserved(now)

    def fold_expired(self, now: float) -> None:
        """Count expired holds as used turns (the org row also by the JST day they expired)."""
        for rid, (amount, expires) in list(self.holds.items()):
            if expires <= now:
                del self.holds[rid]
                self.charge(amount, jst_day(expires) if self.key == ORG_KEY else "")

    def recent(self, now: float, window_s: float) -> list[float]:
        """Times of this user's reservations within the last `window_s` seconds."""
        times = json.loads(str(self.labels.get("recent", "[]")))
        return [float(t) for t in times if float(t) > now - window_s]

    def note_reservation(self, now: float, window_s: float) -> None:
        """Remember a reservation's time for the rate limit (older ones dropped)."""
        times = [*self.recent(now, window_s), now]
        self.labels["recent"] = json.dumps([round(t, 3) for t in times[-200:]], separators=(",", ":"))

    def hold(self, rid: str, amount: int, expires_at: float) -> None:
        """Add a reservation."""
        self.holds[rid] = (amount, expires_at)

    def take(self, rid: str, now: float) -> tuple[int, bool] | None:
        """Remove a reservation: (amount, still live), or None when it is not there any more."""
        found = self.holds.pop(rid, None)
        return None if found is None else (found[0], found[1] > now)

    def charge(self, chars: int, day: str = "") -> None:
        """Count a settled turn (and, on the org row, its day)."""
        self.used += chars
        self.turns += 1
        if day:
            days = self.days()
            days[day] = days.get(day, 0) + chars
            self.labels["days"] = json.dumps(days, separators=(",", ":"))

    def days(self) -> dict[str, int]:
        """Characters per JST day of the month ("01" → n); only the org row keeps them."""
        return {k: int(v) for k, v in json.loads(str(self.labels.get("days", "{}"))).items()}

    def to_entity(self, pk: str, now: float) -> Entity:
        """The row to write: expired holds dropped."""
        live = {rid: [a, math.ceil(e)] for rid, (a, e) in self.holds.items() if e > now}
        data: dict[str, Scalar] = {**self.labels, "used": self.used, "turns": self.turns}
        data["holds"] = json.dumps(live, separators=(",", ":"))
        return Entity(pk, self.key, data, self.etag)

    def op(self, pk: str, now: float) -> Op:
        """Insert when the row is new, else replace guarded by the ETag it was read with (expired
        holds folded into `used` first)."""
        self.fold_expired(now)
        return Op("replace" if self.exists else "insert", self.to_entity(pk, now))


def jst_day(epoch_s: float) -> str:
    """`"07"`: the day of the month in Japan of an epoch time."""
    return f"{months.jst_date(datetime.fromtimestamp(epoch_s, UTC)).day:02d}"
