"""Service-step grants (families.passrole._service_grants) are shared between sources only when
`AccountIndex.grants_key` tells them apart in nothing the grants read: each pair below differs in
one part of the key (or the steps) and gets different grants. Every shared answer must equal the
source's own, computed without the memo in a fresh index; the pairs must really differ (so a key
without that part would hand the second source the first's grants). The parts `may`, the raw and
resolved Allow patterns and the account are defensive: the shared-answer part (consulted documents,
caller facts) already determines them, so no pair can tell them apart on their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.types import Decision
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, managed_policy, role, trust_service, user
from iamgraph.techniques.evidence import Grant
from iamgraph.techniques.families.passrole import (
    ExistingResource,
    NewPassRole,
    ServiceAction,
    _service_grants,
    _service_grants_of,
)

CREATE, INVOKE = "lambda:CreateFunction", "lambda:InvokeFunction"
FN = "arn:aws:lambda:us-east-1:{account}:function:iamgraph"
OTHER_FN = "arn:aws:lambda:us-east-1:{account}:function:iamgraph-other"
FN_ARN = f"arn:aws:lambda:*:{ACCOUNT}:function:"
JOINT = (ServiceAction(CREATE, FN), ServiceAction(INVOKE, FN))
APART = (ServiceAction(CREATE, FN), ServiceAction(INVOKE, OTHER_FN))
ONLY_CREATE = (ServiceAction(CREATE, FN),)
BUCKET = (ServiceAction("s3:CreateBucket", "arn:aws:s3:::zz-template"),)


def _pol(name: str, *stmts: dict[str, Any], version: str = "2012-10-17") -> dict[str, Any]:
    return managed_policy(name, {"Version": version, "Statement": list(stmts)})


def _parn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


POLICIES = [
    _pol("create-invoke", allow([CREATE, INVOKE])),
    _pol("no-invoke", {"Effect": "Deny", "Action": INVOKE, "Resource": "*"}),
    # create on app-*, invoke on other-*: no one function allows both
    _pol("split-names", allow(CREATE, FN_ARN + "app-*"), allow(INVOKE, FN_ARN + "other-*")),
    _pol("not-in-use1", allow(CREATE, Condition={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}})),
    # about another action: not consulted for CreateFunction, but it names a region to try
    _pol(
        "ec2-in-euw1", allow("ec2:DescribeInstances", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})
    ),
    # a 2008 document: `${aws:username}` is literal to IAM, but candidate names fill it in
    _pol(
        "own-bucket-2008",
        allow("s3:CreateBucket", ["arn:aws:s3:::${aws:username}*", "arn:aws:s3:::a*"]),
        version="2008-10-17",
    ),
]


@dataclass(frozen=True)
class Pair:
    """Two sources asked for the same steps (or one source for two step tuples): the part of the
    key they differ in."""

    part: str
    first: str
    second: str
    steps: tuple[ServiceAction, ...] = JOINT
    second_steps: tuple[ServiceAction, ...] | None = None


PAIRS = [
    # the same Allow patterns and `may` answers; a Deny only the shared-answer part sees
    Pair("shared-answer part (identity documents)", "role/r-create-invoke", "role/r-create-no-invoke"),
    Pair("steps (same actions, one resource or two)", "role/r-split", "role/r-split", JOINT, APART),
    Pair("regions other policies name", "role/r-not-use1", "role/r-not-use1-euw1", ONLY_CREATE),
    Pair("variable filled into a candidate (not shared)", "user/alice", "user/bob", BUCKET),
]


def _snapshot() -> Snapshot:
    def r(name: str, *managed: str) -> dict[str, Any]:
        return role(name, trust_service("lambda.amazonaws.com"), managed=tuple(_parn(m) for m in managed))

    roles = [
        r("r-create-invoke", "create-invoke"),
        r("r-create-invoke-2", "create-invoke"),
        r("r-create-no-invoke", "create-invoke", "no-invoke"),
        r("r-split", "split-names"),
        r("r-not-use1", "not-in-use1"),
        r("r-not-use1-euw1", "not-in-use1", "ec2-in-euw1"),
    ]
    users = [user(n, managed=(_parn("own-bucket-2008"),)) for n in ("alice", "bob")]
    doc_ = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {"account_id": ACCOUNT, "authorization_details": account(users=users, roles=roles, policies=POLICIES)}
        ],
    }
    return parse_snapshot_document(doc_, file="case:step-grants")


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{name}"


def _alone(name: str, steps: tuple[ServiceAction, ...]) -> tuple[Grant, ...] | None:
    """The source's grants in a fresh index, without the memo."""
    ctx = AccountIndex.create(_snapshot())
    return _service_grants_of(ctx, ctx.views[_arn(name)], steps)


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.part)
def test_shared_step_grants_are_the_sources_own(pair: Pair) -> None:
    ctx = AccountIndex.create(_snapshot())
    second_steps = pair.second_steps or pair.steps
    first = _service_grants(ctx, ctx.views[_arn(pair.first)], pair.steps)
    second = _service_grants(ctx, ctx.views[_arn(pair.second)], second_steps)
    assert first == _alone(pair.first, pair.steps)
    assert second == _alone(pair.second, second_steps)
    assert first != second, "the pair must tell the key part apart"


def test_the_pairs_are_what_they_claim() -> None:
    """The region pair differs only in a policy not consulted for CreateFunction; alice and bob
    hold one 2008 document whose shared-answer part is the same."""
    ctx = AccountIndex.create(_snapshot())
    a, b = ctx.views[_arn("role/r-not-use1")], ctx.views[_arn("role/r-not-use1-euw1")]
    assert ctx.shared.part(a, CREATE) == ctx.shared.part(b, CREATE) is not None
    assert _service_grants(ctx, a, ONLY_CREATE) is None
    grants = _service_grants(ctx, b, ONLY_CREATE)
    assert grants is not None and ":eu-west-1:" in grants[0].resource
    alice, bob = ctx.views[_arn("user/alice")], ctx.views[_arn("user/bob")]
    assert ctx.shared.part(alice, "s3:CreateBucket") == ctx.shared.part(bob, "s3:CreateBucket") is not None
    assert ctx.grants_key(alice, ("s3:CreateBucket",)) is None


def test_sources_with_one_key_share_one_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    import iamgraph.techniques.families.passrole as passrole

    ctx = AccountIndex.create(_snapshot())
    computed: list[str] = []
    real = passrole._service_grants_of

    def counting(c: AccountIndex, src: Any, steps: tuple[ServiceAction, ...]) -> tuple[Grant, ...] | None:
        computed.append(src.arn.rsplit("/", 1)[1])
        return real(c, src, steps)

    monkeypatch.setattr(passrole, "_service_grants_of", counting)
    got = [
        _service_grants(ctx, ctx.views[_arn(name)], JOINT)
        for name in ("role/r-create-invoke", "role/r-create-no-invoke", "role/r-create-invoke-2")
    ]
    # r-create-invoke-2 holds r-create-invoke's policy: its grants are the first one's, not asked again
    assert computed == ["r-create-invoke", "r-create-no-invoke"]
    assert got[0] is got[2] and got[0] is not None and all(g.result.decision is Decision.ALLOWED for g in got[0])
    assert got[1] is None


def _all_step_grants(path: str) -> tuple[int, int]:
    """Every source's service-step grants for every service technique it may run, through the
    memo, against a fresh index without it; (calls, computations)."""
    from iamgraph import api
    from iamgraph.techniques.registry import catalogue

    snap = api.load([path])
    ctx, fresh = AccountIndex.create(snap), AccountIndex.create(snap)
    techs = [t for t in catalogue() if isinstance(t, (NewPassRole, ExistingResource))]
    calls = 0
    for arn in sorted(ctx.views):
        view, own = ctx.views[arn], fresh.views[arn]
        for t in techs:
            if view.may_every(t.actions):
                calls += 1
                assert _service_grants(ctx, view, t.steps) == _service_grants_of(fresh, own, t.steps), (arn, t.id)
    return calls, len(ctx.step_grants)


@pytest.mark.parametrize(
    "account_file",
    [
        "generated-500",
        "samples/freelancer-lambda-passrole-star.json",
        "samples/freelancer-lambda-passrole-fixed.snapshot.json",
        "samples/multi-hop-chain.json",
        "samples/provisioning-hijackable.json",
    ],
    indirect=True,
)
def test_every_shared_step_grant_of_an_account_is_the_sources_own(account_file: str) -> None:
    path = account_file
    calls, computed = _all_step_grants(path)
    assert calls > 0
    if "samples/" not in path:
        assert computed < calls  # sources of one key shared their grants


def test_a_replaced_policy_set_gives_a_new_part() -> None:
    """The per-view parts are kept with the view's record: replacing its policies starts afresh."""
    ctx = AccountIndex.create(_snapshot())
    a, b = ctx.views[_arn("role/r-create-invoke")], ctx.views[_arn("role/r-create-no-invoke")]
    before = ctx.shared.part(a, INVOKE)
    assert before is not None and before != ctx.shared.part(b, INVOKE)
    a.policies = b.policies
    assert ctx.shared.part(a, INVOKE) == ctx.shared.part(b, INVOKE)
    assert _service_grants(ctx, a, JOINT) is None
