"""`AccountIndex.grant` (without keyword arguments) is kept for the source while it is the one
asked, per (source view, its policy set, action, resource). Each pair below differs in exactly one
part of that key and gets different answers, asked one after the other through the memo, so a
memo that left that part out would hand the second request the first's answer; every answer must
equal the one a fresh index gives."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect.gaad import parse_gaad
from iamgraph.evaluate.types import Decision
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, managed_policy, role, trust_service
from iamgraph.techniques.evidence import Grant

CREATE, INVOKE = "lambda:CreateFunction", "lambda:InvokeFunction"
FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:"


def _parn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


POLICIES = [
    managed_policy("app", {"Version": "2012-10-17", "Statement": [allow([CREATE, INVOKE], FN + "app-*")]}),
    managed_policy("create-all", {"Version": "2012-10-17", "Statement": [allow(CREATE, FN + "*")]}),
    managed_policy("invoke-other", {"Version": "2012-10-17", "Statement": [allow(INVOKE, FN + "other-*")]}),
    # allowed to r-pin alone: its holders differ only in their own keys
    managed_policy(
        "pinned",
        {
            "Version": "2012-10-17",
            "Statement": [
                allow(
                    CREATE,
                    FN + "*",
                    Condition={"StringEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/r-pin"}},
                )
            ],
        },
    ),
]


def _snapshot() -> Snapshot:
    def r(name: str, *managed: str) -> dict[str, Any]:
        return role(name, trust_service("lambda.amazonaws.com"), managed=tuple(_parn(m) for m in managed))

    roles = [r("r-app", "app"), r("r-all", "create-all"), r("r-other", "invoke-other")]
    roles += [r("r-pin", "pinned"), r("r-pin-2", "pinned")]
    return parse_gaad(account(roles=roles, policies=POLICIES), file="case:perf8-a-grant-memo", account_id=ACCOUNT)


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


# (the key part the two requests differ in, (source, action, resource) first, then second)
GRANT_PAIRS = [
    ("source", ("r-app", CREATE, FN + "app-1"), ("r-other", CREATE, FN + "app-1")),
    ("action", ("r-all", CREATE, FN + "x"), ("r-all", INVOKE, FN + "x")),
    ("resource", ("r-app", INVOKE, FN + "app-1"), ("r-app", INVOKE, FN + "zz-1")),
]


def _fresh_grant(source: str, action: str, resource: str) -> Grant | None:
    ctx = AccountIndex.create(_snapshot())
    return ctx.grant(ctx.views[_arn(source)], action, resource)


@pytest.mark.parametrize(("part", "first", "second"), GRANT_PAIRS, ids=[p[0] for p in GRANT_PAIRS])
def test_grant_memo_tells_each_key_part_apart(
    part: str, first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    ctx = AccountIndex.create(_snapshot())
    a = ctx.grant(ctx.views[_arn(first[0])], first[1], first[2])
    b = ctx.grant(ctx.views[_arn(second[0])], second[1], second[2])
    assert a == _fresh_grant(*first)
    assert b == _fresh_grant(*second)
    assert (a is None) != (b is None), "the pair must tell the key part apart"


def test_grant_memo_follows_a_replaced_policy_set_and_returns_to_the_source() -> None:
    ctx = AccountIndex.create(_snapshot())
    app, other = ctx.views[_arn("r-app")], ctx.views[_arn("r-other")]
    res = FN + "app-1"
    assert ctx.grant(app, CREATE, res) is not None
    assert ctx.grant(other, CREATE, res) is None
    again = ctx.grant(app, CREATE, res)  # back to the first source: its own answer again
    assert again is not None and again.result.decision is Decision.ALLOWED
    # the same view under another policy set (its own memos emptied too): asked afresh
    app.policies = other.policies
    app.forget()
    app._may.clear()
    app._patterns.clear()
    assert ctx.grant(app, CREATE, res) is None


def test_grant_memo_tells_views_of_one_policy_set_apart() -> None:
    """Two views holding the very same policy set, told apart by their own keys only."""
    ctx = AccountIndex.create(_snapshot())
    pin, pin2 = ctx.views[_arn("r-pin")], ctx.views[_arn("r-pin-2")]
    pin2.policies = pin.policies
    res = FN + "x"
    first = ctx.grant(pin, CREATE, res)
    assert first is not None and first.result.decision is Decision.ALLOWED
    assert ctx.grant(pin2, CREATE, res) is None
    assert ctx.grant(pin, CREATE, res) == first


def test_grant_with_keywords_is_not_kept() -> None:
    """A request with a resource policy (keyword arguments) is asked each time, apart from the memo."""
    snap = _snapshot()
    ctx = AccountIndex.create(snap)
    other = ctx.views[_arn("r-other")]
    res = FN + "app-1"
    assert ctx.grant(other, CREATE, res) is None
    trust = snap.roles[_arn("r-app")].trust_policy  # a stand-in resource policy: it allows no CreateFunction
    kw = ctx.grant(other, CREATE, res, resource_policy=trust, resource_account=ACCOUNT)
    fresh = AccountIndex.create(snap)
    assert kw == fresh.grant(fresh.views[_arn("r-other")], CREATE, res, resource_policy=trust, resource_account=ACCOUNT)
    assert ctx.grant(other, CREATE, res) is None


# (the key part the two calls differ in, (action, template) first, then second)
