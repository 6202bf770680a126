"""Run the scan's library phases up to one stage and exit, for instruction counts per stage
(deterministic where wall clock is not; subtract consecutive stages):

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python benchmarks/stage.py benchmarks/data/acct-5000-s7.json build   # prints "Collected : N"

Stages: import (`from iamgraph import api`), load, build, all (+ queries and the JSON report).
The cyclic GC is paused, as in the CLI; the process ends with os._exit (no heap teardown counted).
"""

from __future__ import annotations

import gc
import os
import sys

STAGES = ("import", "load", "build", "all")


def main(path: str, stage: str) -> None:
    if stage not in STAGES:
        raise SystemExit(f"stage must be one of {', '.join(STAGES)}")
    gc.disable()
    from iamgraph import api

    if stage != "import":
        snapshot = api.load([path])
        if stage in ("build", "all"):
            graph = api.build_graph(snapshot)
            if stage == "all":
                api.report_json(api.run_queries(graph))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
