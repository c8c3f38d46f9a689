"""The one screening gate for every text that leaves the bot (no botbuilder, no UI strings).

Screening (bot.core.screening) decides what a text contains; this gate decides what may leave,
by where it goes:

    Exit.MODEL     to the model                 block-class refused upstream, mask-class masked
    Exit.ANSWER    the model's answer           block-class redacted, invented mask-class masked
                                                (person names by the answer's own precise rules:
                                                `screen_answer`, bot.core.screening.output_names;
                                                phone/e-mail/address only when a person's: a
                                                mobile number, or on a line with a masked name)
    Exit.OWN_CHAT  a reply in the caller's own  block-class redacted (the caller's own values,
                   personal chat, in their turn restored by the dialog, stay)
    Exit.PERSON    someone's personal chat      block-class redacted, mask-class masked, links
                   (proactive notices)          typed by someone else made unclickable
    Exit.CHANNEL   a channel, group chat, card  block-class redacted, mask-class masked,
                                                confirm-class withheld (never attached), links
                                                made unclickable
    Exit.STORAGE   records, tickets, feedback,  block-class redacted, mask-class masked
                   applications, department
    Exit.LOG       log lines                    block-class redacted, mask-class masked

Block-class kinds (identifiers: My Number…) never leave anywhere. Mask-class kinds leave masked;
only the person who typed a value gets it back, in the answer to their own turn (the dialog
restores from the caller's own pseudonyms). Names the Teams directory gave us (display names of
staff, @mentions) are not personal data typed into the bot and pass as they are when the caller
names them (`known_names`).

The gate's product is `ScreenedText`, a frozen value that only this module can construct: the
outbound connector client (bot.teams.channels) and the record writer take nothing else, so a new
feature cannot forget to screen (tests/security/test_exits_structure.py walks the code for it).
"""

from __future__ import annotations

import contextlib
import enum
import logging
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from bot.core.screening import Action, Finding, Screener, ScreeningResult
from bot.core.screening.output_names import name_findings

_SEAL = object()
_PRODUCED_MAX = 1024
_RESULTS_MAX = 256
_RESULT_TEXT_MAX = 200
"""Screening results of short texts are kept (the bot's fixed texts: the informative typing line,
card labels, notes); a result depends on the text alone."""
_PREFIX_MIN = 256
_PREFIX_KEY = 64
_TAIL = 200
"""A reply that starts with a text this gate produced (the screened answer, then references and the
footer) is screened from the start of the line TAIL characters before the end of that text: what
follows is read with its context (four times the reach of an identifier's label), and what came
before is a fixed point already."""
_LINK = re.compile(r"(?i)\b(https?|ftp)://|\bwww\.")
_MD_LINK = re.compile(r"\[([^\]\n]{0,200})\]\(([^)\s]{0,500})\)")


class Exit(enum.StrEnum):
    """Where a text is going."""

    MODEL = "model"
    ANSWER = "answer"
    OWN_CHAT = "own_chat"
    PERSON = "person"
    CHANNEL = "channel"
    STORAGE = "storage"
    LOG = "log"


_MASKING = frozenset({Exit.MODEL, Exit.ANSWER, Exit.STORAGE, Exit.LOG})
"""Exits with the same rule (block-class redacted, mask-class masked, nothing withheld)."""
_FIXED_POINT = _MASKING | {Exit.OWN_CHAT}
"""Exits for which a text the gate produced for a masking exit passes as it is: it is a fixed point
of the masking rule, and the caller's own chat only redacts block-class values (a subset of it)."""


@dataclass(frozen=True)
class ScreenedText:
    """A text that passed the gate for `exit`. Only `Gate` makes these (the seal is private)."""

    text: str
    exit: Exit
    withheld: bool = False  # confirm-class content replaced by the withheld notice
    redacted: int = 0  # block-class values replaced
    masked: int = 0  # mask-class values replaced
    kinds: Mapping[str, int] = field(default_factory=dict)
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._seal is not _SEAL:
            raise TypeError("ScreenedText is made only by bot.core.exits.Gate")

    def __str__(self) -> str:
        return self.text

    @property
    def changed(self) -> bool:
        """True when the gate changed anything."""
        return self.withheld or self.redacted > 0 or self.masked > 0


class Gate:
    """Screens texts for an exit (see the module docstring)."""

    def __init__(self, screener: Screener, *, withheld_notice: str = "〔非公開〕") -> None:
        self.screener = screener
        self.withheld_notice = withheld_notice
        # texts this gate produced for a masking exit are fixed points of those exits: the record
        # writer re-checks every field, and an answer the dialog already screened costs nothing
        self._produced: OrderedDict[str, None] = OrderedDict()
        self._by_start: dict[str, set[str]] = {}  # produced texts of _PREFIX_MIN+ chars by their start
        self._results: OrderedDict[str, ScreeningResult] = OrderedDict()
        self._block_results: OrderedDict[str, ScreeningResult] = OrderedDict()  # Exit.OWN_CHAT's

    def screen(
        self,
        text: str,
        exit: Exit,
        *,
        known_names: Iterable[str] = (),
        own_values: Iterable[str] = (),
        names_pass: bool = False,
        foreign: bool = True,
        withhold: bool = True,
    ) -> ScreenedText:
        """`text` made safe for `exit`.

        known_names: directory display names that may pass (person-name findings inside them).
        own_values:  values the recipient typed themselves (restored pseudonyms) that may pass.
        names_pass:  person names pass (cards and notices built from directory fields, whose free
                     text was masked where it entered the bot).
        foreign:     the text was written by someone other than its recipient (links defanged).
        withhold:    for Exit.CHANNEL, replace confirm-class text (False only for the bot's own
                     fixed texts, whose words about 部外秘 are guidance, not content).
        """
        if not text:
            return _sealed("", exit)
        if exit in _FIXED_POINT and text in self._produced:
            self._produced.move_to_end(text)
            return _sealed(text, exit)
        if exit is Exit.OWN_CHAT:  # only block-class values are redacted there: nothing else is read
            result = self._after_produced(text)
            if result is None:
                result = self._blocked(text)
            return self.apply(text, result, exit)  # no exemptions: the caller's own chat masks nothing
        result = self._screened(text)
        return self.apply(
            text,
            result,
            exit,
            known_names=known_names,
            own_values=own_values,
            names_pass=names_pass,
            foreign=foreign,
            withhold=withhold,
        )

    def apply(
        self,
        text: str,
        result: ScreeningResult,
        exit: Exit,
        *,
        known_names: Iterable[str] = (),
        own_values: Iterable[str] = (),
        names_pass: bool = False,
        foreign: bool = True,
        withhold: bool = True,
    ) -> ScreenedText:
        """Like `screen`, for a text already screened (the screening stage's own result)."""
        if exit is Exit.CHANNEL and withhold and any(f.action is Action.CONFIRM for f in result.findings):
            return _sealed(self.withheld_notice, exit, withheld=True, kinds=result.counts())
        mask = exit is not Exit.OWN_CHAT
        exempt = _exemptions(text, result.findings, known_names, own_values, names_pass=names_pass)
        out, redacted, masked = _render(text, result.findings, mask=mask, exempt=exempt)
        if foreign and exit in (Exit.CHANNEL, Exit.PERSON):
            out = defang_links(out)
        if exit in _MASKING and not exempt:
            self._remember(out)
        return _sealed(out, exit, redacted=redacted, masked=masked, kinds=result.counts())

    def screen_answer(self, text: str, *, private_names: Mapping[str, str] | None = None) -> ScreenedText:
        """The model's answer for Exit.ANSWER. Person names are judged by the answer's own
        high-precision rules (bot.core.screening.output_names), not by the input detector, whose
        recall-first name rules garble ordinary words in generated text; every other kind as
        `screen`. `private_names` (value → placeholder, the conversation's pseudonym table) are
        masked with their own placeholders, which the dialog restores only for their owner."""
        if not text:
            return _sealed("", Exit.ANSWER)
        if text in self._produced:
            self._produced.move_to_end(text)
            return _sealed(text, Exit.ANSWER)
        result = self._screened(text)
        found = name_findings(text, private_names)
        others = [
            f for f in result.findings if f.kind != "person_name" and not _public_contact(text, f, found)
        ]
        names = [n for n in found if all(n.end <= f.start or n.start >= f.end for f in others)]
        findings = tuple(sorted((*others, *names), key=lambda f: (f.start, -f.end)))
        answer = ScreeningResult(action=result.action, findings=findings, masked_text=result.masked_text)
        return self.apply(text, answer, Exit.ANSWER)

    def _screened(self, text: str) -> ScreeningResult:
        """The screener's result for `text` (kept for short texts, which repeat)."""
        if len(text) > _RESULT_TEXT_MAX:
            return self.screener.screen(text)
        result = self._results.get(text)
        if result is None:
            result = self._results[text] = self.screener.screen(text)
            while len(self._results) > _RESULTS_MAX:
                self._results.popitem(last=False)
        else:
            with contextlib.suppress(KeyError):  # log lines are screened on other threads too
                self._results.move_to_end(text)
        return result

    def _blocked(self, text: str) -> ScreeningResult:
        """`text`'s block-class findings as a result (kept for short texts, like `_screened`)."""
        if len(text) > _RESULT_TEXT_MAX:
            return _block_result(text, self.screener.blocked(text))
        kept = self._results.get(text)
        if kept is not None:
            return _block_result(text, kept.with_action(Action.BLOCK))
        result = self._block_results.get(text)
        if result is None:
            result = self._block_results[text] = _block_result(text, self.screener.blocked(text))
            while len(self._block_results) > _RESULTS_MAX:
                self._block_results.popitem(last=False)
        else:
            with contextlib.suppress(KeyError):
                self._block_results.move_to_end(text)
        return result

    def _after_produced(self, text: str) -> ScreeningResult | None:
        """For a text that starts with a long text this gate produced (the final message: the
        screened answer, then its references and footer): the findings of the part from TAIL
        characters before the end of that text (from the start of its line) to the end, at their
        offsets in `text`. None when `text` starts with no such text."""
        starts = tuple(self._by_start.get(text[:_PREFIX_KEY], ()))  # a copy: see _screened
        produced = max((p for p in starts if text.startswith(p)), key=len, default="")
        if not produced or len(produced) == len(text):
            return None
        with contextlib.suppress(KeyError):
            self._produced.move_to_end(produced)
        cut = text.rfind("\n", 0, max(0, len(produced) - _TAIL)) + 1
        window = self.screener.blocked(text[cut:])
        return _block_result(text, tuple(replace(f, start=f.start + cut, end=f.end + cut) for f in window))

    def _remember(self, text: str) -> None:
        self._produced[text] = None
        self._produced.move_to_end(text)
        if len(text) >= _PREFIX_MIN:
            self._by_start.setdefault(text[:_PREFIX_KEY], set()).add(text)
        while len(self._produced) > _PRODUCED_MAX:
            old, _ = self._produced.popitem(last=False)
            starts = self._by_start.get(old[:_PREFIX_KEY])
            if starts is not None:
                starts.discard(old)
                if not starts:
                    self._by_start.pop(old[:_PREFIX_KEY], None)


def _block_result(text: str, findings: tuple[Finding, ...]) -> ScreeningResult:
    """A result holding only block-class findings (what Exit.OWN_CHAT reads)."""
    return ScreeningResult(
        action=Action.BLOCK if findings else Action.ALLOW, findings=findings, masked_text=text
    )


_CONTACT_KINDS = frozenset({"phone", "email", "address", "postal_code"})
_MOBILE = re.compile(r"^0[789]0[0-9]{8}$")


def _public_contact(text: str, finding: Finding, names: Iterable[Finding]) -> bool:
    """A phone number, e-mail address or address the model wrote that is an office's, not a
    person's: left as written in the answer.

    The model never saw a value the user typed (its input was masked), so a contact detail in an
    answer is one it reproduces (a city hall's number, a public address) or invents. It is masked
    only when it is clearly a person's: a mobile number (070/080/090), or on the same line as a
    name the answer rules mask (乙の担当者：今井 里奈（電話 03-…）)."""
    if finding.kind not in _CONTACT_KINDS or finding.action is not Action.MASK:
        return False
    value = unicodedata.normalize("NFKC", text[finding.start : finding.end])
    digits = re.sub(r"[^0-9]", "", value)
    if finding.kind == "phone" and _MOBILE.match("0" + digits[2:] if digits.startswith("81") else digits):
        return False
    line_start = text.rfind("\n", 0, finding.start) + 1
    line_end = text.find("\n", finding.end)
    line_end = len(text) if line_end < 0 else line_end
    return not any(line_start <= n.start and n.end <= line_end for n in names)


def _sealed(text: str, exit: Exit, **fields: object) -> ScreenedText:
    return ScreenedText(text, exit, _seal=_SEAL, **fields)  # type: ignore[arg-type]


def _norm(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


def _exemptions(
    text: str,
    findings: Iterable[Finding],
    known_names: Iterable[str],
    own_values: Iterable[str],
    *,
    names_pass: bool = False,
) -> set[int]:
    """Indexes of mask-class findings that may pass: inside a directory name, or the recipient's own value."""
    names = [n for n in (_norm(x) for x in known_names) if n]
    own = {n for n in (_norm(x) for x in own_values) if n}
    if not names and not own and not names_pass:
        return set()
    exempt: set[int] = set()
    for i, f in enumerate(findings):
        if f.action is not Action.MASK:
            continue
        value = _norm(text[f.start : f.end])
        is_name = f.kind == "person_name"
        if value in own or (is_name and (names_pass or any(value in name for name in names))):
            exempt.add(i)
    return exempt


def _render(
    text: str, findings: tuple[Finding, ...], *, mask: bool, exempt: set[int]
) -> tuple[str, int, int]:
    """`text` with block-class values redacted (and mask-class ones masked when `mask`)."""
    out: list[str] = []
    pos = redacted = masked = 0
    for i, f in enumerate(findings):
        if f.kind == "confidential" or f.start < pos or i in exempt:
            continue
        if f.action is Action.BLOCK:
            out += [text[pos : f.start], f"〔{f.label}〕"]
            redacted += 1
        elif f.action is Action.MASK and mask:
            out += [text[pos : f.start], f.placeholder or f"〔{f.label}〕"]
            masked += 1
        else:
            continue
        pos = f.end
    out.append(text[pos:])
    return "".join(out), redacted, masked


def defang_links(text: str) -> str:
    """Links typed by someone else, made unclickable: `[t](u)` → `t (u)`, `https://` → `https[:]//`."""
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    return _LINK.sub(lambda m: m.group(0).replace("://", "[:]//").replace("www.", "www[.]"), text)


class LogGate(logging.Filter):
    """A handler filter: every log line passes the gate (Exit.LOG) before it is written.

    Log calls in this code base name ids, kinds and counts only; this is the net under that
    convention (a library that logs a request body, an exception message echoing user text)."""

    def __init__(self, gate: Gate) -> None:
        super().__init__()
        self.gate = gate

    def filter(self, record: logging.LogRecord) -> bool:
        """Screen the formatted message (always lets the record through)."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        if _LOG_WORTH.search(message):
            screened = self.gate.screen(message, Exit.LOG).text
            if screened != message:
                record.msg, record.args = screened, ()
        return True


_LOG_WORTH = re.compile(r"[^\x00-\x7f]|@|[0-9０-９][0-9０-９ \-]{5,}")


def install_log_gate(gate: Gate, logger: logging.Logger | None = None) -> None:
    """Put (or refresh) the LogGate on every handler of `logger` (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        existing = [f for f in handler.filters if isinstance(f, LogGate)]
        if existing:
            existing[0].gate = gate
        else:
            handler.addFilter(LogGate(gate))
