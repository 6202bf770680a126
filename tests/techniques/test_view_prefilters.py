"""PrincipalView's prefilters against their definitions: `may` is "some identity document's
index says so", may_every/may_any are all/any of it (cold and warm memo), and
allow_resource_patterns is the patterns of the view's current identity policies, policy by
policy, each once (also after the policy set is replaced)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.model import Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Statement
from iamgraph.techniques.doc_actions import doc_actions
from iamgraph.techniques.principal import PrincipalView, build_views

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.json"))
ACTIONS = (
    "iam:PassRole",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:CreatePolicyVersion",
    "sts:AssumeRole",
    "iam:CreateAccessKey",
    "lambda:CreateFunction",
    "s3:GetObject",
    "ec2:RunInstances",
    "ssm:SendCommand",
    "iam:UpdateAssumeRolePolicy",
    "glue:CreateDevEndpoint",
)


def _patterns(v: PrincipalView, action: str) -> tuple[str, ...]:
    out: list[str] = []
    for p in v.policies.identity:
        out.extend(doc_actions(p.document).allow_patterns(action))
    return tuple(dict.fromkeys(out))


def _may(v: PrincipalView, action: str) -> bool:
    return any(doc_actions(p.document).may(action) for p in v.policies.identity)


def _views(generated: str) -> list[PrincipalView]:
    out: list[PrincipalView] = []
    for path in [*SAMPLES, Path(generated)]:
        out.extend(build_views(api.load([str(path)])).values())
    return out


def test_prefilters_equal_their_definitions(generated_500_account: str) -> None:
    for i, v in enumerate(_views(generated_500_account)):
        acts = ACTIONS if i % 2 else ACTIONS[::-1]
        if i % 3 == 0:
            assert v.may_every(acts[:3]) == all(_may(v, a) for a in acts[:3])
            assert v.may_any(acts[3:7]) == any(_may(v, a) for a in acts[3:7])
        for a in acts:
            assert v.may(a) == _may(v, a), (v.arn, a)
            assert v.allow_resource_patterns(a) == _patterns(v, a), (v.arn, a)
        for n in range(len(acts) + 1):
            assert v.may_every(acts[:n]) == all(_may(v, a) for a in acts[:n])
            assert v.may_any(acts[n:]) == any(_may(v, a) for a in acts[n:])


def _policy(name: str, *statements: tuple[str, str]) -> Policy:
    stmts = tuple(
        Statement(Effect.ALLOW, i, actions=(action,), resources=(resource,))
        for i, (action, resource) in enumerate(statements)
    )
    return Policy(
        PolicyRef(PolicyKind.MANAGED, f"arn:aws:iam::222222222222:policy/{name}", name),
        PolicyDocument("2012-10-17", stmts),
    )


@pytest.mark.parametrize("held_twice", [False, True])
def test_patterns_follow_a_replaced_policy_set(held_twice: bool, generated_500_account: str) -> None:
    """Patterns asked after `policies` was replaced (may already asked) are the new set's."""
    v = next(iter(build_views(api.load([generated_500_account])).values()))
    v.may("iam:PassRole")  # the document indexes are built for the old set
    a = _policy(
        "a", ("iam:PassRole", "arn:aws:iam::222222222222:role/a*"), ("iam:PassRole", "arn:aws:iam::222222222222:role/b")
    )
    b = _policy("b", ("iam:PassRole", "arn:aws:iam::222222222222:role/b"), ("iam:PassRole", "*"))
    ident = (a, b, a) if held_twice else (b, a)
    v.policies = dataclasses.replace(v.policies, identity=ident)
    got = v.allow_resource_patterns("iam:PassRole")
    assert got == _patterns(v, "iam:PassRole")
    want = ("arn:aws:iam::222222222222:role/a*", "arn:aws:iam::222222222222:role/b", "*")
    assert got == (want if held_twice else (want[1], want[2], want[0]))


def test_can_memo_made_on_first_ask_and_forgotten(generated_500_account: str) -> None:
    """A view's answers are kept from its first can() (none before), and forget() drops them."""
    v = next(iter(build_views(api.load([generated_500_account])).values()))
    assert v._memo is None and v._contexts is None
    v.forget()  # a view that never asked: nothing to drop
    first = v.can("iam:PassRole", "arn:aws:iam::111122223333:role/x")
    assert v.can("iam:PassRole", "arn:aws:iam::111122223333:role/x") is first
    v.forget()
    again = v.can("iam:PassRole", "arn:aws:iam::111122223333:role/x")
    assert again is not first and again == first
