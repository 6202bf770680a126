"""One source's sts:AssumeRole decision is shared between roles with the same trust document only
when nothing else the decision reads differs (techniques/assume_share.py): each pair of roles
below shares the trust document and differs in one part of the key, with different right answers;
every shared answer must equal the one computed for that role alone, citations and steps included."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.types import Decision, Result
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, deny, role, trust_aws, user
from iamgraph.techniques.principal import PrincipalView

OTHER = "222222222222"
ROOT_TRUST = trust_aws(f"arn:aws:iam::{ACCOUNT}:root")
MFA_TRUST = trust_aws(f"arn:aws:iam::{ACCOUNT}:root", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
SSO = "aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0123456789abcdef"
RED = {"StringEquals": {"aws:ResourceTag/team": "red"}}


def _arn(name: str, acct: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{acct}:role/{name}"


def _role(name: str, trust: dict[str, Any] = ROOT_TRUST, acct: str = ACCOUNT, **tags: str) -> dict[str, Any]:
    r = role(name.rsplit("/", 1)[-1], trust)
    r["Arn"] = _arn(name, acct)
    r["Path"] = "/" + name.rsplit("/", 1)[0] + "/" if "/" in name else "/"
    if tags:
        r["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return r


ROLES = [
    _role("app/one"),
    _role("app/two"),  # same class as app/one
    _role("app/blocked"),  # a Deny names this ARN
    _role("app/mfa", MFA_TRUST),  # another trust document
    _role("plain1"),
    _role("plain2"),
    _role("red1", team="red"),
    _role("red2", team="red"),
    _role("blue", team="blue"),  # the tag differs
    _role("taggable/t1", team="blue"),
    _role("taggable/t2", team="blue"),  # shares t1's answer: the tag step must name t2
    _role(SSO, team="blue"),  # protected: IAM cannot tag it
    _role("vic-a"),
]
SOURCES = {
    "eve": (
        allow("sts:AssumeRole", _arn("app/*")),
        allow("sts:AssumeRole", "*", Condition=RED),
        allow("sts:AssumeRole", "*", Condition={"StringEquals": {"aws:ResourceAccount": OTHER}}),
        allow("iam:TagRole", _arn("taggable/*")),
        deny("sts:AssumeRole", _arn("app/blocked")),
    ),
    "mallory": (allow("sts:AssumeRole", "*", Condition=RED), allow("iam:TagRole", "*")),
    "vic": (allow("sts:AssumeRole", _arn("${aws:username}-*")),),  # a variable: nothing shared
}


def _snapshot() -> Snapshot:
    users = [user(name, *stmts) for name, stmts in SOURCES.items()]
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {"account_id": ACCOUNT, "authorization_details": account(users=users, roles=ROLES)},
            {"account_id": OTHER, "authorization_details": account(roles=[_role("x", acct=OTHER)])},
        ],
    }
    return parse_snapshot_document(doc, file="case:assume-share")


def _alone(name: str, role_arn: str) -> Result:
    """The answer for one role, computed in a fresh index (nothing shared)."""
    snap = _snapshot()
    idx = AccountIndex.create(snap)
    return idx.assume(idx.views[f"arn:aws:iam::{ACCOUNT}:user/{name}"], snap.roles[role_arn])


@pytest.fixture(scope="module")
def shared() -> dict[tuple[str, str], Result]:
    snap = _snapshot()
    docs = {id(r.trust_policy.document) for r in snap.roles.values()}
    assert len(docs) == 2, "value-equal trust documents are one object"
    idx = AccountIndex.create(snap)
    return {
        (name, arn): idx.assume(idx.views[f"arn:aws:iam::{ACCOUNT}:user/{name}"], r)
        for name in SOURCES
        for arn, r in snap.roles.items()
    }


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_shared_answer_is_the_answer_for_that_role(shared: dict[tuple[str, str], Result], name: str) -> None:
    for (src, arn), res in shared.items():
        if src == name:
            assert res == _alone(name, arn), arn


def test_the_pairs_have_different_answers(shared: dict[tuple[str, str], Result]) -> None:
    """Each key part matters here: dropping it would give the second role of a pair the first's answer."""

    def d(name: str, role_name: str, acct: str = ACCOUNT) -> Decision:
        return shared[(name, _arn(role_name, acct))].decision

    assert d("eve", "app/one") is Decision.ALLOWED and d("eve", "app/two") is Decision.ALLOWED
    assert d("eve", "app/blocked") is Decision.EXPLICIT_DENY  # Resource pattern class
    assert d("eve", "app/mfa") is Decision.UNKNOWN  # trust document
    assert d("eve", "plain1") is Decision.IMPLICIT_DENY and d("eve", "x", OTHER) is Decision.ALLOWED  # account
    assert d("eve", "red1") is Decision.ALLOWED and d("eve", "blue") is Decision.IMPLICIT_DENY  # tags
    assert d("eve", "taggable/t1") is Decision.ALLOWED  # iam:TagRole pattern class (blue is not taggable)
    assert d("mallory", "blue") is Decision.ALLOWED and d("mallory", SSO) is Decision.IMPLICIT_DENY  # protected
    assert d("vic", "vic-a") is Decision.ALLOWED and d("vic", "plain1") is Decision.IMPLICIT_DENY  # variable


def test_a_shared_answer_cites_its_own_role(shared: dict[tuple[str, str], Result]) -> None:
    t2 = _arn("taggable/t2")
    res = shared[("eve", t2)]
    assert [(s.action, s.resource) for s in res.steps] == [("iam:TagRole", t2)]
    trust = [r for r in res.allowed_by if r.policy.kind.value == "trust"]
    assert trust and all(r.policy.id == t2 and r.policy.owner == t2 for r in trust)


def test_roles_of_one_class_cost_one_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    snap = _snapshot()
    idx = AccountIndex.create(snap)
    asked: list[str] = []
    real = PrincipalView.can

    def counting(self: PrincipalView, action: str, resource: str, **kw: Any) -> Result:
        if action == "sts:AssumeRole":
            asked.append(resource)
        return real(self, action, resource, **kw)

    monkeypatch.setattr(PrincipalView, "can", counting)
    eve = idx.views[f"arn:aws:iam::{ACCOUNT}:user/eve"]
    for r in snap.roles.values():
        idx.assume(eve, r)
    assert _arn("app/one") in asked and _arn("app/two") not in asked
    assert _arn("taggable/t1") in asked and _arn("taggable/t2") not in asked
    assert _arn(SSO) in asked and _arn("blue") in asked and _arn("x", OTHER) in asked
    vic = idx.views[f"arn:aws:iam::{ACCOUNT}:user/vic"]
    asked.clear()
    for r in snap.roles.values():
        idx.assume(vic, r)
    assert len(asked) == len(snap.roles)  # a policy variable: every role decided on its own


LAMBDA = "lambda.amazonaws.com"
SERVICE_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": LAMBDA},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        },
        {"Effect": "Deny", "Principal": {"Service": LAMBDA}, "Action": "sts:AssumeRole", "Resource": _arn("fn-deny*")},
    ],
}


def _service_snapshot() -> Snapshot:
    roles = [_role(n, SERVICE_TRUST) for n in ("fn-a", "fn-b", "fn-deny-1")]
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {"account_id": ACCOUNT, "authorization_details": account(roles=roles)},
            {"account_id": OTHER, "authorization_details": account(roles=[_role("fn-a", SERVICE_TRUST, acct=OTHER)])},
        ],
    }
    return parse_snapshot_document(doc, file="case:service-trust-share")


def test_service_trust_is_shared_only_between_roles_it_cannot_tell_apart() -> None:
    """One trust document: fn-a and fn-b share a decision; fn-deny-1 matches the Deny's Resource;
    the role in the other account fails the aws:SourceAccount condition. Each equals its own."""
    snap = _service_snapshot()
    assert len({id(r.trust_policy.document) for r in snap.roles.values()}) == 1
    idx = AccountIndex.create(snap)
    shared = {arn: idx.service_trust(r, LAMBDA) for arn, r in snap.roles.items()}
    for arn, res in shared.items():
        alone = AccountIndex.create(_service_snapshot())
        assert res == alone.service_trust(alone.snapshot.roles[arn], LAMBDA), arn
    assert shared[_arn("fn-a")].decision is Decision.ALLOWED and shared[_arn("fn-b")].decision is Decision.ALLOWED
    assert shared[_arn("fn-deny-1")].decision is Decision.EXPLICIT_DENY
    assert shared[_arn("fn-a", OTHER)].decision is Decision.IMPLICIT_DENY
    assert {r.policy.id for r in shared[_arn("fn-b")].allowed_by} == {_arn("fn-b")}
    assert len(idx._service_shared) == 3  # fn-b reused fn-a's decision


def test_relevant_patterns_are_kept_per_source_action_and_policy_set() -> None:
    a, b = _arn("app/*"), _arn("other/*")
    gaad = account(
        users=[user("p", allow("iam:PassRole", a), allow("sts:AssumeRole", b)), user("q", allow("iam:PassRole", b))]
    )
    snap = parse_snapshot_document(
        {
            "format": "iamgraph-snapshot",
            "schema_version": "1",
            "accounts": [{"account_id": ACCOUNT, "authorization_details": gaad}],
        },
        file="case:patterns",
    )
    idx = AccountIndex.create(snap)
    p, q = idx.views[f"arn:aws:iam::{ACCOUNT}:user/p"], idx.views[f"arn:aws:iam::{ACCOUNT}:user/q"]
    assert idx._relevant_patterns(p, "iam:PassRole") == (a,)
    assert idx._relevant_patterns(p, "sts:AssumeRole") == (b,)
    assert idx._relevant_patterns(q, "iam:PassRole") == (b,)
    p.policies = q.policies  # another policy set: asked again
    assert idx._relevant_patterns(p, "iam:PassRole") == (b,)


def test_assume_each_is_assume_for_each_role() -> None:
    """`assume_each` (its own-account path beside `assume`, one memo for both) answers exactly as
    `assume` in a fresh index, for users and roles (the source itself and another account's role
    among the ARNs), sources interleaved with `assume` calls."""
    snap = _snapshot()
    idx, ref = AccountIndex.create(snap), AccountIndex.create(snap)
    arns = sorted(snap.roles)
    sources = [*(f"arn:aws:iam::{ACCOUNT}:user/{n}" for n in SOURCES), _arn("app/one"), _arn("taggable/t1")]
    for arn in sources:
        for _ in range(2):  # the second pass hits the memo filled by the first
            got = idx.assume_each(idx.views[arn], arns)
            assert [a for a, _ in got] == arns
            for role_arn, res in got:
                assert res == ref.assume(ref.views[arn], snap.roles[role_arn]), (arn, role_arn)
        idx.assume(idx.views[sources[0]], snap.roles[arns[0]])  # another source in between
