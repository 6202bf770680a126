"""`iamgraph diff`: new / resolved / changed findings between GAAD files or saved results; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import iamgraph.cli  # noqa: F401
from iamgraph.cli.app import app
from iamgraph.gate.diff import diff_results as _diff_results
from iamgraph.gate.diff import match_key as _match_key
from iamgraph.query.report import FindingRecord, Report


def diff_results(old: dict, new: dict) -> dict:
    return _diff_results(Report.from_json(old), Report.from_json(new)).to_json()


def match_key(finding: dict) -> tuple:
    return _match_key(FindingRecord.from_json(finding, file="t", path="$"))


ROOT = Path(__file__).resolve().parents[2]
S = ROOT / "samples"
runner = CliRunner()


def _diff(old: Path, new: Path, *extra: str) -> tuple[int, dict]:
    r = runner.invoke(app, ["diff", str(old), str(new), "--format", "json", *extra])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)


def test_passrole_star_adds_a_critical_path_and_gates():
    code, rep = _diff(
        S / "freelancer-lambda-passrole-fixed.json", S / "freelancer-lambda-passrole-star.json", "--fail-on", "critical"
    )
    assert code == 1
    gating = rep["findings"]
    assert [f["severity"] for f in gating] == ["critical"]
    crit = gating[0]
    assert crit["query"] == "privesc-to-admin" and crit["source"].endswith("user/contractors/freelancer")
    assert [h["technique"] for h in crit["path"]][0] == "lambda-001" and not crit["conditional"]
    # either brand new, or the same subject that got worse (the fixed account has a potential path)
    d = rep["diff"]
    ids = [f["id"] for f in d["new"]] + [c["after"]["id"] for c in d["changed"]]
    assert crit["id"] in ids and rep["gate"]["failing"] == [crit["id"]]
    for c in d["changed"]:
        assert match_key(c["before"]) == match_key(c["after"]) and c["changes"]


def test_reverse_removes_the_critical_path():
    code, rep = _diff(
        S / "freelancer-lambda-passrole-star.json", S / "freelancer-lambda-passrole-fixed.json", "--fail-on", "critical"
    )
    assert code == 0 and rep["findings"] == []
    d = rep["diff"]
    gone = [f for f in d["resolved"]] + [c["before"] for c in d["changed"]]
    assert [f["severity"] for f in gone] == ["critical"]
    assert all(c["after"]["severity"] != "critical" for c in d["changed"])


def test_new_and_resolved_risky_trust():
    code, rep = _diff(S / "third-party-externalid.json", S / "third-party-no-externalid.json", "--fail-on", "high")
    d = rep["diff"]
    assert (
        code == 1 and [f["query"] for f in d["new"]] == ["risky-trust"] and d["resolved"] == [] and d["changed"] == []
    )
    assert d["new"][0]["target"].endswith("role/vendor-audit") and rep["summary"]["new"] == 1
    code, rep = _diff(S / "third-party-no-externalid.json", S / "third-party-externalid.json", "--fail-on", "low")
    d = rep["diff"]
    assert code == 0 and d["new"] == [] and [f["query"] for f in d["resolved"]] == ["risky-trust"]
    assert rep["summary"]["resolved"] == 1 and rep["summary"]["unchanged"] == d["unchanged"] > 0


def test_identical_inputs_have_no_difference():
    code, rep = _diff(S / "multi-hop-chain.json", S / "multi-hop-chain.json", "--fail-on", "low")
    assert code == 0 and rep["diff"]["new"] == rep["diff"]["resolved"] == rep["diff"]["changed"] == []


def test_saved_results_diff_like_their_accounts(tmp_path):
    saved = []
    for name in ("third-party-externalid", "third-party-no-externalid"):
        r = runner.invoke(app, ["scan", "--input", str(S / f"{name}.json"), "--format", "json"])
        p = tmp_path / f"{name}.result.json"
        p.write_text(r.stdout)
        saved.append(p)
    _, from_results = _diff(*saved)
    _, from_accounts = _diff(S / "third-party-externalid.json", S / "third-party-no-externalid.json")
    assert from_results["diff"] == from_accounts["diff"]
    # a mix also works (result on one side, GAAD on the other)
    _, mixed = _diff(saved[0], S / "third-party-no-externalid.json")
    assert mixed["diff"] == from_accounts["diff"]


def test_sarif_and_text_outputs():
    r = runner.invoke(
        app,
        [
            "diff",
            str(S / "third-party-externalid.json"),
            str(S / "third-party-no-externalid.json"),
            "--format",
            "sarif",
        ],
    )
    log = json.loads(r.stdout)
    assert r.exit_code == 0 and log["version"] == "2.1.0" and len(log["runs"][0]["results"]) == 1
    r = runner.invoke(
        app, ["diff", str(S / "third-party-externalid.json"), str(S / "third-party-no-externalid.json"), "--no-color"]
    )
    assert r.exit_code == 0 and "new findings (1)" in r.stdout and "1 new, 0 changed, 0 resolved" in r.stdout


def _f(i: str, sev: str, tech: str, source: str = "u", cond: bool = False) -> dict:
    return {
        "id": i,
        "query": "privesc-to-admin",
        "severity": sev,
        "source": source,
        "target": "admin",
        "conditional": cond,
        "reaches_admin": True,
        "path": [{"technique": tech}],
    }


def test_matching_key_pairs_changed_findings():
    old = {
        "findings": [
            _f("a", "medium", "lambda-003", cond=True),
            _f("b", "critical", "iam-007", source="v"),
            _f("c", "low", "x", source="w"),
        ]
    }
    new = {
        "findings": [
            _f("a2", "critical", "lambda-001"),
            _f("b", "critical", "iam-007", source="v"),
            _f("d", "high", "ec2-001", source="z"),
        ]
    }
    d = diff_results(old, new)
    assert [f["id"] for f in d["new"]] == ["d"] and [f["id"] for f in d["resolved"]] == ["c"] and d["unchanged"] == 1
    [c] = d["changed"]
    assert (c["before"]["id"], c["after"]["id"]) == ("a", "a2")
    assert c["changes"] == ["severity medium -> critical", "now definite", "path lambda-003 => lambda-001"]


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "nope.json", "nope2.json"],
        ["diff", str(S / "multi-hop-chain.json"), str(S / "multi-hop-chain.json"), "--fail-on", "x"],
        ["diff", str(S / "multi-hop-chain.json"), str(S / "multi-hop-chain.json"), "--format", "html"],
    ],
)
def test_diff_input_errors_exit_2(args):
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and r.stderr.startswith("iamgraph: error:") and r.stderr.count("\n") == 1
