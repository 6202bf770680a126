"""perf8-c: documents whose Allow statements name the same Action/NotAction lists share one
`DocActions.allowed` part (its index and its `may`/`named` answers); every answer is the one an
unshared index gives.

The sharing key is checked by mutation: the key of `_allowed` without the NotAction marker, or
without the NotAction statements, makes tests here fail."""

from __future__ import annotations

import random
from typing import Any

import pytest

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.techniques.doc_actions import DocActions, doc_actions

# lists that repeat across statements, as Action in one document and NotAction in another
LISTS = [["iam:PassRole"], ["iam:*"], ["lambda:Create*", "iam:PassRole"], ["s3:GetObject", "S3:Put*"], ["*"]]
ACTIONS = (
    "iam:PassRole",
    "iam:PutRolePolicy",
    "lambda:CreateFunction",
    "s3:GetObject",
    "s3:PutObject",
    "ec2:RunInstances",
    "sts:AssumeRole",
)


def _doc(statements: list[tuple[str, str, list[str]]]) -> Any:
    body = [{"Effect": e, k: list(pats), "Resource": "*"} for e, k, pats in statements]
    return parse_policy_document({"Version": "2012-10-17", "Statement": body})


def _random_statements(rng: random.Random) -> list[tuple[str, str, list[str]]]:
    out = []
    for _ in range(rng.randint(0, 3)):
        out.append((rng.choice(["Allow", "Allow", "Deny"]), rng.choice(["Action", "NotAction"]), rng.choice(LISTS)))
    return out


def test_equal_lists_share_one_part() -> None:
    a = _doc([("Allow", "Action", ["iam:PassRole"]), ("Deny", "Action", ["*"])])
    b = _doc([("Allow", "Action", ["iam:PassRole"])])  # the Deny statement is not part of it
    c = _doc([("Allow", "NotAction", ["iam:PassRole"])])  # the same list as NotAction
    d = _doc([("Allow", "Action", ["iam:PassRole"]), ("Allow", "NotAction", ["iam:*"])])
    assert doc_actions(a).allowed is doc_actions(b).allowed
    assert doc_actions(a).answers is doc_actions(b).answers
    assert doc_actions(c).allowed is not doc_actions(a).allowed
    assert doc_actions(d).allowed is not doc_actions(a).allowed
    assert DocActions(a, share=False).allowed is not doc_actions(a).allowed


@pytest.mark.parametrize("seed", range(30))
def test_shared_answers_are_the_unshared_ones(seed: int) -> None:
    """Random documents from lists that repeat as Action and NotAction, Allow and Deny, asked in a
    random order (an answer one document computes is read by the documents sharing its part): the
    answers of `may`, `named` and `denies` of a fresh unshared index."""
    rng = random.Random(seed)
    docs = [_doc(_random_statements(rng)) for _ in range(12)]
    for _ in range(60):
        d = rng.choice(docs)
        fresh = DocActions(d, share=False)
        if rng.random() < 0.5:
            a = rng.choice(ACTIONS)
            assert doc_actions(d).may(a) == fresh.may(a), (d, a)
            assert doc_actions(d).denies(a) == fresh.denies(a), (d, a)
        else:
            asked = tuple(rng.sample(ACTIONS, rng.randint(0, len(ACTIONS))))
            assert doc_actions(d).named(asked) == fresh.named(asked), (d, asked)
