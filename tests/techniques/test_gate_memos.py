"""The memos the build's gates read (perf-d): DocActions' prepared lower-case forms, the
PrincipalView `may_every`/`may_any` shortcuts and the per-catalogue vehicle lists of run_as give
exactly the answers of the plain definitions, and a new catalogue object is derived afresh."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.techniques import registry
from iamgraph.techniques.doc_actions import DocActions
from iamgraph.techniques.families import run_as
from iamgraph.techniques.families.passrole import ExistingResource, NewPassRole

ACTION_POOL = [
    "iam:PassRole",
    "IAM:passrole",
    "iam:PutRolePolicy",
    "iam:CreatePolicyVersion",
    "lambda:CreateFunction",
    "Lambda:InvokeFunction",
    "ec2:RunInstances",
    "sts:AssumeRole",
    "s3:GetObject",
]
PATTERN_POOL = ["*", "iam:*", "iam:Pass*", "IAM:?ut*", "lambda:Create*", "*:Invoke*", "ec2:RunInstances", "s?s:*"]


def document(statements: list[tuple[str, bool, list[str]]]) -> Any:
    body = [
        {"Effect": effect, ("NotAction" if negated else "Action"): pats, "Resource": "*"}
        for effect, negated, pats in statements
    ]
    return parse_policy_document({"Version": "2012-10-17", "Statement": body})


statements = st.lists(
    st.tuples(
        st.sampled_from(["Allow", "Deny"]),
        st.booleans(),
        st.lists(st.sampled_from(PATTERN_POOL), min_size=1, max_size=3),
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(statements, st.lists(st.sampled_from(ACTION_POOL), max_size=6))
def test_named_and_may_agree_with_the_statements(stmts: list[tuple[str, bool, list[str]]], acts: list[str]) -> None:
    """`named` (prepared forms) and `may` (its memo) are the statement-by-statement definition."""
    from iamgraph.evaluate.matching import statement_matches_action
    from iamgraph.model import Effect

    d = document(stmts)
    want = {a for a in acts if any(s.effect is Effect.ALLOW and statement_matches_action(s, a) for s in d.statements)}
    idx = DocActions(d, share=False)
    assert idx.named(tuple(acts)) == want
    assert {a for a in acts if idx.may(a)} == want
    assert {a for a in acts if DocActions(d, share=False).may(a)} == want  # a cold memo, asked one by one


def _snapshot() -> Any:
    from iamgraph.collect.snapshot_io import parse_snapshot_document

    acct = "222222222222"

    def inline(name: str, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"PolicyName": f"{name}-p", "PolicyDocument": {"Version": "2012-10-17", "Statement": body}}]

    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    dev = [{"Effect": "Allow", "Action": ["iam:Put*Policy", "lambda:Create*"], "Resource": "*"}]
    fn = [
        {"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    ]
    details = {
        "UserDetailList": [
            {
                "Path": "/",
                "UserName": "dev",
                "UserId": "AIDAXXXXXXXXXXXXXXXX",
                "Arn": f"arn:aws:iam::{acct}:user/dev",
                "GroupList": [],
                "AttachedManagedPolicies": [],
                "UserPolicyList": inline("dev", dev),
            }
        ],
        "GroupDetailList": [],
        "RoleDetailList": [
            {
                "Path": "/",
                "RoleName": "fn",
                "RoleId": "AROAXXXXXXXXXXXXXXXX",
                "Arn": f"arn:aws:iam::{acct}:role/fn",
                "AssumeRolePolicyDocument": trust,
                "RolePolicyList": inline("fn", fn),
                "AttachedManagedPolicies": [],
                "InstanceProfileList": [],
            }
        ],
        "Policies": [],
    }
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": acct, "authorization_details": details}],
    }
    return parse_snapshot_document(doc, file="t.json")


def test_may_every_and_may_any_read_the_memo_faithfully() -> None:
    from iamgraph.techniques.account_index import AccountIndex

    actions = (*ACTION_POOL, "ssm:StartSession", "iam:PutUserPolicy")
    for v in AccountIndex.create(_snapshot()).views.values():
        for n in range(len(actions) + 1):
            for acts in (actions[:n], actions[n:], actions[n:][::-1]):  # cold and warm memo
                assert v.may_every(acts) == all(v.may(a) for a in acts)
                assert v.may_any(acts) == any(v.may(a) for a in acts)


def test_vehicles_are_derived_per_catalogue_object(monkeypatch: Any) -> None:
    """The vehicle lists are keyed by the catalogue tuple itself: another catalogue, another answer."""
    full = registry.catalogue()
    new, existing, actions = run_as._vehicles_of_catalogue()
    assert new == [t for t in full if type(t) is NewPassRole and t.passrole and not t.existing_service]
    assert existing == [t for t in full if isinstance(t, ExistingResource)]
    assert actions == tuple(dict.fromkeys(s.action for t in new for s in t.steps))
    fewer = tuple(t for t in full if t is not new[0])
    monkeypatch.setattr(registry, "catalogue", lambda: fewer)
    new2, _, _ = run_as._vehicles_of_catalogue()
    assert new2 == new[1:]
    monkeypatch.undo()
    assert run_as._vehicles_of_catalogue()[0] == new
