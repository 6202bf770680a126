"""`collect --org` under moto (issue 12 §3): Organizations paging, the member role assumed into each
account, an account that cannot be entered becomes a gap, Identity Center read once, IAM enforced
with the shipped management policy.

moto cannot emulate: the AWSReservedSSO_ roles Identity Center provisions (ProvisionPermissionSet
creates none), GetPermissionsBoundaryForPermissionSet (not implemented: recorded as a gap, pinned
here), ListAccountsForProvisionedPermissionSet beyond the caller's account, and
iam:ListOrganizationsFeatures. The provisioned-role linkage is tested on fixtures in
test_identity_center.py."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.authorization import enable_iam_authentication
from moto.core.base_backend import BackendDict

from iamgraph import api
from iamgraph.collect.live.org_collect import collect_org_document
from iamgraph.collect.readonly import (
    ORG_OPERATIONS,
    OperationRecorder,
    iam_action,
    org_management_policy,
    org_member_policy,
)
from iamgraph.collect.snapshot_io import parse_snapshot_document

ROOT = ("AKIAROOTEXAMPLE00001", "rootSecretExample/0000000000000000000000")


@pytest.fixture()
def org(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    for var in list(os.environ):
        if var.startswith("AWS_"):
            monkeypatch.delenv(var)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ROOT[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ROOT[1])
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with mock_aws():
        # a mock started inside another (tests/live keeps a session-wide account) shares its
        # backends: start this organisation from empty ones
        BackendDict.reset()
        o = boto3.client("organizations", region_name="us-east-1")
        o.create_organization(FeatureSet="ALL")
        members = [
            o.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")["CreateAccountStatus"]["AccountId"]
            for i in range(3)
        ]
        mgmt = boto3.client("sts").get_caller_identity()["Account"]

        def iam_in(acct: str) -> Any:
            c = boto3.client("sts").assume_role(
                RoleArn=f"arn:aws:iam::{acct}:role/OrganizationAccountAccessRole", RoleSessionName="setup"
            )["Credentials"]
            return boto3.client(
                "iam",
                aws_access_key_id=c["AccessKeyId"],
                aws_secret_access_key=c["SecretAccessKey"],
                aws_session_token=c["SessionToken"],
                region_name="us-east-1",
            )

        a, b = members[0], members[1]
        ia, ib = iam_in(a), iam_in(b)
        member_policy = org_member_policy()
        member_policy["Statement"][0]["Action"].append("s3:ListBuckets")  # moto's alias (tests/live/conftest.py)
        for c in (ia, ib):  # moto attaches no policy to the member role: give it the shipped one
            c.put_role_policy(
                RoleName="OrganizationAccountAccessRole",
                PolicyName="iamgraph-scan",
                PolicyDocument=json.dumps(member_policy),
            )
        root_id = o.list_roots()["Roots"][0]["Id"]
        o.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
        t = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a}:role/ci"}, "Action": "sts:AssumeRole"}
            ],
        }
        ib.create_role(RoleName="deploy", AssumeRolePolicyDocument=json.dumps(t))
        ib.put_role_policy(
            RoleName="deploy",
            PolicyName="admin",
            PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            ),
        )
        t_ci = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "token.actions.githubusercontent.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ],
        }
        ia.create_role(RoleName="ci", AssumeRolePolicyDocument=json.dumps(t_ci))
        ia.put_role_policy(
            RoleName="ci",
            PolicyName="deploy",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{b}:role/deploy"}
                    ],
                }
            ),
        )
        # Identity Center in the management account
        sso = boto3.client("sso-admin", region_name="us-east-1")
        inst = sso.list_instances()["Instances"][0]
        ps = sso.create_permission_set(InstanceArn=inst["InstanceArn"], Name="Admin")["PermissionSet"][
            "PermissionSetArn"
        ]
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=inst["InstanceArn"],
            PermissionSetArn=ps,
            ManagedPolicyArn="arn:aws:iam::aws:policy/AdministratorAccess",
        )
        ids = boto3.client("identitystore", region_name="us-east-1")
        uid = ids.create_user(
            IdentityStoreId=inst["IdentityStoreId"],
            UserName="alice@corp",
            DisplayName="Alice",
            Name={"GivenName": "A", "FamilyName": "L"},
            Emails=[{"Value": "alice@example.com", "Primary": True}],
        )["UserId"]
        gid = ids.create_group(IdentityStoreId=inst["IdentityStoreId"], DisplayName="Admins")["GroupId"]
        ids.create_group_membership(IdentityStoreId=inst["IdentityStoreId"], GroupId=gid, MemberId={"UserId": uid})
        sso.create_account_assignment(
            InstanceArn=inst["InstanceArn"],
            TargetId=mgmt,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=ps,
            PrincipalType="GROUP",
            PrincipalId=gid,
        )
        # the scanner user in the management account, with the shipped management policy
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_user(UserName="scanner")
        policy = org_management_policy()
        policy["Statement"].append(
            {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{members[2]}:role/*"}
        )  # one account stays closed
        policy["Statement"][0]["Action"].append("s3:ListBuckets")  # moto's alias (tests/live/conftest.py)
        iam.put_user_policy(UserName="scanner", PolicyName="scan", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName="scanner")["AccessKey"]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        yield {"mgmt": mgmt, "members": members, "key": key}


def test_collect_org_under_enforced_iam(org: dict[str, Any]) -> None:
    recorder = OperationRecorder()
    with enable_iam_authentication():
        doc = collect_org_document(profile=None, regions=["us-east-1"], concurrency=2, recorder=recorder)
    got = {a["account_id"]: a for a in doc["accounts"]}
    a, b, closed = org["members"]
    assert set(got) == {org["mgmt"], a, b, closed}
    assert got[closed]["authorization_details"] == {}
    assert got[closed]["collection_gaps"][0]["api"] == "sts:AssumeRole"
    assert {r["RoleName"] for r in got[b]["authorization_details"]["RoleDetailList"]} >= {
        "deploy",
        "OrganizationAccountAccessRole",
    }
    o = doc["organization"]
    assert o["management_account"] == org["mgmt"] and {m["id"] for m in o["members"]} == set(got)
    ic = doc["identity_center"]
    assert [u["user_name"] for u in ic["users"]] == ["alice@corp"] and "alice@example.com" not in json.dumps(doc)
    assert ic["memberships"] and ic["permission_sets"][0]["managed_policies"] == [
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ]
    gaps = [g for acc in doc["accounts"] for g in acc.get("collection_gaps", [])]
    assert any(g["api"] == "sso:GetPermissionsBoundaryForPermissionSet" for g in gaps)  # moto does not implement it
    assert any(g["api"] == "iam:ListOrganizationsFeatures" for g in gaps) and o["root_sessions_enabled"] is None
    assert not any("AccessDenied" in g["detail"] for acc in (got[a], got[b]) for g in acc["collection_gaps"])
    assert set(o["accounts"]) == {org["mgmt"], a, b}  # OU paths (SCPs) of every collected account
    # everything issued is allowed by the shipped management policy (and nothing else was sent)
    granted = set(org_management_policy()["Statement"][0]["Action"]) | {"sts:AssumeRole"}
    assert {iam_action(*op) for op in recorder.operations} <= granted
    assert {iam_action(*op) for op in ORG_OPERATIONS} <= granted
    assert org["key"]["SecretAccessKey"] not in json.dumps(doc)
    # the cross-account chain is found in the collected organisation
    report = api.run_queries(api.build_graph(parse_snapshot_document(doc, file="org.json")), ("privesc-to-admin",))
    hits = {(f["source"], f["admin_account"], f["conditional"]) for f in report["findings"]}
    assert (f"arn:aws:iam::{a}:role/ci", b, False) in hits


def test_member_policy_is_the_account_scan_policy() -> None:
    from iamgraph.collect.readonly import minimal_policy

    assert org_member_policy() == minimal_policy()
    stmts = org_management_policy("ScanRole")["Statement"]
    assert stmts[1] == {
        "Sid": "IamgraphEnterMemberAccounts",
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::*:role/ScanRole",
    }


def test_cli_collect_org_then_scan(org: dict[str, Any], tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from iamgraph.cli import commands_collect  # noqa: F401 - registers the commands
    from iamgraph.cli.app import app

    out = tmp_path / "org.json"
    with enable_iam_authentication():
        r = CliRunner().invoke(
            app, ["collect", "--org", "--output", str(out), "--region", "us-east-1", "--quiet", "--concurrency", "3"]
        )
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    assert len(doc["accounts"]) == 4 and "identity_center" in doc
    report = api.run_queries(api.build_graph(api.load([out])), ("privesc-to-admin",))
    a, b, _ = org["members"]
    assert any(f["source"] == f"arn:aws:iam::{a}:role/ci" and f["admin_account"] == b for f in report["findings"])


def test_shipped_org_policies_are_the_generated_ones() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    assert json.loads((docs / "minimal-org-management-policy.json").read_text()) == org_management_policy()
    assert json.loads((docs / "minimal-org-member-policy.json").read_text()) == org_member_policy()


def test_cli_scan_org(org: dict[str, Any]) -> None:
    from typer.testing import CliRunner

    from iamgraph.cli import commands_scan  # noqa: F401 - registers the commands
    from iamgraph.cli.app import app

    with enable_iam_authentication():
        r = CliRunner().invoke(app, ["scan", "--org", "--region", "us-east-1", "--format", "json", "--quiet"])
    assert r.exit_code == 0, r.output
    a, b, _ = org["members"]
    findings = json.loads(r.stdout)["findings"]
    assert any(
        f["source"] == f"arn:aws:iam::{a}:role/ci" and f.get("admin_account") == b and not f["conditional"]
        for f in findings
    )
    assert CliRunner().invoke(app, ["scan", "--org", "--input", "x.json"]).exit_code == 2
