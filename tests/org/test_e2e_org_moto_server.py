"""End to end over HTTP (issue 12 §3): moto_server on 127.0.0.1 with an organisation of four
accounts and a cross-account chain, Identity Center in the management account, and the real
`iamgraph` CLI in subprocesses: `collect --org`, then `scan` of the snapshot and `fanout` of it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

VENV_BIN = Path(sys.executable).parent
KEY_ID, SECRET = "AKIAE2EORGEXAMPLE001", "e2eOrgSecretExample/000000000000000000000"
BUILD = r"""
import json, sys, boto3
o = boto3.client("organizations")
o.create_organization(FeatureSet="ALL")
members = [o.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")["CreateAccountStatus"]["AccountId"]
           for i in range(3)]
def iam_in(acct):
    c = boto3.client("sts").assume_role(RoleArn=f"arn:aws:iam::{acct}:role/OrganizationAccountAccessRole",
                                        RoleSessionName="setup")["Credentials"]
    return boto3.client("iam", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                        aws_session_token=c["SessionToken"])
a, b, c = members
doc = lambda *s: json.dumps({"Version": "2012-10-17", "Statement": list(s)})
ia, ib, ic = iam_in(a), iam_in(b), iam_in(c)
ia.create_user(UserName="ci")
ia.put_user_policy(UserName="ci", PolicyName="p", PolicyDocument=doc(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{b}:role/relay"}))
ib.create_role(RoleName="relay", AssumeRolePolicyDocument=doc(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a}:root"}, "Action": "sts:AssumeRole"}))
ib.put_role_policy(RoleName="relay", PolicyName="p", PolicyDocument=doc(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{c}:role/prod-admin"}))
ic.create_role(RoleName="prod-admin", AssumeRolePolicyDocument=doc(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{b}:role/relay"}, "Action": "sts:AssumeRole"}))
ic.put_role_policy(RoleName="prod-admin", PolicyName="admin", PolicyDocument=doc({"Effect": "Allow", "Action": "*", "Resource": "*"}))
sso = boto3.client("sso-admin")
inst = sso.list_instances()["Instances"][0]
ps = sso.create_permission_set(InstanceArn=inst["InstanceArn"], Name="ReadOnly")["PermissionSet"]["PermissionSetArn"]
ids = boto3.client("identitystore")
uid = ids.create_user(IdentityStoreId=inst["IdentityStoreId"], UserName="alice@corp", DisplayName="Alice",
                      Name={"GivenName": "A", "FamilyName": "L"})["UserId"]
sso.create_account_assignment(InstanceArn=inst["InstanceArn"], TargetId=boto3.client("sts").get_caller_identity()["Account"],
                              TargetType="AWS_ACCOUNT", PermissionSetArn=ps, PrincipalType="USER", PrincipalId=uid)
print(json.dumps(members))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("e2e-org")
    with _livekit().moto_server(tmp, KEY_ID, SECRET) as env:
        built = subprocess.run(
            [sys.executable, "-c", BUILD],
            env={**env, "AWS_PROFILE": "test"},
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        yield {"env": env, "tmp": tmp, "members": json.loads(built.stdout.strip().splitlines()[-1])}


def _livekit() -> Any:
    """tests/live/livekit.py by path (the moto_server helper the live end-to-end test uses too)."""
    if "iamgraph_livekit" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "iamgraph_livekit", Path(__file__).resolve().parents[1] / "live" / "livekit.py"
        )
        assert spec is not None and spec.loader is not None
        sys.modules["iamgraph_livekit"] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules["iamgraph_livekit"]


def _iamgraph(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(VENV_BIN / "iamgraph"), *args], env=env, capture_output=True, text=True, timeout=300)


def test_collect_org_scan_and_fanout_over_http(server: dict[str, Any]) -> None:
    env, tmp = server["env"], Path(server["tmp"])
    a, b, c = server["members"]
    out = tmp / "org.json"
    run = _iamgraph(["collect", "--org", "--profile", "test", "--region", "us-east-1", "-o", str(out)], env)
    assert run.returncode == 0, run.stderr
    doc = json.loads(out.read_text())
    assert {x["account_id"] for x in doc["accounts"]} >= {a, b, c}
    assert doc["identity_center"]["users"][0]["user_name"] == "alice@corp"
    assert KEY_ID not in out.read_text() and SECRET not in out.read_text() and SECRET not in run.stderr
    scan = _iamgraph(["scan", "--input", str(out), "--format", "json"], env)
    assert scan.returncode == 0, scan.stderr
    chain = [
        f
        for f in json.loads(scan.stdout)["findings"]
        if f["query"] == "privesc-to-admin" and f["source"] == f"arn:aws:iam::{a}:user/ci"
    ]
    assert [(f["admin_account"], f["conditional"], [h["technique"] for h in f["path"]]) for f in chain] == [
        (c, False, ["sts-001", "sts-001", "admin"])
    ]
    fan = _iamgraph(["fanout", str(out), "--executor", "process", "--workers", "2", "--format", "json"], env)
    assert fan.returncode == 0, fan.stderr
    got = {(f["source"], f["admin_account"], f["conditional"]) for f in json.loads(fan.stdout)["findings"]}
    assert (f"arn:aws:iam::{a}:user/ci", c, False) in got
