import sys, json
from bot.core.policy import load_policy
from bot.core.screening import Screener, PseudonymTable
from tests.screening.redteam.score import judge
s = Screener(load_policy("iwaki").screening)
kinds = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else None
mode = sys.argv[3] if len(sys.argv) > 3 else "all"
for line in open(sys.argv[1]):
    c = json.loads(line)
    if kinds and c["kind"] not in kinds: continue
    r = s.screen(c["text"], PseudonymTable())
    o = judge(c, r)
    if o.right: continue
    if mode == "masked" and o.action != "mask": continue
    print("##", c["id"], c["kind"], "expect", c["expect"], "got", o.action, "spans", c["spans"], "|", c.get("note"))
    print("   SENT:", r.masked_text.replace("\n", "⏎") if o.action in ("mask","allow") else "(held) "+c["text"].replace("\n","⏎")[:300])
    print("   kinds:", sorted({f.kind for f in r.findings}))
