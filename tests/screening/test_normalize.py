"""Normalisation: what is folded, what is removed, and that offsets always map back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.screening.normalize import normalize, numeric_view

INVISIBLES = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"
)


def test_fullwidth_and_dashes_fold_to_ascii() -> None:
    assert normalize("０９０－１２３４－５６７８").text == "090-1234-5678"
    for dash in "‐-‒–—―−－":
        assert normalize(f"12{dash}34").text == "12-34"


def test_long_vowel_mark_is_a_hyphen_only_between_digits() -> None:
    assert normalize("090ー1234ｰ5678").text == "090-1234-5678"
    assert normalize("センター").text == "センター"


def test_invisible_characters_are_removed() -> None:
    text = "1".join(INVISIBLES) + "1"
    assert normalize(text).text == "1" * len(INVISIBLES)


def test_circled_secret_and_era_ligature() -> None:
    assert normalize("㊙").text == "秘"
    assert normalize("㍻3年").text == "平成3年"


def test_halfwidth_katakana_composes_voiced_marks() -> None:
    view = normalize("ｶﾞｷﾞ")
    assert view.text == "ガギ"
    assert view.span(0, 2) == (0, 4)


def test_kanji_numerals_become_digits_only_where_they_form_numbers() -> None:
    assert numeric_view(normalize("〇九〇ー一二三四ー五六七八")).text == "090-1234-5678"
    assert numeric_view(normalize("四丁目二番八号")).text == "4丁目2番8号"
    assert numeric_view(normalize("昭和四十年一月一日")).text == "昭和40年1月1日"
    assert numeric_view(normalize("二〇二四年")).text == "2024年"
    for word in ("一般", "統一", "三四郎", "○○様", "第一に"):
        assert numeric_view(normalize(word)).text == word


def test_span_maps_numeric_view_back_to_original() -> None:
    original = "電話〇九〇\u200bー一二三四ー五六七八です"
    view = numeric_view(normalize(original))
    start = view.text.index("090")
    end = start + len("090-1234-5678")
    a, b = view.span(start, end)
    assert original[a:b] == "〇九〇\u200bー一二三四ー五六七八"


ALPHABET = [*"0１２ー-‐ 　\u200b\u202e一二十三㊙ｶﾞ秘abＡ漢字〇", INVISIBLES[3]]


@given(st.text(alphabet=st.sampled_from(ALPHABET)))
def test_offsets_are_monotonic_and_in_bounds(text: str) -> None:
    for view in (normalize(text), numeric_view(normalize(text))):
        assert len(view.starts) == len(view.ends) == len(view.text)
        for i in range(len(view.text)):
            assert 0 <= view.starts[i] < view.ends[i] <= len(text)
            if i:
                assert view.starts[i] >= view.starts[i - 1]
