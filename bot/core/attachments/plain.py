"""Text files: .txt, .md as they are, .csv as rows, .vtt (Teams transcripts) as who said what.

Encodings tried in order: a byte order mark (UTF-8, UTF-16), UTF-8, then cp932 (Shift_JIS as
Windows writes it, still common in city offices). A NUL byte means it is not text.

A Teams transcript cue is `<v 山田 太郎>発言</v>` under a timestamp line; consecutive cues of one
speaker are joined, one line per turn: `発言者 山田 太郎：発言`. The speakers are people: they are
returned so the screening stage masks every one of them, whatever the name detector thinks.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from bot.core.attachments.errors import CorruptFileError
from bot.core.attachments.marks import SPEAKER
from bot.core.attachments.office import Budget, table_rows

_TIMING = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}\s+-->\s+")
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]*)>(.*?)(?:</v>|$)", re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
MAX_SPEAKER_CHARS = 80


def decode(data: bytes) -> str:
    """The text of a text file; CorruptFileError when it is not text in a known encoding."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decoded(data[len(bom) :], (encoding,))
    if b"\x00" in data:
        raise CorruptFileError("", "binary data")
    return _decoded(data, ("utf-8", "cp932"))


def _decoded(data: bytes, encodings: tuple[str, ...]) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise CorruptFileError("", "unknown text encoding")


def text_lines(data: bytes, budget: Budget) -> None:
    """.txt and .md: the text as it is."""
    for line in decode(data).split("\n"):
        budget.add(line.rstrip())
        if budget.over:
            return


def csv_rows(data: bytes, budget: Budget) -> None:
    """.csv: one line per row, cells joined with ` | ` like a sheet."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        table_rows(csv.reader(io.StringIO(text), dialect), budget)
    except csv.Error:
        raise CorruptFileError("", "malformed CSV") from None


def vtt_turns(data: bytes, budget: Budget) -> set[str]:
    """.vtt: who said what, in order; returns the speakers' names."""
    lines = decode(data).split("\n")
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise CorruptFileError("", "not WebVTT")
    speakers: set[str] = set()
    current, said = "", list[str]()
    for speaker, text in _cues(lines[1:]):
        if speaker != current and said:
            budget.add(_turn(current, said))
            said = []
        current = speaker
        said.append(text)
        if speaker:
            speakers.add(speaker)
        if budget.over:
            return speakers
    if said:
        budget.add(_turn(current, said))
    return speakers


def _turn(speaker: str, said: list[str]) -> str:
    return f"{SPEAKER}{speaker}：{' '.join(said)}" if speaker else " ".join(said)


def _cues(lines: list[str]) -> list[tuple[str, str]]:
    """(speaker, text) of every cue; NOTE, STYLE and REGION blocks skipped."""
    cues: list[tuple[str, str]] = []
    in_cue, skipping, speaker = False, False, ""
    for raw in lines:
        line = raw.strip()
        if not line:
            in_cue, skipping = False, False
        elif skipping:
            continue
        elif not in_cue and line.split(" ", 1)[0] in {"NOTE", "STYLE", "REGION"}:
            skipping = True
        elif _TIMING.match(line):
            in_cue, speaker = True, ""
        elif in_cue:
            found = _voices(line, speaker)
            cues.extend(found)
            speaker = found[-1][0] if found else speaker
    return cues


def _voices(line: str, speaker: str) -> list[tuple[str, str]]:
    """The voice spans of a cue line; a line without one continues the cue's speaker."""
    found = [
        (" ".join(m.group(1).split())[:MAX_SPEAKER_CHARS], _TAG.sub("", m.group(2)).strip())
        for m in _VOICE.finditer(line)
    ]
    if not found:
        found = [(speaker, _TAG.sub("", line).strip())]
    return [(who, text) for who, text in found if text]
