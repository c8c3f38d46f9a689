"""A document file to text and a title, through the attachments' extractors (one extraction, one set
of guards for hostile files: bot.core.attachments.extract).

    parse_document(data, name)   bytes (a file, or an attachment downloaded in Teams) → ReadDocument;
                                 raises the attachments' typed errors (UnsupportedTypeError,
                                 CorruptFileError, PasswordProtectedError, ScanLikePdfError,
                                 NoTextError, TooLongError) so each caller words them its own way
    read_document(path)          the CLI's entry: a file on disk; the same typed errors, and
                                 UnreadableFileError (cannot be opened) or FileTooLargeError (over
                                 MAX_FILE_BYTES, not read), each named by the path

What the passages need is kept: Word headings (見出し/Heading styles) and HTML <h1>–<h6> arrive as
Markdown `#` lines, so passages are cut at them as at 第N条; the PDF extractor's page marks
(【ページ 2】) are dropped, because an article runs on across a page break.

Title: the first non-empty line (.txt/.md), else the metadata title (HTML <title>, Word's core
properties, PDF's /Title), else the file name without its suffix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.core.attachments import (
    AttachmentError,
    FileTooLargeError,
    NoTextError,
    UnreadableFileError,
    UnsupportedTypeError,
    extract,
)
from bot.core.attachments.marks import PAGE

KINDS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
SUFFIXES = tuple(KINDS)
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CHARS = 2_000_000
"""Longest document text (characters): a whole 例規 with its 別表 is far shorter."""
_PAGE_MARK = re.compile("^" + re.escape(PAGE).replace(r"\{number\}", r"\d+") + "$", re.MULTILINE)


@dataclass(frozen=True)
class ReadDocument:
    """A document's text, its title as found in the file, and its kind (suffix without the dot)."""

    text: str
    title: str
    kind: str


def kind_of(name: str) -> str:
    """The document kind of a file name (txt, md, html, docx, pdf), or "" when not supported."""
    return KINDS.get(PurePosixPath(name).suffix.lower(), "")


def parse_document(data: bytes, name: str, *, limit: int = MAX_CHARS) -> ReadDocument:
    """The text and title of a document file's bytes; an AttachmentError says why it cannot be read."""
    kind = kind_of(name)
    if not kind:
        raise UnsupportedTypeError(name, PurePosixPath(name).suffix.lower().lstrip("."))
    extracted = extract(data, kind, name, limit=limit)
    text = _tidy(_PAGE_MARK.sub("", extracted.text) if kind == "pdf" else extracted.text)
    if not text:
        raise NoTextError(name, "empty")
    first = _first_line(text) if kind in {"txt", "md"} else ""
    return ReadDocument(text, first or extracted.title.strip() or PurePosixPath(name).stem, kind)


def read_document(path: Path) -> ReadDocument:
    """Read `path` (one of SUFFIXES); an AttachmentError, named by the path as given, says why not
    (the CLI words it: bot.ui.knowledge.texts.skipped)."""
    try:
        if not kind_of(path.name):
            raise UnsupportedTypeError(path.name, path.suffix.lower().lstrip("."))
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise FileTooLargeError(path.name, MAX_FILE_BYTES)
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFileError(path.name, type(exc).__name__) from exc
        return parse_document(data, path.name)
    except AttachmentError as exc:
        exc.name = str(path)  # a folder may hold several files of one name: the path tells them apart
        raise


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            return stripped[:200]
    return ""
