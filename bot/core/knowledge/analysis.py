"""Search terms: Sudachi-normalised content words, plus synonym-group terms on both sides.

    text ─ NFKC ─ Sudachi (mode C) ─ content words ─ normalised form (使え→使う, 引越し→引っ越し)
                                    └ compounds also add their mode-A parts (年次有給休暇 → 年次 有給 休暇)
         ─ synonym groups: any run of terms that spells a member of a group (グリーン車; 特別 車両 料金)
           adds the group's term `s<N>`, in the passages when they are indexed and in the query

Adding the group term on both sides is query expansion that costs one term per query word: a passage
that uses the question's own word matches twice (the word and its group), one that uses a synonym
matches once, so exact wording still ranks first. `Analyzer(synonyms=False, normalise=False)` turns
the two expansions off for the benchmark's ablation.

The synonym dictionary is data (`synonyms.txt`, one group per line, comma-separated, `#` comments):
general municipal vocabulary, not tuned to any one question.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sudachipy import Morpheme, SplitMode, Tokenizer

from bot.core.screening.analyser import load_analyser

_KEEP_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "接尾辞"})
_NOUNS = frozenset({"名詞", "接尾辞"})  # 数詞 (numerals) weigh like verbs: they qualify, rarely name
_DROP_POS1 = frozenset({"非自立可能", "代名詞"})
_STOPWORDS = """
為る 有る 居る 成る 出来る 言う 思う 教える 知る 分かる 下さる 頂く 貰う 呉れる 見る 良い 無い
事 物 為 様 所 方 件 等 際 上 中 次 場合 時 今 其の これ それ どう 何 どの 誰 的 さん
幾ら 幾つ 何時 何処 如何 自分 大丈夫 構う 駄目 欲しい 宜しい 結構 ちゃんと やはり 本当 一体 具体
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_TOPIC_PARTICLES = frozenset({"は", "って", "とは", "も"})
_CASE = frozenset({"に", "で", "と", "から", "まで"})
_FTS_UNSAFE = re.compile(r"[\"*^:(){}\[\]\\+\-]")
_LOCAL = threading.local()


def _tokenizer() -> Tokenizer:
    tokenizer: Tokenizer | None = getattr(_LOCAL, "knowledge_tokenizer", None)
    if tokenizer is None:
        tokenizer = load_analyser().tokenizer(mode=SplitMode.C)
        _LOCAL.knowledge_tokenizer = tokenizer
    return tokenizer


@dataclass(frozen=True)
class SynonymGroups:
    """Groups of words that mean the same thing here; each member as a tuple of terms."""

    members: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)  # first term → seqs
    count: int = 0

    @classmethod
    def parse(cls, text: str, analyze: Analyzer) -> SynonymGroups:
        """Read `word, word, …` lines; every member is analysed like document text."""
        members: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        count = 0
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            words = [w.strip() for w in re.split(r"[,、，]", line) if w.strip()]
            if len(words) < 2:
                continue
            for word in words:
                seq = tuple(analyze.words(word))
                if seq:
                    members.setdefault(seq[0], []).append((seq, count))
            count += 1
        for seqs in members.values():
            seqs.sort(key=lambda item: -len(item[0]))  # longest member first
        return cls(members, count)

    def groups_in(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """(start, end, group term `s12`) for each run of `words` that spells a group member; a word
        may belong to several groups (出張 is also a 旅費 word), each is reported."""
        found: list[tuple[int, int, str]] = []
        for i, word in enumerate(words):
            longest = 0
            for seq, group in self.members.get(word, ()):  # longest members first
                if len(seq) < longest:
                    break
                if tuple(words[i : i + len(seq)]) == seq:
                    longest = len(seq)
                    found.append((i, i + len(seq), f"s{group}"))
        return found


@dataclass(frozen=True)
class Unit:
    """One content word of a question: the word, its mode-A parts, and the synonym group it is in."""

    word: str
    parts: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    weight: float = 1.0  # nouns carry a rule question's content; verbs and adverbs frame it (0.5)


@dataclass(frozen=True)
class Element:
    """One word of a focus: the word, its synonym groups, its multi-character parts."""

    word: str
    groups: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()

    def in_terms(self, terms: Collection[str]) -> bool:
        """Whether `terms` hold the word: itself, a synonym, or (a compound) all its parts."""
        return (
            self.word in terms
            or any(g in terms for g in self.groups)
            or (len(self.parts) >= 2 and all(p in terms for p in self.parts))
        )


@dataclass(frozen=True)
class Focus:
    """A compound a question asks about (Analyzer.focus): its surface, its words, the synonym groups
    the whole of it spells, and its elements (its words, or a one-word compound's parts), head last."""

    surface: str
    words: tuple[str, ...]
    groups: tuple[str, ...]
    elements: tuple[Element, ...]


class Analyzer:
    """Turns text into search terms (see the module docstring)."""

    def __init__(
        self, *, normalise: bool = True, synonyms: bool = True, synonym_file: Path | None = None
    ) -> None:
        self.normalise = normalise
        self.groups = SynonymGroups()
        if synonyms:
            source = (
                synonym_file.read_text(encoding="utf-8")
                if synonym_file is not None
                else resources.files("bot.core.knowledge")
                .joinpath("synonyms.txt")
                .read_text(encoding="utf-8")
            )
            self.groups = SynonymGroups.parse(source, self)

    def analysed(self, text: str) -> list[tuple[str, tuple[str, ...], str]]:
        """Content words in order (mode C, normalised): (word, its mode-A parts if a compound, POS)."""
        out: list[tuple[str, tuple[str, ...], str]] = []
        for chunk in _chunks(unicodedata.normalize("NFKC", text)):
            for m in _tokenizer().tokenize(chunk):
                pos = m.part_of_speech()
                if pos[0] not in _KEEP_POS or pos[1] in _DROP_POS1:
                    continue
                word = _safe((m.normalized_form() if self.normalise else m.surface()).lower())
                if word in STOPWORDS or not word or word.startswith("何"):  # 何日, 何時間: the question's gap
                    continue
                split = m.split(SplitMode.A)
                parts = (
                    tuple(
                        w
                        for p in split
                        if p.part_of_speech()[0] in _KEEP_POS
                        and (w := _safe((p.normalized_form() if self.normalise else p.surface()).lower()))
                    )
                    if len(split) > 1
                    else ()
                )
                out.append((word, parts, "数詞" if pos[1] == "数詞" else pos[0]))
        return out

    def words(self, text: str) -> list[str]:
        """The content words of `text` (mode C), in order."""
        return [word for word, _, _ in self.analysed(text)]

    def terms(self, text: str) -> list[str]:
        """Index terms of `text`: its words, the parts of its compounds, the synonym groups they spell."""
        return self.terms_of(self.analysed(text))

    def terms_of(self, analysed: list[tuple[str, tuple[str, ...], str]]) -> list[str]:
        """`terms` of a text from its `analysed` words (a query is analysed once for terms and units)."""
        words = [w for w, _, _ in analysed]
        terms = [t for w, parts, _ in analysed for t in (w, *parts)]
        groups = self.groups.groups_in(words)
        starts = {start for start, _, _ in groups}
        for i, (_, parts, _) in enumerate(analysed):  # ホテル代 is no member, but its part ホテル is
            if parts and i not in starts:
                groups += self.groups.groups_in(parts)
        return terms + [g for _, _, g in groups]

    def topic(self, text: str) -> list[str]:
        """The nouns of the phrases a question is about: each noun run (with its の-modifiers) that a
        topic particle (は, って, とは, も) marks — 「職員互助会の旅行補助って」 → 補助 旅行 互助会 職員 —
        and each clause a topic particle marks after a case particle (には, では, でも), back to the
        previous comma: 「住民票をコンビニで取るには」 → コンビニ 住民票. Time words used as adverbs
        (毎年, 今), numerals and pronouns are not a topic."""
        found: list[str] = []
        for sentence in re.split(r"(?<=[。？！?!\n])", unicodedata.normalize("NFKC", text)):
            morphemes = list(_tokenizer().tokenize(sentence)) if sentence.strip() else []
            for i, m in enumerate(morphemes):
                if m.part_of_speech()[0] != "助詞" or m.surface() not in _TOPIC_PARTICLES:
                    continue
                j = i - 1
                clause = morphemes[j].part_of_speech()[0] == "助詞" and morphemes[j].surface() in _CASE
                while j >= 0:
                    pos = morphemes[j].part_of_speech()
                    if clause and pos[0] == "補助記号":
                        break
                    if pos[0] not in ("名詞", "接尾辞", "接頭辞"):
                        if clause or (pos[0] == "助詞" and morphemes[j].surface() == "の"):
                            j -= 1
                            continue
                        break
                    if pos[0] == "名詞" and pos[2] != "副詞可能" and pos[1] not in ("数詞", "代名詞"):
                        form = morphemes[j].normalized_form() if self.normalise else morphemes[j].surface()
                        word = _safe(form.lower())
                        if word and word not in STOPWORDS and not word.startswith("何"):
                            found.append(word)
                    j -= 1
        return list(dict.fromkeys(found))

    def focus(self, text: str) -> list[Focus]:
        """The compounds a question asks about: the noun run right before each topic particle (は,
        って, とは, も), without its の-modifiers, when it is a compound — two or more nouns in a row
        (管理職手当 → 管理職 手当), or one word of two or more multi-character parts (育児休業 →
        育児 休業). A compound names one thing among its kind (管理職手当 among the 手当): a passage
        about another of the kind has the head, not the thing (Asked.names_focus). A lone noun
        (「利用料って」) is no focus, and the の-modifiers are not either: measured on the sets,
        questions put them loosely (お金の精算, 職場の健康診断) far more often than they single
        out a thing the passage lacks."""
        found: dict[str, Focus] = {}
        units: dict[str, Unit] | None = None
        for sentence in re.split(r"(?<=[。？！?!\n])", unicodedata.normalize("NFKC", text)):
            morphemes = list(_tokenizer().tokenize(sentence)) if sentence.strip() else []
            for i, m in enumerate(morphemes):
                if m.part_of_speech()[0] != "助詞" or m.surface() not in _TOPIC_PARTICLES:
                    continue
                start = _run_start(morphemes, i)
                run = [mm for mm in morphemes[start:i] if _is_noun(mm)]
                if not run:
                    continue  # a clause (には, では) or no noun: not a thing named
                if units is None:
                    units = {u.word: u for u in self.units(text)}
                words = self._elements(run, units)
                elements = words
                if len(words) == 1 and len(parts := units.get(words[0].word, Unit("")).parts) >= 2:
                    elements = tuple(Element(p) for p in parts if len(p) > 1)  # 育児休業 → 育児 休業
                if len(elements) < 2:
                    continue
                spelled = [e.word for e in words]
                groups = tuple(g for a, b, g in self.groups.groups_in(spelled) if (a, b) == (0, len(spelled)))
                if len(words) == 1:
                    groups += words[0].groups
                surface = "".join(mm.surface() for mm in morphemes[start:i])
                found.setdefault(
                    surface, Focus(surface, tuple(spelled), tuple(dict.fromkeys(groups)), elements)
                )
        return list(found.values())

    def _elements(self, morphemes: Sequence[Morpheme], units: dict[str, Unit]) -> tuple[Element, ...]:
        out = []
        for mm in morphemes:
            word = _safe((mm.normalized_form() if self.normalise else mm.surface()).lower())
            if not word or word in STOPWORDS or word.startswith("何"):
                continue
            unit = units.get(word, Unit(word))
            out.append(Element(word, unit.groups, tuple(p for p in unit.parts if len(p) > 1)))
        return tuple(out)

    def units(self, text: str) -> list[Unit]:
        """The distinct content words of a question, for judging how much of it a passage covers."""
        return self.units_of(self.analysed(text))

    def units_of(self, analysed: list[tuple[str, tuple[str, ...], str]]) -> list[Unit]:
        """`units` of a text from its `analysed` words."""
        words = [w for w, _, _ in analysed]
        groups: dict[int, list[str]] = {}
        for start, end, group in self.groups.groups_in(words):
            for i in range(start, end):
                groups.setdefault(i, []).append(group)
        units: dict[str, Unit] = {}
        for i, (word, parts, pos) in enumerate(analysed):
            found = groups.get(i) or (
                [g for _, _, g in self.groups.groups_in(parts)] if sum(len(p) > 1 for p in parts) <= 1 else []
            )  # ホテル代 means what ホテル means; 単身赴任手当 is not any 手当 (its parts count, halved)
            units.setdefault(
                word, Unit(word, parts, tuple(dict.fromkeys(found)), 1.0 if pos in _NOUNS else 0.5)
            )
        return list(units.values())


def _is_noun(m: Morpheme) -> bool:
    pos = m.part_of_speech()
    return pos[0] in _NOUNS and pos[1] not in ("数詞", "代名詞") and pos[2] != "副詞可能"


def _run_start(morphemes: Sequence[Morpheme], end: int) -> int:
    """Where the run of nouns (with prefixes and suffixes) that ends before `end` starts."""
    j = end
    while j > 0 and morphemes[j - 1].part_of_speech()[0] in ("名詞", "接尾辞", "接頭辞"):
        j -= 1
    return j


def _safe(word: str) -> str:
    return _FTS_UNSAFE.sub("", word).strip()


def _chunks(text: str, size: int = 4000) -> Iterable[str]:
    """Sentence-aligned pieces under SudachiPy's input limit."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind("。", start, end), text.rfind("\n", start, end))
            end = cut + 1 if cut > start else end
        yield text[start:end]
        start = end
