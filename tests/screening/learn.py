"""Train the learned confidential-matter model (`bot/core/screening/learned.py`) from the red-team rounds.

    python -m tests.screening.learn            # retrain, write bot/core/screening/learned.json
    python -m tests.screening.learn --check    # exit 1 when the shipped file is not what training gives
    python -m tests.screening.learn --cross    # leave-one-round-out: what the model adds on a round it
                                               # was not trained on (the honest estimate)

Training data: every `tests/screening/redteam/round*.jsonl` and `redteam/next/round*.jsonl` (never
`frozen.jsonl`, never `redteam/heldout/`):
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
from bot.core.screening.detectors.meaning import MeaningDetector
from bot.core.screening.learned import MODEL_FILE, LearnedModel, features, signs
from bot.core.screening.learned_names import MODEL_FILE as NAMES_FILE
from bot.core.screening.learned_names import NameModel, candidate, token_features
from bot.core.screening.normalize import normalize
from bot.core.screening.policy import ScreeningPolicy

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = ROOT / "tests" / "screening" / "redteam"
OUT = ROOT / "bot" / "core" / "screening" / MODEL_FILE
NAMES_OUT = ROOT / "bot" / "core" / "screening" / NAMES_FILE

THRESHOLD = 0.85
"""Chosen by the leave-one-round-out run of the model alone (each round scored by a model trained on
the others, `--cross`): at 0.85 it held 81.9 % of the confirm messages and 4 of 2,059 harmless
ones; at 0.7 86.2 % and 6; at 0.9 78.0 % and 2. The red-team rounds' harmless messages are not
the only ones that count: at 0.7 the suite's own general questions (予定価格の決め方を教えて…)
were held."""
EPOCHS = 12
RATE = 0.3
L2 = 1e-4
PRUNE = 0.02
"""Weights smaller than this are dropped from the file (they move no decision)."""
SEED = 20261202
NAME_THRESHOLD = 0.9
"""Chosen by leaving one round out (the round screened with a name model trained on the others):
names leaked in 22 of the rounds' name messages with the rules alone, 15 at 0.9, 13 at 0.8;
harmless messages masked 29 of 2,059 with the rules alone, 31 at 0.9, 37 at 0.8."""
NAME_EPOCHS = 10
NAME_RATE = 0.2

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

_MEANING = MeaningDetector(ScreeningPolicy.default())
"""The rules' specificity and topic counts, as the model sees them at run time (`signs`)."""

Example = tuple[frozenset[str], int, str]  # features, label, category ('' for negatives)


def round_files() -> list[Path]:
    """The labelled rounds the models are trained on, in order: the tuned rounds and the next
    tuning round (`next/`), never the frozen set nor the held-out rounds (`heldout/`)."""
    files = [*ROUNDS.glob("round*.jsonl"), *(ROUNDS / "next").glob("round*.jsonl")]
    return sorted(files, key=lambda p: int(p.stem.removeprefix("round")))


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
        views = Views(case["text"])
        rules = signs(*_MEANING.scores(views.base.text, views.tokens))
        out.append((frozenset(features(views.tokens, rules)), int(positive), category))
    return out


def name_examples(path: Path) -> list[tuple[list[str], int]]:
    """Tokens of the round's name messages (positive inside a marked name) and of its harmless
    messages (all negative); messages of the other kinds are left out (their spans mix kinds)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        if case["expect"] != "allow" and case["kind"] != "person_name":
            continue
        views = Views(case["text"])
        text = views.base.text
        spans = []
        for span in case["spans"] if case["expect"] != "allow" else []:
            for needle in {span, normalize(span).text}:
                start = text.find(needle)
                while needle and start >= 0:
                    spans.append((start, start + len(needle)))
                    start = text.find(needle, start + 1)
        toks = views.tokens
        for i, tok in enumerate(toks):
            if candidate(tok):
                inside = any(a < tok.end and tok.begin < b for a, b in spans)
                out.append((sorted(set(token_features(text, toks, i))), int(inside)))
    return out


def train_names(data: Sequence[tuple[list[str], int]], trained_on: str = "") -> NameModel:
    """Logistic regression over the tokens (seeded SGD, weights rounded, small ones pruned)."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(data)))
    rng = random.Random(SEED + 2)
    for _ in range(NAME_EPOCHS):
        rng.shuffle(order)
        for i in order:
            feats, label = data[i]
            g = _sigmoid(bias + sum(weights.get(f, 0.0) for f in feats)) - label
            bias -= NAME_RATE * g
            for f in feats:
                w = weights.get(f, 0.0)
                weights[f] = w - NAME_RATE * (g + L2 * w)
    kept = {f: round(w, 4) for f, w in weights.items() if abs(w) >= PRUNE}
    return NameModel(bias=round(bias, 4), weights=kept, threshold=NAME_THRESHOLD, trained_on=trained_on)


def build_names() -> NameModel:
    """The name model trained on every round."""
    files = round_files()
    return train_names([e for p in files for e in name_examples(p)], trained_on=digest(files))


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
    outputs = ((OUT, build().to_json()), (NAMES_OUT, build_names().to_json()))
    if args.check:
        stale = [path.name for path, text in outputs if path.read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"{name} differs from what training gives: run python -m tests.screening.learn")
        return 1 if stale else 0
    for path, text in outputs:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
