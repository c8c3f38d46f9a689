"""`python -m bot knowledge add|list|remove|search`: the city's documents, with the configuration of `serve`.

    add PATH... [--title TITLE]       .docx .pdf .txt .md .html files, or folders (recursively);
                                      adding the same file again replaces it (unchanged files are left)
    list [--json]                     every document, newest first
    remove DOC_ID
    search "QUERY" [--top N] [--json] best passages first;
                                      --json: [{"doc_id","title","source","passage","score"}]

Exit codes: 0 done, 1 nothing found to add / no such document, 2 bad arguments or configuration,
3 storage failed or unavailable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.errors import BotError, StorageError
from bot.core.knowledge import SUFFIXES, DocumentError, Knowledge, read_document
from bot.core.knowledge.passages import article_number
from bot.core.storage import open_storage
from bot.ui.knowledge import texts

OK, MISSING, USAGE, FAILED = 0, 1, 2, 3


def add_parser(subparsers: Any) -> None:
    """Register `knowledge` and its subcommands."""
    parser = subparsers.add_parser(
        "knowledge",
        help="ナレッジ（市の例規・要綱・マニュアル）を登録・一覧・削除・検索する",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="knowledge_command", metavar="SUBCOMMAND", required=True)
    add = sub.add_parser("add", help="ファイルまたはフォルダを登録する（同じファイルは置き換え）")
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.add_argument("--title", help="文書名（既定: 1行目、文書のタイトル情報、ファイル名の順）")
    add.set_defaults(func=run_add)
    show = sub.add_parser("list", help="登録されている文書の一覧")
    show.add_argument("--json", action="store_true", help="JSON で出力する")
    show.set_defaults(func=run_list)
    remove = sub.add_parser("remove", help="文書を削除する")
    remove.add_argument("doc_id", metavar="DOC_ID")
    remove.set_defaults(func=run_remove)
    search = sub.add_parser("search", help="検索して、よく合う箇所を表示する")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--top", type=_positive, default=5, help="表示する件数（既定 5）")
    search.add_argument("--json", action="store_true", help="JSON で出力する")
    search.set_defaults(func=run_search)


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"正の整数を指定してください（{raw!r}）") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"正の整数を指定してください（{raw!r}）")
    return value


def files_under(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(document files found, paths that do not exist); folders are walked recursively, sorted."""
    found: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            missing.append(path)
    return found, missing


def _with_knowledge(work: Callable[[Knowledge], Awaitable[int]]) -> int:
    try:
        settings = Settings.from_env()
    except BotError as exc:
        print(texts.CLI_CONFIG_ERROR.format(error=exc), file=sys.stderr)
        return USAGE

    async def go() -> int:
        storage = await open_storage(settings)
        knowledge = Knowledge.open(storage, system_clock, refresh_s=0)
        try:
            return await work(knowledge)
        finally:
            await knowledge.close()
            await storage.close()

    try:
        return asyncio.run(go())
    except StorageError as exc:
        print(texts.CLI_STORAGE_ERROR.format(error=exc), file=sys.stderr)
        return FAILED


def run_add(args: argparse.Namespace) -> int:
    """Add files and folders; print one line per document."""
    files, missing = files_under(args.paths)
    for path in missing:
        print(texts.CLI_NOT_FOUND.format(path=path), file=sys.stderr)
    if args.title and len(files) != 1:
        print(texts.CLI_TITLE_WITH_MANY, file=sys.stderr)
        return USAGE

    async def work(knowledge: Knowledge) -> int:
        added = 0
        for path in files:
            try:
                doc = read_document(path)
            except DocumentError as exc:
                print(texts.CLI_UNREADABLE.format(error=exc), file=sys.stderr)
                continue
            stored, outcome = await knowledge.add(
                str(path.resolve()), args.title or doc.title, doc.text, doc.kind
            )
            added += 1
            print(
                texts.CLI_ADDED.format(
                    outcome=texts.CLI_OUTCOME[outcome],
                    doc_id=stored.doc_id,
                    title=stored.title,
                    chars=stored.chars,
                    source=stored.source,
                )
            )
        if not added:
            print(texts.CLI_NOTHING.format(suffixes=" ".join(SUFFIXES)), file=sys.stderr)
            return MISSING
        return MISSING if missing else OK

    return _with_knowledge(work)


def run_list(args: argparse.Namespace) -> int:
    """Print the documents."""

    async def work(knowledge: Knowledge) -> int:
        docs = await knowledge.documents()
        if args.json:
            rows = [
                {
                    "doc_id": d.doc_id,
                    "title": d.title,
                    "source": d.source,
                    "chars": d.chars,
                    "kind": d.kind,
                    "added": texts.added_at(d),
                }
                for d in docs
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not docs:
            print(texts.CLI_EMPTY)
        else:
            print(texts.CLI_LIST_HEADER.format(count=len(docs)))
            for d in docs:
                print(
                    texts.CLI_LIST_ROW.format(
                        doc_id=d.doc_id,
                        title=d.title,
                        chars=d.chars,
                        added=texts.added_at(d),
                        source=d.source,
                    )
                )
        return OK

    return _with_knowledge(work)


def run_remove(args: argparse.Namespace) -> int:
    """Remove one document."""

    async def work(knowledge: Knowledge) -> int:
        doc = await knowledge.remove(args.doc_id.strip())
        if doc is None:
            print(texts.CLI_NO_SUCH_DOC.format(doc_id=args.doc_id), file=sys.stderr)
            return MISSING
        print(texts.CLI_REMOVED.format(doc_id=doc.doc_id, title=doc.title))
        return OK

    return _with_knowledge(work)


def run_search(args: argparse.Namespace) -> int:
    """Search and print the best passages."""

    async def work(knowledge: Knowledge) -> int:
        hits = await knowledge.search(args.query, top=args.top)
        if args.json:
            rows = [
                {
                    "doc_id": h.doc_id,
                    "title": h.title,
                    "source": h.source,
                    "passage": h.text,
                    "score": round(h.score, 4),
                    "label": article_number(h.label),
                }
                for h in hits
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not hits:
            print(texts.CLI_NO_HITS)
        for rank, h in enumerate([] if args.json else hits, start=1):
            passage = h.text.replace("\n", " ")
            print(
                texts.CLI_HIT.format(
                    rank=rank,
                    title=h.title,
                    label=article_number(h.label),
                    score=h.score,
                    doc_id=h.doc_id,
                    passage=passage[:200] + ("…" if len(passage) > 200 else ""),
                )
            )
        return OK

    return _with_knowledge(work)
