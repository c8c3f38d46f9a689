"""The local index of one instance: SQLite FTS5 over analysed terms, ranked by BM25.

It lives in memory (rebuilt from the storage at start-up, then kept in step incrementally), so every
instance behind the load balancer holds the same passages for the same version and answers alike.

    docs(doc_id, sha256, title, source)            what is indexed, to diff against the storage
    passages(id, doc_id, ordinal, label, context, text)
    fts(head, body)                                 analysed terms; head = title + headings (weighted)
    vocab                                           fts5vocab: document frequency per term (for IDF)

All calls are synchronous and thread-safe (one lock); the async service runs them off the event loop.

BM25 is FTS5's `bm25()` with one change, to its IDF floor. FTS5 computes the classic
IDF log((N - n + 0.5) / (n + 0.5)) and gives a term held by half the passages or more (where that is
zero or less) 1e-6 instead, so on a corpus of one or two passages every term weighs nothing and every
score is 0.00. Such a term weighs `idf_floor(N)` here — Lucene's always-positive IDF of a term every
passage holds, log(1 + 0.5 / (N + 0.5)) — which lies below every positive classic IDF (a commoner term
never outweighs a rarer one). The part of the score that FTS5 floored is read back from FTS5 itself
(the same query over only those terms, whose scores are exactly 1e-6 × their term-frequency parts) and
re-weighed: scores of queries without such a term are FTS5's own, bit for bit. On an index of more
than 1,000 passages a term held by half of them is not matched (`_selective` leaves out terms held by
more than 500, unless every word of the query is), so there the ranking is FTS5's; below that, a
query with such a term gains at most idf_floor(N) × (k1 + 1) ≈ 1.1 / N per such term, which only
reorders near-ties. The candidates are still FTS5's best `limit`; on a corpus of no more passages
than that, they are every match.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.core.knowledge.analysis import Analyzer, Unit
from bot.core.knowledge.passages import Passage
from bot.core.knowledge.question import Asked, asked

HEAD_WEIGHT = (
    0.5  # title and headings repeat over a document's passages: they pick the document, the body the passage
)
BODY_WEIGHT = 1.0
COVERAGE_BASE = 0.25
COMMON_SHARE = 0.02
COMMON_MIN = 500
"""Ranking score = BM25 × (COVERAGE_BASE + coverage): BM25 rewards a word said often, coverage a
passage that speaks to every part of the question."""
RECENT_QUERIES = 64  # term frequencies kept per query between search() and asked()
FTS5_IDF_FLOOR = 1e-6  # what FTS5's bm25() gives a term whose classic IDF is zero or less

_SCHEMA = """
CREATE TABLE docs (doc_id TEXT PRIMARY KEY, sha256 TEXT, title TEXT, source TEXT);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, doc_id TEXT, ordinal INTEGER, label TEXT, context TEXT, text TEXT
);
CREATE INDEX passages_doc ON passages (doc_id);
CREATE VIRTUAL TABLE fts USING fts5 (head, body, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE vocab USING fts5vocab (fts, 'row');
"""


@dataclass(frozen=True)
class Hit:
    """One passage found for a query."""

    passage_id: int
    doc_id: str
    title: str
    source: str
    label: str
    context: str
    text: str
    score: float  # BM25 (floored IDF: module docstring) × (COVERAGE_BASE + coverage); higher is better
    coverage: float  # share of the query's IDF weight the passage matches, 0–1
    nouns: int = 0  # the question's nouns the passage has (the word or a synonym, not only a part)
    terms: frozenset[str] = frozenset()  # the passage's index terms (title and headings included)


class LocalIndex:
    """FTS5 index over passages (see the module docstring)."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.version = -1  # the storage version this index reflects; -1 = never synced
        self._lock = threading.Lock()
        self._recent: dict[str, tuple[int, dict[str, int]]] = {}  # query → (passages, its terms' frequencies)
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)

    def indexed(self) -> dict[str, str]:
        """doc_id → sha256 of every indexed document."""
        with self._lock:
            return dict(self._db.execute("SELECT doc_id, sha256 FROM docs").fetchall())

    def passage_count(self) -> int:
        """How many passages are indexed."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM passages").fetchone()[0])

    def add(self, doc_id: str, sha256: str, title: str, source: str, passages: Sequence[Passage]) -> None:
        """Index (or re-index) one document's passages."""
        rows = [
            (
                " ".join(self.analyzer.terms(f"{title}\n{p.context}")),
                " ".join(self.analyzer.terms(p.text)),
                p,
            )
            for p in passages
        ]  # analysed outside the lock: the expensive part
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._remove(doc_id)
                self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?)", (doc_id, sha256, title, source))
                for head, body, p in rows:
                    cur = self._db.execute(
                        "INSERT INTO passages (doc_id, ordinal, label, context, text) VALUES (?, ?, ?, ?, ?)",
                        (doc_id, p.ordinal, p.label, p.context, p.text),
                    )
                    self._db.execute(
                        "INSERT INTO fts (rowid, head, body) VALUES (?, ?, ?)", (cur.lastrowid, head, body)
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def remove(self, doc_id: str) -> None:
        """Drop a document from the index."""
        with self._lock:
            self._remove(doc_id)

    def _remove(self, doc_id: str) -> None:
        self._recent.clear()
        ids = [r[0] for r in self._db.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))]
        self._db.executemany("DELETE FROM fts WHERE rowid = ?", [(i,) for i in ids])
        self._db.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The best passages for `query`, best first (BM25 over head and body, × coverage)."""
        analysed = self.analyzer.analysed(query)  # tokenised once for both
        terms = list(dict.fromkeys(self.analyzer.terms_of(analysed)))
        if not terms:
            return []
        units = self.analyzer.units_of(analysed)
        with self._lock:
            n, df = self._frequencies([*terms, *(t for u in units for t in (u.word, *u.groups, *u.parts))])
            if len(self._recent) >= RECENT_QUERIES:
                self._recent.clear()
            self._recent[query] = (n, df)  # asked() right after needs the same counts: no second vocab walk
            selected = _selective(terms, df, n)
            rows = self._db.execute(
                "SELECT fts.rowid, bm25(fts, ?, ?), fts.head, fts.body, p.doc_id, d.title, d.source,"
                " p.label, p.context, p.text FROM fts JOIN passages p ON p.id = fts.rowid"
                " JOIN docs d ON d.doc_id = p.doc_id WHERE fts MATCH ? ORDER BY bm25(fts, ?, ?) LIMIT ?",
                (HEAD_WEIGHT, BODY_WEIGHT, _match(selected), HEAD_WEIGHT, BODY_WEIGHT, limit),
            ).fetchall()
            floored = [t for t in selected if 2 * df.get(t, 0) >= n]  # the terms FTS5 gave 1e-6
            lift = self._floor_lift(floored, [r[0] for r in rows], n) if floored and rows else {}
        idf = weights(units, df, n)
        hits = []
        for rowid, bm25, head, body, doc_id, title, source, label, context, text in rows:
            present = set(head.split()) | set(body.split())
            coverage = covered(units, present, idf)
            score = (-float(bm25) + lift.get(rowid, 0.0)) * (COVERAGE_BASE + coverage)
            nouns = nouns_matched(units, present)
            hits.append(
                Hit(
                    rowid,
                    doc_id,
                    title,
                    source,
                    label,
                    context,
                    text,
                    score,
                    coverage,
                    nouns,
                    frozenset(present),
                )
            )
        return sorted(hits, key=lambda h: -h.score)

    def asked(self, query: str) -> Asked:
        """What `query` asks (bot.core.knowledge.question), with whether its topic is unfamiliar: a
        word of the topic phrase that no passage holds — not the word, a synonym, nor (for a
        compound) any multi-character part; 退職金 is familiar where 退職 is, ランチ is not."""
        words = self.analyzer.topic(query)
        focus = tuple(self.analyzer.focus(query))
        if not words:
            return asked(query, focus=focus)
        units = {u.word: u for u in self.analyzer.units(query)}
        topic = [units[w] for w in words if w in units]
        with self._lock:
            n, df = self._recent.get(query) or self._frequencies(
                [t for u in topic for t in (u.word, *u.groups, *u.parts)]
            )
        unfamiliar = any(
            not any(df.get(t, 0) for t in (u.word, *u.groups))
            and not any(df.get(p, 0) for p in u.parts if len(p) > 1)
            for u in topic
        )
        idf = weights(topic, df, n)
        return asked(
            query, unfamiliar=unfamiliar, focus=focus, topic=tuple(topic), idf=tuple(sorted(idf.items()))
        )

    def _floor_lift(self, floored: Sequence[str], rowids: Sequence[int], n: int) -> dict[int, float]:
        """rowid → what the IDF floor adds to FTS5's BM25 for the `floored` terms (module docstring):
        FTS5 scores them at 1e-6 × their term-frequency parts, which are re-weighed at idf_floor(n)."""
        marks = ",".join("?" * len(rowids))
        rows = self._db.execute(
            f"SELECT rowid, bm25(fts, ?, ?) FROM fts WHERE fts MATCH ? AND rowid IN ({marks})",  # noqa: S608
            (HEAD_WEIGHT, BODY_WEIGHT, _match(floored), *rowids),
        )
        factor = (idf_floor(n) - FTS5_IDF_FLOOR) / FTS5_IDF_FLOOR
        return {int(rowid): -float(bm25) * factor for rowid, bm25 in rows}

    def _frequencies(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(number of passages, passages holding each term that any passage holds)."""
        n = int(self._db.execute("SELECT count(*) FROM passages").fetchone()[0]) or 1
        distinct = list(dict.fromkeys(terms))
        marks = ",".join("?" * len(distinct))
        rows = self._db.execute(f"SELECT term, doc FROM vocab WHERE term IN ({marks})", distinct)  # noqa: S608
        return n, {str(t): int(d) for t, d in rows}

    def close(self) -> None:
        """Free the in-memory database."""
        with self._lock:
            self._db.close()


def _selective(terms: Sequence[str], df: dict[str, int], n: int) -> list[str]:
    """The terms worth matching on: a term in more than COMMON_SHARE of the passages (and more than
    COMMON_MIN of them) adds little to BM25 but a long posting list to walk, so it is left to the
    coverage factor (which still sees it); the rarest two stay when nothing else would."""
    cap = max(COMMON_MIN, COMMON_SHARE * n)
    known = [t for t in terms if df.get(t, 0) > 0]
    return [t for t in known if df[t] <= cap] or sorted(known, key=lambda t: df[t])[:2] or list(terms)[:1]


def _match(terms: Sequence[str]) -> str:
    """An FTS5 query matching any of `terms`."""
    return " OR ".join(f'"{t}"' for t in terms)


def idf_floor(n: int) -> float:
    """The IDF of a term held by half of `n` passages or more (module docstring): Lucene's IDF of a
    term every passage holds, positive, and below the classic IDF of any rarer term."""
    return math.log(1 + 0.5 / (n + 0.5))


def weights(units: Sequence[Unit], df: dict[str, int], n: int) -> dict[str, float]:
    """IDF of every term of the question's units (words, synonym groups, compound parts).

    A term no passage holds weighs what a term held by one passage weighs: BM25's +0.5 smoothing
    would give it more than any real term, so a single unseen word (ランチ, 互助会) would outweigh
    everything the passage does match, and one the corpus never uses (a casual 日帰り) would sink
    an answering passage. Unseen is unseen: it is "rarest", not "more than rarest"."""
    rarest = math.log(1 + (n - 0.5) / 1.5)
    terms = {t for u in units for t in (u.word, *u.groups, *u.parts)}
    return {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) if df.get(t, 0) > 0 else rarest for t in terms}


def covered(units: Sequence[Unit], present: Collection[str], idf: dict[str, float]) -> float:
    """Share (0–1) of the question's weight a passage's terms cover.

    A word counts fully when the passage has it or a word of one of its synonym groups; a compound
    the passage has only some parts of counts for the share (by IDF) of its multi-character parts
    it has, halved: 退職金 is not 退職, and a one-character part (金, 日, 方, 会) says almost nothing
    on its own. Each word weighs the lowest IDF of itself and its groups (a word the corpus never
    uses but whose synonym it does weighs what the synonym weighs)."""
    total = got = 0.0
    for unit in units:
        weight = min(idf.get(t, 0.0) for t in (unit.word, *unit.groups)) * unit.weight
        total += weight
        if unit.word in present or any(g in present for g in unit.groups):
            got += weight
        else:
            got += weight / 2 * _part_share(unit, present, idf)
    return got / total if total else 0.0


def _part_share(unit: Unit, present: Collection[str], idf: dict[str, float]) -> float:
    parts = [p for p in unit.parts if len(p) > 1]
    whole = sum(idf.get(p, 0.0) for p in parts)
    return sum(idf.get(p, 0.0) for p in parts if p in present) / whole if whole else 0.0


def nouns_matched(units: Sequence[Unit], present: set[str]) -> int:
    """How many of the question's nouns the passage has, as the word or a synonym (parts do not count)."""
    return sum(
        1 for u in units if u.weight >= 1.0 and (u.word in present or any(g in present for g in u.groups))
    )
