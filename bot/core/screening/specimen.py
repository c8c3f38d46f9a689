"""Values shown as an example: a form's specimen, a placeholder, test data.

A name, a date of birth, an address or a mail address written right after an
example cue on its own line (記入例：… / 例）… / 見本の中身は、… / ダミーの住所として「…」 / Sample:
… DOB …) is the example itself, not someone's data. The cue must stand before the value on the
same line and close to it, so a real applicant mentioned later in a sentence about a form's
example stays masked.
"""

from __future__ import annotations

import re

from bot.core.screening.detectors import Hit

_CUE = re.compile(
    r"記入例|見本|ダミー|サンプル|架空|テスト用|テストデータ|例[)）：:]"
    # not the domain of an address before it (a@example.org, b@…)
    r"|(?<![@.\w-])(?i:sample|example|dummy|placeholder|fictitious|e\.g\.)"
)
_NEAR_CUE = re.compile(
    r"例[)）：:] ?「?$|(?:記入例|見本|サンプル|ダミー|例文|文例)[』」]?(?:[:：の]|の欄の|欄の)? ?[「『]?$"
    # an English form filled with stand-in values (sample form … placeholder data: Name: TARO YAMADA)
    r"|(?i:(?:sample|example|dummy|placeholder|fictitious|made-up)\b[^\n.]{0,40}?\bname ?[:：] ?)$"
)
_CUE_AFTER = re.compile(r"[」』]? ?(?:さん)?(?:を|の)(?:例に|例として|見本に|サンプルに|記入例に)")
"""A name followed by what it is used for (山田太郎を例にして…): a stand-in."""
_WINDOW = 80
_KINDS = frozenset(("address", "birth_date", "email"))
"""Phones have their own rule (a specimen cue and a made-up number: 03-1234-5678（テスト用））."""


def is_specimen(text: str, hit: Hit) -> bool:
    """Whether `hit` (original offsets in `text`) is an example value after a cue on its line.

    Names need the cue right before them (例）前橋 太郎); other values anywhere in the 80
    characters before them on the line (記入例：Name: … / Date of birth: …)."""
    line_start = text.rfind("\n", 0, hit.start) + 1
    before = text[max(line_start, hit.start - _WINDOW) : hit.start]
    if hit.kind == "person_name":
        return _NEAR_CUE.search(before) is not None or _CUE_AFTER.match(text, hit.end) is not None
    return hit.kind in _KINDS and _CUE.search(before) is not None
