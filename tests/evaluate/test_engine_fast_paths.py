"""The decision's shortcuts (evaluate/engine.py) answer as the full formula does: the identity-only
path, the shared "nothing applies" group, and citations memoised per policy object."""

from __future__ import annotations

from typing import Any

from evalkit import ACCT, OTHER, ROLE, USER, allow, deny, pol
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.evaluate.conditions import Context
from iamgraph.evaluate.engine import decide
from iamgraph.evaluate.types import Decision, PolicySet, Result
from iamgraph.model import Policy, PolicyKind, PolicyRef

FULL = pol(allow(), kind=PolicyKind.SCP, pid="FullAWSAccess")
KEY = f"arn:aws:kms:eu-west-1:{ACCT}:key/1"
OBJ = "arn:aws:s3:::b/k"


def test_a_document_shared_by_two_policies_cites_each_policy() -> None:
    shared = pol(allow("s3:GetObject"), pid="first")
    other = Policy(PolicyRef(PolicyKind.CUSTOM, "second"), shared.document)  # same document object
    ctx = Context.from_mapping({}, (), True, frozenset())
    a = decide(USER, "s3:GetObject", OBJ, PolicySet(identity=(shared,)), ctx)
    b = decide(USER, "s3:GetObject", OBJ, PolicySet(identity=(other,)), ctx)
    assert [r.policy.id for r in a.allowed_by] == ["first"]
    assert [r.policy.id for r in b.allowed_by] == ["second"]
    both = decide(USER, "s3:GetObject", OBJ, PolicySet(identity=(shared, other)), ctx)
    assert [r.policy.id for r in both.allowed_by] == ["first", "second"]


_COND = st.sampled_from(
    [
        {},
        {"StringEquals": {"aws:PrincipalTag/team": "blue"}},  # unknown in the open world
        {"StringEquals": {"aws:username": "bob"}},  # fixed by the context below
        {"StringEquals": {"aws:username": "eve"}},
        {"Bool": {"aws:SecureTransport": "true"}},
    ]
)
_STMT = st.tuples(st.booleans(), st.sampled_from(["s3:GetObject", "s3:*", "*", "kms:Decrypt"]), _COND)


def _drop_full(r: Result) -> tuple[Any, ...]:
    keep = tuple(x for x in r.allowed_by if x.policy.id != "FullAWSAccess")
    return (r.decision, keep, r.denied_by, r.unknown_keys)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    stmts=st.lists(_STMT, max_size=4),
    action=st.sampled_from(["s3:GetObject", "kms:Decrypt"]),
    resource=st.sampled_from([OBJ, KEY, "*"]),
    principal=st.sampled_from([USER, ROLE, "lambda.amazonaws.com"]),
    resource_account=st.sampled_from([None, ACCT, OTHER]),
)
def test_identity_only_path_equals_the_full_formula(
    stmts: list[tuple[bool, str, dict[str, Any]]],
    action: str,
    resource: str,
    principal: str,
    resource_account: str | None,
) -> None:
    docs = [(deny if d else allow)(a, "*", **({"Condition": c} if c else {})) for d, a, c in stmts]
    identity = (pol(*docs),) if docs else ()
    ctx = Context.from_mapping({"aws:username": "bob"}, (), True, frozenset())
    alone = decide(principal, action, resource, PolicySet(identity=identity, resource_account=resource_account), ctx)
    # an SCP level allowing everything changes nothing but the citations: the full formula's answer
    full = decide(
        principal,
        action,
        resource,
        PolicySet(identity=identity, scps=((FULL,),), resource_account=resource_account),
        ctx,
    )
    assert _drop_full(alone) == _drop_full(full)
    if not docs:
        assert alone.decision is Decision.IMPLICIT_DENY and not alone.allowed_by
