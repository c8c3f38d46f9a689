"""PDF to text with pypdf: page by page (`【ページ 2】`), encrypted files refused, scans recognised.

A PDF encrypted with only an owner password (printing or copying restricted) opens with the empty
user password and is read; one that needs a password to open is PasswordProtectedError. When no page
yields MIN_PAGE_CHARS characters the PDF is an image of paper: ScanLikePdfError.
"""

from __future__ import annotations

import io
import logging

from bot.core.attachments.errors import PasswordProtectedError, ScanLikePdfError, TooLongError
from bot.core.attachments.marks import PAGE
from bot.core.attachments.office import Budget

MAX_PAGES = 5_000
MIN_PAGE_CHARS = 10

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns about every odd byte of hostile files


def pdf_text(data: bytes, budget: Budget) -> None:
    """Text of every page, in order."""
    import pypdf  # noqa: PLC0415
    from pypdf.errors import FileNotDecryptedError, PdfReadError  # noqa: PLC0415

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except (NotImplementedError, PdfReadError, FileNotDecryptedError):
            opened = False
        if not opened:
            raise PasswordProtectedError("", "encrypted PDF")
    budget.title = _title(reader)
    texts = 0
    for number, page in enumerate(reader.pages, start=1):
        if budget.over:
            return
        if number > MAX_PAGES:  # thousands of (near-)empty pages: too long to read, not broken
            raise TooLongError("", budget.chars, budget.limit, at_least=True)
        text = "\n".join(line.rstrip() for line in (page.extract_text() or "").splitlines()).strip()
        budget.add(PAGE.format(number=number))
        if len("".join(text.split())) >= MIN_PAGE_CHARS:
            texts += 1
        budget.add(text)
        budget.add("")
    if texts == 0:
        raise ScanLikePdfError("", f"{len(reader.pages)} pages without text")


def _title(reader: object) -> str:
    """The document information's /Title, or "" (damaged metadata is no reason to refuse the file)."""
    try:
        metadata = getattr(reader, "metadata", None)
        title = metadata.title if metadata is not None else None
    except Exception:  # pypdf raises many types on hostile metadata; the title is optional
        return ""
    return " ".join(str(title).split()) if title else ""
