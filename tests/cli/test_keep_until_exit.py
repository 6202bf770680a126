"""A run through `iamgraph.cli.main` keeps the command's graph (and check-policy's snapshot and
scans) alive until its exit without teardown, so the heap is not freed object by object while the
command's frames unwind; CliRunner runs (and library callers) keep nothing."""

from __future__ import annotations

import gc
import importlib
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import iamgraph.cli  # noqa: F401  (registers the commands)
from iamgraph import api

app_module = importlib.import_module("iamgraph.cli.app")  # the module (the package's `app` is the Typer)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
STAR = SAMPLES / "freelancer-lambda-passrole-star.json"


class _Exited(Exception):
    """os._exit, replaced: the status it was given."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@pytest.fixture
def graphs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[weakref.ref[object]]]:
    """Weak references to every graph api.build_graph makes during the test."""
    made: list[weakref.ref[object]] = []
    build = api.build_graph

    def spy(*args: object, **kwargs: object) -> object:
        graph = build(*args, **kwargs)  # type: ignore[arg-type]
        made.append(weakref.ref(graph))
        return graph

    monkeypatch.setattr(api, "build_graph", spy)
    was_enabled = gc.isenabled()
    yield made
    app_module._kept.clear()
    app_module._holding = False
    if was_enabled:
        gc.enable()


def _main_alive_at_exit(
    monkeypatch: pytest.MonkeyPatch, made: list[weakref.ref[object]], argv: list[str]
) -> tuple[int, list[bool]]:
    """Run main() with `argv`; the exit status and, at os._exit, which of the graphs are alive."""
    alive: list[bool] = []

    def fake_exit(status: int) -> None:
        alive.extend(ref() is not None for ref in made)
        raise _Exited(status)

    monkeypatch.setattr(app_module.os, "_exit", fake_exit)
    monkeypatch.setattr(sys, "argv", ["iamgraph", *argv])
    with pytest.raises(_Exited) as exc:
        app_module.main()
    return exc.value.status, alive


def test_scan_graph_alive_until_exit(
    monkeypatch: pytest.MonkeyPatch, graphs: list[weakref.ref[object]], tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    status, alive = _main_alive_at_exit(
        monkeypatch, graphs, ["scan", "--input", str(STAR), "--format", "json", "--output", str(out)]
    )
    assert status == 0 and out.read_text(encoding="utf-8").startswith("{")
    assert alive == [True]


def test_check_policy_scans_alive_until_exit(
    monkeypatch: pytest.MonkeyPatch, graphs: list[weakref.ref[object]], tmp_path: Path
) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
        encoding="utf-8",
    )
    args = ["check-policy", str(policy), "--input", str(STAR), "--attach-to", "freelancer", "--no-suggest"]
    status, alive = _main_alive_at_exit(monkeypatch, graphs, [*args, "--format", "json"])
    assert status == 0
    assert alive and all(alive), alive  # the scan before the change and the one after it


def test_cli_runner_keeps_nothing(graphs: list[weakref.ref[object]]) -> None:
    result = CliRunner().invoke(app_module.app, ["scan", "--input", str(STAR), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert graphs and app_module._kept == []
