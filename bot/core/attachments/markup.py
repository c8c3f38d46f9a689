"""HTML to text: the visible text, headings as Markdown `#` lines, block elements on their own lines.

Used for the city's own pages loaded into the knowledge (an 例規 published as HTML); chat attachments
do not offer it (bot.core.attachments.marks.TYPE_LABELS lists what they accept). The parser is the
standard library's: it never fetches anything (no external entities, no scripts run) and its
character references are decoded. <script>, <style>, <noscript>, <template> and <head> are skipped;
<title> becomes the budget's title (the metadata title of the document).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.core.attachments.office import Budget
from bot.core.attachments.plain import decode

_BLOCKS = frozenset(
    {"p", "div", "li", "tr", "br", "table", "ul", "ol", "section", "article"}
    | {"dd", "dt", "blockquote", "pre", "main", "header", "footer", "nav", "aside"}
)
_SKIP = frozenset({"script", "style", "noscript", "template", "head"})
_HEADING = re.compile(r"h[1-6]")
MAX_TITLE_CHARS = 200


class _Visible(HTMLParser):
    """Collects the visible text (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip += 1
        elif _HEADING.fullmatch(tag):
            self.out.append("\n" + "#" * int(tag[1]) + " ")
        elif tag in _BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif _HEADING.fullmatch(tag) or tag in _BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.out.append(re.sub(r"\s+", " ", data))


def html_text(data: bytes, budget: Budget) -> None:
    """.html / .htm: the visible text line by line; <title> as the budget's title."""
    parser = _Visible()
    parser.feed(decode(data))
    parser.close()
    budget.title = " ".join(parser.title.split())[:MAX_TITLE_CHARS]
    for line in "".join(parser.out).split("\n"):
        budget.add(line.strip())
        if budget.over:
            return
