"""Dates of birth: a date with a birth label (生年月日, 誕生日, 生まれ, 〜生, an age after it).

Dates are read in the numeric view: era dates (昭和40年1月1日, 平成3年11月5日, H12.8.30,
S40/1/1), Western dates (1990年2月14日, 1990/02/14, 1990-02-14), year-month (昭和40年1月生) and
month-day (誕生日は5月3日). A date without a birth label is an ordinary date and passes.
"""

from __future__ import annotations

import re

from bot.core.screening.detectors import Hit, Views, hit_from, sentence_start

_ERA = (
    r"(?:明治|大正|昭和|平成|令和|めいじ|たいしょう|しょうわ|へいせい|れいわ"
    r"|(?<![A-Za-z])[MTSHRmtshr](?=[ .]?\d))"
)
_YEAR = rf"(?:{_ERA}(?:[ .]|の)?(?:\d{{1,2}}|元)|(?<![0-9])(?:18|19|20)\d\d)"
_OTHER_CALENDAR = r"(?: ?\((?:(?:明治|大正|昭和|平成|令和) ?(?:\d{1,2}|元)|(?:18|19|20)\d\d) ?年?\))?"
"""The same year in the other calendar, in brackets (1948年（昭和23年）11月3日, 昭和23年（1948年）…)."""
_FULL = re.compile(
    rf"{_YEAR}{_OTHER_CALENDAR} ?(?:年の?|ねん|[./-]){_OTHER_CALENDAR}"
    r" ?(?P<m>\d{1,2}) ?(?:月の?|がつ|[./-]) ?(?P<d>\d{1,2})(?:日|にち)?(?![0-9])"
)
_SHORT_YEAR = re.compile(
    r"(?<![0-9年./\-])(?<![\u3400-\u9fff々])[0-9]{2} ?年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2}) ?日(?![0-9])"
)
"""A year typed with two digits (86年9月12日生まれ): a birthday only with a birth label or 生まれ after it."""
_SPACED = re.compile(r"(?<![0-9])(?:19|20)\d\d (?P<m>\d{1,2}) (?P<d>\d{1,2})(?![0-9])")
"""A date as boxes OCR'd one per line (1976⏎9⏎24, read as spaces): a birthday only after a birth label."""
_COMPACT = re.compile(r"(?<![0-9])(?:19|20)\d\d(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?![0-9])")
"""A date written as eight digits (19550609, an OCR'd form or a system export): a birthday only
with a birth label before it."""
_YEAR_MONTH = re.compile(
    rf"{_YEAR}{_OTHER_CALENDAR} ?年の?{_OTHER_CALENDAR} ?(?P<m>\d{{1,2}}) ?月(?!の? ?\d{{1,2}} ?日)"
)
_BOXED = re.compile(r"(?<![0-9])(?:\d ){3}\d ?年 ?(?P<m>\d(?: ?\d)?) ?月 ?(?P<d>\d(?: ?\d)?) ?日")
"""A date typed into a form's boxes, a space after each digit (1 9 7 5 年 0 3 月 1 8 日): a birthday
only after a birth label."""
_BOXED_ERA = re.compile(
    r"(?:明 ?治|大 ?正|昭 ?和|平 ?成|令 ?和) ?(?:\d(?: ?\d)?|元) ?年 ?"
    r"(?P<m>\d(?: ?\d)?) ?月 ?(?P<d>\d(?: ?\d)?) ?日"
)
"""An era date OCR'd with a space after every character (昭 和 ４ ２ 年 ７ 月 ３ 日): a birthday only
after a birth label."""
_NUMERIC_DMY = re.compile(r"(?<![0-9/.\-])(?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})[/.\-](?:19|20)\d\d(?![0-9])")
"""A date with the year last (03/04/2015, either order of day and month): a birthday only after a
birth label."""
_ERA_COMPACT = re.compile(
    r"(?<![A-Za-z0-9])[MTSHR](?P<y>\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?![0-9])"
)
"""An era letter and six digits (H300813, a system's export): a birthday only after a birth label."""
_MONTH_DAY = re.compile(
    r"(?<![0-9年./-])(?P<m>\d{1,2}) ?(?:月の? ?(?P<d>\d{1,2}) ?日|/ ?(?P<d2>\d{1,2})(?![0-9/]))"
)
"""Month and day (5月3日, 7/14): a birthday only with a birth label before it."""
_SENTENCE_WINDOW = 60
_OTHER_DATE = re.compile(
    r"提出|期限|締切|締め切り|受付|申請日|届出日|作成日|交付日|記入日|更新|有効|開催|実施|予定|入学|入社|採用日|死亡"
)
"""Words naming another date: a birth label earlier in the sentence does not reach past them."""

_LABEL_BEFORE = re.compile(
    r"(?:生年月日|誕生日|生まれ|うまれ|出生日?|出生年月日|セイネンガッピ|せいねんがっぴ|タンジョウビ|たんじょうび"
    r"|DOB|D\.O\.B\.?|[Dd]ate of [Bb]irth|[Bb]irth ?(?:day|date)?"
    r"|(?i:seinen[_ \-]?gapp?i)|(?<![\u3400-\u9fff])生(?=[ :：)])|生 年 月 日|(?i:\bborn\b))"
    r"(?!会|祝|ケーキ|プレゼント|カード|月)"
)
_DATA_CUE = re.compile(r"(?:実データ|実際のデータ|元データ|中身|実際の値|入っている値)(?:は|には|が|として)")
"""The values of a column shown after the sentence that names it."""
_SUFFIX_AFTER = re.compile(
    r" ?(?:生まれ|生|出生|誕生|うまれ|ウマレ)(?![活徒産涯命成協鮮存息])| ?[(（]? ?\d{1,3} ?歳"
    r"| ?(?:に|で) ?生まれ"
)
_AGE_BEFORE = re.compile(
    r"\d{1,3} ?(?:歳|才) ?\( ?$|(?:さん|様|氏|くん|ちゃん|君) ?\( ?$"
    r"|(?:長男|長女|次男|次女|三男|三女|妻|夫|配偶者|子|父|母|祖父|祖母|本人|被扶養者|世帯主) ?\( ?$"
)
_ROSTER = re.compile(r"名簿|(?:者|員|児|生|世帯)(?:一覧|リスト|台帳)|(?i:roster)")
_NAME_THEN_BRACKET = re.compile(
    r"[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc・]{1,9}"
    r"[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc](?<![会式日期回祭号版]) ?\( ?$"
)
"""In a roster (被災者名簿：高橋ひかり（1973/07/17）、…), a date in brackets right after a name."""
_BRACKET_BEFORE = re.compile(r"[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa] ?\( ?$")
_BRACKET_AFTER = re.compile(r" ?\)")
"""An age, a named person or a family member with a date in brackets after it (76歳（S23.12.23）,
志賀さん（S53-08-06）, 長男（H19.11.16））."""
_SEX_CELL = re.compile(r"(?:^|,)[ \t]*(?:男|女|男性|女性|M|F)[ \t]*(?:,|$)")
_REFERRED_AFTER = re.compile(r"[ \t]*(?:←|<-|→)?[ \t]*(?:この|その|上の|同じ)?生年月日")
"""生年月日 right after the date, pointing back at it (12 March 1967 ←この生年月日から…)."""
"""An age with the date of birth in brackets after it (76歳（S23.12.23）)."""
_WINDOW = 16


_ENGLISH_BIRTH = re.compile(
    r"(?i:born (?:on |in )?|DOB:? |D\.O\.B\.?:? "
    r"|date of birth:? (?:is |was )?(?:(?:written|given|shown|entered|listed) (?:as )?)?"
    r"|birthday:? (?:is |was )?(?:(?:written|given|shown|entered|listed) (?:as )?)?"
    # the same label in the languages of the city's foreign residents' forms
    r"|sinh ngày:? |ngày sinh:? |ngày tháng năm sinh:? |data de nascimento:? |nascid[oa] (?:em|a) "
    r"|fecha de nacimiento:? |nacid[oa] el |date de naissance:? |née? le |petsa ng kapanganakan:? "
    r"|birth ?date:? (?:is |was )?|생년월일:? ?|出生日期:? ?)"
    r"(?P<date>(?:the )?\d{1,2}(?:st|nd|rd|th)? (?:of )?[A-Z][A-Za-z]{2,8},? \d{4}"
    r"|[A-Z][a-z]{2,8} \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})"
)
_SPECIMEN = re.compile(r"記入例|見本|サンプル|ダミー|架空|例示|(?i:sample|example)")
_BIRTH_YEAR = re.compile(
    r"(?P<year>(?:明治|大正|昭和|平成|令和|[STHR]) ?(?:\d{1,2}|元) ?(?:年|ネン|ねん)"
    r"|(?:19|20)\d\d ?(?:年|ネン|ねん))"
    r"(?= ?(?:生まれ|生(?![活徒産涯命成協鮮存息])|の生まれ|の?(?:早|遅)生まれ|ウマレ|うまれ))"
    r"|(?<=生まれ年)(?:は|：|:)? ?(?P<y2>(?:19|20)\d\d ?年?|(?:昭和|平成|令和) ?\d{1,2} ?年)"
)
"""A year of birth alone (平成5年生まれの女性, 平成三年生 の方): part of a date of birth."""


_KANA_UNIT = r"(?:いち|に|さん|よん|し|ご|ろく|なな|しち|はち|きゅう|く)"
_KANA_NUMBER = rf"(?:{_KANA_UNIT}?じゅう{_KANA_UNIT}?|{_KANA_UNIT}|がん)"
_KANA_DAY = (
    r"(?:ついたち|ふつか|みっか|よっか|いつか|むいか|なのか|ようか|ここのか|とおか|はつか"
    rf"|(?:{_KANA_UNIT}?じゅう)?(?:よっか|{_KANA_UNIT} ?にち)|(?:に|さん)じゅう ?にち)"
)
_KANA_DATE = re.compile(
    r"(?:めいじ|たいしょう|しょうわ|へいせい|れいわ) ?"
    rf"{_KANA_NUMBER} ?ねん ?(?:{_KANA_UNIT}|じゅう{_KANA_UNIT}?|じゅう) ?がつ ?{_KANA_DAY}"
)
"""A date of birth said by voice input and left in kana, numbers read out (しょうわ よんじゅうごねん
じゅうがつ ふつか): a birthday only after a birth label."""
_KANA_BORN_AFTER = re.compile(r" ?(?:の ?)?(?:うまれ|生まれ|生)")
_DATE_PIECE_LINE = re.compile(r"[ \t]*(?:[0-9]{1,4} ?[年月日]?|[生年月日]|明治|大正|昭和|平成|令和|元)[ \t]*")


def _vertical_joined(text: str) -> str:
    """`text` with the line breaks inside a date OCR'd one piece per line (昭和⏎44⏎年⏎2⏎月⏎9⏎日) read
    as spaces (offsets unchanged)."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    piece = [_DATE_PIECE_LINE.fullmatch(line) is not None for line in lines]
    out, k = [], 0
    while k < len(lines):
        j = k
        while j < len(lines) and piece[j]:
            j += 1
        if j - k >= 3:
            out.append(" ".join(lines[k:j]))
            k = j
            if k < len(lines):
                out.append("\n")
            continue
        out.append(lines[k])
        if k < len(lines) - 1:
            out.append("\n")
        k += 1
    joined = "".join(out)
    return joined if len(joined) == len(text) else text


class BirthDateDetector:
    """Finds dates of birth."""

    def detect(self, views: Views) -> list[Hit]:
        """Birth-date hits."""
        text = views.num.text
        spoken = _kana_dates(views, text) if "ねん" in text and "がつ" in text else []
        if not any(c.isdigit() for c in text):
            return spoken
        text = _vertical_joined(text)
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        born: list[re.Match[str]] = []
        patterns = (
            (_FULL, False),
            (_YEAR_MONTH, False),
            (_SHORT_YEAR, False),
            (_COMPACT, True),
            (_SPACED, True),
            (_BOXED, True),
            (_BOXED_ERA, True),
            (_NUMERIC_DMY, True),
            (_ERA_COMPACT, True),
            (_MONTH_DAY, True),
        )
        for pattern, need_label in patterns:
            for m in pattern.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in taken) or not _valid(m):
                    continue
                taken.append(m.span())
                if (
                    (_is_birth(text, m, label_only=need_label) or _after_person(views, text, m))
                    and not _specimen_date(text, m)
                    and not _historical(m)
                ):
                    born.append(m)
                    hits.append(hit_from(views.num, "birth_date", m.span(), m.group().replace(" ", "")))
        hits.extend(_same_date_again(views, text, born))
        for m in born:
            if m.re is _MONTH_DAY and (y := _year_apart(text, m)) is not None:
                taken.append(y.span("y"))
                hits.append(hit_from(views.num, "birth_date", y.span("y"), y.group("y").replace(" ", "")))
        for m in _PASSPORT_DATE.finditer(text):
            label = _LABEL_BEFORE.search(text, max(0, m.start() - _WINDOW), m.start())
            if (label or _REFERRED_AFTER.match(text, m.end())) and not any(
                a < m.end() and m.start() < b for a, b in taken
            ):
                hits.append(hit_from(views.num, "birth_date", m.span(), m.group().replace(" ", "")))
        for m in _ENGLISH_BIRTH.finditer(text):
            year = re.search(r"\d{4}", m.group("date"))
            if year is not None and int(year.group()) < _HISTORICAL_BEFORE:
                continue  # born 14 March 1879 in Ulm: history, not personal data
            hits.append(hit_from(views.num, "birth_date", m.span("date"), m.group("date").replace(" ", "")))
        if not _SPECIMEN.search(text):
            for m in _BIRTH_YEAR.finditer(text):
                group = "year" if m.group("year") else "y2"
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    hits.append(
                        hit_from(views.num, "birth_date", m.span(group), m.group(group).replace(" ", ""))
                    )
                    hits.extend(_full_date_of_year(views, text, m.group(group), [b.span() for b in born]))
        return hits + spoken


_YEAR_NEAR_AFTER = re.compile(
    r"[ \t]*(?:で|、|,|の|／|/)?[ \t]*"
    r"(?P<y>(?:明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR]) ?\d{1,2}(?: ?年)?"
    r"|(?:19|20)\d\d ?年?)(?![0-9A-Za-z])"
)
_YEAR_NEAR_BEFORE = re.compile(
    r"(?P<y>(?:明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR]) ?\d{1,2} ?年|(?:19|20)\d\d ?年)"
    r"[^。\n0-9]{0,12}$"
)


def _year_apart(text: str, m: re.Match[str]) -> re.Match[str] | None:
    """The year of a birthday given as a month and day, told just after it (誕生日 3/9 で S52) or
    earlier in the same sentence (平成30年の早生まれで、2月14日生まれ)."""
    after = _YEAR_NEAR_AFTER.match(text, m.end())
    if after is not None:
        return after
    start = max(sentence_start(text, m.start()), m.start() - 20)
    return _YEAR_NEAR_BEFORE.search(text, start, m.start())


def _full_date_of_year(views: Views, text: str, year: str, masked: list[tuple[int, int]]) -> list[Hit]:
    """A birth year told alone, then the whole date with that year (大正15年生まれ…大正15年1月7日だ
    そうです): the same person's birthday."""
    wanted = _year_key(year)
    return [
        hit_from(views.num, "birth_date", m.span(), m.group().replace(" ", ""))
        for m in _FULL.finditer(text)
        if _valid(m)
        and not any(a < m.end() and m.start() < b for a, b in masked)
        and _year_key(m.group()) == wanted
    ]


def _year_key(text: str) -> str:
    """The year a date or a year starts with, as written without spaces (大正15, 1970)."""
    found = re.match(r"(明治|大正|昭和|平成|令和|[MTSHR])? ?(\d{1,4})", text.replace(" ", ""))
    return (found.group(1) or "") + found.group(2) if found else text


_ERA_BASE = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_ERA_LETTER = {"m": "明治", "t": "大正", "s": "昭和", "h": "平成", "r": "令和"}
_YEAR_PART = re.compile(r"(明治|大正|昭和|平成|令和|[MTSHRmtshr])?[ .]?(\d{1,4}|元)")


def _date_value(m: re.Match[str]) -> tuple[int, int, int] | None:
    """(year, month, day) of a full date in either notation (H3/9/1 = 1991-09-01 = 平成3年9月1日)."""
    year = _YEAR_PART.match(m.group())
    if year is None:
        return None
    era, number = year.group(1), year.group(2)
    n = 1 if number == "元" else int(number)
    if era:
        base = _ERA_BASE[_ERA_LETTER.get(era.lower(), era)]
        n += base
    return n, int(m.group("m")), int(m.group("d"))


_HISTORICAL_BEFORE = 1910
"""Born before this year: nobody living (夏目漱石は1867年2月9日生まれ is history, not personal data)."""


def _historical(m: re.Match[str]) -> bool:
    if m.re is not _FULL:
        return False
    value = _date_value(m)
    return value is not None and value[0] < _HISTORICAL_BEFORE


def _same_date_again(views: Views, text: str, born: list[re.Match[str]]) -> list[Hit]:
    """A date of birth written again in another notation in the same message (「1963-07-09」を
    「昭和38年7月9日」に): the other form is the same person's birthday and is masked too."""
    values = {v for m in born if m.re is _FULL and (v := _date_value(m)) is not None}
    if not values:
        return []
    spans = {m.span() for m in born}
    again = [
        hit_from(views.num, "birth_date", m.span(), m.group().replace(" ", ""))
        for m in _PASSPORT_DATE.finditer(text)
        if (int(m.group(3)), _MONTHS[m.group(2)[:3].upper()], int(m.group(1))) in values
    ]
    return again + [
        hit_from(views.num, "birth_date", m.span(), m.group().replace(" ", ""))
        for m in _FULL.finditer(text)
        if m.span() not in spans and _valid(m) and _date_value(m) in values
    ]


_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {m: k for k, m in enumerate(_MONTH_NAMES, start=1)}
_PASSPORT_DATE = re.compile(
    r"(?<![0-9])([0-9]{1,2}) ?((?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[A-Za-z]{0,6})\.?"
    r" ?((?:19|20)[0-9]{2})(?![0-9])"
)
"""A date as a passport prints it (04 JUL 1992)."""


def _specimen_date(text: str, m: re.Match[str]) -> bool:
    """昭和60年1月1日 in a form's example: New Year's Day is the usual specimen date."""
    return (
        m.group("m").replace(" ", "").lstrip("0") == "1"
        and (m.groupdict().get("d") or m.groupdict().get("d2") or "1").replace(" ", "").lstrip("0") == "1"
        and bool(_SPECIMEN.search(text))
    )


def _kana_dates(views: Views, text: str) -> list[Hit]:
    """Dates of birth said by voice input in kana (せいねんがっぴは しょうわ よんじゅうごねん…)."""
    return [
        hit_from(views.num, "birth_date", m.span(), m.group().replace(" ", ""))
        for m in _KANA_DATE.finditer(text)
        if _LABEL_BEFORE.search(text, max(0, m.start() - _WINDOW), m.start()) is not None
        or _KANA_BORN_AFTER.match(text, m.end()) is not None
    ]


def _after_person(views: Views, text: str, m: re.Match[str]) -> bool:
    """A full date alone in brackets right after a person's name (萩原　直美（平成７年３月１４日）の転出証明
    書): that person's birthday. The name is the dictionary's (a token tagged as a person's name ends
    where the bracket opens), so 定例会（…） or 研修日程（…） are not."""
    if m.re is not _FULL or not _BRACKET_AFTER.match(text, m.end()):
        return False
    before = _BRACKET_BEFORE.search(text, max(0, m.start() - 4), m.start())
    if before is None:
        return False
    name_end = views.num.ends[before.start()]
    base = views.base
    return any(t.person and base.ends[t.end - 1] == name_end for t in views.tokens if t.end > t.begin)


def _valid(m: re.Match[str]) -> bool:
    month = int(m.group("m").replace(" ", ""))
    day = int((m.groupdict().get("d") or m.groupdict().get("d2") or "1").replace(" ", ""))
    return 1 <= month <= 12 and 1 <= day <= 31


_NOT_A_PERSON = re.compile(
    r"キャラ|マスコット|市制|町制|村制|開館|開園|開校|創立|創業|開業|誕生祭|アニメ|漫画|マンガ|登場人物|主人公|ドラえもん"
)
_RANGE = re.compile(r" ?(?:〜|~|～|-|から|以降|以前|まで)")


def _is_birth(text: str, m: re.Match[str], *, label_only: bool) -> bool:
    """A birth label shortly before, or 生/生まれ/an age right after; a range of dates (平成16年4月2日〜
    平成17年4月1日生まれ) is who is eligible, not someone's birthday."""
    if _RANGE.match(text, m.end()) or re.search(
        r"(?:〜|~|～|から) ?$", text[max(0, m.start() - 3) : m.start()]
    ):
        return False
    if _NOT_A_PERSON.search(text, sentence_start(text, m.start()), m.end() + 30):
        return False  # 市のキャラクターの誕生日, 開館記念日: not a person's birthday
    before = text[max(0, m.start() - _WINDOW) : m.start()]
    before = before[before.rfind("。") + 1 :]
    if _LABEL_BEFORE.search(before) or _AGE_BEFORE.search(before):
        return True
    if (
        m.re is _FULL
        and _NAME_THEN_BRACKET.search(before)
        and _ROSTER.search(text)
        and not _OTHER_DATE.search(before)
    ):
        return True
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if m.re is _FULL and (_SEX_CELL.search(line) or _REFERRED_AFTER.match(text, m.end())):
        return True  # 草野千代子,1981/10/03,女,…: a person's row; …←この生年月日
    if m.re is _FULL:
        # A list under a birth label earlier in the sentence (生年月日を…：X H14.1.23、Y H13.11.7),
        # unless another date's word stands between.
        wide = text[max(0, m.start() - _SENTENCE_WINDOW) : m.start()]
        wide = wide[max(wide.rfind("。"), wide.rfind("\n\n")) + 1 :]
        labels = list(_LABEL_BEFORE.finditer(wide))
        label = labels[-1] if labels else None
        if label is not None and not _OTHER_DATE.search(wide, label.end()):
            return True
        # the column named in the sentence before, its values shown (生年月日から年齢を出したい。
        # 実データは 1987/09/14 とか…)
        reach = text[max(0, m.start() - _SENTENCE_WINDOW) : m.start()]
        sentence = reach[reach.rfind("。") + 1 :]
        if _DATA_CUE.search(sentence) and _LABEL_BEFORE.search(reach) and not _OTHER_DATE.search(reach):
            return True
    return not label_only and _SUFFIX_AFTER.match(text, m.end()) is not None
