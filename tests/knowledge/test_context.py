"""Which sources an answer cites, the 参考 line built from them, and what the passages weigh."""

from __future__ import annotations

from bot.core.knowledge import Prepared, Source, cited
from bot.ui.knowledge.texts import passages_counted, references

SOURCES = (
    Source(1, "d1", "架空市職員等の旅費に関する規程", "第五条", "特別車両料金は…に限り支給する。"),
    Source(2, "d2", "架空市文書管理マニュアル", "2　外部記録媒体の利用", "USBメモリは…"),
)


def test_passages_given_but_none_cited_make_no_reference_line() -> None:
    answer = "資料には該当する記載がありません。担当課に確認してください。"
    assert cited(answer, SOURCES) == []
    assert references(cited(answer, SOURCES)) == ""


def test_only_numbers_of_sources_given_count_and_each_source_once() -> None:
    answer = "支給されます【１】。USBは使えません【2】【2】。別の規程【7】もあります。"
    assert [s.number for s in cited(answer, SOURCES)] == [1, 2]
    assert references(cited("支給されます【1】", SOURCES)) == "参考：『架空市職員等の旅費に関する規程』第五条"


def test_the_passage_characters_are_the_blocks_sent() -> None:
    prepared = Prepared("…", SOURCES)
    assert prepared.passage_chars == sum(len(s.block) for s in SOURCES)
    assert (
        SOURCES[0].block == "【1】『架空市職員等の旅費に関する規程』第五条\n特別車両料金は…に限り支給する。"
    )
    assert passages_counted(0) == ""
    assert "1,234文字" in passages_counted(1234)
