"""The build's shortcuts around the evaluator give the evaluator's answers: the per-document gate
sets (DocActions.named, PrincipalView.may_all), the admin probes' `never_allowed` test (every part
of the policy set that can change the answer is looked at), the per-role vehicle index of
ModifyThenRunAs and the per-scope hub-size count (multi-account snapshots)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from iamgraph import api
from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.engine import evaluate
from iamgraph.evaluate.types import Decision, PolicySet, Request
from iamgraph.graph.build import build_graph
from iamgraph.model import Policy, PolicyKind, PolicyRef
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.admin import PROBES, admin_status, never_allowed
from iamgraph.techniques.doc_actions import DocActions

A, B = "222222222222", "333333333333"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def deny(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": actions, "Resource": resources, **extra}


def policy(name: str, *statements: dict[str, Any], kind: PolicyKind = PolicyKind.INLINE) -> Policy:
    return Policy(PolicyRef(kind, name, name), parse_policy_document(doc(*statements)))


def role(acct: str, name: str, trust_doc: dict[str, Any], *statements: dict[str, Any], admin: bool = False) -> dict:
    return {
        "Path": "/",
        "RoleName": name,
        "RoleId": f"AROA{acct[-4:]}{name.upper()[:12]:X<12}",
        "Arn": f"arn:aws:iam::{acct}:role/{name}",
        "AssumeRolePolicyDocument": trust_doc,
        "RolePolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
        "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN_ARN}] if admin else [],
        "InstanceProfileList": [],
    }


def user(acct: str, name: str, *statements: dict[str, Any]) -> dict[str, Any]:
    return {
        "Path": "/",
        "UserName": name,
        "UserId": f"AIDA{acct[-4:]}{name.upper()[:12]:X<12}",
        "Arn": f"arn:aws:iam::{acct}:user/{name}",
        "GroupList": [],
        "AttachedManagedPolicies": [],
        "UserPolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}],
    }


def gaad(users: list[dict[str, Any]], roles: list[dict[str, Any]]) -> dict[str, Any]:
    pol = {
        "PolicyName": "AdministratorAccess",
        "PolicyId": "ANPAADMINISTRATORACC",
        "Arn": ADMIN_ARN,
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 1,
        "IsAttachable": True,
        "PolicyVersionList": [{"Document": ADMIN_DOC, "VersionId": "v1", "IsDefaultVersion": True}],
    }
    return {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": [pol]}


def load(accounts: dict[str, dict[str, Any]]) -> Any:
    d = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": a, "authorization_details": g} for a, g in sorted(accounts.items())],
    }
    return parse_snapshot_document(d, file="t.json")


LAMBDA = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})

# ---- gate sets -----------------------------------------------------------------------------

ACTIONS = (
    "iam:PassRole",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:AttachRolePolicy",
    "lambda:CreateFunction",
    "lambda:InvokeFunction",
    "ec2:RunInstances",
    "ssm:StartSession",
    "iamgraphprobe:AnyAction",
    "s3:GetObject",
)

DOCS = [
    doc(allow("*")),
    doc(allow("iam:PassRole")),
    doc(allow("IAM:passrole")),  # actions are case-insensitive
    doc(allow("lambda:*")),
    doc(allow("iam:Put*Policy")),
    doc(allow("*:Get*")),
    doc(allow("i?m:PassRole")),
    doc(allow("iam:Attach?olePolicy"), allow("ssm:*")),
    doc({"Effect": "Allow", "NotAction": ["iam:*", "lambda:Create*"], "Resource": "*"}),
    doc({"Effect": "Allow", "NotAction": "*", "Resource": "*"}),
    doc(deny("*")),  # Deny statements name nothing for `may`
    doc(deny("iam:*"), allow("iam:PassRole", "arn:aws:iam::*:role/x")),
]


@pytest.mark.parametrize("i", range(len(DOCS)))
def test_named_is_may_for_each_action(i: int) -> None:
    d = parse_policy_document(DOCS[i])
    fresh = DocActions(d)
    expected = {a for a in ACTIONS if DocActions(d).may(a)}
    assert fresh.named(ACTIONS) == expected
    assert fresh.named(ACTIONS) is fresh.named(ACTIONS)  # memoised per tuple
    assert fresh.named(ACTIONS[:2]) == expected & set(ACTIONS[:2])  # another tuple, another answer


def test_may_all_is_may_over_every_document() -> None:
    snap = load(
        {
            A: gaad(
                [user(A, "dev", allow("iam:Put*Policy"), allow("lambda:Create*"))],
                [role(A, "fn", LAMBDA, allow("ssm:StartSession"), {"Effect": "Allow", "NotAction": "iam:*"})],
            )
        }
    )
    ctx = AccountIndex.create(snap)
    for v in ctx.views.values():
        assert v.may_all(ACTIONS) == {a for a in ACTIONS if v.may(a)}
    dev = ctx.views[f"arn:aws:iam::{A}:user/dev"]
    assert dev.may_all(ACTIONS) == {"iam:PutRolePolicy", "iam:PutUserPolicy", "lambda:CreateFunction"}


# ---- never_allowed: each part of the policy set can make a deny explicit -------------------

CALLER = f"arn:aws:iam::{A}:user/dev"
NOTHING = policy("nothing", allow("s3:GetObject"))


def decision(pset: PolicySet, action: str) -> Decision:
    return evaluate(Request(principal_arn=CALLER, action=action, resource="*", open_world=True), pset).decision


PSETS = {
    "plain": PolicySet(identity=(NOTHING,)),
    "identity deny": PolicySet(identity=(NOTHING, policy("d", deny("*")))),
    "boundary deny": PolicySet(identity=(NOTHING,), boundaries=(policy("b", allow("*"), deny("iamgraph*:*")),)),
    "session deny": PolicySet(identity=(NOTHING,), session=policy("s", deny("*"))),
    "scp deny": PolicySet(identity=(NOTHING,), scps=((policy("scp", allow("*"), deny("*")),),)),
    "rcp deny": PolicySet(identity=(NOTHING,), rcps=((policy("rcp", {"Effect": "Deny", "NotAction": "s3:*"}),),)),
}


@pytest.mark.parametrize("name", sorted(PSETS))
def test_never_allowed_only_when_the_evaluator_says_implicit_deny(name: str) -> None:
    pset = PSETS[name]
    got = decision(pset, PROBES[0])
    assert never_allowed(pset, PROBES[0]) is (name == "plain")
    assert got is (Decision.IMPLICIT_DENY if name == "plain" else Decision.EXPLICIT_DENY)


def test_never_allowed_asks_for_an_identity_allow_a_resource_policy_and_fixed_answers() -> None:
    assert not never_allowed(PolicySet(identity=(policy("star", allow("*")),)), PROBES[0])
    assert not never_allowed(PolicySet(identity=(policy("na", {"Effect": "Allow", "NotAction": "s3:*"}),)), PROBES[0])
    trust = policy("trust", {"Effect": "Allow", "Principal": {"AWS": CALLER}, "Action": "*"}, kind=PolicyKind.TRUST)
    assert not never_allowed(PolicySet(identity=(NOTHING,), resource=trust), PROBES[0])
    # allowed without any policy: never "never allowed"
    assert decision(PolicySet(identity=(NOTHING,)), "sts:GetCallerIdentity") is Decision.ALLOWED
    assert not never_allowed(PolicySet(identity=(NOTHING,)), "sts:GetCallerIdentity")


def test_admin_status_with_a_deny_still_asks_the_evaluator() -> None:
    """A boundary Deny naming the probe: the shortcut is skipped and the answer is the evaluator's."""
    snap = load({A: gaad([user(A, "dev", allow("s3:GetObject"))], [])})
    v = AccountIndex.create(snap).views[CALLER]
    assert admin_status(v).decision is Decision.IMPLICIT_DENY
    v.policies = replace(v.policies, boundaries=(policy("b", deny("*")),))
    v.forget()
    assert admin_status(v).decision is Decision.EXPLICIT_DENY
    admin = replace(v.policies, identity=(policy("star", allow("*")),), boundaries=())
    assert admin_status(v, policies=admin).definite


# ---- multi-account: indexes keyed on the account they answer for ---------------------------


def _modify_then_run(acct: str) -> tuple[dict[str, Any], dict[str, Any]]:
    dev = user(
        acct,
        "dev",
        allow("iam:AttachRolePolicy", f"arn:aws:iam::{acct}:role/worker"),
        allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
    )
    return dev, role(acct, "worker", LAMBDA, allow("s3:GetObject"))


def test_modify_then_run_as_in_every_account() -> None:
    """The vehicle index is built over every account: the second account's source (built after
    the first's, under another scope) reaches its own admin through its own service role."""
    accts = {}
    for acct in (A, B):
        dev, worker = _modify_then_run(acct)
        accts[acct] = gaad([dev], [worker])
    graph = api.build_graph(load(accts))
    for acct in (A, B):
        evs = graph.edges_between(f"arn:aws:iam::{acct}:user/dev", f"iamgraph:admin:{acct}")
        assert "iam-modify-role-run-as-service" in {e.technique for e in evs}, acct


def test_trusting_count_is_per_scope_and_instance_profile() -> None:
    many = [role(A, f"fn{i}", LAMBDA) for i in range(12)]
    many[0]["InstanceProfileList"] = [
        {"InstanceProfileName": "ip", "Arn": f"arn:aws:iam::{A}:instance-profile/ip", "Path": "/", "Roles": []}
    ]
    ctx = AccountIndex.create(load({A: gaad([], many), B: gaad([], [role(B, "fn", LAMBDA)])}))
    svc = "lambda.amazonaws.com"
    assert ctx.count_trusting_service(svc) == 13
    ctx.scope_account = A
    assert ctx.count_trusting_service(svc) == 12
    assert ctx.count_trusting_service(svc, True) == 1
    ctx.scope_account = B
    assert ctx.count_trusting_service(svc) == 1
    assert ctx.count_trusting_service(svc, True) == 0
    assert len(ctx.roles_trusting_service_anywhere(svc)) == 13
    assert [r.arn for r, _ in ctx.roles_trusting_service(svc)] == [f"arn:aws:iam::{B}:role/fn"]


COGNITO_TRUST = doc(
    {
        "Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"}},
    }
)


def test_cognito_roles_are_looked_up_per_account() -> None:
    """The per-account list of Cognito-trusting roles: each account's source reaches its own role
    (and only that one: a pool of A never runs as a role of B)."""
    accts = {
        acct: gaad(
            [user(acct, "dev", allow(["iam:PassRole", "cognito-identity:SetIdentityPoolRoles"]))],
            [role(acct, "pool-admin", COGNITO_TRUST, admin=True)],
        )
        for acct in (A, B)
    }
    graph = api.build_graph(load(accts))
    for acct, other in ((A, B), (B, A)):
        src = f"arn:aws:iam::{acct}:user/dev"
        assert [e.technique for e in graph.edges_between(src, f"arn:aws:iam::{acct}:role/pool-admin")] == [
            "cognitoidentity-001"
        ]
        assert graph.edges_between(src, f"arn:aws:iam::{other}:role/pool-admin") == []


def test_new_passrole_edge_needs_a_passable_role_and_the_steps() -> None:
    """Asking for the passable roles first changes nothing: steps without a passable role give no
    edge, a passable role without the steps none either, both together the edge."""
    steps = allow(["lambda:CreateFunction", "lambda:InvokeFunction"])
    fn = f"arn:aws:iam::{A}:role/fn"

    def lambda_edges(*statements: dict[str, Any]) -> list[str]:
        snap = load({A: gaad([user(A, "dev", *statements)], [role(A, "fn", LAMBDA, admin=True)])})
        graph = api.build_graph(snap)
        return [e.technique for e in graph.edges_between(f"arn:aws:iam::{A}:user/dev", fn)]

    assert lambda_edges(steps, allow("iam:PassRole", f"arn:aws:iam::{A}:role/other")) == []
    assert lambda_edges(allow("iam:PassRole", fn)) == []
    assert "lambda-001" in lambda_edges(steps, allow("iam:PassRole", fn))


def test_passrole_classes_equal_one_evaluation_per_role() -> None:
    """Role classes are shared by sources with the same PassRole patterns, the decision is each
    source's own: the same patterns with a Deny conditioned on another service give other roles."""
    roles = [role(A, n, LAMBDA) for n in ("app-1", "app-2", "batch-1", "batch-2", "other")]
    app, batch = f"arn:aws:iam::{A}:role/app-*", f"arn:aws:iam::{A}:role/batch-*"

    def deny_batch_to(service: str) -> dict[str, Any]:
        return deny("iam:PassRole", batch, Condition={"StringEquals": {"iam:PassedToService": service}})

    users = [
        user(A, "only-app", allow("iam:PassRole", app)),
        user(A, "app-and-batch", allow("iam:PassRole", [app, batch])),
        user(A, "deny-lambda", allow("iam:PassRole", [app, batch]), deny_batch_to("lambda.amazonaws.com")),
        user(A, "deny-glue", allow("iam:PassRole", [app, batch]), deny_batch_to("glue.amazonaws.com")),
        user(A, "star", allow("iam:PassRole")),
    ]
    ctx = AccountIndex.create(load({A: gaad(users, roles)}))
    svc = "lambda.amazonaws.com"
    passable: dict[str, list[str]] = {}
    for u in users:
        src = ctx.views[u["Arn"]]
        got = [r.arn for _, members in ctx.passrole_classes(src, svc) for r, _ in members]
        brute = [
            r.arn
            for r, _ in ctx.roles_trusting_service(svc)
            if src.can("iam:PassRole", r.arn, context={"iam:PassedToService": svc}).possible
        ]
        assert got == brute, u["UserName"]
        passable[u["UserName"]] = [a.rsplit("/", 1)[1] for a in got]
    assert passable["deny-lambda"] == passable["only-app"] == ["app-1", "app-2"]
    assert passable["deny-glue"] == passable["app-and-batch"] == ["app-1", "app-2", "batch-1", "batch-2"]
    assert passable["star"] == ["app-1", "app-2", "batch-1", "batch-2", "other"]


def test_access_techniques_never_evaluate_the_source_on_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """`granted_on(..., skip=src)`: the source's own user is not asked for (no edge to itself)."""
    snap = load({A: gaad([user(A, "dev", allow("iam:CreateAccessKey")), user(A, "ops", allow("s3:GetObject"))], [])})
    ctx = AccountIndex.create(snap)
    asked: list[str] = []
    real = AccountIndex.grant

    def grant(self: AccountIndex, src: Any, action: str, resource: str, **kw: Any) -> Any:
        asked.append(resource)
        return real(self, src, action, resource, **kw)

    monkeypatch.setattr(AccountIndex, "grant", grant)
    graph = build_graph(snap, context=ctx)
    dev, ops = f"arn:aws:iam::{A}:user/dev", f"arn:aws:iam::{A}:user/ops"
    assert "iam-002" in {e.technique for e in graph.edges_between(dev, ops)}
    assert dev not in asked and graph.edges_between(dev, dev) == []


@pytest.mark.parametrize(
    "pattern",
    [
        "*",
        f"arn:aws:iam::{A}:role/app-*",
        "arn:aws:iam::*:role/*",
        "arn:aws:iam::*:role/*-?",
        f"arn:aws:iam::{A}:role/app-1",
        "arn:aws:iam::*:*/batch*",
        "arn:aws:iam:*:*:role/a*p*1",
        "arn:aws:iam::22222222222?:role/*",
        "arn:aws:iam::*:role",
    ],
)
def test_pattern_hits_equal_resource_matches(pattern: str) -> None:
    """The compiled-once matcher of AccountIndex._hits answers what resource_matches answers."""
    from iamgraph.evaluate.matching import resource_matches

    arns = [f"arn:aws:iam::{a}:role/{n}" for a in (A, B) for n in ("app-1", "app-2", "batch-1", "x/app-1", "o")]
    ctx = AccountIndex.create(load({A: gaad([], [])}))
    assert ctx._hits(pattern, arns, "test") == {a for a in arns if resource_matches(pattern, a)}
