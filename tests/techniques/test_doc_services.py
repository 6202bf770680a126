"""`grant_share.doc_services` lets `SharedAnswers._doc_info` skip matching a document's statements
against an action of a service none of its Action patterns names: that shortcut must give exactly
the (doc, about, dynamic) triple of the statement-by-statement definition (what `statements_for`
finds for the action and its companions), for Action and NotAction lists, wildcards and variables
on either side of the first `:`, case differences and patterns without `:`."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.evaluate.engine import statements_for
from iamgraph.model import PolicyDocument
from iamgraph.techniques.grant_share import SharedAnswers, doc_services

ACTIONS = [
    "iam:PassRole",
    "lambda:CreateFunction",
    "Lambda:InvokeFunction",
    "sts:AssumeRole",
    "ec2:RunInstances",
    "s3:GetObject",
    "iamgraphprobe:AnyAction",
]
PATTERNS = [
    "*",
    "iam:*",
    "IAM:Pass*",
    "lambda:CreateFunction",
    "LAMBDA:invoke*",
    "*:Invoke*",
    "lamb?a:*",
    "la*:Create*",
    "sts:*",
    "ec2:RunInstances",
    "s3:Get*",
    "lambda${aws:username}:*",
    "${aws:username}",
    "lambda",
    "sts",
    "s3:*${aws:username}",
]


def _doc(statements: list[tuple[bool, list[str], bool]]) -> PolicyDocument:
    body: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            ("NotAction" if negated else "Action"): pats,
            "Resource": "arn:aws:s3:::${aws:username}/*" if variable else "*",
        }
        for negated, pats, variable in statements
    ]
    return parse_policy_document({"Version": "2012-10-17", "Statement": body})


def _plain(
    shared: SharedAnswers, doc: PolicyDocument, action: str
) -> tuple[PolicyDocument, bool, bool, tuple[object, ...]]:
    """The definition: every statement matched against the action and its companions (the
    statement key is the version alone when none is found; the shortcut gives `()` then)."""
    found = [cs for a in shared._actions(action) for cs in statements_for(doc, a)]
    dynamic = any(cs.res_dynamic or any(c.dynamic for c in cs.conds) for cs in found)
    return doc, bool(found), dynamic, (doc.version, *[id(cs.stmt) for cs in found]) if found else ()


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3), st.booleans()),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(ACTIONS),
)
def test_doc_info_is_the_statement_by_statement_answer(
    statements: list[tuple[bool, list[str], bool]], action: str
) -> None:
    doc = _doc(statements)
    shared = SharedAnswers()
    got, want = shared._doc_info(doc, action), _plain(shared, doc, action)
    assert got[:3] == want[:3]
    assert got[3] == want[3] or not got[1]  # the statement key is read only for a document about it


def test_the_services_of_a_document() -> None:
    assert doc_services(_doc([(False, ["IAM:PassRole", "lambda:Create*"], False)])) == {"iam", "lambda"}
    # anything may match: NotAction, a wildcard or variable before the first ':', no ':' at all
    assert doc_services(_doc([(False, ["iam:PassRole"], False), (True, ["s3:*"], False)])) is None
    assert doc_services(_doc([(False, ["la*:Create*"], False)])) is None
    assert doc_services(_doc([(False, ["lamb?a:*"], False)])) is None
    assert doc_services(_doc([(False, ["lambda${aws:username}:*"], False)])) is None
    assert doc_services(_doc([(False, ["*"], False)])) is None


def test_a_document_of_other_services_is_about_none_of_the_action() -> None:
    shared = SharedAnswers()
    doc = _doc([(False, ["s3:*"], True), (False, ["iam:PassRole"], False)])
    assert shared._doc_info(doc, "lambda:CreateFunction")[:3] == (doc, False, False)
    assert shared._doc_info(doc, "s3:GetObject")[:3] == (doc, True, True)  # the variable in its Resource
    assert shared._doc_info(doc, "IAM:passrole") == (doc, True, False, ("2012-10-17", id(doc.statements[1])))
