"""The trust edges' external and federated answers are shared between roles with the same trust
document only when nothing else the answer reads differs (techniques/trust.py, TrustAnswers):
each pair below differs in one part of `share_key` and has different right answers; every shared
answer must equal `evaluate` for that role alone, citations included. Also: `rebind` (now built
without dataclasses.replace) equals its definition, and the build's trust edges equal a walk that
evaluates every role on its own."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.engine import evaluate
from iamgraph.evaluate.types import Decision, PolicySet, Request, Result, StatementRef, Step
from iamgraph.graph import build as build_module
from iamgraph.graph.build import build_graph
from iamgraph.model import NodeKind, PolicyKind, PolicyRef, Role, Snapshot
from iamgraph.techniques.assume_share import rebind
from iamgraph.techniques.case_builders import ACCOUNT, account, doc, role
from iamgraph.techniques.trust import TrustAnswers

ROOT = Path(__file__).resolve().parents[2]
OTHER, THIRD = "222222222222", "333333333333"
SAML = f"arn:aws:iam::{ACCOUNT}:saml-provider/corp"
THEIR_SIDE = build_module._THEIR_SIDE

# one trust document for most roles: an external account, a SAML provider, a Deny by Resource,
# and iam:UpdateRole (AWS refuses it on a protected role whatever the policies say)
TRUST = doc(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "sts:AssumeRole"},
    {"Effect": "Allow", "Principal": {"Federated": SAML}, "Action": "sts:AssumeRoleWithSAML"},
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "iam:UpdateRole"},
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:user/named"}, "Action": "sts:AssumeRole"},
    {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "sts:AssumeRole",
        "Resource": f"arn:aws:iam::{ACCOUNT}:role/blocked-*",
    },
)
# the same statements with a policy variable in a Resource: nothing shared
VARIABLE = doc(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "sts:AssumeRole"},
    {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::${aws:PrincipalAccount}:role/v-*",
    },
)
OTHER_DOC = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{THIRD}:root"}, "Action": "sts:AssumeRole"})
OTHER_DOC2 = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "sts:AssumeRole"})


def _role(name: str, trust: dict[str, Any] = TRUST, path: str = "/") -> dict[str, Any]:
    r = role(name, trust)
    r["Path"] = path
    r["Arn"] = f"arn:aws:iam::{ACCOUNT}:role{path}{name}"
    return r


ROLES = [
    _role("one"),
    _role("two"),  # shares one's answers
    _role("blocked-1"),  # the Deny's Resource admits this ARN
    _role("other"),  # the same name part, another trust document
    _role("other-doc", OTHER_DOC),
    _role("other-doc2", OTHER_DOC2),
    _role("svc", path="/aws-service-role/example.amazonaws.com/"),  # protected: iam:UpdateRole refused
    _role("v-1", VARIABLE),
    _role("v-2", VARIABLE),
]


def _snapshot() -> Snapshot:
    d = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": account(roles=ROLES)}],
    }
    return parse_snapshot_document(d, file="case:trust-answers")


def _roles() -> dict[str, Role]:
    return {r.arn.rsplit("/", 1)[-1]: r for r in _snapshot().roles.values()}


def _alone(r: Role, caller: str, action: str, identity: tuple[Any, ...] = (), acct: str | None = None) -> Result:
    return evaluate(
        Request(principal_arn=caller, action=action, resource=r.arn, open_world=True),
        PolicySet(identity=identity, resource=r.trust_policy, resource_account=acct),
    )


EXT = f"arn:aws:iam::{OTHER}:user/iamgraph-external"
NAMED = f"arn:aws:iam::{OTHER}:user/named"
THIRD_EXT = f"arn:aws:iam::{THIRD}:user/iamgraph-external"
ASSUME = "sts:AssumeRole"

# (first role, second role, caller, action, identity, account) of each pair: the second asked
# right after the first, in one TrustAnswers
IDENTITY = (THEIR_SIDE,)
CASES: dict[str, tuple[tuple[str, str, str, tuple[Any, ...], str | None], ...]] = {
    "shared": (("one", EXT, ASSUME, IDENTITY, ACCOUNT), ("two", EXT, ASSUME, IDENTITY, ACCOUNT)),
    "resource": (("one", EXT, ASSUME, IDENTITY, ACCOUNT), ("blocked-1", EXT, ASSUME, IDENTITY, ACCOUNT)),
    "document": (("other-doc", EXT, ASSUME, IDENTITY, ACCOUNT), ("other-doc2", EXT, ASSUME, IDENTITY, ACCOUNT)),
    "caller": (("one", EXT, ASSUME, IDENTITY, ACCOUNT), ("two", THIRD_EXT, ASSUME, IDENTITY, ACCOUNT)),
    "action": (
        ("one", SAML, "sts:AssumeRoleWithSAML", (), None),
        ("two", SAML, "sts:AssumeRoleWithWebIdentity", (), None),
    ),
    "identity": (("one", EXT, ASSUME, IDENTITY, ACCOUNT), ("two", EXT, ASSUME, (), ACCOUNT)),
    "account": (("one", NAMED, ASSUME, (), OTHER), ("two", NAMED, ASSUME, (), ACCOUNT)),
    "path": (("one", EXT, "iam:UpdateRole", IDENTITY, OTHER), ("svc", EXT, "iam:UpdateRole", IDENTITY, OTHER)),
    "variable": (("v-1", EXT, ASSUME, IDENTITY, ACCOUNT), ("v-2", EXT, ASSUME, IDENTITY, ACCOUNT)),
}
# the decisions of each pair: the same only where the answer is the same
EXPECTED = {
    "shared": (Decision.ALLOWED, Decision.ALLOWED),
    "resource": (Decision.ALLOWED, Decision.EXPLICIT_DENY),
    "document": (Decision.IMPLICIT_DENY, Decision.ALLOWED),
    "caller": (Decision.ALLOWED, Decision.IMPLICIT_DENY),
    "action": (Decision.ALLOWED, Decision.IMPLICIT_DENY),
    "identity": (Decision.ALLOWED, Decision.IMPLICIT_DENY),
    "account": (Decision.ALLOWED, Decision.IMPLICIT_DENY),
    "path": (Decision.ALLOWED, Decision.IMPLICIT_DENY),
    "variable": (Decision.ALLOWED, Decision.ALLOWED),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_pair_gets_its_own_answer(name: str) -> None:
    """Dropping the key part a pair differs in gives the second role the first one's answer."""
    roles = _roles()
    answers = TrustAnswers()
    got = [answers.ask(roles[r], caller, action, ident, acct) for r, caller, action, ident, acct in CASES[name]]
    alone = [_alone(roles[r], caller, action, ident, acct) for r, caller, action, ident, acct in CASES[name]]
    assert got == alone
    assert tuple(g.decision for g in got) == EXPECTED[name]
    assert answers.hits == (1 if name == "shared" else 0)


def test_a_shared_answer_cites_its_own_role() -> None:
    roles = _roles()
    answers = TrustAnswers()
    answers.ask(roles["one"], EXT, ASSUME, IDENTITY, ACCOUNT)
    res = answers.ask(roles["two"], EXT, ASSUME, IDENTITY, ACCOUNT)
    assert answers.hits == 1
    trust = [r for r in res.allowed_by if r.policy.kind is PolicyKind.TRUST]
    assert trust and all(r.policy == roles["two"].trust_policy.ref for r in trust)
    assert any(r.policy == THEIR_SIDE.ref for r in res.allowed_by)  # the other policies' citations stay


def test_one_evaluation_per_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Roles of two documents asked in turn: one evaluation per key, the rest shared."""
    calls: list[str] = []
    real = evaluate

    def counting(req: Request, pset: PolicySet) -> Result:
        calls.append(req.resource)
        return real(req, pset)

    monkeypatch.setattr("iamgraph.techniques.trust.evaluate", counting)
    roles = _roles()
    answers = TrustAnswers()
    for name in ("other-doc", "other-doc2", "other-doc", "other-doc2", "one", "two", "other"):
        res = answers.ask(roles[name], EXT, ASSUME, IDENTITY, ACCOUNT)
        assert res == _alone(roles[name], EXT, ASSUME, IDENTITY, ACCOUNT), name
    assert len(calls) == 3 and answers.hits == 4


def _reference_trust_edges(snap: Snapshot) -> list[tuple[str, str, str, object]]:
    """The trust edges as the build made them before TrustAnswers: every external/federated
    request evaluated on its own (service trust through the index, as before)."""
    g = api.build_graph(snap)
    out = []
    for src, dst, key, data in g.g.edges(keys=True, data=True):
        ev = data["evidence"]
        if g.kind(src) in (NodeKind.EXTERNAL, NodeKind.FEDERATED):
            assert ev.technique in ("sts-001", "federated-trust")
            grant = ev.grants[0]
            r = snap.roles[dst]
            if ev.technique == "sts-001":
                caller = (
                    "arn:aws:iam::000000000000:user/anonymous"
                    if src == "*"
                    else (
                        src if not src.endswith(":root") else f"arn:aws:iam::{src.split(':')[4]}:user/iamgraph-external"
                    )
                )
                fresh = _alone(r, caller, ASSUME, IDENTITY, dst.split(":")[4])
            else:
                fresh = _alone(r, src, grant.action)
            out.append((src, dst, key, (grant.result, fresh)))
    return out


def _inputs() -> list[str]:
    return sorted(str(p) for p in (ROOT / "samples").glob("*.json"))


@pytest.mark.parametrize("path", _inputs(), ids=lambda p: Path(p).name)
def test_trust_edges_equal_evaluating_every_role_alone_samples(path: str) -> None:
    for _src, _dst, _key, (shared, fresh) in _reference_trust_edges(api.load([path])):
        assert shared == fresh


def test_trust_edges_equal_evaluating_every_role_alone_generated(generated_500_account: str) -> None:
    """The 500-role account: many roles per trust document; each shared answer is the role's own,
    and no edge appears or goes missing (every request of the walk re-asked alone)."""
    snap = api.load([generated_500_account])
    edges = _reference_trust_edges(snap)
    assert edges
    for _src, _dst, _key, (shared, fresh) in edges:
        assert shared == fresh
    # every request the walk makes, possible or not, against evaluate alone
    answers = TrustAnswers()
    n = 0
    for r in sorted(snap.roles.values(), key=lambda x: x.arn):
        for s in r.trust_policy.document.statements:
            p = s.principal
            if p is None:
                continue
            for e in p.aws:
                if e.endswith(":root"):
                    caller = f"arn:aws:iam::{e.split(':')[4]}:user/iamgraph-external"
                    acct = r.arn.split(":")[4]
                    assert answers.ask(r, caller, ASSUME, IDENTITY, acct) == _alone(r, caller, ASSUME, IDENTITY, acct)
                    n += 1
            for fed in p.federated:
                assert answers.ask(r, fed, "sts:AssumeRoleWithWebIdentity") == _alone(
                    r, fed, "sts:AssumeRoleWithWebIdentity"
                )
                n += 1
    assert n > 0 and answers.hits > 0


def test_builds_of_two_accounts_in_one_process_do_not_share() -> None:
    """The memo lives in one build: a second snapshot whose trust documents are value-equal but
    whose roles differ gets its own answers."""
    first = _snapshot()
    build_graph(first)
    d = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": account(roles=[_role("blocked-2")])}],
    }
    second = parse_snapshot_document(d, file="case:trust-answers-2")
    g = build_graph(second)
    arn = f"arn:aws:iam::{ACCOUNT}:role/blocked-2"
    assert not g.edges_between(f"arn:aws:iam::{OTHER}:root", arn)  # the Deny's Resource admits it
    assert g.edges_between(SAML, arn)


# ---- rebind ---------------------------------------------------------------------------------

OLD = PolicyRef(PolicyKind.TRUST, "arn:aws:iam::111122223333:role/a", "a")
NEW = PolicyRef(PolicyKind.TRUST, "arn:aws:iam::111122223333:role/b", "b")
MINE = PolicyRef(PolicyKind.INLINE, "dev-policy", "dev-policy")
OTHER_TRUST = PolicyRef(PolicyKind.TRUST, "arn:aws:iam::111122223333:role/c", "c")


def _reference_rebind(res: Result, old: PolicyRef, new: PolicyRef, old_arn: str, new_arn: str) -> Result:
    """rebind as first written (dataclasses.replace)."""

    def refs(rows: tuple[StatementRef, ...]) -> tuple[StatementRef, ...]:
        return tuple(StatementRef(new, r.index, r.sid) if r.policy == old else r for r in rows)

    steps = tuple(
        Step(
            action=s.action,
            resource=new_arn if s.resource == old_arn else s.resource,
            result=_reference_rebind(s.result, old, new, old_arn, new_arn),
        )
        for s in res.steps
    )
    return replace(res, allowed_by=refs(res.allowed_by), denied_by=refs(res.denied_by), steps=steps)


def _results() -> list[Result]:
    a, b = "arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"
    old_copy = PolicyRef(OLD.kind, OLD.id, OLD.name)  # equal, not the same object
    tag = Result(Decision.ALLOWED, (StatementRef(MINE, 1, "tag"),))
    return [
        Result(Decision.IMPLICIT_DENY),
        Result(Decision.ALLOWED, (StatementRef(OLD, 0, "x"), StatementRef(MINE, 0, None))),
        Result(Decision.ALLOWED, (StatementRef(old_copy, 2, None),)),
        Result(
            Decision.UNKNOWN,
            (StatementRef(OLD, 0, None),),
            (StatementRef(OLD, 3, "deny"), StatementRef(MINE, 2, None)),
            frozenset({"aws:sourceip"}),
            (("aws:RequestTag/team", "red"),),
            (
                Step(action="iam:TagRole", resource=a, result=tag),
                Step(action="sts:TagSession", resource="", result=tag),
            ),
            "role",
        ),
        Result(
            Decision.ALLOWED, (StatementRef(OLD, 0, None),), steps=(Step(action="iam:TagRole", resource=b, result=tag),)
        ),
        # a trust policy of another role (the kind of the old one, not equal to it): kept
        Result(Decision.ALLOWED, (StatementRef(OTHER_TRUST, 0, None), StatementRef(OLD, 1, None))),
    ]


@pytest.mark.parametrize("i", range(len(_results())))
def test_rebind_equals_its_definition(i: int) -> None:
    res = _results()[i]
    a, b = "arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"
    assert rebind(res, OLD, NEW, a, b) == _reference_rebind(res, OLD, NEW, a, b)


def test_rebind_copies_every_field_of_result() -> None:
    """rebind builds a Result field by field: a new field of Result must be added there too."""
    assert [f.name for f in fields(Result)] == [
        "decision",
        "allowed_by",
        "denied_by",
        "unknown_keys",
        "context",
        "steps",
        "credential",
    ]
