"""granted_on returns at once when its prefilter leaves no candidate but the ARN it skips (the
source itself under a self-service `user/${aws:username}` Allow, as for iam-002/003/006), and
substitute finds a variable's key through a lower-case name map shared by views of the same key
names. Every answer must equal the one of the definition (no prefilter, no shared map)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from iamgraph.collect.gaad import parse_gaad
from iamgraph.evaluate.variables import WILD_ONE, WILD_STAR, Var, parse_template
from iamgraph.graph.build import catalogue
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.base import Proposal
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, user
from iamgraph.techniques.families.access import PrincipalAccess
from iamgraph.techniques.principal import PrincipalView
from iamgraph.techniques.target_grants import granted_on

ACTIONS = ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:UpdateLoginProfile"]
SELF = f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"


def _arn(name: str, path: str = "/") -> str:
    return f"arn:aws:iam::{ACCOUNT}:user{path}{name}"


def _snapshot() -> Snapshot:
    users: list[dict[str, Any]] = [
        user("alice", allow(ACTIONS, SELF)),  # itself only: nothing to propose
        user("bob", allow(ACTIONS, _arn("carol"))),  # one other user, exactly
        user("dave", allow(ACTIONS, [SELF, _arn("carol")])),  # itself and another
        user("frank", allow(ACTIONS, _arn("frank"))),  # its own ARN, exactly
        user("gina", allow(ACTIONS, _arn("nobody"))),  # a user that does not exist
        user("hank", allow(ACTIONS)),  # every user (Resource "*")
        user("carol"),
        user("eve"),
    ]
    # a user under a path: `user/${aws:username}` names the user `eve` at the root, not itself
    dev = user("eve-dev", allow(ACTIONS, SELF))
    dev.update(Path="/dev/", UserName="eve", Arn=_arn("eve", "/dev/"), UserId="AIDAEVEDEVXXXXXXXXXX")
    users.append(dev)
    return parse_gaad(account(users=users), file="case:perf8-e-self-service")


def _by_definition(ctx: AccountIndex, src: PrincipalView, action: str, arns: Iterable[str], skip: str) -> dict:
    """granted_on's answer as defined: every ARN but `skip` the source may act on, with its grant
    (no pattern prefilter, no shortcut)."""
    out = {}
    for arn in arns:
        if arn != skip and src.may(action) and src.may_on(action, arn):
            g = ctx.grant(src, action, arn)
            if g is not None:
                out[arn] = g
    return out


def _techniques() -> list[PrincipalAccess]:
    return [t for t in catalogue() if isinstance(t, PrincipalAccess)]


def _targets(props: Iterable[Proposal]) -> list[str]:
    return [p.target for p in props]


def test_granted_on_and_principal_access_as_defined() -> None:
    snap = _snapshot()
    techs = _techniques()
    assert {"iam-002", "iam-003", "iam-006"} <= {t.id for t in techs}
    got: dict[tuple[str, str], list[str]] = {}
    for t in techs:
        for src_arn in snap.users:
            ctx = AccountIndex.create(snap)
            users = ctx.users_in(ACCOUNT)
            for action in t.actions:
                fast = dict(granted_on(ctx, ctx.views[src_arn], action, users, group=f"users:{ACCOUNT}", skip=src_arn))
                fresh = AccountIndex.create(snap)
                assert fast == _by_definition(fresh, fresh.views[src_arn], action, users, src_arn), (action, src_arn)
            got[t.id, src_arn] = _targets(t.propose(ctx, ctx.views[src_arn]))
    carol, eve = _arn("carol"), _arn("eve")
    for tid in ("iam-002", "iam-003", "iam-006"):
        assert got[tid, _arn("alice")] == []
        assert got[tid, _arn("frank")] == []
        assert got[tid, _arn("gina")] == []
        assert got[tid, _arn("bob")] == [carol]
        assert got[tid, _arn("dave")] == [carol]
        assert got[tid, _arn("eve", "/dev/")] == [eve]
        assert len(got[tid, _arn("hank")]) == len(snap.users) - 1


def _substitute_reference(src: PrincipalView, pattern: str, unresolved: str) -> str:
    """substitute as it was: parse_template's parts filled one by one."""
    parts = parse_template(pattern)
    if parts is None:
        return pattern
    low = {k.lower(): v for k, v in src.base_context.items()}
    out = []
    for part in parts:
        if isinstance(part, Var):
            v = low.get(part.key)
            out.append(v if isinstance(v, str) else part.default if part.default is not None else unresolved)
        else:
            out.append(str(part).replace(WILD_STAR, "*").replace(WILD_ONE, "?"))
    return "".join(out)


PATTERNS = [
    "arn:aws:iam::*:user/${aws:username}",
    "arn:aws:iam::*:user/${AWS:UserName}-?X*",
    "arn:aws:s3:::b/${*}${?}${$}/${aws:username}/*",
    "arn:aws:s3:::b/${aws:PrincipalTag/team}/${aws:PrincipalTag/missing, 'dflt'}",
    "arn:aws:s3:::b/${aws:PrincipalTag/missing}",
    "arn:aws:s3:::b/${not a var}/x",
    "arn:aws:s3:::b/${unterminated",
    "arn:aws:s3:::plain/*",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_substitute_same_as_reference(pattern: str) -> None:
    snap = parse_gaad(account(users=[user("ann", tags={"team": "red"})]), file="case:perf8-e-substitute")
    src = AccountIndex.create(snap).views[_arn("ann")]
    for unresolved in ("\0", "iamgraph"):
        assert src.substitute(pattern, unresolved) == _substitute_reference(src, pattern, unresolved)


def test_substitute_reads_own_keys_only_for_a_variable() -> None:
    snap = parse_gaad(account(users=[user("ann")]), file="case:perf8-e-lazy")
    src = AccountIndex.create(snap).views[_arn("ann")]
    assert "_pending" in src.__dict__  # own keys not made yet
    assert src.substitute("arn:aws:s3:::b/${*}", "\0") == "arn:aws:s3:::b/*"
    assert "_pending" in src.__dict__  # an escape is no variable: still not made
    assert src.substitute("arn:aws:s3:::b/${aws:username}", "\0") == "arn:aws:s3:::b/ann"


# the same lower-case names in another order, spelling or number: each view keeps its own answer
KEY_SETS = [
    {"aws:PrincipalTag/Team": "red"},
    {"aws:PrincipalTag/team": "blue"},
    {"aws:PrincipalTag/Team": "red", "AWS:PrincipalTag/TEAM": "green"},
    {"AWS:PrincipalTag/TEAM": "green", "aws:PrincipalTag/Team": "red"},
    {"aws:PrincipalTag/Team": "red", "aws:PrincipalTag/other": "x"},
    {"aws:PrincipalTag/other": "x"},
]


def test_substitute_shared_names_follow_each_views_keys() -> None:
    """`_lower_names` is shared by views with the same key names: views whose names differ in
    order, spelling or number, asked one after another, each get their own keys' value."""
    snap = parse_gaad(account(users=[user("ann")]), file="case:perf8-e-names")
    base = AccountIndex.create(snap).views[_arn("ann")]
    pattern = "arn:aws:s3:::b/${aws:PrincipalTag/team}"
    got = []
    for keys in KEY_SETS:
        v = PrincipalView(base.arn, base.kind, base.name, base.policies, dict(keys), frozenset())
        got.append(v.substitute(pattern, "?"))
        assert got[-1] == _substitute_reference(v, pattern, "?"), keys
    assert got == [f"arn:aws:s3:::b/{x}" for x in ("red", "blue", "green", "red", "red", "?")]
