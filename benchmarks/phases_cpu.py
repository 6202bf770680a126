"""CPU seconds per phase of one iamgraph tree on one account (for A/B runs on a shared machine,
where wall-clock times vary several-fold): json.load, load, build graph, queries, JSON report;
the finding count, a hash of the sorted finding ids and the peak RSS. One JSON line.

    PYTHONPATH=/tmp/base python benchmarks/phases_cpu.py benchmarks/data/acct-5000-s7.json
"""

from __future__ import annotations

import gc
import hashlib
import json
import resource
import sys
import time


def main(path: str) -> dict[str, object]:
    t = time.process_time()
    with open(path, encoding="utf-8") as fh:
        json.load(fh)
    out: dict[str, object] = {"json_load": time.process_time() - t}
    from iamgraph import api

    gc.disable()  # as the CLI does
    phases = {}
    t = time.process_time()
    snapshot = api.load([path])
    phases["load"] = time.process_time() - t
    t = time.process_time()
    graph = api.build_graph(snapshot)
    phases["build"] = time.process_time() - t
    t = time.process_time()
    report = api.run_queries(graph)
    phases["queries"] = time.process_time() - t
    t = time.process_time()
    text = api.report_json(report)
    phases["json"] = time.process_time() - t
    ids = sorted(f["id"] for f in json.loads(text)["findings"])
    out.update(phases)
    out.update(
        total=sum(phases.values()),
        findings=len(ids),
        ids=hashlib.sha256("".join(ids).encode()).hexdigest()[:12],
        rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    )
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
