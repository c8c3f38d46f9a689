"""Reading a document file into text and a title: .txt, .md, .html here; .docx, .pdf through python-docx
and pypdf.

`read_document(path)` is the one entry point (the attachments feature's shared extractor can later
stand behind it). Headings are kept as Markdown `#` lines so that passages are cut at them:
HTML <h1>–<h6> and Word's 見出し/Heading styles become `#`/`##` lines.

Title: the first non-empty line (.txt/.md), else the metadata title (HTML <title>, Word's core
properties, PDF's /Title), else the file name without its suffix.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from bot.core.errors import BotError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024


class DocumentError(BotError):
    """A file that cannot be read as a document (unsupported, damaged, empty, too large)."""


@dataclass(frozen=True)
class ReadDocument:
    """A document's text, its title as found in the file, and its kind (suffix without the dot)."""

    text: str
    title: str
    kind: str


def read_document(path: Path) -> ReadDocument:
    """Read `path` (one of SUFFIXES); raise DocumentError with the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{path.name}: unsupported file type (supported: {', '.join(SUFFIXES)})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror})") from exc
    if size > MAX_FILE_BYTES:
        raise DocumentError(f"{path.name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    readers = {".txt": _text, ".md": _text, ".html": _html, ".htm": _html, ".docx": _docx, ".pdf": _pdf}
    try:
        text, meta_title = readers[suffix](path)
    except DocumentError:
        raise
    except Exception as exc:  # each library raises its own types for damaged files
        raise DocumentError(f"{path.name}: the file could not be read ({type(exc).__name__})") from exc
    text = _tidy(text)
    if not text.strip():
        raise DocumentError(f"{path.name}: no text found (a scanned PDF needs OCR first)")
    first = _first_line(text) if suffix in {".txt", ".md"} else ""
    return ReadDocument(
        text, first or meta_title.strip() or path.stem, suffix.lstrip(".").replace("htm", "html")
    )


def _text(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932", "euc_jp"):  # Windows-made files are often Shift_JIS
        try:
            return raw.decode(encoding), ""
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{path.name}: not UTF-8 or Shift_JIS text")


class _HtmlText(HTMLParser):
    """Visible text of an HTML page, headings as Markdown lines, blocks on their own lines."""

    _BLOCKS = frozenset(
        {
            "p",
            "div",
            "li",
            "tr",
            "br",
            "table",
            "ul",
            "ol",
            "section",
            "article",
            "dd",
            "dt",
            "blockquote",
            "pre",
        }
    )
    _SKIP = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n" + "#" * int(tag[1]) + " ")
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.out.append(re.sub(r"\s+", " ", data))


def _html(path: Path) -> tuple[str, str]:
    text, _ = _text(path)
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.out)), parser.title


def _docx(path: Path) -> tuple[str, str]:
    import docx  # noqa: PLC0415  (python-docx, loaded only for Word files)

    document = docx.Document(str(path))
    lines = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.search(r"(?:Heading|見出し)\s*([1-6])", style)
        lines.append(("#" * int(level.group(1)) + " " if level else "") + paragraph.text)
    for table in document.tables:
        lines.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows)
    return "\n".join(lines), document.core_properties.title or ""


def _pdf(path: Path) -> tuple[str, str]:
    import pypdf  # noqa: PLC0415  (loaded only for PDFs)

    reader = pypdf.PdfReader(str(path))
    pages = [page.extract_text() or "" for page in reader.pages]
    title = ""
    if reader.metadata is not None and reader.metadata.title:
        title = str(reader.metadata.title)
    return "\n".join(pages), title


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            return stripped[:200]
    return ""
