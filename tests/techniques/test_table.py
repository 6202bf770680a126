"""The coverage table, its generated doc and the `iamgraph techniques` command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import iamgraph.cli.commands_techniques  # noqa: F401  (registers the command)
from iamgraph.cli.app import app
from iamgraph.techniques.coverage import coverage_table, render_markdown
from iamgraph.techniques.families import ExistingResource, NewPassRole
from iamgraph.techniques.registry import catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_doc_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "techniques.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "docs/techniques.md is stale: run python scripts/gen_techniques_doc.py"


def test_rows_match_catalogue() -> None:
    rows = coverage_table()
    techniques = catalogue()
    assert [r["id"] for r in rows] == [t.id for t in techniques]
    for r, t in zip(rows, techniques):
        assert r["vulnerable_cases"] == sum(c.vulnerable for c in t.cases)
        assert r["safe_cases"] == sum(not c.vulnerable for c in t.cases)
        assert r["cases"] == f"{r['vulnerable_cases']}/{r['safe_cases']}"
        assert r["vulnerable_cases"] >= 1 and r["safe_cases"] >= 1, r["id"]
        assert r["description"] and r["remediation"], f"{r['id']} lacks description or remediation"


def test_inventory_flag_matches_family() -> None:
    """Existing-resource techniques need inventory to be definite; new-passrole ones never do."""
    from iamgraph.techniques.families.cognito import IdentityPoolRoles

    for t in catalogue():
        needs = isinstance(t, (ExistingResource, IdentityPoolRoles))
        assert t.needs_inventory == needs, t.id
        if (
            isinstance(t, NewPassRole) and t.existing_service
        ):  # vehicle resource: none while inventory is complete -> no edge
            assert any(not c.vulnerable and c.inventory_collected and not c.inventory for c in t.cases), t.id
        if needs:  # their cases must show both the definite (inventory) and the potential (no inventory) edge
            assert any(c.vulnerable and c.inventory_collected and not c.conditional for c in t.cases), t.id
            assert any(c.vulnerable and not c.inventory_collected and c.conditional for c in t.cases), t.id


def test_markdown_has_one_row_per_technique() -> None:
    text = render_markdown()
    for t in catalogue():
        assert f"| `{t.id}` |" in text or f"| `{t.id}` (now `" in text


def test_cli_json_and_markdown() -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["techniques", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema_version"] == "1"
    assert [r["id"] for r in data["techniques"]] == [t.id for t in catalogue()]
    md = runner.invoke(app, ["techniques", "--format", "markdown"])
    assert md.exit_code == 0 and md.output == render_markdown()
    text = runner.invoke(app, ["techniques", "--no-color"])
    assert text.exit_code == 0 and "lambda-003" in text.output


def test_cli_rejects_unknown_format() -> None:
    res = CliRunner().invoke(app, ["techniques", "--format", "yaml"])
    assert res.exit_code == 2
