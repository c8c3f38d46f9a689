"""The Screener: runs every detector, resolves overlaps, applies the policy, masks.

    text ─ Views (base + numeric, offset maps) ─┬─ NumberDetector    identifiers by label/length/check digit
                                                ├─ ContactDetector   phone, e-mail, postal code
                                                ├─ AddressDetector   street-level addresses
                                                ├─ BirthDateDetector dates with a birth label
                                                ├─ SignalDetector    non-disclosure signals, forbidden terms
                                                └─ NameDetector      person names (SudachiPy)
         hits ─ resolve overlaps (stronger action, then longer span) ─ findings ─ masked text

Overlaps: a hit whose only evidence is a check digit (weak) yields to any other hit; otherwise
the stronger action wins, then the longer span. Signal hits never overlap-resolve: they hold
the message but replace nothing.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.core.screening.detectors import Detector, Hit, Views
from bot.core.screening.detectors.address import AddressDetector
from bot.core.screening.detectors.contact import ContactDetector
from bot.core.screening.detectors.dates import BirthDateDetector
from bot.core.screening.detectors.meaning import MeaningDetector, public_material
from bot.core.screening.detectors.numbers import NumberDetector
from bot.core.screening.detectors.signals import SignalDetector, stamped
from bot.core.screening.detectors.table import TableDetector
from bot.core.screening.model import KIND_LABELS, PERSONAL_KINDS, Action, Finding, ScreeningResult
from bot.core.screening.names import NameDetector
from bot.core.screening.policy import ScreeningPolicy
from bot.core.screening.pseudonyms import PseudonymTable
from bot.core.screening.report import display
from bot.core.screening.specimen import is_specimen


class Screener:
    """Screens every text bound for the model."""

    def __init__(self, policy: ScreeningPolicy) -> None:
        self.policy = policy
        self._meaning = MeaningDetector(policy)
        self._numbers = NumberDetector(policy)
        signals, table = SignalDetector(policy), TableDetector()
        self._detectors: tuple[Detector, ...] = (
            self._numbers,
            ContactDetector(policy),
            AddressDetector(policy),
            BirthDateDetector(),
            signals,
            self._meaning,
            NameDetector(policy),
            table,
        )
        # the detectors that can find a block-class value under this policy, in the same order, for
        # `blocked`; None when the policy makes another detector's kind block-class (all then run)
        fast: tuple[Detector, ...] = (
            (self._numbers, signals, table) if policy.block_terms else (self._numbers, table)
        )
        slow_blocked = any(policy.action_for(kind) is Action.BLOCK for kind in _OTHER_DETECTORS_KINDS)
        self._block_detectors = None if slow_blocked else fast

    def screen(
        self, text: str, pseudonyms: PseudonymTable | None = None, *, confirmed: bool = False
    ) -> ScreeningResult:
        """Screen `text`; masks with (and adds to) `pseudonyms`; `confirmed` releases confirm findings."""
        views = Views(text)
        hits = [hit for detector in self._detectors for hit in detector.detect(views)]
        hits = [h for h in hits if not is_specimen(text, h)]  # 記入例：… / 例）…: the example itself
        if any(h.kind == "confidential" for h in hits) and (
            self._meaning.is_general(views.base.text, views.tokens) or public_material(views.base.text)
        ):
            # a question about the topic, not a case — unless pasted material carries a marking
            hits = [h for h in hits if h.kind != "confidential" or stamped(text, h)]
        if not any(h.kind == "confidential" for h in hits):
            # no rule holds a matter: the learned model weighs the whole message (one reason, not two)
            hits += [h for h in self._meaning.judged(views) if not is_specimen(text, h)]
        table = pseudonyms if pseudonyms is not None else PseudonymTable()
        chosen = self._resolve(hits)
        chosen = _with_blocked_copies(views, chosen, self._action)
        strongest = self._strongest_per_value(chosen)
        findings = tuple(self._finding(text, hit, strongest, table, confirmed) for hit in chosen)
        action = Action.strongest(f.action for f in findings)
        masked = _masked(text, findings)
        if action is Action.BLOCK:
            masked = _without_loose_digits(masked)
        return ScreeningResult(action=action, findings=findings, masked_text=masked)

    def screen_output(self, text: str) -> tuple[Finding, ...]:
        """Block-class findings in a model's answer (identifiers it echoed or invented), for the answer
        path to withhold before the text is shown, kept in history or recorded.

        Pure: no pseudonym table is touched; placeholders such as 〔個人番号1〕 are not findings."""
        return self.blocked(text)

    def blocked(self, text: str) -> tuple[Finding, ...]:
        """The block-class findings of `text`: exactly `screen(text).with_action(BLOCK)`, at a
        fraction of the cost (no tokenising, no name, address or meaning rules) where only the
        block-class values matter (a reply in the caller's own chat, identifiers split over
        messages, the model's answer).

        Exact because block-class hits come only from the number, table and forbidden-term
        detectors under a policy that makes no other kind block-class, and they win every overlap
        by rank; the one exception, a weak candidate (a check digit and nothing else), yields to
        any other detector's hit, so a text with one is screened in full."""
        if self._block_detectors is None:
            return self.screen(text, PseudonymTable()).with_action(Action.BLOCK)
        views = Views(text)
        hits = [hit for detector in self._block_detectors for hit in detector.detect(views)]
        if any(h.weak for h in hits):
            return self.screen(text, PseudonymTable()).with_action(Action.BLOCK)
        hits = [h for h in hits if h.kind != "confidential" and not is_specimen(text, h)]
        chosen = _with_blocked_copies(views, self._resolve(hits), self._action)
        strongest = self._strongest_per_value(chosen)
        table = PseudonymTable()
        findings = (self._finding(text, hit, strongest, table, False) for hit in chosen)
        return tuple(f for f in findings if f.action is Action.BLOCK)

    def screen_recent(
        self, previous: Sequence[str], text: str, *, text_blocked: Sequence[Finding] | None = None
    ) -> tuple[Finding, ...]:
        """Block-class findings that only appear when `text` is read after the previous user texts
        of the conversation (an identifier split over messages: 「前半は1234 5678」, then 「残りは9018」).

        Offsets are clipped to `text`; findings wholly inside the earlier texts are not returned
        (those texts were screened on their own when they were sent). `text_blocked`: the
        block-class findings of `text` screened alone, when the caller has them already (the
        screening stage: it just screened it), so `text` is not screened a second time."""
        earlier = "\n".join(t for t in previous if t)
        if not earlier or not any(c.isdigit() or c.isalpha() for c in text):
            return ()
        offset = len(earlier) + 1
        joined = self.blocked(earlier + "\n" + text)
        if text_blocked is None:
            text_blocked = self.blocked(text)
        alone = {(f.kind, f.start, f.end) for f in text_blocked}
        out = []
        for f in joined:
            if f.end <= offset:
                continue
            start, end = max(0, f.start - offset), f.end - offset
            if (f.kind, start, end) not in alone:
                out.append(replace(f, start=start, end=end))
        if not out and not alone:
            split = self._numbers.split_kind(earlier, text)
            if split is not None:
                kind, spans = split
                out = [self._split_finding(text, kind, span) for span in spans]
        return tuple(out)

    def _split_finding(self, text: str, kind: str, span: tuple[int, int]) -> Finding:
        value = text[span[0] : span[1]]
        return Finding(
            kind=kind,
            start=span[0],
            end=span[1],
            action=Action.BLOCK,
            category="personal",
            label=KIND_LABELS[kind],
            display=display(kind, value),
            placeholder=None,
        )

    def _action(self, hit: Hit) -> Action:
        """The policy's action for the kind; a detector may only strengthen a block-class kind."""
        policy = self.policy.action_for(hit.kind)
        if hit.action is None or policy is Action.BLOCK:
            return policy
        return hit.action

    def _resolve(self, hits: list[Hit]) -> list[Hit]:
        """Non-overlapping value hits plus all signal hits, in text order."""
        signals = [h for h in hits if h.kind == "confidential"]
        values = [h for h in hits if h.kind != "confidential" and h.end > h.start]
        strong = [h for h in values if not h.weak]
        weak = [h for h in values if h.weak and not any(_overlap(h, s) for s in strong)]  # weak hits are rare
        chosen = _Chosen()
        for hit in sorted(strong + weak, key=lambda h: (-self._action(h).rank, h.start - h.end, h.start)):
            if not chosen.overlaps(hit):
                chosen.add(hit)
        return sorted(chosen.hits + signals, key=lambda h: (h.start, h.end))

    def _strongest_per_value(self, hits: list[Hit]) -> dict[tuple[str, str], Action]:
        """The strongest action any occurrence of a value gets: a number blocked where it is labelled
        is blocked everywhere in the text, so no copy of it is left in the masked text."""
        strongest: dict[tuple[str, str], Action] = {}
        for hit in hits:
            key = (hit.kind, hit.key)
            strongest[key] = max(strongest.get(key, Action.ALLOW), self._action(hit))
        return strongest

    def _finding(
        self,
        text: str,
        hit: Hit,
        strongest: dict[tuple[str, str], Action],
        table: PseudonymTable,
        confirmed: bool,
    ) -> Finding:
        action = self._action(hit) if hit.kind == "confidential" else strongest[(hit.kind, hit.key)]
        if confirmed and action is Action.CONFIRM:
            action = Action.ALLOW
        value = text[hit.start : hit.end]
        placeholder = table.placeholder(hit.kind, hit.key, value) if action is Action.MASK else None
        return Finding(
            kind=hit.kind,
            start=hit.start,
            end=hit.end,
            action=action,
            category=_category(hit),
            label=KIND_LABELS[hit.kind],
            display=display(hit.kind, value, hit.signal),
            placeholder=placeholder,
            signal=hit.signal,
        )


def _with_blocked_copies(views: Views, hits: list[Hit], action_of: Callable[[Hit], Action]) -> list[Hit]:
    """Also block every other occurrence of a blocked number's digits, wherever it sits.

    A number blocked where it is labelled may appear again unlabelled, run into other digits or
    split differently; the masked text must not keep any copy of it.
    """
    blocked = Counter(
        h.key for h in hits if action_of(h) is Action.BLOCK and h.key.isdigit() and len(h.key) >= 6
    )
    num = views.num
    all_digits = _NOT_DIGIT.sub("", num.text)
    blocked = Counter(
        {k: n for k, n in blocked.items() if all_digits.count(k) > n}
    )  # copies outside the hits
    if not blocked:
        return hits
    positions = [m.start() for m in _DIGIT.finditer(num.text)]
    digits = all_digits
    extra = []
    for key in blocked:
        for m in re.finditer(f"(?={key})", digits):
            start, end = num.span(positions[m.start()], positions[m.start() + len(key) - 1] + 1)
            copy = Hit(_kind_of(hits, key, action_of), start, end, key, action=Action.BLOCK)
            if not any(_overlap(copy, h) and action_of(h) is Action.BLOCK for h in hits):
                extra.append(copy)
    kept = [h for h in hits if h.kind == "confidential" or not any(_overlap(h, e) for e in extra)]
    return sorted(kept + extra, key=lambda h: (h.start, h.end))


_DIGIT = re.compile(r"[0-9]")
_NOT_DIGIT = re.compile(r"[^0-9]+")


def _kind_of(hits: list[Hit], key: str, action_of: Callable[[Hit], Action]) -> str:
    """The kind of the blocked hit whose digits are `key`."""
    return next(h.kind for h in hits if h.key == key and action_of(h) is Action.BLOCK)


_OTHER_DETECTORS_KINDS = (
    "phone",
    "email",
    "postal_code",
    "address",
    "birth_date",
    "person_name",
    "confidential",
)
"""Kinds only the contact, address, date, meaning and name detectors find (see `Screener.blocked`)."""


def _category(hit: Hit) -> str:
    if hit.category:
        return hit.category
    if hit.kind == "corporate_number":
        return "corporate"
    return "personal" if hit.kind in PERSONAL_KINDS else ""


def _overlap(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


class _Chosen:
    """Non-overlapping hits kept sorted by start, with an O(log n) overlap test."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self._starts: list[int] = []

    def overlaps(self, hit: Hit) -> bool:
        """Whether `hit` overlaps a kept hit: only the last one starting before its end can."""
        i = bisect.bisect_left(self._starts, hit.end)
        return i > 0 and self.hits[i - 1].end > hit.start

    def add(self, hit: Hit) -> None:
        """Keep `hit`."""
        i = bisect.bisect_left(self._starts, hit.start)
        self._starts.insert(i, hit.start)
        self.hits.insert(i, hit)


_PLACEHOLDER_OR_DIGIT = re.compile(r"(〔[^〕]{1,20}〕)|[0-9０-９]")


def _without_loose_digits(masked: str) -> str:
    """A blocked text's record keeps no digits at all outside placeholders: what is left of a number
    split into pieces could otherwise be read back together."""
    return _PLACEHOLDER_OR_DIGIT.sub(lambda m: m.group(1) or "＊", masked)


def _masked(text: str, findings: tuple[Finding, ...]) -> str:
    """`text` with masked spans replaced by placeholders and blocked spans by a redaction mark."""
    out, pos = [], 0
    for f in findings:
        if f.kind == "confidential" or f.action not in (Action.MASK, Action.BLOCK) or f.start < pos:
            continue
        out.append(text[pos : f.start])
        out.append(f.placeholder if f.placeholder else f"〔{f.label}〕")
        pos = f.end
    out.append(text[pos:])
    return "".join(out)
