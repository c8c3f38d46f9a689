import json
import os
import sys

base = os.path.dirname(os.path.abspath(__file__))
docs = os.path.join(base, "docs")
errs = 0
ids = set()
n_ans = n_unrel = 0
used = set()
for i, line in enumerate(open(os.path.join(base, "questions.jsonl"), encoding="utf-8"), 1):
    try:
        o = json.loads(line)
    except Exception as e:
        print(f"line {i}: invalid JSON: {e}")
        errs += 1
        continue
    for k in ("id", "question", "doc", "answer_phrase", "note"):
        if k not in o:
            print(f"line {i}: missing {k}")
            errs += 1
    if o["id"] in ids:
        print(f"dup id {o['id']}")
        errs += 1
    ids.add(o["id"])
    if o["doc"] is None:
        if o["answer_phrase"] is not None:
            print(f"{o['id']}: unrelated but has phrase")
            errs += 1
        n_unrel += 1
        continue
    p = os.path.join(docs, o["doc"])
    if not os.path.isfile(p):
        print(f"{o['id']}: missing doc {o['doc']}")
        errs += 1
        continue
    text = open(p, encoding="utf-8").read()
    a = o["answer_phrase"]
    if not (10 <= len(a) <= 60):
        print(f"{o['id']}: phrase length {len(a)}")
        errs += 1
    if a not in text:
        print(f"{o['id']}: phrase not in doc: {a}")
        errs += 1
    n_ans += 1
    used.add(o["doc"])
ndocs = len([f for f in os.listdir(docs) if f.endswith((".md", ".txt"))])
print(f"docs={ndocs} answerable={n_ans} unrelated={n_unrel} docs_used_as_gold={len(used)} errors={errs}")
sys.exit(1 if errs else 0)
