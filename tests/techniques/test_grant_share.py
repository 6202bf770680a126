"""A principal's `can` answer is shared with another principal only when nothing the answer reads
differs (techniques/grant_share.py): each pair below holds the same managed policy and differs in
one part of the key, with different right answers. Every answer given through the shared memo must
equal the one computed for that principal alone in a fresh index, citations included; the pairs
must really differ (so a key without that part would hand the second principal the first's answer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.types import Decision, Result
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import (
    ACCOUNT,
    account,
    allow,
    deny,
    doc,
    managed_policy,
    role,
    trust_service,
    user,
)
from iamgraph.techniques.principal import PrincipalView

FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f"
CREATE = "lambda:CreateFunction"
BUCKET_KEY = "arn:aws:s3:::alice/k"
NOW = 1_800_000_000  # the scan time of these cases (2027-01-15)


def _pol(name: str, *stmts: dict[str, Any]) -> dict[str, Any]:
    return managed_policy(name, doc(*stmts))


def _parn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


def _role(name: str, *managed: str, boundary: str | None = None, created: str | None = None) -> dict[str, Any]:
    r = role(name, trust_service("lambda.amazonaws.com"), managed=tuple(_parn(m) for m in managed), boundary=boundary)
    if created:
        r["CreateDate"] = created
    return r


def _user(name: str, *managed: str) -> dict[str, Any]:
    return user(name, managed=tuple(_parn(m) for m in managed))


POLICIES = [
    _pol("create", allow(CREATE)),
    _pol("no-create", deny(CREATE)),
    _pol("create-copy", allow(CREATE)),  # the same document as "create", another policy (citation)
    _pol("s3-only", allow("s3:*")),
    _pol("lambda-all", allow("lambda:*")),
    _pol("lambda-all-copy", allow("lambda:*")),  # the same document as "lambda-all"
    _pol("dev-only", allow(CREATE, Condition={"StringLike": {"aws:username": "dev-*"}})),
    _pol("no-mfa-key", allow(CREATE, Condition={"Null": {"aws:MultiFactorAuthPresent": "true"}})),
    _pol("fresh-token", allow(CREATE, Condition={"DateGreaterThan": {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}})),
    _pol("no-username", allow(CREATE, Condition={"Null": {"aws:username": "true"}})),
    _pol("own-bucket", allow("s3:GetObject", "arn:aws:s3:::${aws:username}/*")),
    _pol("any-object", allow("s3:GetObject")),
    _pol("red-team", allow(CREATE, Condition={"StringEquals": {"aws:PrincipalTag/team": "red"}}), allow("iam:TagRole")),
    _pol(
        "pass-to-lambda",
        allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}),
    ),
]


@dataclass(frozen=True)
class Pair:
    """Two principals asked the same request: the part of the key they differ in."""

    part: str
    first: str
    second: str
    action: str = CREATE
    resource: str = FN
    context: tuple[tuple[str, str], ...] = ()
    same_decision: bool = False  # the answers differ in their citations or steps only


PAIRS = [
    Pair("identity documents", "role/r-create", "role/r-create-denied"),
    Pair("policy citation", "role/r-create", "role/r-create-copy", same_decision=True),
    Pair("boundary present", "role/r-create", "role/r-create-bounded"),
    Pair("boundary document", "role/r-bounded-lambda", "role/r-create-bounded"),
    Pair("boundary citation", "role/r-bounded-lambda", "role/r-bounded-lambda-copy", same_decision=True),
    Pair("principal key value", "user/dev-a", "user/ops-b"),
    Pair("principal kind (credential)", "user/u-no-mfa", "role/r-no-mfa"),
    Pair("creation time (token issue time)", "role/r-new", "role/r-old"),
    Pair("known absent key", "role/r-no-username", "role/r-username-unknown"),
    Pair("tags itself first (not shared)", "role/r-red-1", "role/r-red-2", same_decision=True),
    Pair("policy variable (not shared)", "user/alice", "user/bob", action="s3:GetObject", resource=BUCKET_KEY),
    Pair("variable in the boundary", "user/carol", "user/dave", action="s3:GetObject", resource="arn:aws:s3:::carol/k"),
]
PASS = (f"arn:aws:iam::{ACCOUNT}:role/r-pass", f"arn:aws:iam::{ACCOUNT}:role/r-create")


def _snapshot() -> Snapshot:
    roles = [
        _role("r-create", "create"),
        _role("r-create-denied", "create", "no-create"),
        _role("r-create-copy", "create-copy"),
        _role("r-create-bounded", "create", boundary=_parn("s3-only")),
        _role("r-bounded-lambda", "create", boundary=_parn("lambda-all")),
        _role("r-bounded-lambda-copy", "create", boundary=_parn("lambda-all-copy")),
        _role("r-no-mfa", "no-mfa-key"),
        _role("r-new", "fresh-token", created="2025-06-01T00:00:00Z"),
        _role("r-old", "fresh-token", created="2020-06-01T00:00:00Z"),
        _role("r-no-username", "no-username"),
        _role("r-username-unknown", "no-username"),
        _role("r-pass", "pass-to-lambda"),
        _role("r-red-1", "red-team"),
        _role("r-red-2", "red-team"),
    ]
    users = [_user(n, p) for n, p in (("dev-a", "dev-only"), ("ops-b", "dev-only"), ("u-no-mfa", "no-mfa-key"))]
    users += [_user("alice", "own-bucket"), _user("bob", "own-bucket")]
    users += [user(n, managed=(_parn("any-object"),), boundary=_parn("own-bucket")) for n in ("carol", "dave")]
    gaad = account(users=users, roles=roles, policies=POLICIES)
    doc_ = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": gaad}],
    }
    return parse_snapshot_document(doc_, file="case:grant-share")


def test_the_copies_are_one_document() -> None:
    """The citation pairs hold one document object under two policies (else they test nothing)."""
    snap = _snapshot()
    for a, b in (("create", "create-copy"), ("lambda-all", "lambda-all-copy")):
        assert snap.policies[_parn(a)].default_document is snap.policies[_parn(b)].default_document


def _index() -> AccountIndex:
    from iamgraph.techniques.attacker_view import AttackerOptions

    idx = AccountIndex.create(_snapshot(), AttackerOptions(now=NOW))
    # a principal whose aws:username is unknown rather than known absent (everything else equal)
    v = idx.views[f"arn:aws:iam::{ACCOUNT}:role/r-username-unknown"]
    v.base_absent = v.base_absent - {"aws:username"}
    return idx


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{name}"


def _ask(idx: AccountIndex, name: str, p: Pair) -> Result:
    return idx.shared.can(idx.views[_arn(name)], p.action, p.resource, dict(p.context) or None)


def _alone(name: str, p: Pair) -> Result:
    """The answer for one principal in a fresh index (nothing shared)."""
    idx = _index()
    return idx.views[_arn(name)].can(p.action, p.resource, context=dict(p.context) or None)


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.part)
def test_a_shared_answer_is_the_principals_own(pair: Pair) -> None:
    idx = _index()
    first, second = _ask(idx, pair.first, pair), _ask(idx, pair.second, pair)
    assert first == _alone(pair.first, pair)
    assert second == _alone(pair.second, pair)
    if pair.same_decision:
        assert first.decision is second.decision and first != second
    else:
        assert first.decision is not second.decision, "the pair must tell the key part apart"


def test_the_context_of_the_request_is_in_the_key() -> None:
    idx = _index()
    src = idx.views[PASS[0]]
    to_lambda = idx.shared.can(src, "iam:PassRole", PASS[1], {"iam:PassedToService": "lambda.amazonaws.com"})
    to_ec2 = idx.shared.can(src, "iam:PassRole", PASS[1], {"iam:PassedToService": "ec2.amazonaws.com"})
    assert to_lambda.decision is Decision.ALLOWED and to_ec2.decision is Decision.IMPLICIT_DENY


def test_principals_the_answer_cannot_tell_apart_share_one_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    idx = _index()
    asked: list[str] = []
    real = PrincipalView.can

    def counting(self: PrincipalView, action: str, resource: str, **kw: Any) -> Result:
        asked.append(self.arn.rsplit(":", 1)[1])
        return real(self, action, resource, **kw)

    monkeypatch.setattr(PrincipalView, "can", counting)
    req = Pair("", "", "")
    for name in ("role/r-create", "role/r-create-denied", "role/r-create", "role/r-bounded-lambda"):
        _ask(idx, name, req)
    # r-create's second request and any other principal of its key cost nothing more
    assert asked == ["role/r-create", "role/r-create-denied", "role/r-bounded-lambda"]
    assert idx.shared.hits == 1
    # alice and bob: a policy variable in the Resource, so each is decided on its own
    asked.clear()
    var = next(p for p in PAIRS if p.first == "user/alice")
    assert _ask(idx, "user/alice", var).allowed and not _ask(idx, "user/bob", var).possible
    assert asked == ["user/alice", "user/bob"]


def _shared_build(path: str) -> AccountIndex:
    from iamgraph import api
    from iamgraph.graph.build import build_graph

    snap = api.load([path])
    ctx = AccountIndex.create(snap)
    ctx.shared.verify = True  # every shared answer is computed afresh as well and compared
    build_graph(snap, context=ctx)
    return ctx


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
def test_every_shared_answer_of_a_build_is_the_principals_own(account_file: str) -> None:
    path = account_file
    ctx = _shared_build(path)
    assert ctx.shared.hits > 0 or "samples/" in path
