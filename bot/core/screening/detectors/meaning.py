"""Confidential matters recognised by meaning, not by a fixed phrase: the category lexicon.

The lexicon (`lexicon.toml`, data, not code) lists the words of each ordinance category; they are
matched on Sudachi's normalised forms of the message's tokens, so 差押 / 差押え / 差し押さえ or
伏せてる / 伏せておいて are one word. Pairs of words within one sentence (警察署から…提供の依頼)
count as a term too. A term holds the message only when the message is about a *case*:

    specificity = how many kinds of specific detail it carries (an amount, a date, a person, a
                  company, a count, この/今回の/例の, a pasted record…)
    topic       = how many signs of a general question it carries (一般論, とは, 違い, 制度, 研修…)
    held when     specificity > topic  (and specificity ≥ 1)

Euphemisms (ここだけの話, まだ伏せて, 記者発表は来週, 決定前なので…) hold the message unless it is
plainly a question about the phrase itself (topic and no specific detail).
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.core.screening.analyser import Tok, load_analyser
from bot.core.screening.defaults import NO_SPECIFIC_CASE, PUBLISHED
from bot.core.screening.detectors import Hit, Views, hit_from, voice_input
from bot.core.screening.learned import load_model, signs
from bot.core.screening.policy import ScreeningPolicy
from bot.core.screening.prefilter import LiteralFilter, fold, guarded, literal_filter

_SEP = "\x1f"
_PAIR_WINDOW = 60
_REPORTED = re.compile(
    r"[\u3041-\u3096]{0,3}[」』\"']?[、,]? ?(?:と|って)"
    r"(?:言われ|聞かれ|書かれ|頼まれ|念を押され)た(?!件|案件)"
)
"""The phrase as something said to the writer (ここだけの話、と言われた情報): it adds no specific
detail by itself; the rest of the message decides (how to treat such information in general passes).
Not when it names the matter said so of (…って言われた件): that is a particular matter."""
_QUOTED_TOPIC = re.compile(
    r"(?:[^」』\"'\n]{1,6}(?=[」』\"']))?[」』\"']?[、,]? ?(?:という(?!前提|約束|条件|ことで|話で)"
    r"|って(?!言われ(?!た(?:とき|時|ら|場合))|言って|頼まれ|念を押され|釘を)(?:いう)?"
    r"|の(?:使い分け|意味|言い換え)|[」』]と(?:言われ|聞かれ|書かれ|頼まれ)た(?:場合|とき|時|ら|(?:情報|話|内容|もの|こと)(?:は|を|の|って))"
    r"|[」』]と(?:言われ|聞かされ|頼まれ)て(?:聞いた|知った|受けた|もらった)(?:情報|話|内容|もの|こと)(?:は|を|の|って)"
    r"|[」』]を(?:英語|中国語|韓国語|やさしい日本語|別の言い方|敬語|丁寧語)(?:で|に))"
)
"""After a euphemism: the phrase itself is discussed (「ここだけの話」という表現, 「ここだけの話」と言われた
情報は), not a matter kept in (口外無用って言われてる件, ここだけの話という前提で)."""


@dataclass(frozen=True)
class Lexicon:
    """The parsed lexicon: lemma patterns per category, pairs and cue patterns."""

    terms: re.Pattern[str] | None
    categories: dict[str, str]  # lemma sequence -> category
    pairs: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]
    euphemisms: re.Pattern[str]
    specific: tuple[re.Pattern[str], ...]
    topic: tuple[re.Pattern[str], ...]
    surface: re.Pattern[str] | None = None  # the longer words as written, where tokens run together
    surface_categories: dict[str, str] | None = None
    drafts: frozenset[str] = frozenset()  # lemma sequences of draft words ([drafting] words)
    draft_request: re.Pattern[str] | None = None  # what follows a draft word the AI is asked to write
    readings: re.Pattern[str] | None = None  # the longer words' readings (katakana), for voice input
    reading_categories: dict[str, str] | None = None
    spoken_topic: re.Pattern[str] | None = None  # signs of a general question, in kana


@cache
def _raw_lexicon() -> dict[str, Any]:
    text = resources.files("bot.core.screening").joinpath("lexicon.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _analysed(word: str) -> tuple[str, str]:
    """A word as the joined normalised forms of its tokens (with separators at both ends), and its
    reading in katakana."""
    dictionary = load_analyser()
    make = getattr(dictionary, "tokenizer", None) or dictionary.create
    from sudachipy import SplitMode  # noqa: PLC0415  (the analyser module owns the import at start-up)

    tokenizer = make(mode=SplitMode.C, fields={"normalized_form", "reading_form"})
    morphemes = tokenizer.tokenize(word)
    lemmas = _SEP + _SEP.join(m.normalized_form() for m in morphemes) + _SEP
    return lemmas, "".join(m.reading_form() for m in morphemes)


def _lemmas(word: str) -> str:
    """A word as the joined normalised forms of its tokens (with separators at both ends)."""
    return _analysed(word)[0]


_MIN_READING = 5
"""Readings shorter than this (ソショウ, タイノウ) occur inside too many other words written in kana."""
_KATAKANA_WORD = re.compile("^[\u30a1-\u30fa\u30fc]+$")


def load_lexicon(extra: dict[str, tuple[str, ...]] | None = None) -> Lexicon:
    """The built-in lexicon plus a city's extra words per category."""
    raw = _raw_lexicon()
    categories: dict[str, str] = {}
    words: dict[str, list[str]] = {cat: list(ws) for cat, ws in raw["categories"].items()}
    for cat, added in (extra or {}).items():
        words.setdefault(cat, []).extend(added)
    readings: dict[str, str] = {}
    for cat, listed in words.items():
        for word in listed:
            lemmas, reading = _analysed(word)
            categories.setdefault(lemmas, cat)
            if len(reading) >= _MIN_READING and _KATAKANA_WORD.match(reading) and reading != word:
                readings.setdefault(reading, cat)
    draft_words = set(raw.get("drafting", {}).get("words", []))
    written = {
        w: cat for cat, listed in words.items() for w in listed if len(w) >= 3 and w not in draft_words
    }
    surface = guarded(re.compile("|".join(re.escape(w) for w in sorted(written, key=len, reverse=True))))
    ordered = sorted(categories, key=len, reverse=True)
    # a noun of the lexicon also matches its verb (差押え = 差し押さえ; 差押え予定 is read as 差し押さえる)
    terms = re.compile("|".join(re.escape(t[:-1]) + "(?:る)?" + _SEP for t in ordered)) if ordered else None
    pairs = tuple(
        (p["category"], re.compile(p["first"]), re.compile(p["second"])) for p in raw.get("pairs", [])
    )
    cues = raw["cues"]
    drafting = raw.get("drafting", {})
    spoken = "|".join(re.escape(r) for r in sorted(readings, key=len, reverse=True))
    return Lexicon(
        readings=re.compile(spoken) if readings else None,
        spoken_topic=re.compile("|".join(cues["spoken_topic"])) if cues.get("spoken_topic") else None,
        reading_categories=readings,
        drafts=frozenset(_lemmas(w) for w in drafting.get("words", [])),
        draft_request=re.compile(drafting["request"]) if drafting.get("request") else None,
        terms=terms,
        categories=categories,
        surface=surface if written else None,
        surface_categories=written,
        pairs=pairs,
        euphemisms=guarded(re.compile("|".join(f"(?:{c})" for c in cues["euphemisms"]))),
        specific=tuple(guarded(re.compile(c)) for c in cues["specific"]),
        topic=tuple(guarded(re.compile(c)) for c in cues["topic"]),
    )


_PUBLISHED = re.compile(PUBLISHED)
_NO_SPECIFIC_CASE = re.compile(NO_SPECIFIC_CASE)
_BREAK = re.compile(r"[。\n]")


def published(text: str, pos: int) -> bool:
    """The sentence around `pos` says its content is already public (公表済み, HPで公開)."""
    start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
    end_match = _BREAK.search(text, pos)
    end = end_match.start() if end_match else len(text)
    return _PUBLISHED.search(text, start, end) is not None


_PUBLIC_MATERIAL = re.compile(
    r"(?:公表|公開|掲載|発表|配布)済|(?:HP|ホームページ|ウェブサイト|市のサイト|広報誌?|官報)(?:に|で|上)?(?:掲載|公開|公表)"
    r"|(?:HP|ホームページ|ウェブサイト|市のサイト|広報誌?)(?:に|で|上)(?:載って(?:いる|る)|載せて(?:いる|る)|出て(?:いる|る))"
    r"|[（(](?:公表|公開|HP掲載|HP公開)[)）]|公開で行われた|公開(?:の|された)(?:会議|委員会|審議会|資料|情報)"
    r"|架空(?:の|事例|ケース|設定)|[（(]架空|(?:すべて|全て|いずれも)架空|フィクション|創作(?:した|の)(?:事例|ケース)"
    r"|という設定で|研修用の(?:架空|模擬|仮想)"
)
"""The writer's request says the material it brings is public or invented (以下は…（HP掲載済み）です,
次の公表済み入札結果を…, 架空の相談事例です)."""
_NOT_PUBLIC = re.compile(
    r"未公表|非公開|非公表|公表前|発表前|公開前|まだ|部外秘|取扱注意|内部限り|[(（]秘[)）]|㊙|本物|実際の"
)


def public_material(text: str) -> bool:
    """The message's own request — its first paragraph, or its first line when material follows —
    says that what it brings is published or fictional, and nothing in it says otherwise."""
    head_end = text.find("\n\n")
    if head_end < 0:
        head_end = text.find("\n")
    head = text if head_end < 0 else text[:head_end]
    return _PUBLIC_MATERIAL.search(head) is not None and _NOT_PUBLIC.search(text) is None


_MIN_KANA = 30
_KANA_CHARS = re.compile("[\u3041-\u30fa]")
_KANJI_CHARS = re.compile("[\u4e00-\u9fff]")
_LATIN_CHARS = re.compile("[A-Za-z]")
_MAX_KANJI_SHARE = 0.15


def _said_in_general(lex: Lexicon, text: str) -> bool:
    """A sign of a general question said in kana (いっぱんろんとして, せいどの ながれ)."""
    return lex.spoken_topic is not None and lex.spoken_topic.search(text) is not None


def _kana_view(text: str) -> tuple[str | None, list[int]]:
    """A message written mostly in kana (voice input without conversion: at least thirty kana, kanji
    under 15 % of its letters) as katakana with its spaces removed, and each character's offset in
    `text`; (None, []) for any other message. Any other character breaks the view (a "|")."""
    kana = len(_KANA_CHARS.findall(text))  # counted in C: this runs on every message
    if kana < _MIN_KANA:
        return None, []
    kanji = len(_KANJI_CHARS.findall(text))
    if kanji >= _MAX_KANJI_SHARE * (kana + kanji + len(_LATIN_CHARS.findall(text))):
        return None, []
    chars: list[str] = []
    positions: list[int] = []
    for i, c in enumerate(text):
        if c in " \u3000":
            continue
        if "\u3041" <= c <= "\u3096":
            chars.append(chr(ord(c) + 0x60))
        elif "\u30a1" <= c <= "\u30fa" or c == "\u30fc":
            chars.append(c)
        else:
            chars.append("|")
        positions.append(i)
    return "".join(chars), positions


def _inside_one_token(toks: list[Tok], span: tuple[int, int]) -> bool:
    """The span lies inside one longer token (the tokenizer did not see the word on its own)."""
    i = bisect.bisect_right([t.begin for t in toks], span[0]) - 1
    return i >= 0 and toks[i].end >= span[1] and toks[i].end - toks[i].begin > span[1] - span[0]


def _may(needs: LiteralFilter | None, text: str, folded: str) -> bool:
    return needs is None or needs.may_match(text, folded)


def _count(patterns: list[tuple[re.Pattern[str], LiteralFilter | None]], text: str, folded: str) -> int:
    """How many of the patterns occur in `text` (`folded`: `fold(text)`)."""
    return sum(1 for p, needs in patterns if _may(needs, text, folded) and p.search(text))


def _count_distinct(
    patterns: list[tuple[re.Pattern[str], LiteralFilter | None]], text: str, folded: str
) -> int:
    """How many of the patterns occur, a match lying inside another one's match not counted again
    (手続きの流れ is one sign of a general question, not two: 手続きの流れ and 流れ)."""
    spans = []
    for p, needs in patterns:
        if _may(needs, text, folded) and (m := p.search(text)) is not None:
            spans.append(m.span())
    return sum(
        1
        for i, (a, b) in enumerate(spans)
        if not any(j != i and x <= a and b <= y and (x, y) != (a, b) for j, (x, y) in enumerate(spans))
    )


class MeaningDetector:
    """Finds confidential matters by the category lexicon, specificity and euphemisms."""

    def __init__(self, policy: ScreeningPolicy) -> None:
        extra = {c: ws for c, ws in policy.confirm_terms.items() if c != "marking"}
        self._lexicon = load_lexicon(extra)
        self._learned = load_model() if policy.learned_confirm else None
        self._last: tuple[str, tuple[int, int]] | None = None
        lex = self._lexicon
        # the same patterns, each with the literals one of which any match contains: most of the
        # fifty cue searches over a long text are then a few substring tests (prefilter.py)
        self._specific = [(p, literal_filter(p)) for p in lex.specific]
        self._topic = [(p, literal_filter(p)) for p in lex.topic]
        self._pairs = [
            (category, guarded(first), guarded(second), literal_filter(first), literal_filter(second))
            for category, first, second in lex.pairs
        ]

    def scores(self, text: str, toks: list[Tok] | None = None) -> tuple[int, int]:
        """(specificity, topic) of a text: kinds of specific detail (a person's name among them),
        signs of a general question. The last text's scores are kept (the engine asks again)."""
        cached = self._last
        if cached is not None and cached[0] is text:
            return cached[1]
        result = self._scores(text, toks)
        self._last = (text, result)
        return result

    def _scores(self, text: str, toks: list[Tok] | None) -> tuple[int, int]:
        lex = self._lexicon
        found = list(lex.euphemisms.finditer(text))
        reported = [r for m in found if (r := _REPORTED.match(text, m.end())) is not None]
        # ここだけの話、と言われた…: the verb that reports the phrase is not a detail of a case
        scored = text
        for r in reported:
            scored = scored[: r.start()] + " " * (r.end() - r.start()) + scored[r.end() :]
        folded = fold(scored)
        specificity = _count(self._specific, scored, folded)
        if toks is not None and any(t.person for t in toks):
            specificity += 1
        quoted = [bool(_QUOTED_TOPIC.match(text, m.end()) or _REPORTED.match(text, m.end())) for m in found]
        if quoted and not any(quoted):
            specificity += 1  # "not told yet", "keep it in": there is a particular matter (not the phrase)
        topic = _count_distinct(self._topic, text, folded)
        if _NO_SPECIFIC_CASE.search(text):
            topic = max(topic, specificity + 1)  # （具体的な案件はありません）: a question about the topic
        return specificity, topic

    def is_general(self, text: str, toks: list[Tok] | None = None) -> bool:
        """A general question about a topic (as many signs of that as specific details, at least one)."""
        specificity, topic = self.scores(text, toks)
        return topic >= 1 and topic >= specificity

    def detect(self, views: Views) -> list[Hit]:
        """At most one euphemism hit and one category-term hit for the message.

        The specificity and topic scores (some fifty searches) are only computed once a term, a
        pair or a euphemism is there: most messages have none."""
        text = views.base.text
        term = self._term(views, views.tokens) or self._written(views) or self._pair(text, views)
        spoken = self._spoken(views)
        found = self._lexicon.euphemisms.finditer(text)
        euphemisms = [m.span() for m in found if not _QUOTED_TOPIC.match(text, m.end())]
        voice = voice_input(text)
        if voice and term is not None and _said_in_general(self._lexicon, text):
            term = None  # いっぱんてきな ながれ を おしえて: a question about the topic, said in kana
        if voice and not euphemisms:
            euphemisms = self._unspaced_euphemisms(text)
        if term is None and spoken is None and not euphemisms:
            return []
        specificity, topic = self.scores(text, views.tokens)
        if (spoken is not None or (voice and term is not None)) and not (topic and topic >= specificity):
            # voice input left in kana: its details (amounts, names, dates) are spoken words the
            # specificity cues do not read, so a term counts unless the message asks about the topic
            term, specificity = term or spoken, max(specificity, topic + 1)
        if specificity <= topic or (term is not None and published(text, term.start)):
            term = None
        hits = [term] if term is not None else []
        for a, b in euphemisms:
            if (topic and not specificity) or published(text, a):
                continue
            category = term.category if term is not None else "deliberation"
            word = text[a:b]
            hits.append(hit_from(views.base, "confidential", (a, b), word, category=category, signal=word))
            break
        return hits

    def _unspaced_euphemisms(self, text: str) -> list[tuple[int, int]]:
        """Euphemisms in a message typed by voice, read with the spaces between its phrases left out
        (まだ ないしょ なんですけど → まだないしょなんですけど), as spans of the message."""
        kept = [i for i, c in enumerate(text) if c not in " \u3000"]
        joined = "".join(text[i] for i in kept)
        return [
            (kept[m.start()], kept[m.end() - 1] + 1)
            for m in self._lexicon.euphemisms.finditer(joined)
            if not _QUOTED_TOPIC.match(joined, m.end())
        ]

    def judged(self, views: Views) -> list[Hit]:
        """The learned model's hold (learned.py), asked by the engine only where no rule of any
        detector raised a confidential finding: the whole message weighed, the cue words shown as the
        signal. Published or public material is not held."""
        if self._learned is None:
            return []
        text = views.base.text
        judgement = self._learned.judge(views.tokens, lambda: signs(*self.scores(text, views.tokens)))
        if judgement is None or public_material(text):
            return []
        cues = [views.tokens[i] for i in judgement.cues]
        if published(text, cues[0].begin):
            return []
        signal = "・".join(dict.fromkeys(t.surface for t in cues))
        span = (cues[0].begin, cues[0].end)
        return [
            hit_from(
                views.base,
                "confidential",
                span,
                cues[0].surface,
                category=judgement.category,
                signal=signal,
            )
        ]

    def _term(self, views: Views, toks: list[Tok]) -> Hit | None:
        """The first category term in the message's normalised forms."""
        lex = self._lexicon
        if lex.terms is None or not toks:
            return None
        lemma = _SEP + _SEP.join(t.norm for t in toks) + _SEP
        text = views.base.text
        position = 0
        while (m := lex.terms.search(lemma, position)) is not None:
            first = lemma.count(_SEP, 0, m.start() + 1) - 1
            last = first + m.group().count(_SEP) - 2
            span = (toks[first].begin, toks[last].end)
            position = m.end() - 1  # the separator ending this term starts the next search
            found = m.group() if m.group() in lex.categories else m.group()[:-2] + _SEP
            drafting = found in lex.drafts and lex.draft_request is not None
            if drafting and lex.draft_request is not None and lex.draft_request.match(text, span[1]):
                continue  # a draft the AI is asked to write, not one pasted in
            word = text[span[0] : span[1]]
            return hit_from(
                views.base, "confidential", span, word, category=lex.categories[found], signal=word
            )
        return None

    def _spoken(self, views: Views) -> Hit | None:
        """A lexicon word by its reading, in a message typed by voice and never converted to kanji
        (ようちばいしゅうの　ほしょうきん…): Sudachi cuts such kana into unrelated words, so the
        longer words' readings are looked for in the message's kana, spaces left out."""
        lex = self._lexicon
        if lex.readings is None or lex.reading_categories is None:
            return None
        text = views.base.text
        kana, positions = _kana_view(text)
        if kana is None:
            return None
        m = lex.readings.search(kana)
        if m is None or (lex.spoken_topic is not None and lex.spoken_topic.search(text)):
            return None  # no word of the lexicon, or a question about the topic said in kana
        span = (positions[m.start()], positions[m.end() - 1] + 1)
        word = text[span[0] : span[1]]
        category = lex.reading_categories[m.group()]
        return hit_from(views.base, "confidential", span, word, category=category, signal=word)

    def _written(self, views: Views) -> Hit | None:
        """A lexicon word as written, where the tokenizer ran it into its neighbours (課長補佐(パワハラ)
        is one token)."""
        lex = self._lexicon
        if lex.surface is None or lex.surface_categories is None:
            return None
        text = views.base.text
        m = next((m for m in lex.surface.finditer(text) if _inside_one_token(views.tokens, m.span())), None)
        if m is None:
            return None
        word = m.group()
        category = lex.surface_categories[word]
        return hit_from(views.base, "confidential", m.span(), word, category=category, signal=word)

    def _pair(self, text: str, views: Views) -> Hit | None:
        """Two words of one request close together (警察署から…提供の依頼; 県警→消防本部⏎「…照会したい」)."""
        folded = fold(text)
        for category, first, second, first_needs, second_needs in self._pairs:
            if not (_may(first_needs, text, folded) and _may(second_needs, text, folded)):
                continue  # a word the pair needs is nowhere in the text
            for a in first.finditer(text):
                b = second.search(text[: a.end() + _PAIR_WINDOW], a.end())
                if b is not None:
                    span = (a.start(), b.end())
                    word = text[span[0] : span[1]]
                    return hit_from(
                        views.base, "confidential", span, word, category=category, signal=a.group()
                    )
        return None
