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

"A name" there means what the analyser itself tags as a person (名詞-固有名詞-人名) in context:
a run of such tokens, kanji or hiragana (katakana runs are companies as often as people:
トヨタさん), touching the context word. Common words before an honorific (皆様, お客様,
利用者様, 大家さん, 総務課長, 前橋市長) are tagged as common nouns or places and never match; a
famous name with no such context (夏目漱石の作品) is left alone, as are placeholders (〔人名1〕).
Known limit: a famous person written with an honorific (坂本龍馬さん) is masked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.screening.analyser import Tok, tokens
from bot.core.screening.model import KIND_LABELS, Action, Finding
from bot.core.screening.pseudonyms import PseudonymTable
from bot.core.screening.report import display

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
    r"(?:氏名|お名前|名前|担当者名|担当者|申請者名|代表者|記入者|連絡者|届出人|世帯主)[ 　]*[：:][ 　]*$"
)
_LABEL_VALUE = re.compile(r"[^\n、。,，（(「【]{1,20}")
_NAME_SCRIPT = re.compile(r"[\u3400-\u9fff々\u3041-\u3096ー]+")
_CUE = re.compile(
    rf"さん|様|さま|氏|くん|君|ちゃん|殿|先生|{_ROLES}|と申しま|でございます|担当|係の|私|わたくし|名前|申請者|[：:]"
)
"""Every rule needs one of these next to the name: a text without any is not analysed at all."""
_PLACEHOLDER_CHARS = re.compile(r"^[〇○●◯×＿_…・*＊ＸXx□■ 　\-－]+$")
_SPACE = frozenset(" 　")


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
    if _NAME_SCRIPT.search(text) and _CUE.search(text):
        spans += _context_spans(text, tokens(text))
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
    for start, end in _person_runs(toks):
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
    for m in re.finditer(r"[：:][ 　]*", text):
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
        if any(start <= b and e <= end for b, e in person_at):
            spans.append(NameSpan(start, end, "label"))
    return spans


def _without_overlaps(spans: Iterable[NameSpan]) -> list[NameSpan]:
    """Known names first, then longer spans; one span per stretch of text."""
    chosen: list[NameSpan] = []
    for span in sorted(spans, key=lambda s: (s.rule != "known", -(s.end - s.start), s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)
