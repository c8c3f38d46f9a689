"""Street-level addresses: place names + 丁目/番地/番/号 (or 1-2-3) + building and room.

An address is anchored on its block-number tail (4丁目2番8号, 16番地の2, 1-2-3, 字梅本21) in the
numeric view, extended left over the place names before it and right over a building and room
(ハイツ南202, コーポ緑201号, 305号室). The prefecture and municipality are left visible (a city
name is not personal); the rest is masked. A postal code written just before the address is
masked with it. City names, ward names and numbers without a place before them are not
addresses.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace

from bot.core.screening.detectors import Hit, Views, hit_from
from bot.core.screening.normalize import normalize, numeric_view
from bot.core.screening.policy import ScreeningPolicy

_UNIT = r"(?:丁目|番地|番|号|地割)"
_TAIL = re.compile(
    r"(?<![0-9\-])\d{1,5}(?: ?" + _UNIT + r")?(?:(?:(?<=[目地番号割]) ?(?:の|[甲乙丙])?|-"
    r"|(?<=[0-9]) - (?=[0-9])|の"
    r"| (?=\d{1,5} ?" + _UNIT + r"))"
    r" ?\d{1,5}(?: ?" + _UNIT + r")?){0,4}(?![0-9])"
)
"""The block-number tail: 4丁目2番8号, 16番地の2, 1-2-3, 3丁目甲12, and the same typed with spaces
(一丁目 ９ 番 ３ 号, 2 - 14 as a scan spaces it)."""
_ROMAN_ADDRESS = re.compile(
    # a flat and its building before the lot (Room 106, Heights Uchigo, 3-5 Uchigo-Miyamachi)
    r"(?:(?:Room|Rm\.?|Apt\.?|Unit|No\.|#) ?\d{1,4}[A-Z]?, ?(?:[A-Z][a-z]+ ){0,3}[A-Z][a-z]+, ?)?"
    r"(?<![0-9A-Za-z-])\d{1,4}(?:-\d{1,4}){1,2},? (?:[A-Z][a-z]+[ \-]){0,2}[A-Z][a-z]*?-?"
    r"(?:cho|machi|chome|mura|aza)\b(?:,"
    r" [A-Z][a-z]+)?"
    r"|(?i:(?<=live at )|(?<=lives at )|(?<=lived at )|(?<=living at )|(?<=address is )|(?<=moved to )"
    r"|(?<=reside at ))"
    r"\d{1,4}(?:-\d{1,4}){1,2},? [A-Z][a-z]+(?: [A-Z][a-z]+){0,2}"
    # a flat and its building, then any lot and district (Apt. 3, Sunny Court, 2-7 Taira-Kamiarakawa)
    r"|(?:Room|Rm\.?|Apt\.?|Unit|Flat|No\.|#) ?\d{1,4}[A-Z]?, ?(?:(?:[A-Z][a-z]+ ){0,3}[A-Z][a-z]+, ?)?"
    r"\d{1,4}(?:-\d{1,4}){1,2},? [A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}(?:, [A-Z][a-z]+(?=, ))?"
    # a Japanese lot written the English way, then its district and the city or ward (2-5-11 Taira,
    # Iwaki; 5-12-3 Nishi-Shinjuku, Shinjuku-ku), or the chome before the lot (3-chome 5-12)
    r"|(?<![0-9A-Za-z\-/.:])(?<![Vv]ersion )\d{1,4}-\d{1,4}-\d{1,4},? (?:[A-Z][a-z]+[ \-]){0,2}[A-Z][a-z]+"
    r"(?=, (?:Iwaki|Maebashi|Tokyo|Osaka|Kyoto|Fukushima|Gunma|Takasaki|Koriyama"
    r"|[A-Z][a-z]+-(?:ku|shi|cho|machi))\b)"
    r"(?:, [A-Z][a-z]+(?:-(?:ku|shi|cho|machi))?)?"
    r"|(?<![0-9A-Za-z])\d{1,2}-chome,? \d{1,4}(?:-\d{1,4}){0,2}(?![0-9])"
    # a flat in a numbered building of an estate (Room 5, Building 12, Higashi Danchi)
    r"|(?:Room|Apt\.?|Unit|Flat) ?\d{1,4}, ?(?:Building|Bldg\.?|Block) ?\d{1,3}, ?"
    r"[A-Z][a-z]+ (?:Danchi|Heights|Estate)"
    r"|(?:Unit|Room|Apt\.?|No\.) ?\d{1,4}(?:-\d{1,4})?,? [A-Z][a-z]+ (?:Danchi|Heights|Mansion"
    r"|Haitsu|Corpo|Apartments?)"
    # a North American street address: number, street, flat, city, state or province, ZIP code
    r"|(?<![0-9A-Za-z])\d{1,6} (?:[NSEW]\.? )?(?:[A-Z][a-z]+ ){1,3}"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Pkwy|Hwy)\.?"
    r"(?:,? (?:Apt|Unit|Suite|Ste|#)\.? ?[0-9A-Z]{1,5})?,? (?:[A-Z][a-z]+ ){1,3}[A-Z]{2},? \d{5}(?:-\d{4})?"
)
_SPOKEN_ADDRESS = re.compile(
    r"(?:じゅうしょ|ごじゅうしょ)(?:は|が|[:：])? "
    r"(?P<addr>(?:[\u3041-\u3096ー]+ ){0,2}[\u3041-\u3096ー]+(?:し|く|ちょう|まち|むら|ぐん|けん)"
    r"(?: [\u3041-\u3096ー]+){1,5}?)(?= (?:です|に|へ|まで|から|の (?:かた|ほう))|[。、]|$)"
    # the same in katakana, as a half-width form prints it (ｼﾞｭｳｼｮ ｵｵﾀｼ ﾅｶﾞﾃｨ 3ﾁｮｳﾒ 8-4 ﾊｲﾂｵｵﾀ 201)
    r"|ジュウショ(?:ハ|[:：])? (?P<kana>(?:[\u30a1-\u30fcー]+ ){0,2}[\u30a1-\u30fcー]+"
    r"(?:シ|ク|チョウ|マチ|ムラ|グン|ケン)"
    r"(?: [\u30a1-\u30fcー0-9\-]+){1,6})"
)
"""An address said by voice input and left in kana after its label (じゅうしょは さいたまし みなみく
べっしょ ごの じゅうにの はち です): everything from the municipality to the lot."""
_BUILDING_WORDS = (
    r"ハイツ|コーポ|マンション|アパート|荘|ハウス|レジデンス|ヒルズ|ビル|タワー|団地|住宅|棟|パレス|メゾン"
    r"|コート|ハイム|シャトー|ヴィラ|テラス|寮|社宅|フラット|カーサ|ドミール|グラン|シティ|パーク|ガーデン|プラザ"
)
_NAME_CHARS = r"[\u30a1-\u30fa\u30fc\u3400-\u9fff々A-Za-z・]"
_NAME_CHARS_PLAIN = r"[\u30a1-\u30fa\u30fc\u3400-\u9fff々\u3041-\u3096]"
_ROOM = r"(?:[A-Z]?\d{1,4}(?:号室|号|室)?)"
_SPOKEN_FACILITY_BEFORE = re.compile(
    r"(?:かん|カン|しょ|ショ|やくば|ヤクバ|せんたー|センター|がっこう|ガッコウ|こうえん|コウエン)"
    r"(?: ?[のノ])? ?$"
)
_LABELLED_LOT = re.compile(
    r"(?:^|\n)[ \t]*(?:番地|地番|部屋|部屋番号|建物名?|方書)[ \t]*[:：][ \t]*"
    r"(?P<lot>\d{1,5}(?:(?:の|-)\d{1,4}){0,3}(?:番地?)?"
    rf"|{_NAME_CHARS_PLAIN}{{1,14}} ?\d{{2,4}}(?:号室)?)[ \t]*(?=\n|$)"
)
"""A form's fields that carry the lot or the flat on their own lines (番地：７８９の２,
部屋：アーバン石原３０１)."""
_BUILDING = re.compile(
    rf" ?(?:{_NAME_CHARS}{{0,14}}?(?:{_BUILDING_WORDS}){_NAME_CHARS}{{0,10}} ?{_ROOM}?"
    r"|\d{1,4}(?:号室|室)|-\d{1,4}(?:号室|号|室)?)"
    # or on the next line, as a form or a label prints it, with its room number
    rf"|\n[ \t]{{0,8}}{_NAME_CHARS}{{0,14}}?(?:{_BUILDING_WORDS}){_NAME_CHARS}{{0,10}} ?{_ROOM}"
    r"(?=[ \t]*(?:\n|$))"
)
_POSTAL_START = re.compile(r"^(?:〒 ?)?\d{3}-\d{4} ?")
_POSTAL_BEFORE = re.compile(r"(?:〒 ?)?\d{3}-\d{4} ?$")
_LABEL_BEFORE = re.compile(
    r"(?:住所|所在地|現住所|居所|住居|自宅|送付先|送り先|宛先|届け?先|転居先|転入先|転出先|本籍|住まい|在住)"
    r"(?:地|は)?[ :]*$"
)
_KEEP = re.compile(
    r"^(?:東京都|北海道|京都府|大阪府|[\u3400-\u9fff]{2,3}県)?(?:[^市]{1,6}?市)?(?:[^区]{1,5}?区)?(?:[^郡]{1,5}?郡)?"
)
_MARKERS = "都道府県市区町村郡字"
_DISTRICT = re.compile(r"[町村字丁条通]")
_BAD_PREFIX_END = "所課係室館場第庁舎局部棟階会号"
_CODE_LABEL_END = re.compile(r"(?:科目|コード|番号|記号|区分|款項目節?) ?$")
"""A code's own label before its digit groups (予算科目 01-03-02-15): a code, not a lot number."""
_NOT_ADDRESS_AFTER = re.compile(
    r"(?:議案|条|項|様式|通知|文書|令|決議|陳情|請願|補正|窓口|線|ホーム|出口|乗り場|回|人|件|名|円|%|台|か所|ヶ所"
    r"|箇所|階建|世帯|歳|年|月|日|時|分|桁|文字|字|点|位|倍)"
)
_KANA = re.compile(r"[\u3041-\u3096]")
_OAZA = re.compile(r"(?<![英数文漢名赤黒十活誤脱太習綴用題])字")
_AZA_NAME_END = re.compile(r"(?<![英数文漢名赤黒十活誤脱太習綴用題])字[\u3400-\u9fff々]{1,3}$")
_PLACEHOLDER = re.compile(r"[○〇◯△□×＊]{2}|[○〇◯△□×＊]市|[○〇◯△□×＊]町")
_PUBLIC_OFFICE = re.compile(
    r"(?:市役所|町役場|村役場|区役所|役場|庁舎|本庁|支所|市民センター|公民館|図書館|事務所|消防署|消防本部|分署|出張所"
    r"|保健所|体育館|美術館|博物館|県庁|都庁|府庁|道庁|市庁舎|(?:施設|センター|工場|事業所|営業所)[^。\n]{0,12}所在地"
    r"|(?i:city hall|ward office|city office|elementary school|junior high school"
    r"|high school|library|community cent(?:er|re)|evacuation cent(?:er|re)|public address|station|museum))"
)
_ORGANISATION_CODE = r"\d{3}-8[5-9]\d{2}"
_ORGANISATION_POSTCODE = re.compile(rf"〒? ?{_ORGANISATION_CODE} ?$")
"""事業所個別郵便番号 (…-85xx to -89xx: 970-8686, 371-8601) belong to organisations such as a city hall, not
to a home; …-80xx to -84xx are ordinary area codes too (971-8101 is 小名浜)."""
_HOME_LABEL = re.compile(
    r"自宅|配達先|送付先|送り先|届け?先|宛先|転居先|転入先|住まい|実家|居所|現住所|宅(?=[ :：])"
    r"|(?i:\blives? (?:at|in)\b|\bliving at\b|\bhome address\b|\bmoved to\b|\bresides? at\b)"
)
"""A person's address label after an office word on the line: the address is that person's."""
_PUBLISHED = re.compile(
    r"HP(?:掲載|に掲載|で公開|に載って)|ホームページ(?:に|で)(?:掲載|載って|公開)|公開中|公開済み|公表済み|公表資料"
    r"|広報(?:紙|誌)|(?:公開|公表|掲載)(?:されている|しています)"
)
_FACILITY_BEFORE = re.compile(
    r"(?:学校|小学校|中学校|高校|大学|体育館|会館|ホール|センター|病院|診療所|保健所|消防署|警察署|交番|駅|美術館"
    r"|博物館|資料館|交流館|投票所|公園|文化会館|児童館|広場|緑地|[県都府道]庁|庁舎|市役所|役場|裁判所|税務署|法務局"
    r"|年金事務所|ハローワーク|検察庁)[ \u3000]?(?:[(（:：,，\t"
    r"|｜]|は)?[ \u3000]?(?:[\u3041-\u3096\u3400-\u9fff]{1,5}[市町村])?$"
)
"""A public facility named just before the address (平第二中学校（平字…）, 市民会館: …): where
the facility stands, not where a person lives."""
_NAME_BEFORE_BRACKET = re.compile(
    r"[\u30a1-\u30fa\u30fc\u3041-\u3096A-Za-z][ \u3000]?[(（](?:[^)）\n]{0,6}[市町村])?$"
)
_VISIT = re.compile(r"見学|観光|行程|ツアー|来館|入館|開館|周遊|遠足|校外学習|視察|イベント会場|会場")
"""A facility named before its address in brackets, in a message about visiting it."""
_NUMBERED_DOCUMENT = re.compile(r"第[^\s、。,]{0,18}$|条第?$|項第?$")
"""第…号 with no space inside is a document's number, 条/項 … 号 an article's."""
_BLOCK_OF_JO = re.compile(r"(?<![第\d])(?<![法令則例程綱約])\d{1,2}条(?!の)[^\d]{0,3}$")
"""北1条西7丁目: a 条 block (Sapporo, Asahikawa) before the number — not an article of a law (地方税法15条の7,
第3条の2)."""
_BARE_BLOCK = re.compile(r"\d{1,2} ?丁目 ?\d{1,4}(?: ?番地?)?(?:-| ?の ?)?\d{1,4} ?号?")
"""丁目, 番 and 号 with no town before them (場所は3丁目22-5の塀)."""
_ROAD = re.compile(r"(?:国道|県道|市道|町道|村道|道道|都道|府道|ルート|R) ?$")
"""A road number (国道6号, 県道35号) is not a block number."""
_ESTATE = re.compile(
    rf"(?P<name>{_NAME_CHARS_PLAIN}{{1,12}}?(?:団地|住宅|ハイツ|コーポ|荘|マンション|アパート)"
    rf"|(?:ハイツ|コーポ|メゾン|パレス|グラン|シャトー|レジデンス){_NAME_CHARS_PLAIN}{{1,10}}?)"
    r"(?:の|、| )*(?:第 ?\d{1,2} ?期(?:の|、| )*)?"
    r"(?:(?P<block>(?:第 ?)?\d{1,3} ?号棟|[A-Z] ?棟|(?:第 ?)?\d{1,3} ?棟)(?:の|、| |-)*"
    r"(?:\d{1,2} ?(?:階|F)(?:の|、| |-)*)?"
    r"(?P<room>\d{2,4}|(?<=F-)\d{1,2})(?: ?(?:号室|号))?"
    r"|(?P<pair>\d{1,3}-\d{2,4})(?![0-9])|(?P<room2>\d{2,4}) ?号室)"
)
_KN = "[一二三四五六七八九十〇百]{1,4}"
_KANJI_LOT = re.compile(rf"(?<=[\u3400-\u9fff][町村字]) ?{_KN}の{_KN}の{_KN}(?![\u3400-\u9fff])")
"""A lot number read out in kanji numerals after a town (岩間町 一の二十七の三)."""
_BLOCK_AND_ROOM = re.compile(r"(?<![0-9])\d{1,3} ?号棟 ?(?:の ?)?\d{2,4} ?号室?")
"""12号棟304号室: a flat in an estate, even with the estate's name elsewhere."""
_ESTATE_FLOOR = re.compile(
    rf"{_NAME_CHARS_PLAIN}{{0,12}}?(?:{_BUILDING_WORDS}){_NAME_CHARS_PLAIN}{{0,6}}?"
    r" ?\d{1,2} ?階 ?(?:の)?\d{2,4} ?(?:号室|号|室)?"
)
"""A building with a floor and a room (サンハイツ東 3階305号): an address even without the town."""
"""A housing estate with a block and room (さくら台団地3号棟205号室, 東原団地 12-304): an address
even without the city before it."""


def _is_place_char(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or c in "々〆ヶケヵノ" or "\u30a1" <= c <= "\u30fa" or c == "\u30fc"


class AddressDetector:
    """Finds street-level addresses; the policy's public addresses (the city hall) pass."""

    def __init__(self, policy: ScreeningPolicy) -> None:
        public = (numeric_view(normalize(c)).text for c in policy.public_contacts)
        self._public = tuple(canonical_address(p) for p in public if _TAIL.search(p))

    def detect(self, views: Views) -> list[Hit]:
        """Address hits (the municipality stays visible)."""
        views = _lines_joined(views)
        num = views.num
        hits = []
        for m in _TAIL.finditer(num.text):
            if not _NOT_ADDRESS_AFTER.match(num.text, m.end()):
                hit = _address(views, m)
                if hit is not None and not self._is_public(hit.key) and not _public_place(views, hit):
                    hits.append(hit)
        for m in _ROMAN_ADDRESS.finditer(num.text):
            hit = hit_from(num, "address", m.span(), m.group().replace(" ", "").casefold())
            if not _public_place(views, hit):
                hits.append(hit)
        for m in _ESTATE_FLOOR.finditer(num.text):
            hits.append(hit_from(num, "address", m.span(), re.sub(r"\s", "", m.group())))
        for m in _KANJI_LOT.finditer(views.base.text):
            hits.append(hit_from(views.base, "address", m.span(), m.group().replace(" ", "")))
        for m in _BLOCK_AND_ROOM.finditer(num.text):
            hits.append(hit_from(num, "address", m.span(), re.sub(r"\s", "", m.group())))
        for m in _ESTATE.finditer(num.text):
            hits.append(hit_from(num, "address", m.span(), re.sub(r"\s", "", m.group())))
        if "じゅうしょ" in views.base.text or "ジュウショ" in views.base.text:
            for m in _SPOKEN_ADDRESS.finditer(views.base.text):
                if _SPOKEN_FACILITY_BEFORE.search(views.base.text, max(0, m.start() - 12), m.start()):
                    continue  # しみんたいいくかんの じゅうしょ: a public facility's address
                group = "addr" if m.group("addr") else "kana"
                hits.append(hit_from(views.base, "address", m.span(group), m.group(group).replace(" ", "")))
        for m in _LABELLED_LOT.finditer(num.text):
            hits.append(hit_from(num, "address", m.span("lot"), re.sub(r"\s", "", m.group("lot"))))
        return hits

    def _is_public(self, value: str) -> bool:
        canonical = canonical_address(_POSTAL_START.sub("", value))
        if len(canonical) < 5 or canonical.replace("-", "").isdigit():
            return False  # too little to tell it is the same place
        return any(p.endswith(canonical) for p in self._public)


_CHOME_BREAK = re.compile(r"(?<=丁目)\n(?=[0-9〇一二三四五六七八九十])")
"""An address typed or scanned over two lines, the area on one and its lot number on the next
(前橋市川原町2丁目⏎19-5)."""


_LOT_LINE_BREAK = re.compile(
    r"(?<=[\u3400-\u9fff々])\n(?=[ \t]*\d{1,4}(?:-\d{1,4}){1,3}(?:号)?[ \t]*(?:\n|$))"
)
"""…or a label's lines: the town on one (いわき市中央台高久) and the lot alone on the next (2-13-5)."""
_TOWN_LINE = re.compile(r"[市町村区郡字]")


_LOT_DASH_BREAK = re.compile(
    r"(?<=[\u3400-\u9fff々][0-9])\n-|(?<=[\u3400-\u9fff々][0-9]{2})\n-|(?<=[\u3400-\u9fff々][0-9]{3})\n-"
)
"""A lot number broken before its dash (小名浜花畑町10⏎－4): one number."""


def _line_breaks_joined(text: str) -> str:
    text = _CHOME_BREAK.sub(" ", text)
    text = _LOT_DASH_BREAK.sub("- ", text) if "\n-" in text else text
    if "\n" not in text or _LOT_LINE_BREAK.search(text) is None:
        return text

    def join(m: re.Match[str]) -> str:
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        return " " if len(line) <= 30 and _TOWN_LINE.search(line) else m.group()

    return _LOT_LINE_BREAK.sub(join, text)


def _lines_joined(views: Views) -> Views:
    """`views` with a line break between 丁目 and the lot number read as a space (offsets unchanged,
    so every hit still maps to what the user typed)."""
    if "\n" not in views.base.text:
        return views
    base_text = _line_breaks_joined(views.base.text)
    num_text = _line_breaks_joined(views.num.text)
    if base_text == views.base.text and num_text == views.num.text:
        return views
    joined = Views.__new__(Views)
    joined.original = views.original
    joined.base = replace(views.base, text=base_text)
    joined.__dict__["num"] = replace(views.num, text=num_text)  # the cached view, joined the same way
    return joined


def _public_place(views: Views, hit: Hit) -> bool:
    """A placeholder address (○○市○○町1丁目), or an office's: an organisation's postal code just before
    it, or 市役所/庁舎/City Hall earlier on its line."""
    text = views.original
    value = text[hit.start : hit.end]
    # A room in a building after the block number is a home, whatever the postal code looks like.
    home = re.search(rf"(?:{_BUILDING_WORDS})[^\d]{{0,10}}\d{{2,4}}(?:号室|号|室)?$", hit.key) is not None
    if _PLACEHOLDER.search(value):
        return True
    if not home and re.match(
        rf"〒? ?{_ORGANISATION_CODE}", views.num.text[bisect.bisect_left(views.num.starts, hit.start) :]
    ):
        return True
    line_start = text.rfind("\n", 0, hit.start) + 1
    before = text[line_start : hit.start]
    # (the next item of a numbered list, ②市役所に戻る, is not the address's own name)
    after = re.match(r"[ (（「]*\n?[ (（「]*([^)）」\n。\u2460-\u2473]{0,10})", text[hit.end : hit.end + 16])
    if _PLACEHOLDER.search(text[max(0, hit.start - 6) : hit.start]) or (
        after is not None and _PUBLIC_OFFICE.search(after.group(1))
    ):
        return True  # 平○○町1丁目…, …12番1号（前橋市役所）
    norm = views.num.text
    b = bisect.bisect_left(views.num.starts, hit.start)
    offices = list(_PUBLIC_OFFICE.finditer(before))
    if offices and not _HOME_LABEL.search(before, offices[-1].end()):
        return True  # 市役所 …: on the office's line (公民館の講師の自宅：… is still a home)
    if _FACILITY_BEFORE.search(before) or _PUBLIC_OFFICE.search(value):
        return True
    if _published_office_block(text, line_start):
        return True
    if _NAME_BEFORE_BRACKET.search(before) and _VISIT.search(text):
        return True  # アクアマリンふくしま（小名浜字辰巳町50）への団体見学: where a facility stands
    return not home and bool(_ORGANISATION_POSTCODE.search(norm[max(0, b - 12) : b]))


_OFFICE_LINE = re.compile(
    r"[\u3400-\u9fff](?:課|係|室|センター|保健所|支所|事務所|事務局)(?![長員補])|市役所|役場|(?i:city hall)"
)
_PERSONAL_LINE = re.compile(r"自宅|本人|個人|さん|様|申請者|相談者|世帯|住民|実家")


def _published_office_block(text: str, line_start: int) -> bool:
    """The message says what it quotes is published (公開中, HP掲載) and the line just above the
    address names an office (前橋市保健所 健康増進課⏎〒… 朝日町三丁目…): the office's address."""
    if line_start < 2 or not _PUBLISHED.search(text):
        return False
    above = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
    return bool(_OFFICE_LINE.search(above)) and not _PERSONAL_LINE.search(above)


def canonical_address(value: str) -> str:
    """An address with 丁目/番地/番/号/の as hyphens and no spaces, for comparing spellings."""
    value = value.replace(" ", "")
    text = re.sub(r"(?:丁目|番地|番|号|の)(?=\d)", "-", value.replace(" ", ""))
    return re.sub(r"(?:番地|番|号)$", "", text).strip("-")


def _address(views: Views, tail: re.Match[str]) -> Hit | None:
    """The address ending with this block number, if the place names before it make one.

    The tail is read in the numeric view (四丁目 = 4丁目); the place names in the base view, so
    that kanji numerals inside them (窪田十条, 三函) stay part of the name.
    """
    num, base = views.num, views.base
    tail_start = num.starts[tail.start()]
    b_end = bisect.bisect_left(base.starts, tail_start)
    if b_end > 0 and base.text[b_end - 1] == " ":
        b_end -= 1  # 総社 2215-3: a space before the lot number
    b_start = _prefix_start(base.text, b_end)
    prefix = base.text[b_start:b_end]
    labelled = _LABEL_BEFORE.search(base.text[max(0, b_start - 12) : b_start]) is not None
    labelled = labelled or _BLOCK_OF_JO.search(base.text[max(0, b_start - 6) : b_end]) is not None
    if not (labelled or _is_address(prefix, tail.group())):
        return None
    if _ROAD.search(base.text[max(0, b_end - 4) : b_end]) and re.fullmatch(r"\d{1,4} ?号?", tail.group()):
        return None
    if _NUMBERED_DOCUMENT.search(base.text[max(0, b_start - 20) : b_end]) and tail.group().endswith("号"):
        return None  # 第R06確認建築前橋市00123号, 第7条第1項第5号: a document's or an article's number
    keep = _KEEP.match(prefix)
    b_mask = b_start + (keep.end() if keep else 0)
    postal = _POSTAL_BEFORE.search(base.text[max(0, b_start - 12) : b_start])
    if postal:  # a postal code is part of the address: mask it and the city with it
        b_mask = b_start - len(postal.group())
    building = _BUILDING.match(num.text, tail.end())
    end = building.end() if building else tail.end()
    start = base.starts[b_mask] if b_mask < b_end else tail_start
    value = (base.text[b_mask:b_end] + num.text[tail.start() : end]).replace(" ", "")
    return Hit("address", start, num.ends[end - 1], value)


def _prefix_start(text: str, end: int, limit: int = 30) -> int:
    """Where the run of place names before `end` starts."""
    i, lo = end, max(0, end - limit)
    while i > lo:
        c = text[i - 1]
        if _is_place_char(c) or _joins_places(text, i - 1, lo, end):
            i -= 1
        elif _KANA.match(c) and i < end and text[i] in "市町村郡区台丘野原平沢谷坂里森園":
            j = i - 1
            while j > lo and _KANA.match(text[j - 1]) and i - j < 5:
                j -= 1
            i = j
        else:
            break
    while i < end and text[i] in "がのノ ":
        i += 1
    return i


def _joins_places(text: str, i: int, lo: int, end: int) -> bool:
    """が/の inside a place name (霞が関, 丸の内), or a space after 市/町/字 (前橋市 南町)."""
    c = text[i]
    if c in "がの":
        return i - 1 >= lo and i + 1 < end and _is_place_char(text[i - 1]) and _is_place_char(text[i + 1])
    return c in " \n" and i - 1 >= lo and text[i - 1] in _MARKERS  # also 文京町⏎三丁目27-9


def _is_address(prefix: str, tail: str) -> bool:
    """Whether place names + block number make a street-level address."""
    if re.fullmatch(r"0\d{1,4}-\d{1,4}-\d{3,4}", tail):
        return False  # 0246-22-1111 is a phone number, whatever stands before it
    if not prefix:
        # 3丁目22-5 on its own: a block, a lot and a house number are a street address even when
        # the town is left out (3丁目 alone is an area, 22-5 alone may be anything); 1丁目2番3号
        # counting up is how a notation is shown (表記ゆれ: 1丁目2番3号／1-2-3)
        numbers = [int(n) for n in re.findall(r"\d+", tail)]
        made_up = all(b - a == 1 for a, b in itertools.pairwise(numbers))
        return not made_up and _BARE_BLOCK.fullmatch(tail) is not None
    components = len(re.findall(r"\d+", tail))
    units = re.findall(_UNIT, tail)
    marked = any(c in _MARKERS for c in prefix)
    # 館/場/部… end a facility's or an office's name — not a 字 name (好間町上好間字小館14)
    good_end = prefix[-1] not in _BAD_PREFIX_END or _AZA_NAME_END.search(prefix) is not None
    good_end = good_end and _CODE_LABEL_END.search(prefix) is None
    if units == ["丁目"] and components == 1 and not re.search(r"\d条", prefix):
        return False  # 千代田町二丁目周辺: an area, not where someone lives (北1条西2丁目 is a block)
    if "丁目" in units:
        return good_end
    if units and components >= 2:
        return good_end
    if re.fullmatch(r"\d{1,2}-\d{1,4}-\d{1,4}", tail) and re.search(
        r"[\u3400-\u9fff々ヶケヵノ][\u3400-\u9fff]$", prefix
    ):
        return good_end  # 中央台飯野4-3-8, 緑ヶ丘3-2-1 (not 090-1234-5678 or 0831-2402-3443)
    if re.fullmatch(r"\d{1,2}-\d{1,4}-\d{1,4}-\d{1,4}", tail) and re.search(r"[\u3400-\u9fff々]$", prefix):
        return good_end  # けやき台5-2-11-403: block, lot, building and room
    if components >= 2 and re.search(r"(?:マチ|チョウ|ムラ|ソン)$", prefix):
        return True  # a town in katakana (ﾐﾄﾞﾘﾁｮｳ 1-2-3 from an old system)
    if components >= 2:
        return marked and good_end
    if units:
        return marked and good_end
    keep = _KEEP.match(prefix)
    rest = prefix[keep.end() :] if keep else prefix
    # bare number (平字梅本21, 常磐湯本町三函123): a district named after the municipality
    return good_end and (
        _OAZA.search(prefix) is not None
        or (bool(keep and keep.group()) and _DISTRICT.search(rest) is not None)
    )
