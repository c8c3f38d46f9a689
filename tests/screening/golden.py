"""Golden identity check of the screening engine: the same texts must give byte-identical results.

    python -m tests.screening.golden --out /tmp/golden-before.jsonl     # full record, every text
    python -m tests.screening.golden --out /tmp/golden-after.jsonl
    cmp /tmp/golden-before.jsonl /tmp/golden-after.jsonl                # must be identical

    python -m tests.screening.golden --pin      # rewrite the pinned digest of the quick subset
                                                # (tests/screening/golden_digest.json), checked by
                                                # tests/screening/test_golden.py

A change meant to be behaviour-preserving (speed: shared tokenisation, prefilters, caches) must
leave every line of the full record unchanged. A change that legitimately changes results (a new
rule) regenerates the pinned digest with `--pin` and says so in its commit.

What is recorded, per text and per policy (default, iwaki, maebashi): `Screener.screen` (action,
every finding field, masked text) with a fresh pseudonym table, with `confirmed=True`, and with one
table shared by the whole file (placeholder numbering across messages); `screen_output`;
`screen_recent` with the previous three texts of the same file; `Gate.screen_answer`.

Texts: every red-team round (tests/screening/redteam/*.jsonl, the frozen set included), the
labelled suite (tests/screening/cases.jsonl), the shared dev set when present, and long texts
(2,000 to 9,000 characters) built from them, which exercise chunked tokenisation and the rules
that look across sentences. The frozen set is recorded only as a digest per line: its texts and
results are never written out, so nobody reads or tunes on them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.core.exits import Gate
from bot.core.policy import load_policy
from bot.core.screening import PseudonymTable, Screener, ScreeningPolicy, ScreeningResult
from bot.core.screening.model import Finding

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REDTEAM = HERE / "redteam"
DEV_SET = REPO.parent / "shared" / "eval" / "screening-dev.jsonl"
PINNED = HERE / "golden_digest.json"
HIDDEN = frozenset({"frozen.jsonl"})  # recorded as digests only
POLICIES = ("default", "iwaki", "maebashi")


def sources() -> list[tuple[str, list[str]]]:
    """(name, texts) of every case file, in a fixed order."""
    paths = [*sorted(REDTEAM.glob("*.jsonl")), HERE / "cases.jsonl"]
    if DEV_SET.is_file():
        paths.append(DEV_SET)
    out = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        out.append((path.name, [json.loads(line)["text"] for line in lines if line.strip()]))
    return out


def long_texts(pool: list[str], count: int, *, seed: int) -> list[str]:
    """`count` texts of 2,000–9,000 characters joined from `pool` (sentence ends and line breaks)."""
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        size = rnd.choice((2000, 2000, 3000, 4500, 9000))
        text = ""
        while len(text) < size:
            text += rnd.choice(pool) + rnd.choice(("。", "\n", "\n\n", " "))
        out.append(text[:size])
    return out


def screeners() -> dict[str, Screener]:
    """One Screener per policy."""
    out = {"default": Screener(ScreeningPolicy.default())}
    for name in POLICIES[1:]:
        out[name] = Screener(load_policy(name).screening)
    return out


def _finding(f: Finding) -> list[Any]:
    return [f.kind, f.start, f.end, f.action.value, f.category, f.label, f.display, f.placeholder, f.signal]


def _result(r: ScreeningResult) -> dict[str, Any]:
    return {"action": r.action.value, "findings": [_finding(f) for f in r.findings], "masked": r.masked_text}


def records(
    screener: Screener, texts: list[str], *, full: bool = True, recent: bool = True
) -> Iterator[dict[str, Any]]:
    """One record per text: every entry point the engine offers, on that text."""
    shared = PseudonymTable()
    for i, text in enumerate(texts):
        rec: dict[str, Any] = {"screen": _result(screener.screen(text, PseudonymTable()))}
        if full:
            rec["confirmed"] = _result(screener.screen(text, PseudonymTable(), confirmed=True))
            rec["shared"] = _result(screener.screen(text, shared))
            rec["output"] = [_finding(f) for f in screener.screen_output(text)]
            answer = Gate(screener).screen_answer(text)
            rec["answer"] = [answer.text, answer.redacted, answer.masked, dict(answer.kinds)]
        if recent:
            rec["recent"] = [_finding(f) for f in screener.screen_recent(texts[max(0, i - 3) : i], text)]
        yield rec


def _line(source: str, index: int, policy: str, rec: dict[str, Any]) -> str:
    body = json.dumps(rec, ensure_ascii=False, sort_keys=True)
    if source in HIDDEN:
        body = json.dumps({"sha256": hashlib.sha256(body.encode()).hexdigest()})
    return f"{policy}\t{source}\t{index}\t{body}\n"


def full_record(out: Path, *, policies: tuple[str, ...] = POLICIES) -> str:
    """Write the full record to `out`; return its sha256."""
    engines = screeners()
    files = sources()
    pool = [t for name, texts in files if name not in HIDDEN for t in texts]
    files.append(("long", long_texts(pool, 120, seed=11)))
    digest = hashlib.sha256()
    with out.open("w", encoding="utf-8") as fh:
        for policy in policies:
            for name, texts in files:
                full = policy == "default" or name == "long"
                for i, rec in enumerate(records(engines[policy], texts, full=full)):
                    line = _line(name, i, policy, rec)
                    digest.update(line.encode())
                    fh.write(line)
    return digest.hexdigest()


def quick_digest() -> dict[str, str]:
    """sha256 per source of a quick subset (every 12th case of each file, 12 long texts), default
    and iwaki policies: the pinned identity check of the suite (a few seconds)."""
    engines = {name: s for name, s in screeners().items() if name in ("default", "iwaki")}
    files = [(name, texts[::12]) for name, texts in sources() if name != DEV_SET.name]
    pool = [t for name, texts in files for t in texts if name not in HIDDEN]  # no dev set: absent in CI
    files.append(("long", long_texts(pool, 12, seed=5)))
    out = {}
    for policy, screener in engines.items():
        for name, texts in files:
            digest = hashlib.sha256()
            for i, rec in enumerate(records(screener, texts, full=policy == "default")):
                digest.update(_line(name, i, policy, rec).encode())
            out[f"{policy}/{name}"] = digest.hexdigest()
    return out


def main() -> int:
    """Write the full record, or pin the quick digest."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the full record here")
    parser.add_argument("--pin", action="store_true", help=f"rewrite {PINNED.relative_to(REPO)}")
    parser.add_argument("--policy", action="append", choices=POLICIES, help="only these policies")
    args = parser.parse_args()
    if args.pin:
        PINNED.write_text(json.dumps(quick_digest(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"pinned {PINNED.relative_to(REPO)}")
    if args.out:
        print(full_record(args.out, policies=tuple(args.policy or POLICIES)))
    if not args.pin and not args.out:
        parser.error("give --out FILE and/or --pin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
