"""Person names recognised by weights learned from labelled messages (one more source of name spans).

The name rules (names.py and its helpers) find a name by what stands around it: an honorific, a
title, a label, a full name the dictionary knows. New writers put names where no rule looks (a
chat log's speaker, 旧姓 白石, a CSV's surname column, Emily Carter in a pasted e-mail). This model
reads every token in its neighbourhood: its surface, normalised form, part of speech, script and
length, the two tokens before and after and the characters that touch it. Each feature has a weight
learned by logistic regression from the red-team rounds (a token is positive when it lies inside a
name the writer marked, negative in the harmless messages and outside the marked names), and

    P(name) = sigmoid(bias + sum of the weights of the token's features) >= threshold

marks the token. Adjacent marked tokens (姓 名, ファム・ヴァン) make one span. The spans join the
rules' spans *before* their filters, so an allowed name, a historical figure, a specimen or a place
is still left alone, and one person still gets one placeholder. The weights are data
(`learned_names.json`), rebuilt by `python -m tests.screening.learn`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from bot.core.screening.analyser import Tok
from bot.core.screening.learned import FUNCTION_POS

MODEL_FILE = "learned_names.json"

_JOINERS = frozenset(" ・\u3000")
"""What may stand between two marked tokens of one name."""


def _script(surface: str) -> str:
    """The token's run of scripts, at most four (K kanji, h hiragana, k katakana, L/l Latin upper/lower,
    d digit, o other): 佐藤 → K, ヴー → k, Emily → Ll."""
    out: list[str] = []
    for ch in surface:
        o = ord(ch)
        if 0x3400 <= o <= 0x9FFF or ch == "々":
            c = "K"
        elif 0x3041 <= o <= 0x309F:
            c = "h"
        elif 0x30A0 <= o <= 0x30FF:
            c = "k"
        elif ch.isalpha():
            c = "L" if ch.isupper() else "l"
        elif ch.isdigit():
            c = "d"
        else:
            c = "o"
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:4])


def candidate(tok: Tok) -> bool:
    """A token that could be (part of) a name: has a letter, is no particle, punctuation or numeral,
    and is not a single kana (ド of a katakana word broken by an odd dash is no name)."""
    surface = tok.surface
    if len(surface) == 1 and ("\u3041" <= surface <= "\u30ff"):
        return False
    return tok.pos1 not in FUNCTION_POS and tok.pos2 != "数詞" and any(ch.isalpha() for ch in surface)


def token_features(text: str, toks: Sequence[Tok], i: int) -> list[str]:
    """The features of token `i` (see the module docstring)."""
    t = toks[i]
    out = [
        "s:" + t.surface,
        "n:" + t.norm,
        f"p:{t.pos1}|{t.pos2}|{t.pos3}",
        f"c:{_script(t.surface)}{min(len(t.surface), 5)}",
    ]
    if t.oov:
        out.append("oov")
    for d in (-2, -1, 1, 2):
        j = i + d
        if not 0 <= j < len(toks):
            out.append(f"s{d}:#")
            continue
        u = toks[j]
        out.append(f"s{d}:{u.surface}")
        if d in (-1, 1):
            out.append(f"p{d}:{u.pos1}|{u.pos2}")
            out.append(f"c{d}:{_script(u.surface)}")
    before = text[t.begin - 1] if t.begin > 0 else "#"
    after = text[t.end] if t.end < len(text) else "#"
    out.append("b:" + ("a" if before.isalnum() else before))
    out.append("a:" + ("a" if after.isalnum() else after))
    return out


def joined(text: str, marked: Sequence[Tok]) -> list[tuple[int, int]]:
    """Spans of the marked tokens, neighbours with only a space or ・ between them joined (姓 名,
    ファム・ヴァン), a romanised name extended over its capitalised parts."""
    spans: list[tuple[int, int]] = []
    for tok in marked:
        if spans and all(ch in _JOINERS for ch in text[spans[-1][1] : tok.begin]):
            spans[-1] = (spans[-1][0], tok.end)
        else:
            spans.append((tok.begin, tok.end))
    return [_whole_latin_name(text, span) for span in spans]


_LATIN_BEFORE = re.compile(r"(?:[A-Z][a-zà-ÿ'\-]+ ){1,2}$")
_LATIN_AFTER = re.compile(r"(?: [A-Z][a-zà-ÿ'\-]+){1,2}")


def _whole_latin_name(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A marked capitalised Latin word with the capitalised words next to it (Emily → Emily Clarke):
    the parts of a romanised name are one name, and one left behind would go to the model."""
    start, end = span
    if not text[start : start + 1].isupper() or not text[start:end].isascii():
        return span
    before = _LATIN_BEFORE.search(text[max(0, start - 40) : start])
    after = _LATIN_AFTER.match(text, end)
    return (start - len(before.group()) if before else start, after.end() if after else end)


def letter_spaced(text: str, toks: Sequence[Tok], i: int) -> bool:
    """A single letter among single letters set apart by spaces (旅 券 の 申 請): its neighbours say
    nothing the model learned from."""
    if len(toks[i].surface) != 1 or not 0 < i < len(toks) - 1:
        return False
    t = toks[i]
    spaced = text[t.begin - 1 : t.begin] == " " and text[t.end : t.end + 1] == " "
    return spaced and len(toks[i - 1].surface) == 1 and len(toks[i + 1].surface) == 1


_Parts = tuple[float | None, float, float, float, float]
_PARTS_LIMIT = 50_000
"""Distinct tokens kept before the cache starts afresh (about 20 MB at most)."""


@dataclass(frozen=True)
class NameModel:
    """The weights (see the module docstring)."""

    bias: float
    weights: Mapping[str, float]
    threshold: float
    trained_on: str = ""
    _parts_cache: dict[tuple[object, ...], _Parts] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def probability(self, feats: Sequence[str]) -> float:
        """P(the token is part of a name)."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def spans(self, text: str, toks: Sequence[Tok]) -> list[tuple[int, int]]:
        """Spans (base-view offsets) of the names the model marks; adjacent marked tokens joined.

        The same sum as `probability(token_features(...))`, computed without building a feature
        string per token and neighbour: each distinct token's weights (its own, and as the token
        two before, one before, one after, two after a candidate) are summed once and kept
        (`_parts`), so a candidate costs a few additions. `threshold` is compared as a logit."""
        if not 0.0 < self.threshold < 1.0:
            return []
        limit = math.log(self.threshold / (1.0 - self.threshold)) - self.bias
        parts = [self._parts(t) for t in toks]
        w = self.weights.get
        edge = (w("s-2:#", 0.0), w("s-1:#", 0.0), w("s1:#", 0.0), w("s2:#", 0.0))
        last = len(toks) - 1
        marked: list[Tok] = []
        for i, tok in enumerate(toks):
            own = parts[i][0]
            if own is None or letter_spaced(text, toks, i):
                continue
            z = own
            z += parts[i - 2][1] if i >= 2 else edge[0]
            z += parts[i - 1][2] if i >= 1 else edge[1]
            z += parts[i + 1][3] if i < last else edge[2]
            z += parts[i + 2][4] if i < last - 1 else edge[3]
            before = text[tok.begin - 1] if tok.begin > 0 else "#"
            after = text[tok.end] if tok.end < len(text) else "#"
            z += w("b:" + ("a" if before.isalnum() else before), 0.0)
            z += w("a:" + ("a" if after.isalnum() else after), 0.0)
            if z >= limit:
                marked.append(tok)
        return joined(text, marked)

    def _parts(self, tok: Tok) -> _Parts:
        """(its own weights, None when it is no candidate; its weights as the token two before, one
        before, one after and two after a candidate), kept per distinct token."""
        key = (tok.surface, tok.norm, tok.pos1, tok.pos2, tok.pos3, tok.oov)
        cache = self._parts_cache
        found = cache.get(key)
        if found is not None:
            return found
        if len(cache) > _PARTS_LIMIT:
            cache.clear()
        w = self.weights.get
        script = _script(tok.surface)
        context = w(f"p-1:{tok.pos1}|{tok.pos2}", 0.0) + w(f"c-1:{script}", 0.0)
        after = w(f"p1:{tok.pos1}|{tok.pos2}", 0.0) + w(f"c1:{script}", 0.0)
        own = (
            w("s:" + tok.surface, 0.0)
            + w("n:" + tok.norm, 0.0)
            + w(f"p:{tok.pos1}|{tok.pos2}|{tok.pos3}", 0.0)
            + w(f"c:{script}{min(len(tok.surface), 5)}", 0.0)
            + (w("oov", 0.0) if tok.oov else 0.0)
        )
        row: _Parts = (
            own if candidate(tok) else None,
            w(f"s-2:{tok.surface}", 0.0),
            w(f"s-1:{tok.surface}", 0.0) + context,
            w(f"s1:{tok.surface}", 0.0) + after,
            w(f"s2:{tok.surface}", 0.0),
        )
        cache[key] = row
        return row

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> NameModel:
        """The model from its JSON form."""
        return cls(
            bias=float(raw["bias"]),
            weights=MappingProxyType({f: float(w) for f, w in raw["weights"].items()}),
            threshold=float(raw["threshold"]),
            trained_on=str(raw.get("trained_on", "")),
        )

    def to_json(self) -> str:
        """Stable JSON, one feature per line."""
        body = ",\n".join(
            f"{json.dumps(f, ensure_ascii=False)}: {w}" for f, w in sorted(self.weights.items())
        )
        return (
            f'{{\n"trained_on": {json.dumps(self.trained_on)},\n"threshold": {self.threshold},\n'
            f'"bias": {self.bias},\n"weights": {{\n{body}\n}}\n}}\n'
        )


@cache
def load_name_model() -> NameModel:
    """The shipped model (read once per process)."""
    text = resources.files("bot.core.screening").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return NameModel.from_json(json.loads(text))
