"""Snapshot.managed / identity_policies / boundary_policies share objects between principals, but
never at the cost of a wrong kind, version, document or holder."""

from __future__ import annotations

from iamgraph.model.policy import Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Statement
from iamgraph.model.principals import ManagedPolicy, PolicyVersion, Role
from iamgraph.model.snapshot import Snapshot

ACCT = "111122223333"
P = f"arn:aws:iam::{ACCT}:policy/p"


def _doc(action: str) -> PolicyDocument:
    return PolicyDocument("2012-10-17", (Statement(Effect.ALLOW, 0, actions=(action,), resources=("*",)),))


def _mp(version: str, action: str) -> ManagedPolicy:
    return ManagedPolicy(P, "p", default_version_id=version, versions=(PolicyVersion(version, True, _doc(action)),))


def _role(name: str, inline: tuple[Policy, ...] = (), boundary: str | None = P) -> Role:
    arn = f"arn:aws:iam::{ACCT}:role/{name}"
    trust = Policy(PolicyRef(PolicyKind.TRUST, arn, owner=arn), _doc("sts:AssumeRole"))
    return Role(arn, name, trust, inline_policies=inline, managed_policy_arns=(P,), permissions_boundary_arn=boundary)


def _snapshot(*roles: Role) -> Snapshot:
    return Snapshot(account_ids=(ACCT,), roles={r.arn: r for r in roles}, policies={P: _mp("v1", "s3:GetObject")})


def test_managed_is_one_object_per_arn_and_kind() -> None:
    snap = _snapshot()
    m, b = snap.managed(P), snap.managed(P, kind=PolicyKind.BOUNDARY)
    assert m is not None and b is not None
    assert m is snap.managed(P) and b is snap.managed(P, kind=PolicyKind.BOUNDARY)
    assert m.ref.kind is PolicyKind.MANAGED and b.ref.kind is PolicyKind.BOUNDARY
    assert m.ref.owner is None and m.ref.version_id == "v1"


def test_managed_follows_a_replaced_policy() -> None:
    snap = _snapshot()
    before = snap.managed(P)
    snap.policies[P] = _mp("v2", "iam:PassRole")
    after = snap.managed(P)
    assert before is not None and after is not None and after is not before
    assert after.ref.version_id == "v2" and after.document.statements[0].actions == ("iam:PassRole",)


def test_principals_with_the_same_attachments_share_tuples() -> None:
    a, b = _role("a"), _role("b")
    snap = _snapshot(a, b)
    assert snap.identity_policies(a.arn) is snap.identity_policies(b.arn)
    assert snap.boundary_policies(a.arn) is snap.boundary_policies(b.arn)
    assert snap.boundary_policies(a.arn)[0].ref.kind is PolicyKind.BOUNDARY


def test_inline_policies_keep_their_holder() -> None:
    inline_a = Policy(PolicyRef(PolicyKind.INLINE, "x", owner=f"arn:aws:iam::{ACCT}:role/a"), _doc("s3:*"))
    inline_b = Policy(PolicyRef(PolicyKind.INLINE, "x", owner=f"arn:aws:iam::{ACCT}:role/b"), _doc("s3:*"))
    a, b = _role("a", (inline_a,)), _role("b", (inline_b,))
    snap = _snapshot(a, b)
    pa, pb = snap.identity_policies(a.arn), snap.identity_policies(b.arn)
    assert pa is not pb
    assert pa[0] is inline_a and pb[0] is inline_b
    assert pa[1] is pb[1]  # the managed policy is shared


def test_a_stale_cache_entry_is_never_returned() -> None:
    """An unpickled snapshot (another process) carries keys naming ids that new objects may reuse."""
    arn = f"arn:aws:iam::{ACCT}:role/a"
    snap = _snapshot(_role("a"))
    mine = snap.managed(P)
    assert mine is not None
    other = Policy(PolicyRef(PolicyKind.MANAGED, "arn:aws:iam::aws:policy/other"), _doc("iam:*"))
    snap._policy_tuples[(id(mine),)] = (other,)  # as if `other` had once had mine's id
    assert snap.identity_policies(arn) == (mine,)
    assert snap.identity_policies(arn)[0] is mine
