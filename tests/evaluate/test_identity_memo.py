"""Snapshot.identity_policies with a memo (one build's pass) gives the very tuple it gives without
one, for every principal; the memo's parts are told apart by everything they read (pairs below
fail when a part of a key is dropped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.evaluate.applicable import identity_policy_set
from iamgraph.model import Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Snapshot, Statement
from iamgraph.model.principals import Group, ManagedPolicy, PolicyVersion, Role, User
from iamgraph.model.snapshot import IdentityMemo

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p for p in (ROOT / "samples").glob("*.json"))
A, B = "222222222222", "333333333333"


def _doc(action: str) -> PolicyDocument:
    return PolicyDocument("2012-10-17", (Statement(Effect.ALLOW, 0, actions=(action,), resources=("*",)),))


def _managed(account: str, name: str) -> ManagedPolicy:
    arn = f"arn:aws:iam::{account}:policy/{name}"
    return ManagedPolicy(arn, name, versions=(PolicyVersion("v1", True, _doc(f"svc:{name}")),))


def _inline(owner: str, name: str) -> Policy:
    return Policy(PolicyRef(PolicyKind.INLINE, name, name, owner=owner), _doc(f"inline:{name}"))


def _trust(owner: str) -> Policy:
    return Policy(PolicyRef(PolicyKind.TRUST, owner, owner=owner), _doc("sts:AssumeRole"))


def _check(snap: Snapshot) -> IdentityMemo:
    """One memo over every user, role and group: the same tuple object as without the memo."""
    memo: IdentityMemo = {}
    arns = [*snap.users, *snap.roles, *snap.groups, "arn:aws:iam::222222222222:user/none"]
    with_memo = [snap.identity_policies(a, memo) for a in arns]
    for arn, got in zip(arns, with_memo):
        assert got is snap.identity_policies(arn), arn
    return memo


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_same_tuples(path: Path) -> None:
    _check(api.load([str(path)]))


def test_generated_account_same_tuples(generated_500_account: str) -> None:
    snap = api.load([generated_500_account])
    memo = _check(snap)
    assert len(memo) < len(snap.users) + len(snap.roles)  # parts are shared
    # identity_policy_set passes the memo on
    arn = next(iter(snap.roles))
    assert identity_policy_set(snap, arn, memo={}).identity is snap.identity_policies(arn)


def _pairs_snapshot() -> Snapshot:
    """Principals that differ in one thing a memo key must hold."""
    pols = {m.arn: m for m in (_managed(A, "p1"), _managed(A, "p2"), _managed(B, "p1"))}
    p1, p2 = f"arn:aws:iam::{A}:policy/p1", f"arn:aws:iam::{A}:policy/p2"
    groups = {
        g.arn: g
        for g in (
            Group(f"arn:aws:iam::{A}:group/dev", "dev", managed_policy_arns=(p1,)),
            Group(f"arn:aws:iam::{B}:group/dev", "dev", managed_policy_arns=(f"arn:aws:iam::{B}:policy/p1",)),
            Group(f"arn:aws:iam::{A}:group/ops", "ops", inline_policies=(_inline(f"arn:aws:iam::{A}:group/ops", "o"),)),
        )
    }
    users = [
        User(f"arn:aws:iam::{A}:user/u-dev", "u-dev", groups=("dev",)),
        User(f"arn:aws:iam::{B}:user/u-dev", "u-dev", groups=("dev",)),  # same names, other account
        User(f"arn:aws:iam::{A}:user/u-ops", "u-ops", groups=("ops",)),  # other group names
        User(f"arn:aws:iam::{A}:user/u-both", "u-both", groups=("dev", "ops")),
        User(f"arn:aws:iam::{A}:user/u-rev", "u-rev", groups=("ops", "dev")),  # order matters
        User(f"arn:aws:iam::{A}:user/u-m1", "u-m1", managed_policy_arns=(p1,)),
        User(f"arn:aws:iam::{A}:user/u-m2", "u-m2", managed_policy_arns=(p2,)),
        User(f"arn:aws:iam::{A}:user/u-m1-dev", "u-m1-dev", groups=("dev",), managed_policy_arns=(p1,)),
    ]
    roles = [
        Role(f"arn:aws:iam::{A}:role/r1", "r1", _trust("r1"), managed_policy_arns=(p1,)),
        Role(f"arn:aws:iam::{A}:role/r2", "r2", _trust("r2"), managed_policy_arns=(p2,)),
        Role(f"arn:aws:iam::{A}:role/r12", "r12", _trust("r12"), managed_policy_arns=(p1, p2)),
        Role(f"arn:aws:iam::{A}:role/r21", "r21", _trust("r21"), managed_policy_arns=(p2, p1)),
        Role(
            f"arn:aws:iam::{A}:role/ri",
            "ri",
            _trust("ri"),
            inline_policies=(_inline(f"arn:aws:iam::{A}:role/ri", "i"),),
            managed_policy_arns=(p1,),
        ),
        Role(
            f"arn:aws:iam::{A}:role/r-none",
            "r-none",
            _trust("r-none"),
            managed_policy_arns=("arn:aws:iam::aws:policy/x",),
        ),
    ]
    return Snapshot(
        account_ids=(A, B),
        users={u.arn: u for u in users},
        groups=groups,
        roles={r.arn: r for r in roles},
        policies=pols,
    )


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_pairs_told_apart(order: str) -> None:
    """Each principal after any other: a key missing the managed ARNs, the group names, their
    account or the holder's inline policies would hand one the other's policies."""
    snap = _pairs_snapshot()
    arns = [*snap.users, *snap.roles]
    if order == "backward":
        arns.reverse()
    memo: IdentityMemo = {}
    got = {a: snap.identity_policies(a, memo) for a in arns}
    for a in arns:
        assert got[a] is snap.identity_policies(a), a
    assert len({id(t) for t in got.values()}) >= 10  # the pairs do differ
