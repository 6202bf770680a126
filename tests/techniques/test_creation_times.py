"""AttackerView.created (CreationTimes) answers what the eager map `{**users, **roles}` of
`epoch(CreateDate)` answered, reading each principal's date on first lookup only."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.model import Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Snapshot, Statement
from iamgraph.model.principals import Role, User
from iamgraph.techniques.attacker_view import AttackerOptions, AttackerView, CreationTimes, epoch

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.json"))


def _eager(snap: Snapshot) -> dict[str, float | None]:
    out = {a: epoch(u.create_date) for a, u in snap.users.items()}
    out.update({a: epoch(r.create_date) for a, r in snap.roles.items()})
    return out


def _check(snap: Snapshot) -> None:
    ref = _eager(snap)
    lazy = AttackerView.create(snap, AttackerOptions(now=0.0)).created
    assert isinstance(lazy, CreationTimes)
    for arn in reversed(list(ref)):  # lookups in another order than built
        assert lazy.get(arn) == ref[arn] and lazy[arn] == ref[arn], arn
    assert lazy.get("arn:aws:iam::222222222222:user/absent") is None
    assert lazy.get("arn:aws:iam::222222222222:user/absent", 1.0) == 1.0
    with pytest.raises(KeyError):
        lazy["arn:aws:iam::222222222222:user/absent"]
    assert list(lazy) == list(ref) and len(lazy) == len(ref) and dict(lazy) == ref


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples(path: Path) -> None:
    _check(api.load([str(path)]))


def test_generated_account(generated_500_account: str) -> None:
    _check(api.load([generated_500_account]))


def _trust(owner: str) -> Policy:
    doc = PolicyDocument("2012-10-17", (Statement(Effect.ALLOW, 0, actions=("sts:AssumeRole",)),))
    return Policy(PolicyRef(PolicyKind.TRUST, owner, owner=owner), doc)


def test_role_wins_over_a_user_of_its_arn_and_dates_are_read_lazily() -> None:
    shared = "arn:aws:iam::222222222222:role/both"
    snap = Snapshot(
        account_ids=("222222222222",),
        users={
            shared: User(shared, "both", create_date="2020-01-01T00:00:00Z"),
            "arn:aws:iam::222222222222:user/u": User("arn:aws:iam::222222222222:user/u", "u", create_date="bad"),
        },
        roles={shared: Role(shared, "both", _trust(shared), create_date="2021-06-01 10:00:00+00:00")},
    )
    lazy = CreationTimes(snap)
    assert lazy._done == {}  # nothing read before a lookup
    assert lazy[shared] == epoch("2021-06-01 10:00:00+00:00") != epoch("2020-01-01T00:00:00Z")
    assert list(lazy._done) == [shared]
    _check(snap)
