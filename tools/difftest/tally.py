"""Count disagreements per class: tally.py DISAGREE.jsonl [N unclassified examples to print]."""

import collections
import json
import sys

from classify import classify

c = collections.Counter()
ex = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    k = classify(d["request"])
    c[k] += 1
    ex.setdefault(k, []).append(d)
for k, v in c.most_common():
    print(f"{v:5}  {k}")
n = int(sys.argv[2]) if len(sys.argv) > 2 else 0
for d in ex.get("UNCLASSIFIED", [])[:n]:
    r = d["request"]
    print("---", r["id"], "ours", d["ours"], "ref", d["ref"])
    print(json.dumps({k: v for k, v in r.items() if v not in (None, [], {})}))
