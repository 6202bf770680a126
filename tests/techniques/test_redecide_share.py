"""AttackerView.redecide shares an answer between resources of one view only when `decide` cannot
tell them apart (engine.resource_signature over the request's action and its companions), and
under the same keys, policies and first decision: each shared answer equals a fresh build's."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect.gaad import parse_gaad
from iamgraph.evaluate import attacker as attacker_mod
from iamgraph.evaluate.types import Decision, Result
from iamgraph.model import Snapshot
from iamgraph.techniques import attacker_view
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, arn, role, trust_aws, user

DEV = arn("user", "dev")
ROLES = [arn("role", n) for n in ("r1", "r2", "r3")]
TAGGED_ASSUME = allow("sts:AssumeRole", Condition={"StringEquals": {"aws:RequestTag/team": "x"}})
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


def _snapshot(*statements: dict[str, Any]) -> Snapshot:
    roles = [role(n, trust_aws(f"arn:aws:iam::{ACCOUNT}:root")) for n in ("r1", "r2", "r3")]
    gaad = account(users=[user("dev", *statements)], roles=roles)
    return parse_gaad(gaad, file="case:redecide-share")


CASES = {
    # the companion sts:TagSession is allowed on r1 only: AssumeRole's first decision is the same
    # for every role, the attacker's answer is not (the signature covers the companions)
    "companion": (TAGGED_ASSUME, allow("sts:TagSession", ROLES[0])),
    # an MFA-only Allow on r2 beside a plain conditional one on every role
    "resource": (allow("ec2:StartInstances", "*", Condition=MFA), allow("sts:AssumeRole", ROLES[1], Condition=MFA)),
    # the same answer for every role: shared
    "same": (allow("sts:AssumeRole", "*", Condition=MFA),),
}
REQUESTS = [
    ("sts:AssumeRole", r, ctx) for r in ROLES for ctx in (None, {"aws:SourceIp": "10.0.0.1"}, {"aws:SourceVpc": "v"})
]


def _fresh(statements: tuple[dict[str, Any], ...], action: str, resource: str, ctx: Any) -> Result:
    view = AccountIndex.create(_snapshot(*statements)).views[DEV]
    return view.can(action, resource, context=ctx)


@pytest.mark.parametrize("case", sorted(CASES))
def test_shared_answers_equal_fresh_ones(case: str) -> None:
    statements = CASES[case]
    view = AccountIndex.create(_snapshot(*statements)).views[DEV]
    got = [view.can(a, r, context=c) for a, r, c in REQUESTS]
    want = [_fresh(statements, a, r, c) for a, r, c in REQUESTS]
    assert got == want


def test_the_companion_case_differs_by_role() -> None:
    """The case the signature's companions matter for: r1's answer is Allowed (tag step), r2's not."""
    view = AccountIndex.create(_snapshot(*CASES["companion"])).views[DEV]
    r1, r2 = (view.can("sts:AssumeRole", r) for r in ROLES[:2])
    assert r1.decision is Decision.ALLOWED and [s.action for s in r1.steps] == ["sts:TagSession"]
    assert r2.decision is not Decision.ALLOWED


def test_equal_resources_are_resolved_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not vacuous: with Resource "*" the three roles share one resolve per context."""
    calls: list[str] = []
    real = attacker_mod.resolve

    def counting(first: Result, **kw: Any) -> Result:
        calls.append(kw["action"])
        return real(first, **kw)

    monkeypatch.setattr(attacker_view, "resolve", counting)
    view = AccountIndex.create(_snapshot(*CASES["same"])).views[DEV]
    answers = [view.can(a, r, context=c) for a, r, c in REQUESTS]
    assert len(calls) == 3, calls  # one per distinct context
    assert all(r.decision is Decision.UNKNOWN and r.credential.startswith("needs") for r in answers)
