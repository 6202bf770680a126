"""Run the scan's library phases up to one stage and exit, for instruction counts per stage
(deterministic where wall clock is not; subtract consecutive stages):

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python benchmarks/stage.py benchmarks/data/acct-5000-s7.json build   # prints "Collected : N"

Stages: import (`from iamgraph import api`), load, build, all (+ queries and the JSON report),
html (as `run.py` does it: the typed Report, its JSON text, then `render_html` of that Report).
The cyclic GC is paused, as in the CLI; the process ends with os._exit (no heap teardown counted).
"""

from __future__ import annotations

import gc
import os
import sys

STAGES = ("import", "load", "build", "all", "html")


def main(path: str, stage: str) -> None:
    if stage not in STAGES:
        raise SystemExit(f"stage must be one of {', '.join(STAGES)}")
    gc.disable()
    from iamgraph import api

    if stage != "import":
        snapshot = api.load([path])
        if stage != "load":
            graph = api.build_graph(snapshot)
            if stage == "all":
                api.report_json(api.run_queries(graph))
            elif stage == "html":
                from iamgraph.render.html import render_html

                report = api.run(graph)
                api.report_json(report)
                render_html(report)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
