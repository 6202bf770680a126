"""benchmarks/floor.py: every part measured, the graph shape is the scan's own, and the budget it
prints is the target minus the floor it names."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_floor", ROOT / "benchmarks" / "floor.py")
floor = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["bench_floor"] = floor
_spec.loader.exec_module(floor)  # type: ignore[union-attr]

SAMPLE = ROOT / "samples" / "freelancer-lambda-passrole-star.json"


def test_floor_on_a_sample() -> None:
    from iamgraph import api

    out = floor.main([str(SAMPLE), "--repeat", "1", "--no-cli"])
    parts = out["parts_s"]
    assert set(parts) == {"interpreter", "stack imports", "json.load", "orjson.loads", "graph inserts"}
    assert parts["interpreter"] > 0 and parts["stack imports"] > parts["interpreter"]
    assert all(v >= 0 for v in parts.values())
    g = api.build_graph(api.load([str(SAMPLE)])).g
    assert out["graph_shape"] == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    expected = parts["stack imports"] + parts["orjson.loads"] + parts["graph inserts"]
    assert abs(out["floor_s"] - expected) < 0.002
    assert abs(out["target_s"] - 8 * parts["json.load"]) < 0.002
    assert abs(out["left_for_iamgraph_s"] - (out["target_s"] - out["floor_s"])) < 0.002
    assert "cli_s" not in out
