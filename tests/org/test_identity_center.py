"""Identity Center in the graph (issue 12 §2): people and groups, assignments to the provisioned
AWSReservedSSO_ roles (synthetic where the account is not collected), the sso techniques, and
`reach`/`path` with an Identity Center user as the source."""

from __future__ import annotations

from typing import Any

import pytest
from orgkit import ADMIN_ARN, allow, deny, gaad, org_section, role, scp, snapshot, trust

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document, snapshot_to_document
from iamgraph.errors import InputError

M, B, C = "111111111111", "333333333333", "444444444444"
INST = "arn:aws:sso:::instance/ssoins-1111222233334444"
PS_ADMIN = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-admin0000000001"
PS_HELP = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-help00000000001"
SAML = {"Federated": f"arn:aws:iam::{B}:saml-provider/AWSSSO_abc_DO_NOT_DELETE"}
SSO_PATH = "/aws-reserved/sso.amazonaws.com/"


def sso_trust(acct: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                "Principal": {"Federated": f"arn:aws:iam::{acct}:saml-provider/AWSSSO_abc_DO_NOT_DELETE"},
                "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
            }
        ],
    }


def identity_center(help_inline: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "instance_arn": INST,
        "identity_store_id": "d-1234567890",
        "owner_account": M,
        "permission_sets": [
            {
                "arn": PS_ADMIN,
                "name": "AdministratorAccess",
                "managed_policies": [ADMIN_ARN],
                "provisioned_accounts": [B, C],
            },
            {
                "arn": PS_HELP,
                "name": "Helpdesk",
                "provisioned_accounts": [M],
                "inline_policy": help_inline
                or {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": "identitystore:CreateGroupMembership", "Resource": "*"}
                    ],
                },
            },
        ],
        "users": [
            {"id": "u-alice", "user_name": "alice@corp", "display_name": "Alice"},
            {"id": "u-bob", "user_name": "bob@corp", "display_name": "Bob"},
        ],
        "groups": [{"id": "g-admins", "display_name": "Admins"}],
        "memberships": [{"group_id": "g-admins", "user_id": "u-alice"}],
        "assignments": [
            {"permission_set_arn": PS_ADMIN, "account_id": B, "principal_type": "GROUP", "principal_id": "g-admins"},
            {"permission_set_arn": PS_ADMIN, "account_id": C, "principal_type": "GROUP", "principal_id": "g-admins"},
            {"permission_set_arn": PS_HELP, "account_id": M, "principal_type": "USER", "principal_id": "u-bob"},
        ],
    }


def accounts(extra_m: list[dict[str, Any]] = []) -> dict[str, Any]:  # noqa: B006
    return {
        M: gaad(
            roles=[
                role(
                    M,
                    "AWSReservedSSO_Helpdesk_0123456789abcdef",
                    sso_trust(M),
                    allow("identitystore:CreateGroupMembership"),
                    path=SSO_PATH,
                ),
                *extra_m,
            ]
        ),
        B: gaad(
            roles=[
                role(B, "AWSReservedSSO_AdministratorAccess_fedcba9876543210", sso_trust(B), admin=True, path=SSO_PATH)
            ]
        ),
    }


def graph_of(accts: dict[str, Any], ic: dict[str, Any], org: dict[str, Any] | None = None) -> Any:
    return api.build_graph(parse_snapshot_document(snapshot(accts, org, ic), file="t.json"))


def privesc(graph: Any) -> list[dict[str, Any]]:
    return api.run_queries(graph, ("privesc-to-admin",))["findings"]


def by_source(findings: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["source"].rsplit("/", 1)[-1], f["admin_account"]): f for f in findings}


def test_people_reach_admin_through_assignments() -> None:
    g = graph_of(accounts(), identity_center())
    found = by_source(privesc(g))
    alice_b = found[("u-alice", B)]
    assert not alice_b["conditional"]
    assert [h["technique"] for h in alice_b["path"]] == ["idc-member-of", "idc-assignment", "admin"]
    assert (
        alice_b["path"][1]["to"]
        == f"arn:aws:iam::{B}:role{SSO_PATH}AWSReservedSSO_AdministratorAccess_fedcba9876543210"
    )
    assert alice_b["path"][1]["via"] == PS_ADMIN and "Admins" in alice_b["path"][1]["note"]
    alice_c = found[("u-alice", C)]  # C is not collected: a synthetic role from the permission set
    synth = alice_c["path"][1]["to"]
    assert synth in g.synthetic and g.g.nodes[synth]["synthetic"] is True
    assert "synthesised" in alice_c["path"][1]["note"]
    assert alice_c["path"][2]["evidence"][0]["policy"] == ADMIN_ARN


def test_group_membership_technique_from_a_permission_set_role() -> None:
    """bob's Helpdesk role may add users to groups: bob (a known user of that role) joins Admins."""
    found = by_source(privesc(graph_of(accounts(), identity_center())))
    helpdesk = found[("AWSReservedSSO_Helpdesk_0123456789abcdef", B)]
    assert [h["technique"] for h in helpdesk["path"]][:1] == ["idc-group-membership"]
    assert not helpdesk["conditional"]
    bob = found[("u-bob", B)]
    assert [h["technique"] for h in bob["path"]][:2] == ["idc-assignment", "idc-group-membership"]


def test_sso_operator_techniques_are_potential_without_an_identity() -> None:
    op = role(
        M,
        "sso-operator",
        trust(f"arn:aws:iam::{M}:root"),
        allow(
            [
                "sso:CreateAccountAssignment",
                "sso:ProvisionPermissionSet",
                "sso:PutInlinePolicyToPermissionSet",
                "sso:CreatePermissionSet",
            ]
        ),
    )
    g = graph_of(accounts([op]), identity_center())
    src = f"arn:aws:iam::{M}:role/sso-operator"
    techs = {(e.technique, v) for v in g.g.successors(src) for e in g.edges_between(src, v)}
    assert ("sso-create-account-assignment", f"iamgraph:admin:{B}") in techs
    assert ("sso-create-permission-set", f"iamgraph:admin:{C}") in techs
    assert ("sso-edit-permission-set", f"iamgraph:admin:{B}") in techs
    for v in g.g.successors(src):
        for e in g.edges_between(src, v):
            assert e.conditional and any("Identity Center" in m for m in e.missing), e.technique
    assign = next(
        e for e in g.edges_between(src, f"iamgraph:admin:{B}") if e.technique == "sso-create-account-assignment"
    )
    assert [gr.resource for gr in assign.grants[:3]] == [INST, PS_ADMIN, f"arn:aws:sso:::account/{B}"]


def test_edit_without_provision_is_delayed_and_scp_blocks() -> None:
    op = role(M, "ps-editor", trust(f"arn:aws:iam::{M}:root"), allow("sso:PutInlinePolicyToPermissionSet"))
    g = graph_of(accounts([op]), identity_center())
    evs = [e for e in g.edges_between(f"arn:aws:iam::{M}:role/ps-editor", f"iamgraph:admin:{B}")]
    assert [e.technique for e in evs] == ["sso-edit-permission-set"]
    assert any("ProvisionPermissionSet" in m for m in evs[0].missing)
    deny_sso = role(
        M,
        "ps-editor",
        trust(f"arn:aws:iam::{M}:root"),
        allow("sso:PutInlinePolicyToPermissionSet"),
        deny("sso:*", PS_ADMIN),
    )
    g = graph_of(accounts([deny_sso]), identity_center())
    assert not [e for e in g.edges_between(f"arn:aws:iam::{M}:role/ps-editor", f"iamgraph:admin:{B}")]
    # an SCP on B that denies iam:* keeps the admin permission set from being admin there
    org = org_section({M: "mgmt", B: "prod", C: "dev"}, management=M, scps={B: [scp("no-iam", deny("iam:*"))]})
    found = by_source(privesc(graph_of(accounts(), identity_center(), org)))
    assert ("u-alice", B) not in found and ("u-alice", C) in found


def test_iam_writes_never_target_sso_roles() -> None:
    """AWSReservedSSO_ roles are protected: iam:UpdateAssumeRolePolicy on them is no edge."""
    op = role(
        M,
        "iam-writer",
        trust(f"arn:aws:iam::{M}:root"),
        allow(["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], f"arn:aws:iam::{M}:role/*"),
    )
    target = role(M, "AWSReservedSSO_Power_0000111122223333", sso_trust(M), admin=True, path=SSO_PATH)
    normal = role(M, "ops-admin", trust(f"arn:aws:iam::{M}:root:nobody"), admin=True)
    g = graph_of(accounts([op, target, normal]), identity_center())
    src = f"arn:aws:iam::{M}:role/iam-writer"
    succ = set(g.g.successors(src))
    assert f"arn:aws:iam::{M}:role/ops-admin" in succ
    assert f"arn:aws:iam::{M}:role{SSO_PATH}AWSReservedSSO_Power_0000111122223333" not in succ


def test_reach_and_path_with_an_identity_center_user() -> None:
    g = graph_of(accounts(), identity_center())
    reach = api.run_queries(g, ("reach",), params={"reach": {"principal": "alice@corp"}})["findings"]
    admins = sorted(f["admin_account"] for f in reach if f.get("admin_account"))
    assert admins == [B, C]
    assert all(f["source"] == "arn:aws:identitystore:::user/u-alice" for f in reach)
    paths = api.run_queries(g, ("path",), params={"path": {"source": "alice@corp", "target": f"admin:{B}"}})["findings"]
    assert paths and paths[0]["path"][-1]["to"] == f"iamgraph:admin:{B}"


def test_section_round_trip_and_bad_input() -> None:
    snap = parse_snapshot_document(snapshot(accounts(), None, identity_center()), file="t.json")
    again = parse_snapshot_document(snapshot_to_document(snap), file="again.json")
    assert again.identity_center == snap.identity_center
    bad = identity_center()
    bad["assignments"][0]["principal_type"] = "ROBOT"
    with pytest.raises(InputError) as e:
        parse_snapshot_document(snapshot(accounts(), None, bad), file="t.json")
    assert (
        e.value.one_line()
        == "t.json at $.identity_center.assignments[0].principal_type: principal_type must be USER or GROUP, not 'ROBOT'"
    )
    assert "email" not in str(snapshot_to_document(snap)["identity_center"]).lower()


def test_unread_boundary_of_a_permission_set_is_never_definite_admin() -> None:
    """C is not collected: the permission set's customer managed boundary cannot be read, and a
    boundary only takes permissions away, so AdministratorAccess behind it is potential admin."""
    ic = identity_center()
    ic["permission_sets"][0]["permissions_boundary"] = {"customer_managed": {"name": "cm-boundary", "path": "/"}}
    found = by_source(privesc(graph_of(accounts(), ic)))
    alice_c = found[("u-alice", C)]
    assert alice_c["conditional"]
    assert any("cm-boundary" in m for h in alice_c["path"] for m in h.get("missing") or ())
    assert not by_source(privesc(graph_of(accounts(), identity_center())))[("u-alice", C)]["conditional"]
