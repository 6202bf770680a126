"""Admin per account (issue 12 §1): one sink per account, admin_account on findings, single-account
ids unchanged, organisation keys fixed, admin pivots, management account, sts:AssumeRoot and SCP editors."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from orgkit import ORG_ID, allow, deny, gaad, org_section, role, scp, snapshot, trust, user

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document

M, A, B = "111111111111", "222222222222", "333333333333"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def scan(accounts: dict[str, Any], org: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    graph = api.build_graph(parse_snapshot_document(snapshot(accounts, org), file="t.json"))
    return [f for f in api.run_queries(graph, ("privesc-to-admin",))["findings"]]


def reached(findings: list[dict[str, Any]], *, definite: bool = True) -> set[tuple[str, str]]:
    return {(f["source"].rsplit("/", 1)[-1], f["admin_account"]) for f in findings if f["conditional"] is not definite}


def test_single_account_keeps_sink_and_finding_ids() -> None:
    """One account: the sink stays `iamgraph:admin`, the id is the historic fingerprint, admin_account is added."""
    report = api.scan_files([SAMPLES / "freelancer-lambda-passrole-star.json"])
    f = next(f for f in report["findings"] if f["query"] == "privesc-to-admin")
    assert f["path"][-1]["to"] == "iamgraph:admin"
    assert f["admin_account"] == "111122223333"
    basis = "|".join(["privesc-to-admin", f["source"], f["target"], ",".join(h["technique"] for h in f["path"]), ""])
    assert f["id"] == hashlib.sha256(basis.encode()).hexdigest()[:16]
    assert "details" not in f


def two_accounts(trust_doc: dict[str, Any], org: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    accts = {
        A: gaad(roles=[role(A, "ci", trust(f"arn:aws:iam::{A}:root"), allow("sts:AssumeRole", "*"))]),
        B: gaad(roles=[role(B, "deploy", trust_doc, admin=True)]),
    }
    return scan(accts, org)


def test_cross_account_admin_names_the_account() -> None:
    found = two_accounts(trust(f"arn:aws:iam::{A}:root"))
    assert reached(found) == {("ci", B)}
    f = found[0]
    assert f["path"][-1]["to"] == f"iamgraph:admin:{B}" and f["target"].endswith(":role/deploy")
    assert f["title"] == f"Definite escalation to admin of {B} in 2 steps"


ORG_TRUST = trust("*", Condition={"StringEquals": {"aws:PrincipalOrgID": ORG_ID}})


def test_principal_org_id_is_fixed_with_org_data() -> None:
    assert reached(two_accounts(ORG_TRUST)) == set()  # unknown without org data
    assert reached(two_accounts(ORG_TRUST), definite=False) == {("ci", B)}
    org = org_section({A: "ci", B: "prod"}, management=M)
    assert reached(two_accounts(ORG_TRUST, org)) == {("ci", B)}  # a member: definite
    outsider = org_section({B: "prod"}, management=M)  # A is not a member
    assert two_accounts(ORG_TRUST, outsider) == []
    wrong = trust("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-someoneelse"}})
    assert two_accounts(wrong, org) == []


def test_principal_org_paths_and_account() -> None:
    org = org_section({A: "ci", B: "prod"}, management=M, ou_of={A: "ou-ex12-dev"})
    dev_only = trust(
        "*", Condition={"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG_ID}/r-ex12/ou-ex12-dev/*"]}}
    )
    assert reached(two_accounts(dev_only, org)) == {("ci", B)}
    other_ou = trust(
        "*", Condition={"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG_ID}/r-ex12/ou-ex12-prod/*"]}}
    )
    assert two_accounts(other_ou, org) == []
    by_account = trust("*", Condition={"StringEquals": {"aws:PrincipalAccount": A}})
    assert reached(two_accounts(by_account)) == {("ci", B)}


def test_resource_org_id_in_the_callers_policy() -> None:
    accts = {
        A: gaad(
            roles=[
                role(
                    A,
                    "ci",
                    trust(f"arn:aws:iam::{A}:root"),
                    allow("sts:AssumeRole", "*", Condition={"StringEquals": {"aws:ResourceOrgID": ORG_ID}}),
                )
            ]
        ),
        B: gaad(roles=[role(B, "deploy", trust(f"arn:aws:iam::{A}:root"), admin=True)]),
    }
    assert reached(scan(accts, org_section({A: "ci", B: "prod"}, management=M))) == {("ci", B)}
    assert scan(accts, org_section({A: "ci"}, management=M)) == []  # B is outside the org


def test_admin_pivot_goes_through_the_evaluator() -> None:
    """The admin of A reaches B's role trusting A's root; an SCP on A denying AssumeRole removes it."""
    accts = {
        A: gaad(roles=[role(A, "boss", trust(f"arn:aws:iam::{A}:root"), admin=True)]),
        B: gaad(roles=[role(B, "deploy", trust(f"arn:aws:iam::{A}:root"), admin=True)]),
    }
    found = scan(accts, org_section({A: "ci", B: "prod"}, management=M))
    assert reached(found) == {("boss", B)}
    assert [h["technique"] for h in found[0]["path"]] == ["admin", "admin-pivot", "admin"]
    blocked = org_section({A: "ci", B: "prod"}, management=M, scps={A: [scp("no-assume", deny("sts:AssumeRole"))]})
    assert scan(accts, blocked) == []


def test_pivot_through_a_named_principal() -> None:
    accts = {
        A: gaad(roles=[role(A, "boss", trust(f"arn:aws:iam::{A}:root"), admin=True)]),
        B: gaad(roles=[role(B, "deploy", trust(f"arn:aws:iam::{A}:role/pipeline"), admin=True)]),
    }
    found = scan(accts)
    assert reached(found) == {("boss", B)}
    assert found[0]["path"][1]["via"] == f"arn:aws:iam::{A}:role/pipeline"


def test_management_admin_is_admin_of_every_member() -> None:
    accts = {M: gaad(users=[user(M, "root-ops", admin=True)]), A: gaad(), B: gaad()}
    org = org_section({M: "mgmt", A: "ci", B: "prod"}, management=M, scps={M: [scp("deny-all", deny("*"))]})
    found = scan(accts, org)
    assert reached(found) == {("root-ops", A), ("root-ops", B)}  # SCPs do not restrict the management account
    assert all(f["path"][1]["technique"] == "org-management" for f in found)
    assert scan(accts, org_section({M: "mgmt", A: "ci", B: "prod"}, management=A)) != found


def test_assume_root() -> None:
    accts = {M: gaad(users=[user(M, "ops", allow("sts:AssumeRoot", f"arn:aws:iam::{B}:root"))]), B: gaad()}
    on = org_section({M: "mgmt", B: "prod"}, management=M, root_sessions_enabled=True)
    assert reached(scan(accts, on)) == {("ops", B)}
    unknown = org_section({M: "mgmt", B: "prod"}, management=M)
    assert reached(scan(accts, unknown)) == set() and reached(scan(accts, unknown), definite=False) == {("ops", B)}
    off = org_section({M: "mgmt", B: "prod"}, management=M, root_sessions_enabled=False)
    assert scan(accts, off) == []
    task = allow(
        "sts:AssumeRoot",
        "*",
        Condition={"StringEquals": {"sts:TaskPolicyArn": "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"}},
    )
    assert scan({M: gaad(users=[user(M, "ops", task)]), B: gaad()}, on) == []


def test_scp_editors_turn_blocked_admin_potential() -> None:
    D = "444444444444"
    accts = {B: gaad(roles=[role(B, "sandbox", trust(f"arn:aws:iam::{B}:root"), admin=True)]), D: gaad()}
    blocked = {B: [scp("deny-iam", deny("iam:*"))]}
    org = org_section(
        {B: "prod", D: "sec"}, management=M, scps=blocked, delegated_administrators={"organizations.amazonaws.com": [D]}
    )
    graph = api.build_graph(parse_snapshot_document(snapshot(accts, org), file="t"))
    assert not any(e == f"iamgraph:admin:{B}" for e in graph.g.successors(f"arn:aws:iam::{B}:role/sandbox"))
    accts[D] = gaad(
        roles=[role(D, "policy-admin", trust(f"arn:aws:iam::{D}:root"), allow("organizations:UpdatePolicy"))]
    )
    graph = api.build_graph(parse_snapshot_document(snapshot(accts, org), file="t"))
    evs = graph.edges_between(f"arn:aws:iam::{B}:role/sandbox", f"iamgraph:admin:{B}")
    assert [e.technique for e in evs] == ["scp-admin-override"] and evs[0].conditional
    assert "policy-admin can edit or detach them" in evs[0].missing[0]


def test_services_run_as_roles_of_the_sources_account_only() -> None:
    """PassRole on * in A does not reach B's Lambda role (a service in A never runs as a role of B)."""
    lam = trust({"Service": "lambda.amazonaws.com"})
    dev = role(
        A,
        "dev",
        trust(f"arn:aws:iam::{A}:root"),
        allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
    )
    accts = {A: gaad(roles=[dev, role(A, "fn", lam)]), B: gaad(roles=[role(B, "fn-admin", lam, admin=True)])}
    assert scan(accts) == []
    accts[A] = gaad(roles=[dev, role(A, "fn-admin", lam, admin=True)])
    assert reached(scan(accts)) == {("dev", A)}


def test_sarif_carries_the_admin_account_and_node_accounts() -> None:
    from iamgraph.query.report import Report
    from iamgraph.render.sarif import render_sarif

    accts = {
        A: gaad(roles=[role(A, "ci", trust(f"arn:aws:iam::{A}:root"), allow("sts:AssumeRole", "*"))]),
        B: gaad(roles=[role(B, "deploy", trust(f"arn:aws:iam::{A}:root"), admin=True)]),
    }
    graph = api.build_graph(parse_snapshot_document(snapshot(accts), file="t.json"))
    report = api.run_queries(graph, ("privesc-to-admin",))
    sarif = render_sarif(Report.from_json(report, file="r.json"))
    props = sarif["runs"][0]["results"][0]["properties"]
    assert props["admin_account"] == B
    assert props["accounts"] == {
        f"arn:aws:iam::{A}:role/ci": A,
        f"arn:aws:iam::{B}:role/deploy": B,
        f"iamgraph:admin:{B}": B,
    }


def test_text_output_names_the_account_of_every_node() -> None:
    """Issue 12 §5: in a report of several accounts the terminal text names each node's account."""
    from rich.console import Console

    from iamgraph.query.report import Report
    from iamgraph.render.text import render_text

    accts = {
        A: gaad(roles=[role(A, "ci", trust(f"arn:aws:iam::{A}:root"), allow("sts:AssumeRole", "*"))]),
        B: gaad(roles=[role(B, "deploy", trust(f"arn:aws:iam::{A}:root"), admin=True)]),
    }
    graph = api.build_graph(parse_snapshot_document(snapshot(accts), file="t.json"))
    report = Report.from_json(api.run_queries(graph, ("privesc-to-admin",)))
    console = Console(record=True, width=240, color_system=None)
    render_text(report, console=console, quiet=True)
    out = console.export_text()
    assert f"ci ({A}) -[sts-001]-> deploy ({B}) -[admin]-> ADMIN {B}" in out
