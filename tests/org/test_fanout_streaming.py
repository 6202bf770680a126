"""The fan-out driver streams (issue 12 §4, flat driver memory): the JSON written by `write_fanout`
is exactly `run_fanout`'s report serialised as the CLI always did; the workers hand the driver only
the portal part of a summary (no tree row of a plain source); the run's spool is removed."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iamgraph.cli.app import app
from iamgraph.fanout import Mode, executor, read_manifest, run_fanout, split_snapshot, write_fanout
from iamgraph.fanout import driver as fanout_driver
from iamgraph.fanout.spool import FindingRuns
from iamgraph.fanout.worker import read_plain_file, read_portal_file, summarize_task, write_plain_file

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("generate_org", ROOT / "benchmarks" / "generate_org.py")
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules.setdefault("generate_org", gen)
_spec.loader.exec_module(gen)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    document, _truth = gen.generate_org(12, 11, base="tiny")
    return split_snapshot(document, tmp_path_factory.mktemp("org"))


def test_streamed_json_is_the_report_serialised(manifest_path: Path) -> None:
    manifest = read_manifest(manifest_path)
    with executor(Mode.SERIAL) as ex:
        report, stats = run_fanout(manifest, ex)
        buf = io.StringIO()
        again = write_fanout(manifest, ex, buf)
    assert buf.getvalue() == json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    assert stats.findings == again.findings == report["summary"]["findings"] > 20
    sev = [f["severity"] for f in report["findings"]]
    assert sev == sorted(sev, key=lambda s: s != "critical") and "medium" in sev


def test_the_cli_streams_the_same_json(manifest_path: Path, tmp_path: Path) -> None:
    from iamgraph.cli import commands_org  # noqa: F401 - registers the commands

    with executor(Mode.SERIAL) as ex:
        report, _ = run_fanout(read_manifest(manifest_path), ex)
    out = tmp_path / "o.json"
    r = CliRunner().invoke(
        app, ["fanout", str(manifest_path), "--executor", "serial", "--format", "json", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    r = CliRunner().invoke(app, ["fanout", str(manifest_path), "--executor", "serial", "--format", "json"])
    assert json.loads(r.stdout) == report


def test_workers_return_no_tree_row_of_a_plain_source(manifest_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spy on what reaches the driver: no row of a plain source, and every plain source with rows
    found in the spooled file instead."""
    parts: list[dict[str, Any]] = []
    spools: list[dict[str, Any]] = []
    real = fanout_driver._Merge.add_part

    def spy(self: Any, part: dict[str, Any]) -> None:
        parts.append({**json.loads(json.dumps(part)), **read_portal_file(part["portal_file"])})
        spools.append(read_plain_file(part["plain_file"]))
        real(self, part)

    monkeypatch.setattr(fanout_driver._Merge, "add_part", spy)
    with executor(Mode.SERIAL) as ex:
        run_fanout(read_manifest(manifest_path), ex)
    assert len(parts) == 12
    plain_rows = 0
    for part, spooled in zip(parts, spools, strict=True):
        held = {r[0] for r in part["rows"]}
        plain = {r[0] for r in spooled["rows"]}
        targets = {r[1] for r in part["rows"]} | {r[1] for r in spooled["rows"]}
        assert not held & plain
        assert not plain & targets  # a target (portal node) is never plain
        assert plain <= set(spooled["sources"])
        assert "trees" not in part and "hops" not in part and "sources" not in part
        plain_rows += len(spooled["rows"])
    assert plain_rows > 0  # rows the driver never received


def test_a_plain_source_with_a_portal_edge_fails_loudly(manifest_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a worker ever drop the rows of a node that has an incoming edge, the driver stops
    instead of reporting wrong paths."""
    real = summarize_task

    def hide_portals(task: dict[str, Any]) -> dict[str, Any]:
        out = real({**task, "portal": []})
        held = read_portal_file(out["portal_file"])
        x = next((c[0] for c in held["cross"] if c[0] in {r[0] for r in held["rows"]}), None)
        if x is not None:
            # pretend a portal node (a leaving edge starts there) were a plain source: its rows to the spool
            plain = read_plain_file(out["plain_file"])
            rows = plain["rows"] + [r for r in held["rows"] if r[0] == x]
            write_plain_file(Path(out["plain_file"]), sorted({*plain["sources"], x}), plain["admins"], rows)
            with open(out["portal_file"], "w", encoding="utf-8") as fh:
                for kind, name in (("r", "rows"), ("c", "cross"), ("b", "blocked")):
                    for r in held[name]:
                        if kind != "r" or r[0] != x:
                            fh.write(json.dumps([kind, *r]) + "\n")
        return out

    monkeypatch.setattr(fanout_driver, "summarize_task", hide_portals)
    with executor(Mode.SERIAL) as ex, pytest.raises(RuntimeError, match="plain source"):
        run_fanout(read_manifest(manifest_path), ex)


def test_the_spool_is_removed_after_the_run(manifest_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = tempfile.mkdtemp

    def track(*args: Any, **kwargs: Any) -> str:
        d = real(*args, **kwargs)
        made.append(d)
        return d

    monkeypatch.setattr(fanout_driver.tempfile, "mkdtemp", track)
    with executor(Mode.SERIAL) as ex:
        run_fanout(read_manifest(manifest_path), ex)
        assert made and all(not Path(d).exists() for d in made)
        # also when the run fails half-way
        monkeypatch.setattr(fanout_driver._Merge, "findings", lambda self, runs: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            run_fanout(read_manifest(manifest_path), ex)
    assert len(made) == 2 and all(not Path(d).exists() for d in made)


def test_inline_summaries_give_the_same_json(manifest_path: Path) -> None:
    """Workers without the driver's disk (a remote Dask cluster) send whole summaries."""
    manifest = read_manifest(manifest_path)
    with executor(Mode.SERIAL) as ex:
        a, b = io.StringIO(), io.StringIO()
        write_fanout(manifest, ex, a)
        write_fanout(manifest, ex, b, inline_summaries=True)
    assert a.getvalue() == b.getvalue()


def test_finding_runs_merge_overlapping_runs_in_key_order(tmp_path: Path) -> None:
    runs = FindingRuns(tmp_path)
    for keys in (["a", "d", "g"], ["b", "c"], ["e", "h"], ["f"]):
        for k in keys:
            runs.add("critical", (k, "", k), f"text-{k}")
        runs.end_run()
    runs.add("medium", ("z", "", "z"), "text-z\nwith a newline")
    try:
        assert list(runs.stream("critical")) == [f"text-{k}" for k in "abcdefgh"]
        assert list(runs.stream("medium")) == ["text-z\nwith a newline"]
        assert list(runs.stream("low")) == []
        with pytest.raises(ValueError, match="out of order"):
            runs.add("critical", ("b", "", "b"), "x")
            runs.add("critical", ("a", "", "a"), "y")
    finally:
        runs.close()
