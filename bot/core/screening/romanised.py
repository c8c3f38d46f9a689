"""Person names written in Latin letters (Hanako Suzuki さん, Dear Ms. Brown, Tanaka-san, Nguyen Van An).

Capitalised words are everywhere in English text, so a romanised name needs a cue: an honorific
after it (様, さん, -san), a title or salutation before it (Mr., Dear, Attn:), a "Name:" label, a
letter's sign-off above it, or a common surname among two or three capitalised words.
"""

from __future__ import annotations

import re

from bot.core.screening.defaults import ADDRESSEES, HONORIFICS, ROMAN_SURNAMES, words

_ROMAN_WORD = r"(?:[A-ZĀĪŪĒŌ][a-zāīūēō]+|[A-ZĀĪŪĒŌ]{2,})"
"""A romanised word, long vowels with macrons included (Kōno Tarō)."""
_ROMAN_NAME = rf"{_ROMAN_WORD}(?:[ \-]{_ROMAN_WORD}){{0,3}}"
_NOT_NAMES = ADDRESSEES
_ROMAN_SEQUENCE = re.compile(rf"(?<![A-Za-z]){_ROMAN_WORD}(?: {_ROMAN_WORD}){{1,2}}(?![A-Za-z])")
_ROMAN = (
    re.compile(rf"(?<![A-Za-z])({_ROMAN_NAME}) ?(?:{'|'.join(HONORIFICS)})"),
    re.compile(rf"(?<![A-Za-z])({_ROMAN_NAME})-(?:san|sama|kun|chan|sensei|shi)(?![A-Za-z])"),
    re.compile(r"\b(?:Mr|Ms|Mrs|Miss|Mx|Dr|Prof)\.? ((?:[A-Z]['’])?[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2})"),
    re.compile(
        rf"\b(?:Dear|Attn\.?:?|Attention:) (?:(?:Mr|Ms|Mrs|Miss|Mx|Dr|Prof)\.? )?(?!{_NOT_NAMES})"
        r"([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2})"
    ),
    re.compile(rf"(?:[Nn]ame|NAME|[Aa]pplicant|氏名|名前) ?: ?({_ROMAN_NAME})"),
    # a person named in brackets after the word for them (the child (Liam O'Connor))
    re.compile(
        r"\b(?:child|boy|girl|son|daughter|student|pupil|resident|applicant|baby|patient|tenant|caller"
        r"|mother|father|parent|guardian|teacher) ?\(((?:[A-Z]['’])?[A-Z][a-z]+(?:['’][A-Z]?[a-z]+)?"
        r"(?:[ \-](?:[A-Z]['’])?[A-Z][a-z]+(?:['’][A-Z][a-z]+)?){0,2})\)"
    ),
    # a family member named by the relation (mother of Lucas, my daughter Emma)
    re.compile(
        r"\b(?:[Mm]other|[Ff]ather|[Pp]arents?|[Gg]uardian|[Ss]on|[Dd]aughter|[Ww]ife|[Hh]usband|[Bb]rother"
        r"|[Ss]ister|[Gg]randmother|[Gg]randfather) of ([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?![A-Za-z])"
    ),
    re.compile(
        r"\b(?:[Mm]y|[Oo]ur|[Hh]er|[Hh]is) "
        r"(?:son|daughter|child|kid|wife|husband|brother|sister|mother|father)"
        r",? ([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?![A-Za-z])"
    ),
    re.compile(
        r"(?:Sincerely|Regards|Best regards|Kind regards|Best wishes|Yours sincerely|Yours truly"
        r"|Yours faithfully|Thanks|Thank you|Cheers),? ?\n+ ?([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2})"
    ),
)
_JA_ROLE_BEFORE = re.compile(
    r"(?:申請者|申請人|相談者|登録者|利用者|借受人|契約者|市民|住民|来庁者|届出人|応募者|当選者|受講者|参加者"
    r"|保護者|依頼者|本人|世帯主|被保険者|納税者|対象者|通報者|担当者?|講師|通訳)(?:様|さん)? ?[:：]? ?"
    rf"({_ROMAN_WORD}(?:[ \-]{_ROMAN_WORD}){{1,3}})(?![A-Za-z])"
)
"""A Japanese word for the person before a name of two or more Latin words (登録者：Yumiko Kusano,
元市民 THAPA SANJAY, 借受人 Misaki Suzuki)."""
_ROMAN_NOT_NAMES = frozenset(words("Excel Word Teams Outlook Microsoft Google Windows Office City Hall"))
_LOWER_TITLED = re.compile(
    # a title typed in lower case (mr. okonkwo chidi from …): the one or two words after it
    r"(?<![A-Za-z])(?:mr|ms|mrs|dr)\.? ([a-z]{2,14}"
    r"(?: (?!(?:from|and|of|at|in|on|is|was|will|who|to|for|said|the)\b)[a-z]{2,14})?)(?![A-Za-z])"
)
_SENDER = re.compile(
    r"(?m)^[ \t]*(?:From|FROM|Sender|差出人|送信者)[ \t]*[:：][ \t]*"
    r"[\"“']?((?:[A-Z][a-z]+|[A-Z]{2,})(?:[ ,]{1,2}(?:[A-Z][a-z]+|[A-Z]{2,})){1,2})[\"”']?"
    r"[ \t]*(?:<[^>\n]*>)?[ \t]*$"
)
"""An e-mail's sender line with a person's name (From: HATORI SHOTA, From: Emma Brown <…>)."""
_ORGANISATION_WORD = re.compile(
    r"(?i)\b(?:city|hall|office|division|section|department|dept|center|centre|inc|ltd|co|corp\w*|council"
    r"|school|university|library|team|support|desk|service|services|info|news|admin|system|noreply|group"
    r"|association|foundation|embassy|consulate|bank|hospital|clinic|prefecture|ward|town|village)\b"
)
_GIVEN_THEN_CAPITALS = re.compile(r"(?<![A-Za-z])([A-Z][a-z]{2,11}) ([A-Z]{3,12})(?![A-Za-z])")
"""A Japanese name as English writing puts it, the family name in capitals (Kenta MOTEGI)."""
_CAPITAL_WORDS = frozenset(
    words("JAPAN TOKYO IWAKI MAEBASHI GUNMA FUKUSHIMA OSAKA KYOTO CITY HALL NHK JR JA AEON ANA JAL")
)


_CAPITALS_AFTER_PERSON_WORD = re.compile(
    r"(?i:(?<![A-Za-z])(?:from|by|for|dear|applicant|resident|requester|caller|name:?|named"
    r"|mr\.?|ms\.?|mrs\.?|met|meet|meeting|saw|called|phoned|visited|contacted|told|asked|helped|interviewed"
    r"|with|client|customer|patient|student|tenant)) "
    r"([A-Z]{2,12}) ([A-Z]{2,12})(?![A-Za-z])"
)
"""A name in capitals after a word that stands before a person (Inquiry from SAKURA ARAI)."""


def _romaji_pair(given: str, family: str) -> bool:
    """Both words read as romaji (kenta, motegi), and the capitals are not a place or an acronym."""
    return family not in _CAPITAL_WORDS and _romaji(given.lower()) and _romaji(family.lower())


_ROMAJI_WORD = re.compile(
    r"(?:(?:[kgsztdnhbpmrfjwy]|sh|ch|ts|[kgnhmrbp]y)?[aiueo]|n(?![aiueoy])|[kstpc](?=[kstpc]))+"
)
_LOWER_PAIR = re.compile(r"(?<![A-Za-z])([a-z]{2,12}) ([a-z]{2,12})(?![A-Za-z])")
_LIST_GAP = re.compile(r" ?[,;、，/・] ?| ?\n ?")


def romanised_spans(text: str) -> list[tuple[int, int]]:
    """Spans of romanised names in `text` (may overlap; the caller merges them)."""
    spans = [m.span(1) for pattern in _ROMAN for m in pattern.finditer(text)]
    spans += [m.span() for m in _ROMAN_SEQUENCE.finditer(text) if _has_known_surname(m.group())]
    spans = [(a, b) for a, b in spans if text[a:b] not in _ROMAN_NOT_NAMES]
    spans += [m.span(1) for m in _LOWER_TITLED.finditer(text)]
    spans += [m.span(1) for m in _AFTER_CONTACT.finditer(text) if m.group(1) not in _NOT_AFTER_CONTACT]
    spans += [
        m.span(1)
        for m in _JA_ROLE_BEFORE.finditer(text)
        if not any(w in _ROMAN_NOT_NAMES or w in _CAPITAL_WORDS for w in re.split("[ -]", m.group(1)))
    ]
    spans += [m.span(1) for m in _SENDER.finditer(text) if not _ORGANISATION_WORD.search(m.group(1))]
    spans += [m.span() for m in _GIVEN_THEN_CAPITALS.finditer(text) if _romaji_pair(m.group(1), m.group(2))]
    spans += [
        (m.start(1), m.end(2))
        for m in _CAPITALS_AFTER_PERSON_WORD.finditer(text)
        if m.group(1) not in _CAPITAL_WORDS and _romaji_pair(m.group(1), m.group(2))
    ]
    return spans + _coordinated(text, spans) + _lower_case_list(text)


_AFTER_CONTACT = re.compile(
    r"(?:(?<=[0-9])|(?<=\.com)|(?<=\.jp)|(?<=\.net)|(?<=\.org)) ?[(（]([A-Z][a-z]{2,12})[)）]"
)
"""A name in brackets right after a phone number or an address (0 9 0 - … 7 7 0 3 (Hanna))."""
_NOT_AFTER_CONTACT = frozenset(
    words(
        "Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Main Home Office Mobile"
        " Work Fax Tel Free Japan English Japanese Direct Ext Cell Private Public Weekdays Daytime"
    )
)


def _romaji(word: str) -> bool:
    return _ROMAJI_WORD.fullmatch(word) is not None


def _lower_case_list(text: str) -> list[tuple[int, int]]:
    """Names typed in lower case romaji in a list (sato kenji, watanabe yui, ohashi ren): two or
    more "surname given-name" pairs one after another, every word of a Japanese reading's shape and
    at least one a common surname."""
    if not any(c.islower() for c in text):
        return []
    pairs = [m for m in _LOWER_PAIR.finditer(text) if _romaji(m.group(1)) and _romaji(m.group(2))]
    runs: list[list[re.Match[str]]] = []
    for m in pairs:
        if runs and _LIST_GAP.fullmatch(text, runs[-1][-1].end(), m.start()):
            runs[-1].append(m)
        else:
            runs.append([m])
    out: list[tuple[int, int]] = []
    for run in runs:
        if len(run) >= 2 and any(_has_known_surname(w) for r in run for w in r.groups()):
            out += [r.span() for r in run]
    return out


_AND_AFTER = re.compile(r",? (?:and|&) ([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})(?![A-Za-z])")
_AND_BEFORE = re.compile(r"(?<![A-Za-z])([A-Z][a-z]+(?: [A-Z][a-z]+){1,2}),? (?:and|&) $")


def _coordinated(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A full name joined by "and" to a name already found (Daniel Kim and Priya Natarajan): two
    or three capitalised words, as a person's name is written."""
    out = []
    for a, b in spans:
        after = _AND_AFTER.match(text, b)
        if after is not None and not common_word(after.group(1)):
            out.append(after.span(1))
        before = _AND_BEFORE.search(text[max(0, a - 40) : a])
        if before is not None and not common_word(before.group(1)):
            out.append((max(0, a - 40) + before.start(1), max(0, a - 40) + before.end(1)))
    return out


_NOT_NAME_WORD = re.compile(rf"{_NOT_NAMES}$")


def common_word(value: str) -> bool:
    """A capitalised English word that addresses or names no person (Residents, Team, Excel)."""
    return value in _ROMAN_NOT_NAMES or _NOT_NAME_WORD.match(value) is not None


def _has_known_surname(value: str) -> bool:
    return any(w.capitalize() in ROMAN_SURNAMES for w in value.split())
