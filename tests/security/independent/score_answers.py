"""Score the answer-name rules on an independent set of model answers (a script, not a test).

    .venv/bin/python -m tests.security.independent.score_answers \
        tests/security/independent/answers_holdout.jsonl [--show]

Both files were written by a helper that never read the code: `answers_tune.jsonl` was used to tune
bot/core/screening/output_names.py, `answers_holdout.jsonl` never was (keep it that way). For an
`allow` answer the screened answer must equal the text; for a `mask` answer none of `names` may remain.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.core.exits import Gate
from bot.core.policy import load_policy
from bot.core.screening import Screener


def main(argv: list[str]) -> int:
    gate = Gate(Screener(load_policy("iwaki").screening))
    rows = [json.loads(line) for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if line]
    changed, left, wrong = 0, 0, []
    for row in rows:
        out = gate.screen_answer(row["text"]).text
        if row["expect"] == "allow" and out != row["text"]:
            changed += 1
            wrong.append(("benign changed", row["id"], out[:160]))
        elif row["expect"] == "mask" and (still := [n for n in row["names"] if n in out]):
            left += 1
            wrong.append(("name left", row["id"], still))
    benign = sum(row["expect"] == "allow" for row in rows)
    private = len(rows) - benign
    print(
        f"benign answers changed {changed}/{benign} ({changed / benign:.1%}); "
        f"answers with a private name left {left}/{private} ({left / private:.1%})"
    )
    if "--show" in argv:
        for item in wrong:
            print(*item)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
