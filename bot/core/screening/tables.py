"""Tables in pasted text: CSV, tab-separated, Markdown or box-drawn rows with a header line.

A header cell labels every cell below it: 「個人番号」 over a column makes each value in it a My
Number even though no row repeats the label, 「氏名」 makes each value a name. `cells()` returns
the body cells with their header, in offsets of the text it was given (the base or the numeric
view), so each detector reads the view it matches in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATORS = (",", "\t", "|", "│")
_LINE = re.compile(r"[^\n]*")
_MAX_HEADER_CELL = 24


@dataclass(frozen=True)
class Cell:
    """One body cell: its span (stripped of spaces) and the header text of its column."""

    start: int
    end: int
    header: str


def cells(text: str) -> list[Cell]:
    """Body cells of every table in `text` whose first row looks like a header."""
    if "\n" not in text or not any(s in text for s in _SEPARATORS):
        return []
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
    out: list[Cell] = []
    i = 0
    while i < len(lines):
        sep = _separator(lines[i][1])
        if sep is None or not _is_header(lines[i][1], sep):
            i += 1
            continue
        headers = [h.strip(" |│*") for h in _split(lines[i][1], sep)]
        j = i + 1
        while j < len(lines) and _separator(lines[j][1]) == sep:
            out.extend(_row(lines[j], sep, headers))
            j += 1
        i = j
    return out


def _separator(line: str) -> str | None:
    """The cell separator of a line (the most frequent one, at least once)."""
    counts = [(line.count(s), s) for s in _SEPARATORS if s in line]
    if not counts:
        return None
    count, sep = max(counts)
    return sep if count >= 1 else None


def _is_header(line: str, sep: str) -> bool:
    """A header row: two or more short cells without digits (項目名, not values)."""
    parts = [p.strip(" |│*") for p in _split(line, sep)]
    parts = [p for p in parts if p]
    return (
        len(parts) >= 2
        and all(len(p) <= _MAX_HEADER_CELL and not any(c.isdigit() for c in p) for p in parts)
        and not line.rstrip().endswith(("。", "?", "？"))
    )


def _split(line: str, sep: str) -> list[str]:
    parts = line.split(sep)
    if sep in "|│" and parts and not parts[0].strip():
        parts = parts[1:]  # a leading bar opens the row
    return parts


def _row(line: tuple[int, str], sep: str, headers: list[str]) -> list[Cell]:
    offset, content = line
    out = []
    pos = 0
    parts = content.split(sep)
    skip_first = sep in "|│" and parts and not parts[0].strip()
    column = 0
    for k, part in enumerate(parts):
        start = offset + pos
        pos += len(part) + len(sep)
        if skip_first and k == 0:
            continue
        stripped = part.strip(" *")
        if stripped and column < len(headers):
            lead = len(part) - len(part.lstrip(" *"))
            out.append(Cell(start + lead, start + lead + len(stripped), headers[column]))
        column += 1
    return out


_COLUMN_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "birth_date",
        re.compile(
            r"生年月日|誕生日|生まれ|セイネンガッピ|せいねんがっぴ"
            r"|(?i:date of birth|birth ?date|dob|birthday|seinen[_ \-]?gapp?i|tanjou?bi)"
        ),
    ),
    ("email", re.compile(r"メール|(?i:e-?mail|mail ?address)")),
    ("phone", re.compile(r"電話|携帯|TEL|(?i:phone|tel\b|mobile)")),
    ("address", re.compile(r"住所|所在地|送付先|居所|(?i:address|jusho)")),
    (
        "person_name",
        re.compile(
            r"氏名|名前|姓|^名$|^名\(|^セイ$|^メイ$|^せい$|^めい$|フリガナ|ふりがな|カナ|よみ|児童名|生徒名|園児名|世帯主|申請者|相談者|受験者"
            r"|職員名|担当者|^担当$|^担当職員$|^受付者$|話者|発言者|受賞者"
            r"|参加者|対象者|保護者|(?i:^name|full ?name|shimei"
            r"|simei|namae|sei$|mei$)"
        ),
    ),
)
"""Headers whose column holds personal values that are masked (ordered: 「生年月日」 before 「名」)."""


def column_kind(header: str) -> str | None:
    """The masked kind a column header announces, if any (「氏名」 → person_name)."""
    if not header or any(c.isdigit() for c in header):
        return None
    return next((kind for kind, pattern in _COLUMN_KINDS if pattern.search(header)), None)
