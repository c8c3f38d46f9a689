"""Passages: a document cut at its own boundaries (第N条, 第N章・節, 見出し), so a hit cites an article.

    第一章　総則                  chapter: remembered, prefixed to the passages under it
    （旅費の種類）                a caption line belongs to the article that follows it
    第五条　旅費は、…            an article starts a passage; its label is 「第五条」
    # 出張の手続                  a Markdown heading (HTML <h1>–<h6> and Word headings arrive as these)
    1　申請の方法                 a short numbered line without 。 is a manual's heading — unless its
                                  neighbours are numbered too (then it is a list item, kept as text)
    **Q3 半日単位で取れますか。** a question of a Q&A starts a passage holding it and its answer

A passage longer than MAX_CHARS is split at paragraph (then sentence) boundaries; every piece keeps
its label. Text before the first boundary is a preamble passage with an empty label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 900
MIN_CHARS = 20  # pieces shorter than this are merged into the previous passage

_NUM = r"[0-9０-９〇一二三四五六七八九十百千]+"
_ARTICLE = re.compile(rf"^\s*(第{_NUM}条(?:の{_NUM})*)(?=[\s　（(]|$)")
_CHAPTER = re.compile(rf"^\s*(第{_NUM}[編章節款])(?:[\s　]+(.*))?$")
_CAPTION = re.compile(r"^\s*[（(]([^（）()]{1,40})[）)]\s*$")
_MARKDOWN = re.compile(r"^\s*(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(
    r"^\s*((?:[0-9０-９]{1,2}(?:[．.][0-9０-９]{1,2})*)(?:[．.、][\s　]*|[\s　]+)"
    r"|[⑴-⒇①-⑳][\s　]*)(\S.{0,38})$"
)
_QUESTION = re.compile(r"^\s*(?:\*\*)?\s*(?:[QＱ]|問)\s*[0-9０-９]*[\s　.．:：、]+(.+?)(?:\*\*)?\s*$")
_BREAK = re.compile(r"(?<=[。．！？])")


@dataclass(frozen=True)
class Passage:
    """One retrievable unit: its citation label, the headings above it, and its text."""

    label: str  # 「第五条」, a heading, or "" for a preamble
    context: str  # chapter / section headings above it (「第二章　旅費」)
    text: str
    ordinal: int = 0  # position in the document


@dataclass
class _Open:
    label: str
    context: str
    lines: list[str]


def split_passages(text: str) -> list[Passage]:
    """Cut `text` into passages at article, chapter, heading and Q&A boundaries."""
    lines = [raw.rstrip() for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kinds = _list_items_as_text(lines, [_boundary(line) if line.strip() else ("", "", "") for line in lines])
    opened: list[_Open] = []
    current = _Open("", "", [])
    chapter = section = ""
    pending_caption: str | None = None
    for line, (kind, label, title) in zip(lines, kinds, strict=True):
        if not line.strip():
            if pending_caption is None:
                current.lines.append("")
            continue
        if kind == "caption":
            if pending_caption is not None:
                current.lines.append(pending_caption)
            pending_caption = line.strip()
            continue
        if kind == "chapter":
            chapter, section = f"{label}　{title}".strip("　 "), ""
            opened.append(current)
            current = _Open("", chapter, [])
            pending_caption = None
            continue  # the chapter's name rides on the passages under it (context), not as text
        if kind in {"article", "heading", "question"}:
            opened.append(current)
            if kind == "heading" and label == "#":
                chapter = title
            elif kind == "heading":
                section = title
            context = f"{chapter}　{section}".strip("　") if kind == "question" else chapter
            current = _Open(label if kind == "article" else title, context, [])
            if pending_caption is not None:
                current.lines.append(pending_caption)
            line = title if kind == "question" else line.strip()  # noqa: PLW2901
            if kind == "heading":
                continue
        elif pending_caption is not None:
            current.lines.append(pending_caption)
        pending_caption = None
        current.lines.append(line)
    if pending_caption is not None:
        current.lines.append(pending_caption)
    opened.append(current)
    return _finish(opened)


def _list_items_as_text(lines: list[str], kinds: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Numbered headings next to other numbered lines are a list (1. 連絡 2. 聞き取り…): body text."""
    numbered = [k[0] == "heading" and k[1] == "1" for k in kinds]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    out = list(kinds)
    for pos, i in enumerate(filled):
        neighbours = [filled[p] for p in (pos - 1, pos + 1) if 0 <= p < len(filled)]
        if numbered[i] and any(numbered[n] for n in neighbours):
            out[i] = ("", "", "")
    return out


def _boundary(line: str) -> tuple[str, str, str]:
    """(kind, label, title) of a boundary line, or ("", "", "") for body text."""
    if m := _ARTICLE.match(line):
        return "article", m.group(1), ""
    if (m := _CHAPTER.match(line)) and len(line) <= 60:
        return "chapter", m.group(1), (m.group(2) or "").strip()
    if _CAPTION.match(line):
        return "caption", "", line.strip()
    if m := _QUESTION.match(line):
        return "question", "Q", m.group(1).strip()
    if m := _MARKDOWN.match(line):
        inner = m.group(2).strip()
        if _ARTICLE.match(inner) or _CHAPTER.match(inner):  # "## 第1章 総則", "### 第5条（…）"
            return _boundary(inner)
        return "heading", "#" if len(m.group(1)) == 1 else "##", inner
    if (m := _NUMBERED.match(line)) and not line.rstrip().endswith(("。", "．")):
        return "heading", "1", line.strip()
    return "", "", ""


def _finish(opened: list[_Open]) -> list[Passage]:
    out: list[Passage] = []
    for item in opened:
        body = "\n".join(item.lines).strip()
        if not body or body == item.label:  # a heading with nothing under it: its name is context
            continue
        for piece in _pieces(body):
            if out and len(piece) < MIN_CHARS and out[-1].label == item.label:
                last = out[-1]
                out[-1] = Passage(last.label, last.context, last.text + "\n" + piece, last.ordinal)
                continue
            out.append(Passage(item.label, item.context, piece, len(out)))
    return out


def _pieces(body: str) -> list[str]:
    """The body split at paragraphs, then sentences, into pieces of at most MAX_CHARS."""
    if len(body) <= MAX_CHARS:
        return [body]
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n(?=\S)", body):
        units.extend(_BREAK.split(paragraph) if len(paragraph) > MAX_CHARS else [paragraph])
    pieces: list[str] = []
    buf = ""
    for whole in (u for u in units if u.strip()):
        unit = whole
        while len(unit) > MAX_CHARS:  # one sentence longer than a passage: cut it hard
            if buf:
                pieces.append(buf)
                buf = ""
            pieces.append(unit[:MAX_CHARS])
            unit = unit[MAX_CHARS:]
        if buf and len(buf) + len(unit) + 1 > MAX_CHARS:
            pieces.append(buf)
            buf = unit
        else:
            buf = f"{buf}\n{unit}" if buf else unit
    if buf:
        pieces.append(buf)
    return [p.strip() for p in pieces if p.strip()]


def article_number(label: str) -> str:
    """The label with full-width digits made ASCII, for display (第５条 → 第5条)."""
    return unicodedata.normalize("NFKC", label)
