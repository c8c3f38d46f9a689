"""Faster big alternations: a regular expression guarded by the set of characters it can start with.

Python's `re` tries every branch of an alternation at every position of the text; for the label
and signal patterns (a few hundred words) that is most of their cost, although at almost every
position no branch can even begin. `guarded(pattern)` computes, from the parsed pattern, the
characters a match can start with and prepends the look-ahead `(?=[…])`: the engine then rejects
most positions with one set test. The matches are exactly the same (a match consumes at least one
character, and its first one is in the set); a pattern whose first character cannot be bounded
(a category such as `\\d`, a negated class, a pattern that can match the empty string) is
returned unchanged.
"""

from __future__ import annotations

import re
import re._constants as _c  # the parser's opcodes: stable since Python 3.11, used read-only
from re import _parser  # type: ignore[attr-defined]
from typing import Any

_MAX_RANGE = 0x30000
_Items = list[tuple[Any, Any]]
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` with a first-character look-ahead, or `pattern` itself when none can be derived."""
    chars = first_chars(pattern)
    if not chars:
        return pattern
    charset = _charset_source(chars)
    source = _GLOBAL_FLAGS.sub("", pattern.pattern, count=1)  # kept in pattern.flags
    return re.compile(f"(?=[{charset}])(?:{source})", pattern.flags)


def _charset_source(chars: frozenset[str]) -> str:
    """The characters as a class body, consecutive code points written as ranges (一-龥)."""
    codes = sorted(ord(c) for c in chars)
    parts, start = [], 0
    for i in range(1, len(codes) + 1):
        if i == len(codes) or codes[i] != codes[i - 1] + 1:
            low, high = chr(codes[start]), chr(codes[i - 1])
            parts.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")
            start = i
    return "".join(parts)


def first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a (non-empty) match of `pattern` can start with; None when unbounded."""
    tree = _parser.parse(pattern.pattern, pattern.flags)
    chars, nullable = _sequence(list(tree), bool(pattern.flags & re.IGNORECASE))
    return None if chars is None or nullable else frozenset(chars)


def _sequence(items: _Items, icase: bool) -> tuple[set[str] | None, bool]:
    """First characters of a sequence of items, and whether the whole sequence can be empty."""
    out: set[str] = set()
    for op, av in items:
        got, nullable = _item(op, av, icase)
        if got is None:
            return None, False
        out |= got
        if not nullable:
            return out, False
    return out, True


_ASCII_CASE_EXTRAS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
"""The non-ASCII characters `re` matches to an ASCII letter under IGNORECASE (İ ı K ſ)."""


def _cased(char: str, icase: bool) -> set[str] | None:
    """`char` and, under IGNORECASE, every character `re` treats as the same; None when unsure
    (a cased letter outside ASCII: the pattern is then left unguarded)."""
    if not icase or char.lower() == char.upper() == char:
        return {char}
    if not char.isascii():
        return None
    low = char.lower()
    return {low, char.upper(), *_ASCII_CASE_EXTRAS.get(low, "")}


def _item(op: Any, av: Any, icase: bool) -> tuple[set[str] | None, bool]:
    if op is _c.LITERAL:
        return _cased(chr(av), icase), False
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
        return set(), True  # zero width: the next item starts the match
    if op is _c.IN:
        return _charset(av, icase), False
    if op is _c.BRANCH:
        out: set[str] = set()
        nullable = False
        for sub in av[1]:
            got, empty = _sequence(list(sub), icase)
            if got is None:
                return None, False
            out |= got
            nullable = nullable or empty
        return out, nullable
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _sequence(list(sub), inner)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        got, empty = _sequence(list(sub), icase)
        return (got, empty or low == 0) if got is not None else (None, False)
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av), icase)
    return None, False  # ANY, categories, back-references: not bounded


def _charset(members: _Items, icase: bool) -> set[str] | None:
    out: set[str] = set()
    for kind, value in members:
        codes: list[int] | range
        if kind is _c.LITERAL:
            codes = [value]
        elif kind is _c.RANGE and value[1] - value[0] < _MAX_RANGE:
            codes = range(value[0], value[1] + 1)
        else:
            return None  # a category (\d, \s), a negation or a huge range
        for code in codes:
            chars = _cased(chr(code), icase)
            if chars is None:
                return None
            out |= chars
    return out


# --- Required literals: a cheap, exact test that a pattern cannot match a text at all ---------------

_LITERAL_LIMIT = 24
"""At most this many alternative literals are kept (more: no prefilter, the regex is cheaper)."""
_FOLD = str.maketrans(
    {
        **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
        **{"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"},
    }
)
"""Every character `re` matches to an ASCII letter under IGNORECASE, mapped to that letter's lower case."""
_Lit = tuple[str, bool]  # (literal, folded: to be looked for in the folded text)
_Info = tuple[frozenset[_Lit] | None, frozenset[_Lit] | None]  # (exact strings, required: one of them)


def fold(text: str) -> str:
    """`text` as case-insensitive literals are looked for in it (same length)."""
    return text.translate(_FOLD)


class LiteralFilter:
    """Literals of which every match of a pattern contains at least one: when none is in the text,
    the pattern cannot match it, and the (much slower) regex search is skipped. Exact: derived from
    the parsed pattern, never a guess."""

    def __init__(self, literals: frozenset[_Lit]) -> None:
        self.plain = tuple(sorted(s for s, folded in literals if not folded))
        self.folded = tuple(sorted(s for s, folded in literals if folded))

    def may_match(self, text: str, folded: str | None = None) -> bool:
        """False only when no match of the pattern can be in `text` (`folded`: `fold(text)`, if known)."""
        for s in self.plain:  # plain loops: called ~60 times a screening, any(genexpr) costs twice as much
            if s in text:
                return True
        if self.folded:
            low = fold(text) if folded is None else folded
            for s in self.folded:
                if s in low:
                    return True
        return False


def literal_filter(pattern: re.Pattern[str]) -> LiteralFilter | None:
    """A `LiteralFilter` for `pattern`, or None when its matches need no short literal."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        _exact, required = _lit_sequence(list(tree), bool(pattern.flags & re.IGNORECASE))
    except (ValueError, TypeError, RecursionError):  # an opcode this reader does not know
        return None
    if not required or any(not s for s, _ in required):
        return None
    return LiteralFilter(required)


def _join(a: _Lit, b: _Lit) -> _Lit:
    if a[1] or b[1]:
        return (fold(a[0]) + fold(b[0]), True)
    return (a[0] + b[0], False)


def _score(lits: frozenset[_Lit]) -> tuple[int, int]:
    """How selective a set of alternatives is: its shortest literal, then fewer alternatives."""
    return (min(len(s) for s, _ in lits), -len(lits))


def _lit_sequence(items: _Items, icase: bool) -> _Info:
    cur: frozenset[_Lit] | None = frozenset({("", False)})
    exact_all = True
    best: frozenset[_Lit] | None = None

    def offer(cand: frozenset[_Lit] | None) -> None:
        nonlocal best
        if not cand or not all(s for s, _ in cand) or len(cand) > _LITERAL_LIMIT:
            return
        if best is None or _score(cand) > _score(best):
            best = cand

    for op, av in items:
        exact, required = _lit_item(op, av, icase)
        if exact is not None and cur is not None and len(cur) * len(exact) <= _LITERAL_LIMIT:
            cur = frozenset(_join(a, b) for a in cur for b in exact)
            continue
        exact_all = False
        offer(cur)
        offer(exact if exact is not None else required)
        cur = exact if exact is not None and len(exact) <= _LITERAL_LIMIT else frozenset({("", False)})
    offer(cur)
    return (cur if exact_all else None), best


def _lit_item(op: Any, av: Any, icase: bool) -> _Info:
    empty = frozenset({("", False)})
    if op is _c.LITERAL:
        char = chr(av)
        if icase and char.lower() != char.upper():
            if not char.isascii():
                return None, None
            return frozenset({(fold(char), True)}), None
        return frozenset({(char, False)}), None
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
        return empty, None
    if op is _c.IN:
        chars = _charset(av, icase) if len(av) <= 8 else None
        if chars is None or len(chars) > 8:
            return None, None
        cased = {(fold(c), True) if icase and c.lower() != c.upper() else (c, False) for c in chars}
        return frozenset(cased), None
    if op is _c.BRANCH:
        exacts: set[_Lit] = set()
        needs: set[_Lit] = set()
        all_exact = True
        for sub in av[1]:
            exact, required = _lit_sequence(list(sub), icase)
            if exact is None:
                all_exact = False
            else:
                exacts |= exact
            got = exact if exact is not None else required
            if got is None or needs is None:
                needs = None  # type: ignore[assignment]
            else:
                needs |= got
        return (frozenset(exacts) if all_exact else None), (frozenset(needs) if needs is not None else None)
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _lit_sequence(list(sub), inner)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, sub = av
        exact, required = _lit_sequence(list(sub), icase)
        if low == 0:
            if high == 1 and exact is not None:
                return exact | empty, None
            return None, None
        if low == high == 1:
            return exact, required
        return None, (exact if exact is not None else required)
    if op is _c.ATOMIC_GROUP:
        return _lit_sequence(list(av), icase)
    return None, None
