"""`never_allowed` (one loop per policy type) equals its definition, and AccountIndex.admin equals
probing every principal with the evaluator itself (no shortcut, nothing shared): every principal
of the samples and of the generated 500-role account, every probe."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.evaluate.special_rules import special_decision
from iamgraph.evaluate.types import Decision, PolicySet
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.admin import PROBES, AdminStatus, never_allowed
from iamgraph.techniques.doc_actions import doc_actions
from iamgraph.techniques.evidence import Grant, combine
from iamgraph.techniques.principal import PrincipalView

ROOT = Path(__file__).resolve().parents[2]


def _never_allowed_definition(pset: PolicySet, action: str) -> bool:
    """never_allowed as first written (one `any` over every policy)."""
    if pset.resource is not None or special_decision(action.lower(), "*", False) is not None:
        return False
    if any(doc_actions(p.document).may(action) for p in pset.identity):
        return False
    others = (
        *pset.identity,
        *pset.boundaries,
        *((pset.session,) if pset.session is not None else ()),
        *(q for level in pset.scps for q in level),
        *(q for level in pset.rcps for q in level),
    )
    return not any(doc_actions(p.document).denies(action) for p in others)


def _probed(view: PrincipalView) -> AdminStatus:
    """admin_status without the shortcut and without shared answers: every probe asked."""
    grants: list[Grant] = []
    for action in PROBES:
        res = view.can(action, "*")
        if res.decision in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY):
            return AdminStatus(res.decision, ())
        grants.append(Grant("*" if action == PROBES[0] else action, "*", res))
    cond = tuple(g for g in grants if g.conditional)
    return AdminStatus(combine([g.result for g in grants]), cond or tuple(grants[:1]))


def _inputs() -> list[str]:
    return sorted(str(p) for p in (ROOT / "samples").glob("*.json"))


def _check(path: str) -> int:
    ctx = AccountIndex.create(api.load([path]))
    fresh = AccountIndex.create(api.load([path]))
    for arn, view in sorted(ctx.views.items()):
        for action in (*PROBES, "sts:GetCallerIdentity", "iam:CreatePolicyVersion"):
            assert never_allowed(view.policies, action) is _never_allowed_definition(view.policies, action), (
                arn,
                action,
            )
        assert ctx.admin(arn) == _probed(fresh.views[arn]), arn
    return len(ctx.views)


@pytest.mark.parametrize("path", _inputs(), ids=lambda p: Path(p).name)
def test_admin_of_every_principal_samples(path: str) -> None:
    assert _check(path) > 0


def test_admin_of_every_principal_generated(generated_500_account: str) -> None:
    assert _check(generated_500_account) > 500
