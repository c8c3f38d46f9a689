"""More contexts in which a word is a person's name (the rules `names` did not have).

- a job title or committee role before the name (課長 佐藤, 主査 土屋 匠, 市民委員 樋口 ちあき);
- a self-introduction or an extension after it (担当の鬼頭です, 市民課の古宇田と申します, 佐々木（内線3215）);
- a speaker at the start of a line ([10:02] 窪田: …);
- a hiragana given name before くん/ちゃん/さん or an age (はるとくん, そうた 2歳, にのまえ ひふみ さん);
- a surname the dictionary files as a place, before a given name (能登 信彦);
- English: "my name is Kevin O'Brien", "my son Kenta's", "Your daughter, Linh,".

Each rule returns spans in the base view; `NameDetector` merges them with its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.screening.analyser import Tok, can_be_person
from bot.core.screening.defaults import PERSON_LABELS, ROLES, words

_KANJI_1_4 = re.compile(r"[\u3400-\u9fff々]{1,4}")
_KANJI_NO = re.compile(r"[\u3400-\u9fff々]{1,2}[ノヶケ][\u3400-\u9fff々]{1,2}")
"""A surname with a kana linker (四ノ宮, 一ノ瀬, 八ヶ代)."""
_AWARDS = words("最優秀賞 優秀賞 優良賞 奨励賞 特別賞 審査員特別賞 佳作 入選 金賞 銀賞 銅賞 大賞")
"""Prizes in an award list (最優秀賞　寒河江 晴美): the name follows as after a title."""
_KANJI_2_4 = re.compile(r"[\u3400-\u9fff々]{2,4}")
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")
_GIVEN = re.compile(r"[\u3041-\u3096]{2,4}|[\u30a1-\u30fa\u30fc・]{2,8}|[\u3400-\u9fff々]{1,3}")
_QUALIFICATIONS = words(
    "一級建築士 二級建築士 建築士 弁護士 司法書士 行政書士 税理士 社会保険労務士 社労士 土地家屋調査士 医師 "
    "歯科医師 薬剤師 技術士 在住 在勤 在学"
)
"""A qualification before a name (一級建築士 丸山 綾) and a reader's place (高萩在住　石井 孝)."""
_TITLES = sorted(
    (
        *ROLES,
        "委員",
        "市民委員",
        "議員",
        "会長",
        "副会長",
        "理事長",
        "代表",
        "主任主事",
        "会計",
        "書記",
        "監事",
        "幹事",
        "顧問",
        *_AWARDS,
        *_QUALIFICATIONS,
    ),
    key=len,
    reverse=True,
)
_TITLE = re.compile(
    rf"(?:{'|'.join(_TITLES)}|[\u3400-\u9fff]{{1,3}}(?<![課部局室係])長(?= ))[ \u3000]{{0,12}}"
)
_INTRO_AFTER = re.compile(
    r" ?(?:です|と申します|でございます|と言います|といいます|が担当|が回ります|が伺います|が対応"
    r"|から各|\(内線|（内線)"
)
_INTRO_BEFORE = re.compile(r"(?:の|、|担当|わたくし|私|僕|うちは|私は|こちらは|名前は) ?$")
_INTRO = re.compile(
    _INTRO_BEFORE.pattern.removesuffix("$")
    + r"(?P<w>[\u3400-\u9fff々\u30a1-\u30fa\u30fc]{1,8}?)"
    + r"(?=(?:\([\u3041-\u3096\u30a1-\u30fa\u30fc ]{1,12}\))?"
    + _INTRO_AFTER.pattern
    + ")"
)
_SPEAKER = re.compile(
    r"(?m)^(?:\[[0-9:]{4,5}\] ?|[0-9]{1,2}:[0-9]{2} ?)?"
    r"(?:(?:住民|市民|委員|議員|保護者|相談者|参加者|地権者|区長|会長|職員|申請者)[ \u3000])?"
    r"(?P<name>[^\s:：\[\]()（）]{1,6})(?:[(（][^)）\n]{1,10}[)）])? ?[:：](?![0-9])"
)
_HIRAGANA_NAME = re.compile(
    r"(?:^|(?<=[\s「『（(・、，,：:　。！？!?])|(?<=くんと)|(?<=ちゃんと)|(?<=さんと)|(?<=[)）]と))"
    r"(?P<name>[\u3041-\u3096]{2,5}(?: (?!くん|ちゃん"
    r"|さん)[\u3041-\u3096]{2,5})?)"
    r"(?= ?(?:くん|ちゃん|君|様"
    r"|さん(?!じ|にん|ばん|かい|がい|ぷん|ふん|びゃく|まん|ぜん|せん|ねん|がつ|にち|ちょうめ"
    # a verb made of a word ending in さん (けいさんして = 計算して, さんかする): no honorific
    r"|して|する|した|しない|します|しよう|すれば|せず|させ|され))"
    r"| ?[（(]?(?:小|中)?[0-9]{1,2} ?(?:歳|か月|ヶ月|才))"
)
"""A given name in hiragana before an honorific or an age; さん read as 三 (ごごさんじ, 三時) is a number."""
_NOT_HIRAGANA_NAMES = frozenset(
    words(
        "おばあ おじい おかあ おとう おねえ おにい ばあ じい ねえ にい あか みな みんな おじ おば おまわり "
        "おいしゃ おきゃく おくさ おこさ おじょう ぼっ おぼっ あなた わたし こども みなさ だんな おや こちら "
        "そちら あちら どちら みなみ ひがし にし きた ごご ごぜん"
    )
)
_LATIN_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ỸĐ][a-zß-öø-ÿā-ỹđ'’]+"
_ROMAN_CONTEXT = re.compile(
    r"(?:[Mm]y name is|I am|I'm|[Tt]his is|[Nn]amed|[Cc]alled|[Tt]ôi là|[Mm]e llamo|[Mm]i nombre es"
    r"|[Jj]e m'appelle)"
    rf" (?P<a>{_LATIN_WORD}(?:[ \-]{_LATIN_WORD}){{0,3}})"
    r"|(?:[Mm]y|[Oo]ur|[Yy]our|[Hh]is|[Hh]er|[Tt]heir) (?:son|daughter|child|wife|husband|mother"
    r"|father|grandson"
    r"|granddaughter|brother|sister),? (?P<b>[A-Z][a-z'’]+)"
)
_ROMAN_STOP = frozenset(
    words("The City Hall Japan Japanese English Mr Ms Mrs Dr Sir Madam I We You He She It They")
)
_LABEL_WORDS = frozenset((*PERSON_LABELS, *ROLES))


_SIGNATURE_LINE = re.compile(
    r"(?m)^(?:> ?)?(?P<name>[\u3400-\u9fff々]{1,4} [\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{1,4})"
    r"[ \t]*$"
)
_SIGNATURE_BEFORE = re.compile(r"(?:^|\n)(?:> ?)?(?:-{2,}|—+|_{2,}|={2,})[ \t]*$|[。！？!?…」)][ \t]*$")
_SIGNATURE_AFTER = re.compile(
    r"[ \t]*(?:\n(?:> ?)?[ \t]*(?:\n|$)|$|\n(?:> ?)?(?:mail|e-?mail|TEL|Tel|電話|携帯|〒|住所))"
)
_ENGLISH_SIGN_OFF = re.compile(
    r"(?:Thanks|Thank you|Regards|Best|Cheers|Sincerely),? (?P<name>[A-Z][a-z]{1,14})(?=[\"'.\s]|$)"
)


def _signatures(text: str) -> list[tuple[int, int]]:
    """A name standing alone as a letter's signature: on the line after "--", or as the last line
    of a letter (after a sentence, before a blank line, the end or a mail/TEL line); "Thanks, Sam"."""
    spans = []
    if "\n" in text:
        for m in _SIGNATURE_LINE.finditer(text):
            before = text[: max(0, m.start() - 1)]
            line_before = before[before.rfind("\n") + 1 :]
            if _SIGNATURE_BEFORE.search(line_before) and _SIGNATURE_AFTER.match(text, m.end()):
                spans.append(m.span("name"))
    return spans + [m.span("name") for m in _ENGLISH_SIGN_OFF.finditer(text)]


def context_spans(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """Name spans found by the context rules (`by_begin`: token index by its start offset).

    Rules that need a character the text does not have (a colon, Latin letters) are skipped."""
    spans = _after_title(text, toks, by_begin)
    spans += _introductions(text, toks, by_begin)
    spans += _hiragana(text)
    spans += _place_surname(toks)
    spans += _spaced(text, toks, by_begin)
    spans += _katakana_honorific(text)
    spans += _labelled_kana(text)
    spans += _labelled_kanji(text)
    spans += [m.span("name") for m in _MINUTES_SPEAKER.finditer(text)]
    spans += [m.span("name") for m in _ROLE_BRACKET.finditer(text)]
    spans += _signatures(text)
    spans += [m.span("w") for m in _SELF_FROM.finditer(text) if _self_name(toks, by_begin, m)]
    spans += _after_department(text, toks, by_begin)
    spans += _with_reading_bracket(text, toks, by_begin)
    spans += _hiragana_after_no(text)
    spans += _given_names_counted(text, toks, by_begin) + _hiragana_counted(text)
    spans += _log_speakers(text)
    spans += [m.span("name") for m in _DISPLAY_NAME.finditer(text) if m.group("name") not in _LABEL_WORDS]
    spans += _marked_items(text)
    if "@" in text:
        spans += _mentions(text, toks, by_begin)
    spans += _numbered_chain(text, toks, by_begin)
    spans += [m.span("name") for m in _SEX_AFTER.finditer(text)]
    spans += [m.span("name") for m in _STATUS_AFTER.finditer(text) if m.group("name") not in _LABEL_WORDS]
    spans += [m.span("name" if m.group("name") else "tag") for m in _QUOTED_HONORIFIC.finditer(text)]
    spans += [m.span("name") for m in _CALLED.finditer(text) if _called_name(toks, by_begin, m)]
    spans += [m.span(g) for m in _FOREIGN_WITH_LATIN.finditer(text) for g in ("kana", "latin")]
    spans += [m.span("name") for m in _FAMILY_NAME.finditer(text)]
    spans += _family_given(text, toks, by_begin)
    if ":" in text or "：" in text:
        spans += _speakers(text, toks, by_begin)
        spans += _colon_list(text, toks, by_begin)
    if _HAS_LATIN.search(text):
        spans += _roman(text)
    return spans


_HAS_LATIN = re.compile(r"[A-Z][a-z]")


_FAMILY_NAME = re.compile(
    r"(?:娘|息子|長男|長女|次男|次女|三男|三女|孫|妻|夫|母|父|子|兄|弟|姉|妹)(?:の|・|：|:| )"
    r"(?P<name>[\u3041-\u3096]{2,5}|[\u30a1-\u30fa\u30fc]{2,8})(?=[(（、。 ]|くん|ちゃん|$)"
)
"""A child or relative by given name (娘のさくら（3年2組）, 長男・そうた)."""
_FAMILY_BEFORE = re.compile(
    r"(?:娘|息子|長男|長女|次男|次女|三男|三女|孫|妻|夫|子|兄|弟|姉|妹|お子さん|お嬢さん|息子さん|娘さん)(?:の|・)"
)


def _family_given(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """A relative by a given name the dictionary knows as one (息子の翔（3年2組）, 娘の美咲が):
    a word like 学校 or 担任 after 息子の is no name and is left alone."""
    spans = []
    for m in _FAMILY_BEFORE.finditer(text):
        k = by_begin.get(m.end())
        if k is None or not toks[k].person:
            continue
        end = toks[k].end
        if k + 1 < len(toks) and toks[k + 1].person and toks[k + 1].begin == end:
            end = toks[k + 1].end
        spans.append((toks[k].begin, end))
    return spans


_DEPARTMENT_BEFORE = re.compile(
    r"(?:[\u3400-\u9fff]{1,10}(?:課|係|室|班|局|センター|事務所)|担当|当番|受付|記入者|送信者|発信者|作成者|漢字は|漢字で|下は|上は)"
    r"[ ：:]+$"
)
_DEPARTMENT_AFTER = r" ?(?:$|\n|[。、,）)」/]|より|から|です|まで|宛)"
_DEPARTMENT = re.compile(
    _DEPARTMENT_BEFORE.pattern.removesuffix("$")
    + r"(?P<w>[\u3400-\u9fff々]{1,4})(?="
    + _DEPARTMENT_AFTER
    + ")",
    re.MULTILINE,
)


def _after_department(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """A name after a section or a name label, ending the phrase (送信者 保険年金課 村越 /
    年金係：鬼塚 / 漢字は 生方)."""
    spans = []
    for m in _DEPARTMENT.finditer(text):
        k = by_begin.get(m.start("w"))
        if k is None or toks[k].end != m.end("w") or toks[k].surface in _LABEL_WORDS:
            continue
        if _name_like(toks[k]) or toks[k].pos1 == "固有名詞":
            spans.append(m.span("w"))
    return spans


_SPACED = re.compile(
    r"(?<= )[\u3400-\u9fff々]{2,4}"
    r"(?= ?(?:が|から|に|へ|と|は|を|夫妻|夫婦|医師|家(?![族庭事具電])|一家|ご家族|さんご家族))"
)
_KATAKANA_HONORIFIC = re.compile(
    r"(?:^|(?<=[\s「『（(・、，,：:。]))"
    r"(?P<name>[\u30a1-\u30fa\u30fc]{2,8}(?:[・ ][\u30a1-\u30fa\u30fc]{1,8}){0,3}?)"
    r"(?= ?(?:[（(][^）)\n]{1,24}[）)] ?)?"
    r"(?:さん|様(?!式)|くん|ちゃん|氏(?!名)|サマ|サン(?![ァ-ヺ])|クン|チャン))"
)
_NOT_KATAKANA_NAMES = frozenset(
    words("パパ ママ オーナー ゲスト メンバー スタッフ ユーザー ドクター ファン オーナ サポーター")
)
_LABELLED_KANJI = re.compile(
    r"(?:名前|氏名|姓|名字|苗字|下の名前|上の名前)(?:は|が|：|:)?「(?P<name>[\u3400-\u9fff々]{1,4})"
    r"(?:[（(](?P<reading>[\u3041-\u3096\u30a1-\u30fa\u30fc ]{2,12})[）)])?」"
)
"""A name in kanji after a name label, with its reading (苗字は「小鳥遊（たかなし）」)."""
_MINUTES_SPEAKER = re.compile(
    r"(?m)^[○〇◯◎] ?[\u3400-\u9fff\u30a1-\u30fa\u30fc]{1,8}[（(](?P<name>[\u3400-\u9fff々]{1,4})"
    r"(?:委員|議員|君|氏)?[）)]"
)
"""A speaker in council minutes: ○委員長（真柴）, ○事務局（江頭）."""
_ROLE_BRACKET = re.compile(
    r"(?:事務局|事務局長|会長|副会長|委員長|副委員長|委員|議長|副議長|司会|座長|記録|担当|課長|係長|部長|所長|館長)"
    r"[（(](?P<name>[\u3400-\u9fff々]{1,4}(?: [\u3400-\u9fff々\u3041-\u3096]{1,4})?"
    r"|[\u30a1-\u30fa\u30fc]{2,8}(?:・[\u30a1-\u30fa\u30fc]{1,8}){0,3})[）)]"
)
"""Who holds a role, in brackets after it, anywhere in a text: 事務局（丹野）, 会長（塩田）："""
_SELF_FROM = re.compile(r"(?:私|わたくし|僕)[、 ]?(?P<w>[\u3400-\u9fff々]{1,4})(?=から|より|が担当|です)")
"""The writer naming themself before what they send (私、今泉から…)."""
_LABELLED_KANA = re.compile(
    r"(?:名前|氏名|姓|名字|苗字|下の名前|上の名前|下|上|読み|よみ|ふりがな|フリガナ)(?:は|が|："
    r"|:)?「(?P<name>[\u3041-\u3096\u30a1-\u30fa\u30fc ]{2,12})」"
)


def _spaced(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """A name set off by spaces, as Japanese writers do (検針員の 柳沼 が, 担当は 春日 から 栗原 に)."""
    spans = []
    for m in _SPACED.finditer(text):
        k = by_begin.get(m.start())
        if (
            k is not None
            and toks[k].end == m.end()
            and _name_like(toks[k])
            and toks[k].surface not in _LABEL_WORDS
        ):
            spans.append(m.span())
    return spans


def _colon_list(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """A list of surnames after a colon (国保係：梁川、南雲、仁平 / 立会人：相馬、羽鳥、渋川)."""
    spans = []
    for m in re.finditer(
        r"[：:] ?((?:[\u3400-\u9fff々]{1,4}(?:、|,|・| )){1,8}[\u3400-\u9fff々]{1,4})(?=[（(。\n]|$)", text
    ):
        items = [(i.start(), i.end()) for i in _KANJI_1_4.finditer(m.group(1))]
        found = []
        for a, b in items:
            k = by_begin.get(m.start(1) + a)
            if k is not None and toks[k].end == m.start(1) + b and _name_like(toks[k]):
                found.append((m.start(1) + a, m.start(1) + b))
        if len(found) >= 2 and len(found) * 2 >= len(items):
            spans.extend(found)
    return spans


def _katakana_honorific(text: str) -> list[tuple[int, int]]:
    """A katakana name before さん/様 (ホアさん, グエンさん)."""
    return [
        m.span("name")
        for m in _KATAKANA_HONORIFIC.finditer(text)
        if m.group("name") not in _NOT_KATAKANA_NAMES
    ]


def _labelled_kanji(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _LABELLED_KANJI.finditer(text):
        spans.append(m.span("name"))
        if m.group("reading"):
            spans.append(m.span("reading"))
    return spans


def _self_name(toks: list[Tok], by_begin: dict[int, int], m: re.Match[str]) -> bool:
    k = by_begin.get(m.start("w"))
    return k is not None and toks[k].end == m.end("w") and _name_like(toks[k])


def _labelled_kana(text: str) -> list[tuple[int, int]]:
    """A name spelt out in kana after a name label (お名前は「うぶかた」, 下は「のりこ」)."""
    spans = [m.span("name") for m in _LABELLED_KANA.finditer(text)]
    return spans + [m.span("name") for m in _NAME_FIELD.finditer(text) if m.group("name") not in _OPENERS]


_OPENERS = frozenset(
    words(
        "それでは それでわ では ただいま ただ今 これより これから まず まずは つぎに はい ええ えー あの "
        "その よろしく ありがとう おはよう こんにちは こんばんは おつかれさま ほかに ほか 以上 本日"
    )
)
"""What a chair says after 司会： (司会：それでは、…): a minutes line's first word, not the chair's name."""


_NAME_FIELD = re.compile(
    r"(?:^|(?<=[\s、。,(]))(?:姓|名|氏名|名前|苗字|名字|せい|めい|差出人|送信者|進行|司会|記録|講師|説明者|(?:保護者|世帯主|申請者|相談者|担当者?)代表|[\u3400-\u9fff]{1,6}の方"
    r"|(?i:from))[：:] ?"
    r"(?P<name>[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{1,6}"
    r"(?: [\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{1,6})?)"
    r"(?=[\s、。,()]|$)"
)
"""Name fields of a form: 姓：髙橋　名：ゆかり."""


def _name_like(tok: Tok) -> bool:
    """A token that can be (part of) a name: tagged as one, a katakana word, unknown, or a noun the
    dictionary also has as a name."""
    return tok.person or _name_like_word(tok.surface, tok.pos1, tok.oov)


@lru_cache(maxsize=8192)
def _name_like_word(surface: str, pos1: str, oov: bool) -> bool:
    """`_name_like` for a token that is not tagged as a name (cached: the same words recur)."""
    if surface in _LABEL_WORDS or len(surface) > 6:
        return False
    if _KATAKANA_WORD.fullmatch(surface):
        return True
    if not (_KANJI_1_4.fullmatch(surface) or _KANJI_NO.fullmatch(surface)):
        return False
    return oov or (pos1 in ("普通名詞", "固有名詞") and can_be_person(surface))


def _take_name(toks: list[Tok], k: int) -> tuple[int, int] | None:
    """The span of a name starting at token k (surname, optional space, given name; katakana parts
    joined by ・), or None."""
    if k >= len(toks) or not _name_like(toks[k]):
        return None
    end, j = toks[k].end, k + 1
    while j < len(toks):
        tok = toks[j]
        if (tok.surface in ("・", "=") and j + 1 < len(toks) and _name_like(toks[j + 1])) or (
            tok.surface == " " and j + 1 < len(toks) and _given_like(toks[j + 1])
        ):
            end, j = toks[j + 1].end, j + 2
        elif tok.person or (j == k + 1 and _given_like(tok) and toks[k].pos3 == "姓"):
            end, j = tok.end, j + 1
        else:
            break
    return toks[k].begin, end


def _plain_kanji(toks: list[Tok], k: int) -> tuple[int, int] | None:
    """After a title, a short kanji word is the name even if the dictionary files it as a place."""
    tok = toks[k]
    if _KANJI_2_4.fullmatch(tok.surface) and tok.pos1 == "固有名詞" and tok.surface not in _LABEL_WORDS:
        if k + 2 < len(toks) and toks[k + 1].surface == " " and _given_like(toks[k + 2]):
            return tok.begin, toks[k + 2].end  # 監事 石動 一二三: the given name after a place-like surname
        return tok.begin, tok.end
    return None


def _given_like(tok: Tok) -> bool:
    """A given name after a surname: tagged as one, or short kana/kanji (匠, ちあき, ファム)."""
    if tok.pos1 == "数詞" and re.fullmatch(r"[一二三四五六七八九十]{1,3}", tok.surface):
        return True  # 鈴木 一二三 (ひふみ): a given name written in numerals
    return tok.person or bool(
        _GIVEN.fullmatch(tok.surface)
        and tok.pos1 in ("普通名詞", "固有名詞", "*", "一般")
        and tok.surface not in _LABEL_WORDS
    )


def _after_title(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    spans = []
    for m in _TITLE.finditer(text):
        k = by_begin.get(m.end())
        if k is None or (m.end() > 0 and text[m.end() - 1] != " " and not toks[k].person):
            continue  # 課長補佐 is a title; 課長佐藤 without a space is left to the anchored rule
        span = _take_name(toks, k) or _plain_kanji(toks, k)
        if span is not None and not re.match(
            r" ?(?:の|が|に|を|は)?(?:級|職|会議|会|室|候補)", text[span[1] :]
        ):
            spans.append(span)
    return spans


def _introductions(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    spans = []
    for m in _INTRO.finditer(text):
        k = by_begin.get(m.start("w"))
        if (
            k is not None
            and toks[k].end == m.end("w")
            and _name_like(toks[k])
            and toks[k].surface not in _LABEL_WORDS
            and not _weak_one_kanji(text[m.start() : m.start("w")], toks[k])
        ):
            spans.append(m.span("w"))
    return spans


def _weak_one_kanji(before: str, tok: Tok) -> bool:
    """「市民の方です」「対象の者です」「不在票のメモです」: after a bare の or 、 a one-kanji or katakana
    common noun is that noun, not a surname the dictionary also knows (a real name there is tagged
    as one, or unknown to it)."""
    common = len(tok.surface) == 1 or (_KATAKANA_WORD.fullmatch(tok.surface) and tok.pos1 == "普通名詞")
    return before.strip() in {"の", "、"} and bool(common) and not tok.person and not tok.oov


def _speakers(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    spans = []
    for m in _SPEAKER.finditer(text):
        k = by_begin.get(m.start("name"))
        if k is None:
            continue
        tok = toks[k]
        if tok.end == m.end("name") and _name_like(tok) and (tok.person or tok.oov or tok.pos1 == "固有名詞"):
            spans.append((tok.begin, tok.end))
    return spans


def _mountain_reading(text: str, m: re.Match[str]) -> bool:
    """筑波山（つくばさん）: the reading of a mountain's name ends in さん, which is no honorific."""
    a, b = m.span("name")
    return a >= 2 and text[a - 1] == "(" and text[a - 2] == "山" and text.startswith("さん)", b)


def _hiragana(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _HIRAGANA_NAME.finditer(text):
        name = m.group("name")
        if _mountain_reading(text, m):
            continue
        if name.split(" ")[0] not in _NOT_HIRAGANA_NAMES and not _ends_with_particle(name):
            spans.append(m.span("name"))
    return spans


_PARTICLE_STEMS = frozenset(
    words(
        "これ それ あれ どれ ここ そこ あそこ わたし わたくし ぼく おれ あなた きみ かれ かのじょ"
        " こども みんな きょう あした"
    )
)


def _ends_with_particle(name: str) -> bool:
    """A run that ends in a particle is a phrase (わたしは, こどもの), unless the kana before it is
    long enough to be a name that ends that way (ゆずは, いろは, あやの, ゆきの)."""
    if not name.endswith(("の", "は", "が", "を")):
        return False
    return name.endswith(("が", "を")) or len(name) < 3 or name[:-1] in _PARTICLE_STEMS


def _place_surname(toks: list[Tok]) -> list[tuple[int, int]]:
    """能登 信彦: a place-name token, a space, and a given name."""
    spans = []
    for k in range(len(toks) - 2):
        a, space, b = toks[k], toks[k + 1], toks[k + 2]
        if a.pos1 == "固有名詞" and a.pos2 == "地名" and space.surface == " " and b.pos3 == "名":
            spans.append((a.begin, b.end))
    return spans


def _roman(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _ROMAN_CONTEXT.finditer(text):
        group = "a" if m.group("a") else "b"
        value = m.group(group)
        if value.split(" ")[0] not in _ROMAN_STOP:
            a, b = m.span(group)
            if text[b - 2 : b] in ("'s", "’s"):
                b -= 2
            spans.append((a, b))
    return spans


_KANJI_WITH_READING = re.compile(
    r"(?P<name>[\u3400-\u9fff々]{1,4} [\u3400-\u9fff々]{1,4}|[\u3400-\u9fff々]{2,5})"
    r"\((?P<reading>[\u3041-\u3096\u30a1-\u30fa\u30fc]{1,8}(?P<space> |(?<=[\u30a1-\u30fa\u30fc])・)?"
    r"[\u3041-\u3096\u30a1-\u30fa\u30fc]{1,8})"
    r"(?:[/、,][^)\n]{1,30})?\)"
)
_HONORIFIC_AFTER = re.compile(r" ?(?:さん|様|さま|氏|くん|君|ちゃん|殿|先生)")
_PLACE_END = frozenset("川橋山岳駅町村区市郡島湖沼池寺園館校港浜台谷峠岬滝王帝皇")


def _with_reading_bracket(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """A name in kanji with its kana reading in brackets, the bracket masked with it (other
    spellings inside it too): a reading in two parts (比嘉 蒼空（ひが そら）, 王秀英（おう しゅうえい／
    Wang Xiuying）) is a surname and a given name; a reading in one part is a name when the
    person is introduced or addressed right after it (担当の四十物（あいもの）です, …（…）さん) —
    place names with readings (平（たいら）) have neither."""
    spans = []
    for m in _KANJI_WITH_READING.finditer(text):
        name_end = m.end("name")
        if text[name_end - 1] in _PLACE_END or (m.start() > 0 and text[m.start() - 1] == "・"):
            continue
        addressed = _INTRO_AFTER.match(text, m.end()) or _HONORIFIC_AFTER.match(text, m.end())
        if not (m.group("space") or addressed):
            continue
        start = _name_start(toks, by_begin, m.start("name"), name_end)
        if start is not None:
            spans.append((start, m.end()))
    return spans


def _name_start(toks: list[Tok], by_begin: dict[int, int], start: int, end: int) -> int | None:
    """Where the name inside [start, end) begins: the first token there that is not a title or a
    label (課長山田太郎 → 山田太郎); None when the span does not start on a token."""
    k = by_begin.get(start)
    while k is not None and k < len(toks) and toks[k].begin < end:
        tok = toks[k]
        if tok.surface not in _LABEL_WORDS and tok.surface not in _TITLES and tok.surface != " ":
            return tok.begin
        k += 1
    return None


_HIRAGANA_AFTER_NO = re.compile(r"(?<=の)(?P<name>(?!の)[\u3041-\u3096]{2,5})(?=くん|ちゃん)")
_NOT_PET_NAMES = frozenset(
    words("わん にゃん ねこ いぬ うさ おさる くま ぞう あかちゃん おこさ おねえ おにい")
)


def _hiragana_after_no(text: str) -> list[tuple[int, int]]:
    """A hiragana given name after の before くん/ちゃん (…生まれのゆうとくん, 隣の家のあおいちゃん)."""
    return [
        m.span("name")
        for m in _HIRAGANA_AFTER_NO.finditer(text)
        if m.group("name") not in _NOT_HIRAGANA_NAMES and m.group("name") not in _NOT_PET_NAMES
    ]


_PEOPLE_COUNT = re.compile(
    r"(?:の|は)?(?:[0-9一二三四五六七八九]{1,2} ?(?:人|名)|兄弟|姉妹|きょうだい|兄妹|姉弟|たち)"
)


_HIRAGANA_LIST = re.compile(
    r"(?:^|(?<=[\s「『(・、,:。!?]))(?P<list>[\u3041-\u3096]{2,5}(?:(?:、|,|と)[\u3041-\u3096]{2,5}){1,6})(?<!の)"
    r"(?=の?(?:[0-9一二三四五六七八九]{1,2} ?(?:人|名)|兄弟|姉妹|きょうだい|兄妹|姉弟))"
)


def _hiragana_counted(text: str) -> list[tuple[int, int]]:
    """Hiragana given names listed and then counted as people (ゆいと、みお、そうの3人 / あおとりくの兄弟)."""
    spans = []
    for m in _HIRAGANA_LIST.finditer(text):
        pos = m.start("list")
        for piece in re.split(r"(、|,)", m.group("list")):
            parts = piece.split("と")
            names = parts if len(parts) > 1 and all(len(p) >= 2 for p in parts) else [piece]
            for name in names:
                start = text.index(name, pos)
                if name not in ("、", ",") and name not in _NOT_HIRAGANA_NAMES:
                    spans.append((start, start + len(name)))
                pos = start + len(name)
    return spans


def _given_names_counted(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """Given names the dictionary knows, listed and then counted as people (まさと、ゆい、そうの3人 /
    ひなたとれんの兄弟): each item is a name even without an honorific. Read backwards from each
    count, so a text without one costs a single search."""
    spans: list[tuple[int, int]] = []
    for m in _PEOPLE_COUNT.finditer(text):
        k = by_begin.get(m.start())
        if k is None or k == 0:
            continue
        items, j = [], k - 1
        while j >= 0 and toks[j].person:
            items.append(toks[j])
            if j >= 1 and toks[j - 1].surface in ("、", ",", "と", "・"):
                j -= 2
            else:
                break
        if len(items) >= 2:
            spans += [(t.begin, t.end) for t in items]
    return spans


_LOG_LINE = re.compile(
    r"(?m)^[ \t]*(?:\[?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?\]?[ \t]+)?"
    r"(?:[\u3400-\u9fff]{1,10}(?:課|係|室|部|局|センター)[ \t]+)?"
    r"(?P<name>[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{1,8}"
    r"|[A-Za-z][A-Za-z0-9]*(?:[-_ ][A-Za-z0-9]+)?)"
    r"[ \t]?[:：](?![0-9])"
)
_DEPARTMENT_END = re.compile(r"(?:課|係|室|部|局|所|センター|班|チーム|グループ|事務局|委員会|協議会|会)$")
_NOT_SPEAKERS = frozenset(
    words(
        "事務局 司会 議長 委員長 全員 一同 会長 記録 備考 件名 宛先 日時 場所 内容 議題 結論 決定 質問 回答 "
        "To CC Cc Bcc From Subject Re RE Date Note Q A"
    )
)


def _log_speakers(text: str) -> list[tuple[int, int]]:
    """Speakers of a chat log or transcript: the same word opening two or more lines before a colon,
    after a time stamp or a section (00:01:12 しもむら:, [10:01] 情報政策課 山際:, yamada-k:)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for m in _LOG_LINE.finditer(text):
        name = m.group("name")
        if name not in _NOT_SPEAKERS and name not in _LABEL_WORDS and not _DEPARTMENT_END.search(name):
            found.setdefault(name, []).append(m.span("name"))
    if len(found) < 2 and not any(len(v) >= 2 for v in found.values()):
        return []
    return [span for spans in found.values() if len(spans) >= 2 for span in spans]


_DISPLAY_NAME = re.compile(
    r"(?m)(?:^|(?<=[\s:：,、]))"
    r"(?P<name>[\u3400-\u9fff々\u30a1-\u30fa\u30fc]{1,6}(?: [\u3400-\u9fff々\u3041-\u3096"
    r"\u30a1-\u30fa\u30fc]{1,6})?) ?<[A-Za-z0-9._%+\-]+@"
)
"""The display name before an address in angle brackets (今野 <k-konno@…>), as mail headers write it."""
_MARK = r"[◯○〇×✕△▲●◎]"
_MARKED_ITEM = re.compile(rf"(?:^|(?<=[\s]))(?:{_MARK}) ?(?P<name>[\u3400-\u9fff々]{{1,4}})(?=[\s(]|$)")


def _marked_items(text: str) -> list[tuple[int, int]]:
    """An attendance list (◯ 早川　× 野村　△ 百田（遅参）): surnames after ◯/×/△, when two or more."""
    found = [
        m.span("name")
        for m in _MARKED_ITEM.finditer(text)
        if m.group("name") not in _LABEL_WORDS and _ROLE_WORD.fullmatch(m.group("name")) is None
    ]
    return found if len(found) >= 2 else []


_ROLE_WORD = re.compile(
    rf"(?:{'|'.join(_TITLES)})|[\u3400-\u9fff]{{0,4}}(?:長|議員|委員|事務局|参事|理事|主幹|監|官)"
)
"""A speaker marked in minutes by office, not by name (○議員, ○副市長, ○教育長, ○事務局)."""


_MENTION = re.compile(r"(?:^|(?<=[\s、。]))@(?P<name>[\u3400-\u9fff々]{1,4})(?=[ \u3000、。,]|さん|様|$)")


def _mentions(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """A person mentioned as Teams writes it when a message is copied (@酒井 さっきの…)."""
    spans = []
    for m in _MENTION.finditer(text):
        k = by_begin.get(m.start("name"))
        if k is not None and toks[k].end == m.end("name") and _name_like(toks[k]):
            spans.append(m.span("name"))
    return spans


_CHAIN_ITEM = re.compile(  # ① is 1 in the base view
    r"(?<![0-9])[0-9]{1,2}[.)]? ?(?P<name>[\u3400-\u9fff々]{1,4})(?= ?(?:→|⇒|->|$|\s|、))"
)


def _numbered_chain(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """A phone tree or a relay order (①須田→②金井→③角田): numbered proper nouns passed on by arrows,
    at least one of them a person's name in the dictionary (a route of place names has none)."""
    if "→" not in text and "⇒" not in text and "->" not in text:
        return []
    items = []
    for m in _CHAIN_ITEM.finditer(text):
        k = by_begin.get(m.start("name"))
        if k is None or toks[k].end != m.end("name") or toks[k].pos1 != "固有名詞":
            continue
        items.append((m.span("name"), toks[k].person))
    if len(items) < 3 or not any(person for _, person in items):
        return []
    return [span for span, _ in items]


_SEX_AFTER = re.compile(
    r"(?P<name>[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{2,6}(?: [\u3400-\u9fff々\u3041-\u3096"
    r"\u30a1-\u30fa\u30fc]{1,6})?)\((?:男|女|男性|女性|男児|女児|M|F)\)"
)
"""A person with their sex in brackets (あおい（女）, 佐野 蓮（男））."""
_QUOTED_HONORIFIC = re.compile(
    r"「(?P<name>[\u3400-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{1,8}(?: [\u3400-\u9fff々\u3041-\u3096"
    r"\u30a1-\u30fa\u30fc]{1,6})?)」 ?(?:さん|様|氏|くん|ちゃん)|(?:名札|名刺|表札)(?:に|には|の名前は)「"
    r"(?P<tag>[^」\n]{1,12})」"
)
"""A name quoted before an honorific (「アラキ」様) or read from a name tag (名札に「あさひな」)."""
_CALLED = re.compile(
    r"(?P<name>[\u3400-\u9fff々\u30a1-\u30fa\u30fc]{1,6})(?=(?:っていう方|って方|という方|っていう人|という人)(?!法|向|針|式|面)|と名乗)"
)


def _called_name(toks: list[Tok], by_begin: dict[int, int], m: re.Match[str]) -> bool:
    """…竹之内っていう方: the word before っていう方 starts on a token and can be a name."""
    k = by_begin.get(m.start("name"))
    while k is None and m.start("name") < m.end("name"):
        return False
    return (
        k is not None
        and toks[k].surface not in _LABEL_WORDS
        and (_name_like(toks[k]) or toks[k].pos1 == "固有名詞")
    )


_FOREIGN_WITH_LATIN = re.compile(
    r"(?P<kana>[\u30a1-\u30fa\u30fc]{2,10}"
    r"(?:・[\u30a1-\u30fa\u30fc]{1,10}){1,3}) ?\((?P<latin>[A-Z][A-Za-z'’\-]+"
    r"(?: [A-Z][A-Za-z'’\-]+){1,3})\)"
)
"""A foreign name in katakana with its Latin spelling (エミリー・カーター（Emily Carter））."""


_STATUS_AFTER = re.compile(
    r"(?:^|(?<=[\s:：、,・]))(?P<name>[\u3400-\u9fff々]{1,4}(?: [\u3400-\u9fff々\u3041-\u3096]{1,4})?"
    r"|[\u30a1-\u30fa\u30fc]{2,8}(?:・[\u30a1-\u30fa\u30fc]{1,8}){0,2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"\((?:欠席|出席|遅刻|早退|遅参|代理出席|代理|公休|休み|不在|病欠|出張)\)"
)
"""A person with their attendance in brackets (柏木（欠席）, Tran（早退））."""
