"""Hub members (`AccountIndex._member`) are shared between the hubs of one build by (service,
role ARN, missing) and the trust result they cite. Each request below differs from the one before
in exactly one of those parts, asked one after the other through the memo, so a memo that left that
part out would hand the second request the first's member; every member must equal the one
`_runs_as` (the definition) gives, and equal requests must give the same object."""

from __future__ import annotations

from typing import Any

from iamgraph.collect.gaad import parse_gaad
from iamgraph.evaluate.types import Decision, Result
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex, _runs_as
from iamgraph.techniques.case_builders import ACCOUNT, account, role, trust_service

LAMBDA, EC2 = "lambda.amazonaws.com", "ec2.amazonaws.com"


def _snapshot() -> Snapshot:
    def r(name: str, service: str) -> dict[str, Any]:
        return role(name, trust_service(service))

    roles = [r("fn-a", LAMBDA), r("fn-b", LAMBDA), r("vm-a", EC2)]
    return parse_gaad(account(roles=roles), file="case:perf9-b-hub-members", account_id=ACCOUNT)


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def test_members_tell_each_key_part_apart_and_equal_their_definition() -> None:
    ctx = AccountIndex.create(_snapshot())
    roles = ctx.snapshot.roles
    fn_a, fn_b = roles[_arn("fn-a")], roles[_arn("fn-b")]
    trust = dict(ctx.roles_trusting_service(LAMBDA))[fn_a]
    other_trust = Result(Decision.UNKNOWN, unknown_keys=frozenset({"aws:sourceaccount"}))
    asks = [
        (LAMBDA, fn_a, trust, ()),
        (EC2, fn_a, trust, ()),  # service
        (EC2, fn_b, trust, ()),  # role
        (EC2, fn_b, trust, ("inventory: whether a lambda function runs as this role",)),  # missing
        (EC2, fn_b, other_trust, ("inventory: whether a lambda function runs as this role",)),  # trust
        (EC2, fn_b, trust, ("inventory: whether a lambda function runs as this role",)),  # back again
    ]
    got = [ctx._member(*a) for a in asks]
    for a, member in zip(asks, got, strict=True):
        assert member == _runs_as(*a)
    for i in range(1, len(got)):
        assert got[i] != got[i - 1], f"request {i} must differ from the one before"
    assert ctx._member(*asks[0]) is got[0]  # shared: the same object again
    # members that differ only in `missing` share their grant row
    assert got[3][1].grants is ctx._member(EC2, fn_b, trust, ())[1].grants


def test_hubs_share_members_and_keep_their_definition() -> None:
    ctx = AccountIndex.create(_snapshot())
    members = tuple(ctx.roles_trusting_service(LAMBDA))
    a = ctx.role_set_hub(LAMBDA, members, label="x")
    b = ctx.role_set_hub(LAMBDA, members[:1], label="y")
    existing = ctx.service_hub(LAMBDA, kind="existing:lambda:function", label="z", missing=("m",))
    assert a.members == tuple(_runs_as(LAMBDA, r, t) for r, t in members)
    assert b.members[0] is a.members[0]
    assert existing.members == tuple(_runs_as(LAMBDA, r, t, ("m",)) for r, t in members)
    assert existing.members[0][1].grants is a.members[0][1].grants


def _technique(tid: str) -> Any:
    from iamgraph.techniques.registry import catalogue

    return next(t for t in catalogue() if t.id == tid)


def test_existing_resource_hub_proposals_tell_each_key_part_apart() -> None:
    """`ExistingResource._hub_proposal` by (technique, scope account, service grants)."""
    from iamgraph.techniques.evidence import Grant

    ok = Result(Decision.ALLOWED)
    svc = (Grant("lambda:UpdateFunctionCode", "arn:x", ok),)
    svc2 = (Grant("lambda:UpdateFunctionCode", "arn:y", ok),)
    l3, l4 = _technique("lambda-003"), _technique("lambda-004")
    asks: list[tuple[Any, str | None, Any]] = [
        (l3, None, svc),
        (l4, None, svc),  # technique
        (l4, ACCOUNT, svc),  # scope
        (l4, ACCOUNT, svc2),  # service grants
    ]
    ctx = AccountIndex.create(_snapshot())
    got = []
    for i, (t, scope, grants) in enumerate(asks):
        ctx.scope_account = scope
        prop = t._hub_proposal(ctx, grants)
        fresh = AccountIndex.create(_snapshot())
        fresh.scope_account = scope
        assert prop == t._hub_proposal(fresh, grants)
        if i:
            assert prop != got[-1], f"request {i} must differ from the one before"
        got.append(prop)
    ctx.scope_account = asks[0][1]
    assert asks[0][0]._hub_proposal(ctx, asks[0][2]) is got[0]


def test_grants_key_patterns_stand_for_the_resolved_ones() -> None:
    """`grants_key` keeps each action's raw Allow patterns only: whenever it gives a key (no policy
    variable in them), the resolved patterns (the may_on prefilter) are exactly the raw ones, also
    with a pattern repeated across statements and documents."""
    from iamgraph.techniques.case_builders import allow, managed_policy

    fn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:"
    docs = {
        "a": [allow("lambda:CreateFunction", [fn + "app-*", fn + "x"]), allow("lambda:*", fn + "app-*")],
        "b": [allow("lambda:CreateFunction", [fn + "x", "*"])],
        "v": [allow("lambda:CreateFunction", fn + "${aws:username}-*")],
    }
    policies = [managed_policy(k, {"Version": "2012-10-17", "Statement": v}) for k, v in docs.items()]

    def parn(name: str) -> str:
        return f"arn:aws:iam::{ACCOUNT}:policy/{name}"

    roles = [
        role(n, trust_service(LAMBDA), managed=tuple(parn(m) for m in ms))
        for n, ms in (("ra", ("a",)), ("rab", ("a", "b")), ("rv", ("v", "a")))
    ]
    snap = parse_gaad(account(roles=roles, policies=policies), file="case:perf9-b-key", account_id=ACCOUNT)
    ctx = AccountIndex.create(snap)
    keys = 0
    for name in ("ra", "rab", "rv"):
        view = ctx.views[_arn(name)]
        for action in ("lambda:CreateFunction", "lambda:InvokeFunction"):
            if ctx.grants_key(view, (action,)) is not None:
                keys += 1
                assert view.resolved_patterns(action) == view.allow_resource_patterns(action)
            else:
                assert any("${" in p for p in view.allow_resource_patterns(action))
    assert keys == 5  # all but rv's CreateFunction, whose patterns hold a variable
