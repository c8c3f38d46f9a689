"""Confidential matters recognised by weighted words learned from labelled messages.

The category lexicon (`lexicon.toml`) holds a message when one of its words or pairs stands in it
and the message is about a case. Writers who never saw the lexicon describe live matters in words
outside it (検察庁の事務官から…出勤簿を見せてほしい, "our negotiating ceiling for parcel 14-3"), so
the rules miss them however long the lexicon grows. This model reads the message as a whole: every
content word's normalised form (Sudachi's, as the lexicon matches on) and every pair of adjacent
content words has a weight, learned by logistic regression from the red-team rounds (thousands of
messages labelled confirm or not by writers who never read the code), and the message is held when

    P(confidential) = sigmoid(bias + sum of the weights of its features) >= threshold

It only adds holds the rules did not make; the ordinance category of a hold is the most likely of
the categories (a second, small softmax over the held messages' words). Both are data
(`learned.json`), rebuilt by `python -m tests.screening.learn` from the labelled rounds; the file
records the digest of the rounds it was trained on, and a test holds the two together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from bot.core.screening.analyser import Tok

MODEL_FILE = "learned.json"

FUNCTION_POS = frozenset(
    {
        "格助詞",
        "接続助詞",
        "係助詞",
        "副助詞",
        "終助詞",
        "準体助詞",
        "読点",
        "句点",
        "括弧開",
        "括弧閉",
        "空白",
    }
)
"""POS (level 2) of tokens that carry no content: particles and punctuation (both models skip them)."""
_FUNCTION_POS = FUNCTION_POS | {"*"}
"""The confidential model also skips auxiliaries (level 2 '*')."""
_SKIPPED_POS = frozenset({"数詞", "人名"})
"""Numerals and person names: what a case carries is read by the specificity cues, not learned
per value (a number or a name seen once in training says nothing about the next message)."""


def content_words(toks: Sequence[Tok]) -> list[tuple[str, int]]:
    """(normalised form, token index) of the content words, in order."""
    words = []
    for i, t in enumerate(toks):
        if t.pos1 in _FUNCTION_POS or t.pos2 in _SKIPPED_POS:
            continue
        norm = t.norm
        if not any(ch.isalpha() for ch in norm) or (len(norm) == 1 and norm.isascii()):
            continue
        words.append((norm.lower(), i))
    return words


def signs(specificity: int, topic: int) -> tuple[str, ...]:
    """The rules' two counts (meaning.py: kinds of specific detail, signs of a general question) as
    features, so the model weighs a case against a question about the topic the way it learned."""
    return (f"spec:{min(specificity, 3)}", f"topic:{min(topic, 3)}")


def features(toks: Sequence[Tok], extra: Sequence[str] = ()) -> dict[str, int]:
    """The message's features, each with the index of the token it starts at (first occurrence):
    content words (`u:`), adjacent pairs of them (`b:`), and the two-letter pieces of the longer
    Japanese words (`c:`: 用地買収 also weighs as 用地/地買/買収, so a compound the rounds never had
    still shares pieces with the ones they had)."""
    words = content_words(toks)
    out: dict[str, int] = dict.fromkeys(extra, 0)
    for word, i in words:
        out.setdefault("u:" + word, i)
    for (a, i), (b, _) in pairwise(words):
        out.setdefault(f"b:{a}|{b}", i)
    for word, i in words:
        if len(word) >= 3 and not word.isascii():
            for k in range(len(word) - 1):
                out.setdefault("c:" + word[k : k + 2], i)
    return out


CUES = 3
"""Words shown to the user as what the hold rests on."""


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p)) if 0.0 < p < 1.0 else (math.inf if p >= 1.0 else -math.inf)


@dataclass(frozen=True)
class Judgement:
    """A message the model holds: its probability, the likeliest category and the tokens of the
    words that weighed most (shown to the user as the signal), heaviest first."""

    probability: float
    category: str
    cues: tuple[int, ...]


def _telling(tok: Tok) -> bool:
    """A word worth showing as a cue: a noun of two or more letters that names something (not one
    used as an adverb, あと or いま, nor one written in hiragana only)."""
    surface = tok.surface
    return (
        tok.pos1 in ("普通名詞", "固有名詞")
        and tok.pos2 != "副詞可能"
        and len(surface) >= 2
        and not all("\u3041" <= ch <= "\u309f" for ch in surface)
    )


@dataclass(frozen=True)
class LearnedModel:
    """The weights (see the module docstring)."""

    bias: float
    weights: Mapping[str, float]
    threshold: float
    categories: tuple[str, ...]
    category_bias: tuple[float, ...]
    category_weights: Mapping[str, tuple[float, ...]]
    trained_on: str = ""  # digest of the labelled rounds

    def probability(self, feats: Mapping[str, int]) -> float:
        """P(a confidential matter) for the features."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def judge(
        self, toks: Sequence[Tok], extra: Sequence[str] | Callable[[], Sequence[str]] = ()
    ) -> Judgement | None:
        """The judgement when the message is held, else None. `extra`: the rules' `signs`, or a
        function giving them, called only when the words alone could reach the threshold with the
        heaviest signs (most messages are decided without the rules' fifty cue searches)."""
        words = features(toks)
        if not words:
            return None
        if callable(extra):
            z = self.bias + sum(self.weights.get(f, 0.0) for f in words)
            if z + self._heaviest_signs < _logit(self.threshold):
                return None
            extra = extra()
        feats = {**dict.fromkeys(extra, 0), **words}
        p = self.probability(feats)
        if p < self.threshold:
            return None
        scores = list(self.category_bias)
        for f in feats:
            row = self.category_weights.get(f)
            if row is not None:
                scores = [s + w for s, w in zip(scores, row, strict=True)]
        category = self.categories[max(range(len(scores)), key=scores.__getitem__)]
        return Judgement(p, category, self._cues(feats, toks))

    @cached_property
    def _heaviest_signs(self) -> float:
        """The most the two sign features can add (one `spec:` and one `topic:` per message)."""
        return sum(
            max([0.0, *(w for f, w in self.weights.items() if f.startswith(prefix))])
            for prefix in ("spec:", "topic:")
        )

    def _cues(self, feats: Mapping[str, int], toks: Sequence[Tok]) -> tuple[int, ...]:
        """The tokens of the heaviest single words: nouns of two or more letters first (円 or 言う
        alone tells the user little)."""
        words = [(f, w) for f in feats if f.startswith("u:") and (w := self.weights.get(f, 0.0)) > 0]
        words.sort(key=lambda fw: (not _telling(toks[feats[fw[0]]]), -fw[1]))
        if not words:  # only pairs weigh: the first word of the heaviest pair
            pairs = [f for f in feats if f.startswith(("b:", "c:"))] or ["u:"]
            return (feats.get(max(pairs, key=lambda f: self.weights.get(f, 0.0)), 0),)
        return tuple(feats[f] for f, _ in words[:CUES])

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> LearnedModel:
        """The model from its JSON form (as `to_json` writes it)."""
        categories = tuple(raw["categories"])
        rows = {f: tuple(float(w) for w in ws) for f, ws in raw["category_weights"].items()}
        if any(len(r) != len(categories) for r in rows.values()) or len(raw["category_bias"]) != len(
            categories
        ):
            raise ValueError(f"{MODEL_FILE}: a category row does not match the categories")
        return cls(
            bias=float(raw["bias"]),
            weights=MappingProxyType({f: float(w) for f, w in raw["weights"].items()}),
            threshold=float(raw["threshold"]),
            categories=categories,
            category_bias=tuple(float(b) for b in raw["category_bias"]),
            category_weights=MappingProxyType(rows),
            trained_on=str(raw.get("trained_on", "")),
        )

    def to_json(self) -> str:
        """Stable JSON (sorted keys, one feature per line) so that a retrain shows as a readable diff."""
        lines = [
            "{",
            f'"trained_on": {json.dumps(self.trained_on)},',
            f'"threshold": {self.threshold},',
            f'"bias": {self.bias},',
            f'"categories": {json.dumps(list(self.categories), ensure_ascii=False)},',
            f'"category_bias": {json.dumps(list(self.category_bias))},',
            '"weights": {',
            ",\n".join(f"{json.dumps(f, ensure_ascii=False)}: {w}" for f, w in sorted(self.weights.items())),
            "},",
            '"category_weights": {',
            ",\n".join(
                f"{json.dumps(f, ensure_ascii=False)}: {json.dumps(list(ws))}"
                for f, ws in sorted(self.category_weights.items())
            ),
            "}",
            "}",
        ]
        return "\n".join(lines) + "\n"


@cache
def load_model() -> LearnedModel:
    """The shipped model (read once per process)."""
    text = resources.files("bot.core.screening").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return LearnedModel.from_json(json.loads(text))
