"""`SharedAnswers` computes the condition-key part of an action (`_action_part`) once per set of
consulted statements and other policies (`_stmt_parts`), not once per set of citations: principals
whose own documents hold the same statement objects share it, and principals whose consulted
statements or other policies (a boundary) differ do not. Each pair below asks a principal whose
part is computed first, then two principals who differ only in a condition key that principal's
statements do not read: a part taken from the first would give them one answer."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect.gaad import parse_gaad
from iamgraph.evaluate.types import PolicySet, Result
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, doc, managed_policy, role, trust_service, user
from iamgraph.techniques.grant_share import SharedAnswers

CREATE = "lambda:CreateFunction"
FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f"
DEV_ONLY = allow(CREATE, Condition={"StringLike": {"aws:username": "dev-*"}})


def _parn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{name}"


def _snapshot() -> Snapshot:
    policies = [managed_policy("create", doc(allow(CREATE))), managed_policy("dev-only", doc(DEV_ONLY))]
    roles = [role("r-create", trust_service("lambda.amazonaws.com"), managed=(_parn("create"),))]
    users: list[dict[str, Any]] = [user(n, managed=(_parn("dev-only"),)) for n in ("dev-a", "ops-b")]
    users += [user(n, managed=(_parn("create"),), boundary=_parn("dev-only")) for n in ("dev-c", "ops-d")]
    # own documents (one more statement naming the user makes them two documents) holding the
    # same statement objects for lambda:CreateFunction
    users += [user(n, allow(CREATE), allow("s3:GetObject", f"arn:aws:s3:::{n}/*")) for n in ("in-1", "in-2")]
    users += [user(n, DEV_ONLY, allow("s3:GetObject", f"arn:aws:s3:::{n}/*")) for n in ("dev-in", "ops-in")]
    gaad = account(users=users, roles=roles, policies=policies)
    return parse_gaad(gaad, file="case:stmt-parts")


def _alone(name: str) -> Result:
    """The answer for one principal in a fresh index (nothing shared)."""
    return AccountIndex.create(_snapshot()).views[_arn(name)].can(CREATE, FN)


@pytest.mark.parametrize(
    ("first", "second", "third"),
    [
        ("role/r-create", "user/dev-a", "user/ops-b"),  # the consulted statements differ
        ("role/r-create", "user/dev-c", "user/ops-d"),  # the same statements, another boundary
        ("user/in-1", "user/dev-in", "user/ops-in"),  # own documents (their answers are never shared)
    ],
)
def test_a_part_is_shared_only_by_the_same_statements_and_other_policies(first: str, second: str, third: str) -> None:
    idx = AccountIndex.create(_snapshot())
    answers = [idx.shared.can(idx.views[_arn(n)], CREATE, FN) for n in (first, second, third)]
    assert answers == [_alone(n) for n in (first, second, third)]
    assert answers[1].allowed and not answers[2].possible, "the pair must tell the condition key apart"


def test_own_documents_with_the_same_statements_share_the_part(monkeypatch: pytest.MonkeyPatch) -> None:
    snap = _snapshot()
    one, two = (snap.users[_arn(f"user/in-{i}")].inline_policies[0].document for i in (1, 2))
    assert one is not two and one.statements[0] is two.statements[0]  # else this tests nothing
    idx = AccountIndex.create(snap)
    computed: list[str] = []
    real = SharedAnswers._action_part

    def counting(self: SharedAnswers, pset: PolicySet, action: str) -> object:
        computed.append(action)
        return real(self, pset, action)

    monkeypatch.setattr(SharedAnswers, "_action_part", counting)
    first, second = (idx.shared.can(idx.views[_arn(f"user/in-{i}")], CREATE, FN) for i in (1, 2))
    assert computed == [CREATE]
    assert first == _alone("user/in-1") and second == _alone("user/in-2") and first != second  # citations
    assert first.allowed and second.allowed
