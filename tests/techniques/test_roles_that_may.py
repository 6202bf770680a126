"""AccountIndex.roles_that_may answers from an index of the roles' documents by the actions they
name: the same role set as asking every role's view `may(action)`."""

from __future__ import annotations

import pytest

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, deny, role, trust_service, user
from iamgraph.techniques.registry import catalogue

ACTIONS = sorted(
    {a for t in catalogue() for a in t.actions}
    | {"lambda:CreateFunction", "LAMBDA:createfunction", "s3:GetObject", "iam:PassRole", "ec2:RunInstances"}
    | {"iamgraphprobe:AnyAction", "kms:Decrypt", "glue:CreateDevEndpoint", "sts:AssumeRole"}
)


def _synthetic() -> Snapshot:
    t = trust_service("lambda.amazonaws.com")
    roles = [
        role("exact", t, allow("lambda:CreateFunction")),
        role("mixed-case", t, allow("Lambda:createFUNCTION")),
        role("service", t, allow("glue:*")),
        role("star", t, allow("*")),
        role("pattern", t, allow("lambda:Create*")),
        role("any-service", t, allow("*:Get*")),
        role("not-action", t, {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}),
        role("deny-only", t, deny("lambda:CreateFunction")),
        role("nothing", t),
        role("two-docs", t, allow("s3:GetObject"), managed=()),
    ]
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": account(users=[user("u")], roles=roles)}],
    }
    return parse_snapshot_document(doc, file="case:roles-that-may")


def _each_role(idx: AccountIndex, action: str) -> frozenset[str]:
    return frozenset(a for a in idx.snapshot.roles if a in idx.views and idx.views[a].may(action))


@pytest.mark.parametrize("source", ["synthetic", "generated-500", "samples/multi-hop-chain.json"])
def test_the_index_gives_every_roles_own_answer(source: str, request: pytest.FixtureRequest) -> None:
    if source == "generated-500":
        source = request.getfixturevalue("generated_500_account")
    snap = _synthetic() if source == "synthetic" else api.load([source])
    idx = AccountIndex.create(snap)
    for action in ACTIONS:
        assert idx.roles_that_may(action) == _each_role(AccountIndex.create(snap), action), action


def test_the_synthetic_roles_cover_each_kind_of_name() -> None:
    idx = AccountIndex.create(_synthetic())
    name = {a: a.rsplit("/", 1)[1] for a in idx.snapshot.roles}
    got = {name[a] for a in idx.roles_that_may("lambda:CreateFunction")}
    assert got == {"exact", "mixed-case", "star", "pattern", "not-action"}
    assert {name[a] for a in idx.roles_that_may("glue:GetJob")} == {"service", "star", "any-service", "not-action"}
    assert {name[a] for a in idx.roles_that_may("iam:PassRole")} == {"star"}
