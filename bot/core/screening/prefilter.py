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
