"""The quota's decisions on loaded counters: how much to hold, what to charge, which alerts are due.

Pure functions: the service loads the rows, calls these, and writes the rows back in one CAS
transaction. Everything here sees rows that the transaction will prove current, except a refusal,
which the service confirms on freshly read rows before it is shown.
"""

from __future__ import annotations

import math

from bot.core.quota import months
from bot.core.quota.counters import ORG_KEY, Counter, department_key, scope_of, user_key
from bot.core.quota.limits import QuotaLimits, Scope
from bot.core.quota.types import QuotaBusy, QuotaExceeded, RateLimitExceeded, Reservation, UserTurnsBusy

MAX_LIVE_HOLDS = 800
"""Live holds per row; keeps the holds JSON well under the 30,000-character value limit."""
RATE_WINDOW_S = 60.0


def row_keys(user_id: str, department: str) -> tuple[str, ...]:
    """The counters a turn touches: org, the department (if any), the user."""
    dept = (department_key(department),) if department.strip() else ()
    return (ORG_KEY, *dept, user_key(user_id))


def cap_of(limits: QuotaLimits, key: str) -> int | None:
    """The cap of a counter row (None: uncapped, kept for the reports only)."""
    return limits.cap(scope_of(key))


def room(counters: dict[str, Counter], limits: QuotaLimits, now: float) -> tuple[int, Scope]:
    """The smallest headroom over the capped counters, and the scope that sets it."""
    best: tuple[int, Scope] | None = None
    for key, counter in counters.items():
        cap = cap_of(limits, key)
        if cap is not None and (best is None or counter.headroom(cap, now) < best[0]):
            best = (counter.headroom(cap, now), scope_of(key))
    assert best is not None  # the org counter is always there and always capped
    return best


def check_user_pace(counters: dict[str, Counter], limits: QuotaLimits, now: float) -> None:
    """RateLimitExceeded / UserTurnsBusy when the user is over the policy's per-user pace."""
    user = next((c for k, c in counters.items() if scope_of(k) == "user"), None)
    if user is None:
        return
    if limits.user_live_holds and len(user.live_holds(now)) >= limits.user_live_holds:
        raise UserTurnsBusy(limits.user_live_holds)
    if limits.user_turns_per_minute:
        recent = user.recent(now, RATE_WINDOW_S)
        if len(recent) >= limits.user_turns_per_minute:
            wait = recent[-limits.user_turns_per_minute] + RATE_WINDOW_S - now
            raise RateLimitExceeded(limits.user_turns_per_minute, max(1, math.ceil(wait)))


def place_hold(
    counters: dict[str, Counter], limits: QuotaLimits, *, rid: str, month: str, input_chars: int, now: float
) -> Reservation:
    """Decide the amount (all of input + maximum answer, or what fits if a minimum answer does),
    add the hold to every counter, and describe the reservation; QuotaExceeded if nothing fits."""
    check_user_pace(counters, limits, now)
    headroom, binding = room(counters, limits, now)
    wanted = input_chars + limits.max_answer_chars
    if headroom < input_chars + limits.min_answer_chars:
        limit = limits.cap(binding) or 0
        raise QuotaExceeded(binding, limit, limit - headroom, months.reset_at(month), month)
    if any(len(c.live_holds(now)) >= MAX_LIVE_HOLDS for c in counters.values()):
        raise QuotaBusy("too many turns in progress")
    amount = min(wanted, headroom)
    expires = now + limits.reservation_ttl_seconds
    remaining: dict[str, int] = {}
    for key, counter in counters.items():
        counter.hold(rid, amount, expires)
        if scope_of(key) == "user":
            counter.note_reservation(now, RATE_WINDOW_S)
        cap = cap_of(limits, key)
        if cap is not None:
            remaining[scope_of(key)] = counter.headroom(cap, now)
    return Reservation(
        id=rid,
        month=month,
        amount=amount,
        input_chars=input_chars,
        max_answer_chars=amount - input_chars,
        scopes=tuple(counters),
        remaining=remaining,
        expires_at=expires,
        shortened=amount < wanted,
    )


def charge(
    counters: dict[str, Counter],
    limits: QuotaLimits,
    reservation: Reservation,
    *,
    actual: int,
    now: float,
    day: str,
) -> int:
    """Replace the hold by the actual charge and return what the turn is counted for.
    A hold still on every row (live, or expired and not yet folded) becomes the actual charge. A
    hold already folded into `used` somewhere (expired, counted in full) stays counted in full on
    every row, so the org, department and user figures agree; its room was never given to anyone
    else, so used + holds stays within every cap either way."""
    taken = [counter.take(reservation.id, now) for counter in counters.values()]
    counted = actual if all(hold is not None for hold in taken) else reservation.amount
    for (key, counter), hold in zip(counters.items(), taken, strict=True):
        if hold is not None:
            counter.charge(counted, day if key == ORG_KEY else "")
    return counted


def label(counters: dict[str, Counter], user_id: str, department: str, name: str) -> None:
    """Keep the names reports show (department names, user display names) on the rows."""
    for key, counter in counters.items():
        if key.startswith("dept:"):
            counter.labels["name"] = department.strip()
        elif key.startswith("user:"):
            counter.labels.update(uid=user_id, dept=department.strip())
            if name:
                counter.labels["name"] = name


def reached(limits: QuotaLimits, used: int) -> list[int]:
    """Alert thresholds of the org cap reached at `used`. 100 % counts as reached once not even a
    minimum answer fits any more: holds make an exact 100 % unlikely."""
    cap = limits.org_monthly_chars
    out = []
    for threshold in limits.alert_thresholds:
        bar = cap - limits.min_answer_chars if threshold >= 100 else cap * threshold / 100
        if used >= bar:
            out.append(threshold)
    return out
