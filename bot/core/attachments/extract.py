"""One entry point from bytes to text: `extract(data, file_type, name, budget_chars)`.

Chooses the extractor by type after the container checks (bot.core.attachments.guard), runs it
with a character budget, and turns whatever a parser raises on a hostile or broken file into a
CorruptFileError: parsers of untrusted input fail in many ways, and the user needs one clear message,
never a 500. The libraries are imported on first use so the bot starts without them in memory.

Why these libraries (README, dependencies): python-docx and python-pptx read the OOXML object model
(headings, tables, slides) rather than raw XML; openpyxl's read-only mode streams a sheet instead of
building it in memory; pypdf is pure Python, reads CID-keyed Japanese fonts through their ToUnicode
maps and handles encrypted PDFs (AES via `cryptography`, already a dependency).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.attachments.errors import AttachmentError, CorruptFileError, NoTextError, TooLongError
from bot.core.attachments.guard import check_ooxml, check_pdf
from bot.core.attachments.markup import html_text
from bot.core.attachments.office import Budget, docx_text, pptx_text, xlsx_text
from bot.core.attachments.pdf import pdf_text
from bot.core.attachments.plain import csv_rows, text_lines, vtt_turns

log = logging.getLogger(__name__)

_EXTRACTORS: dict[str, Callable[[bytes, Budget], object]] = {
    "docx": docx_text,
    "xlsx": xlsx_text,
    "pptx": pptx_text,
    "pdf": pdf_text,
    "txt": text_lines,
    "md": text_lines,
    "csv": csv_rows,
    "vtt": vtt_turns,
    "html": html_text,  # for the knowledge only: chat attachments accept the types of marks.TYPE_LABELS
}


@dataclass(frozen=True)
class Extracted:
    """The text of one file and the people it names as speakers (transcripts)."""

    text: str
    speakers: frozenset[str] = frozenset()
    labelled: str = ""  # table rows with their column headings, screened too (never sent)
    title: str = ""  # the metadata title (Word's core properties, PDF's /Title, HTML's <title>)

    @property
    def chars(self) -> int:
        """Length in characters."""
        return len(self.text)


def extract(data: bytes, file_type: str, name: str, *, limit: int) -> Extracted:
    """The file's text; TooLongError over `limit` characters; another AttachmentError if unreadable."""
    budget = Budget(limit)
    try:
        if file_type in {"docx", "xlsx", "pptx"}:
            check_ooxml(data, name)
        elif file_type == "pdf":
            check_pdf(data, name)
        speakers = _EXTRACTORS[file_type](data, budget)
    except AttachmentError as exc:
        exc.name = exc.name or name
        raise
    except (MemoryError, RecursionError) as exc:
        raise CorruptFileError(name, type(exc).__name__) from None
    except Exception as exc:  # any parser failure on untrusted bytes is "corrupt"
        log.info("attachment unreadable: type=%s error=%s", file_type, type(exc).__name__)
        raise CorruptFileError(name, type(exc).__name__) from None
    if budget.over:
        raise TooLongError(name, budget.chars, limit, at_least=True)
    text = budget.text()
    if not text.strip():
        raise NoTextError(name, "empty")
    found = frozenset(speakers) if isinstance(speakers, set) else frozenset()
    return Extracted(text, found, "\n".join(budget.labelled), budget.title)
