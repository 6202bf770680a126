"""PassRole classes (AccountIndex.passrole_classes) are shared between sources only when
`_passrole_key` tells them apart in nothing the classes read: the pairs below differ in one part
(the shared-answer part of iam:PassRole, the service) and get different classes; every shared
answer equals the source's own in a fresh index. The resolved Allow patterns and the relevant
statements' patterns in the key are defensive (the part's documents give them; the candidates only
leave out roles the source cannot pass), so no pair can tell them apart on their own."""

from __future__ import annotations

from typing import Any

import pytest
from techhelpers import trusted_services

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, deny, doc, managed_policy, role, trust_service

LAMBDA, EC2 = "lambda.amazonaws.com", "ec2.amazonaws.com"


def _parn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


POLICIES = [
    managed_policy("pass-all", doc(allow("iam:PassRole"))),
    # resources `*`: the same patterns, only the shared-answer part sees the difference
    managed_policy(
        "no-pass-to-lambda",
        doc(deny("iam:PassRole", Condition={"StringEquals": {"iam:PassedToService": LAMBDA}})),
    ),
]


def _snapshot() -> Snapshot:
    def src(name: str, *managed: str) -> dict[str, Any]:
        return role(name, trust_service("glue.amazonaws.com"), managed=tuple(_parn(m) for m in managed))

    roles = [
        src("s-pass", "pass-all"),
        src("s-pass-2", "pass-all"),
        src("s-pass-not-lambda", "pass-all", "no-pass-to-lambda"),
        role("fn-a", trust_service(LAMBDA)),
        role("fn-b", trust_service(LAMBDA)),
        role("vm-a", trust_service(EC2)),
    ]
    doc_ = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": account(roles=roles, policies=POLICIES)}],
    }
    return parse_snapshot_document(doc_, file="case:passrole-share")


Classes = list[tuple[object, tuple[str, ...]]]


def _classes(ctx: AccountIndex, name: str, service: str) -> Classes:
    return [
        (res, tuple(r.arn for r, _ in members)) for res, members in ctx.passrole_classes(ctx.views[_arn(name)], service)
    ]


def _alone(name: str, service: str) -> Classes:
    return _classes(AccountIndex.create(_snapshot()), name, service)


@pytest.mark.parametrize(
    ("part", "first", "second"),
    [
        ("shared-answer part (a Deny)", ("s-pass", LAMBDA), ("s-pass-not-lambda", LAMBDA)),
        ("service", ("s-pass", LAMBDA), ("s-pass-2", EC2)),
    ],
)
def test_shared_classes_are_the_sources_own(part: str, first: tuple[str, str], second: tuple[str, str]) -> None:
    ctx = AccountIndex.create(_snapshot())
    a, b = _classes(ctx, *first), _classes(ctx, *second)
    assert a == _alone(*first) and b == _alone(*second)
    assert [m for _, m in a] != [m for _, m in b], "the pair must tell the key part apart"


def test_sources_with_one_key_share_the_classes() -> None:
    ctx = AccountIndex.create(_snapshot())
    one = ctx.passrole_classes(ctx.views[_arn("s-pass")], LAMBDA)
    two = ctx.passrole_classes(ctx.views[_arn("s-pass-2")], LAMBDA)
    assert one is two and [tuple(r.arn for r, _ in m) for _, m in one] == [(_arn("fn-a"), _arn("fn-b"))]
    assert ctx.passrole_classes(ctx.views[_arn("s-pass-not-lambda")], LAMBDA) is not one


@pytest.mark.parametrize(
    "account_file",
    [
        "generated-500",
        "samples/freelancer-lambda-passrole-star.json",
        "samples/freelancer-lambda-passrole-fixed.snapshot.json",
        "samples/multi-hop-chain.json",
    ],
    indirect=True,
)
def test_every_shared_class_of_an_account_is_the_sources_own(account_file: str) -> None:
    from iamgraph import api

    path = account_file
    snap = api.load([path])
    ctx = AccountIndex.create(snap)
    services = trusted_services(snap)
    sources = 0
    for arn in sorted(ctx.views):
        view = ctx.views[arn]
        if not view.may("iam:PassRole"):
            continue
        fresh = AccountIndex.create(snap)  # this source's own answers only: nothing shared
        for service in services:
            assert ctx.passrole_classes(view, service) == fresh.passrole_classes(fresh.views[arn], service), (
                arn,
                service,
            )
        sources += 1
    assert sources > 0
    if "samples/" not in path:
        assert len(ctx._passable_shared) < len(ctx._passable)  # some sources shared their classes
