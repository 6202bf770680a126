"""DocActions' memos and indexes: `named` answers exactly `{a for a in actions if may(a)}` for
every tuple asked (by content, whatever tuple object), and each document keeps its own answers."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.techniques.doc_actions import DocActions, doc_actions


def doc(*statements: dict[str, Any]) -> Any:
    return parse_policy_document({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions: str | list[str]) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": "*"}


# exact names and `service:*` only (the indexed path), in mixed case; and the other kinds
DOCS = [
    doc(allow(["iam:PassRole", "S3:GetObject"])),
    doc(allow("IAM:passrole"), allow("lambda:*")),
    doc(allow(["ec2:RunInstances", "EC2:*"]), allow("sts:AssumeRole")),
    doc(allow("ssm:StartSession")),
    doc(allow("iam:Put*Policy"), allow("kms:Decrypt")),
    doc(allow("*")),
    doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
    doc({"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}),
]

# duplicates by case, a name whose service a `service:*` covers, names no document names
ASKED = (
    "iam:PassRole",
    "IAM:PASSROLE",
    "iam:PutRolePolicy",
    "lambda:CreateFunction",
    "Lambda:InvokeFunction",
    "ec2:TerminateInstances",
    "s3:getobject",
    "s3:PutObject",
    "sts:AssumeRole",
    "kms:Decrypt",
    "iamgraphprobe:AnyAction",
)


@pytest.mark.parametrize("i", range(len(DOCS)))
def test_named_is_may_of_each_member(i: int) -> None:
    for asked in (ASKED, ASKED[:3], ASKED[5:], ("lambda:CreateFunction",), ()):
        fresh = DocActions(DOCS[i])
        assert fresh.named(asked) == {a for a in asked if DocActions(DOCS[i]).may(a)}


@pytest.mark.parametrize("i", range(len(DOCS)))
def test_named_memo_tells_tuples_apart(i: int) -> None:
    """Pairs: tuples of other content get their own answer (the memo's key is the tuple); equal
    content in another tuple object gets the same answer."""
    d = DocActions(DOCS[i])
    first = d.named(ASKED)
    for asked in (ASKED[:1], ASKED[1:2], ASKED[3:4], ASKED[6:8], tuple(reversed(ASKED))):
        assert d.named(asked) == {a for a in asked if d.may(a)}
    again = tuple(list(ASKED))
    assert again is not ASKED
    assert d.named(again) == first
    assert d.named(ASKED) is first


def test_named_answers_differ_between_documents() -> None:
    """Each document holds its own memo (the document object is part of the key)."""
    a, b = doc(allow("iam:PassRole")), doc(allow("lambda:*"))
    assert doc_actions(a).named(ASKED) == {"iam:PassRole", "IAM:PASSROLE"}
    assert doc_actions(b).named(ASKED) == {"lambda:CreateFunction", "Lambda:InvokeFunction"}
    assert doc_actions(a) is doc_actions(a) and doc_actions(a) is not doc_actions(b)


def test_many_tuples_past_the_identity_slots() -> None:
    d = DocActions(DOCS[1])
    for n in range(len(ASKED) + 1):
        for asked in (ASKED[:n], ASKED[n:]):
            assert d.named(asked) == {a for a in asked if d.may(a)}
