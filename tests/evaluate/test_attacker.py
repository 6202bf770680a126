"""The attacker's view of a request (evaluate/attacker.py): existential search over the values the
policies mention, credential types, tag steps. Pages: IAM User Guide, "AWS global condition
context keys" (Availability of each key); AWS STS API Reference, GetSessionToken."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.evaluate.attacker import Attacker, key_candidates, resolve
from iamgraph.evaluate.conditions import CompiledCondition, Context
from iamgraph.evaluate.context_keys import TABLE, KeyClass, classify
from iamgraph.evaluate.engine import decide
from iamgraph.evaluate.types import Decision, PolicySet, Result, Step
from iamgraph.model import Condition, Policy, PolicyKind, PolicyRef

USER = "arn:aws:iam::111122223333:user/eve"
ROLE = "arn:aws:iam::111122223333:role/app"
NOW = 1_790_000_000.0  # 2026-09
CREATED_2023 = 1_686_000_000.0


def pol(*stmts: dict[str, Any]) -> Policy:
    return Policy(
        PolicyRef(PolicyKind.INLINE, "p", "p"),
        parse_policy_document({"Version": "2012-10-17", "Statement": list(stmts)}),
    )


def allow(action: str = "*", **kw: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": "*", **kw}


def deny(action: str = "*", **kw: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": "*", **kw}


def attack(
    *stmts: dict[str, Any],
    action: str = "iam:CreateRole",
    who: str = USER,
    created: float | None = None,
    tagger: Any = None,
    pinned: Mapping[str, str] | None = None,
) -> Result:
    ps = PolicySet(identity=(pol(*stmts),))
    values: dict[str, Any] = {"aws:PrincipalArn": who, **(pinned or {})}

    def dec(a: str, ctx: Context) -> Result:
        return decide(who, a, "*", ps, ctx)

    first = dec(action.lower(), Context.from_mapping(values, (), True, frozenset()))
    return resolve(
        first,
        action=action,
        decide=dec,
        values=values,
        absent=frozenset(),
        policies=ps,
        attacker=Attacker(is_user=who == USER, now=NOW, created=created),
        tag_resource=tagger,
        pinned=frozenset(k.lower() for k in (pinned or {})),
    )


def test_request_tag_is_chosen_and_needs_the_tag_permission() -> None:
    need = {"Condition": {"StringEquals": {"aws:RequestTag/team": "blue"}}}
    r = attack(allow("iam:CreateRole", **need), allow("iam:TagRole"))
    assert r.decision is Decision.ALLOWED
    assert dict(r.context) == {"aws:RequestTag/team": "blue"}
    assert [s.action for s in r.steps] == ["iam:TagRole"]  # tags on create need iam:TagRole too
    r = attack(allow("iam:CreateRole", **need))
    assert r.decision is Decision.IMPLICIT_DENY  # complete search: no context works


def test_request_tags_and_tag_keys_agree() -> None:
    r = attack(
        allow(
            "iam:CreateRole",
            Condition={
                "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]},
                "StringEquals": {"aws:RequestTag/team": "blue"},
            },
        ),
        allow("iam:TagRole"),
    )
    assert r.decision is Decision.ALLOWED
    assert dict(r.context) == {"aws:RequestTag/team": "blue", "aws:TagKeys": ("team",)}


def test_a_deny_the_attacker_can_dodge_does_not_block() -> None:
    r = attack(allow(), deny(Condition={"Bool": {"aws:SecureTransport": "false"}}))
    assert r.decision is Decision.ALLOWED and dict(r.context) == {"aws:SecureTransport": "true"}


def test_a_deny_the_attacker_cannot_dodge_blocks() -> None:
    # allowed only with the tag, denied whenever the tag is sent
    r = attack(
        allow("iam:CreateRole", Condition={"StringEquals": {"aws:RequestTag/team": "blue"}}),
        allow("iam:TagRole"),
        deny("iam:CreateRole", Condition={"Null": {"aws:RequestTag/team": "false"}}),
    )
    assert r.decision is Decision.IMPLICIT_DENY


def test_outside_keys_stay_unknown_and_are_named() -> None:
    r = attack(allow(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    assert r.decision is Decision.UNKNOWN and r.unknown_keys == {"aws:SourceIp"}
    r = attack(allow(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "Bool": {"aws:SecureTransport": "true"}}))
    assert r.decision is Decision.UNKNOWN and r.unknown_keys == {"aws:SourceIp"}
    assert dict(r.context) == {"aws:SecureTransport": "true"}  # the chosen part is still recorded


def test_mfa_ifexists_true_holds_for_an_access_key_bool_does_not() -> None:
    # "The key is not present ... made using long-term credentials" (global keys page)
    r = attack(allow(Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}))
    assert r.decision is Decision.ALLOWED and r.credential == "access key"
    r = attack(allow(Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))
    # the access key and a session token without MFA fail; only credentials with MFA (not the attacker's) would do
    assert r.decision is Decision.UNKNOWN and r.unknown_keys == {"aws:MultiFactorAuthPresent"}
    assert r.credential.startswith("needs a")


def test_deny_unless_mfa_blocks_the_attackers_credentials() -> None:
    r = attack(
        allow(), deny(Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}), action="s3:GetObject"
    )
    assert r.decision is Decision.UNKNOWN and "aws:MultiFactorAuthPresent" in r.unknown_keys


def test_session_token_without_mfa_cannot_call_iam_but_may_call_s3() -> None:
    cond = {"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
    assert attack(allow(**cond), action="s3:GetObject").credential == "session token without MFA"
    assert attack(allow(**cond), action="s3:GetObject").decision is Decision.ALLOWED
    assert attack(allow(**cond), action="iam:CreateRole").decision is Decision.UNKNOWN


@pytest.mark.parametrize("op,expect", [("DateGreaterThan", Decision.ALLOWED), ("DateLessThan", Decision.IMPLICIT_DENY)])
def test_role_token_issued_after_the_role_existed(op: str, expect: Decision) -> None:
    r = attack(allow(Condition={op: {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}}), who=ROLE, created=CREATED_2023)
    assert r.decision is expect


def test_token_window_straddling_the_date_stays_unknown() -> None:
    r = attack(
        allow(Condition={"DateGreaterThan": {"aws:TokenIssueTime": "2025-01-01T00:00:00Z"}}),
        who=ROLE,
        created=CREATED_2023,
    )
    assert r.decision is Decision.UNKNOWN and "aws:TokenIssueTime" in r.unknown_keys


def test_a_role_without_creation_date_keeps_token_time_unknown() -> None:
    r = attack(allow(Condition={"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}}), who=ROLE)
    assert r.decision is Decision.UNKNOWN


def test_a_pinned_key_is_never_chosen() -> None:
    r = attack(
        allow(), deny(Condition={"Bool": {"aws:SecureTransport": "false"}}), pinned={"aws:SecureTransport": "false"}
    )
    assert r.decision is Decision.EXPLICIT_DENY


def test_resource_tag_set_first_when_the_attacker_may_tag() -> None:
    calls: list[Mapping[str, str]] = []

    def tagger(tags: Mapping[str, str]) -> Step | None:
        calls.append(dict(tags))
        return Step(action="iam:TagRole", resource=ROLE, result=Result(Decision.ALLOWED))

    stmt = allow("sts:AssumeRole", Condition={"StringEquals": {"aws:ResourceTag/team": "ops"}})
    r = attack(stmt, action="sts:AssumeRole", tagger=tagger)
    assert r.decision is Decision.ALLOWED and dict(r.context) == {"aws:ResourceTag/team": "ops"}
    assert calls == [{"team": "ops"}] and r.steps[0].action == "iam:TagRole"
    # may not tag: the tag's current value is not in the input, so the answer stays Unknown (never "absent")
    untaggable = attack(stmt, action="sts:AssumeRole", tagger=lambda tags: None)
    assert untaggable.decision is Decision.UNKNOWN and untaggable.unknown_keys == {"aws:ResourceTag/team"}


def test_candidates_cover_numeric_breakpoints() -> None:
    conds = [
        CompiledCondition(Condition("NumericLessThan", "k", ("10",)), True),
        CompiledCondition(Condition("NumericGreaterThan", "k", ("3",)), True),
    ]
    vals, complete = key_candidates(conds, may_omit=True)
    assert complete and None in vals and {"2", "3", "10", "11"} <= set(vals) and any(v == "6.5" for v in vals)


def test_classification_table() -> None:
    assert classify("aws:SourceIp") is KeyClass.OUTSIDE
    assert classify("aws:RequestTag/Team") is KeyClass.REQUEST
    assert classify("iam:ResourceTag/x") is KeyClass.RESOURCE_TAG
    assert classify("s3:ResourceTag/x") is KeyClass.RESOURCE_TAG
    assert classify("aws:PrincipalTag/x") is KeyClass.SELF_TAG
    assert classify("AWS:MULTIFACTORAUTHPRESENT") is KeyClass.CREDENTIAL
    assert classify("ec2:InstanceType") is KeyClass.OUTSIDE  # unlisted service keys are never guessed
    assert len({r.key.lower() for r in TABLE}) == len(TABLE)  # one row per key


def test_condition_keys_doc_holds_the_table() -> None:
    import json
    from pathlib import Path

    from iamgraph.evaluate.context_keys import table_markdown

    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "condition-keys.md").read_text(encoding="utf-8")
    assert doc.endswith(table_markdown()), "docs/condition-keys.md is stale: regenerate its table from table_markdown()"
    schema = json.loads((root / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    enum = schema["$defs"]["hop"]["properties"]["condition_classes"]["additionalProperties"]["enum"]
    assert set(enum) == {k.value for k in KeyClass}
