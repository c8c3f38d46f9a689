"""Score the real screening engine on red-team sets written by people who never read the code.

    python -m tests.screening.redteam.score tests/screening/redteam/round1.jsonl [...] [--policy iwaki]
        [--show-wrong] [--json]

Each case is `{"id", "text", "expect": block|mask|confirm|allow, "spans", "kind", "note"}`.
The rule is the shared scorer's (/work/shared/eval/score_screening.py): a sensitive case is
*protected* when what would reach the model carries none of its spans — block and confirm hold
the message back, mask must remove every span (as typed, as NFKC text, and as its digits when it
has six or more); a block case is only right when it is blocked. A benign case is right when it
is allowed.

Reported:
- per red-team kind: cases, right (the recall of the kind: protected as the label asks, or for a
  benign kind left alone), leaked, held back (block/confirm) and masked;
- per finding kind of the engine: precision = of the messages where the engine raised that kind
  (block, confirm or mask), the share that were sensitive messages (a finding in a benign message
  is a false alarm);
- the issue's four targets: identifiers blocked (100 %), sensitive leaked (≤ 3 %), benign blocked
  or confirmed (≤ 3 %), benign masked (≤ 5 %).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.policy import load_policy
from bot.core.screening import Action, PseudonymTable, Screener, ScreeningResult

SENSITIVE = ("block", "mask", "confirm")
TARGETS = {"identifiers_blocked": 1.0, "sensitive_leaked": 0.03, "benign_held": 0.03, "benign_masked": 0.05}
"""The issue's targets: identifiers blocked ≥, the three rates ≤."""


def load_cases(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """All cases of the given JSON Lines files, in order."""
    cases = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(json.loads(line))
    return cases


def leaks(span: str, sent: str) -> bool:
    """The span (as typed, NFKC, or its digits when it has 6+) appears in what is sent."""
    norm = unicodedata.normalize("NFKC", span)
    sent_norm = unicodedata.normalize("NFKC", sent)
    digits = "".join(c for c in norm if c.isdigit())
    if len(digits) >= 6 and digits in "".join(c for c in sent_norm if c.isdigit()):
        return True
    return any(v and not v.isdigit() and (v in sent or v in sent_norm) for v in (span, norm))


@dataclass
class Outcome:
    """How the engine handled one case."""

    case: dict[str, Any]
    action: str
    masked_text: str
    finding_kinds: frozenset[str]
    protected: bool
    right: bool


def judge(case: dict[str, Any], result: ScreeningResult) -> Outcome:
    """Apply the scorer's rule to one case."""
    act = result.action.value
    expect = case["expect"]
    if expect == "allow":
        protected, right = True, act == "allow"
    else:
        if act in ("block", "confirm"):
            protected = True
        elif act == "mask":
            spans = case.get("spans") or []
            protected = bool(spans) and not any(leaks(s, result.masked_text) for s in spans)
        else:
            protected = False
        right = protected and (act == "block" if expect == "block" else True)
    kinds = frozenset(f.kind for f in result.findings if f.action is not Action.ALLOW)
    return Outcome(case, act, result.masked_text, kinds, protected, right)


@dataclass
class Report:
    """Scores over a list of outcomes."""

    outcomes: list[Outcome]
    by_kind: dict[str, list[Outcome]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_kind = defaultdict(list)
        for o in self.outcomes:
            self.by_kind[o.case.get("kind", "?")].append(o)

    def _of(self, *expects: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.case["expect"] in expects]

    @property
    def targets(self) -> dict[str, float]:
        """The four target figures."""
        blocks, sensitive, benign = self._of("block"), self._of(*SENSITIVE), self._of("allow")
        return {
            "identifiers_blocked": _rate(sum(o.action == "block" for o in blocks), len(blocks), 1.0),
            "sensitive_leaked": _rate(sum(not o.protected for o in sensitive), len(sensitive)),
            "benign_held": _rate(sum(o.action in ("block", "confirm") for o in benign), len(benign)),
            "benign_masked": _rate(sum(o.action == "mask" for o in benign), len(benign)),
        }

    def failures(self) -> list[str]:
        """The targets that do not hold, as sentences."""
        out = []
        for name, value in self.targets.items():
            goal = TARGETS[name]
            ok = value >= goal if name == "identifiers_blocked" else value <= goal
            if not ok:
                out.append(
                    f"{name} = {value:.1%} (target {'≥' if name == 'identifiers_blocked' else '≤'}"
                    f" {goal:.0%})"
                )
        return out

    def kind_rows(self) -> list[tuple[str, str, int, int, int, int, int]]:
        """(kind, expect, n, right, leaked, held back, masked) per red-team kind."""
        rows = []
        for kind in sorted(self.by_kind, key=lambda k: (k.startswith("benign"), k)):
            items = self.by_kind[kind]
            expect = Counter(o.case["expect"] for o in items).most_common(1)[0][0]
            rows.append(
                (
                    kind,
                    expect,
                    len(items),
                    sum(o.right for o in items),
                    sum(not o.protected for o in items),
                    sum(o.action in ("block", "confirm") for o in items),
                    sum(o.action == "mask" for o in items),
                )
            )
        return rows

    def precision_rows(self) -> list[tuple[str, int, int]]:
        """(finding kind, messages with it, of which sensitive) for every finding kind raised."""
        raised: Counter[str] = Counter()
        correct: Counter[str] = Counter()
        for o in self.outcomes:
            for kind in o.finding_kinds:
                raised[kind] += 1
                correct[kind] += o.case["expect"] != "allow"
        return [(k, raised[k], correct[k]) for k in sorted(raised)]


def _rate(part: int, whole: int, empty: float = 0.0) -> float:
    return part / whole if whole else empty


def score(screener: Screener, cases: Sequence[dict[str, Any]]) -> Report:
    """Screen every case with a fresh pseudonym table and judge it."""
    return Report([judge(c, screener.screen(c["text"], PseudonymTable())) for c in cases])


def render(report: Report, *, show_wrong: bool = False) -> str:
    """The report as text (Markdown tables, so it pastes into the README)."""
    lines = [
        "| kind | expect | cases | right | recall | leaked | held back | masked |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, expect, n, right, leaked, held, masked in report.kind_rows():
        lines.append(
            f"| {kind} | {expect} | {n} | {right} | {right / n:.0%} | {leaked} | {held} | {masked} |"
        )
    lines += [
        "",
        "| finding kind | messages raised | in sensitive messages | precision |",
        "|---|---|---|---|",
    ]
    for kind, raised, correct in report.precision_rows():
        lines.append(f"| {kind} | {raised} | {correct} | {correct / raised:.0%} |")
    t = report.targets
    n_block, n_sens, n_benign = (
        len(report._of("block")),
        len(report._of(*SENSITIVE)),
        len(report._of("allow")),
    )
    lines += [
        "",
        f"identifiers blocked {t['identifiers_blocked']:.1%} (of {n_block}) · "
        f"sensitive leaked {t['sensitive_leaked']:.1%} (of {n_sens}) · "
        f"benign blocked or confirmed {t['benign_held']:.1%} · benign masked"
        f" {t['benign_masked']:.1%} (of {n_benign})",
    ]
    failures = report.failures()
    lines.append("targets: " + ("all met" if not failures else "NOT met: " + "; ".join(failures)))
    if show_wrong:
        lines.append("")
        for o in report.outcomes:
            if not o.right:
                text = o.case["text"].replace("\n", "⏎")[:90]
                lines.append(
                    f"  {o.case['id']} [{o.case.get('kind')}] expect={o.case['expect']}"
                    f" got={o.action}: {text}"
                )
                if o.action == "mask" and not o.protected:
                    lines.append(f"      sent: {o.masked_text.replace(chr(10), '⏎')[:110]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; exit code 1 when a target is missed."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.screening.redteam.score", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--policy", default="iwaki")
    parser.add_argument("--show-wrong", action="store_true", help="list every case handled wrongly")
    parser.add_argument("--json", action="store_true", help="print the target figures as JSON")
    args = parser.parse_args(argv)
    screener = Screener(load_policy(args.policy).screening)
    report = score(screener, load_cases(args.files))
    if args.json:
        print(json.dumps(report.targets))
    else:
        print(render(report, show_wrong=args.show_wrong))
    return 1 if report.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
