"""`iamgraph check-policy`: what a policy adds, exit 1 when it opens a path to admin, verified fixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import iamgraph.cli  # noqa: F401
from iamgraph import api
from iamgraph.cli.app import app
from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.whatif.check import Change, admin_reach, check_policy, scan

ROOT = Path(__file__).resolve().parents[2]
FIXED = ROOT / "samples/freelancer-lambda-passrole-fixed.json"
GROUPS = ROOT / "samples/groups-s3-access.json"
FREELANCER = "arn:aws:iam::111122223333:user/contractors/freelancer"
runner = CliRunner()

PASSROLE_STAR = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Deploy",
            "Effect": "Allow",
            "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
            "Resource": "*",
        },
        {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    ],
}
S3_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Read",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"],
        }
    ],
}
EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
TRUST_FREELANCER = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": FREELANCER}, "Action": "sts:AssumeRole"}],
}
TRUST_LAMBDA = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _file(tmp_path: Path, name: str, obj: object) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(obj) if not isinstance(obj, str) else obj)
    return p


def _check(*args: str) -> tuple[int, dict]:
    r = runner.invoke(app, ["check-policy", *args, "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)


def test_passrole_star_opens_admin_and_the_suggested_fix_closes_it(tmp_path):
    code, res = _check(
        str(_file(tmp_path, "passrole-star.json", PASSROLE_STAR)), "--input", str(FIXED), "--attach-to", "freelancer"
    )
    assert code == 1 and res["opens_admin_path"] and res["opens_definite_admin_path"]
    assert res["opened"] == [{"principal": FREELANCER, "definite": True}]
    [new] = [f for f in res["new_findings"] if f["query"] == "privesc-to-admin"]
    assert new["severity"] == "critical" and new["path"][0]["technique"] == "lambda-001"
    cited = {(e["policy"], e["statement"]) for e in new["path"][0]["evidence"]}
    assert cited == {("passrole-star", 0), ("passrole-star", 1)}
    assert "iam:PassedToService" in new["remediation"] and "passrole-star statement 1 (Pass)" in new["remediation"]
    assert {r["reaches"] for r in res["newly_reachable"]} >= {
        "arn:aws:iam::111122223333:role/deploy-admin",
        "iamgraph:admin",
    }
    assert {(g["action"], g["resource"]) for g in res["newly_allowed"]} >= {
        ("iam:PassRole", "*"),
        ("lambda:CreateFunction", "*"),
    }
    assert res["services_newly_allowed"] == ["iam", "lambda"]

    fix = res["suggestion"]
    assert fix["closes"] and fix["verified"]
    pass_stmt = fix["policy"]["Statement"][1]
    assert pass_stmt["Resource"] == ["arn:aws:iam::111122223333:role/lambda-exec-freelancer"]
    assert pass_stmt["Condition"] == {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
    assert fix["policy"]["Statement"][0] == PASSROLE_STAR["Statement"][0]
    # re-check the suggested policy independently: no path
    code, res2 = _check(
        str(_file(tmp_path, "passrole-fixed.json", fix["policy"])), "--input", str(FIXED), "--attach-to", FREELANCER
    )
    assert code == 0 and not res2["opens_admin_path"] and res2["suggestion"] is None
    assert not any(f["query"] == "privesc-to-admin" for f in res2["new_findings"])


def test_harmless_s3_policy_adds_no_path(tmp_path):
    code, res = _check(str(_file(tmp_path, "s3.json", S3_READ)), "--input", str(FIXED), "--attach-to", "freelancer")
    assert code == 0 and not res["opens_admin_path"] and res["new_findings"] == [] and res["newly_reachable"] == []
    assert res["services_newly_allowed"] == ["s3"]
    assert ("s3:GetObject", "arn:aws:s3:::reports/*") in {(g["action"], g["resource"]) for g in res["newly_allowed"]}
    assert all(g["allowed_by"][0]["policy"] == "s3" for g in res["newly_allowed"])


def test_text_output_names_the_verdict_and_the_fix(tmp_path):
    r = runner.invoke(
        app,
        [
            "check-policy",
            str(_file(tmp_path, "p.json", PASSROLE_STAR)),
            "--input",
            str(FIXED),
            "--attach-to",
            "freelancer",
            "--no-color",
        ],
    )
    assert r.exit_code == 1
    assert "UNSAFE: opens a definite path to admin for freelancer" in r.stdout
    assert "verified: re-checking the suggested policy opens no path to admin" in r.stdout
    assert "remediation:" in r.stdout and '"iam:PassedToService": "lambda.amazonaws.com"' in r.stdout


def test_new_role_trusting_a_user(tmp_path):
    pol, trust = _file(tmp_path, "breakglass.json", EVERYTHING), _file(tmp_path, "trust.json", TRUST_FREELANCER)
    code, res = _check(str(pol), "--input", str(FIXED), "--new-role", "breakglass", "--trust", str(trust))
    role = "arn:aws:iam::111122223333:role/breakglass"
    assert code == 1 and res["mode"] == "new-role" and res["target"] == role
    assert {o["principal"] for o in res["opened"]} == {role, FREELANCER}
    via = next(f for f in res["new_findings"] if f["query"] == "privesc-to-admin")
    assert via["source"] == FREELANCER and via["path"][0]["to"] == role
    assert res["suggestion"]["changes"] == [] and "administrator" in res["suggestion"]["note"]


def test_new_role_with_harmless_policy_and_new_user(tmp_path):
    pol, trust = _file(tmp_path, "reports.json", S3_READ), _file(tmp_path, "trust.json", TRUST_LAMBDA)
    code, res = _check(str(pol), "--input", str(FIXED), "--new-role", "reports-fn", "--trust", str(trust))
    assert code == 0 and res["new_findings"] == [] and res["services_newly_allowed"] == ["s3"]
    code, res = _check(str(_file(tmp_path, "pr.json", PASSROLE_STAR)), "--input", str(FIXED), "--new-user", "ci/newbot")
    assert code == 1 and res["opened"] == [{"principal": "arn:aws:iam::111122223333:user/ci/newbot", "definite": True}]


def test_group_attachment_reaches_its_members(tmp_path):
    code, res = _check(str(_file(tmp_path, "s3.json", S3_READ)), "--input", str(GROUPS), "--attach-to", "analysts")
    gaad = json.loads(GROUPS.read_text())
    members = sorted(u["Arn"] for u in gaad["UserDetailList"] if "analysts" in u["GroupList"])
    assert code == 0 and res["mode"] == "group" and res["subjects"] == members
    assert {g["principal"] for g in res["newly_allowed"]} <= set(members)


@pytest.fixture(scope="module")
def snapshots():
    out = {}
    for name in ("freelancer-lambda-passrole-fixed", "freelancer-lambda-passrole-star", "multi-hop-chain"):
        snap = api.load([ROOT / f"samples/{name}.json"])
        out[name] = (snap, scan(snap))
    return out


@pytest.mark.parametrize("doc", [EVERYTHING, S3_READ, PASSROLE_STAR])
def test_a_boundary_never_adds_a_path(snapshots, doc):
    document = parse_policy_document(doc)
    for snap, before in snapshots.values():
        for arn in [*snap.users, *snap.roles]:
            if snap.users.get(arn, snap.roles.get(arn)).permissions_boundary_arn:
                continue
            res, _, _ = check_policy(
                snap, Change(name="b", document=document, attach_to=arn, as_boundary=True), before=before
            )
            assert not res["opens_admin_path"] and res["newly_reachable"] == [] and res["newly_allowed"] == [], arn
            was = admin_reach(before.report)
            assert all(f["source"] in was for f in res["new_findings"] if f["reaches_admin"]), arn


def test_boundary_narrowing_removes_a_path(snapshots):
    snap, before = snapshots["freelancer-lambda-passrole-star"]
    res, _, _ = check_policy(
        snap,
        Change(name="b", document=parse_policy_document(S3_READ), attach_to=FREELANCER, as_boundary=True),
        before=before,
    )
    assert any(f["query"] == "privesc-to-admin" and f["source"] == FREELANCER for f in res["removed_findings"])
    assert ("iam:PassRole", "*") in {(g["action"], g["resource"]) for g in res["newly_denied"]}


@pytest.mark.parametrize(
    "args, words",
    [
        (["--attach-to", "nobody"], "no user, role or group named 'nobody'"),
        (["--attach-to", "admins", "--as-boundary"], "only be set on a user or a role"),
        (["--new-user", "alice.admin"], "already exists"),
        (["--new-role", "x"], "--new-role needs --trust"),
        (["--attach-to", "freelancer", "--new-user", "y"], "exactly one of"),
        ([], "exactly one of"),
        (["--attach-to", "freelancer", "--format", "sarif"], "'sarif' is not one of"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, words):
    r = runner.invoke(app, ["check-policy", str(_file(tmp_path, "s3.json", S3_READ)), "--input", str(FIXED), *args])
    assert r.exit_code == 2 and words in r.stderr and r.stderr.count("\n") == 1, r.output


def test_bad_policy_file_exit_2_names_file_and_path(tmp_path):
    bad = _file(
        tmp_path,
        "bad.json",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": 3, "Resource": "*"}]},
    )
    r = runner.invoke(app, ["check-policy", str(bad), "--input", str(FIXED), "--attach-to", "freelancer"])
    assert r.exit_code == 2 and str(bad) in r.stderr and "$.Statement[0]" in r.stderr and "Traceback" not in r.output
