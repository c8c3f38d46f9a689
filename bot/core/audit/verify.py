"""Checking the hash chains: the first broken link of each partition, and incomplete turns (pure).

A partition is read in row-key order. The first problem found stops the chain check (everything
after a broken link is unproven) but records are still counted and turns still paired.
Problem kinds: `unreadable`, `misplaced`, `missing`, `content_changed`, `link_broken`,
`head_missing`, `head_mismatch`, and against anchors (bot.core.audit.anchors) `partition_missing`,
`truncated`, `anchor_mismatch` (Japanese wording in bot.ui.audit.texts).

A turn whose start record has no end record is *incomplete*: the process stopped between the
model call and the end of the turn (killed mid-stream), or the turn is still running right now.

What the chain alone cannot show: an attacker with write access who rewrites a whole partition and
recomputes every hash, or who deletes a whole partition with its head. Anchors kept outside the
system (`audit anchor`, and the periodic anchor sink) catch that for everything anchored.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass, field

from bot.core.audit.chain import (
    GENESIS,
    HEAD_ROW,
    Head,
    StoredRecord,
    decode,
    decode_head,
    record_hash,
    row_key,
    seq_of_row,
)
from bot.core.storage.base import Entity


@dataclass(frozen=True)
class Problem:
    """The first broken link of a partition."""

    partition: str
    seq: int
    kind: str
    row_key: str = ""


@dataclass(frozen=True)
class PartitionReport:
    """One partition's chain: how many records, where it ends, what (if anything) is broken."""

    partition: str
    records: int
    last_seq: int
    head_hash: str
    problem: Problem | None = None
    incomplete: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyReport:
    """The result of `AuditLog.verify`."""

    month: str | None
    partitions: tuple[PartitionReport, ...] = ()
    pending: int = 0  # records stored in the inbox that could not be chained yet
    anchors: int = 0  # how many anchors the chains were checked against
    anchor_problems: tuple[Problem, ...] = ()  # what the chains contradict in the anchors

    @property
    def ok(self) -> bool:
        """True when every chain is intact and agrees with every anchor (incomplete turns do not
        break a chain)."""
        return all(p.problem is None for p in self.partitions) and not self.anchor_problems

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The first broken link of every broken partition, then the anchors' findings."""
        return tuple(p.problem for p in self.partitions if p.problem is not None) + self.anchor_problems

    @property
    def records(self) -> int:
        """How many records were checked."""
        return sum(p.records for p in self.partitions)

    @property
    def incomplete_turns(self) -> tuple[str, ...]:
        """Turn ids with a start record and no end record."""
        return tuple(t for p in self.partitions for t in p.incomplete)


@dataclass
class TurnPairing:
    """Pairs start and end records by turn id."""

    started: dict[str, None] = field(default_factory=dict)
    ended: set[str] = field(default_factory=set)

    def add(self, stored: StoredRecord) -> None:
        """Note a record's phase."""
        record = stored.record
        if record.phase == "start":
            self.started[record.turn_id] = None
        elif record.phase == "end":
            self.ended.add(record.turn_id)

    def incomplete(self) -> tuple[str, ...]:
        """Started turns without an end, in the order they started."""
        return tuple(t for t in self.started if t not in self.ended)


@dataclass
class ChainCheck:
    """Walks one partition's entities in row-key order."""

    partition: str
    expected: int = 1
    prev: str = GENESIS
    records: int = 0
    problem: Problem | None = None
    head: Entity | None = None
    turns: TurnPairing = field(default_factory=TurnPairing)

    def feed(self, entity: Entity) -> None:
        """Check the next entity of the partition."""
        if entity.row_key == HEAD_ROW:
            self.head = entity
            return
        self.records += 1
        try:
            stored = decode(entity)
        except ValueError:
            self._fail("unreadable", seq_of_row(entity.row_key), entity.row_key)
            return
        self.turns.add(stored)
        if self.problem is None:
            self._link(stored, entity.row_key)

    def _link(self, stored: StoredRecord, row: str) -> None:
        if row != row_key(stored.seq):
            self._fail("misplaced", stored.seq, row)
        elif stored.seq != self.expected:
            self._fail("missing", self.expected, row_key(self.expected))
        elif record_hash(stored.record, self.partition, stored.seq, stored.prev_hash) != stored.hash:
            self._fail("content_changed", stored.seq, row)
        elif stored.prev_hash != self.prev:
            self._fail("link_broken", stored.seq, row)
        else:
            self.prev, self.expected = stored.hash, self.expected + 1

    def _fail(self, kind: str, seq: int, row: str) -> None:
        if self.problem is None:
            self.problem = Problem(self.partition, seq, kind, row)

    def report(self) -> PartitionReport:
        """The partition's report, after the head has been compared with the last record."""
        last = self.expected - 1
        head = self._check_head(last) if self.problem is None else None
        return PartitionReport(
            partition=self.partition,
            records=self.records,
            last_seq=last,
            head_hash=head.hash if head else "",
            problem=self.problem,
            incomplete=self.turns.incomplete(),
        )

    def _check_head(self, last: int) -> Head | None:
        if self.head is None:
            self._fail("head_missing", last, HEAD_ROW)
            return None
        try:
            head = decode_head(self.head)
        except ValueError:
            self._fail("head_mismatch", last, HEAD_ROW)
            return None
        if head.seq > last:
            self._fail("missing", last + 1, row_key(last + 1))
        elif head.seq != last or head.hash != self.prev:
            self._fail("head_mismatch", last, HEAD_ROW)
        return head


async def check_partitions(entities: AsyncIterable[Entity], month: str | None) -> VerifyReport:
    """Check entities given in (partition, row) order, as `Storage.scan` yields them."""
    reports: list[PartitionReport] = []
    current: ChainCheck | None = None
    async for entity in entities:
        if current is None or entity.partition_key != current.partition:
            if current is not None:
                reports.append(current.report())
            current = ChainCheck(entity.partition_key)
        current.feed(entity)
    if current is not None:
        reports.append(current.report())
    return VerifyReport(month, tuple(reports))


def incomplete_turns(records: Iterable[StoredRecord]) -> set[str]:
    """Turn ids among `records` with a start and no end."""
    pairing = TurnPairing()
    for stored in records:
        pairing.add(stored)
    return set(pairing.incomplete())
