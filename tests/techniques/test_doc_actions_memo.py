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
        fresh = DocActions(DOCS[i], share=False)
        assert fresh.named(asked) == {a for a in asked if DocActions(DOCS[i], share=False).may(a)}


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


def _reference_index(d: Any) -> tuple[object, ...]:
    """What DocActions.__init__ computed before Action lists were classified through a memo: one
    walk over every pattern of every Allow statement."""
    star, exact, svcs = False, set(), set()
    negated, deny = [], []
    other: dict[str, list[str]] = {}
    for st in d.statements:
        if st.effect.value != "Allow":
            deny.append(st)
            continue
        if st.actions is None:
            negated.append(st)
            continue
        for pat in st.actions:
            low = pat.lower()
            if "*" not in low and "?" not in low:
                exact.add(low)
            elif low == "*":
                star = True
            elif low.endswith(":*") and "*" not in low[:-2] and "?" not in low:
                svcs.add(low[:-2])
            else:
                svc = low.partition(":")[0]
                other.setdefault("" if ("*" in svc or "?" in svc) else svc, []).append(low)
    return star, frozenset(exact), frozenset(svcs), {k: tuple(v) for k, v in other.items()}, negated, deny


def _index(d: Any) -> tuple[object, ...]:
    x = DocActions(d)
    return x.star, x.exact, x.svcs, x.other, list(x.negated), list(x.deny)


# Action lists that repeat whole, in part, in another order or in another case across documents
_LISTS = [
    ["iam:PassRole"],
    ["iam:PassRole", "lambda:*"],
    ["lambda:*", "iam:PassRole"],
    ["IAM:PassRole", "Lambda:*"],
    ["iam:Put*", "s3:GetObject"],
    ["iam:Put*", "s3:Get*"],
    ["*"],
    ["*", "iam:Put*"],
    ["ec2:*", "ec2:Run?nstances", "*:Get*", "s?s:AssumeRole"],
    ["ec2:Run?nstances", "ec2:*"],
    ["iam:Put*", "iam:Attach*"],
    ["iam:Attach*", "iam:Put*"],
    ["s3:*", "S3:*", "s3:GetObject"],
    [],
]


@pytest.mark.parametrize("seed", range(40))
def test_index_is_the_walk_over_every_pattern(seed: int) -> None:
    """Random documents built from Action lists that repeat across statements and documents (the
    memo classifies a list once): the same index as walking every pattern. A memo keyed by less
    than the whole list (its length, its first pattern, its set of patterns) is caught: the
    other-pattern lists keep their order and the lists differ in those parts only."""
    import random

    rng = random.Random(seed)
    for _ in range(15):
        stmts: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 5)):
            kind = rng.random()
            if kind < 0.15:
                stmts.append({"Effect": "Deny", "Action": rng.choice(_LISTS[:-1]), "Resource": "*"})
            elif kind < 0.25:
                stmts.append({"Effect": "Allow", "NotAction": rng.choice(_LISTS[:-1]), "Resource": "*"})
            else:
                acts = list(rng.choice(_LISTS))
                stmts.append(
                    {"Effect": "Allow", "Action": acts, "Resource": "*"} if acts else allow("sts:GetCallerIdentity")
                )
        d = doc(*stmts)
        assert _index(d) == _reference_index(d)


@pytest.mark.parametrize("account_file", ["samples/multi-hop-chain.json", "generated-500"], indirect=True)
def test_index_of_every_document_of_an_account(account_file: str) -> None:
    from iamgraph import api

    snap = api.load([account_file])
    docs = [p.document for u in snap.users.values() for p in u.inline_policies]
    docs += [p.document for r in snap.roles.values() for p in (*r.inline_policies, r.trust_policy)]
    docs += [v.document for mp in snap.policies.values() for v in mp.versions]
    for d in docs:
        assert _index(d) == _reference_index(d)
