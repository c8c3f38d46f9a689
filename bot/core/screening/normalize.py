"""Text normalisation for matching, with a map back to the original offsets.

Two views are built from the original text:

- the *base* view: invisible characters (zero-width, bidi controls, soft hyphen, fillers)
  removed, every character NFKC-normalised (full-width digits and letters, ㊙ → 秘, ㍻ → 平成),
  other decimal digits made ASCII, spaces unified, and the many dashes made "-" (the long-vowel
  mark ー only between digits, so katakana words keep it);
- the *numeric* view: the base view with kanji numerals turned into digits where they form
  numbers (〇九〇 → 090, 四丁目 → 4丁目, 二十三番地 → 23番地).

Detectors match on a view and map their spans back with `NormText.span`, so a finding always
refers to the original text and masking replaces what the user actually typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + [chr(c) for c in range(0xFE00, 0xFE10)]
    + ["\ufeff", "\u00ad", "\u034f", "\u061c", "\u180e", "\u115f", "\u1160", "\u3164", "\uffa0", "\u20e3"]
)
"""Characters that render as nothing (or almost nothing) and must never split an identifier."""

_DASHES = frozenset(
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u02d7\u207b\u208b\u2e3a\u2e3b"
    "\u23af\u2500\u2501\ufe58\ufe63\uff0d\u1806\u2e17\u30a0"
)
_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZERO_LOOKALIKES = frozenset("○◯")


@dataclass(frozen=True)
class NormText:
    """A normalised view: `text[i]` comes from `original[starts[i]:ends[i]]`."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised span [start, end)."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


_IDEOGRAPH_VARIANTS = {"\ufa11": "崎"}
"""Compatibility-block ideographs NFKC leaves alone, as the common character (﨑山 = 崎山), so a name
written with one reads like any other."""


def _fold(ch: str) -> str:
    """NFKC of one character, with digits made ASCII and dashes and spaces unified."""
    out = unicodedata.normalize("NFKC", _IDEOGRAPH_VARIANTS.get(ch, ch))
    folded = []
    for c in out:
        if c in _DASHES:
            folded.append("-")
        elif c.isspace() and c not in "\n\r\t":
            folded.append(" ")
        elif c.isdecimal() and not c.isascii():
            folded.append(str(unicodedata.decimal(c)))
        else:
            folded.append(c)
    return "".join(folded)


def _build_tables() -> tuple[dict[int, str], re.Pattern[str]]:
    """A translate table for the characters that fold to exactly one character, and a pattern of
    the others (invisible, expanding like ㍻, combining, outside the BMP), which need per-character work.

    Most text is then folded by `str.translate` in C with offsets unchanged; building the table
    takes about 20 ms once per process.
    """
    table: dict[int, str] = {}
    special: list[int] = []
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        folded = _fold(c)
        if c in _INVISIBLE or unicodedata.combining(c) or len(folded) != 1 or unicodedata.combining(folded):
            special.append(cp)
        elif folded != c:
            table[cp] = folded
    return table, re.compile(f"[{_ranges(special)}\ud800-\udfff\U00010000-\U0010ffff]")


def _ranges(codepoints: list[int]) -> str:
    """A regex character-class body for sorted code points, as ranges."""
    parts, start, prev = [], codepoints[0], codepoints[0]
    for cp in [*codepoints[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
        start = prev = cp
    return "".join(parts)


_TABLE, _SPECIAL = _build_tables()
_DIGITISH = "[0-9〇零一二三四五六七八九○◯]"
_LONG_VOWEL_DASH = re.compile(rf"(?<={_DIGITISH})ー(?={_DIGITISH})|(?<=[0-9])一(?=[0-9])")


def normalize(original: str) -> NormText:
    """The base view of `original`."""
    if _SPECIAL.search(original) is None:
        text = original.translate(_TABLE)
        n = len(original)
        return NormText(original, _dash_long_vowels(text), tuple(range(n)), tuple(range(1, n + 1)))
    out = _Builder()
    pos = 0
    for m in _SPECIAL.finditer(original):
        out.plain(original, pos, m.start())
        out.special(original, m.start())
        pos = m.end()
    out.plain(original, pos, len(original))
    return NormText(original, _dash_long_vowels("".join(out.chars)), tuple(out.starts), tuple(out.ends))


def _dash_long_vowels(text: str) -> str:
    """ー (and 一 between ASCII digits, a common slip) as a hyphen where it separates digits."""
    return _LONG_VOWEL_DASH.sub("-", text) if ("ー" in text or "一" in text) else text


_KANJI_RUN = re.compile(r"[〇零一二三四五六七八九十百千○◯]+")
_COUNTERS = ("丁目", "番地", "番", "号", "年", "月", "日", "歳", "才", "階", "室", "条", "地割")


_LOOKALIKES = str.maketrans("OoIl|B", "000118")
_LOOKALIKE_RUN = re.compile(r"(?<=[0-9])[OoIl|]{1,2}(?=-?[0-9])|(?<=[0-9]{3})B(?![A-Za-z0-9])")
"""OCR and typing look-alikes of digits (O/o→0, l/I/|→1) — only between digits, so words are never
touched ("3O58-2l4690" → "3058-214690"); B→8 only right after three digits (OCR of a final 8)."""


def numeric_view(base: NormText) -> NormText:
    """The base view with kanji numerals converted to digits where they form numbers, and OCR
    look-alikes between digits read as the digits they stand for."""
    text = base.text
    pieces: list[tuple[int, int, str]] = []
    for m in _KANJI_RUN.finditer(text):
        value = _kanji_number(m.group(), text, m.start(), m.end())
        if value is not None:
            pieces.append((m.start(), m.end(), value))
    pieces += _spoken_digits(text)
    pieces.sort()
    view = _rebuild(base, pieces) if pieces else base
    return _packed_letters(_digit_lookalikes(view))


_SPACED_LETTERS = re.compile(
    r"(?<![^\s:：(（【\[「])(?:[\u3041-\u30ff\u3400-\u9fff][ \u3000]){2,}[\u3041-\u30ff\u3400-\u9fff]"
    r"(?![^\s:：)）】\]」])"
)
"""A word OCR'd with a space after every character (免 許 証 番 号): read in the numeric view with
its characters together and the spaces after them, so a label reads as one word (offsets kept).
Only a number's label (…番号, …記号, …コード): a table's header of one-letter columns (男 女 計)
keeps its spaces."""
_LABEL_END = re.compile(r"(?:番号|記号|コード|ナンバー)$")


def _packed_letters(view: NormText) -> NormText:
    """`view` with each letter-spaced word packed, its spaces moved after it (same length, each
    character keeping its own offsets)."""
    text = view.text
    if " " not in text and "\u3000" not in text:
        return view
    matches = [
        m for m in _SPACED_LETTERS.finditer(text) if _LABEL_END.search(re.sub(r"[ \u3000]", "", m.group()))
    ]
    if not matches:
        return view
    order = list(range(len(text)))
    for m in matches:
        letters = [i for i in range(m.start(), m.end()) if text[i] not in " \u3000"]
        spaces = [i for i in range(m.start(), m.end()) if text[i] in " \u3000"]
        order[m.start() : m.end()] = letters + spaces
    return NormText(
        view.original,
        "".join(text[i] for i in order),
        tuple(view.starts[i] for i in order),
        tuple(view.ends[i] for i in order),
    )


def _lookalike(text: str, m: re.Match[str]) -> str:
    """The digits a look-alike run stands for; a "|" only when it is the one bar of its line (a
    table's bars separate cells)."""
    if "|" in m.group():
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        if text.count("|", line_start, line_end if line_end >= 0 else len(text)) > 1:
            return m.group()
    return m.group().translate(_LOOKALIKES)


def _digit_lookalikes(view: NormText) -> NormText:
    """`view` with look-alike letters between digits replaced one for one (offsets unchanged)."""
    text = view.text
    if _NEXT_TO_DIGIT.search(text) is None:
        return view  # both rewrites below need a look-alike right before or after a digit
    fixed = _LOOKALIKE_RUN.sub(lambda m: _lookalike(text, m), text)
    fixed = _OCR_NUMBER.sub(_ocr_number, fixed)
    fixed = _OCR_DATE.sub(lambda m: m.group().translate(_LOOKALIKES), fixed)
    fixed = _OCR_SERIAL.sub(lambda m: m.group(1) + m.group(2).translate(_LOOKALIKES), fixed)
    return view if fixed == text else NormText(view.original, fixed, view.starts, view.ends)


_NEXT_TO_DIGIT = re.compile(r"[0-9][OoIl|B]|[OoIl][0-9]|[年月][OoIl]")
_OCR_DATE = re.compile(r"(?<=明治|大正|昭和|平成|令和)[0-9OoIl]{1,2}年[0-9OoIl]{1,2}月[0-9OoIl]{1,2}日")
"""An era date OCR'd with look-alikes (昭和5l年l0月l日): every O and l in it is a digit."""
_OCR_SERIAL = re.compile(r"(?<![0-9A-Za-z])([A-Z]{1,2})([0-9]{5,8}[OoIl]{1,2})(?![0-9A-Za-z])")
"""A passport-style serial whose last digits OCR read as letters (TZ78198Ol): letters, then at least
five digits, then one or two look-alikes at the end."""
_OCR_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9OoIl]+(?:[ -][0-9OoIl]+)*(?![0-9A-Za-z])")
"""A number read by OCR with several look-alikes in a row or at the end of a group ("4Oll5O93l279",
"4O9l 8273 65O9"): a run of digits and O/o/I/l standing alone."""


def _ocr_number(m: re.Match[str]) -> str:
    """The run with its look-alikes read as digits, when it is mostly digits (at least six, more
    digits than letters, and a digit in every group): a word such as "Oil" or "I 100" is left alone."""
    run = m.group()
    groups = re.split(r"[ -]", run)
    digits = sum(c.isdigit() for c in run)
    letters = sum(c.isalpha() for c in run)
    if not letters or digits < 6 or digits <= letters or not all(any(c.isdigit() for c in g) for g in groups):
        return run
    return run.translate(_LOOKALIKES)


_SPOKEN = {
    "ぜろ": "0", "れい": "0", "まる": "0", "いち": "1", "にー": "2", "に": "2", "さん": "3", "よん": "4",
    "し": "4", "ごー": "5", "ご": "5", "ろく": "6", "なな": "7", "しち": "7", "はち": "8", "きゅう": "9",
    "きゅー": "9", "く": "9",
}  # fmt: skip
_SPOKEN_RUN = re.compile(
    r"(?<![\u3041-\u309f\u30fc])(?:{})+(?![\u3041-\u309f\u30fc])".format(
        "|".join(sorted(_SPOKEN, key=len, reverse=True))
    )
)
_SPOKEN.update(
    {"".join(chr(ord(c) + 0x60) if c != "ー" else c for c in k): v for k, v in list(_SPOKEN.items())}
)
_SPOKEN["ヒト"] = "1"
"""…and the same readings in katakana (ヨンイチニゼロ: a voice memo or a half-width form, ﾖﾝｲﾁ)."""
_SPOKEN_KATAKANA_RUN = re.compile(
    r"(?<![\u30a1-\u30fa\u30fc])(?:{})+(?![\u30a1-\u30fa\u30fc])".format(
        "|".join(sorted((k for k in _SPOKEN if "\u30a1" <= k[0] <= "\u30fa"), key=len, reverse=True))
    )
)
_SPOKEN_READING = re.compile("|".join(sorted(_SPOKEN, key=len, reverse=True)))
_MIN_SPOKEN = 3
_KANA = "\u3041-\u309f\u30a1-\u30fa\u30fc"
_SPACED_SPOKEN_RUN = re.compile(
    r"(?<![{kana}])(?:{r})+(?: {{1,2}}(?:{r})+)+(?![{kana}])".format(
        kana=_KANA, r="|".join(sorted(_SPOKEN, key=len, reverse=True))
    )
)
"""Digit readings with spaces between them, in either script (voice input: 「イチ キュウ キュウ ニー」,
「ゼロにーなな　にーろくきゅう　ごーまるさんいち」)."""


def _spaced_spoken(text: str) -> list[tuple[int, int, str]]:
    """Runs of digit readings separated by spaces, as voice input types them. One reading per group
    (イチ キュウ キュウ ニー…) is one number, read as its digits without the spaces, from four
    readings on; groups of several readings (ゼロにーなな　にーろくきゅう…) keep the spaces between
    them, as digit groups, when every group has two digits or more and six or more in all — so
    「ごご にし」 or 「さん に」 stay words."""
    runs = []
    for m in _SPACED_SPOKEN_RUN.finditer(text):
        groups = ["".join(_SPOKEN[r] for r in _SPOKEN_READING.findall(g)) for g in m.group().split()]
        if all(len(g) == 1 for g in groups):
            if len(groups) >= 4:
                runs.append((m.start(), m.end(), "".join(groups)))
        elif all(len(g) >= 2 for g in groups) and sum(map(len, groups)) >= 6:
            runs.append((m.start(), m.end(), " ".join(groups)))
    return runs


def _spoken_digits(text: str) -> list[tuple[int, int, str]]:
    """Digits read out in hiragana (「よんいちにーなな、ごーはちさんきゅーぜろいち」, さんなないち): a
    run made only of digit readings, standing alone, read as digits when it is one of several such
    runs or has four readings or more (so いちご or にさん stay words)."""
    spaced = _spaced_spoken(text) if " " in text else []
    runs = list(spaced)
    found = list(_SPOKEN_RUN.finditer(text))
    if any("\u30a1" <= c <= "\u30fa" for c in text):
        found = sorted(found + list(_SPOKEN_KATAKANA_RUN.finditer(text)), key=lambda m: m.start())
    for m in found:
        if any(start <= m.start() < end for start, end, _ in spaced):
            continue  # part of a spaced run already read
        digits = "".join(_SPOKEN[r] for r in _SPOKEN_READING.findall(m.group()))
        if len(digits) >= _MIN_SPOKEN:
            runs.append((m.start(), m.end(), digits))
    total = sum(len(d) for _, _, d in runs)
    runs = [run for run in runs if len(run[2]) >= 4 or total >= 6]
    return sorted(runs)


def _kanji_number(run: str, text: str, start: int, end: int) -> str | None:
    """The digits a run of kanji numerals stands for, or None when it is part of a word."""
    after = text[end : end + 2]
    before = text[start - 1 : start]
    if all(c in _ZERO_LOOKALIKES for c in run):
        # ○○課, ○○様: placeholders, not zeros — but a circle between two digits is a zero (12○4)
        return "0" * len(run) if before[-1:].isdigit() and after[:1].isdigit() else None
    counted = after.startswith(_COUNTERS)
    near_digits = before[-1:].isdigit() or before == "-" or after[:1].isdigit() or after[:1] == "-"
    if any(c in "十百千" for c in run):
        return _positional_units(run) if counted or len(run) >= 2 else None
    if len(run) >= 3 or counted or near_digits or (len(run) == 2 and _has_zero(run)):
        return "".join(str(_KANJI_DIGITS.get(c, 0)) for c in run)
    return None


def _has_zero(run: str) -> bool:
    return any(c in "〇零○◯" for c in run)


def _positional_units(run: str) -> str | None:
    """Value of a numeral written with 十/百/千 (二十三 → 23, 千九百九十 → 1990)."""
    total, digit = 0, -1
    for c in run:
        if c in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[c]
            total += (digit if digit > 0 else 1) * unit
            digit = -1
        else:
            if digit > 0:
                return None  # 二三十: not a well-formed numeral
            digit = _KANJI_DIGITS.get(c, 0)
    if digit > 0:
        total += digit
    return str(total)


def _rebuild(base: NormText, pieces: list[tuple[int, int, str]]) -> NormText:
    """Replace normalised spans by new strings, keeping the map to the original."""
    out = _Builder()
    pos = 0
    for start, end, value in pieces:
        out.copy(base, pos, start)
        out.spread(value, base.starts[start:end], base.ends[start:end])
        pos = end
    out.copy(base, pos, len(base.text))
    return NormText(base.original, "".join(out.chars), tuple(out.starts), tuple(out.ends))


class _Builder:
    """A normalised text under construction, with its offset map."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def plain(self, original: str, start: int, end: int) -> None:
        """Append original[start:end], which holds no special character, folded by the table."""
        self.chars.extend(original[start:end].translate(_TABLE))
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def special(self, original: str, i: int) -> None:
        """Append the fold of original[i]: nothing (invisible), several characters, or a composition."""
        ch = original[i]
        if ch in _INVISIBLE:
            return
        if "\ud800" <= ch <= "\udfff":  # a lone surrogate cannot be encoded (SudachiPy would fail)
            self.chars.append("\ufffd")
            self.starts.append(i)
            self.ends.append(i + 1)
            return
        for c in _fold(ch):
            if unicodedata.combining(c) and self.chars and self._compose(c):
                self.ends[-1] = i + 1
                continue
            self.chars.append(c)
            self.starts.append(i)
            self.ends.append(i + 1)

    def _compose(self, mark: str) -> bool:
        """Fold a combining mark into the previous character when NFC has one character for both."""
        composed = unicodedata.normalize("NFC", self.chars[-1] + mark)
        if len(composed) == 1:
            self.chars[-1] = composed
            return True
        return False

    def copy(self, base: NormText, start: int, end: int) -> None:
        """Append base[start:end] unchanged."""
        self.chars.extend(base.text[start:end])
        self.starts.extend(base.starts[start:end])
        self.ends.extend(base.ends[start:end])

    def spread(self, value: str, src_starts: tuple[int, ...], src_ends: tuple[int, ...]) -> None:
        """Append `value`, mapping its characters onto the source characters they replace, in order."""
        n, m = len(value), len(src_starts)
        for k, c in enumerate(value):
            lo = k * m // n
            hi = max(lo + 1, (k + 1) * m // n)
            self.chars.append(c)
            self.starts.append(src_starts[lo])
            self.ends.append(src_ends[hi - 1])
