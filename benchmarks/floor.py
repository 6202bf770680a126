"""The fixed floor under `iamgraph scan --format json` on one file: what any run of this stack pays
before iamgraph evaluates a single policy. Wall seconds, min of `--repeat` runs, each part in a
fresh interpreter (the GC paused, as the CLI runs):

- `interpreter`: `python -c pass`;
- `stack imports`: importing the libraries the scan is built on (networkx for the graph, typer for
  the CLI, orjson for the reader), nothing of iamgraph;
- `json.load` and `orjson.loads` of the file (the issue's yardstick, and the reader's parser);
- `graph inserts`: adding the scan's nodes and edges (same count, same keys, one small attribute
  dict each) to an empty networkx MultiDiGraph.

It then prints the budget the `<= 8x json.load` target leaves for iamgraph's own work (reading the
parsed JSON into typed objects, evaluating, querying, writing), and the CLI's measured total.

    python benchmarks/floor.py benchmarks/data/acct-5000-s7.json [--repeat 5] [--no-cli]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

_PARTS = {
    "interpreter": "pass",
    "stack imports": "import gc; gc.disable(); import networkx, typer, orjson",
    "json.load": (
        "import gc, json, time; gc.disable(); t = time.perf_counter(); json.load(open({path!r}, encoding='utf-8'));"
        " print(time.perf_counter() - t)"
    ),
    "orjson.loads": (
        "import gc, orjson, time; gc.disable(); t = time.perf_counter(); orjson.loads(open({path!r}, 'rb').read());"
        " print(time.perf_counter() - t)"
    ),
}

# The graph-insert part: build the real graph once (untimed), then time inserting its shape again.
_INSERTS = """
import gc, sys, time
gc.disable()
from iamgraph import api
g = api.build_graph(api.load([{path!r}])).g
nodes = list(g.nodes)
edges = [(u, v, k) for u, v, k in g.edges(keys=True)]
import networkx as nx
t = time.perf_counter()
h = nx.MultiDiGraph()
for n in nodes:
    h.add_node(n, kind=0)
for u, v, k in edges:
    h.add_edge(u, v, key=k, evidence=None, conditional=False)
print(time.perf_counter() - t, len(nodes), len(edges))
"""


def _run(code: str) -> tuple[float, str]:
    """Wall seconds of a fresh interpreter running `code`, and what it printed."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return time.perf_counter() - t, proc.stdout.strip()


def _best(code: str, repeat: int, *, inner: bool) -> float:
    """Min over `repeat` runs: the process's wall time, or (`inner`) the time the code printed."""
    times = []
    for _ in range(repeat):
        wall, out = _run(code)
        times.append(float(out.split()[0]) if inner else wall)
    return min(times)


def _cli(path: str, repeat: int) -> float | None:
    exe = shutil.which("iamgraph")
    if exe is None:
        return None
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([exe, "scan", "--input", path, "--format", "json"], stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-cli", action="store_true")
    args = ap.parse_args(argv)
    path = str(Path(args.path).resolve())
    parts = {
        "interpreter": _best(_PARTS["interpreter"], args.repeat, inner=False),
        "stack imports": _best(_PARTS["stack imports"], args.repeat, inner=False),
        "json.load": _best(_PARTS["json.load"].format(path=path), args.repeat, inner=True),
        "orjson.loads": _best(_PARTS["orjson.loads"].format(path=path), args.repeat, inner=True),
    }
    runs = [_run(_INSERTS.format(path=path))[1].split() for _ in range(max(1, args.repeat // 2))]
    inserts = parts["graph inserts"] = min(float(r[0]) for r in runs)
    shape = runs[0]
    floor = parts["stack imports"] + parts["orjson.loads"] + inserts
    target = 8 * parts["json.load"]
    out: dict[str, object] = {
        "file": args.path,
        "parts_s": {k: round(v, 4) for k, v in parts.items()},
        "graph_shape": {"nodes": int(shape[1]), "edges": int(shape[2])},
        "floor_s": round(floor, 4),
        "target_s": round(target, 4),
        "left_for_iamgraph_s": round(target - floor, 4),
    }
    if not args.no_cli:
        cli = _cli(args.path, args.repeat)
        out["cli_s"] = None if cli is None else round(cli, 3)
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
