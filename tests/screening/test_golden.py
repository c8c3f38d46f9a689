"""The engine's results on a fixed subset of cases are pinned by digest (tests/screening/golden.py).

A speed change (shared tokenisation, prefilters, caches) must keep every digest. A change that
legitimately changes results (a new rule) regenerates them with one command and says so:

    python -m tests.screening.golden --pin

The full record (every case, three policies, every entry point) is compared with
`python -m tests.screening.golden --out FILE` before and after a change.
"""

from __future__ import annotations

import json

from tests.screening import golden


def test_results_match_the_pinned_digests() -> None:
    pinned = json.loads(golden.PINNED.read_text(encoding="utf-8"))
    now = golden.quick_digest()
    changed = sorted(k for k in pinned.keys() | now.keys() if pinned.get(k) != now.get(k))
    assert not changed, (
        f"screening results changed for {changed}; if intended, regenerate with "
        "`python -m tests.screening.golden --pin` and say so in the commit"
    )
