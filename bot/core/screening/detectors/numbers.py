"""Identifier numbers: My Number, 住民票コード, pension, insurance, licence, bank, card, corporate…

Digits are read in the numeric view as a *chunk*: digit groups joined by single spaces or
hyphens (so "9876 5432 1000", "2345-678901" and full-width or zero-width-split digits are one
number). A chunk is classified by its label (see `labels`), its length and, where the kind has
one, its check digit. Quantities (円, 件, 年…), decimals and dates are not identifiers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from bot.core.screening import tables
from bot.core.screening.checkdigits import corporate_number_ok, luhn_ok, my_number_ok, resident_code_ok
from bot.core.screening.detectors import Hit, Views, hit_from
from bot.core.screening.detectors.labels import (
    GENERIC,
    LATIN_LABEL_BEFORE,
    OTHER,
    WEAK_BANK_WORDS,
    WEAK_CARD_WORDS,
    Label,
    LabelIndex,
    compile_labels,
    labels_in,
)
from bot.core.screening.model import Action
from bot.core.screening.policy import ScreeningPolicy

_CHUNK = re.compile(
    rf"(?=[0-9])(?:(?<![0-9A-Za-z+.,])|(?<![0-9A-Za-z+][.,])|(?<=[0-9],)(?![0-9]{{3}}(?![0-9]))"
    rf"|{LATIN_LABEL_BEFORE})"
    r"\d+(?:(?: ?[-./_・] ?| {1,2})\d+)*(?![0-9])"
)
_GROUP = re.compile(r"\d+")
_UNIT_AFTER = re.compile(
    r" ?(?:[円万億千件人名個枚回年月日時分秒歳才%倍点本台冊通部頁字位行列週割桁]|ページ"
    r"|世帯(?!主|員|票)|か所|ヶ所|箇所|けた|ケタ|つ(?![0-9])"
    r"|km|kg|cm|mm|m\b|g\b|GB|MB|ms|px)"
    # …but not a counter that starts a word: 1234567 名義, 12345678 年金, 1234567 本人
    r"(?<!個(?=人|別|室))(?<!人(?=名|口))(?<!名(?=義|前|称|簿))(?<!年(?=金|齢))(?<!本(?=人|店|籍|庁))(?<!日(?=本))(?<!通(?=帳|知))(?<!部(?=署))"
)
_DECIMAL_AFTER = re.compile(r",\d{3}(?![0-9])")  # 1,234: an amount; 123456,2024/04/01: CSV cells
_CURRENCY_BEFORE = re.compile(r"[¥$€£] ?$")
_DATE_GROUPS = re.compile(
    r"(?:(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01]))"
    r"|(?:(?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])[-./](?:19|20)\d\d)"
)

_ALNUM_GAP = r"(?: ?-? ?|[ \t]*\n[ \t]*)"
"""Between the letters and digits of a passport or residence card number: a hyphen, a space, or
a line break (the letters typed on their own line)."""
_PASSPORT = re.compile(
    rf"(?<![0-9A-Za-z])[A-Za-z]{{2}}{_ALNUM_GAP}(?:\d{{7}}|\d{{4}} \d{{3}}|\d{{3}} \d{{4}})(?![0-9])"
)
_JAPANESE_PASSPORT = re.compile(r"[A-Z]{2}\d{7}")
_PASSPORT_WORD = re.compile(r"パスポート|旅券|(?i:passport)")
"""A passport named anywhere in the message: a Japanese passport's shape in it is the number."""
_TRAVEL = re.compile(
    r"渡航|海外出張|航空券|旅行会社|旅行代理店|ビザ|査証|出国|入国審査|搭乗|航空会社"
    r"|(?i:\bflights?\b|airline|\bvisa\b|boarding|travel agen)"
)
"""A trip being arranged: the two capitals and seven digits of a Japanese passport are its number."""
_MRZ = re.compile(
    r"(?m)^[ \t]*(?P<number>[A-Z0-9]{2}[A-Z0-9<]{7})<?[0-9<][A-Z<]{3}[0-9]{6}[0-9<][MFX<][0-9]{6}[0-9<]"
)
"""The second line of a passport's machine-readable zone: number, check digit, nationality, birth
date, sex, expiry (EE9847863<0JPN8804125M3101234…)."""
_DIGIT_GAP = r"(?:[ -]{1,3}|[ \t]*\n[ \t]*)?"
_RESIDENCE_CARD = re.compile(
    rf"(?<![0-9A-Za-z])[A-Za-z] ?[A-Za-z]{_ALNUM_GAP}\d(?:{_DIGIT_GAP}\d){{7}}{_ALNUM_GAP}[A-Za-z] ?[A-Za-z]"
    r"(?![0-9A-Za-z])"
)
"""2 letters, 8 digits (split anywhere: "DW20⏎583917⏎SK", "AB 1234 5678 CD"), 2 letters."""
_LABELLED_RESIDENCE_CARD = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{2} ?[0-9OoIl]{6,9} ?[A-Za-z]{0,2}(?![0-9A-Za-z])"
)
"""Where a residence card label stands: its number even when OCR lost or misread a letter (MN3O1275I8J)."""
_DICTATED_RESIDENCE_CARD = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{2}(?: ?[、,，・] ?[0-9]{1,4}){2,8} ?[、,，・] ?[A-Za-z]{2}(?![0-9A-Za-z])"
)
"""Where a residence card label stands: its number read out piece by piece (ＭＮ、７７、３１、…、ＲＫ)."""
_RESIDENCE_CARD_OCR = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{2} ?[0-9OoIl]{4} ?-?[0-9OoIl]{4} ?[A-Za-z]{2}(?![0-9A-Za-z])"
)
"""A residence card number read by OCR: O/I/l among its eight digits (RN8326I55IGK)."""
_ALNUM = re.compile(rf"(?<![0-9A-Za-z])[A-Za-z]{{2}}{_ALNUM_GAP}\d{{4}}")  # where passport numbers may start
_ANY_PASSPORT = re.compile(rf"(?<![0-9A-Za-z])(?:[A-Za-z]{{1,2}}{_ALNUM_GAP})?\d{{7,9}}(?![0-9A-Za-z])")
_INVOICE = re.compile(r"(?<![0-9A-Za-z])T ?-?(\d{13})(?![0-9])")

# (shortest, longest) digits per label kind: [0] when the label is attached, [1] when it is nearby.
_LENGTHS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "my_number": ((11, 13), (12, 12)),
    "resident_code": ((10, 12), (11, 11)),
    "pension_number": ((9, 11), (10, 10)),
    "health_insurance_number": ((3, 10), (6, 10)),
    "drivers_license": ((10, 13), (12, 12)),
    "bank_account": ((7, 8), (7, 8)),
    "payment_card": ((13, 19), (13, 19)),
    "corporate_number": ((12, 13), (13, 13)),
}
_YUCHO = ((5, 13), (7, 13))
_CARD_PREFIXES = ("2", "3", "4", "5", "6")
_SHAPES: dict[str, re.Pattern[str]] = {
    "my_number": re.compile(r"\d{4}[ -]?\d{4}[ -]?\d{4}"),
    "resident_code": re.compile(r"\d{11}|\d{5} ?\d{6}|\d{4}-\d{4}-\d{3}"),
    "pension_number": re.compile(r"\d{4}(?: ?- ?| )?\d{6}"),
    "health_insurance_number": re.compile(r"\d{8}"),
    "drivers_license": re.compile(r"\d{12}|\d{4}[ -]\d{4}[ -]\d{4}"),
    "payment_card": re.compile(r"\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}"),
    "residence_card": re.compile(r"\d{4} ?\d{4}"),  # the card's digits told apart from its letters
    "bank_account": re.compile(r"\d{7}"),  # 口座 in the memo, the digits read out at its end
}
"""The exact shapes of identifiers, for the message-level fail safe."""
_ANY_SHAPE = re.compile("|".join(f"(?:{p.pattern})" for p in _SHAPES.values()))
_EIGHT_DIGIT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_PENSION_CONTEXT = re.compile(r"年金|ねんきん|納付特例|学生納付|20歳到達|(?i:pension)")
_PENSION_WRITTEN = re.compile(r"\d{4}(?: ?- ?| )\d{6}")
_PHONE_WORD = re.compile(r"電話|TEL|Tel|℡|予約|連絡先|問い?合わ?せ|コールセンター|ダイヤル")
_TWELVE_DIGITS = re.compile(r"\d{12}")
_ELEVEN_DIGITS = re.compile(r"\d{11}")
_LICENCE_CONTEXT = re.compile(r"運転者|運転免許|免許|公用車の運転|(?i:driver)")
"""A message about a pension: four and six digits written apart (5507-653221) are its number (with a
leading 0 only where no word of a phone is near, since 年金相談 0246-221111 is a phone)."""


_SOFT_GAP = re.compile(r"[ \t]*(?:[\n│|┃┆┊\t][ \t,│|┃┆┊\-─━┼┤├┬┴┌┐└┘]*)+")
"""Between digit groups of one number split over lines or table cells ("4377\n6020", "│5989│8347│")."""
_PUBLISHED_TEST_CARDS = frozenset(
    (
        "4111111111111111", "4012888888881881", "4242424242424242", "4000056655665556",
        "5555555555554444", "5105105105105100", "2223003122003222", "378282246310005",
        "371449635398431", "3530111333300000", "3566002020360505", "30569309025904",
        "38520000023237", "6011111111111117", "6011000990139424",
    )
)  # fmt: skip
"""Card numbers the card brands and payment services publish for testing: nobody's card."""
_TEST_CONTEXT = re.compile(
    r"テスト|試験環境|検証環境|ステージング|サンドボックス|ダミー|(?i:\btest|sandbox|staging)"
)
_FAIL_SAFE_WINDOW = 50
_ID_HEADER = re.compile(r"ID|No\.?$|番号|コード|(?i:\bid\b|number)")
_BARE_HEADER = re.compile(r"\s*(?:番号|No\.?|NO\.?|ID|コード|(?i:number|id|no\.?))\s*")
"""A header that only says "number" names no kind of number: the values keep every other rule."""
_SPECIMEN = re.compile(
    r"記入例|記載例|表示例|入力例|見本|ダミー|サンプル|例示|例[：:]|[(（]例|(?i:sample|dummy|example)"
)
_PIECE_GAP = re.compile(
    r"[^。\n]{0,24}|[^。\n]{0,30}。[^。\n]{0,16}|[^。\n]{0,24}。[^。\n]{0,12}?(?:番号|コード|ナンバー|No)[^。\n]{0,8}"
    r"|[^。\n]{0,24}[。\n] ?(?:で|、)?(?:残り|後半|続き|末尾|最後|下[0-9]|あと|その後|そのあと"
    r"|次)[^。\n]{0,8}"
    # boxes of a form, the first one on the next line ([9754][038] under 口座番号欄)
    r"|[^。\n]{0,8}\n?[ \t]*[\[【]|[\]】][ \t]*[\[【]"
    # the next line names its piece after a word or a bracket (カード番号（後半）…, （続き）6桁：…)
    r"|[^。\n]{0,24}\n[^。\n]{0,12}?(?:前半|後半|残り|続き|末尾|最後|次"
    r"|(?:前|後|上|下|最初の|最後の|次の) ?[0-9]{1,2} ?(?:桁|けた|ケタ|つ))[^。\n]{0,8}"
    # a form's boxes of one number, each on its line after the box's name (上：4868⏎下：240084)
    r"|[^。\n]{0,30}\n[ \t]*(?:上|下|前|後|左|右|前半|後半|上段|下段|左側|右側)(?:欄)?[ \t]*[：:][ \t]*"
)
_ROW_GAP = re.compile(r"[ \t,│|┃]*(?:\n[ \t,│|┃]*)+")
"""Between the cells of one column in the rows below its header (個人番号 over ,,1127 / ,,5622 / ,,2107)."""
"""Between the pieces of one number: a few words, or a sentence end followed by 「残りは…」."""
_ORDINAL = re.compile(r"第 ?$")
_TOLL_FREE = re.compile(r"(?:0120|0570|0180|0990)-\d{2,3}-\d{3,4}|0800-\d{3}-\d{4}")
"""Free-dial and navigation-dial numbers in their written shape: always a company's line."""
_PIECES_KINDS = {
    "my_number": 12,
    "resident_code": 11,
    "pension_number": 10,
    "health_insurance_number": 6,
    "drivers_license": 12,
    "bank_account": 7,
    "payment_card": 13,
    "passport": 7,
}
"""Block-class kinds whose number may come in pieces near its label, and the digits a whole one has."""


class NumberDetector:
    """Finds identifier numbers in the numeric view."""

    def __init__(self, policy: ScreeningPolicy) -> None:
        self._labels = compile_labels(policy.other_number_labels)
        self._unlabelled_my_number = policy.unlabelled_my_number

    def detect(self, views: Views) -> list[Hit]:
        """Identifier hits in `views`."""
        num = views.num
        if not any(c.isdigit() for c in num.text):
            return []
        chunks = [c for c in (_without_quantity(num.text, m) for m in _CHUNK.finditer(num.text)) if c]
        numbers = [(c[0][0], c[-1][1]) for c in chunks] + [m.span() for m in _ALNUM.finditer(num.text)]
        index = LabelIndex(self._labels, num.text, sorted(numbers))
        columns = self._column_labels(num.text)
        hits: list[Hit] = []
        i = 0
        while i < len(chunks):
            joined, used = _joined(num.text, chunks, i)
            found = list(self._chunk(views, index, joined, columns)) if used > 1 else []
            if not found:
                found, used = list(self._chunk(views, index, chunks[i], columns)), 1
            hits.extend(found)
            i += used
        hits.extend(self._alnum(views, index))
        if "\n" in num.text:
            hits.extend(_numbered_fields(views, hits))
        hits.extend(self._pieces(views, index, chunks, hits))
        hits.extend(self._shapes(views, index, chunks, hits))
        hits.extend(_licence_serials(views, index, hits, self._labels))
        hits.extend(self._generic_labelled(views, index, chunks))
        hits.extend(self._stream(views, index, chunks, hits, columns))
        grid: list[list[tables.GridCell]] | None = None  # built only when a rule needs it
        if "\n" in num.text and any(lab.kind not in (OTHER, GENERIC) for lab in index.labels):
            grid = tables.grid_rows(num.text)
            hits.extend(self._spanned_columns(views, hits, grid))
        if "名義" in views.original and any(h.kind == "bank_account" for h in hits):
            hits = _without_public_accounts(views.original, hits)
        if _TEST_CONTEXT.search(num.text):
            hits = [h for h in hits if not (h.kind == "payment_card" and h.key in _PUBLISHED_TEST_CARDS)]
        if any(h.kind in _SELF_EVIDENT for h in hits) and "\n" in num.text:
            hits = self._without_row_values(views, hits, tables.grid_rows(num.text) if grid is None else grid)
        return hits

    def _spanned_columns(
        self, views: Views, hits: list[Hit], rows: list[list[tables.GridCell]]
    ) -> Iterator[Hit]:
        """An identifier label heading a column whose number is split over the cells to its right
        under empty headers (氏名,個人番号,, over 佐藤,1234,5678,9018): the cells of a row under the
        label and its empty neighbours are one number."""
        text = views.num.text
        taken = [(h.start, h.end) for h in hits]
        heads = {row[0].grid: row for row in rows if row[0].head}
        for row in rows:
            head = heads.get(row[0].grid)
            if row[0].head or head is None:
                continue
            for k, cell in enumerate(head):
                span = k + 1
                while span < len(head) and not head[span].header:
                    span += 1
                if span - k < 2:
                    continue
                labels = [
                    lab
                    for lab in labels_in(self._labels, text, cell.start, cell.end)
                    if lab.kind not in (OTHER, GENERIC)
                ]
                pieces = row[k:span]
                digits = "".join(text[c.start : c.end] for c in pieces)
                kind = _fit(digits, [(labels[0], True)]) if labels and digits.isdigit() else None
                start, end = views.num.span(pieces[0].start, pieces[-1].end)
                if kind is not None and not any(x < end and start < y for x, y in taken):
                    yield _numeric_hit(views, kind, (pieces[0].start, pieces[-1].end), digits, None)

    def _without_row_values(
        self, views: Views, hits: list[Hit], grid: list[list[tables.GridCell]]
    ) -> list[Hit]:
        """Hits that do not join the values of different columns of one table row (人口 | 6243 |
        3906 | 6963 under 年度 | 2021 | 2022 | 2023): each of those cells has a column of its own, so
        the row is three values, not one number split in three. The header or the row still makes
        them one identifier: a label over the joined cells (個人番号 spanning them, 上4桁…) or before
        them in the row (個人番号 | 1234 | 5678 | 9018)."""
        num = views.num
        rows = [[(*num.span(c.start, c.end), c) for c in row] for row in grid]
        if not rows:
            return hits
        return [h for h in hits if h.kind not in _SELF_EVIDENT or not self._joins_columns(num.text, h, rows)]

    def _joins_columns(self, text: str, hit: Hit, rows: list[list[tuple[int, int, tables.GridCell]]]) -> bool:
        for row in rows:
            inside = [cell for a, b, cell in row if a < hit.end and hit.start < b]
            if len(inside) < 2:
                continue
            labelled_row = any(
                labels_in(self._labels, text, cell.start, cell.end)
                for _a, _b, cell in row
                if cell.column < inside[0].column
            )
            if labelled_row:
                return False
            if all(_COLUMN_OF_ITS_OWN.fullmatch(cell.header) for cell in inside):
                return True  # 2021 | 2022 | 2023: a statistics table's years
            columns = [cell.column for cell in inside]
            return all(self._word_column(cell.header) for cell in inside) and _another_row_differs(
                text, hit.kind, columns, row, rows
            )
        return False

    def _word_column(self, header: str) -> bool:
        """A header word that names no number and no part of one (人口, 男, 女 — not 個人番号, 番号,
        上4桁, 後半)."""
        return (
            bool(header)
            and not any(c.isdigit() for c in header)
            and _PART_OF_A_NUMBER.search(header) is None
            and not labels_in(self._labels, header, 0, len(header))
        )

    def _column_labels(self, text: str) -> list[tuple[int, int, Label]]:
        """Table cells under a header that is an identifier label (個人番号, kojin_bango, 国保番号…)."""
        out = []
        for cell in tables.cells(text):
            found = [
                lab
                for lab in labels_in(self._labels, cell.header, 0, len(cell.header))
                if lab.kind != GENERIC
            ]
            if found:
                kind = found[0].kind
            elif _ID_HEADER.search(cell.header) and not _BARE_HEADER.fullmatch(cell.header):
                kind = OTHER  # 申請ID, 受付No, 整理番号…: the header says what the numbers are
            else:
                continue
            out.append((cell.start, cell.end, Label(kind, cell.start, cell.start, cell.header)))
        return out

    def _chunk(
        self,
        views: Views,
        index: LabelIndex,
        groups: list[tuple[int, int]],
        columns: list[tuple[int, int, Label]],
    ) -> Iterator[Hit]:
        text = views.num.text
        start, end = groups[0][0], groups[-1][1]
        digits = "".join(text[a:b] for a, b in groups)
        before = [(lab, True) for a, b, lab in columns if a <= start and end <= b] + index.before(start)
        generic_attached = bool(before) and before[0][0].kind == GENERIC and before[0][1]
        attached_other = bool(before) and before[0][0].kind == OTHER and before[0][1]
        sensitive = [
            (lab, tight or generic_attached) for lab, tight in before if lab.kind not in (OTHER, GENERIC)
        ]
        sensitive += [(lab, False) for lab in index.after(end)]
        if attached_other and not any(tight for _, tight in sensitive):
            # 受付番号：…: the writer says what number it is — but only of the first number of a
            # chunk; one typed after it (〒970-8686 123456789018, TEL … then a My Number) is its own
            yield from self._after_labelled(views, groups)
            yield from self._run_on(views, groups)
            return
        if _TOLL_FREE.fullmatch(text, start, end) and not any(tight for _, tight in sensitive):
            return  # ゆうちょ銀行の問い合わせ先 0120-108-420: a company's free dial, not an account
        if not sensitive and _is_ordinal(text, start, end):
            return  # 第…号: a document or licence-style serial
        if _is_dummy(digits) and _SPECIMEN.search(text):
            return  # 口座番号は「1234567」のようなダミーで: a form's example, not a person's number
        kind = _fit(digits, sensitive)
        if kind is not None:
            yield _numeric_hit(views, kind, (start, end), digits, None)
            return
        windows = list(self._windows(views, groups, sensitive)) if sensitive and len(groups) > 1 else []
        if windows:
            yield from windows
        else:
            yield from self._unlabelled(views, (start, end), digits, groups)

    def _windows(
        self, views: Views, groups: list[tuple[int, int]], sensitive: list[tuple[Label, bool]]
    ) -> Iterator[Hit]:
        """Labelled chunks of several numbers ("普通 1234567 2345678"): the longest runs that fit."""
        text = views.num.text
        i = 0
        while i < len(groups):
            for j in range(len(groups) - 1, i - 1, -1):
                digits = "".join(text[a:b] for a, b in groups[i : j + 1])
                kind = _fit(digits, sensitive)
                if kind is not None:
                    yield _numeric_hit(views, kind, (groups[i][0], groups[j][1]), digits, None)
                    i = j
                    break
            i += 1

    def _unlabelled(
        self, views: Views, span: tuple[int, int], digits: str, groups: list[tuple[int, int]]
    ) -> Iterator[Hit]:
        n = len(digits)
        if len(set(digits)) == 1:
            return  # 000000000000 in a format string or a form's example
        if n == 12 and my_number_ok(digits):
            yield _numeric_hit(views, "my_number", span, digits, self._unlabelled_my_number, weak=True)
        elif n == 13 and corporate_number_ok(digits):
            yield _numeric_hit(views, "corporate_number", span, digits, None, weak=True)
        elif 14 <= n <= 19 and digits.startswith(_CARD_PREFIXES) and luhn_ok(digits) and _card_groups(groups):
            yield _numeric_hit(views, "payment_card", span, digits, None)
        elif len(groups) > 1:
            yield from self._inner_my_number(views, groups)
            yield from self._run_on(views, groups)

    def _after_labelled(self, views: Views, groups: list[tuple[int, int]]) -> Iterator[Hit]:
        """A My Number typed after a labelled number with only a space between (the label names the
        number it is attached to, not the next one): whole groups after the first space."""
        text = views.num.text
        for k in range(1, len(groups)):
            if text[groups[k - 1][1] : groups[k][0]].strip() == "":
                yield from self._inner_my_number(views, groups[k:])
                return

    def _run_on(self, views: Views, groups: list[tuple[int, int]]) -> Iterator[Hit]:
        """A My Number typed straight after a phone number or a postal code with no space
        ("0246-22-1111" + 12 digits): a last group of 4 + 12 digits after a hyphen whose last 12
        digits carry a valid check digit."""
        text = views.num.text
        for k in range(1, len(groups)):
            a, b = groups[k]
            digits = text[a + 4 : b]
            if b - a == 16 and text[groups[k - 1][1] : a].strip() == "-" and my_number_ok(digits):
                yield _numeric_hit(
                    views, "my_number", (a + 4, b), digits, self._unlabelled_my_number, weak=True
                )

    def _inner_my_number(self, views: Views, groups: list[tuple[int, int]]) -> Iterator[Hit]:
        """A My Number run into other digits ("090-1234-5678 1234 5678 9018"): any run of whole groups
        of 12 digits with a valid check digit."""
        text = views.num.text
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += text[groups[j][0] : groups[j][1]]
                if len(digits) >= 12:
                    if len(digits) == 12 and my_number_ok(digits) and len(set(digits)) > 1:
                        span = (groups[i][0], groups[j][1])
                        yield _numeric_hit(
                            views, "my_number", span, digits, self._unlabelled_my_number, weak=True
                        )
                        return
                    break

    def _pieces(
        self, views: Views, index: LabelIndex, chunks: list[list[tuple[int, int]]], hits: list[Hit]
    ) -> Iterator[Hit]:
        """Fail safe: an identifier label followed, within a short stretch, by digit groups that
        together are as long as that identifier ("前半は1993 5181、残りは9090", "81 の 402 の 559")."""
        text = views.num.text
        taken = [(h.start, h.end) for h in hits]
        strong_bank = any(
            lab.kind == "bank_account" and lab.text not in WEAK_BANK_WORDS for lab in index.labels
        )
        for label in index.labels:
            need = _PIECES_KINDS.get(label.kind)
            if need is None or (label.text in WEAK_BANK_WORDS and not strong_bank):
                continue
            limit = label.end + _FAIL_SAFE_WINDOW
            pieces: list[tuple[int, int]] = []
            pos = label.end
            rows = False  # some piece is in a row below the label: only a number that checks out
            for chunk in chunks:
                a, b = chunk[0][0], chunk[-1][1]
                if a < pos:
                    continue
                gap = text[pos:a]
                down = _ROW_GAP.fullmatch(gap) is not None
                if a > limit or not (_PIECE_GAP.fullmatch(gap) or down):
                    break
                rows = rows or down
                pieces.extend(chunk)
                pos = b
            count = sum(b - a for a, b in pieces)
            if not pieces:
                pieces, count = _pieces_before(text, chunks, label.start, need), 0
                count = sum(b - a for a, b in pieces)
            if not pieces or count < need or count > need + 8:
                continue
            start, end = views.num.span(pieces[0][0], pieces[-1][1])
            if any(x < end and start < y for x, y in taken):
                continue
            digits = "".join(text[a:b] for a, b in pieces)
            dummy = _is_dummy(digits) or any(_is_dummy(text[a:b]) for a, b in pieces)
            if (dummy and _SPECIMEN.search(text)) or _other_number(index, text, pieces):
                continue  # a form's example (0000000), or one with a number strung to it
            if _TOLL_FREE.fullmatch(text, pieces[0][0], pieces[-1][1]):
                continue  # 銀行の問い合わせ先 0120-108-420: the bank's free dial
            if label.text in WEAK_CARD_WORDS and not luhn_ok(digits):
                continue
            if rows and not (label.kind == "my_number" and len(digits) == 12 and my_number_ok(digits)):
                continue  # a column of short values (下4桁 over 1234 / 5678 / 9012) is several numbers
            taken.append((start, end))
            yield Hit(label.kind, start, end, digits)

    def split_kind(self, previous: str, current: str) -> tuple[str, list[tuple[int, int]]] | None:
        """The identifier an earlier message began and this one completes: a block-class label in
        `previous` with digit groups after it, and digit groups in `current` that bring the count to
        that identifier's length. Returns the kind and the spans of the groups in `current`."""
        before = Views(previous).num.text
        after = Views(current)
        labels = LabelIndex(self._labels, before, [(0, len(before))]).labels
        label = next((lab for lab in reversed(labels) if lab.kind in _PIECES_KINDS), None)
        if label is None or label.text in WEAK_BANK_WORDS:
            return None
        earlier = sum(len(g) for g in _GROUP.findall(_quantities_removed(before[label.end :])))
        mine = [
            c for c in (_without_quantity(after.num.text, m) for m in _CHUNK.finditer(after.num.text)) if c
        ]
        count = earlier + sum(b - a for chunk in mine for a, b in chunk)
        need = _PIECES_KINDS[label.kind]
        if earlier and mine and need <= count <= need + 2:
            return label.kind, [after.num.span(c[0][0], c[-1][1]) for c in mine]
        return None

    def _shapes(
        self, views: Views, index: LabelIndex, chunks: list[list[tuple[int, int]]], hits: list[Hit]
    ) -> Iterator[Hit]:
        """Fail safe at the level of the message: where an identifier's label stands anywhere in it,
        a number of exactly that identifier's shape is that identifier (年金番号の問い合わせ。…
        『2442-762769ですかね』), unless its own label says otherwise."""
        text = views.num.text
        labels = index.labels
        if not any(_shape_label(lab, text) for lab in labels) and any(
            _ANY_SHAPE.fullmatch(text, c[0][0], c[-1][1]) for c in chunks
        ):
            labels = labels_in(self._labels, text, 0, len(text))  # a label far from the number
        kinds = [lab.kind for lab in labels if _shape_label(lab, text)]
        pension = _PENSION_CONTEXT.search(text) is not None
        licence = _LICENCE_CONTEXT.search(text) is not None
        resident = "住民票" in text or "住基" in text
        if not kinds and not pension and not licence and not resident:
            return
        taken = [(h.start, h.end) for h in hits]
        for chunk in chunks:
            a, b = chunk[0][0], chunk[-1][1]
            start, end = views.num.span(a, b)
            if any(x < end and start < y for x, y in taken):
                continue
            shape = text[a:b]
            dummy = _is_dummy(re.sub(r"[^0-9]", "", shape)) and _SPECIMEN.search(text)
            kind = next((k for k in dict.fromkeys(kinds) if _SHAPES[k].fullmatch(shape)), None)
            if kind == "residence_card" and _EIGHT_DIGIT_DATE.fullmatch(shape.replace(" ", "")):
                kind = None  # 有効期限 20290315: a date, not the card's digits
            if (
                kind is None
                and pension
                and _PENSION_WRITTEN.fullmatch(shape)
                and (shape[0] != "0" or not _PHONE_WORD.search(text))
            ):
                kind = "pension_number"  # 年金の件で…番号は8848-422335: the pension number's own shape
            if kind is None and licence and _TWELVE_DIGITS.fullmatch(shape):
                kind = (
                    "drivers_license"  # 公用車運転者一覧 ⏎ 吉田結衣 549828762907: a licence's twelve digits
                )
            if kind is None and resident and _ELEVEN_DIGITS.fullmatch(shape) and resident_code_ok(shape):
                kind = "resident_code"  # 住民票の右上の11桁（…）: the code's shape and check digit
            if kind is not None and _other_number(index, text, chunk):
                # 第…号 is how a driving licence prints its number: only another label says otherwise
                licence = kind == "drivers_license" and not _other_number(index, text, chunk, ordinal=False)
                kind = kind if licence else None
            if kind is not None and not dummy:
                taken.append((start, end))
                yield Hit(kind, start, end, re.sub(r"[^0-9]", "", shape))

    def _stream(
        self,
        views: Views,
        index: LabelIndex,
        chunks: list[list[tuple[int, int]]],
        hits: list[Hit],
        columns: list[tuple[int, int, Label]],
    ) -> Iterator[Hit]:
        """Fail safe over every digit group of the message, whatever separates them.

        The numeric view already reads kanji numerals, spoken digits and OCR look-alikes as digits;
        here the groups (amounts, dates and counts left out) are strung together across any run of
        separators — 、 , ( ) 「」 / ~ table bars, line breaks, 「、残りは」 — and every stretch of whole
        groups that reads as an identifier's length in its grouping (one run, equal groups, or the
        identifier's own split) is that identifier: a My Number when its check digit is valid, a
        card with a valid Luhn digit, and any of them wherever its label stands in the message. A
        known other number's label on any of its groups, or 第…号, says it is another number; a
        digit already claimed by another hit is left to it."""
        text = views.num.text
        groups = [g for chunk in chunks for g in chunk]
        if sum(b - a for a, b in groups) < _SHORTEST_STREAMED:
            return
        labelled = {
            lab.kind
            for lab in index.labels
            if lab.kind in _STREAMED and lab.text not in WEAK_BANK_WORDS and lab.text not in WEAK_CARD_WORDS
        }
        specimen = _SPECIMEN.search(text) is not None
        taken = [(h.start, h.end) for h in hits]
        others = [(a, b) for a, b, lab in columns if lab.kind == OTHER]
        cells: list[tuple[int, int]] | None = None  # built only when a candidate needs it
        for run in _strung(text, groups):
            for kind, lengths in _STREAMED.items():
                if kind not in labelled and kind not in _SELF_EVIDENT:
                    continue  # without its label in the message, only a check digit can say what it is
                for i, j in _windows_of(run, lengths, _OWN_SPLITS[kind]):
                    window = run[i:j]
                    digits = "".join(text[a:b] for a, b in window)
                    if not (
                        kind in labelled
                        or (_self_evident(kind, digits, window) and _number_marks(text, window))
                    ):
                        continue
                    if len(set(digits)) == 1 or (
                        specimen and (_is_dummy(digits) or any(_is_dummy(text[a:b]) for a, b in window))
                    ):
                        continue  # a form's example: 0000000, or a number strung to it from the line above
                    if len(window) > 1:
                        if cells is None:
                            cells = [(c.start, c.end) for c in tables.cells(text)]
                        if not _stands_alone(text, run, i, j) or _across_cells(window, cells):
                            continue
                    if not _one_separator(text, window) or _other_number(index, text, window):
                        continue
                    if any(a < y and x < b for a, b in window for x, y in others):
                        continue
                    start, end = views.num.span(window[0][0], window[-1][1])
                    if any(x < end and start < y for x, y in taken):
                        continue
                    taken.append((start, end))
                    action = self._unlabelled_my_number if kind == "my_number" else None
                    yield _numeric_hit(views, kind, (window[0][0], window[-1][1]), digits, action)

    def _alnum(self, views: Views, index: LabelIndex) -> Iterator[Hit]:
        """Passport, residence card and invoice (T + corporate) numbers."""
        text = views.num.text
        specimen = _SPECIMEN.search(text) is not None
        for m in _RESIDENCE_CARD.finditer(text):
            if specimen and _is_dummy(re.sub(r"[^0-9]", "", m.group())):
                continue  # 記入例 AB00000000CD: the form of the number, not someone's
            yield hit_from(views.num, "residence_card", m.span(), _compact(m.group()).upper())
        for m in _RESIDENCE_CARD_OCR.finditer(text):
            if not _RESIDENCE_CARD.fullmatch(m.group()) and sum(c.isdigit() for c in m.group()) >= 6:
                yield hit_from(views.num, "residence_card", m.span(), _compact(m.group()).upper())
        if any(lab.kind == "residence_card" for lab in index.labels):
            for m in _LABELLED_RESIDENCE_CARD.finditer(text):
                if sum(c.isdigit() for c in m.group()) >= 5 and not _RESIDENCE_CARD.fullmatch(m.group()):
                    yield hit_from(views.num, "residence_card", m.span(), _compact(m.group()).upper())
            for m in _DICTATED_RESIDENCE_CARD.finditer(text):
                if sum(c.isdigit() for c in m.group()) == 8:
                    value = re.sub(r"[^0-9A-Za-z]", "", m.group()).upper()
                    yield hit_from(views.num, "residence_card", m.span(), value)
        travel = _TRAVEL.search(text) is not None or _PASSPORT_WORD.search(text) is not None
        for m in _PASSPORT.finditer(text):
            if specimen and _is_dummy(re.sub(r"[^0-9]", "", m.group())):
                continue
            before = {lab.kind for lab, _ in index.before(m.start())}
            labelled = "passport" in before or any(lab.kind == "passport" for lab in index.after(m.end()))
            # a trip being arranged: a Japanese passport's shape (two capitals, seven digits) is one
            shaped = (
                travel
                and _JAPANESE_PASSPORT.fullmatch(m.group())
                and not _other_number(index, text, [m.span()])
            )
            if labelled or shaped:
                yield hit_from(views.num, "passport", m.span(), _compact(m.group()).upper())
        for m in _MRZ.finditer(text):
            yield hit_from(views.num, "passport", m.span("number"), m.group("number").replace("<", ""))
        for m in _INVOICE.finditer(text):
            yield hit_from(views.num, "corporate_number", m.span(), m.group(1))
        if any(lab.kind == "passport" for lab in index.labels):
            yield from self._any_passport(views, index, specimen)

    def _any_passport(self, views: Views, index: LabelIndex, specimen: bool) -> Iterator[Hit]:
        """Fail safe: where a passport label stands in the message, any number shaped like a
        passport number of any country (0–2 letters and 7–9 digits: TZ5018273, 584219730, on its
        own line under the letters) is one, unless its own label says otherwise."""
        text = views.num.text
        for m in _ANY_PASSPORT.finditer(text):
            digits = re.sub(r"[^0-9]", "", m.group())
            if (specimen and _is_dummy(digits)) or _UNIT_AFTER.match(text, m.end()):
                continue
            if _other_number(index, text, [m.span()]):
                continue
            yield hit_from(views.num, "passport", m.span(), _compact(m.group()).upper())

    def _generic_labelled(
        self, views: Views, index: LabelIndex, chunks: list[list[tuple[int, int]]]
    ) -> Iterator[Hit]:
        """Fail safe: in a message about an insurance card (保険証, 被保険者証…), the numbers after
        記号 / 番号 / 枝番 are the card's ("記号 4021　番号 117　枝番 02")."""
        if not any(lab.kind == "health_insurance_number" for lab in index.labels):
            return
        text = views.num.text
        for chunk in chunks:
            a, b = chunk[0][0], chunk[-1][1]
            before = index.before(a)
            if before and before[0][0].kind == GENERIC and before[0][1]:
                digits = re.sub(r"[^0-9]", "", text[a:b])  # 12・34, 12/34, 12_34: any separator
                if not (_is_dummy(digits) and _SPECIMEN.search(text)):
                    yield hit_from(views.num, "health_insurance_number", (a, b), digits)


_STREAMED: dict[str, tuple[int, ...]] = {
    "my_number": (12,),
    "payment_card": (16, 15, 14),
    "drivers_license": (12,),
    "resident_code": (11,),
    "pension_number": (10,),
}
"""Identifiers the digit stream reads, with the digits a whole one has."""
_OWN_SPLITS: dict[str, tuple[tuple[int, ...], ...]] = {
    "my_number": ((4, 8), (8, 4)),
    "payment_card": ((8, 8), (4, 6, 5), (4, 6, 4), (4, 4, 4, 3), (4, 4, 4, 2)),
    "drivers_license": ((4, 8), (8, 4)),
    "resident_code": ((5, 6), (4, 4, 3)),
    "pension_number": ((4, 6),),
}
"""How each identifier is also written, besides one run or equal groups."""
_SHORTEST_STREAMED = 10
_COLUMN_OF_ITS_OWN = re.compile(
    r"(?:19|20)\d{2}(?:年度?)?|(?:R|H|S|令和|平成|昭和) ?\d{1,2}(?:年度?)?"
    r"|\d{1,2}月|第?\d四半期|Q\d|FY ?\d{2,4}"
)
"""Column headers of a statistics table: years (2021, R6, 令和6年度), months, quarters."""
_PART_OF_A_NUMBER = re.compile(r"桁|前半|後半|上|中|下|続き|残り|(?i:part|first|last|digits)")
"""Header words that name a piece of one number (上4桁, 後半): the cells under them are one number."""
_SELF_EVIDENT = frozenset(("my_number", "payment_card"))
_CONNECTIVE = r"(?:残り|後半|続き|末尾|最後|あと|その後|そのあと|次|後ろ|下 ?[0-9]{1,2} ?桁)(?:は|が|の|も)?"
_SEPARATOR = r"[\s、,，.・/\\\-_~;=*#+()\[\]{}<>「」『』【】〔〕［］｛｝|│┃┆┊─━┼┤├┬┴┌┐└┘'\"`]"
_CONNECTIVE_IN = re.compile(_CONNECTIVE)
_STREAM_GAP = re.compile(rf"{_SEPARATOR}{{1,8}}|{_SEPARATOR}{{0,3}}{_CONNECTIVE}{_SEPARATOR}{{0,3}}")
"""Between the groups of one number typed or pasted in pieces: separators, brackets, table bars and
line breaks, or 「、残りは」; no other word and no sentence end."""


def _strung(text: str, groups: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Maximal runs of digit groups with only separators between consecutive ones."""
    run: list[tuple[int, int]] = []
    for a, b in groups:
        if run and not _STREAM_GAP.fullmatch(text, run[-1][1], a):
            yield run
            run = []
        run.append((a, b))
    if run:
        yield run


def _windows_of(
    run: list[tuple[int, int]], lengths: tuple[int, ...], splits: tuple[tuple[int, ...], ...]
) -> Iterator[tuple[int, int]]:
    """Stretches run[i:j] of whole groups of `run` with one of `lengths` digits, grouped as that identifier
    is written: one run, equal groups of 3 or more (4-4-4, 6-6, 5-5) or digit by digit, or one of
    its own `splits`."""
    for i in range(len(run)):
        count, j = 0, i
        while j < len(run) and count < max(lengths):
            count += run[j][1] - run[j][0]
            j += 1
            if count in lengths:
                sizes = tuple(b - a for a, b in run[i:j])
                equal = len(set(sizes)) == 1 and sizes[0] != 2
                if equal or sizes in splits:
                    yield i, j


def _another_row_differs(
    text: str,
    kind: str,
    columns: list[int],
    row: list[tuple[int, int, tables.GridCell]],
    rows: list[list[tuple[int, int, tables.GridCell]]],
) -> bool:
    """Another body row of the same grid whose cells in these columns do not read as that kind of
    number: the columns hold values (a roster of numbers split in three has every row valid)."""
    grid = row[0][2].grid
    for other in rows:
        if other is row or other[0][2].grid != grid or other[0][2].head:
            continue
        digits = "".join(text[c.start : c.end] for _a, _b, c in other if c.column in columns)
        if not digits.isdigit():
            continue
        if not (my_number_ok(digits) if kind == "my_number" else luhn_ok(digits)):
            return True
    return False


def _mark(gap: str) -> str:
    """What parts two groups: a line or cell break, 「、残りは」, or the separator without brackets
    and spaces."""
    if _BREAK_GAP.search(gap):
        return "break"
    return "pieces" if _CONNECTIVE_IN.search(gap) else _BRACKETS.sub("", gap)


def _across_cells(window: list[tuple[int, int]], cells: list[tuple[int, int]]) -> bool:
    """The pieces lie in different cells of one row of a table with a header: values of different
    columns (人口,3227,9108,4555), not one number."""
    rows = {k for a, b in window for k, (x, y) in enumerate(cells) if x <= a and b <= y}
    return len(rows) > 1


def _stands_alone(text: str, run: list[tuple[int, int]], i: int, j: int) -> bool:
    """The pieces run[i:j] are not part of a longer list parted the same way (6141、6901、3266、7189,
    a row of a table 人口,3227,9108,4555): the groups or the word just outside are parted from them
    differently, or not there."""
    inner = {_mark(text[run[k][1] : run[k + 1][0]]) for k in range(i, j - 1)}
    before = text[run[i - 1][1] : run[i][0]] if i > 0 else _LEADING.search(text, 0, run[i][0])
    after = text[run[j - 1][1] : run[j][0]] if j < len(run) else _TRAILING.match(text, run[j - 1][1])
    outer = [g if isinstance(g, str) else g.group() for g in (before, after) if g is not None]
    return not any(_mark(g) in inner for g in outer)


_LEADING = re.compile(r"(?<=[^\s\d])[,、，\t;|│]$")
_TRAILING = re.compile(r"[,、，\t;|│](?=[^\s\d])")
_NUMBER_MARKS = frozenset(("", "-", "break", "pieces", "/", "・", "."))
"""How the pieces of one number are parted when nothing in the message says what it is: spaces,
hyphens, line or cell breaks, slashes, dots. Pieces parted by 、 or , are a list of numbers unless
a label says otherwise."""


def _number_marks(text: str, window: list[tuple[int, int]]) -> bool:
    return all(_mark(text[b:a]) in _NUMBER_MARKS for (_, b), (a, _) in itertools.pairwise(window))


def _self_evident(kind: str, digits: str, window: list[tuple[int, int]]) -> bool:
    """A number that says what it is without a label: a valid My Number check digit, or a card
    number (brand prefix, valid Luhn digit)."""
    if kind == "my_number":
        return my_number_ok(digits)
    if kind == "payment_card":
        return digits.startswith(_CARD_PREFIXES) and luhn_ok(digits) and len(window) > 1
    return False


_BREAK_GAP = re.compile(r"[\n|│┃┆┊\t]")


def _one_separator(text: str, window: list[tuple[int, int]]) -> bool:
    """The groups are parted the same way throughout (1234、5678、9018), or each part is a line or cell
    break (a number split over lines or cells): not a date, a time and a count strung together."""
    gaps = [text[b:a] for (_, b), (a, _) in itertools.pairwise(window)]
    if all(_BREAK_GAP.search(g) for g in gaps):
        return True
    marks = {_BRACKETS.sub("", g) for g in gaps} - {""}  # （1234）5678-9018: a bracket is no separator
    return len(marks) <= 1


_BRACKETS = re.compile(r"[\s()\[\]{}<>「」『』【】〔〕［］｛｝'\"`]+")


def _pieces_before(
    text: str, chunks: list[list[tuple[int, int]]], end: int, need: int
) -> list[tuple[int, int]]:
    """Digit groups just before a label, nearest last, until they are as long as the identifier
    ("前半は1993 5181、残りは9090です。このマイナンバー"; 最初の4つ 4933⏎次の4つ 8704⏎…⏎マイナンバー)."""
    pieces: list[tuple[int, int]] = []
    pos = end
    for chunk in reversed(chunks):
        a, b = chunk[0][0], chunk[-1][1]
        if b > pos:
            continue
        gap = text[b:pos]
        if pos - b > 30 or "\n\n" in gap or gap.count("。") > 1:
            break
        pieces[:0] = chunk
        pos = a
        if sum(y - x for x, y in pieces) >= need:
            break
    return pieces


def _quantities_removed(text: str) -> str:
    """`text` with the digit groups that are quantities, dates or amounts blanked out."""
    keep = [c for c in (_without_quantity(text, m) for m in _CHUNK.finditer(text)) if c]
    return " ".join(text[a:b] for chunk in keep for a, b in chunk)


def _joined(text: str, chunks: list[list[tuple[int, int]]], i: int) -> tuple[list[tuple[int, int]], int]:
    """Chunk i joined with the next ones across line breaks and table bars, while each piece is short."""
    groups = list(chunks[i])
    j = i + 1
    while (
        j < len(chunks)
        and sum(b - a for a, b in groups) < 19
        and groups[-1][1] - groups[-1][0] <= 8
        and chunks[j][0][1] - chunks[j][0][0] <= 8
        and _SOFT_GAP.fullmatch(text[groups[-1][1] : chunks[j][0][0]])
    ):
        groups.extend(chunks[j])
        j += 1
    return groups, j - i


_FIELD_LINE = re.compile(
    r"(?m)^[ \t・]*(?P<head>[^\s:：0-9]{1,8}?) ?(?P<index>[0-9]{1,2}) ?[:：] ?(?P<digits>[0-9]{2,6})[ \t]*$"
)
"""A form's numbered field (番号1：5500): one piece of a number typed into several boxes."""
_FIELD_HEAD = re.compile(r"番号|No|NO|欄|枠|ブロック|カード|桁|(?i:part|box|field)")


def _numbered_fields(views: Views, hits: list[Hit]) -> list[Hit]:
    """Pieces typed into numbered fields on consecutive lines (番号1：5500⏎番号2：6628⏎…) that together
    carry a check digit: a card number (Luhn, a card prefix) or a My Number."""
    text = views.num.text
    taken = [(h.start, h.end) for h in hits]
    found: list[Hit] = []
    run: list[re.Match[str]] = []
    for m in [*_FIELD_LINE.finditer(text), None]:
        if (
            m is not None
            and run
            and m.group("head") == run[-1].group("head")
            and int(m.group("index")) == int(run[-1].group("index")) + 1
            and text.count("\n", run[-1].end(), m.start()) == 1
        ):
            run.append(m)
            continue
        if len(run) >= 2:
            digits = "".join(r.group("digits") for r in run)
            start, end = views.num.span(run[0].start("digits"), run[-1].end("digits"))
            kind = (
                "payment_card"
                if 14 <= len(digits) <= 19 and digits.startswith(_CARD_PREFIXES) and luhn_ok(digits)
                else "my_number"
                if len(digits) == 12 and my_number_ok(digits)
                else None
            )
            head = _FIELD_HEAD.search(run[0].group("head")) is not None
            if kind is not None and head and not any(x < end and start < y for x, y in taken):
                found.append(Hit(kind, start, end, digits))
        run = [m] if m is not None else []
    return found


def _shape_label(label: Label, text: str) -> bool:
    """A label that makes a number of its kind's exact shape that kind anywhere in the message:
    not a weak bank or card word, and not 口座 in 口座振替 (a way of paying, not an account)."""
    return (
        label.kind in _SHAPES
        and label.text not in WEAK_BANK_WORDS
        and label.text not in WEAK_CARD_WORDS
        and not (label.kind == "bank_account" and _PAYMENT_WAY.match(text, label.end) is not None)
    )


_PAYMENT_WAY = re.compile(r"振替|振込|引き?落|開設|名義|情報の変更手続")


def _other_number(
    index: LabelIndex, text: str, pieces: list[tuple[int, int]], *, ordinal: bool = True
) -> bool:
    """A piece carries the label of another kind of number (保険者番号 06070014, 第…号 unless
    `ordinal` is false)."""
    for a, b in pieces:
        before = index.before(a)
        if (before and before[0][0].kind == OTHER and before[0][1]) or (ordinal and _is_ordinal(text, a, b)):
            return True
    return False


_LICENCE_SERIAL = re.compile(
    r"(?:(?<=[\s:：])|(?<=番号)|(?<=免許)|(?<=免許証)|^)第[ \t\u3000]*"
    r"(\d{12}|\d{4}[ \-]\d{4}[ \-]\d{4}|\d{6}[ \t\u3000]*\n[ \t\u3000]*\d{6}|\d(?: \d){11})[ \t\u3000]*号"
)


def _licence_serials(views: Views, index: LabelIndex, hits: list[Hit], labels: re.Pattern[str]) -> list[Hit]:
    """Twelve digits printed 第…号, as a driving licence prints its number (番号 第 307665⏎914849 号,
    the line broken by a copy's OCR): a licence's number unless a label before it on its line names
    another number (文書番号 第…号)."""
    found = []
    text = views.num.text
    taken = [(h.start, h.end) for h in hits]
    for m in _LICENCE_SERIAL.finditer(text):
        start, end = views.num.span(*m.span(1))
        lo = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 16)
        named = [lab.kind for lab in labels_in(labels, text, lo, m.start())]
        if (
            any(x < end and start < y for x, y in taken)
            or any(kind not in ("drivers_license", GENERIC) for kind in named)
            or _other_number(index, text, [m.span(1)], ordinal=False)
        ):
            continue
        digits = re.sub(r"[^0-9]", "", m.group(1))
        if not _is_dummy(digits):
            found.append(Hit("drivers_license", start, end, digits))
    return found


_ACCOUNT_HOLDER = re.compile(
    r"(?:口座名義|名義)(?:人)?[ \u3000]*[:：]?[ \u3000]*(?P<holder>[^\s、。,，)）\n]{2,30})"
)
_PUBLIC_HOLDER = re.compile(
    r"(?:[\u3400-\u9fff\u3041-\u3096\u30a1-\u30fa]{1,6}(?:市|町|村|県|都|府|区)(?!民)"
    r"|社会福祉法人|公益(?:財団|社団)法人|社会福祉協議会|共同募金会|日本赤十字社"
    # the holder as the bank prints it, in katakana (イワキシカイケイカンリシャ)
    r"|[\u30a1-\u30fa]{0,8}(?:カイケイカンリシャ|シヤクショ|ヤクバ|シャカイフクシキョウギカイ|ギエンキン|キョウドウボキンカイ))"
)
_PUBLISHED_ACCOUNT = re.compile(
    r"周知|ホームページ|(?<![A-Za-z])HP|掲載|広報|公表|公開|お知らせ|案内文|チラシ|ポスター|受付口座"
)
_HOLDER_REACH = 60
"""How far (characters) from the holder's name an account number may stand to be that account."""


def _without_public_accounts(text: str, hits: list[Hit]) -> list[Hit]:
    """A public body's own account, published (災害義援金の受付口座（ゆうちょ銀行 00180-4-551207 口座名義：
    いわき市災害義援金）をホームページで周知): the account of the city or of a body like a social welfare
    council, named as the holder, in a message about publishing it, is not personal data. A person's
    account, or one without its holder's name, stays blocked."""
    if _PUBLISHED_ACCOUNT.search(text) is None:
        return hits
    holders = [m.span() for m in _ACCOUNT_HOLDER.finditer(text) if _PUBLIC_HOLDER.match(m.group("holder"))]
    if not holders:
        return hits
    return [
        h
        for h in hits
        if not (
            h.kind == "bank_account"
            and any(a - _HOLDER_REACH <= h.end and h.start <= b + _HOLDER_REACH for a, b in holders)
        )
    ]


def _is_dummy(digits: str) -> bool:
    """An obviously made-up number: one digit repeated, or counting up or down (1234567, 9876543).
    (123456789018, the forms' sample My Number, has a valid check digit: it stays blocked, fail safe.)"""
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return len(digits) >= 6 and (len(set(digits)) == 1 or steps in ({1}, {9}))


def _is_ordinal(text: str, start: int, end: int) -> bool:
    """第…号: a document or licence-style serial; an identifier label still wins."""
    return bool(_ORDINAL.search(text[max(0, start - 2) : start])) and text[end : end + 2].lstrip().startswith(
        "号"
    )


def _fit(digits: str, sensitive: list[tuple[Label, bool]]) -> str | None:
    """The kind of the closest label whose length rule fits `digits`."""
    for label, tight in sensitive:
        lengths = _YUCHO if label.kind == "bank_account" and _is_yucho(label) else _LENGTHS.get(label.kind)
        if lengths is None or (label.text in WEAK_BANK_WORDS and not tight):
            continue
        if label.text in WEAK_CARD_WORDS and not luhn_ok(digits):
            continue
        lo, hi = lengths[0] if tight else lengths[1]
        if lo <= len(digits) <= hi or (tight and len(digits) > hi):
            return label.kind  # attached and too long: typed with extra digits, or two run together
    return None


def _is_yucho(label: Label) -> bool:
    return label.text in ("ゆうちょ", "貯金")


def _numeric_hit(
    views: Views, kind: str, span: tuple[int, int], digits: str, action: Action | None, *, weak: bool = False
) -> Hit:
    return hit_from(views.num, kind, span, digits, action=action, weak=weak)


def _card_groups(groups: list[tuple[int, int]]) -> bool:
    """Card-like grouping: one block, or 4-4-4-4(-3), or 4-6-5 / 4-6-4."""
    sizes = [b - a for a, b in groups]
    return len(sizes) == 1 or sizes[:-1] == [4] * (len(sizes) - 1) or sizes in ([4, 6, 5], [4, 6, 4])


def _without_quantity(text: str, m: re.Match[str]) -> list[tuple[int, int]]:
    """The digit groups of a chunk that can be an identifier.

    Amounts, counts, dates and decimals are not identifiers; a trailing quantity is cut off a
    chunk of several groups ("個人番号 123456789018 2024年度分" keeps the number).
    """
    groups = [(g.start() + m.start(), g.end() + m.start()) for g in _GROUP.finditer(m.group())]
    if _CURRENCY_BEFORE.search(text[max(0, m.start() - 2) : m.start()]):
        return []
    if _DATE_GROUPS.fullmatch(re.sub(r" ", "", m.group())):
        return []
    while groups and (
        _UNIT_AFTER.match(text, groups[-1][1])
        or (_DECIMAL_AFTER.match(text, groups[-1][1]) and groups[-1][1] - groups[-1][0] <= 3)
    ):
        groups.pop()
    return groups


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value)
