"""Labels near a number: what kind of number the writer says it is.

A number is classified by the closest label before it (within `WINDOW` characters, not across
a sentence end) or just after it ("8765432（当座）"). Labels of harmless numbers (注文番号,
伝票番号, 受付番号…) only count when they are attached to the number ("受付番号：123456"), so
"受付番号ではなく121212121217" is still an unlabelled number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.screening.prefilter import guarded

WINDOW = 30
AFTER = 12

LATIN_LABEL_BEFORE = "(?:{})".format(
    "|".join(
        f"(?<={re.escape(word + end)})"
        for word in ("TEL", "Tel", "tel", "FAX", "Fax", "fax", "Phone", "phone", "No", "NO", "no", "ID", "Id")
        for end in ("", ".", ":", ". ", ": ")
    )
)
"""A number may follow these Latin labels directly (TEL090…, No.123…): it still starts there."""

OTHER = "other"
OTHER_WORD = "other_word"
"""Any other word naming a number (交付番号, 領収書番号, reservation number, denpyo_no): a number of
its own kind, unless a sensitive label is inside it (申請者個人番号, kojin_bango)."""
GENERIC = "generic"
"""記号, 番号, 枝番: say nothing by themselves, but make a nearby label's number "attached"."""

BUILTIN_OTHER_LABELS = (
    "注文番号|注文No|発注番号|受注番号|伝票番号|伝票No|受付番号|受付No|管理番号|管理No|文書番号|整理番号"
    "|請求番号|請求書番号|契約番号|案件番号|申込番号|申請番号|予約番号|問い?合わ?せ番号|追跡番号|お荷物番号"
    "|品番|型番|製品番号|製造番号|シリアル番号|シリアルNo|資産番号|備品番号|物品番号|図書番号|ISBN|JAN"
    "|商品コード|郵便番号|〒|振替受付番号|事業所番号|事業者番号|工事番号|入札番号|公告番号|会議番号|会議ID"
    "|ミーティングID|ロット番号|車台番号|登録記号|議案番号|例規番号|法令番号|電話番号|内線|FAX|TEL|Tel"
    "|(?<!被)保険者番号|到達番号|照会番号|受給者番号|世帯番号|職員番号|社員番号|学籍番号|会員番号|顧客番号|宛名番号|発券番号"
    "|整理No|[Oo]rder (?:[Nn]o|[Nn]umber)|[Rr]eceipt (?:[Nn]o|[Nn]umber)|[Rr]eference (?:[Nn]o|[Nn]umber)"
)
"""Labels of numbers that are not personal identifiers (a valid My Number check digit notwithstanding)."""


def _loose(word: str) -> str:
    """`word` as a pattern that tolerates a stray dash, space or dot between its characters, or a
    letter-spaced label (旅 券), and a long-vowel mark typed as a dash (コ―ド: U+2015 or U+2500 fold
    to "-" in the base view)."""
    return "[-~ ・]?".join("[ー\\-~]" if c == "ー" else re.escape(c) for c in word)  # ー typed as a dash


SENSITIVE_LABELS: tuple[tuple[str, str], ...] = (
    (
        "my_number",
        rf"{_loose('マイナンバ')}[ー\-~]?(?:カード)?|まいなんばー?|{_loose('個人番号')}(?:カード)?|個番"
        r"|こじんばんごう|コジンバンゴウ|通知カード|マイナ番号"
        r"|(?:マイナ|まいな)(?:ンバー?|んばー?)?(?:カード|かーど)? ?(?:の|ノ) ?(?:番号|ばんごう|ナンバー)"
        r"|[Mm]y ?[Nn]umber|MY ?NUMBER|共通番号|社会保障・?税番号"
        r"|[Ii]ndividual (?:[Nn]umber|[Nn]o)|INDIVIDUAL (?:NUMBER|NO)"
        r"|(?i:kojin[_ \-]?(?:bang(?:ō|ou?)|no|num(?:ber)?)\b)"
        # the stems in any script, with any of the words for "number" (こじん番号, 個人ナンバー, 個人No.,
        # Myナンバー, my no.), the short form before a number (マイナ 1234…), and the other names of the
        # same number (納税者番号, 社会保障番号)
        r"|(?:個人|こじん|コジン)[ ・]?(?:番号|ばんごう|バンゴウ|ナンバー?|なんばー?|No\.?|NO\.?|no\.?|№)"
        r"|(?<![A-Za-z])[Mm][Yy][ _\-]?(?:[Nn]o\.|NO\.|ナンバー?|なんばー?|番号)"
        r"|(?:マイナ|まいな)(?=[ :：=]*[0-9])|マイナカード|まいなかーど"
        r"|納税者番号|社会保障番号|個人識別番号|国民番号",
    ),
    (
        "resident_code",
        rf"{_loose('住民票コード')}|住民コード|住基(?:ネット)?(?:コード|番号)|住基ネット|住民基本台帳ネットワーク|住民票番号"
        r"|住民票の?コード|コード[(（]住民票の?[)）]"
        # the code described where it is printed (住民票の写しに載ってる11桁のコード)
        r"|住民票(?:の写し)?(?:に|の)(?:載って(?:い)?る|書いて(?:ある|る)|記載(?:されて(?:い)?る|の)|(?:右上|上)の)"
        r"[^。\n]{0,8}?コード|(?i:jy?[uū]u?minhy[oō]u?[_ \-]?(?:code|kodo))"
        # a certificate that carries the code (コード記載の住民票, 住民票の写し（コード記載あり）)
        r"|コード(?:の)?記載(?:の|あり|有り|入り)(?:の)?住民票|住民票(?:の写し)?[(（]コード(?:の)?記載"
        r"|(?i:resident (?:(?:record|register|registry|registration) )?code)"
        r"|じゅうみんひょう ?(?:こーど|コード)|ジュウミンヒョウコード"
        r"|(?i:j[uū]u?min[_ \-]?(?:hy[oō]u?[_ \-]?)?(?:code|cd|kodo|bang(?:ō|ou?)|no))"
        # the bare word before a number of the code's own shape (住民票の）59342351004)
        r"|住民票(?=[ :：は の)）]{0,4}[0-9]{11}(?![0-9]))",
    ),
    (
        "pension_number",
        rf"{_loose('基礎年金')}(?:番号)?|年金 ?(?:の)? ?番号|年金 ?手帳|年金の ?基礎 ?番号|基礎番号"
        r"|年金証書|手帳の?番号|(?:きそ)?ねんきん ?の? ?(?:ばんごう|てちょう|番号|手帳)"
        r"|[Bb]asic [Pp]ension(?:"
        rf" [Nn]umber| [Nn]o)?"
        r"|[Pp]ension (?:[Nn]umber|[Nn]o)|(?i:(?:kokumin_)?nenkin[_ \-]?(?:no|bang(?:ō|ou?)|number|techo))"
        # the bare word before a number of the pension number's own shape (年金 1190-583024)
        r"|年金(?=[ :：は]{0,3}[0-9]{4}(?: ?- ?| )[0-9]{6}(?![0-9]))",
    ),
    (
        "health_insurance_number",
        rf"{_loose('被保険者')}(?:証|番号)|被保[検験圏剣]者(?:証|番号)?|被保番|被保険者番|保険証"
        r"|ひほけんしゃ ?(?:ばんごう|しょう)?"
        r"|ほけんしょう|資格確認書|組合員証|加入者証|記号・?番号|介護保険(?:の)?番号|国保(?:の)?番号|国民健康保険(?:の)?(?:被保険者)?番号|(?<!被)保険(?:証)?番号"
        # 証番号 standing alone as a form's field (・証番号：…), not a word's end (会員証番号)
        r"|(?:^|(?<=[\s・:：、「(]))証番号"
        r"|協会けんぽ|けんぽ(?=[ \u3000]?記号)|健康保険組合|健保組合|(?:[Hh]ealth )?[Ii]nsurance [Cc]ard"
        r"|[Ii]nsured (?:[Nn]o|[Nn]umber|[Pp]erson)"
        r"|[Ii]nsurer (?:[Nn]o|[Nn]umber)|[Hh]ealth [Ii]nsurance"
        r"|(?i:hihokensha[_ \-]?(?:no|bang(?:ō|ou?))?|hokensh[ao][_ \-]?(?:sho)?|kokuho"
        r"|hoken[_ \-]?(?:kigo|bang(?:ō|ou?)|no|number|edaban))",
    ),
    (
        "drivers_license",
        rf"{_loose('運転免許')}(?:証)?|免許証(?:番号|ナンバー)?|免許の?番号|(?<![\u3400-\u9fff])運免"
        r"|うんてんめんきょ(?:しょう)?|めんきょ ?(?:しょう|証|の?ばんごう|の?番号)"
        r"|ウンテンメンキョ(?:ショウ)?|メンキョ ?(?:ショウ|証|の?バンゴウ|の?番号)"
        r"|[Dd]river'?s? ?[Ll]icen[cs]e"
        r"|[Ll]icen[cs]e (?:[Nn]umber|[Nn]o)"
        # the word alone right before a number (licence 809659916981)
        r"|(?<![A-Za-z])(?:[Ll]icen[cs]e|LICEN[CS]E)(?=[ :：#.]{1,3}[0-9])"
        r"|DRIVER'?S? ?LICEN[CS]E|(?i:unten_?menkyo|menkyo[_ \-]?(?:no|bang(?:ō|ou?)))"
        # the licence's number is on these too; romanised 免許(証) as a column header or in English
        r"|運転経歴証明書|(?i:\b(?:menky[oō]u?(?:sh[oō]u?)?|mensh[oō]u?)\b)"
        # 免許 alone, right before a licence's twelve digits (免許 258440485129)
        r"|免許(?:の?欄)?(?:に|は)?(?=[ :：(]{0,3}[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9]))",
    ),
    (
        "passport",
        rf"{_loose('旅券')}|{_loose('パスポ')}(?:[ー\-~]ト)?|ぱすぽ(?:ーと)?|りょけん|护照|護照|[Pp]assport|PASSPORT"
        r"|(?i:ryoken[_ \-]?(?:no|bang(?:ō|ou?))|pasup(?:ō|ou|o-?o?)to)"
        # the word on foreign residents' documents (Reisepass-Nr., pasaporte, passeport, hộ chiếu, 여권)
        r"|(?i:reisepass(?:-?nr\.?)?|pasaporte|passaporte|passaporto|passeport|hộ chiếu)|여권"
        # PP, the travel trade's short form, only right before a passport's shape (PP RF3372172)
        r"|(?<![A-Za-z])PP(?=[ :.#\-]{0,3}[A-Za-z]{2}[ \-]?[0-9]{7}(?![0-9]))",
    ),
    (
        "residence_card",
        rf"{_loose('在留カード')}|在留番号|特別永住者証明書|ざいりゅう ?(?:かーど|ばんごう)"
        r"|[Rr]esidence [Cc]ard|RESIDENCE CARD|(?i:zairyu)",
    ),
    (
        "payment_card",
        r"クレジット(?:カード)?|くれじっと ?(?:かーど)?|クレカ|カード ?(?:の)? ?番号|デビットカード"
        r"|[Cc]ard (?:[Nn]umber|[Nn]o)"
        # a log's or a form's key for it (card_no:, cardNumber=, cc_num, card-no)
        r"|(?<![A-Za-z])(?i:(?:credit[_\-]?)?card[_\-]?(?:no|num(?:ber)?)|cc[_\-]?(?:no|num(?:ber)?)|pan)"
        r"(?=[ \t]*[:=：])"
        r"|[Cc]redit [Cc]ard"
        r"|(?<![A-Za-z])(?:VISA|Visa|Master(?:[Cc]ard)?|JCB|AMEX|Amex|American Express|Diners)(?![A-Za-z])"
        r"|決済(?!番号|ID|No|コード)",
    ),
    ("corporate_number", r"法人番号|会社法人等番号|インボイス|適格請求書|登録番号"),
    (
        "bank_account",
        r"口座|普通預金|当座預金|普通|当座|預金|貯金|支店|銀行|信用金庫|信金|信用組合|労働金庫|労金|農協"
        r"|(?<![A-Za-z])JA(?![A-Za-z])|ゆうちょ|振込先|振替先|[Aa]ccount (?:[Nn]o|[Nn]umber)|[Bb]ank\b|BANK"
        r"|(?:[Oo]rdinary|[Ss]avings|[Cc]hecking|[Cc]urrent|[Dd]eposit) [Aa]ccount"
        r"|[Aa]cc(?:oun)?t\.? ?(?:[Nn]o|#)"
        r"|[Ss]avings|こうざ(?:ばんごう)?|(?i:koza[_ \-]?(?:no|bang(?:ō|ou?)))"
        # a branch number, a bank name and an account kind abbreviated (東邦銀 いわき 普 2693951)
        r"|店番(?:号)?|支店(?:番号|コード)|(?<=[\u3400-\u9fff])銀(?=[ \u3000])"
        r"|(?<![\u3400-\u9fff])[普当](?=[ \u3000]?[0-9]{7}(?![0-9]))"
        # a form filled in kana (ふりこみさき とうほうぎんこう ふつう 4949398)
        r"|ふりこみ ?(?:さき|先)|振込み先|ぎんこう|しんようきんこ|ふつう ?よきん|とうざ ?よきん"
        r"|ふつう|とうざ|してん"
        r"|フリコミ ?サキ|ギンコウ|シンヨウキンコ|フツウ ?ヨキン|トウザ ?ヨキン|フツウ|トウザ|コウザ",
    ),
)

WEAK_BANK_WORDS = frozenset(
    ("普通", "当座", "預金", "貯金", "支店", "ふつう", "とうざ", "してん", "フツウ", "トウザ")
)
WEAK_CARD_WORDS = frozenset(("決済",))
"""A payment word that does not say "card": its number counts as a card only with a valid Luhn digit."""
"""Bank words that are also ordinary words (普通建設事業費): they count only when attached to the number."""

_GAP_TIGHT = re.compile(
    r"(?:[\s:=#\-(「『ー~.)）」』]|は|が|の|を|で|欄|No\.?|NO\.?|no\.?|番号|コード|記号|ナンバー|is|was|[Nn]umber)*"
)
_CROSS = re.compile(r"[。\n]\s*\n|。")


@dataclass(frozen=True)
class Label:
    """A label occurrence in the numeric view."""

    kind: str
    start: int
    end: int
    text: str


class LabelIndex:
    """All label occurrences of one text, found once and queried per number."""

    def __init__(self, pattern: re.Pattern[str], text: str, numbers: list[tuple[int, int]]) -> None:
        self.text = text
        self.labels = [
            label for lo, hi in _windows(numbers, len(text)) for label in labels_in(pattern, text, lo, hi)
        ]

    def before(self, start: int) -> list[tuple[Label, bool]]:
        """Labels before `start` in the window, closest first, each with whether it is attached."""
        lo = start - WINDOW
        found = []
        for label in reversed(self.labels):
            if label.end > start:
                continue
            if label.end < lo:
                break
            gap = self.text[label.end : start]
            if _CROSS.search(gap):
                continue
            tight = len(gap) <= 8 and _GAP_TIGHT.fullmatch(gap) is not None
            found.append((label, tight))
        return found

    def after(self, end: int) -> list[Label]:
        """Sensitive labels right after `end` ("8765432（当座）")."""
        found = []
        for label in self.labels:
            if label.start < end or label.kind in (OTHER, GENERIC):
                continue
            if label.start > end + AFTER:
                break
            gap = self.text[end : label.start]
            if not any(c.isdigit() or c == "。" for c in gap):
                found.append(label)
        return found


_LONGEST_LABEL = 24


def _windows(numbers: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """The stretches of text where a label of these numbers can be: merged windows around each."""
    windows: list[tuple[int, int]] = []
    for start, end in numbers:
        lo, hi = max(0, start - WINDOW - _LONGEST_LABEL), min(size, end + AFTER + _LONGEST_LABEL)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def compile_labels(extra_other: Iterable[str]) -> re.Pattern[str]:
    """One pattern with a named group per label kind; harmless labels first so they win ties."""
    extra = "|".join(re.escape(w) for w in extra_other)
    other = BUILTIN_OTHER_LABELS + "|電話|携帯|℡" + (f"|{extra}" if extra else "")  # a phone's label
    parts = [f"(?P<{OTHER}>{other})"] + [f"(?P<{kind}>{pattern})" for kind, pattern in SENSITIVE_LABELS]
    inner = guarded(re.compile("|".join([*parts, f"(?P<{GENERIC}>記号|番号|枝番)"])))
    parts.append(f"(?P<{OTHER_WORD}>{_LATIN_OTHER_WORD})")
    parts.append(f"(?P<{GENERIC}>記号|番号|枝番)")
    pattern = guarded(re.compile("|".join(parts)))
    _INNER[pattern.pattern] = inner
    return pattern


_LATIN_OTHER_WORD = (
    r"(?<![A-Za-z])(?!(?i:id|identification|personal|social|security|tax|my|full|whole|entire|complete|correct"
    r"|right|wrong|same|new|old|last|first|this|that|the|his|her|their|our|your|its|real|actual|long)\b)[A-Za-z]{3,14}"
    r"(?:[_ ](?:[Nn]o\.?|NO\.?|[Nn]umber|NUMBER|[Ii][Dd]|ID|cd|code|bang(?:ō|ou?))|_no)(?![A-Za-z])"
)
_KANJI_OTHER_TAIL = re.compile(r"番号|No\.?|NO\.?|ナンバー|コード|ID(?![A-Za-z])")
"""The end of a kanji word naming a number (交付番号, 領収書No, 申請ID): found by its tail, then read back
over at most six kanji — a kanji class at the head would make every kanji a place to try."""
_KANJI_RUN = 6
_INNER: dict[str, re.Pattern[str]] = {}
"""Per label pattern, the same without OTHER_WORD: the labels inside an other-word match."""


_PERSONAL_STEM = re.compile(r"個人|本人|納税|国民|社会保障|住民")
_VERSION_STEM = re.compile(r"変更前|変更後|訂正前|訂正後|修正前|修正後|旧|新|前回|今回|現在")
"""A word naming a number with one of these in it (本人確認番号, 個人識別番号) is not a known harmless
number: it does not exempt a number with a valid My Number check digit."""

_KANA_READINGS: tuple[tuple[str, str], ...] = (
    ("my_number", "マイナンバ"),
    ("my_number", "マイナンバカド"),
    ("my_number", "コジンバンゴウ"),
    ("resident_code", "ジュウミンヒョウコド"),
    ("pension_number", "キソネンキンバンゴウ"),
    ("pension_number", "ネンキンバンゴウ"),
    ("pension_number", "ネンキンテチョウ"),
    ("health_insurance_number", "ヒホケンシャバンゴウ"),
    ("health_insurance_number", "ヒホケンシャショウ"),
    ("health_insurance_number", "ホケンショウバンゴウ"),
    ("health_insurance_number", "ケンコウホケンショウバンゴウ"),
    ("drivers_license", "ウンテンメンキョショウ"),
    ("drivers_license", "メンキョショウバンゴウ"),
    ("passport", "パスポトバンゴウ"),
    ("residence_card", "ザイリュウカド"),
    ("residence_card", "ザイリュウカドバンゴウ"),
    ("payment_card", "クレジットカド"),
)
"""Identifier labels as read in katakana, without long-vowel marks: a label typed in kana with one
character wrong, missing or extra (マイナンパー, マイナンバ一, ひほけんしゃしょお) is still that label."""
_SENSITIVE_KANA_STEMS = (
    "コウザ", "メンキョ", "ホケン", "ネンキン", "マイナ", "コジン", "ジュウミン", "リョケン", "パスポ",
    "ザイリュウ", "カド", "クレジット", "ギンコウ", "キソ", "ヒホケン", "ツウチ",
)  # fmt: skip
"""Stems of identifier labels (katakana, long vowels left out): a kana word naming a number with one
of these in it is no harmless number's label (ｳﾝﾃﾝﾒﾝｷｮｼｮｳﾊﾞﾝｺﾞｳ, ｺｳｻﾞﾊﾞﾝｺﾞｳ)."""
_READING_HEADS = frozenset(r[i] for _, r in _KANA_READINGS for i in (0, 1))
_KANA_RUN = re.compile(r"[ァ-ヺぁ-ゖー一\-]{5,16}")
_HIRAGANA_TO_KATAKANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)})


def _kana_key(run: str) -> str:
    return run.translate(_HIRAGANA_TO_KATAKANA).replace("ー", "").replace("一", "").replace("-", "")


def _within_one(a: str, b: str) -> bool:
    """Levenshtein distance of at most one."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1 :]


def _kana_labels(text: str, lo: int, hi: int, found: list[Label]) -> list[Label]:
    """Kana runs that read as an identifier label with one slip (see `_KANA_READINGS`)."""
    out = []
    for m in _KANA_RUN.finditer(text, lo, hi):
        if any(lab.start < m.end() and m.start() < lab.end for lab in found):
            continue
        key = _kana_key(m.group())
        if len(key) < 5 or not (key[0] in _READING_HEADS or key[1] in _READING_HEADS):
            continue  # one slip leaves the first or the second character in place
        for kind, reading in _KANA_READINGS:
            if _within_one(key, reading):
                out.append(Label(kind, m.start(), m.end(), m.group()))
                break
        else:
            if (
                key.endswith("バンゴウ")
                and len(key) >= 7
                and not any(s in key for s in _SENSITIVE_KANA_STEMS)
            ):
                # any other word naming a number, in kana (a half-width katakana system screen:
                # ﾄｲｱﾜｾﾊﾞﾝｺﾞｳ 2024…): a number of its own kind, as 問い合わせ番号 is
                out.append(Label(OTHER, m.start(), m.end(), m.group()))
    return out


def _is_kanji(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or char == "々"


def labels_in(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> list[Label]:
    """Label occurrences in text[lo:hi]; a word naming another kind of number (交付番号, booking
    number) is a label of its own kind unless a known label is inside it (申請者個人番号 → 個人番号)."""
    out = []
    for m in pattern.finditer(text, lo, hi):
        kind = m.lastgroup or OTHER
        if kind == OTHER_WORD:
            inner = [
                Label(n.lastgroup or OTHER, n.start(), n.end(), n.group())
                for n in _INNER[pattern.pattern].finditer(text, m.start(), m.end())
                if n.lastgroup not in (OTHER, GENERIC)
            ]
            out += inner or [Label(OTHER, m.start(), m.end(), m.group())]
        else:
            out.append(Label(kind, m.start(), m.end(), m.group()))
    out += _kana_labels(text, lo, hi, out)
    words = []
    for m in _KANJI_OTHER_TAIL.finditer(text, lo, hi):
        start = m.start()
        while start > max(lo, m.start() - _KANJI_RUN) and _is_kanji(text[start - 1]):
            start -= 1
        if m.start() - start >= 2 and _VERSION_STEM.fullmatch(text, start, m.start()):
            # 変更前コード, 新しい番号: the same number as before or after a change, whatever its kind
            words.append(Label(GENERIC, start, m.end(), text[start : m.end()]))
        elif m.start() - start >= 2 and not _PERSONAL_STEM.search(text, start, m.start()):
            words.append(Label(OTHER, start, m.end(), text[start : m.end()]))
    if not words:
        return out
    for word in words:
        inside = [lab for lab in out if lab.start < word.end and word.start < lab.end]
        if all(lab.kind == GENERIC for lab in inside):
            out = [lab for lab in out if lab not in inside] + [word]
    return sorted(out, key=lambda lab: (lab.start, lab.end))
