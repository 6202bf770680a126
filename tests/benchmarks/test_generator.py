"""The quota-scale account generator: deterministic, valid GAAD, scaled as asked, truth consistent,
and noise free of IAM writes / unscoped PassRole (what makes its truth exhaustive)."""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("generate_account", ROOT / "benchmarks" / "generate_account.py")
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["generate_account"] = gen
_spec.loader.exec_module(gen)  # type: ignore[union-attr]

ROLES = 200


@pytest.fixture(scope="module")
def account() -> tuple[dict[str, Any], dict[str, Any]]:
    return gen.generate(ROLES, 3)


def _arns(gaad: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["Arn"]: e for key in ("UserDetailList", "GroupDetailList", "RoleDetailList") for e in gaad[key]}


def _listify(v: str | list[str]) -> list[str]:
    return [v] if isinstance(v, str) else v


def test_same_seed_same_bytes_other_seed_differs(account: tuple[dict[str, Any], dict[str, Any]]) -> None:
    again = gen.generate(ROLES, 3)
    assert json.dumps(again) == json.dumps(account)
    assert json.dumps(gen.generate(ROLES, 4)[0]) != json.dumps(account[0])


def test_cli_writes_gaad_and_truth_that_the_loader_reads(tmp_path: Path) -> None:
    out = tmp_path / "acct.json"
    assert gen.main(["--roles", str(ROLES), "--seed", "3", "--out", str(out)]) == 0
    truth = json.loads(Path(f"{out}.truth.json").read_text())
    assert truth["roles"] == ROLES and truth["seed"] == 3
    from iamgraph.collect.loader import load_snapshot

    snap = load_snapshot([out])
    assert len(snap.roles) == ROLES
    assert len(snap.users) == ROLES // 2
    assert snap.account_ids == ("111122223333",)
    assert not snap.incomplete  # every attached / boundary policy is in the file


@pytest.mark.parametrize("roles", [ROLES, 2 * ROLES])
def test_sizes_scale_as_requested(roles: int) -> None:
    gaad, truth = gen.generate(roles, 1)
    assert len(gaad["RoleDetailList"]) == roles
    assert len(gaad["UserDetailList"]) == roles // 2
    assert len(gaad["GroupDetailList"]) == min(300, max(12, roles // 20))
    customer = [p for p in gaad["Policies"] if ":aws:policy/" not in p["Arn"]]
    assert len(customer) == roles // 2 == truth["counts"]["customer_policies"]


def test_truth_names_existing_principals(account: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gaad, truth = account
    arns = _arns(gaad)
    planted = [e["source"] for e in truth["reaches_admin"]]
    misses = [e["source"] for e in truth["near_misses"]]
    assert len(planted) >= 5 and len(misses) >= 5
    assert not set(planted) & set(misses)
    for arn in [*planted, *misses, *truth["admins"], *(a for v in truth["risky_trust"].values() for a in v)]:
        assert arn in arns, arn
    for arn in truth["admins"]:
        e = arns[arn]
        groups = [g for g in gaad["GroupDetailList"] if g["GroupName"] in e.get("GroupList", [])]
        attached = [p["PolicyArn"] for x in (e, *groups) for p in x["AttachedManagedPolicies"]]
        assert "arn:aws:iam::aws:policy/AdministratorAccess" in attached, arn


def test_policies_are_consistent_and_aws_managed_documents_are_real(
    account: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    gaad, _ = account
    policies = {p["Arn"]: p for p in gaad["Policies"]}
    counts: dict[str, int] = dict.fromkeys(policies, 0)
    for e in _arns(gaad).values():
        for a in e["AttachedManagedPolicies"]:
            counts[a["PolicyArn"]] += 1  # KeyError = attached policy missing from Policies
        if "PermissionsBoundary" in e:
            assert e["PermissionsBoundary"]["PermissionsBoundaryArn"] in policies
    catalog = gen.aws_managed_catalog()
    multi = 0
    for arn, p in policies.items():
        assert p["AttachmentCount"] == counts[arn], arn
        versions = p["PolicyVersionList"]
        assert 1 <= len(versions) <= 5
        defaults = [v for v in versions if v["IsDefaultVersion"]]
        assert len(defaults) == 1 and defaults[0]["VersionId"] == p["DefaultVersionId"]
        multi += len(versions) > 1
        if ":aws:policy/" in arn:
            assert defaults[0]["Document"] == catalog[p["PolicyName"]]["Document"]
    assert multi >= 3


def test_account_has_the_realistic_shapes(account: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gaad, truth = account
    roles = gaad["RoleDetailList"]
    services = {
        s
        for r in roles
        for st in r["AssumeRolePolicyDocument"]["Statement"]
        for s in _listify(st["Principal"].get("Service", []))
    }
    assert {
        "lambda.amazonaws.com",
        "ec2.amazonaws.com",
        "ecs-tasks.amazonaws.com",
        "glue.amazonaws.com",
        "codebuild.amazonaws.com",
        "sagemaker.amazonaws.com",
        "cloudformation.amazonaws.com",
        "states.amazonaws.com",
        "events.amazonaws.com",
    } <= services
    assert any(r["InstanceProfileList"] for r in roles)
    assert any(
        r["Path"] == "/aws-reserved/sso.amazonaws.com/" and r["RoleName"].startswith("AWSReservedSSO_") for r in roles
    )
    rt = truth["risky_trust"]
    assert all(
        rt[k] for k in ("cross_account_without_external_id", "cross_account_with_external_id", "oidc_with_sub", "saml")
    )
    assert any(len(u["GroupList"]) >= 3 for u in gaad["UserDetailList"])
    text = json.dumps(gaad)
    for needle in (
        '"NotAction"',
        '"Deny"',
        "aws:MultiFactorAuthPresent",
        "aws:SourceIp",
        "aws:RequestedRegion",
        "aws:PrincipalTag",
        "iam:PassedToService",
        "PermissionsBoundaryArn",
    ):
        assert needle in text, needle


# concrete escalation-relevant actions; a grant covers one when its (wildcard) action matches it
IAM_WRITES = (
    "iam:createpolicyversion",
    "iam:setdefaultpolicyversion",
    "iam:putuserpolicy",
    "iam:putrolepolicy",
    "iam:putgrouppolicy",
    "iam:attachuserpolicy",
    "iam:attachrolepolicy",
    "iam:attachgrouppolicy",
    "iam:updateassumerolepolicy",
    "iam:addusertogroup",
    "iam:passrole",
    "iam:createaccesskey",
    "iam:createloginprofile",
    "iam:updateloginprofile",
    "iam:createuser",
    "iam:createrole",
    "iam:deleteuserpermissionsboundary",
    "iam:deleterolepermissionsboundary",
    "sts:assumerole",
)


def _write_grants(document: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out = []
    for st in _listify(document["Statement"]):
        if st["Effect"] != "Allow" or "NotAction" in st:
            continue
        for action in _listify(st["Action"]):
            if any(fnmatch.fnmatchcase(w, action.lower()) for w in IAM_WRITES):
                out.append((action, _listify(st["Resource"])))
    return out


def test_noise_holds_no_iam_writes_or_unscoped_passrole(account: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The rules N-1..N-3 of generate_account.py, checked on customer documents of non-planted principals."""
    gaad, truth = account
    planted = {e["source"] for e in (*truth["reaches_admin"], *truth["near_misses"])} | set(truth["admins"])
    policies = {p["Arn"]: p for p in gaad["Policies"]}
    groups = {g["GroupName"]: g for g in gaad["GroupDetailList"]}
    checked = 0
    for arn, e in _arns(gaad).items():
        if arn in planted or ":group/" in arn or e.get("Path", "").startswith("/aws-service-role/"):
            continue
        holders = [e, *(groups[n] for n in e.get("GroupList", []))]
        docs = [
            p["PolicyDocument"]
            for h in holders
            for p in h.get("UserPolicyList", h.get("RolePolicyList", h.get("GroupPolicyList", [])))
        ]
        for h in holders:
            for a in h["AttachedManagedPolicies"]:
                if ":aws:policy/" not in a["PolicyArn"]:
                    docs += [v["Document"] for v in policies[a["PolicyArn"]]["PolicyVersionList"]]
        for d in docs:
            for action, resources in _write_grants(d):
                checked += 1
                if action == "iam:PassRole":
                    assert all(":role/app-" in r for r in resources), (arn, resources)
                else:
                    assert all("${aws:username}" in r for r in resources), (arn, action, resources)
    assert checked > 10
