"""Benign messages full of digits (a script, not a test): how many the engine blocks.

    python tests/benchmarks/number_tables.py [--seed 3] [--show 8]

1,500 messages built with a fixed seed: statistics tables by year (separated by spaces, tabs,
bars, commas or 、), meeting dates with document numbers, postal code / phone / fax lines, stock
counts and part numbers. None of them holds an identifier, so every block is a false alarm of the
identifier fail safe (a row of values read as one number with a valid check digit).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.core.policy import load_policy  # noqa: E402
from bot.core.screening import PseudonymTable, Screener  # noqa: E402


def messages(seed: int) -> list[str]:
    """The benign messages."""
    rnd = random.Random(seed)

    def n4() -> str:
        return str(rnd.randint(1000, 9999))

    out = []
    for _ in range(300):
        first = rnd.randint(2000, 2020)
        years = [str(first + i) for i in range(rnd.randint(3, 6))]
        sep = rnd.choice([",", "\t", " | ", "、", " "])
        rows = ["年度" + sep + sep.join(years)]
        rows += [name + sep + sep.join(n4() for _ in years) for name in ("人口", "世帯数", "出生数")]
        out.append("次の表をグラフにして\n" + "\n".join(rows))
        out.append(
            f"会議は{rnd.randint(1, 12)}/{rnd.randint(1, 28)} {rnd.randint(9, 17)}:00から。"
            f"資料番号 {n4()}、{n4()}、{n4()} を配布"
        )
        postal = f"{rnd.randint(100, 999)}-{n4()}"
        phone = f"0{rnd.randint(10, 99)}-{rnd.randint(100, 999)}-{n4()}"
        fax = f"0{rnd.randint(10, 99)}-{rnd.randint(100, 999)}-{n4()}"
        out.append(f"郵便番号 {postal}、電話 {phone}、FAX {fax}")
        out.append("在庫数：" + "、".join(n4() for _ in range(4)) + " の合計を出して")
        out.append("品番 " + ", ".join(n4() for _ in range(3)) + " を発注")
    return out


def main() -> int:
    """Print the actions and the first blocked messages."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--show", type=int, default=8)
    args = parser.parse_args()
    screener = Screener(load_policy("iwaki").screening)
    actions: Counter[str] = Counter()
    shown = 0
    for text in messages(args.seed):
        result = screener.screen(text, PseudonymTable())
        actions[result.action.value] += 1
        if result.action.value == "block" and shown < args.show:
            kinds = sorted({f.kind for f in result.findings if f.action.value == "block"})
            print(f"blocked ({', '.join(kinds)}): {text[:80]!r}")
            shown += 1
    print(dict(actions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
