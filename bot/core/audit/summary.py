"""A month of records summed up for the admin summary card (pure).

Turns are counted once each, from their closing record (end or single); a start without an end
counts as `incomplete`. Counts are (key, count) pairs, largest first. `uses` keys are
`template:<id>` when the dialog put a template id in the turn's details, else the command or card
verb, else the input source (`chat`, `channel`, ...).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.audit.chain import StoredRecord
from bot.core.audit.record import AuditRecord
from bot.core.turn import Outcome

Counts = tuple[tuple[str, int], ...]
TOP = 10
NO_CATEGORY = "-"
INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class AuditSummary:
    """What the admin summary card shows for one month."""

    month: str
    turns: int
    users: int
    incomplete: int
    chars_in: int
    chars_out: int
    by_department: Counts
    outcomes: Counts
    blocked_by_category: Counts
    held_by_category: Counts
    uses: Counts
    events: Counts


def use_key(record: AuditRecord) -> str:
    """What a turn was used for: template, command, or input source."""
    template = record.details.get("template")
    if isinstance(template, str) and template:
        return f"template:{template}"
    return record.command or record.source or "chat"


def summarise(month: str, records: Iterable[StoredRecord]) -> AuditSummary:
    """Sum up a month's records."""
    closing: dict[str, AuditRecord] = {}
    started: dict[str, AuditRecord] = {}
    events: Counter[str] = Counter()
    for stored in records:
        record = stored.record
        if record.phase == "event":
            events[record.event] += 1
        elif record.phase == "start":
            started[record.turn_id] = record
        else:
            closing[record.turn_id] = record
    open_turns = [r for turn_id, r in started.items() if turn_id not in closing]
    return _summary(month, list(closing.values()), open_turns, events)


def _summary(
    month: str, closed: list[AuditRecord], open_turns: list[AuditRecord], events: Counter[str]
) -> AuditSummary:
    every = closed + open_turns
    outcomes = Counter(r.outcome.value for r in closed if r.outcome is not None)
    if open_turns:
        outcomes[INCOMPLETE] = len(open_turns)
    return AuditSummary(
        month=month,
        turns=len(every),
        users=len({r.user_id for r in every if r.user_id}),
        incomplete=len(open_turns),
        chars_in=sum(r.chars_in for r in every),
        chars_out=sum(r.chars_out for r in closed),
        by_department=_top(Counter(r.department or NO_CATEGORY for r in every), 0),
        outcomes=_top(outcomes, 0),
        blocked_by_category=_top(_categories(closed, Outcome.BLOCKED), 0),
        held_by_category=_top(_categories(closed, Outcome.HELD), 0),
        uses=_top(Counter(use_key(r) for r in every), TOP),
        events=_top(events, 0),
    )


def _categories(records: list[AuditRecord], outcome: Outcome) -> Counter[str]:
    counts: Counter[str] = Counter()
    for r in records:
        if r.outcome is outcome:
            counts.update(r.screening_categories or (NO_CATEGORY,))
    return counts


def _top(counts: Counter[str], limit: int) -> Counts:
    """Largest first, ties by key; `limit` 0 keeps all."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ordered[:limit] if limit else ordered)
