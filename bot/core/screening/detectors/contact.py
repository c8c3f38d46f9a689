"""Phone numbers, e-mail addresses and postal codes.

Phone numbers are matched in the numeric view in every common shape (0246-22-7412,
(0246)22-7412, 0246(22)7412, 090 1234 5678, +81-90-…) and validated by length. Numbers that
are public by nature are left alone: the city's own published numbers (`public_contacts`),
toll-free and navigation-dial numbers (0120, 0800, 0570…), and landlines written right after a
section or office name (情報政策課 0246-22-7412), which is how published contact numbers appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.screening.defaults import words
from bot.core.screening.detectors import Hit, Views, hit_from
from bot.core.screening.detectors.labels import BUILTIN_OTHER_LABELS, LATIN_LABEL_BEFORE
from bot.core.screening.policy import ScreeningPolicy

_SEP = r"(?: ?- ?| |\.|・)?"
_PHONE = re.compile(
    rf"(?=[+(0])(?:(?<![0-9A-Za-z+])(?<![0-9A-Za-z]-)(?<![0-9][.:/])|{LATIN_LABEL_BEFORE})"
    r"(?:\+ ?81"
    + _SEP
    + r"(?:\(0\)"
    + _SEP
    + r")?\d{1,4}|\(0\d{1,4}\)|0\d{1,4})"
    + _SEP
    + r"(?:\(\d{1,4}\)|\d{1,4})"
    + _SEP
    + r"\d{3,4}(?![0-9])"
)
_PIECE_JOIN = (
    r"(?: ?-? ?\n[ \n]*-?|(?:[ 、,]|の|で|えー?と|えっと|あの|そのあと|その後|次(?:が|は)|最後(?:が|は)"
    r"|あと(?:は|が)|残り(?:が|は)|続いて|後ろ(?:が|は)){1,8})"
)
"""Between the pieces of a phone number read out or broken over lines (「090で、そのあと6620、最後が4417」,
"0276-⏎52-⏎8831")."""
_SPLIT_PHONE = re.compile(
    rf"(?<![0-9])(0\d{{1,4}})(-|{_PIECE_JOIN})(\d{{2,4}})(-|{_PIECE_JOIN})(\d{{3,4}})(?![0-9])"
)
_TWO_PIECE_MOBILE = re.compile(rf"(?<![0-9])(0[5-9]0\d{{3,5}}){_PIECE_JOIN}(\d{{3,5}})(?![0-9])")
"""A mobile told in two pieces (前半は0802370で、残りは8695)."""
_INTERNATIONAL = re.compile(
    r"(?<![0-9A-Za-z+])\+ ?(?!81)[1-9][0-9]{0,2}(?:[ \-.]?\(?[0-9]{1,4}\)?){2,5}(?![0-9])"
)
"""A foreign number in international form (+84 90 318 4427, +1-212-555-0188)."""
_SLASHED_MOBILE = re.compile(r"(?<![0-9/])0[5-9]0 ?[/／] ?\d{4} ?[/／] ?\d{4}(?![0-9/])")
"""A mobile written down in three pieces with slashes between (090 / 6418 / 2257)."""
_FOREIGN_MOBILE = re.compile(
    r"(?i:\b(?:mobile|cell(?:phone)?|phone)(?: (?:number|no\.?))?(?: is|:)? )"
    r"(?P<number>0\d{3}[ \-]?\d{3}[ \-]?\d{4})(?![0-9])"
)
"""A mobile in another country's national form after the English word (0917 553 2810)."""
_PHONE_WORD = re.compile(r"電話|番号|携帯|TEL|連絡先|折り返し")
_SPACED_PHONE = re.compile(r"(?<![0-9])0(?:[ \-]{1,3}[0-9]){9,10}(?![0-9])")
_KANA_DIGITS = {
    "ゼロ": "0",
    "レイ": "0",
    "マル": "0",
    "イチ": "1",
    "ヒト": "1",
    "ニー": "2",
    "ニ": "2",
    "サン": "3",
    "ヨン": "4",
    "シ": "4",
    "ゴー": "5",
    "ゴ": "5",
    "ロク": "6",
    "ナナ": "7",
    "シチ": "7",
    "ハチ": "8",
    "キュー": "9",
    "キュウ": "9",
    "ク": "9",
}
_KANA_DIGIT = "|".join(sorted(_KANA_DIGITS, key=len, reverse=True))
_SPOKEN_PHONE = re.compile(rf"(?:(?:{_KANA_DIGIT})+[、, のノ]*)(?:(?:{_KANA_DIGIT}|[0-9])+[、, のノ]*){{2,}}")
_SPOKEN_DIGIT = re.compile(rf"{_KANA_DIGIT}|[0-9]")
"""A number read out in katakana (ゼロキューゼロ、ハチニーイチ、…)."""
"""A phone number over three lines or read out in pieces (070 の 5512 の 8803)."""
_MOBILE = ("020", "050", "060", "070", "080", "090")
_BUSINESS = ("0120", "0800", "0570", "0180", "0990")
_OFFICE_BEFORE = re.compile(
    r"(?:課|係|室|局|部|所|センター|窓口|代表|役所|役場|支所|本庁|事務局|グループ|チーム|担当課|ダイヤル|コールセンター)"
    # its place in brackets between (観光案内所（駅前）TEL …)
    r"(?: ?\([^()\n]{1,8}\))?"
    r" ?(?:\(|「)?(?:電話|TEL|Tel|tel|FAX|Fax|電話番号|代表|直通|外線)?(?:\)|」)? ?[:/]? ?$"
    # an outside line or a main number is an office's, whatever stands before it (外線 027-…)
    r"|(?:外線|代表電話|代表番号)(?:番号)?(?:は)? ?[:：]? ?$"
)
_HOME_BEFORE = re.compile(r"(?:自宅|家|実家|ご自宅|お宅|個人)の?(?:電話|番号|TEL)?(?:です|は)?[^0-9\n]{0,4}$")
"""The number is someone's home line (連絡は家の 0246-…, 市民課の番号じゃなくて、この方の自宅の番号です→ …),
whatever office the line names."""
_NOT_PHONE_LABEL = re.compile(
    rf"(?:{BUILTIN_OTHER_LABELS})[ :=#]*(?:\([^)]{{0,10}}\))?[ :=#]*(?:No\.?)?[ :=#]*$"
)
_PUBLIC_AFTER = re.compile(
    r" ?\((?:代表|直通|代表番号|平日|受付|[0-9]{1,2}:[0-9]{2})|[、,/] ?(?:代表|直通)(?!者)"
)
"""A note after the number that it is an office's line: （代表）, （平日9:00…）, 「…、代表経由」."""
_OFFICE_ON_LINE = re.compile(
    r"(?:[\u3400-\u9fff](?:課|係|室|センター|支所|窓口|事務局)(?![長員補])|市役所|役場|問い?合わ?せ先|お問い?合わ?せ"
    r"|代表|ダイヤル|(?i:city hall|city office|division|hotline|help ?desk|information cent(?:er|re)))"
)
"""A landline on a line that names an office is that office's published number."""
_PHONE_LABELS = ("電話番号", "内線", "FAX", "TEL", "Tel")

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+(?:(?<=\.)\n[A-Za-z0-9._%+\-]+)?[ \n]?(?:@"
    r"| ?\[at\] ?| ?\(at\) ?| ?[(（](?:アットマーク|アット|あっと)[)）] ?"
    r"| ?(?:アットマーク|あっとまーく|あっと|アット) ?)[ \n]?"
    r"[A-Za-z0-9\-]+(?: ?(?:\.\n?|\[dot\]|\(dot\)) ?[A-Za-z0-9\-]+)+"
)
"""An address may be broken over lines after a dot, as mail clients wrap it (satoshi.⏎kudo@…)."""
_SPOKEN_EMAIL = re.compile(
    r"(?:アットマーク|アット|@|あっとまーく) ?(?:の|より)?(?:前|左)(?:が|は|：|:)\s*[「『\"']?"
    r"(?P<local>[A-Za-z0-9._%+\-]+)[」』\"']?\s*"
    r"(?:で|、|,|です|。){1,3}\s*(?:後ろ|後|あと|右|ドメイン|domain)(?:が|は|：|:)\s*[「『\"']?(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
)
"""An address told in two halves around the at sign (アットマークの前が x で、後ろが y.com)."""
_DOT_WORD = r" ?(?:ドット|どっと|(?i:dot)) ?"
_SPELLED_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9_%+\-]+(?:(?:\.|{_DOT_WORD})[A-Za-z0-9_%+\-]+)*"
    r" ?(?:アットマーク|あっとまーく|アット|あっと|\((?i:at)\)|\[(?i:at)\]) ?"
    rf"[A-Za-z0-9\-]+(?:(?:\.|{_DOT_WORD})[A-Za-z0-9\-]+)+"
)
"""An address read out with its dots as words (nagomi ドット 148 アットマーク softbank ドット ne …)."""
_ENGLISH_SPELLED_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9_%+\-]+(?: (?i:dot) [A-Za-z0-9_%+\-]+)* (?i:at) "
    r"[A-Za-z0-9\-]+(?: (?i:dot) [A-Za-z0-9\-]+)+"
)
"""…and in words only (nakagawa dot shiori at gmail dot com): a " dot " in the domain makes it one."""
_QUOTED_HALVES = re.compile(
    r"[「『\"'](?P<local>[A-Za-z0-9._%+\-]+)[」』\"'] ?(?:アットマーク|アット|あっとまーく|あっと|@) ?"
    r"[「『\"'](?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)[」』\"']"
)
"""An address told in quoted halves (「papa201535」アットマーク「docomo.ne.jp」)."""
_KANA_WORD = r"[\u3041-\u3096\u30a1-\u30fcー0-9a-z]+"
_KANA_AT = r"(?:あっと(?: ?まーく)?|アット(?:マーク)?)"
_KANA_ADDRESS = (
    rf"(?:{_KANA_WORD} ){{1,8}}?{_KANA_AT} (?:{_KANA_WORD} ){{1,6}}?(?:どっと|ドット|てん|テン) {_KANA_WORD}"
)
_KANA_EMAIL = re.compile(
    rf"(?:めーる|メール|めあど|メアド)(?:あどれす|アドレス)?(?:は|が|[:：])? ?(?P<addr>{_KANA_ADDRESS})"
    # or the address first, "mail" after it (…あっと まーく いぐざんぷる どっと じぇいぴー に めーる)
    rf"|(?P<addr2>{_KANA_ADDRESS})(?= (?:に|へ|まで) (?:めーる|メール))"
)
"""An address said by voice input and left in kana (めーるあどれすは てぃー どっと さかもと あっと
じーめーる どっと こむ)."""
_HALVES_EMAIL = re.compile(
    r"(?:前半|前)(?:は|が|[:：]) ?(?P<local>[A-Za-z0-9._%+\-]+)[^@\n]{0,12}?(?:後半|後ろ|後)(?:は|が|[:：]) ?"
    r"@?(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
)
"""An address given as its first and second halves (メアド前半: yuuki.kondou 後半: @softbank.ne.jp)."""
_SPACED_EMAIL = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z0-9._\-] ){2,}@(?: [A-Za-z0-9.\-]){3,}")
"""An address OCR'd or typed with a space after every character (s h i g a . a y a n o @ g m a i l …)."""
_CONSUMER_DOMAIN = re.compile(
    r"@(?:gmail\.com|googlemail\.com|icloud\.com|me\.com|yahoo\.co\.jp|ymail\.ne\.jp|hotmail\.com|outlook\.(?:com|jp)"
    r"|live\.jp|docomo\.ne\.jp|ezweb\.ne\.jp|au\.com|softbank\.ne\.jp|i\.softbank\.jp|ybb\.ne\.jp|nifty\.com"
    r"|biglobe\.ne\.jp|ocn\.ne\.jp|so-net\.ne\.jp|mineo\.jp|rakuten\.jp)$"
)
"""A mailbox of a mobile carrier or a free service: a person's, even in a message from an office."""
_DOCUMENTATION_DOMAIN = re.compile(r"@(?:[a-z0-9\-]+\.)*example(?:\.(?:com|net|org|jp|co\.jp))?$")
"""example.com and its kin are reserved for documentation (RFC 2606): in a message about examples
(例示, 記入例, 見本…) such an address is the example itself."""
_EXAMPLE_CUE = re.compile(
    r"例示|記入例|見本|サンプル|ダミー|例：|例:|悪い例|良い例|例として|テスト用|テストケース|架空"
    r"|(?i:sample|dummy|for example|e\.g\.)"
)
_ROLE_MAILBOXES = frozenset(
    words(
        "info support contact webmaster noreply no-reply postmaster press help office inquiry toiawase desk"
    )
)

_POSTAL = re.compile(r"(?:〒|郵便番号)[ :は]*(\d{3})-?(\d{4})(?![0-9])")


def _katakana(text: str) -> str:
    """`text` with hiragana as katakana, character for character (offsets unchanged)."""
    return text.translate(_TO_KATAKANA)


_TO_KATAKANA = {c: c + 0x60 for c in range(0x3041, 0x3097)}
_HIRAGANA_DIGIT = re.compile(r"ぜろ|れい|まる|いち|にー|さん|よん|ごー|ろく|なな|はち|きゅ")
"""A digit read out in hiragana: only then is the text turned into katakana for the spoken rule."""


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


class ContactDetector:
    """Finds phone numbers, e-mail addresses and labelled postal codes."""

    def __init__(self, policy: ScreeningPolicy) -> None:
        contacts = policy.public_contacts
        self._public_numbers = frozenset(d for d in (_digits(c) for c in contacts) if len(d) >= 9)
        self._public_emails = frozenset(c.casefold() for c in contacts if "@" in c)

    def detect(self, views: Views) -> list[Hit]:
        """Phone, e-mail and postal-code hits."""
        return [*self._phones(views), *self._emails(views), *self._postal(views)]

    def _phones(self, views: Views) -> Iterator[Hit]:
        text = views.num.text
        for m in _PHONE.finditer(text):
            national = _national(m.group())
            if (
                national is None
                or _business(national, m.group())
                or national in self._public_numbers
                or _dummy(national)
            ):
                continue
            before = text[max(0, m.start() - 16) : m.start()]
            line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
            if national.startswith("050") and (
                _OFFICE_BEFORE.search(before) or _PUBLIC_AFTER.match(text, m.end())
            ):
                continue  # お問い合わせセンター 050-…: a company's IP line, named right before it
            home = _HOME_BEFORE.search(before) is not None
            if (
                not national.startswith(_MOBILE)
                and not home
                and (
                    _OFFICE_BEFORE.search(before)
                    or _office_paragraph(text, m.start())
                    or _PUBLIC_AFTER.match(text, m.end())
                    or _OFFICE_ON_LINE.search(line)
                    or _facility_number(text, m.start(), m.end())
                )
            ):
                continue
            if _FORMAT_EXAMPLE.match(text, m.end()) or (
                _EXAMPLE_CUE.search(_whole_line(text, m.start())) and _made_up(national)
            ):
                continue  # 「0246-22-1111」のように: the shape of a number; 03-1234-5678（テスト用）
            label = _NOT_PHONE_LABEL.search(before)
            if label and not label.group().startswith(_PHONE_LABELS):
                continue
            yield hit_from(views.num, "phone", m.span(), national)
        for m in _SPACED_PHONE.finditer(text):
            national = _national(m.group())
            if national is not None and m.group().count(" ") >= 4 and not _dummy(national):
                yield hit_from(views.num, "phone", m.span(), national)
        spoken = _katakana(text) if _HIRAGANA_DIGIT.search(text) else text
        for m in _SPOKEN_PHONE.finditer(spoken):  # read out in hiragana too (きゅうまるの…)
            pieces = list(_SPOKEN_DIGIT.finditer(m.group()))
            digits = "".join(_KANA_DIGITS.get(d.group(), d.group()) for d in pieces)
            if len(digits) == 10 and digits[0] in "789" and digits[1] == "0":
                digits = "0" + digits  # きゅうまる…: a mobile read out without its leading zero
                pieces.insert(0, pieces[0])
            national = _national(digits)
            if national is None and len(digits) > 11:  # …に折り返し: a word after the number
                national, pieces = _national(digits[:11]), pieces[:11]
            if national is not None and national.startswith(_MOBILE):
                yield hit_from(views.num, "phone", (m.start(), m.start() + pieces[-1].end()), national)
        for m in _SLASHED_MOBILE.finditer(text):
            yield hit_from(views.num, "phone", m.span(), _digits(m.group()))
        for m in _FOREIGN_MOBILE.finditer(text):
            digits = _digits(m.group("number"))
            if not _dummy(digits) and digits not in self._public_numbers:
                yield hit_from(views.num, "phone", m.span("number"), digits)
        for m in _INTERNATIONAL.finditer(text):
            digits = _digits(m.group())
            if 8 <= len(digits) <= 15 and not _dummy(digits) and digits not in self._public_numbers:
                yield hit_from(views.num, "phone", m.span(), "+" + digits)
        for m in _TWO_PIECE_MOBILE.finditer(text):
            national = _national(m.group(1) + m.group(2))
            if national is not None and national.startswith(_MOBILE) and national not in self._public_numbers:
                yield hit_from(views.num, "phone", m.span(), national)
        for m in _SPLIT_PHONE.finditer(text):
            if "-" in (m.group(2), m.group(4)) and "\n" not in m.group(2) + m.group(4):
                continue  # 090-6620-4417 on one line is the plain pattern's; 080-6287⏎1939 is broken
            national = _national(m.group(1) + m.group(3) + m.group(5))
            labelled = _PHONE_WORD.search(text[max(0, m.start() - 12) : m.start()]) is not None
            if (
                national is not None
                and (national.startswith(_MOBILE) or labelled)
                and national not in self._public_numbers
            ):
                yield hit_from(views.num, "phone", m.span(), national)

    def _emails(self, views: Views) -> Iterator[Hit]:
        text = views.base.text
        for m in _EMAIL.finditer(text):
            value = re.sub(r" ?(?:\[at\]|\(at\)|[(（](?:アットマーク|アット|あっと)[)）]) ?", "@", m.group())
            value = (
                re.sub(r" ?(?:\[dot\]|\(dot\)) ?", ".", value).replace(" ", "").replace("\n", "").casefold()
            )
            local = value.split("@", 1)[0]
            if (
                value in self._public_emails
                or local in _ROLE_MAILBOXES
                or (
                    not _CONSUMER_DOMAIN.search(value)
                    and any(p in _ROLE_MAILBOXES for p in re.split("[-_.]", local))
                )
                or (_DOCUMENTATION_DOMAIN.search(value) and _EXAMPLE_CUE.search(text))
                or _OFFICE_MAILBOX.search(text, max(0, m.start() - 14), m.start())
                or _published_on_line(text, m.start())
                or (
                    _office_paragraph(text, m.start())
                    and local not in _personal_locals(text)
                    and not _CONSUMER_DOMAIN.search(value)
                )
            ):
                continue
            yield hit_from(views.base, "email", m.span(), value)
        spelled = [
            *((m, f"{m.group('local')}@{m.group('domain')}") for m in _QUOTED_HALVES.finditer(text)),
            *((m, m.group().replace(" ", "")) for m in _SPACED_EMAIL.finditer(text)),
            *((m, _spelled_out(m.group())) for m in _SPELLED_EMAIL.finditer(text)),
            *((m, _spelled_out(m.group())) for m in _ENGLISH_SPELLED_EMAIL.finditer(text)),
        ]
        for m, written in spelled:
            value = written.casefold()
            if (
                _EMAIL.fullmatch(value)
                and value.split("@", 1)[0] not in _ROLE_MAILBOXES
                and value not in self._public_emails
            ):
                yield hit_from(views.base, "email", m.span(), value)
        for m in _KANA_EMAIL.finditer(text):
            group = "addr" if m.group("addr") else "addr2"
            yield hit_from(views.base, "email", m.span(group), m.group(group).replace(" ", ""))
        for m in _HALVES_EMAIL.finditer(text):
            for part in ("local", "domain"):
                yield hit_from(views.base, "email", m.span(part), f"{m.group('local')}@{m.group('domain')}")
        for m in _SPOKEN_EMAIL.finditer(text):
            for part in ("local", "domain"):
                yield hit_from(views.base, "email", m.span(part), f"{m.group('local')}@{m.group('domain')}")

    def _postal(self, views: Views) -> Iterator[Hit]:
        for m in _POSTAL.finditer(views.num.text):
            if m.group(2).startswith("8"):
                continue  # 事業所個別郵便番号 (…-8xxx): an organisation's, such as a city hall
            yield hit_from(views.num, "postal_code", (m.start(1), m.end(2)), m.group(1) + m.group(2))


_FACILITY = re.compile(
    r"[\u3400-\u9fff\u30a1-\u30fa\u30fc]{1,12}(?:館|(?<![住場近居箇])所|センター|病院|プール|局|課|窓口|ホール|施設|本部|協会|組合"
    r"|学校|公園|ダイヤル|相談室|事務所)(?![長員補])|(?i:city hall|center|centre|library|office)"
)
PUBLISHED_CONTACT = re.compile(
    r"HP(?:掲載|と同|に掲載|で公開|に載って)|ホームページ(?:に|で)(?:掲載|載って|公開)|(?:広報|公式サイト|ウェブサイト)に(?:も)?(?:掲載|載って)"
    r"|(?:公開|公表|掲載)(?:済み|されている|しています|中)|指定管理|公表資料|広報(?:紙|誌)の"
)
_PERSONAL_CONTACT = re.compile(
    r"自宅|本人|個人|私|わたし|さん|様|方の|世帯|申請者|相談者|利用者|保護者|住民|地権者|家族|長男|長女|妻|夫|実家|勤務先|固定"
)
_FORMAT_EXAMPLE = re.compile(r"[」』\)]?(?:のように|のような|みたいに|みたいな|といった(?:形|書式|表記))")
_OFFICE_MAILBOX = re.compile(
    r"(?:(?<!サークル)(?<!クラブ)(?<!団体)(?<!会)代表|課の|窓口"
    r"|問い?合わ?せ先?|公式)(?:の)?(?:メール|アドレス|メールアドレス|e-?mail)?[ :：は]*$"
)


_DOT_SPELLED = re.compile(r" ?(?:ドット|どっと) ?| (?i:dot) ")
_AT_SPELLED = re.compile(r" ?(?:アットマーク|あっとまーく|アット|あっと|\((?i:at)\)|\[(?i:at)\]) ?| (?i:at) ")


def _spelled_out(written: str) -> str:
    """An address read out in words, as the address (nagomi ドット 148 アットマーク … → nagomi.148@…)."""
    return _AT_SPELLED.sub("@", _DOT_SPELLED.sub(".", written))


def _whole_line(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : end if end >= 0 else len(text)]


def office_row(row: str, number: str) -> bool:
    """A table row (its whole line) that names a facility or an office and no person, holding a
    landline: the facility's published number or address (|中央図書館|027-…|, 小名浜支所,0246-…)."""
    national = _national(number)
    if national is not None and national.startswith(_MOBILE):
        return False
    if _PERSONAL_CONTACT.search(row):
        return False
    return bool(_FACILITY.search(row) or _OFFICE_ON_LINE.search(row))


def _facility_number(text: str, start: int, end: int) -> bool:
    """A landline on a line that names a facility (図書館の電話, 急病診療所（市医師会運営） 電話…)
    or in a message that says its numbers are published (市HP掲載, ホームページに載っている),
    with no sign on that line that it is a person's (自宅, 申請者, さん…)."""
    line = _whole_line(text, start)
    if _PERSONAL_CONTACT.search(line):
        return False
    return bool(_FACILITY.search(line) or PUBLISHED_CONTACT.search(text))


_CONTACT_FIELD = re.compile(r"(?m)^[ \t]*(?:TEL|Tel|FAX|Fax|電話|ファクス|ファックス|E?-?[Mm]ail|メール)")
_OFFICE_HEAD = re.compile(
    r"[\u3041-\u30ff\u3400-\u9fff](?:課|係|室|センター|保健所|支所"
    r"|事務所|事務局)(?![長員補])|市役所|役場|(?i:city hall|office)"
)
_PERSON_IN_BLOCK = re.compile(
    r"さん|様|主査|主事|主任|係長|課長|担当者?[:：]|[\u3400-\u9fff]{1,4} [\u3400-\u9fff]{1,3}$"
)


def _office_paragraph(text: str, pos: int) -> bool:
    """A contact line (TEL：/FAX：/Mail：) in a block whose head line, a few lines up with no blank
    line between, names an office (主催：前橋市 観光政策課⏎TEL：…⏎FAX：…), and no line of the block
    names a person: the office's published contacts, not a staff member's signature."""
    line_start = text.rfind("\n", 0, pos) + 1
    if not _CONTACT_FIELD.match(text, line_start):
        return False
    lines = text[:line_start].rstrip("\n").split("\n")[-4:]
    block: list[str] = []
    for line in reversed(lines):
        if not line.strip():
            break
        block.append(line)
    return any(_OFFICE_HEAD.search(line) for line in block) and not any(
        _PERSON_IN_BLOCK.search(line) or _PERSONAL_CONTACT.search(line) for line in block
    )


def _personal_locals(text: str) -> frozenset[str]:
    """Local parts that look like a person's (a dot or underscore between name parts)."""
    return frozenset(m.group(1).casefold() for m in re.finditer(r"([A-Za-z]+[._][A-Za-z]+)@", text))


def _published_on_line(text: str, pos: int) -> bool:
    """The address's own line says it is published (代表アドレス（HPに掲載済み）…) and names no
    person: an office's mailbox, as public as its phone number."""
    line = _whole_line(text, pos)
    return PUBLISHED_CONTACT.search(line) is not None and _PERSONAL_CONTACT.search(line) is None


def _made_up(national: str) -> bool:
    """A number whose subscriber part counts up or repeats (03-1234-5678, 0246-00-0000)."""
    tail = national[-8:]
    return any(seq in tail for seq in ("1234", "2345", "3456", "4567", "5678", "0000", "1111", "9999"))


def _business(national: str, written: str) -> bool:
    """A toll-free or navigation-dial number (0120, 0800, 0570…). 0800 and a mobile 080 have the
    same eleven digits: written 080-0679-3373 (the first group three digits) it is a mobile."""
    if not national.startswith(_BUSINESS):
        return False
    first = re.match(r"\D*(\d+)", written)
    return not (national.startswith("0800") and first is not None and first.group(1) == "080")


def _dummy(national: str) -> bool:
    """090-0000-0000: a form's example, not anyone's number."""
    return len(set(national[3:])) == 1


def _national(match: str) -> str | None:
    """The number in national form (0 + digits), or None when it is not a valid phone number."""
    digits = _digits(match)
    if match.lstrip("( ").startswith("+"):
        digits = digits[2:]
        digits = digits if digits.startswith("0") else "0" + digits
    if digits.startswith("00"):
        return None
    if len(digits) == 11:
        return digits if digits.startswith(_MOBILE) or digits.startswith("0800") else None
    return digits if len(digits) == 10 else None
