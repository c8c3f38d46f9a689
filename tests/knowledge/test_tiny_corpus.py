"""BM25 on a tiny corpus: FTS5 gives a term held by half the passages or more an IDF of 1e-6, so with
one document every score was 0.00. Such a term now weighs `idf_floor(N)` (bot.core.knowledge.index);
everything FTS5 scores with a positive IDF keeps FTS5's own score."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bot.core.knowledge.analysis import Analyzer
from bot.core.knowledge.index import (
    BODY_WEIGHT,
    COVERAGE_BASE,
    HEAD_WEIGHT,
    LocalIndex,
    idf_floor,
)
from bot.core.knowledge.passages import split_passages
from tests.knowledge.test_cli import env, run

__all__ = ["env"]  # the fixture, from test_cli.py

RULE = "第一条　出張の旅費は、鉄道賃、日当及び宿泊料とする。"
RULES = (
    "第一条　出張の旅費は、鉄道賃、日当及び宿泊料とする。\n"
    "第二条　特別車両料金は、市長が特に必要と認めるときに限り支給する。\n"
    "第三条　公用車の鍵は、使用後ただちに総務課へ返却する。\n"
    "第四条　会議録は、十年間保存する。\n"
    "第五条　庁舎の開庁時間は、午前八時三十分から午後五時十五分までとする。"
)
K1, B = 1.2, 0.75  # FTS5's bm25() constants


@pytest.fixture
def index() -> LocalIndex:
    return LocalIndex(Analyzer())


def _add(index: LocalIndex, text: str, title: str = "旅費規程") -> None:
    index.add("d1", "sha", title, "/rules.txt", split_passages(text))


def test_a_one_passage_corpus_scores_like_bm25_with_the_floor(index: LocalIndex) -> None:
    """One passage: every term is held by all of them, so each weighs idf_floor(1); the row is the
    average length, so a term's frequency part is f(k1 + 1) / (f + k1) with f its weighted count."""
    _add(index, RULE)
    [hit] = index.search("出張の宿泊料は")
    head = index.analyzer.terms(f"旅費規程\n{hit.context}")
    body = index.analyzer.terms(hit.text)
    query = set(index.analyzer.terms("出張の宿泊料は"))
    bm25 = 0.0
    for term in query & (set(head) | set(body)):
        f = HEAD_WEIGHT * head.count(term) + BODY_WEIGHT * body.count(term)
        bm25 += idf_floor(1) * f * (K1 + 1) / (f + K1)
    assert hit.score == pytest.approx(bm25 * (COVERAGE_BASE + hit.coverage), rel=1e-9)
    assert hit.score > 0.5, "a passage that has every word of the question no longer scores 0.00"


def test_terms_fts5_scores_keep_fts5_s_score(index: LocalIndex) -> None:
    """A term in one passage of five has a positive IDF: the score is FTS5's bm25(), unchanged."""
    _add(index, RULES)
    [hit] = [h for h in index.search("会議録の保存") if h.label == "第四条"]
    match = " OR ".join(f'"{t}"' for t in dict.fromkeys(index.analyzer.terms("会議録の保存")))
    raw = index._db.execute(  # FTS5's own figure, to compare with
        "SELECT bm25(fts, ?, ?) FROM fts WHERE fts MATCH ? AND rowid = ?",
        (HEAD_WEIGHT, BODY_WEIGHT, match, hit.passage_id),
    ).fetchone()[0]
    assert hit.score == -raw * (COVERAGE_BASE + hit.coverage)


def test_a_title_word_every_passage_holds_weighs_the_floor_not_zero(index: LocalIndex) -> None:
    """The title is in every passage's head: its share of the score is the floor's, and the passage
    that also has the rarer word still ranks first."""
    _add(index, RULES)
    hits = index.search("旅費規程の鉄道賃")
    assert hits[0].label == "第一条"
    assert all(h.score > 0.01 for h in hits), [(h.label, h.score) for h in hits]


def test_the_floor_is_below_every_positive_classic_idf() -> None:
    """A commoner term never outweighs a rarer one: for every corpus size, the floor is positive and
    smaller than the classic IDF of any term held by fewer than half the passages."""
    for n in range(1, 3001):
        classic = [math.log((n - df + 0.5) / (df + 0.5)) for df in range(1, n + 1)]
        positive = [idf for idf in classic if idf > 0]
        assert 0 < idf_floor(n) < min(positive, default=math.inf), n


def test_knowledge_search_prints_real_scores_for_a_single_document(
    env: dict[str, str], tmp_path: Path
) -> None:
    rule = tmp_path / "ryohi.txt"
    rule.write_text(f"旅費規程\n\n{RULE}\n", encoding="utf-8")
    assert run(env, "add", str(rule)).returncode == 0
    [row] = json.loads(run(env, "search", "出張の宿泊料は", "--json").stdout)
    assert row["score"] > 0.5
    shown = run(env, "search", "出張の宿泊料は").stdout
    assert "スコア 0.00" not in shown
    assert "（この質問で回答に使われます）" in shown
