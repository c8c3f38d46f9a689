"""Checks before a hostile file reaches a parser: containers, zip bombs, DTDs, encryption.

OOXML (docx/xlsx/pptx) is a zip of XML parts. Before python-docx, openpyxl or python-pptx open it:
- an OLE compound file (D0 CF 11 E0) in its place is either a password-protected OOXML file
  (its `EncryptedPackage` stream) or an old binary .doc/.xls/.ppt;
- the zip must be readable, hold at most MAX_MEMBERS parts, unpack to at most MAX_UNPACKED_BYTES,
  and no large part may be compressed more than MAX_RATIO times (zipfile itself refuses parts
  that unpack beyond their declared size);
- no XML part may declare a DTD (OOXML never does; entity tricks need one).
"""

from __future__ import annotations

import io
import zipfile

from bot.core.attachments.errors import CorruptFileError, PasswordProtectedError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
MAX_MEMBERS = 20_000  # a 10 MB deck of text slides has about 10,000 parts
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200
RATIO_FROM_BYTES = 2 * 1024 * 1024
DTD_SCAN_BYTES = 2048


def check_ooxml(data: bytes, name: str) -> None:
    """Raise PasswordProtectedError or CorruptFileError unless `data` is a sane OOXML zip."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise PasswordProtectedError(name, "encrypted OOXML")
        raise CorruptFileError(name, "old binary Office format")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise CorruptFileError(name, "not a zip") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise CorruptFileError(name, f"{len(members)} zip members")
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise CorruptFileError(name, "unpacks too large")
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
                raise CorruptFileError(name, "zip bomb")
            if member.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, member, name):
                raise CorruptFileError(name, "XML with a DTD")


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> bool:
    try:
        with archive.open(member) as part:
            head = part.read(DTD_SCAN_BYTES)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        raise CorruptFileError(name, "unreadable zip member") from None
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def check_pdf(data: bytes, name: str) -> None:
    """A PDF starts with %PDF- within its first kilobyte."""
    if b"%PDF-" not in data[:1024]:
        raise CorruptFileError(name, "no PDF header")
