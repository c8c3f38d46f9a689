"""Files generated for the tests (nothing binary is committed): real libraries write real files."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pptx
import pypdf
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

MINUTES_NAMES = ("村田英樹", "堀江恵子")


def my_number(first11: str) -> str:
    """A 12-digit My Number with a valid check digit."""
    digits = [int(c) for c in reversed(first11)]
    total = sum(d * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(digits, start=1))
    check = 0 if total % 11 <= 1 else 11 - total % 11
    return first11 + str(check)


def minutes_docx() -> bytes:
    """Minutes in Word: a heading, names, a table of decisions."""
    document = docx.Document()
    document.add_heading("第3回 市民まつり実行委員会 議事録", level=1)
    document.add_paragraph(f"出席者：{MINUTES_NAMES[0]}さん、{MINUTES_NAMES[1]}さん、観光課")
    document.add_heading("決定事項", level=2)
    document.add_paragraph("開催日を10月12日（日）とする。", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["項目", "担当", "期限"], strict=True):
        cell.text = value
    for cell, value in zip(
        table.rows[1].cells, ["会場の予約", f"{MINUTES_NAMES[0]}さん", "9月1日"], strict=True
    ):
        cell.text = value
    document.add_paragraph("次回は9月5日 午後2時から、第2会議室で開催する。")
    return _save(document)


def proofread_docx() -> bytes:
    """A notice with a few mistakes to proofread."""
    document = docx.Document()
    document.add_heading("ごみの出し方のお知らせ", level=1)
    document.add_paragraph("燃えるごみは、毎週火曜日と金曜日の朝8時までに出して下さい。")
    return _save(document)


def roster_xlsx(rows: int = 3) -> bytes:
    """A sheet with a My Number column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名簿"
    sheet.append(["氏名", "マイナンバー", "地区"])
    for n in range(rows):
        sheet.append([f"職員{n + 1}", my_number(f"{12345678901 + n * 7:011d}"), "平"])
    return _save(workbook)


def wide_roster_xlsx() -> bytes:
    """A wide sheet: the My Number column far from its heading, numbers that alone are only "confirm"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "世帯一覧"
    sheet.append(["番号", "世帯主", "住所", "電話番号", "生年月日", "備考", "個人番号"])
    for n in range(3):
        sheet.append(
            [
                n + 1,
                f"世帯{n + 1}",
                "平字三倉1-1",
                "",
                "",
                "特になし",
                my_number(f"{22345678901 + n * 7:011d}"),
            ]
        )
    return _save(workbook)


def budget_xlsx() -> bytes:
    """Two sheets of numbers, nothing personal."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "歳出"
    first.append(["款", "予算額（千円）"])
    first.append(["総務費", 1250000])
    second = workbook.create_sheet("歳入")
    second.append(["市税", 3100000.0])
    return _save(workbook)


def slides_pptx() -> bytes:
    """Two slides with titles, a bullet and speaker notes."""
    presentation = pptx.Presentation()
    for number in (1, 2):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"防災訓練の計画 その{number}"
        slide.placeholders[1].text = f"避難所の開設手順 {number}"
        slide.notes_slide.notes_text_frame.text = f"説明は5分 {number}"
    return _save(presentation)


def japanese_pdf(
    lines: tuple[str, ...] = ("令和7年度 市民まつり開催報告書", "来場者数は約3万人でした。"),
) -> bytes:
    """A Japanese PDF with a text layer (reportlab's built-in CID font: no font file, no network)."""
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("HeiseiKakuGo-W5", 12)
    for n, line in enumerate(lines):
        pdf.drawString(72, 800 - 20 * n, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose page is only a picture (a grey rectangle), like a scan."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFillGray(0.6)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to open."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(japanese_pdf()))
    writer.encrypt(user_password="himitsu", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def transcript_vtt() -> bytes:
    """A Teams meeting transcript: speakers in voice tags, one of them with a romanised name."""
    return (
        "WEBVTT\n\n"
        "0b7c-1/12-0\n00:00:01.000 --> 00:00:04.500\n<v 佐々木 一郎>それでは定例会議を始めます。</v>\n\n"
        "0b7c-1/13-0\n00:00:04.500 --> 00:00:07.000\n<v 佐々木 一郎>まず前回の宿題から確認します。</v>\n\n"
        "0b7c-1/14-0\n00:00:07.000 --> 00:00:12.000\n"
        "<v Emily Clarke>案内チラシの英語版は金曜日までに作ります。</v>\n\n"
        "NOTE 事務局メモ\n\n"
        "0b7c-1/15-0\n00:00:12.000 --> 00:00:15.000\n<v 佐々木 一郎>次回は来月の第1月曜日にしましょう。</v>\n"
    ).encode()


def encrypted_office() -> bytes:
    """The container a password-protected .docx really is: an OLE compound file holding an
    `EncryptedPackage` stream (header and directory entry only; enough for the container check)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00") + bytes(64)
    return header + entry + bytes(1024)


def zip_bomb_docx() -> bytes:
    """A docx whose document part unpacks from kilobytes to 60 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 60_000_000 + b"</w:document>")
    return buffer.getvalue()


def entity_docx() -> bytes:
    """A docx whose XML declares entities (the billion-laughs shape)."""
    source = io.BytesIO(minutes_docx())
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"?>",
                    b'?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
                    1,
                )
            out.writestr(item, data)
    return buffer.getvalue()


def nested_docx(depth: int = 100_000) -> bytes:
    """A docx whose body is nested `depth` elements deep."""
    source = io.BytesIO(minutes_docx())
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * depth + b"</w:sdt>" * depth, 1)
            out.writestr(item, data)
    return buffer.getvalue()


def _save(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()
