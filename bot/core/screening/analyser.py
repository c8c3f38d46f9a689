"""The SudachiPy analyser: one dictionary per process, one tokenizer per thread, compact tokens.

Loading the core dictionary is the expensive part (it is memory-mapped; ~60 MB of RSS), so it
happens once, on first use, behind a lock. A SudachiPy tokenizer must not be used by two threads
at once, so each thread gets its own. Tokens are plain tuples with the three POS levels the name
rules need; texts longer than SudachiPy's input limit are analysed in sentence-aligned chunks.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import NamedTuple

from sudachipy import Dictionary, SplitMode, Tokenizer

_LOCK = threading.Lock()
_ANALYSER: list[Dictionary] = []
_LOCAL = threading.local()


def load_analyser() -> Dictionary:
    """The shared SudachiPy core dictionary (loaded on first use)."""
    with _LOCK:
        if not _ANALYSER:
            _ANALYSER.append(Dictionary(dict="core"))
        return _ANALYSER[0]


def _tokenizer() -> Tokenizer:
    tokenizer: Tokenizer | None = getattr(_LOCAL, "tokenizer", None)
    if tokenizer is None:
        dictionary = load_analyser()
        # SudachiPy 0.7 renamed create() to tokenizer() and deprecates the old name; 0.6 has only create().
        make = getattr(dictionary, "tokenizer", None) or dictionary.create
        tokenizer = make(mode=SplitMode.C, fields={"pos", "normalized_form"})
        _LOCAL.tokenizer = tokenizer
    return tokenizer


@lru_cache(maxsize=8192)
def can_be_person(surface: str) -> bool:
    """Whether the dictionary has a person-name reading of `surface` (森, 林, 原…)."""
    return any(m.part_of_speech()[2] == "人名" for m in load_analyser().lookup(surface))


@lru_cache(maxsize=4096)
def reading(text: str) -> str:
    """The dictionary's katakana reading of a short text (a name: 蛭田 和明 → ヒルタ カズアキ)."""
    tokenizer = getattr(_LOCAL, "reader", None)
    if tokenizer is None:
        dictionary = load_analyser()
        make = getattr(dictionary, "tokenizer", None) or dictionary.create
        tokenizer = _LOCAL.reader = make(mode=SplitMode.C, fields={"reading_form"})
    return "".join(m.reading_form() for m in tokenizer.tokenize(text))


class Tok(NamedTuple):
    """A token: surface, offsets in the base view, POS levels 2-4, out-of-vocabulary flag, and
    Sudachi's normalised form (差押 → 差し押さえ), which the category lexicon matches on."""

    surface: str
    begin: int
    end: int
    pos1: str
    pos2: str
    pos3: str
    oov: bool
    norm: str

    @property
    def person(self) -> bool:
        """Tagged 名詞-固有名詞-人名-*, and not a one-letter stand-in (Aさん, Xさん)."""
        return self.pos2 == "人名" and not (len(self.surface) == 1 and self.surface.isascii())


_MAX_CHUNK = 4000  # characters; SudachiPy refuses inputs over 49149 bytes
_CHUNK_BREAK = re.compile(r"[。\n]")


def tokens(text: str) -> list[Tok]:
    """SudachiPy tokens of `text` (mode C), analysed in sentence-aligned chunks."""
    out: list[Tok] = []
    tokenizer = _tokenizer()
    new = tuple.__new__  # Tok(...) goes through a Python-level __new__: a third of the cost per token
    for offset, chunk in _chunks(text):
        raw = [
            (m.begin(), m.end(), m.part_of_speech_id(), m.is_oov(), m.normalized_form())
            for m in tokenizer.tokenize(chunk)
        ]
        known = _POS
        out += [
            new(Tok, (chunk[b:e], offset + b, offset + e, *(known.get(p) or _pos(p)), oov, norm))
            for b, e, p, oov, norm in raw
        ]
    return out


_POS: dict[int, tuple[str, str, str]] = {}


def _pos(pos_id: int) -> tuple[str, str, str]:
    """POS levels 2-4 of a POS id (cached: building the tuple per token is the costly part)."""
    levels = _POS.get(pos_id)
    if levels is None:  # first time this POS is seen in the process
        full = load_analyser().pos_of(pos_id) or ("*",) * 6
        levels = _POS[pos_id] = (full[1], full[2], full[3])
    return levels


def _chunks(text: str) -> list[tuple[int, str]]:
    """Pieces of at most _MAX_CHUNK characters, cut after a sentence end where there is one."""
    pieces, start = [], 0
    while len(text) - start > _MAX_CHUNK:
        window = text[start : start + _MAX_CHUNK]
        cut = max((m.end() for m in _CHUNK_BREAK.finditer(window)), default=_MAX_CHUNK)
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces
