"""Screening benchmark (a script, not a test): latency and memory of `Screener.screen()`.

    python tests/benchmarks/bench_screening.py [--rounds 20] [--chars 2000] [--no-presidio]

1. p50 / p95 milliseconds and characters per second for screening a message of about 2,000
   characters (a realistic mix: names, numbers, addresses, signal words and ordinary prose built
   from tests/screening/cases.jsonl), after warm-up, on one core (the process is pinned to one
   CPU where the OS allows). Target: p95 under 10 ms.
2. Resident memory (RSS) of a fresh process that has loaded the analyser and screened once.
   Target: under 400 MB.
3. If `presidio_analyzer` and `ja_ginza` are importable, the same texts through Presidio's
   AnalyzerEngine with GiNZA as its spaCy model, and the ratio. They are not project
   dependencies; try them in a throwaway virtualenv:

       python -m venv /tmp/presidio-venv
       /tmp/presidio-venv/bin/pip install presidio-analyzer ginza ja-ginza
       /tmp/presidio-venv/bin/python tests/benchmarks/bench_screening.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.core.screening import PseudonymTable, Screener, ScreeningPolicy  # noqa: E402

CASES = REPO / "tests" / "screening" / "cases.jsonl"
INSTALL_HINT = "pip install presidio-analyzer ginza ja-ginza  (in a separate virtualenv)"
RSS_PROBE = """
import sys
sys.path.insert(0, {repo!r})
from bot.core.screening import Screener, ScreeningPolicy
Screener(ScreeningPolicy.default()).screen("村田英樹さん（090-1234-5678）の件")
status = open("/proc/self/status").read() if sys.platform.startswith("linux") else ""
rss = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")]
if rss:
    print(int(rss[0]) / 1024)
else:
    import resource
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale)
"""


def messages(count: int, chars: int, *, sensitive_share: float, seed: int = 7) -> list[str]:
    """`count` texts of `chars` characters built from the labelled cases.

    `sensitive_share` is the share of pieces taken from the sensitive cases (block, mask, confirm);
    the rest are benign cases. Cases are short (~25 characters), so 0.1 gives a typical message
    with about eight findings and 0.6 a dense worst case with about seventy.
    """
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line]
    benign = [c["text"] for c in cases if c["expect"] == "allow"]
    sensitive = [c["text"] for c in cases if c["expect"] != "allow"]
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        text = ""
        while len(text) < chars:
            pool = sensitive if rnd.random() < sensitive_share else benign
            text += rnd.choice(pool) + ("。" if rnd.random() < 0.7 else "\n")
        out.append(text[:chars])
    return out


def timed(fn: Callable[[str], Any], texts: list[str], rounds: int) -> list[float]:
    """Milliseconds per call, over `rounds` passes over `texts` (after one warm-up pass)."""
    for text in texts:
        fn(text)
    times = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            fn(text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float], chars: int) -> float:
    """Print p50/p95 and throughput; return p50."""
    ordered = sorted(times)
    p50 = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    rate = chars / (statistics.fmean(ordered) / 1000)
    print(f"{name:30s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   {rate:12,.0f} chars/s   ({len(times)} calls)")
    return p50


def rss_mb() -> float:
    """RSS of a fresh interpreter that has loaded the analyser and screened one text."""
    probe = RSS_PROBE.format(repo=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return float(out.stdout.strip())


def presidio() -> Callable[[str], Any] | None:
    """Presidio's analyzer with GiNZA, or None when it is not installed."""
    # Presidio's e-mail recognizer asks tldextract, which downloads the public-suffix list on use;
    # offline that retries on every call. Use tldextract's bundled snapshot instead.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    try:
        import ja_ginza  # type: ignore[import-not-found]  # noqa: F401, PLC0415
        from presidio_analyzer import AnalyzerEngine  # type: ignore[import-not-found]  # noqa: PLC0415
        from presidio_analyzer.nlp_engine import NlpEngineProvider  # type: ignore[import-not-found]  # noqa: PLC0415
    except ImportError:
        return None
    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "ja", "model_name": "ja_ginza"}]}
    nlp = NlpEngineProvider(nlp_configuration=config).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp, supported_languages=["ja"])
    return lambda text: engine.analyze(text=text, language="ja")


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--texts", type=int, default=50)
    parser.add_argument("--no-presidio", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    typical = messages(args.texts, args.chars, sensitive_share=0.1)
    dense = messages(args.texts, args.chars, sensitive_share=0.6)
    started = time.perf_counter()
    screener = Screener(ScreeningPolicy.default())
    loaded = time.perf_counter() - started
    print(f"analyser loaded in {loaded:.2f} s; {args.texts} texts of {args.chars} characters each")
    for name, texts in (("typical", typical), ("dense", dense)):
        findings = statistics.fmean(len(screener.screen(t).findings) for t in texts)
        print(f"  {name}: {findings:.0f} findings per text on average")

    def screen(text: str) -> Any:
        return screener.screen(text, PseudonymTable())

    ours = report("screening, typical", timed(screen, typical, args.rounds), args.chars)
    report("screening, dense worst case", timed(screen, dense, args.rounds), args.chars)
    print(f"{'RSS with analyser loaded':30s} {rss_mb():.0f} MB")
    if args.no_presidio:
        return 0
    analyze = presidio()
    if analyze is None:
        print("Presidio comparison skipped: presidio_analyzer / ja_ginza not importable.")
        print(f"  to compare: {INSTALL_HINT}")
        return 0
    theirs = report(
        "Presidio + GiNZA, typical", timed(analyze, typical, max(1, args.rounds // 10)), args.chars
    )
    print(f"Presidio + GiNZA p50 / screening p50 (typical): {theirs / ours:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
