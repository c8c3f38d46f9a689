"""What the model gets from the knowledge, and which sources an answer used.

For a model-bound question the dialog asks `KnowledgeContext.prepare(question, pseudonyms)`:

    relevant passages ─ screened (block → dropped; mask → placeholders in the conversation's table;
                        confirm-class topic words are the rule's subject, not a case: released)
                      ─ numbered 【1】【2】… in a system message with title and article
    none relevant     ─ a system line telling the model not to invent sources

After the answer, `cited(answer, sources)` keeps the sources whose number the answer mentions; the
Teams layer turns them into the 「参考：」 line. (These are instructions to the model, in Japanese like
the rest of the system prompt; the user-facing line is built in bot.ui.knowledge.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.knowledge.passages import article_number
from bot.core.screening.model import Action

if TYPE_CHECKING:
    from bot.core.knowledge.index import Hit
    from bot.core.knowledge.service import Knowledge
    from bot.core.screening import PseudonymTable, Screener

HEADER = "■ 参考資料（市の例規・要綱・マニュアルからの抜粋）"
INSTRUCTIONS = (
    "次の参考資料は、この市の例規・要綱・マニュアルからの抜粋です。質問に関係する資料があれば、それに基づいて回答し、"
    "使った資料の番号を該当する文の末尾に【1】のように書いてください。資料に書かれていないことを資料にあるかのように"
    "書かず、資料名・条番号を作らないでください。資料が質問に関係しない場合は、番号を書かずに回答してください。"
)
NO_SOURCES = (
    "この質問に関係する市の例規・要綱・マニュアルは見つかりませんでした。規程名・条番号・出典を作ったり推測したりせず、"
    "必要に応じて担当課や原典での確認を勧めてください。"
)
_MARK = re.compile(r"【\s*([0-9０-９]{1,2})\s*】")


@dataclass(frozen=True)
class Source:
    """A passage as sent to the model: its number, citation and screened text."""

    number: int
    doc_id: str
    title: str
    label: str
    text: str

    @property
    def citation(self) -> str:
        """『文書名』第N条 (or the heading; just the title for a preamble)."""
        label = article_number(self.label)
        return (
            f"『{self.title}』{label}"
            if label.startswith("第")
            else (f"『{self.title}』「{label}」" if label else f"『{self.title}』")
        )

    @property
    def block(self) -> str:
        """The passage as the model reads it: 【1】『文書名』第N条, then the screened text."""
        return f"【{self.number}】{self.citation}\n{self.text}"


@dataclass(frozen=True)
class Prepared:
    """The system message for the knowledge, and the sources it numbers."""

    message: str
    sources: tuple[Source, ...]

    @property
    def passage_chars(self) -> int:
        """Characters of the passages sent (their blocks; the instruction lines around them are part
        of the system prompt): counted for the quota like the user's text."""
        return sum(len(s.block) for s in self.sources)


class KnowledgeContext:
    """Retrieval, screening and numbering of passages for one question."""

    def __init__(self, knowledge: Knowledge, screener: Screener) -> None:
        self.knowledge = knowledge
        self.screener = screener

    async def prepare(self, question: str, pseudonyms: PseudonymTable | None) -> Prepared:
        """The knowledge system message for `question` (already screened text)."""
        hits = await self.knowledge.relevant(question)
        sources = self.screened(hits, pseudonyms)
        if not sources:
            return Prepared(NO_SOURCES, ())
        blocks = [s.block for s in sources]
        return Prepared("\n\n".join([HEADER, INSTRUCTIONS, *blocks]), tuple(sources))

    def screened(self, hits: list[Hit], pseudonyms: PseudonymTable | None) -> list[Source]:
        """Hits as sources: a passage with a block-class finding is dropped, masked kinds replaced."""
        sources: list[Source] = []
        for hit in hits:
            result = self.screener.screen(hit.text, pseudonyms, confirmed=True)
            if result.action is Action.BLOCK:
                continue
            sources.append(Source(len(sources) + 1, hit.doc_id, hit.title, hit.label, result.masked_text))
        return sources

    def withheld(self, hit: Hit) -> bool:
        """Whether screening keeps a relevant passage from the model (a block-class finding), as
        `screened` drops it (`python -m bot knowledge search` says so)."""
        return self.screener.screen(hit.text, confirmed=True).action is Action.BLOCK


def cited(answer: str, sources: tuple[Source, ...]) -> list[Source]:
    """The sources the answer mentions by number (【1】), each once, in number order."""
    numbers = {
        int(m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        for m in _MARK.finditer(answer)
    }
    return [s for s in sources if s.number in numbers]
