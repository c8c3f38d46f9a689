"""Values in table columns whose header says what they are (氏名, 住所, 生年月日, 電話, メール).

A pasted CSV or tab-separated list repeats no label on its rows: 「氏名,生年月日」 over the data is
the only sign that 「さとう ゆな」 is a child's name and 「R3.4.18」 a date of birth.
"""

from __future__ import annotations

import re

from bot.core.screening import tables
from bot.core.screening.defaults import PERSON_LABELS
from bot.core.screening.detectors import Hit, Views, hit_from
from bot.core.screening.detectors.contact import PUBLISHED_CONTACT, office_row
from bot.core.screening.names import name_key

_PLACEHOLDER = re.compile(
    r"^(?:[○〇◯×＊*△□ー\-–—・.]+|未定|なし|無し|不明|空欄|N/?A|-|\(?(?:以下)?(?:略|省略|同上|以下同じ)\)?)$"
)
_MAX_CELL = 40
_STAND_IN = re.compile(
    r"^[\u3400-\u9fff\u30a1-\u30fa\u30fc]{0,4} ?[A-ZＡ-Ｚa-z]$|^[A-ZＡ-Ｚ] ?(?:さん|様|氏)?$"
)
"""社員A, 職員 B, Aさん: a letter standing in for a person (a practice table), not a name."""


_HONORIFIC_END = re.compile(r" ?(?:さん|様|さま|氏|くん|君|ちゃん|殿|先生)$")


def _acceptable(kind: str, value: str) -> bool:
    """Whether a cell value can be a value of `kind` (not a placeholder, not a count)."""
    if not value or len(value) > _MAX_CELL or _PLACEHOLDER.match(value):
        return False
    digits = sum(c.isdigit() for c in value)
    if kind == "person_name":
        return digits == 0 and not _STAND_IN.match(value)
    if kind == "birth_date":
        return digits >= 3
    if kind == "phone":
        return digits >= 9
    if kind == "email":
        return "@" in value
    return (
        len(value) >= 2 and digits >= 1
    )  # an address cell with only a city (いわき市) is not where someone lives


def _line_of(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : end if end >= 0 else len(text)]


class TableDetector:
    """Masks the personal values in columns a header labels."""

    def detect(self, views: Views) -> list[Hit]:
        """Hits for every acceptable cell under a personal-value header."""
        text = views.base.text
        published = PUBLISHED_CONTACT.search(text) is not None
        hits = []
        for cell in tables.cells(text):
            kind = tables.column_kind(cell.header)
            value = text[cell.start : cell.end]
            if kind is None or not _acceptable(kind, value):
                continue
            if published and kind in ("phone", "address"):
                continue  # 避難所一覧（公表済み）, 広報紙の相談窓口一覧: the places' own published contacts
            if kind in ("phone", "address") and office_row(_line_of(text, cell.start), value):
                continue  # |中央図書館|027-…|: a facility's row in a list of facilities
            if kind == "person_name" and value in PERSON_LABELS:
                continue  # 世帯主, 配偶者 under 氏名: the row's role, the name is in another cell
            end = cell.end
            if kind == "person_name":  # 山田さん: the name, so it shares the placeholder of 山田 elsewhere
                honorific = _HONORIFIC_END.search(value)
                end -= len(honorific.group()) if honorific and honorific.start() > 0 else 0
            value = text[cell.start : end]
            key = name_key(value) if kind == "person_name" else re.sub(r"\s", "", value).casefold()
            hits.append(hit_from(views.base, kind, (cell.start, end), key))
        return hits
