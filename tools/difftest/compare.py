#!/usr/bin/env python3
"""Run a batch JSONL file through iamgraph and iam-simulate and report agreement per family.

Usage: compare.py REQUESTS.jsonl [--python PY] [--node-dir DIR] [--show N] [--dump DISAGREE.jsonl]
Lines that iam-simulate rejects (error) or where it dropped context keys ("ignored") are counted
apart as input differences, not as disagreements.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("requests")
    ap.add_argument("--python", default="/work/venv/bin/python")
    ap.add_argument(
        "--node-dir",
        default=os.environ.get("DIFFTEST_NODE_DIR", "/tmp/difftest"),
        help="folder where `npm install @cloud-copilot/iam-simulate` ran (holds node_modules)",
    )
    ap.add_argument("--show", type=int, default=3)
    ap.add_argument("--dump")
    args = ap.parse_args()

    ours_raw = subprocess.run(
        [
            args.python,
            "-c",
            "import sys\nfrom iamgraph.simulate.batch import run_batch\n"
            "for o in run_batch(open(sys.argv[1], encoding='utf-8')): print(o)",
            args.requests,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    env = dict(os.environ, NODE_PATH=os.path.join(args.node_dir, "node_modules"))
    ref_raw = subprocess.run(
        ["node", os.path.join(HERE, "simulate_ref.js"), args.requests],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=args.node_dir,
    ).stdout
    ours = [json.loads(x) for x in ours_raw.splitlines() if x.strip()]
    ref = [json.loads(x) for x in ref_raw.splitlines() if x.strip()]
    reqs = {}
    with open(args.requests, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                o = json.loads(line)
                reqs[o["id"]] = o
    refmap = {o["id"]: o for o in ref}
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    disagree = []
    for o in ours:
        rid = o["id"]
        fam = str(rid).rsplit("-", 1)[0]
        rr = refmap.get(rid, {"error": "missing"})
        if "error" in rr:
            stats[fam]["ref_error"] += 1
            continue
        if rr.get("ignored"):
            stats[fam]["ref_ignored_keys"] += 1
            continue
        if "error" in o:
            stats[fam]["our_error"] += 1
            disagree.append((rid, o, rr))
            continue
        stats[fam]["compared"] += 1
        if o["decision"] == rr["decision"]:
            stats[fam]["agree"] += 1
        else:
            disagree.append((rid, o, rr))
    total = collections.Counter()
    print(f"{'family':10} {'compared':>8} {'agree':>6} {'pct':>7}  {'ref_error':>9} {'ignored':>7} {'our_err':>7}")
    for fam in sorted(stats):
        s = stats[fam]
        total.update(s)
        pct = 100.0 * s["agree"] / s["compared"] if s["compared"] else 0.0
        print(
            f"{fam:10} {s['compared']:8} {s['agree']:6} {pct:6.2f}%  {s['ref_error']:9} {s['ref_ignored_keys']:7} {s['our_error']:7}"
        )
    pct = 100.0 * total["agree"] / total["compared"] if total["compared"] else 0.0
    print(
        f"{'TOTAL':10} {total['compared']:8} {total['agree']:6} {pct:6.2f}%  {total['ref_error']:9} {total['ref_ignored_keys']:7} {total['our_error']:7}"
    )
    for rid, o, rr in disagree[: args.show]:
        print("\n---", rid, "ours:", o.get("decision", o.get("error")), "ref:", rr.get("decision"))
        print(json.dumps(reqs[rid]))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            for rid, o, rr in disagree:
                fh.write(
                    json.dumps(
                        {"ours": o.get("decision", o.get("error")), "ref": rr.get("decision"), "request": reqs[rid]}
                    )
                    + "\n"
                )


if __name__ == "__main__":
    sys.exit(main())
