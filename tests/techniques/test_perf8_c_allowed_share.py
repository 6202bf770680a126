"""perf8-c: documents whose Allow statements name the same Action/NotAction lists share one
`DocActions.allowed` part (its index and its `may`/`named` answers), and views whose documents'
parts are the same share one `may` memo; every answer is the one an unshared index gives.

The sharing keys are checked by mutation: the key of `_allowed` without the NotAction marker, or
without the NotAction statements, and `_share_may_answers`' key reduced to the first document,
each make a test here fail."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from iamgraph.collect.gaad import parse_gaad
from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.techniques.doc_actions import DocActions, doc_actions
from iamgraph.techniques.principal import build_views

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "org"))
from orgkit import doc as doc_body  # noqa: E402

A = "222222222222"

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


def _user(name: str, *documents: dict[str, Any]) -> dict[str, Any]:
    return {
        "Path": "/",
        "UserName": name,
        "UserId": f"AIDA{name.upper():X<16}",
        "Arn": f"arn:aws:iam::{A}:user/{name}",
        "GroupList": [],
        "AttachedManagedPolicies": [],
        "UserPolicyList": [{"PolicyName": f"{name}-{i}", "PolicyDocument": d} for i, d in enumerate(documents)],
    }


def _allow(*actions: str) -> dict[str, Any]:
    return doc_body({"Effect": "Allow", "Action": list(actions), "Resource": "*"})


@pytest.mark.parametrize("first", ["one", "two", "other"])
def test_views_share_may_by_their_documents_parts(first: str) -> None:
    """Views of distinct documents with the same lists share one memo; a view holding one more
    document, or another list, does not (whichever view asks first)."""
    users = [
        _user("one", _allow("iam:PassRole")),
        _user("same", _allow("iam:PassRole")),
        _user("two", _allow("iam:PassRole"), _allow("lambda:CreateFunction")),
        _user("other", _allow("lambda:CreateFunction")),
    ]
    snap = parse_gaad({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": [], "Policies": []}, file="t")
    views = build_views(snap)
    v = {arn.rsplit("/", 1)[1]: view for arn, view in views.items()}
    assert v["one"]._may is v["same"]._may
    assert v["one"]._may is not v["two"]._may and v["one"]._may is not v["other"]._may
    v[first].may("lambda:CreateFunction")
    v[first].may("iam:PassRole")
    want = {"one": (True, False), "same": (True, False), "two": (True, True), "other": (False, True)}
    for name, (passrole, create) in want.items():
        assert (v[name].may("iam:PassRole"), v[name].may("lambda:CreateFunction")) == (passrole, create), name
