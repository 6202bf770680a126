"""`SharedAnswers._doc_info` keeps the service prefixes of each action's companions (`_prefixes`,
by action): one memo asked about many actions and documents in turn must give each (document,
action) the statement-by-statement answer."""

from __future__ import annotations

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.evaluate.engine import statements_for
from iamgraph.model import PolicyDocument
from iamgraph.techniques.grant_share import SharedAnswers

ACTIONS = ["iam:PassRole", "lambda:CreateFunction", "sts:AssumeRole", "ec2:RunInstances", "s3:GetObject"]


def _doc(patterns: list[str]) -> PolicyDocument:
    body = [{"Effect": "Allow", "Action": patterns, "Resource": "*"}]
    return parse_policy_document({"Version": "2012-10-17", "Statement": body})


def test_each_action_reads_its_own_services() -> None:
    docs = [_doc(["iam:PassRole"]), _doc(["lambda:Create*"]), _doc(["sts:TagSession", "ec2:Run*"]), _doc(["s3:*"])]
    shared = SharedAnswers()
    for action in [*ACTIONS, *reversed(ACTIONS)]:
        for doc in docs:
            shared._docs.pop(action, None)  # recompute the document's answer, keep `_prefixes`
            found = [cs for a in shared._actions(action) for cs in statements_for(doc, a)]
            assert shared._doc_info(doc, action)[1] is bool(found), (action, doc.statements[0].actions)
