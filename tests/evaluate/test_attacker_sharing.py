"""Work the attacker's search shares between credential variants (evaluate/attacker.py,
`_CredentialRuns`) and the cheap "cannot change" check (`may_change`): the shared answer must be
the answer each variant gets on its own."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.evaluate import attacker as attacker_mod
from iamgraph.evaluate.attacker import Attacker, may_change, relevant, resolve
from iamgraph.evaluate.conditions import Context
from iamgraph.evaluate.engine import decide
from iamgraph.evaluate.types import Decision, PolicySet, Result
from iamgraph.model import Policy, PolicyKind, PolicyRef

USER = "arn:aws:iam::111122223333:user/eve"
ROLE = "arn:aws:iam::111122223333:role/app"
NOW = 1_790_000_000.0
CREATED = 1_686_000_000.0


def pol(*stmts: dict[str, Any], name: str = "p") -> Policy:
    return Policy(
        PolicyRef(PolicyKind.INLINE, name, name),
        parse_policy_document({"Version": "2012-10-17", "Statement": list(stmts)}),
    )


def allow(action: str, cond: dict[str, Any] | None = None) -> dict[str, Any]:
    s: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": "*"}
    if cond:
        s["Condition"] = cond
    return s


def deny(action: str, cond: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**allow(action, cond), "Effect": "Deny"}


def attack(
    *policies: Policy,
    action: str,
    who: str = USER,
    values: dict[str, Any] | None = None,
    shared: bool = True,
    calls: list[str] | None = None,
    created: float | None = None,
) -> Result:
    ps = PolicySet(identity=policies)
    vals: dict[str, Any] = {"aws:PrincipalArn": who, **(values or {})}

    def dec(a: str, ctx: Context) -> Result:
        if calls is not None:
            calls.append(a)
        return decide(who, a, "*", ps, ctx)

    first = dec(action.lower(), Context.from_mapping(vals, (), True, frozenset()))
    create = attacker_mod._CredentialRuns.create
    if not shared:  # the reference: every variant searched on its own

        def unshared(search: Any, conds: Any, reads_variable: bool) -> Any:
            return create(search, conds, True)

        attacker_mod._CredentialRuns.create = unshared  # type: ignore[method-assign,assignment]
    try:
        return resolve(
            first,
            action=action,
            decide=dec,
            values=vals,
            absent=frozenset(),
            policies=ps,
            attacker=Attacker(is_user=who == USER, now=NOW, created=created),
        )
    finally:
        attacker_mod._CredentialRuns.create = create  # type: ignore[method-assign]


def test_variants_no_condition_tells_apart_are_searched_once() -> None:
    # the quota account's shape: deny unless MFA (BoolIfExists false), and an Allow needing MFA
    p = pol(deny("*", {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}), allow("s3:GetObject"))
    calls: list[str] = []
    r = attack(p, action="s3:GetObject", calls=calls)
    assert r.decision is Decision.UNKNOWN and "MFA" in r.credential
    # first decision + access key (= session token = console: MFA absent or false) + MFA
    assert len(calls) == 3
    calls.clear()
    assert attack(p, action="s3:GetObject", calls=calls, shared=False) == r
    assert len(calls) == 5  # unshared: first + 4 variants


@pytest.mark.parametrize(
    "cond",
    [
        {"Null": {"aws:MultiFactorAuthPresent": "false"}},  # present: a session token, not an access key
        {"Bool": {"aws:MultiFactorAuthPresent": "false"}},  # "false" matches, absent does not
        {"NumericLessThan": {"aws:TokenIssueTime": "1"}, "Null": {"aws:TokenIssueTime": "false"}},
    ],
)
def test_a_condition_telling_access_key_from_session_token_keeps_them_apart(cond: dict[str, Any]) -> None:
    p = pol(allow("s3:GetObject", {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}, **cond}))
    shared = attack(p, action="s3:GetObject")
    assert shared == attack(p, action="s3:GetObject", shared=False)
    if "Bool" in cond or "Null" in cond and "aws:MultiFactorAuthPresent" in cond["Null"]:
        assert shared.decision is Decision.ALLOWED and shared.credential == "session token without MFA"


def test_a_credential_key_read_through_a_variable_is_not_shared() -> None:
    # BoolIfExists cannot tell the access key from the session token; the variable can: only the
    # session token carries aws:TokenIssueTime, equal to the principal's tag here
    p = pol(
        allow(
            "s3:GetObject",
            {
                "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                "StringEquals": {"aws:PrincipalTag/t": "${aws:TokenIssueTime}"},
            },
        )
    )
    assert relevant(PolicySet(identity=(p,)), ["s3:getobject"]).credential_variable
    r = attack(p, action="s3:GetObject", values={"aws:PrincipalTag/t": str(int(NOW))})
    assert r.decision is Decision.ALLOWED and r.credential == "session token without MFA"
    assert r == attack(p, action="s3:GetObject", values={"aws:PrincipalTag/t": str(int(NOW))}, shared=False)


def test_a_variable_in_the_resource_naming_a_credential_key_counts() -> None:
    p = pol({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:TokenIssueTime}"})
    assert relevant(PolicySet(identity=(p,)), ["s3:getobject"]).credential_variable
    q = pol({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"})
    assert not relevant(PolicySet(identity=(q,)), ["s3:getobject"]).credential_variable


def test_a_condition_on_a_credential_key_with_a_variable_is_told_apart_by_the_value() -> None:
    # console (MFA false) and MFA credentials (true) against ${aws:PrincipalTag/m} = "true": only the
    # MFA credential matches, so the two must not share an answer
    p = pol(allow("iam:CreateRole", {"StringEquals": {"aws:MultiFactorAuthPresent": "${aws:PrincipalTag/m}"}}))
    r = attack(p, action="iam:CreateRole", values={"aws:PrincipalTag/m": "true"})
    assert r.decision is Decision.UNKNOWN and "MFA" in r.credential
    assert r == attack(p, action="iam:CreateRole", values={"aws:PrincipalTag/m": "true"}, shared=False)


def test_may_change() -> None:
    ps = PolicySet(identity=(pol(allow("iam:TagRole"), allow("s3:GetObject")),))
    denied = Result(Decision.IMPLICIT_DENY)
    assert not may_change(denied, "s3:GetObject", ps)  # no condition at all
    assert not may_change(Result(Decision.ALLOWED), "s3:GetObject", ps)
    mfa = PolicySet(identity=(pol(allow("s3:GetObject", {"Bool": {"aws:MultiFactorAuthPresent": "true"}})),))
    assert may_change(Result(Decision.UNKNOWN), "s3:GetObject", mfa)
    assert not may_change(denied, "s3:GetObject", mfa)  # a definite denial: only tags could change it
    tagged = PolicySet(identity=(pol(allow("s3:GetObject", {"StringEquals": {"aws:ResourceTag/team": "x"}})),))
    assert may_change(denied, "s3:GetObject", tagged)
    # the companion's conditions count: tags on create need iam:TagRole, whose condition tests a tag
    comp = PolicySet(
        identity=(pol(allow("iam:CreateRole"), allow("iam:TagRole", {"StringEquals": {"aws:ResourceTag/a": "b"}})),)
    )
    assert may_change(denied, "iam:CreateRole", comp)


# ---- differential: shared == every variant on its own, over generated credential conditions ----

_COND = st.sampled_from(
    [
        ("Bool", "aws:MultiFactorAuthPresent", "true"),
        ("Bool", "aws:MultiFactorAuthPresent", "false"),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", "false"),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", "true"),
        ("Null", "aws:MultiFactorAuthPresent", "true"),
        ("Null", "aws:MultiFactorAuthPresent", "false"),
        ("Null", "aws:TokenIssueTime", "false"),
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600"),
        ("NumericLessThanIfExists", "aws:MultiFactorAuthAge", "3600"),
        ("DateGreaterThan", "aws:TokenIssueTime", "2024-01-01T00:00:00Z"),
        ("DateLessThan", "aws:TokenIssueTime", "2020-01-01T00:00:00Z"),
        ("StringEquals", "aws:MultiFactorAuthPresent", "${aws:PrincipalTag/m}"),
        ("StringEquals", "aws:PrincipalTag/m", "${aws:MultiFactorAuthPresent}"),
        ("StringEquals", "aws:RequestTag/team", "blue"),
    ]
)
_STMT = st.tuples(st.booleans(), st.lists(_COND, min_size=1, max_size=2))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(
    stmts=st.lists(_STMT, min_size=1, max_size=3),
    action=st.sampled_from(["s3:GetObject", "iam:CreateRole", "sts:AssumeRole"]),
    who=st.sampled_from([USER, ROLE]),
    created=st.sampled_from([None, CREATED]),
    tag=st.sampled_from(["true", "false"]),
)
def test_shared_answers_equal_unshared(
    stmts: list[tuple[bool, list[tuple[str, str, str]]]], action: str, who: str, created: float | None, tag: str
) -> None:
    docs = []
    for is_deny, conds in stmts:
        cond: dict[str, dict[str, str]] = {}
        for op, key, value in conds:
            cond.setdefault(op, {})[key] = value
        docs.append((deny if is_deny else allow)("*", cond))
    docs.append(allow(action))  # something to allow, so the denials matter
    p = pol(*docs)
    kw: dict[str, Any] = {"action": action, "who": who, "created": created, "values": {"aws:PrincipalTag/m": tag}}
    assert attack(p, **kw) == attack(p, **kw, shared=False)


# ---- memo keys of `relevant` ---------------------------------------------------------------


def test_relevant_is_keyed_on_every_policy_type_not_only_the_identity_policies() -> None:
    identity = (pol(allow("s3:GetObject")),)  # one tuple object, shared as a principal's requests share it
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    boundary = pol(allow("s3:GetObject", mfa), name="b")
    scp = pol(allow("*", {"Bool": {"aws:SecureTransport": "true"}}), name="scp")
    trust = pol(allow("s3:GetObject", {"StringEquals": {"aws:ResourceTag/team": "x"}}), name="t")

    def keys(ps: PolicySet) -> list[str]:
        return [c.key for c in relevant(ps, ["s3:getobject"]).conds]

    assert keys(PolicySet(identity=identity)) == []
    # same identity tuple, a boundary / an SCP level / a resource policy more: their conditions count
    assert keys(PolicySet(identity=identity, boundaries=(boundary,))) == ["aws:multifactorauthpresent"]
    assert keys(PolicySet(identity=identity, scps=((scp,),))) == ["aws:securetransport"]
    assert keys(PolicySet(identity=identity, rcps=((scp,),))) == ["aws:securetransport"]
    assert keys(PolicySet(identity=identity, session=boundary)) == ["aws:multifactorauthpresent"]
    with_trust = PolicySet(identity=identity, boundaries=(boundary,), resource=trust)
    assert keys(with_trust) == ["aws:multifactorauthpresent", "aws:resourcetag/team"]
    assert relevant(with_trust, ["s3:getobject"]).tags
    assert not relevant(PolicySet(identity=identity, boundaries=(boundary,)), ["s3:getobject"]).tags


def test_relevant_orders_conditions_by_action_then_policy() -> None:
    p = pol(
        allow("sts:TagSession", {"StringEquals": {"aws:RequestTag/a": "1"}}),
        allow("sts:AssumeRole", {"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
    )
    t = pol(allow("sts:AssumeRole", {"StringEquals": {"sts:ExternalId": "x"}}), name="t")
    ps = PolicySet(identity=(p,), resource=t)
    got = [c.key for c in relevant(ps, ["sts:assumerole", "sts:tagsession"]).conds]
    assert got == ["aws:multifactorauthpresent", "sts:externalid", "aws:requesttag/a"]


def test_forget_memos_lets_the_policies_go() -> None:
    ps = PolicySet(identity=(pol(allow("s3:GetObject", {"Bool": {"aws:SecureTransport": "true"}})),))
    assert relevant(ps, ["s3:getobject"]).conds
    assert attacker_mod._COND_MEMO and attacker_mod._BASE_MEMO
    attacker_mod.forget_memos()
    assert not attacker_mod._COND_MEMO and not attacker_mod._BASE_MEMO
    assert [c.key for c in relevant(ps, ["s3:getobject"]).conds] == ["aws:securetransport"]  # recomputed
