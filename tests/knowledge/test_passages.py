"""Passages are cut at 第N条, chapters and headings, and keep what a citation needs."""

from __future__ import annotations

from bot.core.knowledge.passages import MAX_CHARS, split_passages
from bot.core.knowledge.service import passages_of
from tests.knowledge.conftest import FIXTURES


def test_articles_with_captions_and_chapters() -> None:
    passages = passages_of("架空市職員等の旅費に関する規程", (FIXTURES / "ryohi.txt").read_text())
    labels = [p.label for p in passages]
    assert labels == ["第一条", "第二条", "第五条", "第八条"]
    fifth = passages[2]
    assert fifth.context == "第二章　鉄道賃"
    assert fifth.text.startswith("（鉄道賃）\n第五条")  # the caption belongs to its article
    assert "特別車両料金" in fifth.text  # paragraph ２ stays with its article
    assert passages[0].context == "第一章　総則"


def test_markdown_and_numbered_headings() -> None:
    text = "# 手引\n\n## 1　申請\n申請書を出す。\n\n2．審査\n所属長が審査する。"
    passages = split_passages(text)
    assert [(p.label, p.text) for p in passages] == [
        ("1　申請", "申請書を出す。"),
        ("2．審査", "所属長が審査する。"),
    ]


def test_a_numbered_sentence_is_not_a_heading() -> None:
    passages = split_passages("第一条　目的\n1 この規程は、市の事務を定める。")
    assert len(passages) == 1


def test_long_articles_are_split_and_keep_their_label() -> None:
    body = (
        "。".join(f"第{i}の文はこの規程の運用について詳しく述べる長い説明である" for i in range(200)) + "。"
    )
    passages = split_passages(f"第三条　{body}")
    assert len(passages) > 3
    assert all(p.label == "第三条" and len(p.text) <= MAX_CHARS for p in passages)
    assert "".join(p.text.replace("\n", "") for p in passages) == f"第三条　{body}"
