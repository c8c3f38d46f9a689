"""What a message attaches: file references (before download) and the supported types."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.attachments.errors import TooManyFilesError, UnsupportedTypeError
from bot.core.attachments.marks import TYPE_LABELS, UNNAMED

SUPPORTED: tuple[str, ...] = tuple(TYPE_LABELS)
"""Supported file types, by extension."""

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f「」【】\u2028\u2029]")


@dataclass(frozen=True)
class FileRef:
    """One attached file as Teams describes it; `url` is pre-authenticated (never log it)."""

    name: str
    file_type: str
    url: str = field(repr=False)
    unique_id: str = ""

    @property
    def type_label(self) -> str:
        """'Word' for docx."""
        return TYPE_LABELS.get(self.file_type, self.file_type)


def file_type_of(name: str, declared: str = "") -> str:
    """The type from the name's extension, else Teams' declared fileType (lower case, no dot)."""
    _, dot, ext = name.rpartition(".")
    found = ext.lower() if dot and ext else ""
    if found in SUPPORTED:
        return found
    declared = declared.lower().lstrip(".")
    return declared if declared in SUPPORTED or not found else found


def clean_name(name: str, limit: int = 100) -> str:
    """The file name safe to show and to mark the text with (no brackets, no control characters)."""
    cleaned = _UNSAFE_NAME.sub("_", name).strip() or UNNAMED
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def check_refs(refs: list[FileRef], max_files: int) -> None:
    """Refuse too many files or an unsupported type before anything is fetched."""
    if len(refs) > max_files:
        raise TooManyFilesError(len(refs), max_files)
    for ref in refs:
        if ref.file_type not in SUPPORTED:
            raise UnsupportedTypeError(ref.name, ref.file_type)
