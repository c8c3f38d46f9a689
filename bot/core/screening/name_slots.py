"""Names the dictionary does not know as names, found by the slot they stand in.

The other name rules accept a word as a name when SudachiPy tags it 人名, does not know it (OOV),
or has a person-name reading of it. Rare surnames that are also ordinary words (纐纈 "tie-dye",
雲母 "mica", 四十物) and given names the tokenizer cuts into single characters (颯+真) fail that
test, and so leak wherever they stand. Here the slot decides instead of the dictionary: in a place
only a person's name can fill, a short kanji word is taken as the name unless it is *shaped like
something else* — a word ending in a role, trade or organisation character (運転手, 利用者,
工務店, 税務署), a verbal or adverbial noun (作成, 本日), a title or label word.

Slots (each needs context on both sides):
- before an honorific token, after a non-kanji boundary: 市民課の纐纈さん, 雲母様より;
- after a job title and a space, ending the phrase: 課長 纐纈 への報告;
- in a self-introduction: 担当の纐纈です, 甑と申します;
- a surname the dictionary knows, then a given name it cuts up or files as a noun, then a
  boundary: 御手洗 颯真「…」, 佐藤 花男⏎;
- a word, a space and a given name the dictionary knows (巌 梢, 蔀 篤志), set off on both sides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.screening.analyser import Tok, can_be_person
from bot.core.screening.defaults import ADDRESSEES, HONORIFICS, PERSON_LABELS, ROLES, words

_KANJI = "\u3400-\u9fff々ヶ"
_RUN = re.compile(rf"[{_KANJI}]+")
_OTHER_THING_END = frozenset(
    "者員士師手家屋人長医主職生官局署所店社園院館校庁府県市町村区課部係班会団協組寺宮神仏業堂舎省警議室隊党"
    "連庫場商品料金費税法制度品類式化性的別側方向内外中前後上下用等達"
)
"""Last characters of words for a role, a trade, an organisation, a place or a thing (運転手,
利用者, 工務店, 税務署, 会議室): such a word before さん/様 is not a surname."""
_NOT_NAMES = frozenset(
    (
        *ROLES,
        *PERSON_LABELS,
        *HONORIFICS,
        *words(
            "皆 皆様 皆さん 神 仏 王 奥 客 主人 家族 親御 先方 相手 各位 御中 宛 殿 一同 全員 本人 家内 旦那"
            " 先輩 後輩 上司 部下 同僚 友人 知人 近所 隣人 住人 大家 地主 家主 施主 株主 代表 会長 社長 議長"
            " 市長 知事 先生 教授 博士 選手 監督 委員 幹事 事務局 担当 窓口 受付 本日 今日 明日 昨日"
            " 先日 今回 次回 前回 今年 来年 去年 毎日 午前 午後 以上 以下 当日 翌日 各自 皆々 個人"
            " 地蔵 観音 天神 稲荷 閻魔 恵比寿 大黒 弁天 大仏 菩薩 如来 明神 権現 天狗 鬼 仏様 神様"
            " 王様 殿様 姫 姫様 若様 奥様 令嬢 嬢 坊 坊ちゃん 和尚 住職 神主 巫女 将軍 天皇 皇后 親方"
            " 師匠 弟子 親分 親父 お袋 親子 兄弟 姉妹 夫婦 夫妻 子供 子ども 孫 息子 娘 赤ちゃん 妊婦"
            " 新人 素人 玄人 名人 達人 美人 老人 婦人 夫人 主婦 女性 男性 女子 男子 少年 少女 青年"
            " 住民 市民 県民 区民 町民 村民 国民 都民 府民 道民 外国 日本"
        ),
    )
)
_PLACE_END = frozenset("橋川山岳岸浜湖沼池谷台駅港島町村地丘道路線坂")
_VERBAL = frozenset(("サ変可能", "副詞可能", "助数詞可能", "形状詞可能"))
_HONORIFIC_AFTER = re.compile(r" ?(?:さん|様|さま|氏|くん|ちゃん|殿)")
_TITLE_WORDS = sorted(
    (
        *ROLES,
        "会長",
        "副会長",
        "理事長",
        "議長",
        "副議長",
        "委員長",
        "副委員長",
        "市議",
        "議員",
        "書記",
        "監事",
    ),
    key=len,
    reverse=True,
)
_TITLE_SPACE = re.compile(rf"(?:{'|'.join(_TITLE_WORDS)})[ ]{{1,12}}")
_PHRASE_END = re.compile(
    r" ?(?:$|\n|[。、,.!?！？」』)）/・「『（(]|への|より|から|まで|宛|です|が|に|へ|と|は|を|の|も| )"
)
_NOT_AFTER_TITLE = re.compile(r" ?(?:の|が|に|を|は)?(?:級|職|会議|会|室|候補|不在|会合)")
_STAFF_AFTER = r"(?:から|より)(?:ご|お)?(?:連絡|説明|電話|回答|案内)|が(?:担当|対応|伺|説明|回り|参り|まいり)"
"""What the staff member in charge does (担当の菅家からご連絡します, 担当の…が伺います)."""
_INTRO = re.compile(
    rf"(?P<before>担当の|担当者の|担当|担当は|の|私|わたくし|わたし|私は|わたくしは)? ?"
    rf"(?P<w>[{_KANJI}]{{2,4}})"
    rf"(?P<after> ?(?:と申します|と申す者|でございます|と言います|といいます|です|{_STAFF_AFTER}))"
)
_STRONG_INTRO_AFTER = re.compile(r" ?(?:と申します|と申す者|でございます|と言います|といいます)")
_BOUNDARY_BEFORE = re.compile(r"(?:^|[\s、。,「『（(：:・/]|[はがをにのとへもで])$")


def _tokens_in(toks: list[Tok], by_begin: dict[int, int], a: int, b: int) -> list[Tok] | None:
    """The tokens exactly covering [a, b), or None when a or b falls inside a token."""
    k = by_begin.get(a)
    if k is None:
        return None
    out = []
    while k < len(toks) and toks[k].end <= b:
        out.append(toks[k])
        k += 1
    return out if out and out[-1].end == b else None


def _known_name(run: list[Tok]) -> bool:
    return any(t.person or t.oov for t in run) or (
        len(run) == 1 and run[0].pos1 in ("普通名詞", "固有名詞") and can_be_person(run[0].surface)
    )


def surname_shaped(run: list[Tok]) -> bool:
    """Whether a short kanji word (as tokens) may be a surname the dictionary does not know."""
    word = "".join(t.surface for t in run)
    if not 2 <= len(word) <= 4 or not _RUN.fullmatch(word) or word in _NOT_NAMES:
        return False
    if _known_name(run):
        return True
    if word[-1] in _OTHER_THING_END or any(t.surface in _NOT_NAMES for t in run):
        return False
    if len(run) == 1:
        tok = run[0]
        return (
            tok.pos1 in ("普通名詞", "固有名詞", "*") and tok.pos3 not in _VERBAL and tok.pos2 not in _VERBAL
        )
    return _cut_up(run)


def _cut_up(run: list[Tok]) -> bool:
    """Several tokens that are pieces the tokenizer cut a name into (四十+物, 颯+真): single
    characters or numerals, not a compound of dictionary words (防災+対策, 純+利益)."""
    return len(run) >= 2 and all(len(t.surface) == 1 or t.pos1 == "数詞" for t in run)


def given_shaped(run: list[Tok]) -> bool:
    """Whether kanji tokens after a surname may be a given name the dictionary does not know as
    one: known as a name, or cut into single characters (花+男, 颯+真) — a dictionary word there
    makes a compound (中原+団地, 四倉+海岸)."""
    word = "".join(t.surface for t in run)
    if not 1 <= len(word) <= 3 or not _RUN.fullmatch(word) or word in _NOT_NAMES:
        return False
    if any(t.person or t.oov for t in run):
        return True
    if word[-1] in _OTHER_THING_END or word[-1] in _PLACE_END:
        return False  # 大渡+橋, 西大+室町: a place the dictionary split after a surname
    if _known_name(run):
        return True
    return _cut_up(run) and all(t.pos1 in ("普通名詞", "固有名詞", "*") for t in run)


def _kanji_run_before(text: str, end: int) -> tuple[int, int] | None:
    """The whole kanji run ending at `end`, if it is 2-4 characters long."""
    a = end
    while a > 0 and re.match(rf"[{_KANJI}]", text[a - 1]):
        a -= 1
    return (a, end) if 2 <= end - a <= 4 else None


def _kanji_run_at(text: str, start: int, longest: int = 4) -> tuple[int, int] | None:
    m = _RUN.match(text, start)
    return m.span() if m and m.end() - m.start() <= longest else None


def _honorific_slot(text: str, toks: list[Tok], by_begin: dict[int, int]) -> Iterator[tuple[int, int]]:
    """纐纈さん, 市民課の雲母様より, 纐纈 颯真 様 (a surname, maybe a given name, an honorific)."""
    for k, tok in enumerate(toks):
        if tok.surface not in HONORIFICS or tok.surface == "先生" or k == 0:
            continue
        end = toks[k - 1].end if toks[k - 1].surface != " " else toks[k - 1].begin
        spans = []
        run = _kanji_run_before(text, end)
        if run is None:
            continue
        a, b = run
        if a > 0 and text[a - 1] in "おご御":
            continue  # お客様, ご家族様
        if a >= 2 and text[a - 1] == " " and (before := _kanji_run_before(text, a - 1)) is not None:
            sur = _tokens_in(toks, by_begin, *before)
            giv = _tokens_in(toks, by_begin, a, b)
            if sur and giv and surname_shaped(sur) and given_shaped(giv):
                spans.append((before[0], b))
        if not spans:
            piece = _tokens_in(toks, by_begin, a, b)
            if piece and surname_shaped(piece) and _BOUNDARY_BEFORE.search(text[max(0, a - 1) : a]):
                spans.append((a, b))
        yield from spans


def _title_slot(text: str, toks: list[Tok], by_begin: dict[int, int]) -> Iterator[tuple[int, int]]:
    """課長 纐纈 への報告, 係長 四十物、主任 小鳥遊 (a title, a space, the name, the phrase's end)."""
    for m in _TITLE_SPACE.finditer(text):
        run = _kanji_run_at(text, m.end())
        if run is None:
            continue
        piece = _tokens_in(toks, by_begin, *run)
        if not piece or not surname_shaped(piece) or _NOT_AFTER_TITLE.match(text, run[1]):
            continue
        end = run[1]
        if text[end : end + 1] == " " and (given := _kanji_run_at(text, end + 1, 3)) is not None:
            giv = _tokens_in(toks, by_begin, *given)
            if giv and given_shaped(giv) and _PHRASE_END.match(text, given[1]):
                yield run[0], given[1]
                continue
        if _PHRASE_END.match(text, end):
            yield run


def _intro_slot(text: str, toks: list[Tok], by_begin: dict[int, int]) -> Iterator[tuple[int, int]]:
    """担当の纐纈です, 甑と申します: a self-introduction names the writer."""
    for m in _INTRO.finditer(text):
        strong = _STRONG_INTRO_AFTER.match(m.group("after")) is not None
        before = m.group("before") or ""
        if not strong and not before.startswith("担当"):
            continue  # 私は学生です: only 担当の…です or …と申します introduce a name
        a, b = m.span("w")
        if not before and not _BOUNDARY_BEFORE.search(text[max(0, a - 1) : a]):
            continue
        if _RUN.match(text, b - 1) and b < len(text) and re.match(rf"[{_KANJI}]", text[b : b + 1]):
            continue
        if a > 0 and re.match(rf"[{_KANJI}]", text[a - 1]) and before in ("", "の"):
            continue
        piece = _tokens_in(toks, by_begin, a, b)
        if piece and surname_shaped(piece):
            yield a, b


def _full_name_slot(text: str, toks: list[Tok], by_begin: dict[int, int]) -> Iterator[tuple[int, int]]:
    """A surname the dictionary knows and a given name it does not (御手洗 颯真「…」, 佐藤 花男⏎),
    or a word and a given name it knows (巌 梢, 蔀 篤志), set off from what surrounds them."""
    for k, tok in enumerate(toks):
        if tok.pos2 == "地名" and len(tok.surface) >= 2 and can_be_person(tok.surface):
            kana = _HIRAGANA_GIVEN.match(text, tok.end + 1) if text[tok.end : tok.end + 1] == " " else None
            if kana is not None and not re.match(rf"[{_KANJI}]", text[tok.begin - 1 : tok.begin] or " "):
                yield tok.begin, kana.end("g")  # 志賀 とめさん: a surname filed as a place, a kana given name
        if tok.person and tok.pos3 == "姓":
            start = tok.end + (1 if text[tok.end : tok.end + 1] == " " else 0)
            kana = _HIRAGANA_GIVEN.match(text, start) if start > tok.end else None
            if kana is not None and not re.match(rf"[{_KANJI}]", text[tok.begin - 1 : tok.begin] or " "):
                yield tok.begin, kana.end("g")  # 馬目 ふさゑさん: a surname and a kana given name
                continue
            run = _kanji_run_at(text, start, 3)
            if run is None or (run[0] == tok.end and k + 1 < len(toks) and toks[k + 1].person):
                continue  # 姓名 already one run of name tokens
            giv = _tokens_in(toks, by_begin, *run)
            if (
                not giv
                or any(t.person for t in giv)
                or re.match(rf"[{_KANJI}]", text[tok.begin - 1 : tok.begin] or " ")
            ):
                continue
            if given_shaped(giv) and _PHRASE_END.match(text, run[1]):
                yield tok.begin, run[1]
            elif run[0] > tok.end and _one_kanji_given(giv) and _LINE_ITEM_END.match(text, run[1]):
                yield tok.begin, run[1]  # 苫米地 凪⏎: a one-character given name ending a list item
        elif tok.person and tok.pos3 == "名" and len(tok.surface) >= 2 and tok.begin >= 2:
            if re.match(rf"[{_KANJI}]", text[tok.end : tok.end + 1]):
                continue
            spaced = text[tok.begin - 1] == " "
            if (
                not spaced
                and not _LINE_ITEM_END.match(text, tok.end)
                and not _HONORIFIC_AFTER.match(text, tok.end)
            ):
                continue  # 雲母伊吹 glued: only as a whole list item or before an honorific
            sur = _kanji_run_before(text, tok.begin - 1 if spaced else tok.begin)
            if sur is None and spaced and _one_kanji_before(text, tok.begin - 1):
                one = _tokens_in(toks, by_begin, tok.begin - 2, tok.begin - 1)
                if one and _one_kanji_given(one) and _PHRASE_END.match(text, tok.end):
                    # 蔀 亜紀子（…）: a one-character surname the dictionary files as a noun
                    yield tok.begin - 2, tok.end
                continue
            if sur is None or not _BOUNDARY_BEFORE.search(text[max(0, sur[0] - 1) : sur[0]]):
                continue
            piece = _tokens_in(toks, by_begin, *sur)
            ends = _PHRASE_END.match(text, tok.end) or _HONORIFIC_AFTER.match(text, tok.end)
            if piece and ends and not any(t.person for t in piece) and surname_shaped(piece):
                yield sur[0], tok.end


_HIRAGANA_GIVEN = re.compile(r"(?P<g>[\u3041-\u3096]{2,4}) ?(?:さん|様|さま|ちゃん|くん|氏)")
_LINE_ITEM_END = re.compile(r"[ \t]*(?:$|\n|[、,/・」）)]|[（(][0-9０-９]{1,3}(?:歳|才|名)[）)])")


def _one_kanji_before(text: str, end: int) -> bool:
    """Exactly one kanji ends at `end`, after a boundary (回覧：蔀 …, 、蔀 …)."""
    return (
        end >= 1
        and re.match(rf"[{_KANJI}]", text[end - 1]) is not None
        and _BOUNDARY_BEFORE.search(text[max(0, end - 2) : end - 1]) is not None
        and (end < 2 or re.match(rf"[{_KANJI}]", text[end - 2]) is None)
    )


def _one_kanji_given(run: list[Tok]) -> bool:
    tok = run[0]
    return (
        len(run) == 1
        and len(tok.surface) == 1
        and tok.surface not in _NOT_NAMES
        and tok.surface not in _OTHER_THING_END
        and tok.surface not in _PLACE_END
        and tok.pos1 in ("普通名詞", "固有名詞")
        and tok.pos2 not in _VERBAL
    )


def slot_spans(text: str, toks: list[Tok], by_begin: dict[int, int]) -> list[tuple[int, int]]:
    """Name spans found by their slot alone (see the module's docstring)."""
    return [
        *_honorific_slot(text, toks, by_begin),
        *_title_slot(text, toks, by_begin),
        *_intro_slot(text, toks, by_begin),
        *_full_name_slot(text, toks, by_begin),
        *_lone_surname(text, toks),
        *_two_part_list(text, toks, by_begin),
        *_other_scripts(text),
        *_named_by_phrase(text),
    ]


_PERSON_WORDS = frozenset(
    (
        *ROLES,
        *PERSON_LABELS,
        *_TITLE_WORDS,
        *words(
            "職員 団員 隊員 分団長 部員 会員 役員 社員 係 通訳 講師 司会 記録 当番 受付"
            " 作 文 絵 写真 撮影 監修 編集 指導"
            " 検針員 調査員 運転手 補助員 臨時職員 会計年度任用職員 担当者 ボランティア 相談員 ALT"
        ),
    )
)
_STAFF_ACT = re.compile(
    r" ?(?:が(?:担当|対応|伺い|伺います|説明|回ります|引き継|参り|まいり|お電話|ご連絡|連絡)"
    r"|(?:から|より)(?:ご|お)?(?:連絡|説明|電話|回答|案内)"
    r"|に(?:引き継|交代|代わ|替わ)|の両名|両名|と申します)"
)
_ORGANISATION_END = (
    "センター",
    "課",
    "係",
    "室",
    "班",
    "局",
    "署",
    "事務所",
    "協会",
    "支所",
    "出張所",
    "館",
    "園",
)
_LONE_AFTER = re.compile(r"(?:が|に|から|より|は|を|と|の|へ|も|まで|で|[、・）)」/／。]|$| )")


def _lone_surname(text: str, toks: list[Tok]) -> Iterator[tuple[int, int]]:
    """A surname the dictionary tags as one, standing alone as a person slot's argument: after a
    role or label word (主事の臼杵が, 職員（蛯名）, 団員 石母田・外川, 担当を生天目に)."""
    for k, tok in enumerate(toks):
        if not (tok.person and tok.pos3 == "姓" and len(tok.surface) >= 2) or k == 0:
            continue
        if (k + 1 < len(toks) and toks[k + 1].person) or toks[k - 1].person:
            continue
        if re.match(rf"[{_KANJI}]", text[tok.end : tok.end + 1]) or not _LONE_AFTER.match(text, tok.end):
            continue
        j = k - 1
        while (
            j >= 0
            and toks[j].surface in (" ", "の", "(", "（", "・", "：", ":", "を", "は", "、")
            and k - j <= 2
        ):
            j -= 1
        word = toks[j].surface if 0 <= j < k - 1 else ""
        if word in _PERSON_WORDS or (len(word) >= 2 and word[-1] in "員者長師士" and word not in _NOT_NAMES):
            yield tok.begin, tok.end  # 主事の臼杵が, 職員（蛯名）, 検針員の湯本
        elif _STAFF_ACT.match(text, tok.end) or (
            toks[k - 1].surface == "の" and k >= 2 and toks[k - 2].surface.endswith(_ORGANISATION_END)
        ):
            yield tok.begin, tok.end  # 丹治が担当します, センターの鍵和田より


_ITEM_SEP = re.compile(r" ?[、,・/] ?")
_TWO_PART = re.compile(
    rf"[{_KANJI}]{{1,4}} (?:[{_KANJI}]{{1,3}}|[\u3041-\u3096]{{2,4}})(?![{_KANJI}\u3041-\u3096])"
    r"|[\u3041-\u3096]{2,5} [\u3041-\u3096]{2,5}(?![\u3041-\u3096])"
)
_ONE_PART = re.compile(
    rf"[{_KANJI}]{{2,4}}(?![{_KANJI}])|[\u30a1-\u30fa\u30fc]{{2,8}}(?![\u30a1-\u30fa\u30fc])"
)
_LIST_END = re.compile(
    r" ?(?:[、,・/。）)」\n]|$|の?[0-9]{1,3} ?(?:名|人)|の両名|の皆|さん|様|です|が|に|を|は|と|から|へ|の)"
)


def listed_names(
    text: str, toks: list[Tok], by_begin: dict[int, int], masked: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The other items of a list (、 ・ / ,) one of whose items is a masked name, when they have a
    name's shape: two parts with a space (蓬田 真白、雫石 蒼生), or one word the dictionary knows as a
    name or cut into pieces. The whole list is read, whichever item was found first."""
    done = set(masked)
    out: list[tuple[int, int]] = []
    frontier = list(masked)
    while frontier:
        a, b = frontier.pop()
        for span in (_next_item(text, toks, by_begin, b), _previous_item(text, toks, by_begin, a)):
            if (
                span is not None
                and span not in done
                and not any(x < span[1] and span[0] < y for x, y in done)
            ):
                done.add(span)
                out.append(span)
                frontier.append(span)
    return out


def _item_at(text: str, toks: list[Tok], by_begin: dict[int, int], start: int) -> tuple[int, int] | None:
    m = _TWO_PART.match(text, start)
    if m is not None and _LIST_END.match(text, m.end()):
        return m.span()
    m = _ONE_PART.match(text, start)
    if m is None or not _LIST_END.match(text, m.end()):
        return None
    piece = _tokens_in(toks, by_begin, *m.span())
    if not piece or "".join(t.surface for t in piece) in _NOT_NAMES or any(t.pos2 in _VERBAL for t in piece):
        return None
    if _known_name(piece) or _cut_up(piece) or all(_is_katakana_word(t) for t in piece):
        return m.span()
    return None


def _is_katakana_word(tok: Tok) -> bool:
    return re.fullmatch(r"[\u30a1-\u30fa\u30fc]{2,8}", tok.surface) is not None and tok.pos1 == "固有名詞"


def _next_item(text: str, toks: list[Tok], by_begin: dict[int, int], end: int) -> tuple[int, int] | None:
    sep = _ITEM_SEP.match(text, end)
    return _item_at(text, toks, by_begin, sep.end()) if sep else None


def _previous_item(
    text: str, toks: list[Tok], by_begin: dict[int, int], start: int
) -> tuple[int, int] | None:
    window = text[max(0, start - 14) : start]
    sep = re.search(r" ?[、,・/] ?$", window)
    if sep is None:
        return None
    stop = start - len(sep.group())
    for begin in range(max(0, stop - 11), stop - 1):
        if begin > 0 and not re.match(r"[\s、,・/:：「（(のはがをにと]", text[begin - 1]):
            continue
        span = _item_at(text, toks, by_begin, begin)
        if span is not None and span[1] == stop:
            return span
    return None


_KANJI_TWO_PART = rf"[{_KANJI}]{{1,4}} [{_KANJI}]{{1,3}}(?![{_KANJI}])"
_TWO_PART_LIST = re.compile(rf"{_KANJI_TWO_PART}(?: ?[、,/] ?{_KANJI_TWO_PART}){{1,12}}")


def _two_part_list(text: str, toks: list[Tok], by_begin: dict[int, int]) -> Iterator[tuple[int, int]]:
    """A list of two or more two-part names (姓 名、姓 名…) where one of the surnames is tagged as
    one: 蓬田 真白、雫石 蒼生、仲宗根 結の3名."""
    for m in _TWO_PART_LIST.finditer(text):
        if not _LIST_END.match(text, m.end()) or (
            m.start() > 0 and re.match(rf"[{_KANJI}]", text[m.start() - 1])
        ):
            continue
        items = [(i.start(), i.end()) for i in re.finditer(r"[^、,/]+", m.group())]
        spans = [(m.start() + a + (1 if m.group()[a] == " " else 0), m.start() + b) for a, b in items]
        spans = [(a, b - (1 if text[b - 1] == " " else 0)) for a, b in spans]
        surnames = 0
        for a, _b in spans:
            k = by_begin.get(a)
            surnames += k is not None and toks[k].person and toks[k].pos3 == "姓"
        if surnames >= 1:
            yield from spans


_HANGUL_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄원채천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉"
)
_HANGUL_NAME = re.compile(
    r"(?<![\uac00-\ud7a3])(?P<name>[\uac00-\ud7a3]{2,4})(?![\uac00-\ud7a3])"
    r"(?P<after> ?(?:씨|님|선생님|さん|様|さま|氏|くん|ちゃん|先生|\(|（|[,.、。:：)）]|$))"
)
_HANGUL_STRONG_AFTER = frozenset(
    ("씨", "님", "선생님", "さん", "様", "さま", "氏", "くん", "ちゃん", "先生", "(", "（")
)
"""After a Hangul name: a Korean or Japanese honorific (이지은 さん), or its reading in brackets."""
_HANGUL_LABEL = re.compile(r"(?:[:：]|씨는|이름은|(?i:host|interpreter|name|from|to|by)[:：]?) ?$")
_LATIN_OTHER = re.compile(
    r"(?:さん|様|氏|くん|ちゃん)?[（(](?P<name>[A-Z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff'’\-]+"
    r"(?: [A-Z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff'’\-]+){1,4})[）)]"
)


def _other_scripts(text: str) -> list[tuple[int, int]]:
    """Korean names in Hangul (이민준 씨, Host: 최유나 (チェ・ユナ)): a syllable a Korean surname
    starts with, one to three more, then 씨/님, a bracket, a stop, or a label before it."""
    spans = []
    if re.search(r"[\uac00-\ud7a3]", text):
        for m in _HANGUL_NAME.finditer(text):
            name = m.group("name")
            if name[0] not in _HANGUL_SURNAMES or len(name) < 2:
                continue
            strong = m.group("after").strip() in _HANGUL_STRONG_AFTER
            if strong or _HANGUL_LABEL.search(text[max(0, m.start() - 16) : m.start()]):
                spans.append(m.span("name"))
    return spans


def other_spelling_after(text: str, masked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A Latin spelling in brackets right after a masked name and its honorific: ファム・ティ・ランさん
    （Phạm Thị Lan）."""
    out = []
    for _a, b in masked:
        m = _LATIN_OTHER.match(text, b)
        if m is not None:
            out.append(m.span("name"))
    return out


_NAME_SHAPE = (
    rf"[{_KANJI}]{{1,4}}(?: [{_KANJI}\u3041-\u3096]{{1,4}})?"
    r"|[\u3041-\u3096]{2,5}(?: [\u3041-\u3096]{2,5})?"
    r"|[\u30a1-\u30fa\u30fc]{2,8}(?:[・ ][\u30a1-\u30fa\u30fc]{2,8}){0,3}"
)
_NAMED_BY = re.compile(
    # 「あんざい」と名乗った / 名札にアラキ / 名札：ミヤウチ / 児童名：いちのせ ひまり / 作・綿引 凪
    rf"「(?P<q>{_NAME_SHAPE})」と名(?:乗|の)"
    rf"|名札(?:に|は|：|:|には)「?(?P<tag>{_NAME_SHAPE})(?=」|と|\)|）|[ 、。,]|$)"
    rf"|(?:者|児童|児|生徒|人|主|員|親)名[：:] ?(?P<field>{_NAME_SHAPE})(?=[ 、。,\n）)]|$)"
    rf"|(?:^|(?<=[\s「」（(]))(?:作|文|絵|写真|撮影)[・:：] ?(?P<by>{_NAME_SHAPE})(?=[（( 、。\n」]|$)"
    rf"|(?P<kata>[\u30a1-\u30fa\u30fc]{{2,8}}(?:・[\u30a1-\u30fa\u30fc]{{2,8}}){{1,3}}) ?(?=先生|さん|様|氏)"
    r"|(?:対象者|申請者|相談者|通訳|講師|利用者|来所者)[ ：:]+"
    r"(?P<kata2>[\u30a1-\u30fa\u30fc]{2,8}(?: [\u30a1-\u30fa\u30fc]{2,8}){1,3})"
    rf"|(?:通訳|講師|記録|司会|進行|受付)[ ]+(?P<role>[{_KANJI}]{{2,4}})(?=[ ]*(?:\n|$|[（(、。]))"
    rf"|(?:\b(?:Hi|Hello|Dear)|Thanks|Thank you),? (?!{ADDRESSEES})(?P<en>[A-Z][a-z]{{1,14}})(?=[,!.:]| and )"
    r"|\b(?:[Cc]olleague|[Cc]o-?worker|[Mm]anager|[Ss]upervisor|[Bb]oss|[Ff]riend|[Nn]eighbou?r)s? "
    r"(?P<en2>[A-Z][a-z]{1,14}(?: [A-Z][a-z]{1,14})?)(?![A-Za-z])"
)


def _named_by_phrase(text: str) -> list[tuple[int, int]]:
    """A name the sentence itself says is a name: 「…」と名乗った, 名札に…, a field ending in 名
    (児童名：…), a credit (作・…), a katakana full name before 先生/さん, a label before a katakana
    name in parts (対象者 ジョセフ ムワンギ), a role before a kanji name ending its line (通訳 稲月)."""
    spans = []
    for m in _NAMED_BY.finditer(text):
        group = next(
            g for g in ("q", "tag", "field", "by", "kata", "kata2", "role", "en", "en2") if m.group(g)
        )
        value = m.group(group)
        if value not in _NOT_NAMES and value.split(" ")[0] not in _NOT_NAMES:
            spans.append(m.span(group))
    return spans
