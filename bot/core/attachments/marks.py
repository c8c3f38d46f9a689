"""What the model reads around and inside a file's text, in the prompt's language (Japanese).

These are not messages for users (those live in bot/ui/attachments): they are the marks the
extracted text carries, so the model can tell the instruction from the file, one sheet or slide
from the next, and who spoke. `compose.sections` and `compose.speakers_in` read them back.
"""

from __future__ import annotations

TYPE_LABELS: dict[str, str] = {
    "docx": "Word",
    "xlsx": "Excel",
    "pptx": "PowerPoint",
    "pdf": "PDF",
    "txt": "テキスト",
    "csv": "CSV",
    "md": "Markdown",
    "vtt": "Teams会議のトランスクリプト",
}
"""How the file's kind is named in its opening mark."""

FILE_OPEN = "【添付ファイル「{name}」（{label}）の内容】"
FILE_CLOSE = "【添付ファイル「{name}」ここまで】"
UNNAMED = "添付ファイル"
SHEET = "【シート：{name}】"
SLIDE = "【スライド {number}】"
NOTES = "（ノート）{text}"
PAGE = "【ページ {number}】"
SPEAKER = "発言者 "
"""A transcript turn is `発言者 山田 太郎：…`."""

HEADING_STYLES = ("heading", "title", "見出し")
"""Word paragraph styles (English and Japanese Word) that are headings."""
LIST_STYLES = ("list", "箇条書き")
"""Word paragraph styles that are list items."""
