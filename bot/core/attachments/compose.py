"""The model-bound text of a message with files: the instruction, then each file marked by name.

    {instruction}

    【添付ファイル「議事録.docx」（Word）の内容】
    …the extracted text…
    【添付ファイル「議事録.docx」ここまで】

This text is the turn's `raw_text`: it goes through the same screening, quota and records as a
typed message. The marks are also read back (`sections`, `speakers_in`): the screening stage names
the file a finding came from, and masks every transcript speaker, even after a held text was
confirmed (the held text is this composed text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.attachments.errors import TooLongError
from bot.core.attachments.extract import Extracted
from bot.core.attachments.files import FileRef, clean_name
from bot.core.attachments.marks import FILE_CLOSE, FILE_OPEN, SPEAKER

_SECTION = re.compile(
    r"【添付ファイル「(?P<name>[^」\n]{1,100})」（[^）\n]*）の内容】\n(?P<body>.*?)\n【添付ファイル「(?P=name)」ここまで】",
    re.DOTALL,
)
_SPEAKER_LINE = re.compile(rf"^{SPEAKER}(?P<name>[^：\n]{{1,80}})：", re.MULTILINE)
_NAME_JOINERS = re.compile(r"[ \u3000・=\-]")


@dataclass(frozen=True)
class Section:
    """Where one file's text sits in the composed text."""

    name: str
    start: int
    end: int


def compose(instruction: str, files: Sequence[tuple[FileRef, Extracted]], *, per_message: int) -> str:
    """The instruction followed by every file's marked text; TooLongError over `per_message` characters."""
    total = sum(extracted.chars for _, extracted in files)
    if total > per_message:
        name = files[0][0].name if len(files) == 1 else ""
        raise TooLongError(name, total, per_message, per_message=True)
    parts = [instruction.strip()]
    for ref, extracted in files:
        name = clean_name(ref.name)
        opening = FILE_OPEN.format(name=name, label=ref.type_label)
        parts.append(f"{opening}\n{extracted.text}\n{FILE_CLOSE.format(name=name)}")
    return "\n\n".join(parts)


def sections(text: str) -> list[Section]:
    """The files marked in a composed text, with the span of each one's content."""
    return [Section(m.group("name"), m.start("body"), m.end("body")) for m in _SECTION.finditer(text)]


def section_of(found: Sequence[Section], offset: int) -> str:
    """The name of the file containing `offset`, "" when it is in the typed instruction."""
    return next((s.name for s in found if s.start <= offset < s.end), "")


def speakers_in(text: str) -> set[str]:
    """Transcript speakers (`発言者 名前：`) inside the marked files of a composed text."""
    found: set[str] = set()
    for section in sections(text):
        body = text[section.start : section.end]
        found.update(m.group("name").strip() for m in _SPEAKER_LINE.finditer(body))
    return {name for name in found if name}


def name_key(name: str) -> str:
    """Pseudonym key of a name: spaces and joiners removed, case folded (山田 太郎 = 山田太郎)."""
    return _NAME_JOINERS.sub("", name).casefold()


def spellings(name: str) -> list[str]:
    """Ways a speaker's name appears in text: as written, and without the space between parts."""
    forms = {name, _NAME_JOINERS.sub("", name)}
    return sorted((f for f in forms if f), key=len, reverse=True)
