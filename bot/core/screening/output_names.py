"""Person names in a model's answer: a high-precision rule set of its own (output path only).

The input detector (bot.core.screening.names) is tuned for recall: on what staff type, a missed
name is a leak. Run on answers it garbles ordinary words (the analyser reads 文章 as a given name),
and an answer full of 〔人名〕 where the model wrote 文章 is useless. The model never saw a real
name (its input was masked), so the names in an answer are either ones it invented or ones it
reproduces; only these rules mask them, and each needs strong evidence:

    known     a name of this conversation's pseudonym table written out in full (any length ≥ 2):
              masked with its own placeholder, so only the person who typed it gets it back
    honorific 山田さん / 山田太郎様 / 佐藤氏 / 健太くん / 花子ちゃん / 田中殿 / 鈴木先生
    role      山田課長 / 鈴木係長 (after), 課長の田中 / 係長 佐藤 (before)
    label     氏名：渡辺 健一 / お名前：… / 担当者：…  (the whole value up to the line's end)
    intro     担当の高橋です / 私、伊藤と申します

Names with no cue word but a strong form (the dictionary's 姓/名 tags do the work of a surname list):

    full      姓 + one space + 名: 伊藤 健一, 近藤 さくら, 菅野 優斗, スミス 直美
    division  a name right after a division: a signature line (総務課 庶務係⏎伊藤), a comment's
              author (（市民課 野口）), a self-introduction (総務課の伊藤です)
    label     more labels (担当：, 喪主：, 意見者：, 保護者：, 配偶者：, 子：, 旧姓 …), the division
              before the name left as it is (担当：移住推進課 石田 → 担当：移住推進課 〔人名〕)
    list      every item of a participants line that opens with a name (出席：佐々木係長、中野（記録）)
    child     a hiragana given name before くん/ちゃん (はるとくん), not 赤ちゃん in kana
    foreign   katakana in parts before an honorific (ビシュヌ・グルンさん), hangul before an
              honorific or a bracket (김민준さん)
    latin     romanised names (the input rules' Mr./Dear/sign-off/common-surname cues, reused from
              bot.core.screening.romanised), SURNAME Given after a title, items of Contact:/Attendees:
    reading   the bracket after a masked name: （あんどう としこ）, （ワン・リーファ）
    same      a surname found once, wherever else it stands as a name in the answer

"A name" there means what the analyser itself tags as a person (名詞-固有名詞-人名) in context:
a run of such tokens, kanji or hiragana (katakana runs are companies as often as people:
トヨタさん), touching the context word. Common words before an honorific (皆様, お客様,
利用者様, 大家さん, 総務課長, 前橋市長) are tagged as common nouns or places and never match; a
famous name with no such context (夏目漱石の作品) is left alone, as are placeholders (〔人名1〕).
Not masked even with an honorific: famous people and characters (defaults.PUBLIC_FIGURES: 羽生結弦さん,
のび太くん, まる子ちゃん), the end of a katakana title (クレヨンしんちゃん), a clan in a sentence about
history (戦国時代、今川氏と北条氏が…), a labelled example's specimen (記入例：山田 太郎).
Known limits: a one-kanji surname with no tag and no cue (担当：関) passes; a surname the answer
names before its full name (…の伊藤です … 伊藤 健一) is masked in the final text but may have
been shown earlier while streaming.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.screening.analyser import Tok, can_be_person, tokens
from bot.core.screening.defaults import PUBLIC_FIGURES, words
from bot.core.screening.model import KIND_LABELS, Action, Finding
from bot.core.screening.pseudonyms import PseudonymTable
from bot.core.screening.report import display
from bot.core.screening.romanised import romanised_spans

KIND = "person_name"

_HONORIFIC_AFTER = re.compile(r"(?:さん|様|さま|氏|くん|君|ちゃん|殿|先生)")
_ROLES = (
    "課長補佐|課長代理|課長|係長|部長|次長|室長|所長|館長|園長|校長|教頭|主査|主任|主幹|主事|班長|参事|局長|"
    "センター長|事務局長|補佐"
)
_ROLE_AFTER = re.compile(rf"[ 　]?(?:{_ROLES})")
_ROLE_BEFORE = re.compile(rf"(?:{_ROLES})(?:の|[ 　、]) ?$")
_INTRO_BEFORE = re.compile(r"(?:担当(?:者)?の|係の|私、|わたくし、|私は|わたくしは|名前は|申請者の) ?$")
_INTRO_AFTER = re.compile(r"(?:と申します|と申しま|でございます)")
_LABEL_BEFORE = re.compile(
    r"(?:氏名|お名前|名前|担当者名|担当者|担当|申請者名|申請者|代表者|記入者|連絡者|届出人|世帯主|配偶者|保護者|喪主|施主"
    r"|意見者|発言者|相談者|報告者|提案者|作成者|差出人|宛名|講師|司会|通報者|依頼者|契約者|名義人"
    r"|(?<=[・\n 　])子)"
    r"[ 　]*[：:][ 　]*$|旧姓[ 　]*$"
)
_LABEL_VALUE = re.compile(r"[^\n、。,，（(）)「」【]{1,20}")
_NAME_SCRIPT = re.compile(r"[\u3400-\u9fff々\u3041-\u3096ー]+")
_CUE = re.compile(
    rf"さん|様|さま|氏|くん|君|ちゃん|殿|先生|{_ROLES}|と申しま|でございます|担当|係の|私|わたくし|名前|申請者|[：:]"
)
"""Every rule needs one of these next to the name: a text without any is not analysed at all."""
_PLACEHOLDER_CHARS = re.compile(r"^[〇○●◯×＿_…・*＊ＸXx□■ 　\-－]+$")
_SPACE = frozenset(" 　")
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]+")


@dataclass(frozen=True)
class NameSpan:
    """A name the rules found: offsets into the answer and the rule that found it."""

    start: int
    end: int
    rule: str
    placeholder: str | None = None


def private_names(table: PseudonymTable | None) -> dict[str, str]:
    """The person names of a conversation's pseudonym table: value → its placeholder."""
    if table is None or not len(table):
        return {}
    data = json.loads(table.to_json())
    return {
        str(e["value"]): str(e["placeholder"])
        for e in data.get("entries", [])
        if e.get("kind") == KIND and len(str(e.get("value", "")).strip()) >= 2
    }


def find_names(text: str, known: Mapping[str, str] | None = None) -> list[NameSpan]:
    """Every name the rules find in `text`, without overlaps, in text order."""
    spans = _known_spans(text, known or {})
    found: list[NameSpan] = []
    toks: list[Tok] = []
    if _NAME_SCRIPT.search(text) and (
        _CUE.search(text) or _FULL_NAME_HINT.search(text) or _DIVISION_HINT.search(text)
    ):
        toks = tokens(text)
        found += _context_spans(text, toks)
        full, weak = _full_name_spans(text, toks)
        found += full + _division_spans(text, toks) + _list_spans(text, toks)
        found += _kana_child_spans(text)
        found += _list_siblings(text, weak, found)
    if _FOREIGN_HINT.search(text):
        found += _foreign_spans(text)
    if _LATIN_HINT.search(text):
        found += _latin_spans(text)
    found = [s for s in found if not _is_public(text, s)]
    if found:
        found += _same_names(text, toks, found)
    spans += found
    spans += _readings(text, _without_overlaps(spans))
    return _without_overlaps(spans)


def name_findings(text: str, known: Mapping[str, str] | None = None) -> list[Finding]:
    """`find_names` as mask-class findings (placeholder: the table's own for known names)."""
    return [
        Finding(
            kind=KIND,
            start=s.start,
            end=s.end,
            action=Action.MASK,
            category="personal",
            label=KIND_LABELS[KIND],
            display=display(KIND, text[s.start : s.end]),
            placeholder=s.placeholder,
        )
        for s in find_names(text, known)
    ]


def _known_spans(text: str, known: Mapping[str, str]) -> list[NameSpan]:
    spans = []
    for value, placeholder in sorted(known.items(), key=lambda kv: -len(kv[0])):
        for variant in _variants(value):
            for m in re.finditer(re.escape(variant), text):
                spans.append(NameSpan(m.start(), m.end(), "known", placeholder))
    return spans


def _variants(value: str) -> set[str]:
    """The name as typed, and without the space between surname and given name (or with one)."""
    plain = value.strip()
    joined = "".join(plain.split())
    out = {plain, joined}
    if " " not in plain and "　" not in plain:
        return {v for v in out if len(v) >= 2}
    out.add(plain.replace("　", " "))
    out.add(plain.replace(" ", "　"))
    return {v for v in out if len(v) >= 2}


def _context_spans(text: str, toks: list[Tok]) -> list[NameSpan]:
    spans = []
    ends = {t.end: t for t in toks}
    for start, end in _person_runs(toks):
        before = ends.get(start)
        if before is not None and _KATAKANA_WORD.fullmatch(before.surface) and not before.person:
            continue  # the end of a title or a compound (クレヨンしんちゃん), not a name on its own
        rule = _context(text, start, end)
        if rule:
            spans.append(NameSpan(start, end, rule))
    spans += _label_spans(text, toks)
    return spans


def _person_runs(toks: list[Tok]) -> list[tuple[int, int]]:
    """Runs of adjacent person tokens in kanji or hiragana (a space may join surname and given name)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if not _personal(toks[i]):
            i += 1
            continue
        start, end, j = toks[i].begin, toks[i].end, i + 1
        while j < len(toks):
            tok = toks[j]
            if _personal(tok) and tok.begin == end:
                end, j = tok.end, j + 1
            elif tok.surface in _SPACE and j + 1 < len(toks) and _personal(toks[j + 1]):
                end, j = toks[j + 1].end, j + 2
            else:
                break
        runs.append((start, end))
        i = j
    return runs


def _personal(tok: Tok) -> bool:
    return tok.person and bool(_NAME_SCRIPT.fullmatch(tok.surface)) and len(tok.surface) <= 4


def _context(text: str, start: int, end: int) -> str:
    """The rule whose context surrounds text[start:end], or ''."""
    after, before = text[end : end + 12], text[max(0, start - 12) : start]
    if _HONORIFIC_AFTER.match(after):
        return "honorific"
    if _ROLE_AFTER.match(after) or _ROLE_BEFORE.search(before):
        return "role"
    if _INTRO_AFTER.match(after) or _INTRO_BEFORE.search(before):
        return "intro"
    return ""


def _label_spans(text: str, toks: list[Tok]) -> list[NameSpan]:
    """氏名：… — the value up to the line's end, when the analyser tags a person in it."""
    spans = []
    person_at = [(t.begin, t.end) for t in toks if t.person]
    for m in re.finditer(r"[：:][ 　]*|(?<=旧姓)[ 　]*", text):
        if not _LABEL_BEFORE.search(text[max(0, m.start() - 12) : m.end()]):
            continue
        value = _LABEL_VALUE.match(text, m.end())
        if value is None:
            continue
        raw = value.group(0)
        stripped = raw.rstrip(" 　")
        start, end = value.start(), value.start() + len(stripped)
        if not stripped or _PLACEHOLDER_CHARS.match(stripped):
            continue
        inside = [b for b, e in person_at if start <= b and e <= end]
        if inside:
            # a division or a title before the name (担当：移住定住推進課 石田) stays
            first = inside[0]
            if first > start and text[first - 1] in _SPACE:
                start = first
            spans.append(NameSpan(start, end, "label"))
            continue
        # a surname the dictionary files as a place (担当：菅原): the value's last word, if it can be a name
        last = re.split(r"[ 　]+", stripped)[-1]
        if (
            len(stripped.split()) <= 3
            and re.fullmatch(r"[\u3400-\u9fff々]{2,4}", last)
            and can_be_person(last)
        ):
            spans.append(NameSpan(end - len(last), end, "label"))
    return spans


# ---- names with no cue word but a strong form (issue 11, answers) ------------------------------

_SPACE_CHARS = " 　"
_GIVEN_END = re.compile(
    r"(?:$|[\s、。，,．.）)（(「」『』【】・:：/／;；]|さん|様|さま|氏|君|くん|ちゃん|殿|先生|です|でした|が|は|の|と|に|を|も|へ"
    r"|より|から|まで|宛|[0-9０-９])"
)
_HIRAGANA = re.compile(r"[\u3041-\u3096ー]+")
_KANJI_RUN = re.compile(r"[\u3400-\u9fff々]+")
_FULL_NAME_HINT = re.compile(
    r"[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa][ 　][\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa]"
)


def _full_name_spans(text: str, toks: list[Tok]) -> tuple[list[NameSpan], list[NameSpan]]:
    """姓 + one space + 名 (伊藤 健一, 近藤 さくら, 菅野 優斗, スミス 直美): the dictionary's surname
    tag on one side and a given name (its tag, or a hiragana name after a tagged surname) on the
    other. Also the weaker ones (a tagged surname, a given name the dictionary reads as a common
    word: 佐野 大地) that count only as items of a list with a name in it."""
    spans, weak = [], []
    for i in range(len(toks) - 2):
        first, gap = toks[i], toks[i + 1]
        if gap.surface not in (" ", "　") or not _surname_like(first):
            continue
        given = _given_after(text, toks, i + 2)
        if given is None:
            continue
        g_start, g_end, tagged = given
        proper = toks[i + 2].pos1 == "固有名詞"
        if _is_full_name(text, first, text[g_start:g_end], tagged=tagged, end=g_end, proper=proper):
            spans.append(NameSpan(first.begin, g_end, "full"))
        elif first.pos3 == "姓" and _LIST_END.match(text, g_end) and _LIST_START.search(text, 0, first.begin):
            weak.append(NameSpan(first.begin, g_end, "list"))
    return spans, weak


_LIST_END = re.compile(r"[ 　]?(?:$|\n|[、，,])")
_LIST_START = re.compile(r"(?:^|[\n、，,：:]|[\n・] ?)[ 　]?$")


def _list_siblings(text: str, weak: list[NameSpan], found: list[NameSpan]) -> list[NameSpan]:
    """Weak full names on a line that lists names (合格：佐野 大地、宮本 葵、北村 拓海)."""
    out = []
    for w in weak:
        line_start = text.rfind("\n", 0, w.start) + 1
        line_end = text.find("\n", w.end)
        line_end = len(text) if line_end < 0 else line_end
        if any(
            line_start <= f.start and f.end <= line_end and f.rule in ("full", "list", "label") for f in found
        ):
            out.append(w)
    return out


def _is_full_name(text: str, first: Tok, given: str, *, tagged: bool, end: int, proper: bool) -> bool:
    """Tagged surname + a given name (tagged, a proper noun the dictionary knows as a name, or
    hiragana); a tagged given name after a person word; both merely possible names only before an
    honorific. A one-kanji given name needs a hard end after it (松本 城の天守 is a castle), and a
    space before a particle means the line is written with spaces between words (森 林 の整備)."""
    if _SPACED_PARTICLE.match(text, end):
        return False
    if len(given) == 1 and not _HARD_END.match(text, end):
        return False
    if first.pos3 == "姓" and (tagged or (proper and can_be_person(given)) or _HIRAGANA.fullmatch(given)):
        return True
    if tagged and first.person:
        return True
    after = end + (text[end : end + 1] in _SPACE)
    return (
        (tagged or can_be_person(given))
        and can_be_person(first.surface)
        and _HONORIFIC_AFTER.match(text, after) is not None
    )


def _surname_like(tok: Tok) -> bool:
    if not (1 <= len(tok.surface) <= 4):
        return False
    if _KANJI_RUN.fullmatch(tok.surface):
        return tok.pos3 == "姓" or can_be_person(tok.surface)
    # a katakana surname (スミス) or a hiragana reading (あんどう) only with the dictionary's tag
    return tok.person and bool(re.fullmatch(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]{2,8}", tok.surface))


def _given_after(text: str, toks: list[Tok], k: int) -> tuple[int, int, bool] | None:
    """The given name starting at token k: name-script tokens up to 4 characters, then a boundary."""
    if k >= len(toks):
        return None
    start, end, tagged, j = toks[k].begin, toks[k].begin, False, k
    while j < len(toks) and toks[j].begin == end and _NAME_SCRIPT_ALL.fullmatch(toks[j].surface):
        if j > k and (
            toks[j].pos1 in _PARTICLES
            or toks[j].surface in _HONORIFIC_WORDS
            or (toks[j].pos2 != "人名" and len(toks[j].surface) > 1)
        ):
            break
        tagged = tagged or (
            toks[j].pos2 == "人名" and (toks[j].pos3 == "名" or (j == k and toks[j].pos3 != "姓"))
        )
        end, j = toks[j].end, j + 1
        if end - start > 5:
            return None
    if end == start or end - start > 5 or not _GIVEN_END.match(text, end):
        return None
    return start, end, tagged


_SPACED_PARTICLE = re.compile(r"[ 　]+(?:の|は|が|を|に|で|と|へ|も|や|から|まで|より)(?![\u3041-\u3096])")
_HARD_END = re.compile(
    r"[ 　]?(?:$|\n|[、。，,（(）)「」]|さん|様|さま|氏|君|くん|ちゃん|殿|先生|" + _ROLES + ")"
)
_NAME_SCRIPT_ALL = re.compile(r"[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]+")
_PARTICLES = frozenset(("格助詞", "係助詞", "副助詞", "接続助詞", "終助詞", "準体助詞"))
_HONORIFIC_WORDS = frozenset(("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿", "先生"))

_DIVISION = r"(?:課|係|室|班|局|部|センター|事務所|支所|グループ|チーム|委員会)"
_DIVISION_BEFORE = re.compile(rf"{_DIVISION}(?:[ 　]+|[ 　]*\n)$")
_DIVISION_INTRO_BEFORE = re.compile(rf"{_DIVISION}の$")
_DIVISION_INTRO_AFTER = re.compile(r"(?:です|でございます|と申します|が担当|から|より)")
_LINE_END_AFTER = re.compile(r"[ 　]*(?:$|\n|[）)、。,，（(]|です|まで|より|から|が担当|宛)")


def _division_spans(text: str, toks: list[Tok]) -> list[NameSpan]:
    """A name right after a division: a signature (総務課 庶務係\\n伊藤), a comment's author
    (（市民課 野口）), a self-introduction (総務課の伊藤です)."""
    spans = []
    for start, end in _person_runs(toks):
        before = text[max(0, start - 16) : start]
        if _DIVISION_BEFORE.search(before) and _LINE_END_AFTER.match(text, end):
            spans.append(NameSpan(start, end, "division"))
        elif _DIVISION_INTRO_BEFORE.search(before) and _DIVISION_INTRO_AFTER.match(text, end):
            spans.append(NameSpan(start, end, "intro"))
    return spans


_LIST_LABEL = re.compile(
    r"(?:出席者|出席|参加者|欠席者|欠席|同席者|同席|委員|メンバー|構成員|立会人|名簿)"
    r"[ 　]*[：:][ 　]*([^\n]{1,300})"
)


def _list_spans(text: str, toks: list[Tok]) -> list[NameSpan]:
    """出席：佐々木係長、山下主任、中野（記録）: every item of a participants line that opens with a name."""
    spans = []
    by_begin = {t.begin: n for n, t in enumerate(toks)}
    for m in _LIST_LABEL.finditer(text):
        pos = m.start(1)
        for item in re.split(r"([、，,])", m.group(1)):
            lead = len(item) - len(item.lstrip(" 　"))
            k = by_begin.get(pos + lead)
            if k is not None and _personal(toks[k]):
                end = toks[k].end
                nxt = k + 1
                if nxt + 1 < len(toks) and toks[nxt].surface in _SPACE and _personal(toks[nxt + 1]):
                    end = toks[nxt + 1].end
                elif nxt < len(toks) and _personal(toks[nxt]) and toks[nxt].begin == end:
                    end = toks[nxt].end
                spans.append(NameSpan(pos + lead, end, "list"))
            pos += len(item)
    return spans


_KANA_CHILD = re.compile(
    r"(?:(?<=^)|(?<=[\s、。・「（(：:」]))(?!お)([\u3041-\u3096]{2,4})(?=(?:くん|ちゃん)(?!ぽん|こ|[\u30a1-\u30fa]))",
    re.MULTILINE,
)
_NOT_KANA_CHILD = frozenset(
    (
        "あか",
        "みんな",
        "わたし",
        "ぼく",
        "あたし",
        "じい",
        "ばあ",
        "にい",
        "ねえ",
        "ねこ",
        "いぬ",
        "くま",
        "うさ",
    )
)


def _kana_child_spans(text: str) -> list[NameSpan]:
    """A child by a hiragana given name: はるとくん, ひなたちゃん (not 赤ちゃん written in kana)."""
    return [
        NameSpan(*m.span(1), "child") for m in _KANA_CHILD.finditer(text) if m.group(1) not in _NOT_KANA_CHILD
    ]


_KATAKANA_JOINED = re.compile(
    r"(?<![\u30a1-\u30fa\u30fc・])[\u30a1-\u30fa\u30fc]{2,}(?:[・=＝][\u30a1-\u30fa\u30fc]{2,})+"
    r"(?=[ 　]?(?:さん|様|さま|氏|くん|ちゃん|殿|先生))"
)
_HANGUL_NAME = re.compile(
    r"(?<![\uac00-\ud7a3])[\uac00-\ud7a3]{2,4}(?: [\uac00-\ud7a3]{1,3})?(?![\uac00-\ud7a3])"
    r"(?=[ 　]?(?:さん|様|さま|氏|くん|ちゃん|殿|先生|씨|님|[（(]))"
)


def _foreign_spans(text: str) -> list[NameSpan]:
    """ビシュヌ・グルンさん (katakana in parts, with an honorific), 김민준さん, 김민준（キム・ミンジュン）."""
    spans = [NameSpan(*m.span(), "foreign") for m in _KATAKANA_JOINED.finditer(text)]
    return spans + [NameSpan(*m.span(), "foreign") for m in _HANGUL_NAME.finditer(text)]


_LATIN_NAME = r"(?:[A-Z][a-z'’\-]+|[A-Z]{2,})(?: (?:[A-Z][a-z'’\-]+|[A-Z]{2,})){1,2}"
_LATIN_TITLE = re.compile(
    r"\b(?:Mr|Ms|Mrs|Miss|Mx|Dr|Prof)\.? ([A-Z]{2,}(?: [A-Z][a-z]+){0,2}|[A-Z][a-z]+ [A-Z]{2,})"
)
_LATIN_LABEL = re.compile(
    r"(?i:contact(?: person)?|attendees|participants|members|prepared by|speakers?|presenters?|tutors?|"
    r"instructors?|lecturers?|chair(?:person)?|applicant|name|from|to) ?: ?([^\n]{1,300})"
)
_LATIN_ITEM = re.compile(rf"^ ?(?:(?:Mr|Ms|Mrs|Miss|Mx|Dr|Prof)\.? )?({_LATIN_NAME})(?= ?(?:$|\())")
_NOT_LATIN_NAME_WORDS = frozenset(
    words(
        "Park Center Centre City Hall Station Street Avenue Road Museum Library Hotel University "
        "School Hospital Prefecture Office Division Section Department Bank Company Inc Corporation "
        "Bridge Port Line Lake River Mountain Temple Shrine Castle International Government Ministry "
        "Agency Association Council Committee Group Team Forum Festival Project Program Programme "
        "Plan Service Services Japan Japanese English"
    )
)


def _latin_spans(text: str) -> list[NameSpan]:
    """Romanised names in an answer: the input rules' cues (Mr./Dear/sign-offs, a common surname
    among capitalised words), SURNAME Given, and the items of a Contact:/Attendees: line."""
    found = list(romanised_spans(text))
    found += [m.span(1) for m in _LATIN_TITLE.finditer(text)]
    for m in _LATIN_LABEL.finditer(text):
        pos = m.start(1)
        for item in re.split(r"(,|;| and )", m.group(1)):
            hit = _LATIN_ITEM.match(item)
            if hit is not None:
                found.append((pos + hit.start(1), pos + hit.end(1)))
            pos += len(item)
    out = []
    for a, b in found:
        value = text[a:b]
        if set(value.replace("-", " ").split()) & _NOT_LATIN_NAME_WORDS or value in PUBLIC_FIGURES:
            continue
        out.append(NameSpan(a, b, "latin"))
    return out


_READING_AFTER = re.compile(
    r"(?:[ 　]?(?:さん|様|さま|氏|くん|ちゃん))?[ 　]?[（(]"
    r"([\u3041-\u3096\u30a1-\u30fa\u30fc・＝= 　]{2,24}|[\uac00-\ud7a3 ]{2,12}"
    r"|[A-Za-z][A-Za-z ,.\-]{1,40})[）)]"
)


def _readings(text: str, spans: list[NameSpan]) -> list[NameSpan]:
    """A masked name's reading or other spelling in brackets: 安藤 トシ子（あんどう としこ）."""
    out = []
    for s in spans:
        m = _READING_AFTER.match(text, s.end)
        if m is not None and not (s.rule == "latin" and re.match(r"[A-Za-z]", m.group(1))):
            out.append(NameSpan(*m.span(1), "reading", s.placeholder))
    return out


def _same_names(text: str, toks: list[Tok], spans: list[NameSpan]) -> list[NameSpan]:
    """A surname (or a child's name, a romanised surname) found once is masked wherever it stands
    as a name in the same answer (伊藤 健一 … 総務課の伊藤です; Mr. Becker … Becker proposed)."""
    names: set[str] = set()
    latin: set[str] = set()
    for s in spans:
        if s.rule in ("known", "reading"):
            continue
        value = text[s.start : s.end]
        if re.search(r"[A-Za-z]", value):
            latin |= {w for w in value.split() if len(w) >= 3 and w[0].isupper()}
            continue
        head = re.split(r"[ 　・]", value)[0]
        if len(head) >= 2:
            names.add(head)
    out = []
    for n, t in enumerate(toks):
        if t.surface not in names:
            continue
        nxt = toks[n + 1] if n + 1 < len(toks) else None
        if nxt is not None and nxt.begin == t.end and nxt.person:
            continue  # part of another full name written without a space (夏目漱石 after 夏目 里香)
        prev = toks[n - 1] if n else None
        glued = prev is not None and prev.end == t.begin and _NAME_SCRIPT_ALL.fullmatch(prev.surface[-1])
        standalone = _GIVEN_END.match(text, t.end) or _ROLE_AFTER.match(text, t.end)
        if not (t.person or _HIRAGANA.fullmatch(t.surface)) and (glued or not standalone):
            continue  # the dictionary reads it as a place here: only where it stands as a name (岡本先生)
        out.append(NameSpan(t.begin, t.end, "same"))
    if latin:
        pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in sorted(latin, key=len, reverse=True)) + r")\b", re.I
        )
        out += [NameSpan(*m.span(), "same") for m in pattern.finditer(text)]
    return out


# ---- what is not a private person ---------------------------------------------------------------

_PUBLIC = frozenset("".join(n.split()) for n in PUBLIC_FIGURES)
_HISTORICAL = re.compile(
    r"戦国|幕府|藩主|藩|大名|武将|一族|家臣|合戦|城主|朝廷|将軍|守護|氏族|末裔|子孫|家紋|史実|故事|逸話|時代|天下|領地|領主"
)
_SENTENCE = re.compile(r"[^。\n]*")
_SPECIMEN_LINE = re.compile(
    r"(?:記入例|見本|サンプル|ダミー|架空|仮名の|例示|(?i:sample|dummy|example))(?![\u30a1-\u30fa\u3400-\u9fff])"
)
_SPECIMEN_NEAR = re.compile(r"例[）)：:】]|[の な]例|例えば|たとえば|記載例|入力例")
_SPECIMEN_FORM = re.compile(
    r"(?:太郎|花子|一郎|次郎|はなこ|たろう|ハナコ|タロウ)$|^(?:山田|見本|日本|市役所)|(?i:taro|hanako|doe)"
)


def _is_public(text: str, span: NameSpan) -> bool:
    """A famous person or character (羽生結弦さん, まる子ちゃん, のび太くん), a clan (今川氏 in a
    sentence about history), or a labelled example's specimen name (記入例：山田太郎)."""
    value = "".join(text[span.start : span.end].split())
    if value in _PUBLIC:
        return True
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if span.rule == "honorific" and text.startswith("氏", span.end):
        sentence_start = max(text.rfind("。", 0, span.start), text.rfind("\n", 0, span.start)) + 1
        sentence = _SENTENCE.match(text, sentence_start).group(0)  # type: ignore[union-attr]
        if _HISTORICAL.search(sentence) and not _GIVEN_TAIL.search(value):
            return True
    if span.rule == "full":
        sentence_start = max(text.rfind("。", 0, span.start), text.rfind("\n", 0, span.start)) + 1
        if _FAMOUS_SUBJECT.search(_SENTENCE.match(text, sentence_start).group(0)):  # type: ignore[union-attr]
            return True
    if _SPECIMEN_LINE.search(line):
        return True
    context = text[max(0, line_start - 80) : line_start] + line
    specimen_cue = _SPECIMEN_NEAR.search(context) or _SPECIMEN_LINE.search(context)
    return bool(specimen_cue and _SPECIMEN_FORM.search(value))


_FAMOUS_SUBJECT = re.compile(
    r"として知られ|で知られ|知られてい|と呼ばれ|有名な|名高い|小説|作品|和歌|俳句|短歌|詩集|作家|詩人|歌人|俳人|画家"
    r"|政治家|財政家|武将|偉人|文豪|歴史上|生涯|記念館|生誕|没後|銅像|肖像"
)
"""A sentence about a famous person (高橋 是清は…として知られています): a full name there is a subject."""


_GIVEN_TAIL = re.compile(r"[ 　]")


def _without_overlaps(spans: Iterable[NameSpan]) -> list[NameSpan]:
    """Known names first, then longer spans; one span per stretch of text."""
    chosen: list[NameSpan] = []
    for span in sorted(spans, key=lambda s: (s.rule != "known", -(s.end - s.start), s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


_DIVISION_HINT = re.compile(rf"{_DIVISION}(?:[ 　]|\n|の)")
_FOREIGN_HINT = re.compile(r"[\uac00-\ud7a3]|[\u30a1-\u30fa\u30fc]・[\u30a1-\u30fa]")
_LATIN_HINT = re.compile(r"[A-Z][A-Za-z]+ [A-Z]|\b(?:Mr|Ms|Mrs|Dr|Prof)\b|[A-Z][a-z]+ ?(?:さん|様)")
