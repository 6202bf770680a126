"""benchmarks/run.py --repeat: every time is the minimum of its runs (json.load's included), peak
RSS the maximum, and runs that fail or disagree on the findings are reported, not averaged away."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
run = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["bench_run"] = run
_spec.loader.exec_module(run)  # type: ignore[union-attr]

SAMPLE = ROOT / "samples" / "freelancer-lambda-passrole-star.json"


def _child(json_load: float, build: float | None, rss: float, findings: int = 3) -> dict[str, object]:
    times = dict.fromkeys(run.PHASES, 0.5)
    times.update(json_load=json_load, build_graph=build)
    return {"file": "f", "times": times, "peak_rss_mb": rss, "findings": findings}


def test_each_time_is_its_own_minimum_and_rss_the_maximum() -> None:
    out = run.repeated([_child(0.3, 1.0, 100), _child(0.1, 1.4, 120), _child(0.2, None, 90)])
    assert out["times"]["json_load"] == 0.1  # not the json.load of the fastest library run
    assert out["times"]["build_graph"] == 1.0  # a run without the phase does not count as 0
    assert out["peak_rss_mb"] == 120 and out["runs"] == 3


def test_a_failed_run_or_different_findings_are_errors() -> None:
    failed = {"file": "f", "error": ["child failed"]}
    assert run.repeated([_child(0.1, 1.0, 1), failed]) is failed
    assert "disagree" in run.repeated([_child(0.1, 1.0, 1, 3), _child(0.1, 1.0, 1, 4)])["error"][0]


def test_cli_runs_take_the_fastest_and_keep_a_failure() -> None:
    ok = [{"seconds": 2.0, "peak_rss_mb": 10, "exit_code": 1}, {"seconds": 1.5, "peak_rss_mb": 12, "exit_code": 0}]
    assert run.repeated_cli(ok)["seconds"] == 1.5 and run.repeated_cli(ok)["peak_rss_mb"] == 12
    crash = {"seconds": 0.1, "peak_rss_mb": 1, "exit_code": 2}
    assert run.repeated_cli([*ok, crash]) is crash


def test_two_real_runs_of_a_sample_merge() -> None:
    runs = [run.run_child(SAMPLE) for _ in range(2)]
    out = run.repeated(runs)
    assert "error" not in out, out
    for phase in ("json_load", "load", "build_graph", "run_queries", "report_json"):
        assert out["times"][phase] == min(r["times"][phase] for r in runs)
    assert out["findings"] == runs[0]["findings"] and out["findings"] > 0
