"""Train the learned confidential-matter model (`bot/core/screening/learned.py`) from the red-team rounds.

    python -m tests.screening.learn            # retrain, write bot/core/screening/learned.json
    python -m tests.screening.learn --check    # exit 1 when the shipped file is not what training gives
    python -m tests.screening.learn --cross    # leave-one-round-out: what the model adds on a round it
                                               # was not trained on (the honest estimate)

Training data: every `tests/screening/redteam/round*.jsonl` (never `frozen.jsonl`, never `next/`):
a message labelled `confirm` is a positive, every other message (identifiers, personal data,
benign) a negative. The category of a positive comes from its red-team kind (KIND_CATEGORY).
Training is deterministic (fixed seed, sorted features), so `--check` can compare byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from bot.core.policy import load_policy
from bot.core.screening import PseudonymTable, Screener
from bot.core.screening.detectors import Views
from bot.core.screening.learned import MODEL_FILE, LearnedModel, features

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = ROOT / "tests" / "screening" / "redteam"
OUT = ROOT / "bot" / "core" / "screening" / MODEL_FILE

THRESHOLD = 0.85
"""Chosen by the leave-one-round-out run (`--cross`): at 0.85 the model caught about half of the
confidential messages the rules let through on rounds it had not seen, and newly held one benign
message in two thousand; at 0.8 it held five (the benign side's budget is 3 % per round)."""
EPOCHS = 12
RATE = 0.3
L2 = 1e-4
PRUNE = 0.02
"""Weights smaller than this are dropped from the file (they move no decision)."""
SEED = 20261202

KIND_CATEGORY = {
    "conf_bid": "operations",
    "conf_personnel": "operations",
    "conf_land": "operations",
    "conf_audit_exam": "operations",
    "conf_investigation": "public_safety",
    "conf_tax": "law_secret",
    "conf_child": "personal",
    "conf_whistle": "personal",
    "conf_deliberation": "deliberation",
    "conf_euphemism": "deliberation",
    "conf_marking": "deliberation",
}
"""The ordinance category of each red-team kind: the category the rules give most of the kind's
messages they hold (counted on rounds 1-4)."""
CATEGORIES = tuple(sorted(set(KIND_CATEGORY.values())))

Example = tuple[frozenset[str], int, str]  # features, label, category ('' for negatives)


def round_files() -> list[Path]:
    """The labelled rounds the model is trained on, in order."""
    return sorted(ROUNDS.glob("round*.jsonl"), key=lambda p: int(p.stem.removeprefix("round")))


def digest(paths: Iterable[Path]) -> str:
    """sha256 over the rounds' bytes (names and contents)."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def examples(path: Path) -> list[Example]:
    """The round's messages as training examples."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        positive = case["expect"] == "confirm"
        category = KIND_CATEGORY.get(case["kind"], "deliberation") if positive else ""
        out.append((frozenset(features(Views(case["text"]).tokens)), int(positive), category))
    return out


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _binary(data: Sequence[Example]) -> tuple[float, dict[str, float]]:
    """Logistic regression by SGD (every example, EPOCHS times, in a seeded order)."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(data)))
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            feats, label, _ = data[i]
            ordered = sorted(feats)
            g = _sigmoid(bias + sum(weights.get(f, 0.0) for f in ordered)) - label
            bias -= RATE * g
            for f in ordered:
                w = weights.get(f, 0.0)
                weights[f] = w - RATE * (g + L2 * w)
    return bias, weights


def _softmax(data: Sequence[Example]) -> tuple[list[float], dict[str, list[float]]]:
    """Multinomial logistic regression over the positives' categories."""
    k = len(CATEGORIES)
    index = {c: i for i, c in enumerate(CATEGORIES)}
    positives = [(sorted(f), index[c]) for f, label, c in data if label]
    bias = [0.0] * k
    weights: dict[str, list[float]] = {}
    rng = random.Random(SEED + 1)
    for _ in range(EPOCHS):
        rng.shuffle(positives)
        for feats, y in positives:
            z = list(bias)
            for f in feats:
                row = weights.get(f)
                if row is not None:
                    z = [a + b for a, b in zip(z, row)]
            top = max(z)
            exps = [math.exp(v - top) for v in z]
            total = sum(exps)
            grad = [e / total - (1.0 if j == y else 0.0) for j, e in enumerate(exps)]
            bias = [b - RATE * g for b, g in zip(bias, grad)]
            for f in feats:
                row = weights.setdefault(f, [0.0] * k)
                weights[f] = [w - RATE * (g + L2 * w) for w, g in zip(row, grad)]
    return bias, weights


def train(data: Sequence[Example], trained_on: str = "") -> LearnedModel:
    """The model for `data` (weights rounded to 4 places, small ones pruned)."""
    bias, weights = _binary(data)
    category_bias, category_weights = _softmax(data)
    kept = {f: round(w, 4) for f, w in weights.items() if abs(w) >= PRUNE}
    rows = {
        f: tuple(round(w, 4) for w in ws)
        for f, ws in category_weights.items()
        if f in kept and max(abs(w) for w in ws) >= PRUNE
    }
    return LearnedModel(
        bias=round(bias, 4),
        weights=kept,
        threshold=THRESHOLD,
        categories=CATEGORIES,
        category_bias=tuple(round(b, 4) for b in category_bias),
        category_weights=rows,
        trained_on=trained_on,
    )


def build() -> LearnedModel:
    """The model trained on every round."""
    files = round_files()
    data = [e for p in files for e in examples(p)]
    return train(data, trained_on=digest(files))


def cross() -> None:
    """Leave one round out: the held-out round's confirm messages the rules let through that the
    model holds, and benign messages the rules leave alone that the model would hold."""
    screener = Screener(replace(load_policy("iwaki").screening, learned_confirm=False))  # the rules alone
    files = round_files()
    per = {p.stem: examples(p) for p in files}
    actions = {
        p.stem: [
            (
                json.loads(line)["expect"],
                screener.screen(json.loads(line)["text"], PseudonymTable()).action.value,
            )
            for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for p in files
    }
    totals = [0, 0, 0, 0]
    for held, rows_held in per.items():
        model = train([e for name, rows in per.items() if name != held for e in rows])
        missed = caught = benign_new = 0
        for (feats, _, _), (expect, action) in zip(rows_held, actions[held], strict=True):
            fires = model.probability(dict.fromkeys(feats, 0)) >= model.threshold
            if expect == "confirm" and action not in ("confirm", "block"):
                missed += 1
                caught += fires
            elif expect == "allow" and action == "allow" and fires:
                benign_new += 1
        benign = sum(1 for e, _ in actions[held] if e == "allow")
        totals = [a + b for a, b in zip(totals, (missed, caught, benign_new, benign))]
        print(
            f"{held}: confirm let through by the rules {missed}, held by the model {caught}; "
            f"benign newly held {benign_new} of {benign}"
        )
    print(
        f"all: let through {totals[0]}, held by the model {totals[1]}; "
        f"benign newly held {totals[2]} of {totals[3]}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    parser.add_argument("--cross", action="store_true", help="leave-one-round-out figures")
    args = parser.parse_args(argv)
    if args.cross:
        cross()
        return 0
    text = build().to_json()
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print(
            "learned.json is what training gives"
            if same
            else "learned.json differs: run python -m tests.screening.learn"
        )
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
