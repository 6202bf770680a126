"""Exports of a multi-account graph with Identity Center: one admin sink per account, Identity Center
people and groups, their edge kinds declared in the extension, and the same path in the engine."""

from __future__ import annotations

import importlib.util
import json
import sys
from typing import TYPE_CHECKING, Any

from exporthelpers import ROOT, split_statements
from test_opengraph import SHIPPED, _check_payload

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document

if TYPE_CHECKING:
    from falkordb import FalkorDB

_spec = importlib.util.spec_from_file_location("iamgraph_org_testkit", ROOT / "tests" / "org" / "orgkit.py")
assert _spec and _spec.loader
orgkit = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = orgkit
_spec.loader.exec_module(orgkit)

M, B, C = "111111111111", "333333333333", "444444444444"
INST = "arn:aws:sso:::instance/ssoins-1111222233334444"
PS_ADMIN = "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-admin0000000001"
SSO_PATH = "/aws-reserved/sso.amazonaws.com/"


def _sso_trust(acct: str) -> dict[str, Any]:
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


def _graph() -> Any:
    ic = {
        "instance_arn": INST,
        "identity_store_id": "d-1234567890",
        "owner_account": M,
        "permission_sets": [
            {
                "arn": PS_ADMIN,
                "name": "AdministratorAccess",
                "managed_policies": [orgkit.ADMIN_ARN],
                "provisioned_accounts": [B, C],
            }
        ],
        "users": [{"id": "u-alice", "user_name": "alice@corp", "display_name": "Alice"}],
        "groups": [{"id": "g-admins", "display_name": "Admins"}],
        "memberships": [{"group_id": "g-admins", "user_id": "u-alice"}],
        "assignments": [
            {"permission_set_arn": PS_ADMIN, "account_id": B, "principal_type": "GROUP", "principal_id": "g-admins"}
        ],
    }
    accts = {
        M: orgkit.gaad(users=[orgkit.user(M, "ops", orgkit.allow("sts:AssumeRole"))]),
        B: orgkit.gaad(
            roles=[
                orgkit.role(
                    B, "AWSReservedSSO_AdministratorAccess_fedcba9876543210", _sso_trust(B), admin=True, path=SSO_PATH
                )
            ]
        ),
    }
    return api.build_graph(parse_snapshot_document(orgkit.snapshot(accts, None, ic), file="org.json"))


def test_multi_account_identity_center_export(falkordb_server: FalkorDB) -> None:
    graph = _graph()
    report = api.run_queries(graph)
    findings = report["findings"]
    (alice,) = [
        f
        for f in findings
        if f["query"] == "privesc-to-admin" and f["source"].endswith("u-alice") and f.get("admin_account", B) == B
    ]
    (text,) = api.export(graph, "opengraph", report=report).values()
    doc = json.loads(text)
    _check_payload(doc)
    ext = json.loads(SHIPPED.read_text(encoding="utf-8"))
    declared = {k["name"] for k in ext["relationship_kinds"]}
    assert {e["kind"] for e in doc["graph"]["edges"]} <= declared
    kinds = {n["kinds"][0] for n in doc["graph"]["nodes"]}
    assert {"IAMG_IdcUser", "IAMG_IdcGroup", "IAMG_AccountAdmin"} <= kinds
    sinks = {n["id"] for n in doc["graph"]["nodes"] if n["kinds"][0] == "IAMG_AccountAdmin"}
    assert len(sinks) == len(set(graph.admin_sinks.values())) >= 2 and f"IAMG-ADMIN-{B}" in sinks
    # the engine walks the same hops (definite-only overlay, as the single-account test)
    (script,) = api.export(graph, "cypher", report=report, definite_only=True).values()
    g = falkordb_server.select_graph("org-idc")
    for stmt in split_statements(script):
        g.query(stmt)
    src, dst = alice["source"], alice["path"][-1]["to"]
    res = g.query(
        "MATCH (a:IamgraphNode {iamgraph_id: $s}), (b:IamgraphNode {iamgraph_id: $t}) "
        "WITH shortestPath((a)-[:IAMG_CAN_ESCALATE|IAMG_IS_ADMIN*]->(b)) AS p "
        "RETURN [r IN relationships(p) | r.technique]",
        {"s": src, "t": dst},
    ).result_set
    assert res == [[[h["technique"] for h in alice["path"]]]]
    assert res[0][0] == ["idc-member-of", "idc-assignment", "admin"]
    labels = g.query("MATCH (n:IamgraphNode {iamgraph_id: $s}) RETURN labels(n)", {"s": src}).result_set[0][0]
    assert "AWSSSOUser" in labels
