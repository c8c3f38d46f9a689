"""Search over the fixtures: paraphrases find the article, unrelated questions find nothing relevant,
and several instances over one storage answer alike."""

from __future__ import annotations

from bot.core.clock import system_clock
from bot.core.knowledge import Knowledge
from bot.core.knowledge.analysis import Analyzer
from bot.core.knowledge.index import LocalIndex, covered, nouns_matched, weights
from bot.core.knowledge.store import KnowledgeStore
from bot.core.storage.base import Storage


async def test_paraphrase_finds_the_article(knowledge: Knowledge) -> None:
    hits = await knowledge.relevant("出張でグリーン車は使えますか")
    assert hits, "the rule is written 特別車両料金, the question says グリーン車"
    assert hits[0].title == "架空市職員等の旅費に関する規程"
    assert hits[0].label == "第五条"


async def test_other_documents_and_formats(knowledge: Knowledge) -> None:
    usb = await knowledge.relevant("USBに個人情報をコピーしてもいい？")
    assert usb[0].title == "架空市文書管理マニュアル"
    assert usb[0].label == "2　外部記録媒体の利用"
    home = await knowledge.relevant("テレワークで自分のパソコンを使ってもいいですか")
    assert home[0].title == "架空市テレワーク実施要綱"  # the HTML's <title>
    assert "私物のパソコン" in home[0].text
    hotel = await knowledge.relevant("ホテル代はいくらまで出ますか")
    assert hotel[0].label == "第八条"


async def test_unrelated_questions_have_no_relevant_passage(knowledge: Knowledge) -> None:
    for question in ("おすすめのランチを教えて", "Excelでグラフを作る方法", "来週の天気は"):
        assert await knowledge.relevant(question) == [], question


async def test_instances_answer_alike_after_a_change(storage: Storage, knowledge: Knowledge) -> None:
    other = Knowledge.open(storage, system_clock, refresh_s=0)  # a second instance behind the load balancer
    try:
        question = "公用車を予約するには"
        assert [(h.doc_id, h.label, h.score) for h in await other.search("会議録の保存期間")] == [
            (h.doc_id, h.label, h.score) for h in await knowledge.search("会議録の保存期間")
        ]
        assert await knowledge.relevant(question) == []
        doc, outcome = await other.add(
            "/new/car.txt", "公用車管理要領", "第三条　公用車の予約は、庁内の予約簿に記入して行う。"
        )
        assert outcome == "added"
        first = await knowledge.search(question)
        assert first[0].doc_id == doc.doc_id  # the first instance caught up through the version
        await knowledge.remove(doc.doc_id)
        assert all(h.doc_id != doc.doc_id for h in await other.search(question))
    finally:
        await other.close()


async def test_version_is_read_at_most_every_refresh_interval(storage: Storage) -> None:
    now = [0.0]
    service = Knowledge(
        KnowledgeStore(storage, system_clock), LocalIndex(Analyzer()), refresh_s=5.0, timer=lambda: now[0]
    )
    await service.add("/x.txt", "規程X", "第一条　公用車の鍵は総務課で借りる。")
    assert (await service.sync()) is not None
    await service.add("/y.txt", "規程Y", "第一条　庁舎の鍵は守衛室で借りる。")
    assert await service.sync() is None  # inside the interval: no storage read
    now[0] = 6.0
    report = await service.sync()
    assert report is not None
    assert report.indexed == 1


def test_relevance_needs_a_whole_noun_not_only_a_compound_part() -> None:
    """A passage sharing only a part of the question's compound (退職金 → 退職) covers little, and
    one-character parts (金, 日) count for nothing; a whole noun or its synonym counts fully."""
    analyzer = Analyzer()
    units = analyzer.units("退職金はいくらですか")
    idf = weights(units, {"退職": 3, "金": 40}, 100)
    only_part = covered(units, {"退職"}, idf)
    assert 0 < only_part <= 0.5
    assert covered(units, {"金"}, idf) == 0.0
    assert nouns_matched(units, {"退職", "金"}) == 0
    assert nouns_matched(units, {"退職金"}) == 1
    assert covered(units, {"退職金"}, idf) == 1.0


def test_an_unseen_word_weighs_what_the_rarest_seen_word_weighs() -> None:
    units = Analyzer().units("互助会の旅行")
    idf = weights(units, {"旅行": 1}, 100)
    assert idf["互助会"] == idf["旅行"], "unseen is rarest, not more than rarest"


async def test_a_passage_sharing_only_parts_and_verbs_is_not_relevant(knowledge: Knowledge) -> None:
    await knowledge.add("/k/taishoku.txt", "退職の手続", "第一条　退職する職員は、退職届を所属長に出す。")
    assert await knowledge.relevant("退職金っていくらもらえますか") == []
    assert (await knowledge.relevant("退職届はだれに出しますか"))[0].title == "退職の手続"
