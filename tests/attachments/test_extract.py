"""Extraction keeps the structure the model needs and refuses hostile or unreadable files clearly."""

from __future__ import annotations

import io

import openpyxl
import pypdf
import pytest

from bot.core.attachments import (
    CorruptFileError,
    NoTextError,
    PasswordProtectedError,
    ScanLikePdfError,
    TooLongError,
    extract,
)
from tests.attachments import samples


def test_word_keeps_headings_lists_and_table_rows() -> None:
    text = extract(samples.minutes_docx(), "docx", "議事録.docx", limit=30_000).text
    lines = text.splitlines()
    assert lines[0] == "# 第3回 市民まつり実行委員会 議事録"
    assert "## 決定事項" in lines
    assert "- 開催日を10月12日（日）とする。" in lines
    assert "項目 | 担当 | 期限" in lines
    assert lines.index("項目 | 担当 | 期限") + 1 == lines.index("会場の予約 | 村田英樹さん | 9月1日")


def test_excel_names_sheets_and_keeps_rows_and_numbers() -> None:
    text = extract(samples.budget_xlsx(), "xlsx", "予算.xlsx", limit=30_000).text
    assert text.splitlines() == [
        "【シート：歳出】",
        "款 | 予算額（千円）",
        "総務費 | 1250000",
        "",
        "【シート：歳入】",
        "市税 | 3100000",
    ]


def test_excel_ignores_a_declared_range_far_larger_than_the_data() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "見出し"
    sheet["XFD1"] = None  # the sheet's declared dimension now spans 16,384 columns
    sheet.cell(row=1, column=16384).value = "端"
    buffer = io.BytesIO()
    workbook.save(buffer)
    text = extract(buffer.getvalue(), "xlsx", "広い.xlsx", limit=30_000).text
    assert text.splitlines()[1].startswith("見出し | ")
    assert text.splitlines()[1].endswith(" | 端")


def test_powerpoint_numbers_slides_with_titles_and_notes() -> None:
    text = extract(samples.slides_pptx(), "pptx", "計画.pptx", limit=30_000).text
    assert text.splitlines()[:4] == [
        "【スライド 1】",
        "# 防災訓練の計画 その1",
        "避難所の開設手順 1",
        "（ノート）説明は5分 1",
    ]
    assert "【スライド 2】" in text


def test_japanese_pdf_text_layer_is_read_page_by_page() -> None:
    text = extract(samples.japanese_pdf(), "pdf", "報告書.pdf", limit=30_000).text
    assert text.splitlines() == [
        "【ページ 1】",
        "令和7年度 市民まつり開催報告書",
        "来場者数は約3万人でした。",
    ]


def test_transcript_turns_and_speakers() -> None:
    extracted = extract(samples.transcript_vtt(), "vtt", "会議.vtt", limit=30_000)
    assert extracted.speakers == {"佐々木 一郎", "Emily Clarke"}
    assert extracted.text.splitlines() == [
        "発言者 佐々木 一郎：それでは定例会議を始めます。 まず前回の宿題から確認します。",
        "発言者 Emily Clarke：案内チラシの英語版は金曜日までに作ります。",
        "発言者 佐々木 一郎：次回は来月の第1月曜日にしましょう。",
    ]
    assert "事務局メモ" not in extracted.text  # NOTE blocks are not part of the meeting


@pytest.mark.parametrize(
    ("data", "encoding"),
    [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("cp932", "cp932"), ("utf-16", "utf-16")],
)
def test_text_encodings_common_in_city_offices(data: str, encoding: str) -> None:
    raw = "お知らせ\r\n燃えるごみは火曜日です。".encode(encoding)
    assert extract(raw, "txt", "a.txt", limit=1000).text == "お知らせ\n燃えるごみは火曜日です。"


def test_csv_rows_are_cells_joined_like_a_sheet() -> None:
    raw = '地区,件数\n平,"1,200"\n小名浜,300\n'.encode("cp932")
    assert extract(raw, "csv", "a.csv", limit=1000).text.splitlines() == [
        "地区 | 件数",
        "平 | 1,200",
        "小名浜 | 300",
    ]


@pytest.mark.parametrize(
    ("data", "file_type", "error"),
    [
        (samples.scanned_pdf(), "pdf", ScanLikePdfError),
        (samples.encrypted_pdf(), "pdf", PasswordProtectedError),
        (samples.encrypted_office(), "docx", PasswordProtectedError),
        (samples.encrypted_office(), "xlsx", PasswordProtectedError),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "docx", CorruptFileError),  # an old binary .doc
        (samples.zip_bomb_docx(), "docx", CorruptFileError),
        (samples.entity_docx(), "docx", CorruptFileError),
        (samples.nested_docx(), "docx", CorruptFileError),
        (b"PK\x03\x04 not really a zip", "xlsx", CorruptFileError),
        (samples.minutes_docx()[:5000], "docx", CorruptFileError),  # cut off mid-download
        (samples.japanese_pdf()[:400], "pdf", CorruptFileError),
        (b"plain text, not a PDF", "pdf", CorruptFileError),
        (b"\x00\x01\x02binary", "txt", CorruptFileError),
        (b"00:00:01.000 --> 00:00:02.000\n<v A>x</v>", "vtt", CorruptFileError),  # no WEBVTT header
        (b"   \n\n  ", "txt", NoTextError),
    ],
)
def test_hostile_and_unreadable_files_raise_one_clear_error(data: bytes, file_type: str, error: type) -> None:
    with pytest.raises(error) as raised:
        extract(data, file_type, "資料", limit=30_000)
    assert raised.value.name == "資料"


def test_a_pdf_restricted_only_by_an_owner_password_is_read() -> None:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(samples.japanese_pdf()))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "市民まつり" in extract(buffer.getvalue(), "pdf", "a.pdf", limit=30_000).text


def test_extraction_stops_at_the_budget_of_a_huge_sheet() -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("大量")
    for n in range(20_000):
        sheet.append([f"行{n}", "あいうえお" * 4])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TooLongError) as raised:
        extract(buffer.getvalue(), "xlsx", "大量.xlsx", limit=10_000)
    assert raised.value.at_least
    assert raised.value.chars > 10_000


def test_table_rows_also_come_with_their_headings_for_screening() -> None:
    extracted = extract(samples.roster_xlsx(), "xlsx", "名簿.xlsx", limit=30_000)
    assert extracted.labelled.splitlines()[0] == "氏名：職員1、マイナンバー：123456789018、地区：平"
    assert "マイナンバー：" not in extracted.text  # the model gets rows as rows
