"""What a question asks, for deciding whether a passage answers it (not for ranking).

Coverage (index.covered) says how much of the question's vocabulary a passage shares. Four things
it cannot see decide, on top of it, whether the passage is worth giving the model:

    kind of question     a work request (作って, 訳して, 直して, 下書きして …, or 「…」ってどういう意味)
                         needs no rule unless it names one: its words are mostly the material to
                         work on, so a passage must cover the question strongly (REQUEST_COVERAGE),
                         and quoted material (「…」『…』, the text to translate or rewrite) is not
                         the question: a passage must also answer the request's own words (`unquoted`)
    kind of answer       何日 / 何か月 / 何年 / 何時間 ask for a length of time in that unit, いくら /
                         金額 for an amount, いつ for a time, 何回 / 何社 … for a count, 何% / 何割 for
                         a share: a passage that states no such thing does not answer, whatever
                         words it shares
    topic                the noun phrase the question is about (the one before は / って / とは / も,
                         with its の-modifiers, or the clause before には / では / でも: Analyzer.topic);
                         when it holds a word the documents never use (neither
                         the word, nor a synonym, nor its multi-character parts), the documents are
                         probably not about it, and a passage must cover the question strongly
                         (UNFAMILIAR_COVERAGE) to count
    focus                a compound the topic names (管理職手当, 育児休業: Analyzer.focus) is one thing
                         among its kind: a passage must name it whole, or have every word before its
                         head and, with the head, in one sentence (Asked.names_focus) — a 住居手当
                         rule shares 手当 with 管理職手当 but says nothing about it

The patterns are Japanese grammar (request forms, counters, interrogatives), not any corpus's words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass

from bot.core.knowledge.analysis import Focus, Unit

REQUEST_COVERAGE = 0.6
UNFAMILIAR_COVERAGE = 0.45
TOPIC_SHARE = 0.5
WEAK_TOPIC_COVERAGE = 0.35

_NUM = r"[0-9〇一二三四五六七八九十百千万]"
_REQUEST = re.compile(
    r"(作って|作成して|書いて|下書きして|訳して|翻訳して|英訳して|和訳して|直して|書き換えて|言い換えて"
    r"|まとめて|要約して|添削して|考えて|整えて|清書して|にして)"
    r"(ください|下さい|ほしい|欲しい|くれ|もらえ|いただけ|頂け|\s*$|[。？！?!])"
)
_MEANING = re.compile(r"[「『][^」』]+[」』].{0,6}(って|とは|は).{0,6}意味")
_TIME_UNITS = {
    "日": "日",
    "年": "年",
    "時間": "時間",
    "週": "週",
    "分": "分",
    "月": "(?:箇月|か月|ヶ月|カ月|月)",
    "か月": "(?:箇月|か月|ヶ月|カ月|月)",
    "ヶ月": "(?:箇月|か月|ヶ月|カ月|月)",
    "カ月": "(?:箇月|か月|ヶ月|カ月|月)",
    "箇月": "(?:箇月|か月|ヶ月|カ月|月)",
}
_COUNTERS = (
    "回",
    "度",
    "人",
    "名",
    "社",
    "者",
    "件",
    "通",
    "枚",
    "部",
    "文字",
    "字",
    "歳",
    "円",
    "台",
    "点",
    "ミリ",
    "センチ",
    "キロ",
    "メートル",
)
_NANI = re.compile("何\\s*(" + "|".join(sorted([*_TIME_UNITS, *_COUNTERS], key=len, reverse=True)) + ")")
_RATE_Q = re.compile(r"何\s*(?:%|パーセント|割|分の)")
_RATE = re.compile(_NUM + r"\s*(?:%|パーセント|割)|分の\s*" + _NUM + r"|半額|半分|全額")
_AMOUNT_Q = re.compile(r"いくら|幾ら|金額|単価|何円|何万")
_AMOUNT = re.compile(_NUM + r"\s*(?:円|割|%|パーセント)|額|実費|無料|無償|徴収しない|負担しない|支給しない")
_WHEN_Q = re.compile(r"いつ(?!も)")
_WHEN = re.compile(
    _NUM + r"\s*(?:日|月|年|時|週|箇月|か月|ヶ月|カ月)|以内|以前|日前|翌|毎月|毎年|期限|まで|末日"
    r"|直ちに|速やかに|遅滞なく|当日|前日|同日|即日|随時|前に|後に|から"
)
_STRUCTURE = re.compile(
    r"(?m)第\s*" + _NUM + r"+\s*(?:条|項|号|章|節|款)|^\s*[(（]?\s*" + _NUM + r"+\s*[)）]?[\s　.．、]"
)  # 第3条, a paragraph's leading 2 or (1): numbering, not a figure the passage states


@dataclass(frozen=True)
class Asked:
    """What one question asks (see the module docstring)."""

    request: bool = False
    time_units: tuple[str, ...] = ()  # regex of each unit a 何X question asks for (日, 年 …)
    count: bool = False
    rate: bool = False  # 何% / 何パーセント / 何割 / 何分の: a share (3割, 100分の4, 半額)
    amount: bool = False
    when: bool = False
    unfamiliar: bool = False  # the topic holds a word the documents never use
    focus: tuple[Focus, ...] = ()  # the compounds the question asks about (Analyzer.focus)
    topic: tuple[Unit, ...] = ()  # the topic phrase's words (Analyzer.topic), for topic_share
    idf: tuple[tuple[str, float], ...] = ()  # IDF of the topic's terms in these documents (index.weights)

    def floor_for(self, topic_share: float) -> float:
        """The coverage a passage needs beyond the general threshold: `floor`, and
        WEAK_TOPIC_COVERAGE when the passage holds less than TOPIC_SHARE of the topic phrase (its
        `topic_share`, by index.covered) — the words it shares are then the question's
        circumstances, not what it asks about."""
        weak = WEAK_TOPIC_COVERAGE if self.topic and topic_share < TOPIC_SHARE else 0.0
        return max(self.floor, weak)

    def names_focus(
        self, terms: Collection[str], text: str, analyse: Callable[[str], Collection[str]] | None = None
    ) -> bool:
        """Whether a passage (its index terms; its text with title and headings) names each compound
        the question asks about (Analyzer.focus), not another of its kind: the compound whole (the
        word, a synonym of all of it, its words written together), or every word before its head
        (管理職 of 管理職手当: a 住居手当 rule has only the head) and, when the head is there too, all
        of them in one sentence — the words apart say something else. A head put otherwise (添付資料
        as 添付するファイル) is no sign either way. Without `analyse` (text → its index terms) the
        sentence is not checked."""
        flat = unicodedata.normalize("NFKC", text)
        sentences: list[Collection[str]] | None = None
        for f in self.focus:
            if any(g in terms for g in f.groups) or "".join(f.words) in terms or f.surface in flat:
                continue
            *before, head = f.elements
            if not all(e.in_terms(terms) for e in before):
                return False  # another of its kind (住居手当 for 管理職手当), or not about it at all
            if not head.in_terms(terms) or analyse is None:
                continue
            if sentences is None:
                sentences = [analyse(s) for s in _SENTENCE.split(flat) if s.strip()]
            if not any(all(e.in_terms(s) for e in f.elements) for s in sentences):
                return False
        return True

    def answered_by(self, text: str) -> bool:
        """Whether `text` states the kind of fact asked (any, for a question that asks none)."""
        if not (self.time_units or self.count or self.rate or self.amount or self.when):
            return True
        body = _STRUCTURE.sub(" ", unicodedata.normalize("NFKC", text))
        if any(not re.search(_NUM + r"\s*" + unit, body) for unit in self.time_units):
            return False
        if self.count and not re.search(_NUM, body):
            return False
        if self.rate and not _RATE.search(body):
            return False
        if self.amount and not _AMOUNT.search(body):
            return False
        return not (self.when and not _WHEN.search(body))

    @property
    def floor(self) -> float:
        """The coverage a passage needs beyond the general threshold (0 when nothing is in doubt)."""
        return max(REQUEST_COVERAGE if self.request else 0.0, UNFAMILIAR_COVERAGE if self.unfamiliar else 0.0)


_SENTENCE = re.compile(r"(?<=[。\n])")


_QUOTED = re.compile(r"「[^」]*」|『[^』]*』")


def unquoted(text: str) -> str:
    """`text` without its quoted material."""
    return _QUOTED.sub(" ", text)


def asked(
    question: str,
    *,
    unfamiliar: bool = False,
    focus: tuple[Focus, ...] = (),
    topic: tuple[Unit, ...] = (),
    idf: tuple[tuple[str, float], ...] = (),
) -> Asked:
    """The kind of question and answer of `question`; whether its topic is unfamiliar is the index's
    to say (LocalIndex.asked), from the documents' vocabulary."""
    text = unicodedata.normalize("NFKC", question)
    units: list[str] = []
    count = False
    for m in _NANI.finditer(text):
        if m.group(1) in _TIME_UNITS:
            units.append(_TIME_UNITS[m.group(1)])
        else:
            count = True
    return Asked(
        request=bool(_REQUEST.search(text) or _MEANING.search(text)),
        time_units=tuple(dict.fromkeys(units)),
        count=count,
        rate=bool(_RATE_Q.search(text)),
        amount=bool(_AMOUNT_Q.search(text)),
        when=bool(_WHEN_Q.search(text)),
        unfamiliar=unfamiliar,
        focus=focus,
        topic=topic,
        idf=idf,
    )
