"""Fuzz campaign over every input iamgraph reads (see engine.py for what "handled" means).

    python tools/fuzz/campaign.py --inputs 10000 --seed 15 [--out /tmp/fuzz] [--limit 5]

Prints the figures per target (results, input errors, failures, hangs over the limit, slowest
input) and keeps every failing or hanging input under --out for replay:
    python tools/fuzz/campaign.py --replay /tmp/fuzz/failure-0042-gaad.json
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.fuzz.engine import Outcome, Target, Verdict, campaign, run_input


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--out", type=Path, default=Path("fuzz-out"))
    ap.add_argument("--replay", type=Path, help="run one saved input again (its target is in its name)")
    args = ap.parse_args(argv)
    if args.replay:
        target = Target(args.replay.stem.split("-", 2)[2])
        o = run_input(target, args.replay.read_bytes())
        print(o.verdict.value, f"{o.seconds:.2f}s", o.detail)
        return 0 if o.verdict in (Verdict.RESULT, Verdict.INPUT_ERROR) else 1
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    def keep(i: int, o: Outcome, data: bytes) -> None:
        if o.verdict in (Verdict.FAILURE, Verdict.HANG):
            (args.out / f"{o.verdict.value}-{i:05d}-{o.target.value}.json").write_bytes(data)
            print(f"  #{i} {o.target.value}: {o.verdict.value} {o.detail}", file=sys.stderr)
        if (i + 1) % 1000 == 0:
            print(f"… {i + 1} inputs, {time.perf_counter() - start:.0f} s", file=sys.stderr)

    outs = campaign(args.inputs, args.seed, keep)
    by = collections.defaultdict(collections.Counter)
    slowest: dict[str, float] = {}
    for o in outs:
        by[o.target.value][o.verdict.value] += 1
        slowest[o.target.value] = max(slowest.get(o.target.value, 0.0), o.seconds)
    print("| target | inputs | results (exit 0/1) | input errors (exit 2) | failures | hangs > limit | slowest |")
    print("|---|---|---|---|---|---|---|")
    for t in Target:
        c = by[t.value]
        print(
            f"| {t.value} | {sum(c.values())} | {c['result']} | {c['input-error']} | {c['failure']} | {c['hang']} | "
            f"{slowest.get(t.value, 0):.2f} s |"
        )
    handled = sum(1 for o in outs if o.verdict in (Verdict.RESULT, Verdict.INPUT_ERROR))
    print(
        f"\nhandled {handled:,}/{len(outs):,}; hangs {sum(1 for o in outs if o.verdict is Verdict.HANG)}; "
        f"wall {time.perf_counter() - start:.0f} s; seed {args.seed}"
    )
    return 0 if handled == len(outs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
