"""Knowledge benchmark (a script, not a test): retrieval quality on the independent evaluation set,
what each expansion adds, and index/query time at the size of a city's full 例規集.

    python tests/benchmarks/bench_knowledge.py [--eval DIR] [--docs DIR] [--scale 3000] [--json]

The documents are `<eval>/docs/`, or the folder `--docs` names, or the one named (relative to the
set's folder) in `<eval>/DOCS` — a set of questions written over another set's corpus (eval3 over
eval2's documents) says so there.

Quality (tests/knowledge/eval: a corpus and paraphrased questions written by a helper that never read
the retrieval code): for each answerable question, the documents in the order of their best passage
(search top 30) → recall@1 and recall@3 of the gold document; passage@3: the answering phrase appears
in one of the top 3 passages; gold_sent_to_model: a passage of the gold document is among those
`relevant()` gives the model (above the threshold); gold_first_sent: the first of them is.
Unrelated questions: no passage above the threshold, so no 参考 line.
The same is run with Sudachi's normalisation off and with the synonym groups off (ablation).

Scale: the corpus is replicated (each copy's title and a few words varied) to --scale documents,
added through the storage (SQLite in a temporary directory) and indexed by a fresh instance from it;
then the latency of `relevant()` (what a model-bound turn waits for) p50/p95 over the evaluation
questions, twice over, with the default refresh interval — wall time, and the process's CPU time per
query (which other load on a shared machine does not inflate).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.core.clock import system_clock  # noqa: E402
from bot.core.knowledge import Knowledge, read_document  # noqa: E402
from bot.core.knowledge.analysis import Analyzer  # noqa: E402
from bot.core.knowledge.index import LocalIndex  # noqa: E402
from bot.core.knowledge.store import KnowledgeStore  # noqa: E402
from bot.core.storage.sqlite import SqliteStorage  # noqa: E402


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docs_of(eval_dir: Path, docs: Path | None = None) -> Path:
    """The documents of a set: `docs`, else `<eval>/docs`, else the folder named in `<eval>/DOCS`."""
    if docs is not None:
        return docs
    pointer = eval_dir / "DOCS"
    if not (eval_dir / "docs").is_dir() and pointer.is_file():
        return (eval_dir / pointer.read_text(encoding="utf-8").strip()).resolve()
    return eval_dir / "docs"


async def quality(
    eval_dir: Path, analyzer: Analyzer, storage_dir: Path, docs: Path | None = None
) -> dict[str, Any]:
    """Recall and passage figures of one analyzer configuration."""
    storage = SqliteStorage(storage_dir / f"q{id(analyzer)}.sqlite3")
    knowledge = Knowledge(KnowledgeStore(storage, system_clock), LocalIndex(analyzer), refresh_s=0)
    by_source: dict[str, str] = {}
    for path in sorted(docs_of(eval_dir, docs).iterdir()):
        doc = read_document(path)
        stored, _ = await knowledge.add(str(path), doc.title, doc.text, doc.kind)
        by_source[stored.doc_id] = path.name
    await knowledge.sync(force=True)
    questions = [json.loads(line) for line in (eval_dir / "questions.jsonl").read_text().splitlines() if line]
    r1 = r3 = p3 = cited = sent = answerable = unrelated = quiet = 0
    for q in questions:
        hits = await knowledge.search(q["question"], top=30)
        relevant = await knowledge.relevant(q["question"])
        if q["doc"] is None:
            unrelated += 1
            quiet += not relevant
            continue
        answerable += 1
        docs = list(dict.fromkeys(by_source[h.doc_id] for h in hits))
        r1 += docs[:1] == [q["doc"]]
        r3 += q["doc"] in docs[:3]
        phrase = _squash(q["answer_phrase"])
        p3 += any(phrase in _squash(h.text) for h in hits[:3])
        cited += bool(relevant) and by_source[relevant[0].doc_id] == q["doc"]
        sent += any(by_source[h.doc_id] == q["doc"] for h in relevant)
    await knowledge.close()
    await storage.close()
    return {
        "answerable": answerable,
        "recall@1": round(r1 / answerable, 3),
        "recall@3": round(r3 / answerable, 3),
        "passage@3": round(p3 / answerable, 3),
        "gold_sent_to_model": round(sent / answerable, 3),
        "gold_first_sent": round(cited / answerable, 3),
        "unrelated": unrelated,
        "unrelated_without_reference": round(quiet / unrelated, 3) if unrelated else None,
    }


async def scale(eval_dir: Path, count: int, storage_dir: Path, docs: Path | None = None) -> dict[str, Any]:
    """Index time of `count` documents (from the storage, by a fresh instance) and query latency."""
    sources = [read_document(p) for p in sorted(docs_of(eval_dir, docs).iterdir())]
    storage = SqliteStorage(storage_dir / "scale.sqlite3")
    writer = Knowledge.open(storage, system_clock, refresh_s=0)
    started = time.perf_counter()
    for i in range(count):
        doc = sources[i % len(sources)]
        copy = i // len(sources)
        text = doc.text if copy == 0 else doc.text.replace("架空市", f"第{copy}架空町")
        await writer.add(f"/scale/{i}.md", f"{doc.title}（{copy}）", text, doc.kind)
    stored_s = time.perf_counter() - started
    reader = Knowledge.open(
        storage, system_clock
    )  # the default refresh: the version is read at most every 5 s
    started = time.perf_counter()
    await reader.sync(force=True)
    index_s = time.perf_counter() - started
    questions = [
        json.loads(line)["question"] for line in (eval_dir / "questions.jsonl").read_text().splitlines()
    ]
    latencies = []
    cpu = []  # the process's CPU time per query: what the query costs, whatever else the machine runs
    for question in questions * 2:
        t0, c0 = time.perf_counter(), time.process_time()
        await reader.relevant(question)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    latencies.sort()
    cpu.sort()
    result = {
        "documents": count,
        "passages": reader.index.passage_count(),
        "store_s": round(stored_s, 1),
        "index_s": round(index_s, 1),
        "query_p50_ms": round(statistics.median(latencies), 1),
        "query_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "query_cpu_p50_ms": round(statistics.median(cpu), 1),
        "query_cpu_p95_ms": round(cpu[int(len(cpu) * 0.95) - 1], 1),
    }
    await writer.close()
    await reader.close()
    await storage.close()
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--eval", type=Path, default=ROOT / "tests" / "knowledge" / "eval")
    parser.add_argument("--docs", type=Path, default=None, help="the corpus, when not <eval>/docs")
    parser.add_argument("--scale", type=int, default=3000, help="documents for the index-time run (0 = skip)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out: dict[str, Any] = {
            "default": await quality(args.eval, Analyzer(), Path(tmp), args.docs),
            "no_synonyms": await quality(args.eval, Analyzer(synonyms=False), Path(tmp), args.docs),
            "no_normalisation": await quality(args.eval, Analyzer(normalise=False), Path(tmp), args.docs),
            "plain_surface_words": await quality(
                args.eval, Analyzer(normalise=False, synonyms=False), Path(tmp), args.docs
            ),
        }
        if args.scale:
            out["scale"] = await scale(args.eval, args.scale, Path(tmp), args.docs)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for name, figures in out.items():
        print(f"{name:22s} " + "  ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    asyncio.run(main())
