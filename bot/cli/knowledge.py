"""`python -m bot knowledge add|list|remove|search`: the city's documents, with the configuration of `serve`.

    add PATH... [--title TITLE]       .docx .pdf .txt .md .html files, or folders (recursively);
                                      adding the same file again replaces it (unchanged files are left);
                                      a title given with --title stays when the file is added again
                                      without one; files that cannot be read are skipped with the
                                      reason and what to do, the others are still added
    list [--json]                     every document, newest first
    remove DOC_ID
    search "QUERY" [--top N] [--json] best passages first, each marked whether chat would give it to
                                      the model for that question (the same retrieval as chat: the
                                      relevance decision, the passage screening of BOT_POLICY, and
                                      KNOWLEDGE_EMBEDDINGS_MODEL's hybrid re-ranking when set);
                                      --json: [{"doc_id","title","source","passage","score","used"}]

Exit codes: 0 done, 1 nothing added (no readable document, the paths not found) / no such document,
2 bad arguments or configuration, 3 storage failed or unavailable, 4 added, but some files were
skipped or some paths not found (listed on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.core.attachments import AttachmentError
from bot.core.clock import system_clock
from bot.core.config import Settings
from bot.core.errors import BotError, StorageError
from bot.core.knowledge import SUFFIXES, Hit, Knowledge, KnowledgeContext, StoredDocument, read_document
from bot.core.knowledge.embeddings import screened_embedder
from bot.core.knowledge.passages import article_number
from bot.core.policy import load_policy
from bot.core.screening import Screener
from bot.core.storage import open_storage
from bot.ui.knowledge import texts

OK, MISSING, USAGE, FAILED, PARTLY = 0, 1, 2, 3, 4


def add_parser(subparsers: Any) -> None:
    """Register `knowledge` and its subcommands."""
    parser = subparsers.add_parser(
        "knowledge",
        help="ナレッジ（市の例規・要綱・マニュアル）を登録・一覧・削除・検索する",
        description=texts.CLI_DESCRIPTION,
        epilog=texts.CLI_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="knowledge_command", metavar="SUBCOMMAND", required=True)
    add = sub.add_parser(
        "add",
        help="ファイルまたはフォルダを登録する（同じファイルは置き換え）",
        description=texts.CLI_ADD_DESCRIPTION,
        epilog=texts.CLI_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.add_argument(
        "--title",
        help=(
            "文書名（既定: 1行目、文書のタイトル情報、ファイル名の順）。指定した文書名は、"
            "あとで --title なしで登録し直しても変わりません（変えるときは新しい --title を指定）"
        ),
    )
    add.set_defaults(func=run_add)
    show = sub.add_parser("list", help="登録されている文書の一覧")
    show.add_argument("--json", action="store_true", help="JSON で出力する")
    show.set_defaults(func=run_list)
    remove = sub.add_parser("remove", help="文書を削除する")
    remove.add_argument("doc_id", metavar="DOC_ID")
    remove.set_defaults(func=run_remove)
    search = sub.add_parser(
        "search",
        help="検索して、よく合う箇所を表示する（それぞれ、その質問で回答に使われるかどうか）",
        description=texts.CLI_SEARCH_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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


def _with_knowledge(
    work: Callable[[Knowledge], Awaitable[int]], *, settings: Settings, screener: Screener | None = None
) -> int:
    """Run `work` on the knowledge in serve's storage; with `screener`, retrieval as chat has it
    (KNOWLEDGE_EMBEDDINGS_MODEL's re-ranking, passages screened before they are embedded)."""

    async def go() -> int:
        storage = await open_storage(settings)
        embedder = screened_embedder(settings, screener) if screener is not None else None
        knowledge = Knowledge.open(storage, system_clock, refresh_s=0, embedder=embedder)
        try:
            return await work(knowledge)
        finally:
            await knowledge.close()
            if embedder is not None:
                await embedder.close()
            await storage.close()

    try:
        return asyncio.run(go())
    except StorageError as exc:
        print(texts.CLI_STORAGE_ERROR.format(error=exc), file=sys.stderr)
        return FAILED


def _settings() -> Settings | None:
    """serve's settings; None (the error printed) when they cannot be read."""
    try:
        return Settings.from_env()
    except BotError as exc:
        print(texts.CLI_CONFIG_ERROR.format(error=exc), file=sys.stderr)
        return None


def run_add(args: argparse.Namespace) -> int:
    """Add files and folders; one line per document, one per file skipped (with what to do)."""
    files, missing = files_under(args.paths)
    for path in missing:
        print(texts.CLI_NOT_FOUND.format(path=path), file=sys.stderr)
    if args.title and len(files) != 1:
        print(texts.CLI_TITLE_WITH_MANY, file=sys.stderr)
        return USAGE
    settings = _settings()
    if settings is None:
        return USAGE

    async def work(knowledge: Knowledge) -> int:
        added = skipped = 0
        for path in files:
            try:
                doc = read_document(path)
            except AttachmentError as exc:
                print(texts.skipped(exc), file=sys.stderr)
                skipped += 1
                continue
            stored, outcome = await knowledge.add(
                str(path.resolve()), args.title or doc.title, doc.text, doc.kind, title_given=bool(args.title)
            )
            added += 1
            print(_added_line(stored, outcome, kept_title=stored.title_given and not args.title))
        return _add_status(added, skipped + len(missing))

    return _with_knowledge(work, settings=settings)


def _added_line(stored: StoredDocument, outcome: str, *, kept_title: bool) -> str:
    """One document's line; it says so when the title set by hand earlier was kept."""
    line = texts.CLI_ADDED.format(
        outcome=texts.CLI_OUTCOME[outcome],
        doc_id=stored.doc_id,
        title=stored.title,
        chars=stored.chars,
        source=stored.source,
    )
    return line + texts.CLI_TITLE_KEPT if kept_title else line


def _add_status(added: int, skipped: int) -> int:
    """The exit code of `add` (a script must notice a file left out), with the closing line."""
    if not added:
        print(texts.CLI_NOTHING.format(suffixes=" ".join(SUFFIXES)), file=sys.stderr)
        return MISSING
    if skipped:
        print(texts.CLI_PARTLY.format(skipped=skipped), file=sys.stderr)
        return PARTLY
    return OK


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

    settings = _settings()
    return USAGE if settings is None else _with_knowledge(work, settings=settings)


def run_remove(args: argparse.Namespace) -> int:
    """Remove one document."""

    async def work(knowledge: Knowledge) -> int:
        doc = await knowledge.remove(args.doc_id.strip())
        if doc is None:
            print(texts.CLI_NO_SUCH_DOC.format(doc_id=args.doc_id), file=sys.stderr)
            return MISSING
        print(texts.CLI_REMOVED.format(doc_id=doc.doc_id, title=doc.title))
        return OK

    settings = _settings()
    return USAGE if settings is None else _with_knowledge(work, settings=settings)


def run_search(args: argparse.Namespace) -> int:
    """Search and print the best passages, each marked whether chat would give it to the model."""
    settings = _settings()
    if settings is None:
        return USAGE
    try:
        screener = Screener(load_policy(settings.policy).screening)
    except BotError as exc:
        print(texts.CLI_CONFIG_ERROR.format(error=exc), file=sys.stderr)
        return USAGE

    async def work(knowledge: Knowledge) -> int:
        hits = await knowledge.search(args.query, top=args.top)
        uses = await _uses(KnowledgeContext(knowledge, screener), args.query) if hits else {}
        if args.json:
            print(json.dumps([_row(h, uses) for h in hits], ensure_ascii=False, indent=2))
            return OK
        if not hits:
            print(texts.CLI_NO_HITS)
        for rank, h in enumerate(hits, start=1):
            passage = h.text.replace("\n", " ")
            print(
                texts.CLI_HIT.format(
                    rank=rank,
                    title=h.title,
                    label=article_number(h.label),
                    score=h.score,
                    doc_id=h.doc_id,
                    use=texts.CLI_USE[uses.get(h.passage_id, "unused")],
                    passage=passage[:200] + ("…" if len(passage) > 200 else ""),
                )
            )
        return OK

    return _with_knowledge(work, settings=settings, screener=screener)


async def _uses(context: KnowledgeContext, query: str) -> dict[int, str]:
    """passage id → "used" or "withheld" for the passages chat's decision gives the model for `query`
    (Knowledge.relevant; "withheld" when the passage screening then drops it); others are unused."""
    relevant = await context.knowledge.relevant(query)
    return {h.passage_id: "withheld" if context.withheld(h) else "used" for h in relevant}


def _row(hit: Hit, uses: dict[int, str]) -> dict[str, Any]:
    """One passage of `search --json` (the issue's keys, then `used` and the article number)."""
    return {
        "doc_id": hit.doc_id,
        "title": hit.title,
        "source": hit.source,
        "passage": hit.text,
        "score": round(hit.score, 4),
        "used": uses.get(hit.passage_id) == "used",
        "label": article_number(hit.label),
    }
