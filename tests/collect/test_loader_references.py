"""Referenced-but-absent managed policies and groups: warning + incomplete, never silently empty."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from gaad_builders import ACCOUNT, doc, gaad, managed, role, user, write  # noqa: F401 (fixture)

from iamgraph.collect import managed_catalog
from iamgraph.collect.assemble import CATALOGUE_DESCRIPTION
from iamgraph.collect.loader import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
U = f"arn:aws:iam::{ACCOUNT}:user/u"
R = f"arn:aws:iam::{ACCOUNT}:role/r"
G = f"arn:aws:iam::{ACCOUNT}:group/g"
CUSTOM = f"arn:aws:iam::{ACCOUNT}:policy/gone"
POWER = "arn:aws:iam::aws:policy/PowerUserAccess"
LAMBDA_ROLE = "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"


def attach(*arns: str) -> list[dict[str, str]]:
    return [{"PolicyName": a.rsplit("/", 1)[-1], "PolicyArn": a} for a in arns]


def test_missing_customer_policy_warns_and_marks_incomplete(write):
    s = load_snapshot([write(gaad(roles=[role("r", AttachedManagedPolicies=attach(CUSTOM))]))])
    (warning,) = s.warnings
    assert CUSTOM in warning and R in warning and "incomplete" in warning
    assert CUSTOM in s.incomplete[R][0] and "unknown" in s.incomplete[R][0]
    assert CUSTOM not in s.policies  # no invented document
    assert s.identity_policies(R) == ()


def test_missing_boundary_policy_is_reported(write):
    s = load_snapshot([write(gaad(users=[user("u", PermissionsBoundary={"PermissionsBoundaryArn": CUSTOM})]))])
    assert CUSTOM in s.incomplete[U][0]
    assert s.boundary_policies(U) == ()


def test_group_policy_missing_marks_group_and_members(write):
    groups = [{"GroupName": "g", "Arn": G, "AttachedManagedPolicies": attach(CUSTOM)}]
    s = load_snapshot([write(gaad(users=[user("u", GroupList=["g"]), user("other")], groups=groups))])
    assert set(s.incomplete) == {G, U}
    assert G in s.warnings[0] and U in s.warnings[0]


def test_group_missing_from_input_marks_member(write):
    s = load_snapshot([write(gaad(users=[user("u", GroupList=["ghost"])]))])
    assert "ghost" in s.incomplete[U][0]
    assert any("ghost" in w for w in s.warnings)


def test_aws_managed_policy_filled_from_catalogue(write):
    s = load_snapshot([write(gaad(roles=[role("r", AttachedManagedPolicies=attach(POWER, LAMBDA_ROLE))]))])
    power = s.policies[POWER]
    assert power.description == CATALOGUE_DESCRIPTION and power.path == "/"
    stmt = power.default_document.statements[0]
    assert stmt.not_actions and "iam:*" in stmt.not_actions  # PowerUserAccess: everything except IAM/orgs
    lam = s.policies[LAMBDA_ROLE]
    assert (lam.name, lam.path) == ("AWSLambdaRole", "/service-role/")
    assert lam.default_document.statements[0].actions == ("lambda:InvokeFunction",)
    assert {p.ref.id for p in s.identity_policies(R)} == {POWER, LAMBDA_ROLE}
    # still incomplete, and the warning says where the document came from
    assert len(s.incomplete[R]) == 2 and all("bundled catalogue" in r for r in s.incomplete[R])
    assert all("bundled AWS managed policy catalogue" in w for w in s.warnings)


def test_unknown_aws_managed_policy_is_not_invented(write):
    arn = "arn:aws:iam::aws:policy/NoSuchPolicyEver"
    s = load_snapshot([write(gaad(roles=[role("r", AttachedManagedPolicies=attach(arn))]))])
    assert arn not in s.policies and "unknown" in s.incomplete[R][0]


def test_policy_present_in_input_wins_over_catalogue(write):
    body = doc({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"})
    pol = managed("PowerUserAccess", ("v7", True, body), account="aws")
    s = load_snapshot([write(gaad(roles=[role("r", AttachedManagedPolicies=attach(POWER))], policies=[pol]))])
    assert s.policies[POWER].default_document.statements[0].actions == ("s3:ListBucket",)
    assert s.incomplete == {} and s.warnings == ()


def test_policy_without_default_version_counts_as_missing(write):
    a = doc({"Effect": "Allow", "Action": "a:*", "Resource": "*"})
    pol = managed("p", ("v1", False, a), ("v2", False, a))
    arn = f"arn:aws:iam::{ACCOUNT}:policy/p"
    s = load_snapshot([write(gaad(roles=[role("r", AttachedManagedPolicies=attach(arn))], policies=[pol]))])
    assert "no default version" in s.incomplete[R][0]


def test_catalogue_lookup_and_partitions():
    found = managed_catalog.lookup("arn:aws:iam::aws:policy/AdministratorAccess")
    assert found is not None
    _, body = found
    assert body["Statement"] == [{"Action": "*", "Effect": "Allow", "Resource": "*"}]
    assert managed_catalog.lookup("arn:aws-us-gov:iam::aws:policy/AdministratorAccess") == found
    assert managed_catalog.lookup(f"arn:aws:iam::{ACCOUNT}:policy/AdministratorAccess") is None
    assert (
        managed_catalog.aws_managed_key("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
        == "/job-function/ViewOnlyAccess"
    )


def test_build_script_writes_a_compact_catalogue(tmp_path):
    out = tmp_path / "cat.json.gz"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_managed_catalog.py"), str(out)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    data = json.loads(gzip.decompress(out.read_bytes()))
    assert data["source"].startswith("moto ")
    version, body = data["policies"]["/AdministratorAccess"]
    assert version == "v1" and body["Statement"][0]["Action"] == "*"
    assert out.stat().st_size < 1_000_000
