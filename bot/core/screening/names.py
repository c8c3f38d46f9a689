"""Person names: SudachiPy proper-noun tags plus context, katakana names, romanised names.

A name is masked when the text treats it as a person:
- it is followed by an honorific or a job title (石井さん, 堀江様, 原口係長), which also catches
  surnames the dictionary files as a place (堀江) or does not know at all;
- it is introduced by a label (相談者 石井美加, 担当：佐藤);
- it is a full name (姓 + 名: 村田英樹) or a katakana name in parts (グエン・ティ・ラン).
A lone surname without context (鈴木という姓), a name used as a subject (宮沢賢治の作品), public
figures and the policy's `allow_names` pass. Romanised names are caught before 様/さん, after
Dear/Mr./Ms., on a "Name:" line and above a letter's sign-off.
"""

from __future__ import annotations

import bisect
import itertools
import re

from bot.core.screening.analyser import Tok, can_be_person, load_analyser, reading
from bot.core.screening.defaults import FICTION_CUES, HONORIFICS, PERSON_LABELS, PUBLIC_FIGURES, ROLES, words
from bot.core.screening.detectors import Hit, Views, hit_from, sentence_start, voice_input
from bot.core.screening.learned_names import load_name_model
from bot.core.screening.name_contexts import context_spans
from bot.core.screening.name_slots import listed_names, other_spelling_after, slot_spans
from bot.core.screening.policy import ScreeningPolicy
from bot.core.screening.romanised import common_word, romanised_spans

_ANCHOR = re.compile("|".join(sorted((*HONORIFICS, *ROLES), key=len, reverse=True)))
_LABEL = re.compile(rf"(?:{'|'.join(sorted(PERSON_LABELS, key=len, reverse=True))})[ :、は=(「]*$")
_SUBJECT_AFTER = re.compile(
    r"(?:(?:元|前)?(?:首相|総理|大統領|選手|監督|名誉市民)"
    r"|という(?:姓|名字|苗字|名前|名|人物)|(?:さん)?の(?:作品|小説|詩|詩集|童話|生涯|功績|業績|名言|言葉|銅像|像"
    r"|生家|旧居|記念館|文学館|美術館|記念碑|碑|墓|著書|著作|伝記|歌|俳句|短歌|和歌|思想|絵|絵画|肖像|作風|代表作"
    r"|一生|人物像|逸話|エピソード|時代|研究|生誕|没後|ゆかり)|(?:賞|記念館|文学館|記念|像|展|生誕|没後|ゆかり))"
)
_SUBJECT_BEFORE = re.compile(
    r"(?:作家|詩人|小説家|歌人|俳人|画家|偉人|人物|武将|文豪|郷土の偉人|出身の|歴史上の)の?$"
)
_STOP_NOUNS = frozenset(
    words(
        "大家 奥 神 仏 姫 娘 息子 母 父 兄 姉 弟 妹 客 皆 主 主人 嫁 婿 孫 殿 王 上 下 中 外 "
        "内 前 後 隣 店 家 親 子 先 元 本 方 人 者 様 彼 彼女 私 僕 俺 自分 相手 友 仲間"
    )
)
_HONORIFIC_OR_ROLE = "|".join(sorted((*HONORIFICS, *ROLES), key=len, reverse=True))
_LISTED = re.compile(rf"(?:{_HONORIFIC_OR_ROLE})? ?(?:、|,|と|及び|および|や|・|/) ?")


def name_key(value: str) -> str:
    """The pseudonym key of a name: spaces and joiners removed, case folded."""
    return re.sub(r"[ \u3000・=\-]", "", value).casefold()


_READING = re.compile(
    r" ?\((?:[\u3041-\u3096\u30a1-\u30fa\u30fc・ ]+(?:[/、][^)]{1,14})?|[\u3400-\u9fff]{1,4}"
    r" ?[\u3400-\u9fff]{0,4}"
    r"|[A-Za-z][A-Za-z ,\-]+)\)"
)
"""A name's reading or other spelling in brackets: 山田花子（やまだ はなこ）, LIU Yang（劉 洋）, 金
美英（キム・ミヨン）."""
_READING_AT_END = re.compile(r" ?\([^()]*\)$")
_SPECIMEN_CUE = re.compile(
    r"記入例|例:|例の(?:画面|名前|表示|欄|入力|文面|画像)|見本|サンプル|ダミー|架空|仮の|仮名(?!では|じゃ)|テスト用|例示|例：|例\)|ひな形|雛形|典型的|よくある|練習問題|練習用|演習用"
    r"|(?i:sample|dummy|example)|きにゅうれい|みほん|さんぷる|だみー"
)
_SPECIMEN_NAMES = frozenset(
    name_key(n)
    for n in words(
        "山田太郎 山田花子 山田一郎 山田次郎 鈴木一郎 鈴木花子 佐藤花子 佐藤太郎 田中太郎 田中花子"
        " 日本太郎 日本花子 "
        "市役所太郎 見本太郎 見本花子 TaroYamada HanakoYamada YamadaTaro YamadaHanako JohnDoe"
        " JaneDoe JohnSmith JaneSmith ジョン・ドウ "
        "名無しの権兵衛 権兵衛 山田 田中 佐藤 鈴木 高橋"
    )
)
_SPECIMEN_GIVEN = re.compile(
    r"(?:太郎|花子|一郎|次郎|はなこ|はな子|ハナ子|たろう|ハナコ|タロウ|(?i:taro|hanako))\)?$"
)
_SPECIMEN_WORDS = re.compile(
    r"見本|試験|例|テスト|サンプル|ダミー|架空|ミホン|シケン|(?i:sample|test|dummy|example)"
)


_FICTION = re.compile(FICTION_CUES)
_HISTORY = re.compile(
    r"偉人|歴史上の|歴史を|の歴史|名言|伝記|ゆかりの(?:人物|偉人)|郷土の(?:人物|偉人)|史実|伝説|伝承|名台詞|詠んだ|和歌"
    r"|(?:江戸|明治|戦国|幕末|平安|鎌倉|室町)(?:時代|期)|藩(?:主|士|の出身)|幕府|武将|城主|大名|副読本|企画展"
    r"|(?:明治|大正) ?[0-9元]{1,2} ?年|(?<![0-9])1[0-8][0-9]{2}年"
    r"|歴代(?:の)?(?:首相|総理|内閣|市長|知事|藩主)|ノーベル賞"
    r"|上毛かるた|人物の札|」の札|教材|会話練習|英語講座|代表(?:曲|作)"
    r"|初代(?:の)?(?:市長|町長|村長|知事|県令|校長|館長)|功績|生涯(?!学習|教育|スポーツ)|生誕|没後|記念館|銅像|顕彰"
    r"|(?i:historical|edo[- ]period|meiji era|novel|literature|textbook)"
)
"""The message is about history, legend, literature or teaching material: a bare name in it is a
historical or fictional figure. A name with an honorific or a title after it, or a label before
it, is still someone's (郷土史講座の講師 佐藤 様)."""
_ADDRESSED = re.compile(rf" ?(?:{'|'.join(sorted((*HONORIFICS, *ROLES), key=len, reverse=True))})")
_HISTORY_ADDRESSED = re.compile(
    rf" ?(?:{'|'.join(sorted((h for h in (*HONORIFICS, *ROLES) if h != '氏'), key=len, reverse=True))})"
)
"""In a text about history, 氏 after a name is a clan (酒井氏, 岩城氏) or a formal mention."""
_PLACE_LIST = re.compile(
    r"」(?:[、・,]?「[^」\n]{1,10}」){0,6}(?:など|等)?の?(?:地区名|地名|町名|字名|地区|地域名|集落|山名|河川名|駅名)"
)
"""A quoted word in a list the text calls place names (「X」「Y」などの地区名)."""
_PLACE_BRACKET = re.compile(
    r"(?:地域|地区|エリア|区域|方面|町名|地名|字名|被災地|対象地)(?:は|:|：)?[（(「]"
    r"(?:[^）)」\n、,]{1,12}(?:[、,・][^）)」\n、,]{1,12}){0,8}[、,・])?$"
)
"""A word in the list of an area's places (浸水被害が出た地域（好間町、平下平窪）): a place, not a person."""
_SENTENCE_END = re.compile(r"[。\n!?！？]")
_NAME_BEFORE_BRACKET = re.compile(
    r"(?:[\u3400-\u9fff々]{1,3} ?[\u3400-\u9fff々]{1,3}"
    r"|[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f\u1e00-\u1eff'’\-]+(?:,? [A-Z\u00c0-\u00de\u0110\u1e00-\u1eff]"
    r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff'’\-]+){1,4}) ?$"
)


_REAL_ROLE_BEFORE = re.compile(
    r"(?:講師|担当者?|職員|委員|保護者|参加者|申込者|申請者|相談者|講演者|司会|来庁者|住民|市民|読み手|朗読者)"
    r"(?:の|は|：|:|さん)? ?$"
)
"""A name after the part a real person plays in the event (講師の 原田 咲 さんによる絵本の読み聞かせ): a
person, though the sentence is about a story."""


def _in_fiction(text: str, pos: int) -> bool:
    """The name stands in a sentence about a story or a quotation (のび太くんのような, 作者の…)."""
    start = sentence_start(text, pos)
    end_match = _SENTENCE_END.search(text, pos)
    return _FICTION.search(text, start, end_match.start() if end_match else len(text)) is not None


_NOT_SPELLINGS = frozenset(
    (
        *PERSON_LABELS,
        "名前",
        "氏名",
        "名",
        "姓",
        "例",
        "表記",
        "読み",
        "ローマ字",
        "英語",
        "名簿",
        "一覧",
        "リスト",
        "名簿例",
    )
)
"""Words before a bracket that are what the bracket's content is, not another spelling of it
(名前（John Doe…）)."""
_LATIN_WITH_READING = re.compile(
    r"(?P<latin>[A-Z][A-Za-z'’\-]+(?: [A-Z][A-Za-z'’\-]+){1,4})"
    r" ?\((?P<reading>[\u30a1-\u30fa\u30fc]+(?:・[\u30a1-\u30fa\u30fc]+)+)\)"
)


def _before_reading(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The other spelling before a masked reading in brackets: 崔 允熙（チェ・ユニ）, Vu Van
    Long（ヴー・ヴァン・ロン）."""
    out = []
    for m in _LATIN_WITH_READING.finditer(text):
        out += [m.span("latin"), m.span("reading")]
    for a, _b in spans:
        if a > 0 and text[a - 1] == "(":
            before = _NAME_BEFORE_BRACKET.search(text, max(0, a - 40), a - 1)
            if before is not None and before.group().strip() not in _NOT_SPELLINGS:
                out.append(before.span())
    return out


_LATIN_PLACE_WORDS = (
    r"(?:Park|River|Station|Hall|Street|Avenue|Road|Bridge|Castle|Shrine|Temple|Mountain|Lake|Bay|Beach"
    r"|Port|Airport|Library|Museum|Stadium|Center|Centre|School|University|Hospital|Prefecture|City|Town"
    r"|Village|Ward|Line|Dam|Pond|Gardens?|Tower|Plaza|Square|Hotel|Falls|Valley|Island|Onsen)(?![A-Za-z])"
)
_LATIN_PLACE = re.compile(rf"[A-Za-z] {_LATIN_PLACE_WORDS}$")
_LATIN_PLACE_AFTER = re.compile(rf"(?<=[A-Za-z]) {_LATIN_PLACE_WORDS}")
_NEXT_LATIN = re.compile(r" [A-Z][a-z]+")
_LEGAL_PLACEHOLDER = re.compile(r"[甲乙丙丁][野山川田]")
"""The legal documents' stand-in surnames (甲野太郎, 乙野花子, 甲野 乙子)."""
_LEGAL_STAND_IN = re.compile(
    r"[甲乙丙丁][野山川] ?(?:[太次三]郎|[花乙一]子|[一二三]郎)?$"
    r"|(?:市民|区民|町民|村民|県民|国民|住民|窓口|役所|市役所|氏名|名前|名字) ?(?:太郎|花子|一郎|次郎)$"
)
"""甲野太郎, 乙野花子: the stand-ins of legal writing, never a real person wherever they stand."""
_STAND_IN_GIVEN = re.compile(r"太郎|花子|一郎|次郎")
_STAND_IN_SURNAME = re.compile(
    r"(?:市民|区民|町民|村民|県民|国民|住民|窓口|役所|市役所|氏名|名前|名字)[ \u3000]?$"
)
"""市民 太郎さん: a stand-in made of a word and a common given name."""
_LEGAL_STAND_IN_BEFORE = re.compile(r"[甲乙丙丁][野山川田] ?$")
_FICTIONAL_AFTER = re.compile(r" ?(?:さん|様|氏|くん|ちゃん)?[(（](?:架空|仮名|仮称|架空の人物)[)）]")
"""丙川三郎さん（架空）: the writer marks the person as invented."""
_INVENTED_BEFORE = re.compile(
    r"(?:架空|仮想|仮|空想|想定)の[^\s「『。、]{0,8}[「『]$|役(?:の名前|名)(?:を|は|が)?[「『]$"
    r"|(?i:fictional|imaginary) [a-z]{0,12} ?[\"“']$"
)
"""…or before it: 架空の住民「鈴木一家」, a skit's 来庁者役の名前を「いわき 次郎」."""


def _is_specimen_name(value: str) -> bool:
    """A form's example name (記入例の山田太郎, 見本 一郎, Taro Yamada, 甲野 乙子)."""
    return (
        name_key(value) in _SPECIMEN_NAMES
        or _LEGAL_PLACEHOLDER.match(value) is not None
        or _SPECIMEN_WORDS.search(value) is not None
        or _SPECIMEN_GIVEN.search(value.split("(", maxsplit=1)[0].strip()) is not None
    )


def _token_surnames(
    toks: list[Tok], by_begin: dict[int, int], spans: list[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """For a full name written without a space (石原修), the length of its surname where the tokenizer
    tags the name's first token as a surname and a given name follows it inside the span."""
    out = {}
    for a, b in spans:
        k = by_begin.get(a)
        if k is None or k + 1 >= len(toks):
            continue
        first, second = toks[k], toks[k + 1]
        if first.pos3 == "姓" and first.end < b and second.end <= b and second.pos3 == "名":
            out[(a, b)] = first.end - first.begin
    return out


def _same_person(
    text: str, spans: list[tuple[int, int]], surnames: dict[tuple[int, int], int] | None = None
) -> list[tuple[tuple[int, int], str]]:
    """Every span with its pseudonym key, plus the other mentions of the same person: the same name
    spelt with or without a space or ・ (チャン・ヴァン・ナム = チャンヴァンナム), its kana reading
    (蛭田 和明 = ヒルタ カズアキ), and its surname or given name alone (三浦 さくら … 三浦). A part
    shared by two people keeps its own key."""
    keys = [name_key(text[a:b]) for a, b in spans]
    owners: dict[str, set[str]] = {}
    single = []
    # names in kanji first: their readings then claim the same person's kana spelling
    for (a, b), key in sorted(zip(spans, keys, strict=True), key=lambda sk: not _KANJI.search(sk[1])):
        value = text[a:b]
        parts = [p for p in re.split(r"[ ・=]|\(", value.rstrip(")")) if len(p) >= 2]
        if len(parts) < 2:
            single.append(key)
            continue
        known = owners.get(key, set())
        person = next(iter(known)) if len(known) == 1 else key
        for variant in {key, *_readings(value), *(name_key(p) for p in parts)}:
            owners.setdefault(variant, set()).add(person)
    for key in single:  # a surname alone belongs to the full name it is part of, if there is one
        owners.setdefault(key, {key})

    def owner(variant: str) -> str:
        found = owners.get(variant, set())
        return next(iter(found)) if len(found) == 1 else variant

    out = [(span, owner(key)) for span, key in zip(spans, keys, strict=True)]
    taken = list(spans)
    spellings = _spellings(text, spans, owners)
    for variant in sorted(spellings, key=len, reverse=True):
        key = spellings[variant]
        i = text.find(variant)
        while i >= 0:
            a, b = i, i + len(variant)
            if not any(x < b and a < y for x, y in taken):
                taken.append((a, b))
                out.append(((a, b), owner(key)))
            i = text.find(variant, i + 1)
    for (a, b), key in list(out):
        # 蔀 亜紀子 … 蔀まで: a one-character surname said again alone; 石原修 … 会計の石原から: the
        # surname of a full name written without a space, as the tokenizer divides it
        parts = text[a:b].split(" ")
        surname = None
        if len(parts) == 2 and len(parts[0]) == 1 and _KANJI.match(parts[0]):
            surname = parts[0]
        elif surnames and (a, b) in surnames and surnames[(a, b)] >= 2:
            surname = text[a : a + surnames[(a, b)]]
        if surname is not None:
            alone = rf"(?<![\u3400-\u9fff々]){re.escape(surname)}(?={_LONE_SURNAME_AFTER})"
            for m in re.finditer(alone, text):
                if not any(x < m.end() and m.start() < y for x, y in taken):
                    taken.append(m.span())
                    out.append((m.span(), key))
    return sorted(out)


_LONE_SURNAME_AFTER = r"(?:さん|様|さま|氏|まで|から|より|が|に|へ|と|は|を|の(?![\u3400-\u9fff]))"


def _spellings(text: str, spans: list[tuple[int, int]], owners: dict[str, set[str]]) -> dict[str, str]:
    """The ways a known name may be written again, each with the variant key it stands for: as
    written, without its spaces or joiners, with a space or ・ between its parts, and each part."""
    out: dict[str, str] = {}
    for a, b in spans:
        value = text[a:b]
        parts = [p for p in re.split(r"[ \u3000・=]+", value) if p]
        joined = "".join(parts)
        forms = {value, joined, " ".join(parts), "・".join(parts)}
        if len(parts) == 1 and len(joined) <= 8:  # 泉ゆかり may also be written 泉 ゆかり
            forms |= {f"{joined[:i]}{sep}{joined[i:]}" for i in range(1, len(joined)) for sep in (" ", "・")}
        for form in forms:
            out.setdefault(form, name_key(form))
        if len(parts) >= 2:
            for part in parts:
                if len(part) >= 2:
                    out.setdefault(part, name_key(part))
    for variant in owners:  # readings (ヒルタカズアキ) and their hiragana
        out.setdefault(variant, variant)
    return {form: key for form, key in out.items() if len(form) >= 2}


_KANJI = re.compile(r"[\u3400-\u9fff]")


def _readings(value: str) -> set[str]:
    """The kana readings (katakana and hiragana keys) of a name written in kanji, from the dictionary."""
    if not re.search(r"[\u3400-\u9fff]", value):
        return set()
    katakana = name_key(reading(name_key(value)))
    if not katakana or not re.fullmatch(r"[\u30a1-\u30fa\u30fc]+", katakana):
        return set()
    hiragana = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in katakana)
    return {katakana, hiragana}


_NOT_A_PERSON_AFTER = re.compile(r"という(?:仮名|仮の名前|架空|名前の例|例)|など(?:の敬称|と呼)")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]+")
_GIVEN_NAME_SCRIPT = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u9fff々]+")
_NAMEY_SCRIPT = re.compile(r"[\u3400-\u9fff\u30a1-\u30fa\u30fc々]+")
_JOINERS = ("・", "=")


class NameDetector:
    """Finds person names."""

    def __init__(self, policy: ScreeningPolicy) -> None:
        self._allow = frozenset(name_key(n) for n in (*PUBLIC_FIGURES, *policy.allow_names))
        names = sorted({n for n in policy.allow_names if len(n) >= 2}, key=len, reverse=True)
        self._allow_pattern = re.compile("|".join(re.escape(n) for n in names)) if names else None
        self._model = load_name_model() if policy.learned_names else None
        load_analyser()  # at start-up, not on the first message

    def detect(self, views: Views) -> list[Hit]:
        """Person-name hits (base view)."""
        text = views.base.text
        toks = views.tokens
        runs = _runs(toks)
        by_begin = {t.begin: k for k, t in enumerate(toks)}
        specimen = _SPECIMEN_CUE.search(text) is not None
        # a name found by its slot alone, with no word of the dictionary for it, is invented in a
        # message about a form's example (使用者名「水道 流太」の見本)
        slots = [] if specimen else slot_spans(text, toks, by_begin)
        spans = _merge(
            _person_runs(text, toks, runs)
            + _anchored(text, toks, by_begin)
            + context_spans(text, toks, by_begin)
            + slots
            + self._learned_spans(text, toks, specimen)
        )
        run_spans = [(toks[i].begin, toks[j - 1].end) for i, j in runs]
        run_spans += [m.span() for m in _KATAKANA_JOINED.finditer(text)]  # ファム・ヴァン・ナム in a list
        spans = _with_listed(text, run_spans, spans) + romanised_spans(text) + _spaced_out(text)
        spans += [m.span("name") for m in _NAMED_AS.finditer(text)]
        spans = _merge(spans)
        spans = _merge(spans + listed_names(text, toks, by_begin, spans))
        spans = _merge(spans + other_spelling_after(text, spans))
        spans = _merge(spans + _parallel_items(text, spans))
        spans = [_with_given_name(text, _with_reading(text, span)) for span in spans]
        allowed = [m.span() for m in self._allow_pattern.finditer(text)] if self._allow_pattern else []
        history = _HISTORY.search(text) is not None
        voice = voice_input(text)
        kept = []
        for a, b in _merge([*spans, *_before_reading(text, spans)]):
            if text[a:b] in _GROUP_WORDS:
                continue  # サザエさん一家（…）: the family, its members listed after it
            if voice and text[a:b].split()[-1] in _KANA_COMMON_NOUNS:
                continue  # こどもさん, おくさん: a word before さん, not a name
            if voice and not (
                _VOICE_NAME_CUE_AFTER.match(text, b) or _VOICE_NAME_CUE_BEFORE.search(text, max(0, a - 12), a)
            ):
                # left in kana by voice input, words look like names to the dictionary and the model
                # alike: only a name with an honorific after it or a name label before it is one
                continue
            key = name_key(text[a:b])
            bare = name_key(_READING_AT_END.sub("", text[a:b]))  # 新島八重（会津出身）: a full name
            famous = key in self._allow or (len(bare) >= 3 and not bare.isascii() and bare in self._allow)
            if not key or famous or any(x < b and a < y for x, y in allowed):
                continue
            plain = _READING_AT_END.sub("", text[a:b])  # Maebashi Park (Shikishima-cho)
            if _LATIN_PLACE.search(plain) or _LATIN_PLACE_AFTER.match(text, b):
                continue  # Maebashi Park, Hirose River: a place
            following = _NEXT_LATIN.match(text, b)
            if (
                (specimen and _is_specimen_name(text[a:b] + (following.group() if following else "")))
                or _LEGAL_STAND_IN.match(text[a:b]) is not None
                or _LEGAL_STAND_IN_BEFORE.search(text, max(0, a - 2), a) is not None
                or (
                    _STAND_IN_GIVEN.fullmatch(text, a, b) and _STAND_IN_SURNAME.search(text, max(0, a - 5), a)
                )
                or _FICTIONAL_AFTER.match(text, b) is not None
                or _INVENTED_BEFORE.search(text, max(0, a - 16), a) is not None
                or (_in_fiction(text, a) and not _REAL_ROLE_BEFORE.search(text, max(0, a - 10), a))
                or _PLACE_LIST.match(text, b)
                or _PLACE_BRACKET.search(text, max(0, a - 80), a) is not None
            ):
                continue
            if (
                history
                and not _HISTORY_ADDRESSED.match(text, b)
                and not _LABEL.search(text[max(0, a - 14) : a])
            ):
                continue  # 偉人の名言…福沢諭吉: a historical figure; 講師の佐藤さん would still be masked
            kept.append((a, b))
        surnames = _token_surnames(toks, by_begin, kept)
        return [
            hit_from(views.base, "person_name", span, key) for span, key in _same_person(text, kept, surnames)
        ]

    def _learned_spans(self, text: str, toks: list[Tok], specimen: bool) -> list[tuple[int, int]]:
        """The name model's spans (learned_names.py), where the message is not about a form's example
        nor about names as words (多い名字の順位), and not an English word that names no one."""
        if self._model is None or specimen or _NAMES_AS_WORDS.search(text):
            return []
        return [(a, b) for a, b in self._model.spans(text, toks) if not common_word(text[a:b])]


_GROUP_WORDS = frozenset(
    words("一家 家族 ご家族 夫妻 ご夫妻 親子 兄弟 姉妹 一同 一行 ご一行 御一行 たち 達 ら 一族")
)
"""Words for a group of people, which a list of its members in brackets may follow."""
_KANA_COMMON_NOUNS = frozenset(
    words("こども おこさ おくさ だんな おや おかあ おとう おばあ おじい おねえ おにい みなさ かちょう")
)
_VOICE_NAME_CUE_AFTER = re.compile(
    r" ?(?:ちゃん|くん|さま|様|せんせい|サマ|サン(?![ァ-ヺ])|クン|チャン|ｻﾏ|ｻﾝ"
    r"|さん(?!じ|にん|ばん|かい|がい|ぷん|ふん|びゃく|まん|ぜん|せん|ねん|がつ|にち|ちょうめ|して|する|した))"
)
_VOICE_NAME_CUE_BEFORE = re.compile(r"(?:なまえ|しめい|おなまえ)(?:は|が|:|：)? ?$")


_NAMED_AS = re.compile(
    r"(?<![\u30a1-\u30fa\u30fc\u3400-\u9fff々])[「『'\"‘“]?"
    r"(?P<name>[\u30a1-\u30fa\u30fc]{3,16}|[\u3400-\u9fff々]{2,4}(?: ?[\u3400-\u9fff々]{1,4})?)"
    r"(?<![課係室部局都道府県市町村区所館会社庁省])[」』'\"’”]?"
    r"(?=という(?:カナ|カタカナ|ひらがな|漢字|ローマ字|フリガナ|読みの)?(?:の)?"
    r"(?:氏名|名前の(?:方|人|職員|申請者|利用者|住民)|方(?![\u3400-\u9fff])|申請者|利用者|相談者|住民|男性|女性|お客様))"
)
"""A name the message says is one (「オオタケヨシハル」というカナ氏名, 田中という相談者)."""
_SPACED_OUT = re.compile(
    r"(?<![\u3400-\u9fff々])(?<![\u3400-\u9fff々][ \u3000])(?<![\u3400-\u9fff々][ \u3000]{2})"
    r"(?:(?![様殿])[\u3400-\u9fff々][ \u3000]{1,3}){2,5}(?![様殿])[\u3400-\u9fff々]"
    r"(?=[ \u3000]*(?:様|さま|さん|殿|君|くん|ちゃん|\n|$|[（(]))"
)
_SPACED_OUT_LABEL = re.compile(
    r"(?:宛名|宛[ \u3000]?先|差[ \u3000]?出[ \u3000]?人|氏[ \u3000]?名|名[ \u3000]?前|お名前|申請者"
    r"|相談者|届出人|受取人|本人)"
    r"[ \u3000]*[:：]?[ \u3000]*$"
)


def _spaced_out(text: str) -> list[tuple[int, int]]:
    """A name an OCR or a form's boxes spaced out character by character (宛名：松 本  京 子 様):
    three to six single kanji with spaces between, with an honorific after or a name label before."""
    if " " not in text and "\u3000" not in text:
        return []
    out = []
    for m in _SPACED_OUT.finditer(text):
        start = m.start()
        inner = _SPACED_LABEL_INSIDE.match(text, start, m.end())
        if inner is not None:
            start = inner.end()  # 氏 名　高 橋 優 斗: the label spaced out with the name
        if m.end() - start < 5:
            continue
        rest = text[m.end() :].lstrip(" \u3000")
        labelled = inner is not None or _SPACED_OUT_LABEL.search(text, max(0, start - 10), start) is not None
        if labelled or rest.startswith(("様", "さま", "さん", "殿", "君", "くん", "ちゃん")):
            out.append((start, m.end()))
    return out


_SPACED_LABEL_INSIDE = re.compile(r"(?:氏|名|宛)[ \u3000]{1,2}(?:名|前)[ \u3000]{1,2}")


_NAMES_AS_WORDS = re.compile(
    r"(?:名字|苗字|姓|名前)の?(?:ランキング|順位|由来|読み方|多い順|一覧)|(?:多い|珍しい|よくある)(?:名字|苗字|姓)"
)
"""A message about names as words: the surnames in it are examples, not people."""

_ITEM_PREFIX = re.compile(
    r"[ \t]*(?:[・\-*•●◦][ \t]*)?"
    r"(?:[^\s、,:：]{0,8}(?:部門|部|班|賞|係|担当|組|位)(?=[ \t])|[^\s:：、,・]{1,10}[：:]|\([0-9]{1,3}\)"
    r"|[0-9]{1,3}[.)]?(?=[ \t])|[0-9]{1,2}/[0-9]{1,2}|[0-9]{1,2}月(?=[ \t]))?[ \t]*"
)
_TWO_PART_NAME = re.compile(
    r"(?:[\u3400-\u9fff々]{1,4} [\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{1,5}"
    r"|[\u30a1-\u30fa\u30fc]{2,8}[ ・][\u30a1-\u30fa\u30fc]{2,8})"
    r"(?=[ \t]*(?:\([^)\n]{0,12}\))?[ \t]*(?:です|。|$))"
)
_ONE_PART_NAME = re.compile(
    r"(?:[\u3400-\u9fff々]{2,4}|[\u3041-\u3096]{2,5}|[\u30a1-\u30fa\u30fc]{2,8})"
    r"(?=[ \t]*(?:\([^)\n]{0,12}\))?[ \t]*(?:です|。|$))"
)
_KATAKANA_JOINED = re.compile(
    r"(?<![\u30a1-\u30fa\u30fc・])(?:[\u30a1-\u30fa\u30fc]{2,8}(?:・[\u30a1-\u30fa\u30fc]{1,8}){1,3}"
    r"|[\u30a1-\u30fa\u30fc](?:・[\u30a1-\u30fa\u30fc]{2,8}){1,2})"  # イ・ソンホ: a one-letter surname
)
_ITEM_SPLIT = re.compile(r"\n|、|,")


def _shape(prefix: str) -> str:
    """What a list item's prefix looks like (・K, 0, K：): digits and words folded."""
    return re.sub(
        r"[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fcA-Za-z]+",
        "K",
        re.sub(r"[0-9]+", "0", prefix.strip()),
    )


def _parallel_items(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The other items of a list one of whose items is a name (受賞者：⏎・書道部門　X Y⏎・音楽部門
    〔name〕, 1 〔name〕⏎2 X Y, 1班 〔name〕、2班 X): the same place in an item with the same
    prefix holds a name of the same shape. A bare item needs a two-part name (姓 名); an item
    with a prefix (a number, a bullet, a label) may hold a surname alone."""
    items = []  # (block, shape, value start, value end)
    block, pos = 0, 0
    for m in _ITEM_SPLIT.finditer(text + "\n"):
        segment = text[pos : m.start()]
        line_item = pos == 0 or text[pos - 1] == "\n"
        if not segment.strip():
            block += 1
        else:
            prefix = _ITEM_PREFIX.match(segment)
            shape = _shape(prefix.group() if prefix else "")
            if line_item or shape:  # a bare item only as a line of its own (not 欠席者 X、Y)
                start = pos + (prefix.end() if prefix else 0)
                items.append((block, shape, start, pos + len(segment.rstrip())))
        if m.group() == "\n" and text[m.end() : m.end() + 1] == "\n":
            block += 1
        pos = m.end()
    starts = dict(spans)
    named = {(blk, shape) for blk, shape, a, b in items if a in starts and starts[a] <= b}
    out = []
    for blk, shape, a, b in items:
        if (blk, shape) not in named or a in starts:
            continue
        value = text[a:b]
        one_part = bool(shape) and not shape.endswith(("：", ":"))  # 在留資格：技能実習 is no name
        name = _TWO_PART_NAME.match(value) or (_ONE_PART_NAME.match(value) if one_part else None)
        if name is not None and value[: name.end()] not in _STOP_NOUNS:
            out.append((a, a + name.end()))
    return out


def _with_listed(
    text: str, runs: list[tuple[int, int]], masked: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Names listed next to a masked one (佐藤さんと鈴木, 参加者：高橋、伊藤、木村) are masked too."""
    items = sorted({*masked, *runs})
    merged = _merge(masked)
    starts = [a for a, _ in merged]
    is_masked = [_covered(span, merged, starts) for span in items]
    for forward in (True, False, True):
        order = range(len(items)) if forward else range(len(items) - 1, -1, -1)
        prev = None
        for k in order:
            if not is_masked[k] and prev is not None and is_masked[prev]:
                left, right = (items[prev], items[k]) if forward else (items[k], items[prev])
                is_masked[k] = _LISTED.fullmatch(text[left[1] : right[0]]) is not None
            prev = k
    return [span for span, m in zip(items, is_masked, strict=True) if m]


def _covered(span: tuple[int, int], merged: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether `span` overlaps one of the sorted, merged spans."""
    i = bisect.bisect_left(starts, span[1])
    return i > 0 and merged[i - 1][1] > span[0]


def _runs(toks: list[Tok]) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of consecutive name tokens."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if toks[i].person:
            j = _run_end(toks, i)
            start = i
            while start >= 2 and _joins_name(toks[start - 2], toks[start - 1], toks[start]):
                start -= 2
            if not runs or start >= runs[-1][1]:
                runs.append((start, j))
            i = j
        else:
            i += 1
    return runs


_GIVEN_IN_HIRAGANA = re.compile(
    r"[ \u3000]?(?P<given>[\u3041-\u3096]{2,4})"
    r"(?=[ \u3000\t]*(?:さん|様|さま|くん|ちゃん|君|氏|[,、，)）\]」\n]|$))"
)
_NOT_A_GIVEN_NAME = frozenset(
    words(
        "です でした ます まで から より など ほか たち ども さん さま くん ちゃん だけ のみ とか"
        " について には にも では とは への での として により にて からは"
    )
)
_LATIN_HYPHENATED = re.compile(
    r"-(?!(?:san|sama|kun|chan|sensei|shi|ku|cho|machi|gun|mura)\b)[A-Za-z][a-z]+(?![A-Za-z])"
)
_LATIN_GIVEN_AFTER_COMMA = re.compile(r", ?[A-Z][a-z]+(?=[ \t]*(?:\n|$))")


def _with_given_name(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Extend a name over the rest of it that the token-level rules leave out: a given name in
    hiragana after a kanji surname (須藤 あかね), the second half of a hyphenated given name
    (Park Ji-young, Jean-Pierre), a given name after the surname's comma on a list line
    (Rivera, Angelica)."""
    a, b = span
    last = text[b - 1]
    if "\u3400" <= last <= "\u9fff" and not any("\u3041" <= c <= "\u3096" for c in text[a:b]):
        m = _GIVEN_IN_HIRAGANA.match(text, b)
        if m and m.group("given") not in _NOT_A_GIVEN_NAME:
            return a, m.end()
    if last.isascii() and last.isalpha():
        m = _LATIN_HYPHENATED.match(text, b)
        if m:
            return a, m.end()
        line_start = text.rfind("\n", 0, a) + 1
        m = _LATIN_GIVEN_AFTER_COMMA.match(text, b)
        if m and _ITEM_PREFIX.fullmatch(text, line_start, a):
            return a, m.end()
    return span


def _with_reading(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Extend a name over its reading in brackets: 山田花子（やまだ はなこ）."""
    m = _READING.match(text, span[1])
    return (span[0], m.end()) if m else span


def _person_runs(text: str, toks: list[Tok], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of person-name tokens that are a full name, a katakana name in parts, or labelled."""
    spans = []
    for i, j in runs:
        start, end = toks[i].begin, toks[j - 1].end
        if _place_word(toks, j) or _given_then_surname(toks[i:j]):
            continue
        if not _is_subject(text, start, end) and (
            _is_full_name(toks[i:j]) or _LABEL.search(text[:start][-14:])
        ):
            spans.append((start, end))
    return spans


_PLACE_SUFFIXES = frozenset(
    words(
        "橋 大橋 川 山 岳 峠 岬 浜 湖 沼 池 淵 滝 谷 台 駅 港 島 町 村 地区 団地 公園 通り 交差点 トンネル"
        " 神社 寺 城 小学校 中学校 高校 霊園 ダム 沿い 付近 周辺 方面 温泉 海岸 川沿い"
    )
)


def _place_word(toks: list[Tok], j: int) -> bool:
    """The run is glued to a word that makes it a place (大渡橋, 高田馬場駅付近, 佐原団地): token j
    follows the run with no space and is a place suffix."""
    return j < len(toks) and toks[j].surface in _PLACE_SUFFIXES and toks[j].begin == toks[j - 1].end


def _given_then_surname(run: list[Tok]) -> bool:
    """A given name run into a surname with nothing between (覚+満淵): no Japanese name is written
    that way, so it is a word the dictionary split, not a person."""
    return len(run) == 2 and run[0].pos3 == "名" and run[1].pos3 == "姓"


def _run_end(toks: list[Tok], i: int) -> int:
    """End of the run of name tokens starting at i (姓 名, 姓 + space + 名, カナ・カナ)."""
    j = i + 1
    while j < len(toks):
        tok = toks[j]
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if tok.person:
            j += 1
        elif nxt is not None and _joins_name(toks[j - 1], tok, nxt):
            j += 2
        else:
            break
    return j


def _joins_name(prev: Tok, tok: Tok, nxt: Tok) -> bool:
    """A space between name tokens (石井 美加) or ・ between katakana parts (グエン・ティ)."""
    if tok.surface == " ":
        return _name_part(prev) and _name_part(nxt) and (prev.person or nxt.person)
    return tok.surface in _JOINERS and _is_katakana(prev.surface) and _is_katakana(nxt.surface)


def _name_part(tok: Tok) -> bool:
    """A person-name token, or a katakana proper noun next to one (スズキ ハナコ, サトウ ケンタ)."""
    return tok.person or (tok.pos1 == "固有名詞" and _is_katakana(tok.surface))


def _is_full_name(run: list[Tok]) -> bool:
    """姓 followed by 名, two name tokens, or katakana parts joined by ・."""
    people = [t for t in run if t.person]
    if any(a.pos3 == "姓" and b.pos3 == "名" for a, b in itertools.pairwise(people)):
        return True
    return any(t.surface in _JOINERS for t in run) or len(people) >= 2


def _is_subject(text: str, start: int, end: int) -> bool:
    """The name is the subject of the text (宮沢賢治の作品, 鈴木という姓, 詩人の萩原朔太郎)."""
    return bool(_SUBJECT_AFTER.match(text, end) or _SUBJECT_BEFORE.search(text[max(0, start - 8) : start]))


_NOT_AN_HONORIFIC = re.compile(r"氏名|氏族|様式|様子|様相|殿堂|君主|先生方(?:へ|に)")


def _anchored(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """Names right before an honorific or a job title, whatever the dictionary calls them."""
    spans = []
    for m in _ANCHOR.finditer(text):
        k = by_begin.get(m.start())
        if k is None:
            continue
        if _NOT_A_PERSON_AFTER.match(text, m.end()) or _NOT_AN_HONORIFIC.match(text, m.start()):
            continue  # カナ氏名, 申請様式: a word that begins with the honorific's character
        last = k - 2 if k >= 2 and toks[k - 1].surface == " " else k - 1
        first = _walk_back(toks, last, strict=m.group() not in HONORIFICS)
        if first is not None:
            spans.append((toks[first].begin, toks[last].end))
    return spans


def _walk_back(toks: list[Tok], last: int, *, strict: bool) -> int | None:
    """Index of the first token of the name that ends with token `last`, or None."""
    j, first, taken = last, None, 0
    if _given_name_after_surname(toks, last):
        first, taken, j = last, 1, last - 1  # 長谷川 さくら 様: a given name the dictionary calls a noun
    while j >= 0 and taken < 4:
        tok = toks[j]
        if _namey(tok, strict=strict):
            first, taken = j, taken + 1
            j -= 1
        elif (
            first is not None
            and tok.surface in (" ", *_JOINERS)
            and j > 0
            and _namey(toks[j - 1], strict=strict)
        ):
            j -= 1
        else:
            break
    return first


def _given_name_after_surname(toks: list[Tok], k: int) -> bool:
    """Token k is a short kana/kanji word right after a surname (spaces allowed)."""
    j = k - 1
    if j >= 0 and toks[j].surface == " ":
        j -= 1
    tok = toks[k]
    return (
        j >= 0
        and toks[j].pos3 == "姓"
        and not tok.person
        and 1 <= len(tok.surface) <= 5
        and _GIVEN_NAME_SCRIPT.fullmatch(tok.surface) is not None
        and tok.pos1 in ("普通名詞", "固有名詞", "一般", "*")
    )


def _namey(tok: Tok, *, strict: bool) -> bool:
    """Could be (part of) a person's name before さん/様 (or, `strict`, before a job title)."""
    if tok.person:
        return True
    if not _NAMEY_SCRIPT.fullmatch(tok.surface) or tok.surface in _STOP_NOUNS:
        return False
    if tok.pos1 == "固有名詞" and not strict:
        return tok.pos2 in ("地名", "一般")
    if tok.oov:
        return True
    return tok.pos1 in ("普通名詞", "固有名詞") and can_be_person(tok.surface)


def _is_katakana(surface: str) -> bool:
    return _KATAKANA.fullmatch(surface) is not None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans merged."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
