"""Property: any well-formed account (random statements over a realistic vocabulary) goes through
load -> graph -> every query -> JSON/SARIF/HTML without an exception, deterministically, and every
definite finding's evidence cites real statements of the account."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamgraph import api
from iamgraph.collect.gaad import parse_gaad
from iamgraph.query.report import Report
from iamgraph.render.html import render_html
from iamgraph.render.sarif import render_sarif
from iamgraph.techniques.case_builders import account, arn, group, managed_policy, role, user

ACTIONS = [
    "*",
    "iam:*",
    "iam:PassRole",
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:AddUserToGroup",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:CreateUser",
    "iam:CreateRole",
    "iam:SetDefaultPolicyVersion",
    "iam:DeleteUserPermissionsBoundary",
    "sts:AssumeRole",
    "lambda:*",
    "lambda:CreateFunction",
    "lambda:InvokeFunction",
    "lambda:UpdateFunctionCode",
    "ec2:RunInstances",
    "ssm:SendCommand",
    "glue:CreateDevEndpoint",
    "cloudformation:CreateStack",
    "s3:GetObject",
    "iam:Get*",
    "iam:Put*",
]
RESOURCES = [
    "*",
    "arn:aws:iam::111111111111:role/*",
    "arn:aws:iam::111111111111:user/*",
    "arn:aws:iam::111111111111:user/${aws:username}",
    "arn:aws:iam::111111111111:role/r0",
    "arn:aws:iam::111111111111:user/u1",
    "arn:aws:iam::111111111111:policy/p0",
    "arn:aws:lambda:*:111111111111:function:*",
    "arn:aws:s3:::bucket/*",
]
CONDITIONS = [
    None,
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"StringEquals": {"aws:PrincipalTag/team": "red"}},
    {"ArnLike": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
    {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111111111111:policy/p0"}},
]
TRUSTS = [
    {"Service": "lambda.amazonaws.com"},
    {"Service": "ec2.amazonaws.com"},
    {"AWS": "arn:aws:iam::111111111111:root"},
    {"AWS": "arn:aws:iam::111111111111:user/u0"},
    {"AWS": "arn:aws:iam::444455556666:root"},
    "*",
    {"Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},
    {"AWS": "AROAEXAMPLEDELETED00"},
    {"AWS": "arn:aws:sts::111111111111:assumed-role/r1/s"},
]


@st.composite
def statement(draw: st.DrawFn) -> dict:
    s: dict = {
        "Effect": draw(st.sampled_from(["Allow", "Allow", "Allow", "Deny"])),
        draw(st.sampled_from(["Action", "Action", "Action", "NotAction"])): draw(
            st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3)
        ),
        draw(st.sampled_from(["Resource", "Resource", "Resource", "NotResource"])): draw(st.sampled_from(RESOURCES)),
    }
    cond = draw(st.sampled_from(CONDITIONS))
    if cond:
        s["Condition"] = cond
    if draw(st.booleans()):
        s["Sid"] = f"S{draw(st.integers(0, 99))}"
    return s


@st.composite
def accounts(draw: st.DrawFn) -> dict:
    stmts = st.lists(statement(), min_size=0, max_size=3)
    p0 = managed_policy(
        "p0",
        {
            "Version": "2012-10-17",
            "Statement": draw(stmts) or [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
        },
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    )
    g0 = group("g0", *draw(stmts))
    users = [
        user(
            f"u{i}",
            *draw(stmts),
            groups=("g0",) if draw(st.booleans()) else (),
            managed=tuple(
                draw(
                    st.lists(
                        st.sampled_from([arn("policy", "p0"), "arn:aws:iam::aws:policy/AdministratorAccess"]),
                        max_size=1,
                    )
                )
            ),
            boundary=arn("policy", "p0") if draw(st.booleans()) and i else None,
            tags={"team": "red"} if draw(st.booleans()) else None,
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    roles = []
    for i in range(draw(st.integers(1, 3))):
        trust = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": draw(st.sampled_from(TRUSTS)), "Action": "sts:AssumeRole"}],
        }
        roles.append(
            role(f"r{i}", trust, *draw(stmts), admin=draw(st.booleans()), instance_profile=draw(st.booleans()))
        )
    return account(users=users, roles=roles, groups=[g0], policies=[p0])


def _cited_statements(acct: dict) -> set[tuple[str, int]]:
    """(policy id as iamgraph cites it, statement index) for every statement in the account."""
    out = set()
    for kind in ("UserDetailList", "GroupDetailList", "RoleDetailList"):
        for e in acct[kind]:
            for p in e.get("UserPolicyList", []) + e.get("GroupPolicyList", []) + e.get("RolePolicyList", []):
                out |= {(p["PolicyName"], i) for i in range(len(p["PolicyDocument"]["Statement"]))}
            if "AssumeRolePolicyDocument" in e:
                out |= {(e["Arn"], i) for i in range(len(e["AssumeRolePolicyDocument"]["Statement"]))}
    for p in acct["Policies"]:
        for v in p["PolicyVersionList"]:
            out |= {(p["Arn"], i) for i in range(len(v["Document"]["Statement"]))}
    return out


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(accounts())
def test_pipeline_never_raises_and_cites_real_statements(acct: dict) -> None:
    snap = parse_gaad(acct, file="random")
    graph = api.build_graph(snap)
    report = api.run_queries(graph, ("privesc-to-admin", "risky-trust", "admins"), include_graph=True)
    text = api.report_json(report)
    assert text == api.report_json(
        api.run_queries(
            api.build_graph(parse_gaad(acct, file="random")),
            ("privesc-to-admin", "risky-trust", "admins"),
            include_graph=True,
        )
    )
    json.loads(text)
    typed = Report.from_json(report)
    assert typed.to_json() == report  # the typed report writes back exactly what it read
    render_sarif(typed)
    render_html(typed)
    real = _cited_statements(acct)
    for f in report["findings"]:
        if f["query"] != "privesc-to-admin":
            continue
        assert f["path"] and f["path"][-1]["to"] == "iamgraph:admin"
        for hop in f["path"]:
            for row in hop["evidence"]:
                if row.get("policy") and not str(row["policy"]).startswith("iamgraph:"):
                    assert (row["policy"], row["statement"]) in real, row
    for name, params in (
        ("reach", {"principal": arn("user", "u0")}),
        ("who-can", {"action": "iam:PassRole"}),
        ("path", {"source": arn("user", "u0"), "target": "admin"}),
    ):
        api.run_queries(graph, (name,), params={name: params})
