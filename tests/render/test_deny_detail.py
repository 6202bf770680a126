"""A hop kept conditional by a Deny whose condition cannot be decided names that Deny (issue 11):
in the JSON evidence row (`denied_by`) and in the terminal block ("unless denied by ...")."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from iamgraph.cli import app

ACCT = "111122223333"


def _account(tmp_path: Path, deny_condition: dict[str, object] | None) -> Path:
    deny: dict[str, object] = {
        "Sid": "OfficeOnly",
        "Effect": "Deny",
        "Action": "lambda:CreateFunction",
        "Resource": "*",
    }
    if deny_condition is not None:
        deny["Condition"] = deny_condition
    gaad = {
        "UserDetailList": [
            {
                "UserName": "dev",
                "Arn": f"arn:aws:iam::{ACCT}:user/dev",
                "Path": "/",
                "UserPolicyList": [
                    {
                        "PolicyName": "p",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "All",
                                    "Effect": "Allow",
                                    "Resource": "*",
                                    "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
                                },
                                deny,
                            ],
                        },
                    }
                ],
            }
        ],
        "GroupDetailList": [],
        "RoleDetailList": [
            {
                "RoleName": "adm",
                "Arn": f"arn:aws:iam::{ACCT}:role/adm",
                "Path": "/",
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "RolePolicyList": [
                    {
                        "PolicyName": "admin",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
                        },
                    }
                ],
            }
        ],
        "Policies": [],
    }
    path = tmp_path / "gaad.json"
    path.write_text(json.dumps(gaad))
    return path


def _scan(path: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        app, ["scan", "--input", str(path), "--query", "privesc-to-admin", *extra], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_undecided_deny_is_named_in_json_and_text(tmp_path: Path) -> None:
    path = _account(tmp_path, {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    report = json.loads(_scan(path, "--format", "json"))
    [finding] = report["findings"]
    assert finding["conditional"] is True
    rows = {r["action"]: r for r in finding["path"][0]["evidence"]}
    create = rows["lambda:CreateFunction"]
    assert create["condition_keys"] == ["aws:SourceIp"]
    assert [(d["policy"], d["statement"], d["sid"]) for d in create["denied_by"]] == [("p", 1, "OfficeOnly")]
    assert "denied_by" not in rows["iam:PassRole"]  # only the request the Deny may catch
    text = _scan(path)
    assert "unless denied by policy p statement 1 (Sid OfficeOnly)" in text


def test_a_decided_deny_leaves_no_path_and_no_deny_row(tmp_path: Path) -> None:
    report = json.loads(_scan(_account(tmp_path, None), "--format", "json"))
    assert report["findings"] == []
