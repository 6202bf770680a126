"""`iamgraph export` and `scan --export`: files written, same bytes as the library, clear errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

from exporthelpers import FREELANCER, ROOT
from typer.testing import CliRunner

from iamgraph.api import export_files
from iamgraph.cli import app
from iamgraph.export import extension_schema_text

runner = CliRunner()


def run(*args: object):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def test_each_format_from_the_cli_equals_the_library(tmp_path: Path) -> None:
    for fmt in ("opengraph", "graphml", "cypher"):
        out = tmp_path / f"x.{fmt}"
        r = run("export", "--format", fmt, "--input", FREELANCER, "--output", out, "--findings-only")
        assert r.exit_code == 0, r.output
        (text,) = export_files([FREELANCER], fmt, findings_only=True).values()
        assert out.read_text(encoding="utf-8") == text
        stdout = run("export", "-f", fmt, "-i", FREELANCER, "--findings-only")
        assert stdout.exit_code == 0 and stdout.stdout == text
    folder = tmp_path / "neo"
    r = run("export", "--format", "neo4j-csv", "--input", FREELANCER, "--output", folder, "--definite-only")
    assert r.exit_code == 0, r.output
    expected = export_files([FREELANCER], "neo4j-csv", definite_only=True)
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
    for name, text in expected.items():
        assert (folder / name).read_text(encoding="utf-8") == text
    assert os.access(folder / "import.sh", os.X_OK)


def test_export_with_query_parameters() -> None:
    """--query/--param choose the findings that mark paths (who-can needs its action)."""
    groups = ROOT / "samples" / "groups-s3-access.json"
    r = run(
        "export",
        "-f",
        "opengraph",
        "-i",
        groups,
        "--query",
        "who-can",
        "--param",
        "action=s3:GetObject",
        "--findings-only",
        "-q",
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    from iamgraph import api

    graph = api.build_graph(api.load([groups]))
    findings = api.run_queries(graph, ["who-can"], params={"who-can": {"action": "s3:GetObject"}})["findings"]
    assert findings
    on_path = {n["properties"]["graph_id"] for n in doc["graph"]["nodes"] if "graph_id" in n["properties"]}
    assert {f["source"] for f in findings} <= on_path
    bad = run("export", "-f", "opengraph", "-i", groups, "--query", "who-can", "--param", "nonsense=1")
    assert bad.exit_code == 2 and bad.stderr.startswith("iamgraph: error:")


def test_extension_schema_from_the_cli(tmp_path: Path) -> None:
    r = run("export", "--format", "opengraph-extension")
    assert r.exit_code == 0 and r.stdout == extension_schema_text()
    assert json.loads(r.stdout)["schema"]["namespace"] == "IAMG"


def test_scan_export_writes_every_requested_format(tmp_path: Path) -> None:
    og, neo, gml = tmp_path / "g.json", tmp_path / "neo", tmp_path / "paths.graphml"
    r = run(
        "scan",
        "--input",
        FREELANCER,
        "--format",
        "json",
        "--export",
        f"opengraph:{og}",
        "--export",
        f"neo4j-csv:{neo}",
        "--export",
        f"graphml+findings-only+definite-only:{gml}",
    )
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["findings"]
    assert og.read_text(encoding="utf-8") == next(iter(export_files([FREELANCER], "opengraph").values()))
    assert (neo / "rels.csv").is_file() and (neo / "import.sh").is_file()
    expected = next(iter(export_files([FREELANCER], "graphml", findings_only=True, definite_only=True).values()))
    assert gml.read_text(encoding="utf-8") == expected


def test_bad_export_requests_are_one_line_errors(tmp_path: Path) -> None:
    cases = [
        ("export", "--format", "dot", "--input", FREELANCER),
        ("export", "--format", "neo4j-csv", "--input", FREELANCER),  # a folder needs --output
        ("scan", "--input", FREELANCER, "--export", "opengraph"),  # no :PATH
        ("scan", "--input", FREELANCER, "--export", "gexf:x.gexf"),
        ("scan", "--input", FREELANCER, "--export", "opengraph+everything:x.json"),
    ]
    for args in cases:
        r = run(*args)
        assert r.exit_code == 2, (args, r.output)
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("iamgraph: error:"), (args, r.stderr)
        assert "Traceback" not in r.output
    a_file = tmp_path / "plain"
    a_file.write_text("x")
    r = run("export", "--format", "neo4j-csv", "--input", FREELANCER, "--output", a_file)
    assert r.exit_code == 2 and str(a_file) in r.stderr
    # nothing was written by the rejected scan --export requests
    assert not (ROOT / "x.gexf").exists() and not (ROOT / "x.json").exists()
