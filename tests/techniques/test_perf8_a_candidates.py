"""`candidate_resources` is kept per (view, action, template), and without a policy variable in
the patterns shared between sources as `_plain_candidates(template, account, patterns, regions)`.
Each pair below differs in exactly one part of a key and gets different candidates, asked one
after the other through the memos, so a memo that left that part out would hand the second call
the first's answer; every answer must equal the one computed without the memos."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect.gaad import parse_gaad
from iamgraph.model import Snapshot
from iamgraph.techniques import resources
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, role, trust_service, user
from iamgraph.techniques.principal import PrincipalView
from iamgraph.techniques.resources import candidate_resources

CREATE, INVOKE = "lambda:CreateFunction", "lambda:InvokeFunction"
FN_TEMPLATE = "arn:aws:lambda:us-east-1:{account}:function:iamgraph"
LAYER_TEMPLATE = "arn:aws:lambda:us-east-1:{account}:layer:iamgraph"
WILD_FN = "arn:aws:lambda:*:*:function:app-*"  # wildcard region and account: filled per source


def _snapshot() -> Snapshot:
    def r(name: str, *stmts: dict[str, Any]) -> dict[str, Any]:
        return role(name, trust_service("lambda.amazonaws.com"), *stmts)

    euw1 = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    roles = [
        r("c-plain", allow(CREATE, WILD_FN)),
        r("c-euw1", allow(CREATE, WILD_FN), allow("ec2:DescribeInstances", Condition=euw1)),
        r("c-other", allow(CREATE, "arn:aws:lambda:*:*:function:other-*")),
    ]
    users = [user("c-alice", allow(CREATE, "arn:aws:lambda:*:*:function:${aws:username}-*"))]
    return parse_gaad(account(users=users, roles=roles), file="case:perf8-a-candidates", account_id=ACCOUNT)


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def _uncached(src: PrincipalView, action: str, template: str) -> tuple[str, ...]:
    pats = src.allow_resource_patterns(action)
    return resources._candidates(template, src.account, pats, resources.requested_regions(src), src)


# (the part of the view's key the two calls differ in, (view, action, template) first, then second)
VIEW_PAIRS = [
    ("action", ("c-other", CREATE, FN_TEMPLATE), ("c-other", INVOKE, FN_TEMPLATE)),
    ("template", ("c-plain", CREATE, FN_TEMPLATE), ("c-plain", CREATE, LAYER_TEMPLATE)),
]


@pytest.mark.parametrize(("part", "first", "second"), VIEW_PAIRS, ids=[p[0] for p in VIEW_PAIRS])
def test_view_memo_tells_each_key_part_apart(
    part: str, first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    resources._plain_candidates.cache_clear()
    ctx = AccountIndex.create(_snapshot())
    va, vb = ctx.views[_arn(first[0])], ctx.views[_arn(second[0])]
    a, b = candidate_resources(va, *first[1:]), candidate_resources(vb, *second[1:])
    assert (a, b) == (_uncached(va, *first[1:]), _uncached(vb, *second[1:]))
    assert a != b, "the pair must tell the key part apart"
    assert candidate_resources(va, *first[1:]) is a  # kept


def _in_other_account(view: PrincipalView) -> PrincipalView:
    """A view holding `view`'s very policies, in another account."""
    arn = view.arn.replace(ACCOUNT, "222222222222")
    return PrincipalView(arn, view.kind, view.name, view.policies, {"aws:PrincipalArn": arn}, frozenset())


# (the argument of `_plain_candidates` the two sources differ in, first source, second source)
SHARED_PAIRS = [
    ("regions", "c-plain", "c-euw1"),
    ("patterns", "c-plain", "c-other"),
    ("account", "c-plain", "other-account"),
]


@pytest.mark.parametrize(("part", "first", "second"), SHARED_PAIRS, ids=[p[0] for p in SHARED_PAIRS])
def test_shared_candidates_are_each_sources_own(part: str, first: str, second: str) -> None:
    resources._plain_candidates.cache_clear()
    ctx = AccountIndex.create(_snapshot())
    a = ctx.views[_arn(first)]
    b = _in_other_account(a) if second == "other-account" else ctx.views[_arn(second)]
    got_a, got_b = candidate_resources(a, CREATE, FN_TEMPLATE), candidate_resources(b, CREATE, FN_TEMPLATE)
    assert got_a == _uncached(a, CREATE, FN_TEMPLATE) and got_b == _uncached(b, CREATE, FN_TEMPLATE)
    assert got_a != got_b, "the pair must tell the part apart"


def test_candidates_of_a_template_and_of_a_variable_are_not_shared() -> None:
    resources._plain_candidates.cache_clear()
    ctx = AccountIndex.create(_snapshot())
    plain, alice = ctx.views[_arn("c-plain")], ctx.views[f"arn:aws:iam::{ACCOUNT}:user/c-alice"]
    fn, layer = candidate_resources(plain, CREATE, FN_TEMPLATE), candidate_resources(plain, INVOKE, LAYER_TEMPLATE)
    assert fn != layer and layer == _uncached(plain, INVOKE, LAYER_TEMPLATE)
    own = candidate_resources(alice, CREATE, FN_TEMPLATE)  # filled from the source's own name
    assert own == _uncached(alice, CREATE, FN_TEMPLATE) and any("c-alice-" in c for c in own)
    assert resources._plain_candidates.cache_info().currsize == 2  # the variable's candidates are the view's alone


@pytest.mark.parametrize("account_file", ["generated-500"], indirect=True)
def test_candidates_are_those_of_every_account_source(account_file: str) -> None:
    """Every view's candidates for every PassRole-family step, through the memos, equal the
    computation without them (the 500-role account: many sources share a pattern set)."""
    from iamgraph import api
    from iamgraph.techniques.families.passrole import ExistingResource, NewPassRole
    from iamgraph.techniques.registry import catalogue

    resources._plain_candidates.cache_clear()
    snap = api.load([account_file])
    ctx = AccountIndex.create(snap)
    steps = {
        (st.action, st.template)
        for t in catalogue()
        if isinstance(t, (NewPassRole, ExistingResource))
        for st in t.steps
    }
    asked = 0
    for view in ctx.views.values():
        for action, template in sorted(steps):
            if view.may(action):
                asked += 1
                assert candidate_resources(view, action, template) == _uncached(view, action, template)
    assert asked > resources._plain_candidates.cache_info().currsize > 0
