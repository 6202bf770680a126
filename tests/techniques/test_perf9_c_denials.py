"""The admin probe's shared denials (techniques/admin.py `_denial_key`): a principal no identity
Allow names the probe for gets the decision of another principal only when nothing the decision
reads differs. Each pair below differs in one part of the key and has different right answers (an
explicit against an implicit deny); every answer given through the memo must equal the principal's
own probe in a fresh index, and a principal of the same key as one already asked is not evaluated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.types import Decision, Result
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.admin import PROBES, AdminStatus, _denial_key, _identity_denials
from iamgraph.techniques.attacker_view import AttackerOptions
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

NOW = 1_800_000_000


def _parn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


POLICIES = [
    managed_policy("deny-all", doc(deny("*"))),
    managed_policy("deny-dev", doc(deny("*", Condition={"StringLike": {"aws:username": "dev-*"}}))),
    managed_policy("deny-no-name", doc(deny("*", Condition={"Null": {"aws:username": "true"}}))),
    managed_policy("deny-role-type", doc(deny("*", Condition={"StringEquals": {"aws:PrincipalType": "Role"}}))),
    managed_policy("deny-iam", doc(deny("iam:*"))),
    managed_policy("allow-all", doc(allow("*"))),  # names no probe before iam:PutRolePolicy
]


def _user(name: str, *managed: str, boundary: str | None = None) -> dict[str, Any]:
    return user(name, managed=tuple(_parn(m) for m in managed), boundary=boundary)


def _role(name: str, *managed: str) -> dict[str, Any]:
    return role(name, trust_service("lambda.amazonaws.com"), managed=tuple(_parn(m) for m in managed))


def _snapshot() -> Snapshot:
    users = [
        _user("dev-a", "deny-dev"),
        _user("dev-b", "deny-dev"),
        _user("ops-c", "deny-dev"),
        _user("all-d", "deny-all"),
        _user("all-e", "deny-all"),
        _user("u-iam", "deny-iam"),
        _user("t-bounded", "deny-role-type", boundary=_parn("deny-all")),
        _user("t-plain", "deny-role-type"),
        _user("t-all-typed", "deny-all", boundary=_parn("deny-role-type")),
        _user("t-typed-typed", "deny-role-type", boundary=_parn("deny-role-type")),
        _user("u-allowed", "allow-all", "deny-iam"),
    ]
    roles = [_role("r-no-name", "deny-no-name"), _role("r-name-unknown", "deny-no-name")]
    gaad = account(users=users, roles=roles, policies=POLICIES, with_admin_policy=False)
    d = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": gaad}],
    }
    return parse_snapshot_document(d, file="case:perf9-c-denials")


def _index() -> AccountIndex:
    idx = AccountIndex.create(_snapshot(), AttackerOptions(now=NOW))
    # a role whose aws:username is unknown rather than known absent (everything else equal)
    v = idx.views[_arn("role/r-name-unknown")]
    v.base_absent = v.base_absent - {"aws:username"}
    return idx


def _key(view: PrincipalView, action: str) -> tuple[object, ...] | None:
    """admin_status's key for `view`'s probe of `action` (None: not shared)."""
    denying = _identity_denials(view.policies, action)
    return None if denying is None else _denial_key(view, view.policies, action, denying)


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{name}"


def _alone(name: str) -> AdminStatus:
    """The principal's first probe in a fresh index, nothing shared (admin_status's first step)."""
    res = _index().views[_arn(name)].can(PROBES[0], "*")
    assert res.decision in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY)
    return AdminStatus(res.decision, ())


@dataclass(frozen=True)
class Pair:
    part: str
    first: str
    second: str


PAIRS = [
    Pair("principal key value", "user/dev-a", "user/ops-c"),
    Pair("denying identity documents", "user/all-d", "user/ops-c"),
    Pair("other policies (boundary)", "user/t-bounded", "user/t-plain"),
    Pair("denying identity documents, with a boundary", "user/t-all-typed", "user/t-typed-typed"),
    Pair("known absent key", "role/r-no-name", "role/r-name-unknown"),
]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.part)
def test_a_shared_denial_is_the_principals_own(pair: Pair) -> None:
    idx = _index()
    first, second = idx.admin(_arn(pair.first)), idx.admin(_arn(pair.second))
    assert first == _alone(pair.first)
    assert second == _alone(pair.second)
    assert first.decision is not second.decision, "the pair must tell the key part apart"
    for name in (pair.first, pair.second):
        v = idx.views[_arn(name)]
        assert _key(v, PROBES[0]) is not None, "the pair must take the shared path"


def test_principals_of_one_key_are_evaluated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    idx = _index()
    asked: list[str] = []
    real = PrincipalView.can

    def counting(self: PrincipalView, action: str, resource: str, **kw: Any) -> Result:
        asked.append(self.arn.rsplit(":", 1)[1])
        return real(self, action, resource, **kw)

    monkeypatch.setattr(PrincipalView, "can", counting)
    assert idx.admin(_arn("user/all-d")).decision is Decision.EXPLICIT_DENY
    assert idx.admin(_arn("user/all-e")).decision is Decision.EXPLICIT_DENY  # no key read: same as all-d
    assert idx.admin(_arn("user/dev-a")).decision is Decision.EXPLICIT_DENY
    assert idx.admin(_arn("user/dev-b")).decision is Decision.EXPLICIT_DENY  # another aws:username
    assert asked == ["user/all-d", "user/dev-a", "user/dev-b"]


def test_a_probe_an_allow_or_no_deny_names_is_not_shared() -> None:
    idx = _index()
    v = idx.views[_arn("user/u-iam")]
    assert idx.admin(v.arn) == AdminStatus(Decision.IMPLICIT_DENY, ())  # never_allowed answers it
    assert _key(v, "iam:PutRolePolicy") is not None
    assert _key(v, "sts:AssumeRole") is None  # companions: not shared
    w = idx.views[_arn("user/u-allowed")]
    assert _key(w, "iam:PutRolePolicy") is None  # an identity Allow names it
    assert idx.admin(w.arn) == AdminStatus(Decision.EXPLICIT_DENY, ())
