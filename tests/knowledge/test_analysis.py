"""Terms: Sudachi-normalised content words and synonym groups on both sides."""

from __future__ import annotations

from pathlib import Path

from bot.core.knowledge.analysis import Analyzer


def test_normalised_content_words() -> None:
    analyzer = Analyzer(synonyms=False)
    assert analyzer.words("出張でグリーン車は使えますか") == ["出張", "グリーン車", "使う"]
    assert "引っ越し" in analyzer.words("引越しの手当")  # Sudachi's normalised spelling
    assert analyzer.words("ＵＳＢメモリ") == ["usbメモリ"]  # NFKC, lower case


def test_compounds_add_their_parts() -> None:
    terms = Analyzer(synonyms=False).terms("年次有給休暇")
    assert terms[:1] == ["年次有給休暇"]
    assert {"年次", "有給", "休暇"} <= set(terms)


def test_synonym_groups_join_question_and_rule() -> None:
    analyzer = Analyzer()
    question = set(analyzer.terms("出張でグリーン車は使えますか"))
    rule = set(analyzer.terms("特別車両料金は、次に掲げる場合に限り支給する。"))
    shared = {t for t in question & rule if t.startswith("s")}
    assert shared, "a multi-word member (特別 車両 料金) and a one-word member share their group"
    assert not {t for t in question & rule if not t.startswith("s")}


def test_synonyms_can_be_switched_off_and_replaced(tmp_path: Path) -> None:
    assert not [t for t in Analyzer(synonyms=False).terms("グリーン車") if t.startswith("s")]
    custom = tmp_path / "syn.txt"
    custom.write_text("# test\n庁舎, 市役所\n", encoding="utf-8")
    analyzer = Analyzer(synonym_file=custom)
    assert analyzer.groups.count == 1
    assert set(analyzer.terms("庁舎")) & set(analyzer.terms("市役所"))
