"""Fan-out = one merged scan when permission sets name customer managed policies (issue 12 §2/§4).

A permission set's customer managed policies and boundary are resolved in each account it is
assigned or provisioned in. In one merged scan they are in that account's GAAD; the fan-out's
portal graph (synthetic permission-set roles) and the Identity Center owner's worker (the sso-*
techniques) must see them too, or verdicts differ: a missing policy hides an admin path, a missing
boundary turns a bounded permission set into a false definite admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orgkit import allow, doc, gaad, org_section, role, snapshot, trust

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.fanout import Mode, executor, read_manifest, run_fanout, split_snapshot
from iamgraph.fanout.worker import portals_task, task_key

M, B, C = "111111111111", "333333333333", "444444444444"
INST = "arn:aws:sso:::instance/ssoins-1111222233334444"
PS_CUSTOM = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-custom000000001"
PS_BOUNDED = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-bounded00000001"
SSO_PATH = "/aws-reserved/sso.amazonaws.com/"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
ALICE, BOB = "arn:aws:identitystore:::user/u-alice", "arn:aws:identitystore:::user/u-bob"
OPERATOR = f"arn:aws:iam::{M}:role/sso-operator"


def customer_policy(acct: str, name: str, *statements: dict[str, Any]) -> dict[str, Any]:
    """A GAAD `Policies` entry: a customer managed policy of `acct` (two versions, v2 the default)."""
    return {
        "PolicyName": name,
        "PolicyId": f"ANPA{acct[-4:]}{name.upper()[:12]:X<12}",
        "Arn": f"arn:aws:iam::{acct}:policy/{name}",
        "Path": "/",
        "DefaultVersionId": "v2",
        "AttachmentCount": 0,
        "IsAttachable": True,
        "PolicyVersionList": [
            {"Document": doc(allow("s3:GetObject")), "VersionId": "v1", "IsDefaultVersion": False},
            {"Document": doc(*statements), "VersionId": "v2", "IsDefaultVersion": True},
        ],
    }


def account(acct: str, roles: list[dict[str, Any]] = [], *, admin_policy: bool = True) -> dict[str, Any]:  # noqa: B006
    g = gaad(roles=roles)
    g["Policies"] += [customer_policy(acct, "cm-boundary", allow("s3:*"))]
    if admin_policy:
        g["Policies"] += [customer_policy(acct, "cm-admin", allow("*"))]
    return g


def org_document() -> dict[str, Any]:
    operator = role(
        M,
        "sso-operator",
        trust(f"arn:aws:iam::{M}:root"),
        # may assign only the customer-managed permission set
        allow("sso:CreateAccountAssignment", [INST, PS_CUSTOM, "arn:aws:sso:::account/*"]),
    )
    sso_b = role(B, "AWSReservedSSO_CustomAdmin_0123456789abcdef", trust(f"arn:aws:iam::{B}:root"), path=SSO_PATH)
    sso_b["AttachedManagedPolicies"] = [{"PolicyName": "cm-admin", "PolicyArn": f"arn:aws:iam::{B}:policy/cm-admin"}]
    ic = {
        "instance_arn": INST,
        "identity_store_id": "d-1234567890",
        "owner_account": M,
        "permission_sets": [
            {
                "arn": PS_CUSTOM,
                "name": "CustomAdmin",
                "customer_managed_policies": [{"name": "cm-admin", "path": "/"}],
                "provisioned_accounts": [B, C],
            },
            {
                "arn": PS_BOUNDED,
                "name": "Bounded",
                "managed_policies": [ADMIN_ARN],
                "permissions_boundary": {"customer_managed": {"name": "cm-boundary", "path": "/"}},
                "provisioned_accounts": [C],
            },
        ],
        "users": [
            {"id": "u-alice", "user_name": "alice@corp", "display_name": "Alice"},
            {"id": "u-bob", "user_name": "bob@corp", "display_name": "Bob"},
        ],
        "groups": [{"id": "g-ops", "display_name": "Ops"}],
        "memberships": [{"group_id": "g-ops", "user_id": "u-alice"}],
        "assignments": [
            # B has the provisioned role; in C it is synthesised from the permission set
            {"permission_set_arn": PS_CUSTOM, "account_id": B, "principal_type": "GROUP", "principal_id": "g-ops"},
            {"permission_set_arn": PS_CUSTOM, "account_id": C, "principal_type": "GROUP", "principal_id": "g-ops"},
            {"permission_set_arn": PS_BOUNDED, "account_id": C, "principal_type": "USER", "principal_id": "u-bob"},
        ],
    }
    accts = {M: account(M, [operator], admin_policy=False), B: account(B, [sso_b]), C: account(C)}
    return snapshot(accts, org_section({M: "mgmt", B: "prod", C: "dev"}, management=M), ic)


def triples(report: dict[str, Any]) -> set[tuple[str, str, bool]]:
    return {(f["source"], f["admin_account"], f["conditional"]) for f in report["findings"]}


def fanout(tmp_path: Path) -> dict[str, Any]:
    with executor(Mode.SERIAL) as ex:
        return run_fanout(read_manifest(split_snapshot(org_document(), tmp_path)), ex)[0]


def test_fanout_equals_one_merged_scan_with_customer_managed_policies(tmp_path: Path) -> None:
    merged = api.run_queries(
        api.build_graph(parse_snapshot_document(org_document(), file="org.json")), ("privesc-to-admin",)
    )
    report = fanout(tmp_path)
    assert triples(report) == triples(merged)
    found = triples(report)
    # the synthetic CustomAdmin role in C is admin through C's cm-admin policy (default version)
    assert (ALICE, C, False) in found and (ALICE, B, False) in found
    alice_c = next(f for f in report["findings"] if (f["source"], f["admin_account"]) == (ALICE, C))
    assert alice_c["path"][-1]["evidence"][0]["policy"] == f"arn:aws:iam::{C}:policy/cm-admin"
    # Bounded is bounded by C's cm-boundary (s3 only): no admin for bob
    assert not any(s == BOB for s, _, _ in found)
    # the operator may assign CustomAdmin, which is admin in B and C only through their cm-admin
    assert {(a, c) for s, a, c in found if s == OPERATOR} == {(B, True), (C, True)}


def test_phase_0_exports_the_named_customer_policies_and_they_key_the_cache(tmp_path: Path) -> None:
    manifest = read_manifest(split_snapshot(org_document(), tmp_path))
    files = dict(manifest.accounts)
    got = portals_task(
        {"account": C, "file": str(files[C]), "org": manifest.organization, "ic": manifest.identity_center}
    )
    pols = {p["Arn"]: p for p in got["policies"]}
    assert sorted(pols) == [f"arn:aws:iam::{C}:policy/cm-admin", f"arn:aws:iam::{C}:policy/cm-boundary"]
    # default version only
    assert [v["VersionId"] for v in pols[f"arn:aws:iam::{C}:policy/cm-admin"]["PolicyVersionList"]] == ["v2"]
    m = portals_task(
        {"account": M, "file": str(files[M]), "org": manifest.organization, "ic": manifest.identity_center}
    )
    assert [p["Arn"] for p in m["policies"]] == [f"arn:aws:iam::{M}:policy/cm-boundary"]
    task = {"file": str(files[M]), "org": manifest.organization, "ic": manifest.identity_center, "accounts": [M, B, C]}
    assert task_key({**task, "policies": got["policies"]}) != task_key({**task, "policies": []})
