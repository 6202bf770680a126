"""Fail closed offline: snapshots that record unreadable IAM (or lack it) are incomplete in every format and
exit 3 under --fail-on; gaps in dependent data mark exactly the findings and principals they touch."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import iamgraph.cli  # noqa: F401  (registers every command)
from iamgraph import api
from iamgraph.cli.app import app
from iamgraph.query.report import Report

ROOT = Path(__file__).resolve().parents[2]
STAR = json.loads((ROOT / "samples/freelancer-lambda-passrole-star.json").read_text())
FIXED = json.loads((ROOT / "samples/freelancer-lambda-passrole-fixed.json").read_text())
A, B = "111122223333", "444455556666"
GAAD_GAP = {
    "api": "iam:GetAccountAuthorizationDetails",
    "region": "global",
    "detail": "AccessDenied: not authorized (needs iam:GetAccountAuthorizationDetails)",
}
runner = CliRunner()


def _checks() -> Any:
    name = "iamgraph_incomplete_checks"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests/live/incomplete_checks.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _empty_gaad() -> dict[str, list[Any]]:
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}


def _retarget(gaad: dict[str, Any], account: str) -> dict[str, Any]:
    return json.loads(json.dumps(gaad).replace(A, account))


def _snapshot(tmp_path: Path, *accounts: dict[str, Any], name: str = "snap.json") -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps({"format": "iamgraph-snapshot", "schema_version": "1", "accounts": list(accounts)}), encoding="utf-8"
    )
    return path


def _scan(*args: str | Path) -> Any:
    return runner.invoke(app, ["scan", *map(str, args)])


def test_snapshot_recording_iam_unreadable_is_incomplete_everywhere(tmp_path):
    snap = _snapshot(tmp_path, {"account_id": A, "authorization_details": _empty_gaad(), "collection_gaps": [GAAD_GAP]})
    doc = _checks().assert_incomplete_everywhere(snap, tmp_path, reason="IAM authorization details unreadable")
    assert doc["summary"]["principals"] == 0 and doc["findings"] == []
    assert any("no finding can be ruled out" in c for c in doc["incomplete"]["callouts"])


def test_snapshot_account_without_authorization_details_is_incomplete(tmp_path):
    snap = _snapshot(tmp_path, {"account_id": A})
    doc = _checks().assert_incomplete_everywhere(snap, tmp_path, reason="no authorization_details")
    assert doc["incomplete"]["gaps"][0]["account"] == A


def test_one_unreadable_account_of_several_makes_the_scan_incomplete(tmp_path):
    fixed_a = {"account_id": A, "authorization_details": FIXED}
    unread_b = {"account_id": B, "authorization_details": _empty_gaad(), "collection_gaps": [GAAD_GAP]}
    snap = _snapshot(tmp_path, fixed_a, unread_b)
    doc = _checks().assert_incomplete_everywhere(snap, tmp_path, reason=f"account {B}")
    assert [g["account"] for g in doc["incomplete"]["gaps"]] == [B]
    # the readable account's findings rest on complete data: not marked
    assert doc["findings"] and not any(f.get("incomplete") for f in doc["findings"])


def test_findings_trip_first_exit_1_and_the_report_still_says_incomplete(tmp_path):
    star_a = {"account_id": A, "authorization_details": STAR}
    unread_b = {"account_id": B, "authorization_details": _empty_gaad(), "collection_gaps": [GAAD_GAP]}
    snap = _snapshot(tmp_path, star_a, unread_b)
    doc = _checks().assert_incomplete_everywhere(snap, tmp_path, reason=f"account {B}", gated_exit=1)
    assert doc["gate"]["failing"]


def test_complete_snapshot_passes_the_gate(tmp_path):
    snap = _snapshot(tmp_path, {"account_id": A, "authorization_details": FIXED})
    r = _scan("--input", snap, "--format", "json", "--fail-on", "high")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert "incomplete" not in doc and doc["summary"]["complete"] is True and "incomplete" not in doc["gate"]


def _lambda_account() -> dict[str, Any]:
    """dev may update any Lambda function's code; fn-admin (admin) is a Lambda execution role."""

    def doc(*st: dict[str, Any]) -> dict[str, Any]:
        return {"Version": "2012-10-17", "Statement": list(st)}

    admin = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
    trust = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
    return {
        "UserDetailList": [
            {
                "UserName": "dev",
                "Arn": f"arn:aws:iam::{A}:user/dev",
                "Path": "/",
                "UserPolicyList": [
                    {
                        "PolicyName": "code",
                        "PolicyDocument": doc(
                            {"Sid": "Code", "Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "*"}
                        ),
                    }
                ],
            },
            {
                "UserName": "ops",
                "Arn": f"arn:aws:iam::{A}:user/ops",
                "Path": "/",
                "UserPolicyList": [{"PolicyName": "all", "PolicyDocument": admin}],
            },
        ],
        "GroupDetailList": [],
        "Policies": [],
        "RoleDetailList": [
            {
                "RoleName": "fn-admin",
                "Arn": f"arn:aws:iam::{A}:role/fn-admin",
                "Path": "/",
                "AssumeRolePolicyDocument": trust,
                "RolePolicyList": [{"PolicyName": "all", "PolicyDocument": admin}],
            }
        ],
    }


def test_unreadable_inventory_marks_exactly_the_findings_that_depend_on_it(tmp_path):
    gap = {
        "api": "lambda:ListFunctions",
        "region": "eu-west-1",
        "detail": "AccessDenied: no (needs lambda:ListFunctions)",
    }
    snap = _snapshot(
        tmp_path,
        {
            "account_id": A,
            "authorization_details": _lambda_account(),
            "inventory": [],
            "inventory_collected": [],
            "collection_gaps": [gap],
        },
    )
    r = _scan("--input", snap, "--format", "json", "--fail-on", "critical")
    assert r.exit_code == 0, r.output  # dependent data only: the analysis of IAM is complete
    doc = json.loads(r.stdout)
    inc = doc["incomplete"]
    assert inc["analysis"] is False and doc["summary"]["complete"] is False
    assert inc["gaps"][0]["data"] == "inventory" and inc["gaps"][0]["region"] == "eu-west-1"
    assert any("lambda inventory was unreadable in eu-west-1" in c and "privesc-to-admin" in c for c in inc["callouts"])
    by_source = {(f["query"], f["source"].rsplit("/", 1)[-1]): f for f in doc["findings"]}
    dev = by_source[("privesc-to-admin", "dev")]
    assert dev["conditional"] and any("lambda:ListFunctions in eu-west-1" in r for r in dev["incomplete"])
    assert not by_source[("admins", "ops")].get("incomplete")  # an admin outright needs no inventory
    text = _scan("--input", snap, "--no-color").stdout
    assert text.lstrip().startswith("Partial data") and "lambda inventory unreadable" in text
    sarif = json.loads(_scan("--input", snap, "--format", "sarif").stdout)["runs"][0]
    assert sarif["invocations"][0]["executionSuccessful"] is True
    assert sarif["invocations"][0]["toolExecutionNotifications"][0]["level"] == "warning"
    dev_result = next(x for x in sarif["results"] if x["properties"]["finding_id"] == dev["id"])
    assert dev_result["properties"]["incomplete"] and "Incomplete:" in dev_result["message"]["text"]


def test_unreadable_scps_mark_the_account_principals_and_findings(tmp_path):
    gap = {
        "api": "organizations:ListRoots",
        "region": "us-east-1",
        "detail": "AccessDenied: no (needs organizations:ListRoots); SCPs/RCPs not readable; analysis assumes none",
    }
    snap = _snapshot(tmp_path, {"account_id": A, "authorization_details": STAR, "collection_gaps": [gap]})
    doc = json.loads(_scan("--input", snap, "--format", "json").stdout)
    assert doc["incomplete"]["gaps"][0]["data"] == "organization"
    principals = doc["incomplete_principals"]
    assert {p.rsplit("/", 1)[-1] for p in principals} >= {"freelancer", "alice.admin", "deploy-admin"}
    assert all(any("SCPs/RCPs" in r for r in rs) for rs in principals.values())
    assert doc["findings"] and all(any("SCPs/RCPs" in r for r in f["incomplete"]) for f in doc["findings"])


def test_diff_with_an_incomplete_side_exits_3(tmp_path):
    old = _snapshot(tmp_path, {"account_id": A, "authorization_details": FIXED}, name="old.json")
    new = _snapshot(
        tmp_path,
        {"account_id": A, "authorization_details": _empty_gaad(), "collection_gaps": [GAAD_GAP]},
        name="new.json",
    )
    r = runner.invoke(app, ["diff", str(old), str(new), "--format", "json", "--fail-on", "high"])
    assert r.exit_code == 3, r.output
    doc = json.loads(r.stdout)
    assert doc["incomplete"]["analysis"] is True and doc["summary"]["resolved"] >= 0
    assert runner.invoke(app, ["diff", str(old), str(new), "--fail-on", "high", "--allow-incomplete"]).exit_code == 0
    text = runner.invoke(app, ["diff", str(old), str(new), "--no-color"]).stdout
    assert text.lstrip().startswith("INCOMPLETE")


def test_a_saved_incomplete_result_reads_back_identically(tmp_path):
    snap = _snapshot(
        tmp_path,
        {
            "account_id": A,
            "authorization_details": STAR,
            "collection_gaps": [GAAD_GAP, {"api": "kms:GetKeyPolicy", "region": "eu-west-1", "detail": "AccessDenied"}],
        },
    )
    doc = api.scan_files([snap])
    again = Report.from_json(copy.deepcopy(doc), file="saved.json")
    assert again.to_json() == doc and again.analysis_incomplete
    assert {g["data"] for g in doc["incomplete"]["gaps"]} == {"iam", "resource_policies"}
    # a baseline run over it keeps the incompleteness
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(doc), encoding="utf-8")
    r = _scan("--input", snap, "--format", "json", "--baseline", saved, "--fail-on", "low")
    assert r.exit_code == 3 and json.loads(r.stdout)["findings"] == []


def test_check_policy_on_an_unreadable_account_is_no_pass(tmp_path):
    star_a = {"account_id": A, "authorization_details": STAR}
    unread_b = {"account_id": B, "authorization_details": _empty_gaad(), "collection_gaps": [GAAD_GAP]}
    snap = _snapshot(tmp_path, star_a, unread_b)
    policy = tmp_path / "read.json"
    policy.write_text(
        json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
        ),
        encoding="utf-8",
    )
    args = ["check-policy", str(policy), "--input", str(snap), "--attach-to", "alice.admin", "--no-suggest"]
    r = runner.invoke(app, [*args, "--format", "json"])
    assert r.exit_code == 3, r.output
    doc = json.loads(r.stdout)
    assert doc["opens_admin_path"] is False and doc["incomplete"]["analysis"] is True
    assert runner.invoke(app, [*args, "--allow-incomplete"]).exit_code == 0
    assert "INCOMPLETE" in runner.invoke(app, [*args, "--quiet"]).stdout
    complete = _snapshot(tmp_path, star_a, name="complete.json")
    assert (
        runner.invoke(
            app, ["check-policy", str(policy), "--input", str(complete), "--attach-to", "alice.admin", "--no-suggest"]
        ).exit_code
        == 0
    )


def test_a_mangled_saved_result_is_read_without_crashing():
    """Wrong types anywhere in a saved result (a hand-edited baseline) never raise past Report.from_json:
    members of the wrong type are ignored, a malformed finding is an InputError naming its JSON path."""
    import pytest

    from iamgraph.errors import InputError

    doc = api.scan_files([ROOT / "samples/freelancer-lambda-passrole-star.json"])
    for key, bad in (
        ("queries", [{"id": "q", "kind": {"x": 1}, "needs": [{"a": 1}], "severity": []}]),
        ("nodes", {"n": {"kind": ["role"], "label": 3}}),
        ("summary", {"principals": {"a": 1}}),
        ("accounts", {"a": 1}),
        ("warnings", 5),
        ("incomplete", {"gaps": [{"data": {}}, 7], "callouts": 1}),
        ("incomplete_principals", {"x": 5}),
        ("gate", {"failing": 3}),
        ("baseline", {"new": "x"}),
        ("graph", {"nodes": "x"}),
        ("inputs", {"a": 1}),
    ):
        Report.from_json({**doc, key: bad}, file="mangled.json")
    with pytest.raises(InputError, match=r"\$\.findings\[0\]\.path"):
        Report.from_json({**doc, "findings": [{**doc["findings"][0], "path": {"not": "a list"}}]}, file="m.json")


def test_gap_classification_and_what_each_gap_touches():
    from iamgraph.model.snapshot import CollectionGap
    from iamgraph.query.base import DataNeed
    from iamgraph.query.completeness import affects, classify
    from iamgraph.query.report import FindingRecord, GapScope

    def gap(api_name: str, region: str = "eu-west-1") -> Any:
        return classify(CollectionGap(api=api_name, region=region, detail="AccessDenied", account=A))

    assert (gap("iam:GetAccountAuthorizationDetails").data, gap("iam:GetAccountAuthorizationDetails").scope) == (
        DataNeed.IAM,
        GapScope.ANALYSIS,
    )
    assert gap("iam:ListSAMLProviders").scope is GapScope.DEPENDENT
    assert gap("organizations:ListParents").data is DataNeed.ORGANIZATION
    assert gap("sso:ListPermissionSets").data is DataNeed.IDENTITY_CENTER
    assert gap("identitystore:ListUsers").data is DataNeed.IDENTITY_CENTER
    assert gap("kms:GetKeyPolicy").data is DataNeed.RESOURCE_POLICIES
    assert gap("s3:GetBucketPolicy").data is DataNeed.RESOURCE_POLICIES
    assert gap("lambda:ListFunctions").data is DataNeed.INVENTORY

    def finding(*nodes: str) -> FindingRecord:
        path = [{"from": a, "to": b, "technique": "t", "kind": "assume_role"} for a, b in zip(nodes, nodes[1:])]
        return FindingRecord.from_json(
            {"id": "x", "query": "q", "severity": "high", "source": nodes[0], "target": nodes[-1], "path": path},
            file="t",
            path="$",
        )

    sso_role = f"arn:aws:iam::{A}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1"
    plain = finding(f"arn:aws:iam::{A}:user/dev", f"arn:aws:iam::{A}:role/ops")
    assert affects(gap("sso:ListPermissionSets"), finding(f"arn:aws:iam::{A}:user/dev", sso_role))
    assert not affects(gap("sso:ListPermissionSets"), plain)
    assert affects(gap("kms:GetKeyPolicy"), finding(f"arn:aws:iam::{A}:user/dev", f"arn:aws:kms:eu-west-1:{A}:key/k"))
    assert not affects(gap("kms:GetKeyPolicy"), plain)
    assert affects(gap("organizations:ListParents"), plain)
    other = classify(CollectionGap(api="organizations:ListParents", region="", detail="x", account=B))
    assert not affects(other, plain)  # another account's SCPs do not decide this one
