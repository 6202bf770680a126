"""Shared assertions: an incomplete analysis is said at the top of every format and fails a gate with 3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import iamgraph.cli  # noqa: F401  (registers every command)
from iamgraph.cli.app import app

runner = CliRunner()


def scan(*args: str | Path) -> Any:
    return runner.invoke(app, ["scan", *map(str, args)])


def assert_incomplete_everywhere(snapshot: Path, tmp_path: Path, *, reason: str, gated_exit: int = 3) -> dict[str, Any]:
    """`scan --fail-on high` exits `gated_exit` (3 = could not analyse completely; 1 when a finding trips
    first), `--allow-incomplete` accepts it, and text, JSON, SARIF and HTML all say so up front."""
    gated = scan("--input", snapshot, "--format", "json", "--fail-on", "high")
    assert gated.exit_code == gated_exit, gated.output
    doc = json.loads(gated.stdout)
    inc = doc["incomplete"]
    assert inc["analysis"] is True and any(reason in r for r in inc["reasons"]), inc
    assert doc["summary"]["complete"] is False and doc["gate"]["incomplete"] is True
    assert "incomplete" in gated.stderr.lower()
    if gated_exit == 3:
        accepted = scan("--input", snapshot, "--format", "json", "--fail-on", "high", "--allow-incomplete")
        assert accepted.exit_code == 0, accepted.output
        assert json.loads(accepted.stdout)["incomplete"]["analysis"] is True  # accepted, still said
    assert scan("--input", snapshot, "--format", "json").exit_code == 0  # no gate: no verdict

    text = scan("--input", snapshot, "--no-color")
    first = next(line for line in text.stdout.splitlines() if line.strip())
    assert first.startswith("INCOMPLETE"), text.stdout[:300]
    assert reason in text.stdout

    sarif = json.loads(scan("--input", snapshot, "--format", "sarif").stdout)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note = invocation["toolExecutionNotifications"][0]
    assert note["level"] == "error" and note["message"]["text"].startswith("Incomplete analysis")
    assert any(reason in r for r in note["properties"]["reasons"])

    page_file = tmp_path / "report.html"
    assert scan("--input", snapshot, "--html", page_file, "--format", "json").exit_code == 0
    page = page_file.read_text(encoding="utf-8")
    banner = page.index('id="ig-incomplete"')
    assert banner < page.index('id="ig-graph-card"') and "INCOMPLETE analysis" in page[banner : banner + 2000]
    return doc
