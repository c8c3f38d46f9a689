"""Word, Excel and PowerPoint to text that keeps the structure the model needs.

    docx  python-docx: paragraphs and tables in document order; headings as `#`, list items as `-`,
          table rows as `a | b | c` (merged cells once)
    xlsx  openpyxl read-only (streams the sheet XML, values not formulas): `【シート：名前】`, then
          one line per non-empty row; stops after MAX_ROWS rows or MAX_CELLS cells
    pptx  python-pptx: `【スライド 3】`, the title first, text boxes, tables as rows, grouped shapes
          (to MAX_GROUP_DEPTH), speaker notes

Every extractor stops once the text passes `budget` characters (the caller reports "at least").
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from bot.core.attachments.errors import CorruptFileError
from bot.core.attachments.marks import HEADING_STYLES, LIST_STYLES, NOTES, SHEET, SLIDE

MAX_ROWS = 200_000
MAX_CELLS = 2_000_000
MAX_GROUP_DEPTH = 8
MAX_GAP = 5


class Budget:
    """Collects lines until `limit` characters; `over` once passed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines: list[str] = []
        self.chars = 0
        self.labelled: list[str] = []  # table rows as 見出し：値 pairs, for screening only
        self.title = ""  # the file's metadata title, where its format has one (Word, PDF, HTML)

    @property
    def over(self) -> bool:
        """True once more than `limit` characters were collected."""
        return self.chars > self.limit

    def add(self, line: str) -> None:
        """Keep a line (ignored once over the budget)."""
        if not self.over:
            self.lines.append(line)
            self.chars += len(line) + 1

    def text(self) -> str:
        """The collected lines."""
        return "\n".join(self.lines).strip()

    def label(self, header: list[str], cells: list[str]) -> None:
        """Keep a table row with each value next to its column's heading (マイナンバー：1234…)."""
        pairs = [f"{h}：{v}" for h, v in zip(header, cells, strict=False) if h and v]
        if pairs and not self.over:
            self.labelled.append("、".join(pairs))


def docx_text(data: bytes, budget: Budget) -> None:
    """Word: headings, paragraphs, list items and tables in order."""
    import docx  # noqa: PLC0415 (loaded on first use: the bot starts without it in memory)
    from docx.table import Table  # noqa: PLC0415

    document = docx.Document(io.BytesIO(data))
    budget.title = (document.core_properties.title or "").strip()
    for block in document.iter_inner_content():
        if budget.over:
            return
        if isinstance(block, Table):
            table_rows(([c.text for c in _unique(row.cells)] for row in block.rows), budget)
            budget.add("")
        else:
            _paragraph(block, budget)


def _paragraph(paragraph: Any, budget: Budget) -> None:
    text = paragraph.text.strip()
    if not text:
        return
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered.startswith(HEADING_STYLES):
        level = "".join(c for c in style if c.isdigit())[:1] or "1"
        budget.add(f"{'#' * int(level)} {text}")
    elif any(word in lowered for word in LIST_STYLES):
        budget.add(f"- {text}")
    else:
        budget.add(text)


def _unique(cells: Iterable[Any]) -> Iterator[Any]:
    """Merged cells come back once per grid column: keep each cell once."""
    seen: list[Any] = []
    for cell in cells:
        element = cell._tc  # the underlying <w:tc> identifies a merged cell
        if not any(element is other for other in seen):
            seen.append(element)
            yield cell


def table_rows(rows: Iterable[Iterable[Any]], budget: Budget) -> None:
    """One line per non-empty row (`a | b | c`); the first one is the heading row of the labelled view.

    Screening finds an identifier by its label, and in a table the label is the column heading,
    rows away from the value: the labelled view puts them side by side for the screening stage."""
    header: list[str] | None = None
    for row in rows:
        if budget.over:
            return
        cells = [_cell(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue
        budget.add(" | ".join(_collapse_gaps(cells)))
        if header is None:
            header = cells
        else:
            budget.label(header, cells)


def _collapse_gaps(cells: list[str]) -> list[str]:
    """Runs of more than MAX_GAP empty cells become one `…` (a sparse row 16,384 columns wide)."""
    out: list[str] = []
    gap = 0
    for cell in [*cells, "\0"]:
        if not cell:
            gap += 1
            continue
        out.extend([""] * gap if gap <= MAX_GAP else ["…"])
        gap = 0
        out.append(cell)
    return out[:-1]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def xlsx_text(data: bytes, budget: Budget) -> None:
    """Excel: every worksheet by name, one line per non-empty row."""
    import openpyxl  # noqa: PLC0415

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    counted = [0, 0]  # rows and cells over the whole workbook
    try:
        for sheet in workbook.worksheets:
            if budget.over:
                return
            budget.add(SHEET.format(name=sheet.title))
            sheet.reset_dimensions()  # do not trust the declared range: pad nothing
            table_rows(_bounded(sheet.iter_rows(values_only=True), counted), budget)
            budget.add("")
    finally:
        workbook.close()


def _bounded(rows: Iterable[tuple[Any, ...]], counted: list[int]) -> Iterator[tuple[Any, ...]]:
    """The rows, refusing a workbook of more than MAX_ROWS rows or MAX_CELLS cells in all."""
    for row in rows:
        counted[0] += 1
        counted[1] += len(row)
        if counted[0] > MAX_ROWS or counted[1] > MAX_CELLS:
            raise CorruptFileError("", "sheet too large")
        yield row


def pptx_text(data: bytes, budget: Budget) -> None:
    """PowerPoint: slide by slide, title first, then text, tables and notes."""
    import pptx  # noqa: PLC0415

    presentation = pptx.Presentation(io.BytesIO(data))
    for number, slide in enumerate(presentation.slides, start=1):
        if budget.over:
            return
        budget.add(SLIDE.format(number=number))
        title = slide.shapes.title
        if title is not None and title.has_text_frame and title.text_frame.text.strip():
            budget.add(f"# {title.text_frame.text.strip()}")
        _shapes(slide.shapes, budget, skip=title, depth=0)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                budget.add(NOTES.format(text=notes.text.strip()))
        budget.add("")


def _shapes(shapes: Iterable[Any], budget: Budget, *, skip: Any, depth: int) -> None:
    if depth > MAX_GROUP_DEPTH:
        raise CorruptFileError("", "shapes nested too deeply")
    for shape in shapes:
        if budget.over:
            return
        if skip is not None and shape.shape_id == skip.shape_id:
            continue
        if getattr(shape, "shape_type", None) == 6:  # MSO_SHAPE_TYPE.GROUP
            _shapes(shape.shapes, budget, skip=None, depth=depth + 1)
        elif getattr(shape, "has_table", False):
            table_rows(([c.text for c in row.cells] for row in shape.table.rows), budget)
        elif getattr(shape, "has_text_frame", False):
            for paragraph in shape.text_frame.paragraphs:
                line = "".join(run.text for run in paragraph.runs).strip()
                if line:
                    budget.add(("  " * paragraph.level) + line)
