"""Reading documents (through the attachments' extractors): text, headings kept for the splitter,
the title rule, and the extractors' typed errors."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from bot.core.attachments import (
    CorruptFileError,
    FileTooLargeError,
    NoTextError,
    TooLongError,
    UnreadableFileError,
    UnsupportedTypeError,
)
from bot.core.knowledge import parse_document, read_document
from bot.core.knowledge.documents import MAX_FILE_BYTES
from bot.core.knowledge.passages import split_passages
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


def test_unreadable_files_say_why_by_type_named_by_their_path(tmp_path: Path) -> None:
    """Typed reasons, never words: the CLI and Teams word them (bot.ui.knowledge.texts)."""
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as sparse:
        sparse.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, nothing is read
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    for path, error in [
        (broken, CorruptFileError),
        (empty, NoTextError),
        (tmp_path / "a.xlsx", UnsupportedTypeError),
        (huge, FileTooLargeError),
        (folder, UnreadableFileError),
        (tmp_path / "gone.txt", UnreadableFileError),
    ]:
        with pytest.raises(error) as raised:
            read_document(path)
        assert raised.value.name == str(path)


def _two_page_rule_pdf() -> bytes:
    """A Japanese rule whose second article starts on page 2 and runs on to page 3."""
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setTitle("架空市庁舎管理規則")
    for lines in (
        ("第一条　この規則は、庁舎の管理に関し必要な事項を定める。",),
        ("第二条　庁舎の鍵は、総務課長が管理する。",),
        ("２　鍵を借りた職員は、その日のうちに返却する。",),
    ):
        pdf.setFont("HeiseiKakuGo-W5", 12)
        for n, line in enumerate(lines):
            pdf.drawString(72, 800 - 20 * n, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_pdf_reads_through_the_attachments_extractor_without_page_marks() -> None:
    read = parse_document(_two_page_rule_pdf(), "kisoku.pdf")
    assert read.title == "架空市庁舎管理規則"  # the PDF's /Title
    assert "【ページ" not in read.text
    passages = split_passages(read.text)
    second = next(p for p in passages if p.label.startswith("第二条"))
    assert "その日のうちに返却する" in second.text, "an article runs on across the page break"


def test_word_tables_stay_where_they_are_and_the_metadata_title_wins_over_the_name() -> None:
    document = docx.Document()
    document.core_properties.title = "公用車の使用に関する要領"
    document.add_heading("第一条　予約", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "区分", "予約先"
    table.cell(1, 0).text, table.cell(1, 1).text = "普通車", "総務課"
    document.add_heading("第二条　返却", level=2)
    document.add_paragraph("鍵は当日中に返す。")
    buffer = io.BytesIO()
    document.save(buffer)
    read = parse_document(buffer.getvalue(), "youryou.docx")
    assert read.title == "公用車の使用に関する要領"
    assert read.text.index("普通車 | 総務課") < read.text.index("## 第二条　返却")


def test_html_bytes_keep_headings_and_the_page_title() -> None:
    page = (
        "<html><head><title>架空市 窓口案内</title><style>p{}</style></head><body>"
        "<h2>受付時間</h2><p>平日&nbsp;8時30分から</p><script>ignored()</script></body></html>"
    )
    read = parse_document(page.encode("cp932"), "madoguchi.htm")
    assert read.kind == "html"
    assert read.title == "架空市 窓口案内"
    assert "## 受付時間" in read.text
    assert "ignored" not in read.text


def test_bytes_that_cannot_be_a_document_raise_the_attachments_errors() -> None:
    with pytest.raises(UnsupportedTypeError):
        parse_document(b"a,b", "meibo.xlsx")
    with pytest.raises(CorruptFileError):
        parse_document(b"not a zip", "rule.docx")
    with pytest.raises(TooLongError):
        parse_document(("第一条　" + "あ" * 200).encode(), "long.txt", limit=100)
