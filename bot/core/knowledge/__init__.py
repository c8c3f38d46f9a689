"""The city's own knowledge: its 例規・要綱・マニュアル, searched and cited in answers.

    documents.py   parse_document(bytes, name) / read_document(path): .txt .md .html .docx .pdf → text
                   and title, through the attachments' extractors
    passages.py    cut at 第N条 / 第N章 / 見出し
    analysis.py    Sudachi-normalised terms and synonym groups (synonyms.txt)
    store.py       source of truth in the configured storage (chunked), with a version counter
    uploads.py     where a file attached in Teams is stored: by sender and file name
    index.py       the instance's local SQLite FTS5 index (BM25)
    embeddings.py  optional hybrid re-ranking (its own setting, off by default)
    service.py     Knowledge: add / remove / list / search, index kept in step with the storage
    context.py     passages screened and numbered for the model; which sources an answer cited

No botbuilder and no user-facing Japanese here (the model's instructions are in context.py).
"""

from bot.core.knowledge.context import KnowledgeContext, Prepared, Source, cited
from bot.core.knowledge.documents import (
    SUFFIXES,
    ReadDocument,
    kind_of,
    parse_document,
    read_document,
)
from bot.core.knowledge.index import Hit
from bot.core.knowledge.service import Knowledge
from bot.core.knowledge.store import StoredDocument, Uploader
from bot.core.knowledge.uploads import Placement, place_upload

__all__ = [
    "SUFFIXES",
    "Hit",
    "Knowledge",
    "KnowledgeContext",
    "Placement",
    "Prepared",
    "ReadDocument",
    "Source",
    "StoredDocument",
    "Uploader",
    "cited",
    "kind_of",
    "parse_document",
    "place_upload",
    "read_document",
]
