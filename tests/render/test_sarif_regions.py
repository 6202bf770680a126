"""SARIF regions: the cited statement's lines and columns in the input file (GAAD, snapshot, UTF-16, encoded)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from iamgraph.render.sarif_regions import locate

SAMPLES = Path(__file__).parents[2] / "samples"
FREELANCER = "arn:aws:iam::111122223333:user/contractors/freelancer"


def _text_at(path: Path, region, encoding: str = "utf-8") -> str:
    lines = path.read_text(encoding=encoding).splitlines(keepends=True)
    if region.start_line == region.end_line:
        return lines[region.start_line - 1][region.start_column - 1 : region.end_column - 1]
    body = [lines[region.start_line - 1][region.start_column - 1 :]]
    body += lines[region.start_line : region.end_line - 1]
    body.append(lines[region.end_line - 1][: region.end_column - 1])
    return "".join(body)


def test_inline_statement_of_the_freelancer_sample():
    path = SAMPLES / "freelancer-lambda-passrole-star.json"
    found = locate(
        [str(path)],
        {
            "policy": "lambda-freelance-dev",
            "policy_type": "inline",
            "statement": 4,
            "sid": "PassRole",
            "attached_to": FREELANCER,
        },
    )
    assert found is not None and found[0] == str(path)
    text = _text_at(path, found[1])
    assert json.loads(text) == {"Sid": "PassRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}


def test_managed_policy_default_version_statement(tmp_path):
    doc_v1 = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Old", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
    doc_v2 = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Sid": "B", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        ],
    }
    arn = "arn:aws:iam::111122223333:policy/p"
    gaad = {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [
            {
                "PolicyName": "p",
                "Arn": arn,
                "DefaultVersionId": "v2",
                "PolicyVersionList": [
                    {"Document": doc_v1, "VersionId": "v1", "IsDefaultVersion": False},
                    {"Document": doc_v2, "VersionId": "v2", "IsDefaultVersion": True},
                ],
            }
        ],
    }
    path = tmp_path / "gaad.json"
    path.write_text(json.dumps(gaad, indent=4), encoding="utf-8")
    _, region = locate([str(path)], {"policy": arn, "policy_type": "managed", "statement": 1})
    assert json.loads(_text_at(path, region))["Sid"] == "B"
    # a snapshot nests the GAAD; the same statement is found under it, UTF-16 with BOM too
    snap = tmp_path / "snap.json"
    snap.write_text(
        json.dumps({"format": "iamgraph-snapshot", "authorization_details": gaad}, indent=2), encoding="utf-16"
    )
    _, region = locate([str(snap)], {"policy": arn, "policy_type": "managed", "statement": 0})
    assert json.loads(_text_at(snap, region, "utf-16"))["Sid"] == "A"


def test_trust_policy_and_url_encoded_documents(tmp_path):
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {
                "Sid": "Vendor",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                "Action": "sts:AssumeRole",
            },
        ],
    }
    role = "arn:aws:iam::111122223333:role/r"
    gaad = {
        "RoleDetailList": [
            {
                "RoleName": "r",
                "Arn": role,
                "AssumeRolePolicyDocument": trust,
                "RolePolicyList": [
                    {
                        "PolicyName": "enc",
                        "PolicyDocument": urllib.parse.quote(
                            json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
                        ),
                    }
                ],
            }
        ]
    }
    path = tmp_path / "gaad.json"
    path.write_text(json.dumps(gaad), encoding="utf-8")  # one line: columns matter
    _, region = locate(
        [str(path)], {"policy": "trust-policy", "policy_type": "trust", "statement": 1, "attached_to": role}
    )
    assert region.start_line == region.end_line == 1
    assert json.loads(_text_at(path, region))["Sid"] == "Vendor"
    _, region = locate([str(path)], {"policy": "enc", "policy_type": "inline", "statement": 0, "attached_to": role})
    assert _text_at(path, region).startswith('"%7B') or _text_at(path, region).startswith('"%7b')


def test_not_found_is_none(tmp_path):
    path = SAMPLES / "freelancer-lambda-passrole-star.json"
    assert (
        locate([str(path)], {"policy": "nope", "policy_type": "inline", "statement": 0, "attached_to": FREELANCER})
        is None
    )
    assert locate([str(tmp_path / "missing.json")], {"policy": "p", "policy_type": "inline", "statement": 0}) is None


def test_sarif_results_point_at_the_statement_lines(tmp_path):
    from iamgraph import api
    from iamgraph.render.sarif import render_sarif

    path = SAMPLES / "freelancer-lambda-passrole-star.json"
    from iamgraph.query.report import Report

    report = api.scan_files([path])
    data = report if isinstance(report, dict) else report.to_json()
    report = Report.from_json({**data, "inputs": [str(path)]})
    log = render_sarif(report)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "privesc-to-admin/lambda-001")
    phys = result["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == str(path)
    region = phys["region"]
    lines = path.read_text(encoding="utf-8").splitlines()
    cited = "\n".join(lines[region["startLine"] - 1 : region["endLine"]])
    assert '"Sid": "PassRole"' in cited and "FreelancerFunctions" not in cited
    # every hop of the code flow with statement evidence has a region too
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert all("region" in f["location"]["physicalLocation"] for f in flow)
