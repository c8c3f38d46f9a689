"""Non-disclosure signals (confirm) and the city's forbidden terms (block).

A signal word is dropped when it is part of a benign phrase (秘書広報課, 守秘義務, 秘密保持契約)
or used as a topic (予定価格とは何か, 懲戒処分の種類, 「部外秘」の表示方法). A generic marking
(部外秘, 非公開…) takes its ordinance category from nearby words (国から → intergovernmental,
C社の → corporate), else from another signal in the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.screening.defaults import (
    BENIGN_PHRASES,
    CATEGORY_CUES,
    DEFINITION_BEFORE,
    ENUMERATION_WORDS,
    NO_SPECIFIC_CASE,
    PUBLISHED,
    SIGNALS,
    TOPIC_AFTER,
    TOPIC_BEFORE,
    TOPIC_SENTENCE_END,
    Signal,
)
from bot.core.screening.detectors import Hit, Views, hit_from, sentence_start
from bot.core.screening.normalize import normalize
from bot.core.screening.policy import MARKING, ScreeningPolicy

_TOPIC_AFTER = re.compile(TOPIC_AFTER)
_TOPIC_BEFORE = re.compile(TOPIC_BEFORE)
_DEFINITION_BEFORE = re.compile(DEFINITION_BEFORE)
_NO_SPECIFIC_CASE = re.compile(NO_SPECIFIC_CASE)
_CUES = tuple((category, re.compile(pattern)) for category, pattern in CATEGORY_CUES)
_ENUMERATION = re.compile(ENUMERATION_WORDS)
_PUBLISHED = re.compile(PUBLISHED)
_TOPIC_SENTENCE_END = re.compile(TOPIC_SENTENCE_END)
_SENTENCE_END = re.compile(r"[。\n!?！？]")
_LIST_SEPARATORS = re.compile(r"[、,・\t]|\s{2,}")
_CUE_WINDOW = 20
_ENUM_WINDOW = 16


class SignalDetector:
    """Finds signal words of the non-disclosure categories and forbidden terms."""

    def __init__(self, policy: ScreeningPolicy) -> None:
        signals = list(SIGNALS)
        for category, words in policy.confirm_terms.items():
            cat = "" if category == MARKING else category
            signals += [Signal(w, cat, re.escape(_fold(w))) for w in sorted(words, key=len, reverse=True)]
        self._signals = [(s, re.compile(s.pattern)) for s in signals]
        benign = [*BENIGN_PHRASES, *policy.benign_phrases]
        self._benign = re.compile(
            "|".join(re.escape(_fold(p)) for p in sorted(benign, key=len, reverse=True))
        )
        terms = sorted({_fold(t) for t in policy.block_terms}, key=len, reverse=True)
        self._terms = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None

    def detect(self, views: Views) -> list[Hit]:
        """Confidential-signal and custom-term hits."""
        text = views.base.text
        found = list(self._signals_in(text))
        fallback = next((signal.category for signal, _ in found if signal.category), "")
        hits = [
            hit_from(
                views.base,
                "confidential",
                span,
                signal.name,
                category=signal.category or _cue_category(text, span, fallback),
                signal=signal.name,
            )
            for signal, span in found
        ]
        if self._terms is not None:
            for m in self._terms.finditer(text):
                hits.append(hit_from(views.base, "custom_term", m.span(), m.group().casefold()))
        return hits

    def _signals_in(self, text: str) -> Iterator[tuple[Signal, tuple[int, int]]]:
        """Signal words that are neither part of a benign phrase nor a topic, without overlaps."""
        if _NO_SPECIFIC_CASE.search(text):
            return  # （具体的な案件はありません）: every signal word in it is the topic of the question
        taken = bytearray(len(text))  # 1 where a benign phrase, a "published" sentence or a signal is
        for m in self._benign.finditer(text):
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        for m in _PUBLISHED.finditer(text):
            a, b = _sentence(text, m.start())
            taken[a:b] = b"\x01" * (b - a)
        for signal, pattern in self._signals:
            for m in pattern.finditer(text):
                a, b = m.span()
                if 1 in taken[a:b] or _is_topic(text, a, b):
                    continue
                taken[a:b] = b"\x01" * (b - a)
                yield signal, (a, b)


_MARKINGS = frozenset(("秘", "極秘", "部外秘", "社外秘", "取扱注意", "機密", "機密（英語の表示）"))
_STAMP_BEFORE = re.compile(r"(?:^|\n)[ \t\u3000]*[【\[［(（<＜■●◆]?[ \t\u3000]*$")
_STAMP_AFTER = re.compile(
    r"[ \t\u3000]*(?:[】\]］)）>＞]|[—\-–―:：]|\n)"
    # the message opens by saying what the material is (庁外秘の資料です。…)
    r"|(?:扱い)?の(?:資料|文書|データ|メモ|内容|ファイル)(?:です|になります|なので|ですが)"
)


def stamped(text: str, hit: Hit) -> bool:
    """A marking stamped on pasted material (a line that starts 【部外秘】, CONFIDENTIAL — …): the
    material is marked, whatever general question the message also asks."""
    return (
        hit.signal in _MARKINGS
        and _STAMP_BEFORE.search(text, max(0, hit.start - 8), hit.start) is not None
        and _STAMP_AFTER.match(text, hit.end) is not None
        and len(text) - hit.end > 12
        and not _is_topic(text, hit.start, hit.end)
    )


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """The span of the sentence around `pos`."""
    start = sentence_start(text, pos)
    end = _SENTENCE_END.search(text, pos)
    return start, end.start() if end else len(text)


_CARRIED = re.compile(
    r"(?:の)?(?:表示|表記|押印|印|スタンプ)(?:が|の)(?:ある|あり|付い|つい|入っ|押さ|押し)"
    r"|(?:の)?(?:表示|表記|押印|スタンプ)(?:入り|付き)の"
)
_WORK_ON_IT = re.compile(
    r"(?:書き直|書きかえ|書き換え|要約|翻訳|英訳|まとめ|整理|清書|校正|直し|リライト|回覧|転記|添削|短く)"
    r"(?:して|したい|する|て)"
)
_ASKED = re.compile(r"[?？]|(?:ですか|ますか|でしょうか|いい|可能|大丈夫|ダメ|だめ|OK)(?:[?？。]|$)")


_SUCH_MATERIAL = re.compile(
    r"[」』]?(?:と|って)(?:書かれ|記載され|表示され|押され|付され)た[^。\n]{0,12}?(?:は|を|って)"
    # the marking quoted as a word before the kind of material («「庁外秘」の資料はAIに入力していいですか»)
    r"|[」』](?:の|扱いの)(?:資料|文書|情報|データ|ファイル|メール)(?:は|を|って)"
)


def _asked_of_such(text: str, end: int) -> bool:
    """A question about material that carries the marking («「コピー禁止」と書かれた資料はAIに入力して
    もいいですか»), not the material itself."""
    if _SUCH_MATERIAL.match(text, end) is None:
        return False
    _, sentence_end = _sentence(text, end)
    asked_mark = sentence_end < len(text) and text[sentence_end] in "?？"
    return asked_mark or _ASKED.search(text[end:sentence_end]) is not None


def _carried(text: str, end: int) -> bool:
    """Material that carries the marking, to be worked on (庁外秘の表示がある通知文を書き直して回覧したい),
    not a question about such material (部外秘の表示がある文書は入力していいですか)."""
    if _CARRIED.match(text, end) is None:
        return False
    _, sentence_end = _sentence(text, end)
    rest = text[end:sentence_end]
    return _WORK_ON_IT.search(rest) is not None and _ASKED.search(rest) is None


def _is_topic(text: str, start: int, end: int) -> bool:
    """The word is discussed (とは, の種類, 入力しない, a list of ordinance items), not marking content."""
    if _carried(text, end):
        return False
    if _asked_of_such(text, end):
        return True
    if _TOPIC_AFTER.match(text[end : end + 24]) or _TOPIC_BEFORE.search(text[max(0, start - 8) : start]):
        return True
    sentence_start_, sentence_end = _sentence(text, start)
    if _DEFINITION_BEFORE.search(text, sentence_start_, start):
        return True
    if _TOPIC_SENTENCE_END.search(text[end:sentence_end].rstrip(" 、。")):
        return True
    if not _ENUMERATION.fullmatch(text[start:end]):
        return False  # 監査結果, 交渉方針: content even inside a list
    window = text[max(0, start - _ENUM_WINDOW) : end + _ENUM_WINDOW]
    return len(_ENUMERATION.findall(window)) >= 3 and len(_LIST_SEPARATORS.findall(window)) >= 2


def _cue_category(text: str, span: tuple[int, int], fallback: str) -> str:
    """The category of a generic marking from cue words near it, else `fallback`."""
    window = text[max(0, span[0] - _CUE_WINDOW) : span[1] + _CUE_WINDOW]
    return next((category for category, cue in _CUES if cue.search(window)), fallback)


def _fold(word: str) -> str:
    """A policy word as it appears in the base view."""
    return normalize(word).text
