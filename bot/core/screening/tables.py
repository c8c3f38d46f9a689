"""Tables in pasted text: CSV, tab-separated, Markdown or box-drawn rows with a header line.

A header cell labels every cell below it: 「個人番号」 over a column makes each value in it a My
Number even though no row repeats the label, 「氏名」 makes each value a name. `cells()` returns
the body cells with their header, in offsets of the text it was given (the base or the numeric
view), so each detector reads the view it matches in.
"""

from __future__ import annotations

import itertools
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


_GRID_SEPARATORS = ("\t", "|", "│", ",", "、")
_SPACE_RUN = re.compile(r"[^ \u3000]+")
_RULE_LINE = re.compile(r"[\s|│:\-─━┼┤├+]*")
_MIN_GRID_CELLS = 3


@dataclass(frozen=True)
class GridCell:
    """One cell of a grid row: its span, its column, the first line's cell above it, which grid of
    the text it belongs to and whether it is in that grid's first line."""

    start: int
    end: int
    column: int
    header: str
    grid: int = 0
    head: bool = False


def _grid_cells(offset: int, line: str) -> tuple[str, list[tuple[int, int]]]:
    """A line's separator (a tab, a bar, a comma, 、, or a run of spaces) and its non-empty cells."""
    counts = [(line.count(s), s) for s in _GRID_SEPARATORS if s in line]
    if not counts:
        spans = [(offset + m.start(), offset + m.end()) for m in _SPACE_RUN.finditer(line)]
        return " ", spans
    sep = max(counts)[1]
    spans, pos = [], 0
    for part in line.split(sep):
        lead = len(part) - len(part.lstrip(" \u3000*"))
        stripped = part.strip(" \u3000*")
        spans.append((offset + pos + lead, offset + pos + lead + len(stripped)))
        pos += len(part) + len(sep)
    if sep in "|│":  # a bar that opens or closes the row makes no cell
        if spans and spans[0][0] == spans[0][1]:
            spans = spans[1:]
        if spans and spans[-1][0] == spans[-1][1]:
            spans = spans[:-1]
    return sep, spans


def _cell_count(line: str) -> int:
    """How many cells `_grid_cells` would find in the line (without building them)."""
    count, sep = max((line.count(s), s) for s in _GRID_SEPARATORS)
    if not count:
        return len(_SPACE_RUN.findall(line))
    if sep in "|│":
        stripped = line.strip(" \u3000*")
        count -= stripped.startswith(sep) + (len(stripped) > 1 and stripped.endswith(sep))
    return count + 1


def grid_rows(text: str) -> list[list[GridCell]]:
    """The body rows of every grid in `text`: two or more lines in a row that one separator (a tab,
    a bar, a comma, 、 or runs of spaces: aligned columns) splits into the same number (3+) of cells.
    The grid's first line is its header, whatever it holds (年度 2012 2013 2014 heads the columns of
    a statistics table); each body cell carries the header cell of its column, and each cell of
    the header row (returned last for its grid) carries itself."""
    if "\n" not in text:
        return []
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    sizes = [_cell_count(line) for _, line in lines]
    if not any(a == b >= _MIN_GRID_CELLS for a, b in itertools.pairwise(sizes)) and not any(
        a == b >= _MIN_GRID_CELLS for a, b in zip(sizes, sizes[2:], strict=False)
    ):
        return []  # no two lines (a Markdown rule between them allowed) with the same cells
    rows: list[list[GridCell]] = []
    i = 0
    while i < len(lines):
        if sizes[i] < _MIN_GRID_CELLS:
            i += 1
            continue
        sep, head = _grid_cells(*lines[i])
        if len(head) < _MIN_GRID_CELLS:
            i += 1
            continue
        headers = [text[a:b] for a, b in head]
        j = i + 1
        grid = len(rows)
        header_row = [GridCell(a, b, k, headers[k], grid, head=True) for k, (a, b) in enumerate(head)]
        while j < len(lines):
            if sep != " " and _RULE_LINE.fullmatch(lines[j][1]) and lines[j][1].strip():
                j += 1  # |---|---|: a Markdown rule under the header
                continue
            row_sep, cells = _grid_cells(*lines[j])
            if row_sep != sep or len(cells) != len(head):
                break
            rows.append([GridCell(a, b, k, headers[k], grid) for k, (a, b) in enumerate(cells)])
            j += 1
        if j > i + 1:
            rows.append(header_row)  # the header row is a row too: each header cell heads itself
        i = max(j, i + 1)
    return rows
