"""Streaming restore: placeholders split across chunks are restored, nothing is lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.screening import PseudonymTable, Restorer

ANSWER = "〔人名1〕さんへ、〔電話番号1〕にご連絡ください。［人名２］様にも。[メモ] と 〔未知1〕 はそのまま。"


def _table() -> PseudonymTable:
    table = PseudonymTable()
    table.placeholder("person_name", "石井美加", "石井 美加")
    table.placeholder("phone", "09012345678", "090-1234-5678")
    table.placeholder("person_name", "原口", "原口")
    return table


def _stream(chunks: list[str]) -> tuple[str, list[str]]:
    restorer = Restorer(_table())
    shown = [restorer.feed(c) for c in chunks]
    shown.append(restorer.flush())
    return "".join(shown), shown


EXPECTED = "石井 美加さんへ、090-1234-5678にご連絡ください。原口様にも。[メモ] と 〔未知1〕 はそのまま。"


def test_every_split_point() -> None:
    for i in range(len(ANSWER) + 1):
        assert _stream([ANSWER[:i], ANSWER[i:]])[0] == EXPECTED


def test_character_by_character_never_shows_a_partial_placeholder() -> None:
    text, shown = _stream(list(ANSWER))
    assert text == EXPECTED
    assert not any(piece.startswith("〔人") for piece in shown)


@given(st.lists(st.integers(min_value=1, max_value=len(ANSWER)), max_size=8))
def test_any_chunking(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    chunks = [ANSWER[a:b] for a, b in zip([0, *points], [*points, len(ANSWER)], strict=True)]
    assert _stream(chunks)[0] == EXPECTED


def test_an_unclosed_bracket_is_released_after_a_while() -> None:
    restorer = Restorer(_table())
    assert restorer.feed("配列 a[") == "配列 a"
    assert restorer.feed("i] と 〔ここは閉じない括弧のまま長い文章が続きます。").startswith("[i] と 〔ここは")
