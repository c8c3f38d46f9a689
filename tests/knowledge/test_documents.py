"""Reading documents: text, headings kept for the splitter, and the title rule."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from bot.core.knowledge import DocumentError, read_document
from tests.knowledge.conftest import FIXTURES


def _pdf(path: Path, text: str, title: str) -> None:
    """A one-page PDF with a line of Helvetica text and an Info title (written by hand, no library)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))


def test_text_markdown_and_html_titles() -> None:
    assert read_document(FIXTURES / "ryohi.txt").title == "架空市職員等の旅費に関する規程"
    md = read_document(FIXTURES / "bunsho.md")
    assert md.title == "架空市文書管理マニュアル"  # first line, without the '#'
    page = read_document(FIXTURES / "kinmu.html")
    assert page.title == "架空市テレワーク実施要綱"  # <title>
    assert "## 対象となる職員" in page.text  # headings kept for the splitter
    assert "ignored" not in page.text  # no script


def test_shift_jis_text(tmp_path: Path) -> None:
    path = tmp_path / "sjis.txt"
    path.write_bytes("第一条　庁舎の管理\n".encode("cp932"))
    assert read_document(path).text == "第一条　庁舎の管理"


def test_word_headings_and_title_fallback(tmp_path: Path) -> None:
    path = tmp_path / "手引.docx"
    document = docx.Document()
    document.add_heading("申請の方法", level=2)
    document.add_paragraph("申請書は所属長を経て提出する。")
    document.save(str(path))
    read = read_document(path)
    assert "## 申請の方法" in read.text
    assert read.title == "手引"  # no metadata title: the file name


def test_pdf_text_and_metadata_title(tmp_path: Path) -> None:
    path = tmp_path / "rule.pdf"
    _pdf(path, "Article 1 Keys are returned the same day.", "Key Rules")
    read = read_document(path)
    assert "Keys are returned the same day." in read.text
    assert read.title == "Key Rules"
    assert read.kind == "pdf"


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DocumentError, match="could not be read"):
        read_document(broken)
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="no text"):
        read_document(empty)
    with pytest.raises(DocumentError, match="unsupported"):
        read_document(tmp_path / "a.xlsx")
