"""The trust index built once per distinct trust document equals the per-role walk it replaced
(every field, in order), and two documents differing in one principal never share entries; the
AssumeRole share key with the role's ARN facts as a per-build number tells exactly the same roles
apart as the key with the facts themselves, and a replaced RequestScope gets its own facts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from iamgraph import api
from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.request_keys import RequestScope
from iamgraph.evaluate.types import PolicySet
from iamgraph.model import Effect, Policy, PolicyKind, PolicyRef, Snapshot, role_arn_of_session
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.assume_share import consulted, policy_documents, role_facts, share_key
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, doc, role, user
from iamgraph.techniques.trust import TrustIndex, _names_a_usable_principal, aws_principal_account, build_trust_index

ROOT = Path(__file__).resolve().parents[2]
OTHER = "222222222222"


def _reference_index(snapshot: Snapshot) -> TrustIndex:
    """build_trust_index as first written: every role's statements walked on their own."""
    by_p: dict[str, list[str]] = defaultdict(list)
    by_a: dict[str, list[str]] = defaultdict(list)
    fed: dict[str, list[str]] = defaultdict(list)
    svc: dict[str, list[str]] = defaultdict(list)
    wild: list[str] = []
    star: list[str] = []
    allows: dict[str, tuple[Any, ...]] = {}
    usable: set[str] = set()
    for r in snapshot.roles.values():
        mine = []
        for s in r.trust_policy.document.statements:
            if s.effect is not Effect.ALLOW:
                continue
            if _names_a_usable_principal(s):
                usable.add(r.arn)
            if s.principal is None:
                continue
            mine.append(s)
            p = s.principal
            if p.wildcard:
                star.append(r.arn)
            if p.wildcard or "*" in p.aws:
                wild.append(r.arn)
            for e in p.aws:
                acct = aws_principal_account(e)
                if acct:
                    by_a[acct].append(r.arn)
                elif e.startswith("arn:"):
                    by_p[e].append(r.arn)
            for f in p.federated:
                fed[f].append(r.arn)
            for sv in p.service:
                svc[sv.lower()].append(r.arn)
        if mine:
            allows[r.arn] = tuple(mine)

    def freeze(d: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(dict.fromkeys(v)) for k, v in d.items()}

    sessions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry, roles in by_p.items():
        parent = role_arn_of_session(entry)
        if parent:
            sessions[parent].extend((entry, r) for r in dict.fromkeys(roles))
    return TrustIndex(
        freeze(by_p),
        freeze(by_a),
        tuple(dict.fromkeys(wild)),
        freeze(fed),
        freeze(svc),
        {k: tuple(v) for k, v in sessions.items()},
        allows,
        tuple(dict.fromkeys(star)),
        frozenset(usable),
    )


def _ordered(ti: TrustIndex) -> tuple[object, ...]:
    """Every field, dicts as item lists (their order is what callers iterate)."""
    return (
        list(ti.by_principal.items()),
        list(ti.by_account.items()),
        ti.wildcard,
        list(ti.federated.items()),
        list(ti.services.items()),
        list(ti.sessions.items()),
        list(ti.allows.items()),
        ti.star,
        ti.usable,
    )


# two documents of one shape (same statements, actions, sids) naming other principals, a
# document naming one principal twice, a session, anyone, an account root, NotPrincipal, a deny
def _trust(*statements: dict[str, Any]) -> dict[str, Any]:
    return doc(*statements)


def _aws(p: object, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": {"AWS": p}, "Action": "sts:AssumeRole", **extra}


DOCS = {
    "names-alice": _trust(_aws(f"arn:aws:iam::{ACCOUNT}:user/alice")),
    "names-bob": _trust(_aws(f"arn:aws:iam::{ACCOUNT}:user/bob")),
    "twice": _trust(_aws(f"arn:aws:iam::{ACCOUNT}:user/bob"), _aws([f"arn:aws:iam::{ACCOUNT}:user/bob", OTHER])),
    "session": _trust(_aws(f"arn:aws:sts::{ACCOUNT}:assumed-role/ops/jane")),
    "anyone": _trust({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}),
    "aws-star": _trust(_aws("*")),
    "root": _trust(_aws(f"arn:aws:iam::{OTHER}:root")),
    "svc": _trust(
        {"Effect": "Allow", "Principal": {"Service": ["Lambda.amazonaws.com", "ec2.amazonaws.com"]}, "Action": "*"}
    ),
    "fed": _trust(
        {
            "Effect": "Allow",
            "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:saml-provider/corp"},
            "Action": "sts:AssumeRoleWithSAML",
        }
    ),
    "not-principal": _trust({"Effect": "Allow", "NotPrincipal": {"AWS": OTHER}, "Action": "sts:AssumeRole"}),
    "deny-only": _trust({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}),
    "deleted": _trust(_aws("AROAEXAMPLEEXAMPLE")),
}


def _case() -> Snapshot:
    # roles interleaved so that each document's roles are not adjacent (order of every list)
    roles = [role(f"{name}-{i}", d) for i in range(2) for name, d in DOCS.items()]
    users = [user("alice", allow("s3:GetObject")), user("bob", allow("sts:AssumeRole"))]
    payload = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": account(users=users, roles=roles)}],
    }
    return parse_snapshot_document(payload, file="case:trust-index")


def _inputs() -> list[str]:
    accounts = [p for p in (ROOT / "tests" / "accounts").glob("*.json") if p.name != "expected.json"]
    return sorted(str(p) for p in (*(ROOT / "samples").glob("*.json"), *accounts))


@pytest.mark.parametrize("path", _inputs(), ids=lambda p: Path(p).name)
def test_trust_index_equals_the_per_role_walk(path: str) -> None:
    snap = api.load([path])
    assert _ordered(build_trust_index(snap)) == _ordered(_reference_index(snap))


def test_trust_index_equals_the_per_role_walk_generated(generated_500_account: str) -> None:
    snap = api.load([generated_500_account])
    assert _ordered(build_trust_index(snap)) == _ordered(_reference_index(snap))


def test_trust_index_case_documents_of_one_shape_do_not_share() -> None:
    snap = _case()
    ti = build_trust_index(snap)
    assert _ordered(ti) == _ordered(_reference_index(snap))
    arn = f"arn:aws:iam::{ACCOUNT}:role/"
    # same shape, other principal: each document's own entries
    assert ti.by_principal[f"arn:aws:iam::{ACCOUNT}:user/alice"] == (arn + "names-alice-0", arn + "names-alice-1")
    assert ti.by_principal[f"arn:aws:iam::{ACCOUNT}:user/bob"] == (
        arn + "names-bob-0",
        arn + "twice-0",
        arn + "names-bob-1",
        arn + "twice-1",
    )
    assert ti.services["lambda.amazonaws.com"] == (arn + "svc-0", arn + "svc-1")
    assert arn + "deny-only-0" not in ti.usable and arn + "deleted-0" not in ti.usable
    assert arn + "not-principal-0" in ti.usable and arn + "not-principal-0" not in ti.allows
    assert ti.sessions[f"arn:aws:iam::{ACCOUNT}:role/ops"] == (
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/ops/jane", arn + "session-0"),
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/ops/jane", arn + "session-1"),
    )


# ---- AssumeRole share key: the role's ARN facts as a per-build number ----------------------


def _key_classes(idx: AccountIndex, full: bool) -> list[list[tuple[str, ...]]]:
    """For each source (sorted), the roles grouped by their share key (None keys alone), with the
    facts as `AccountIndex._assume_key` numbers them or (full) as `role_facts` values."""
    out = []
    snap = idx.snapshot
    for arn in sorted(idx.views):
        src = idx.views[arn]
        groups: dict[object, list[str]] = {}
        for r in sorted(snap.roles.values(), key=lambda x: x.arn):
            key = idx._assume_key(src, r, r.arn.split(":")[4], None)
            if key is not None and full:
                found = idx._assume_consulted[(r.arn.split(":")[4], id(r.trust_policy.document))][1]
                assert found is not None
                tags_of = src.attacker.tags_of if src.attacker is not None else None
                key = (*key[:2], *share_key(r, found, src.scope, tags_of))
            groups.setdefault(key if key is not None else ("alone", r.arn), []).append(r.arn)
        out.append(sorted(tuple(v) for v in groups.values()))
    return out


def _share_inputs() -> list[str]:
    return [*_inputs()[:6], str(ROOT / "tests" / "accounts" / "pathfinding_principal_access.json")]


@pytest.mark.parametrize("path", _share_inputs(), ids=lambda p: Path(p).name)
def test_numbered_facts_tell_the_same_roles_apart(path: str) -> None:
    idx = AccountIndex.create(api.load([path]))
    assert _key_classes(idx, full=False) == _key_classes(idx, full=True)


def test_numbered_facts_tell_the_same_roles_apart_generated(generated_500_account: str) -> None:
    idx = AccountIndex.create(api.load([generated_500_account]))
    assert _key_classes(idx, full=False) == _key_classes(idx, full=True)


def test_numbered_facts_case_protected_and_account() -> None:
    """An Identity Center role and a plain role of one account, and a role of another account: three
    facts, three numbers; a second role of one of them: its number."""
    arns = [
        f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0123456789abcdef",
        f"arn:aws:iam::{ACCOUNT}:role/plain",
        f"arn:aws:iam::{OTHER}:role/plain",
        f"arn:aws:iam::{ACCOUNT}:role/plain2",
    ]
    scope = RequestScope()
    facts = [role_facts(a, scope) for a in arns]
    assert len(set(facts[:3])) == 3 and facts[3] == facts[1]
    assert role_facts(arns[0], None) != role_facts(arns[1], None)


def test_a_replaced_scope_gets_its_own_facts() -> None:
    """The per-build facts of a role are recomputed for a source with another RequestScope."""
    snap = _case()
    idx = AccountIndex.create(snap)
    bob = idx.views[f"arn:aws:iam::{ACCOUNT}:user/bob"]
    r = snap.roles[f"arn:aws:iam::{ACCOUNT}:role/root-0"]
    idx._assume_key(bob, r, ACCOUNT, None)
    first = idx._role_facts[r.arn]
    assert first[0] is bob.scope
    bob.scope = RequestScope()
    idx._assume_key(bob, r, ACCOUNT, None)
    again = idx._role_facts[r.arn]
    assert again[0] is bob.scope
    assert [v for v, n in idx._facts_numbers.items() if n == again[1]] == [role_facts(r.arn, bob.scope)]


# ---- AssumeRole: `consulted` shared between sources by the documents it reads ---------------


def _every_consulted(idx: AccountIndex) -> int:
    """Every (source, role) pair's shared `consulted` equals `consulted` of the same documents."""
    n = 0
    for arn in sorted(idx.views):
        src = idx.views[arn]
        for r in sorted(idx.snapshot.roles.values(), key=lambda x: x.arn):
            racct = r.arn.split(":")[4]
            policies = src.policies if racct == src.account else replace(src.policies, rcps=((),))
            docs = [*policy_documents(policies, src.policies), r.trust_policy.document]
            assert idx._consulted_of(policies, src.policies, r.trust_policy.document) == consulted(docs), (arn, r.arn)
            n += 1
    return n


@pytest.mark.parametrize("path", _share_inputs(), ids=lambda p: Path(p).name)
def test_shared_consulted_equals_consulted(path: str) -> None:
    idx = AccountIndex.create(api.load([path]))
    assert _every_consulted(idx) == len(idx.views) * len(idx.snapshot.roles)


def test_shared_consulted_equals_consulted_generated(generated_500_account: str) -> None:
    assert _every_consulted(AccountIndex.create(api.load([generated_500_account]))) > 0


def test_shared_consulted_pairs() -> None:
    """One source, trust documents differing in a Resource pattern / a tag condition; one trust
    document, sources whose identity documents differ: each gets its own answer."""
    plain = Policy(PolicyRef(PolicyKind.TRUST, "t1"), parse_policy_document(doc(_aws("*"))))
    pattern = Policy(
        PolicyRef(PolicyKind.TRUST, "t2"), parse_policy_document(doc(_aws("*", Resource="arn:aws:iam::*:role/a*")))
    )
    tagged = Policy(
        PolicyRef(PolicyKind.TRUST, "t3"),
        parse_policy_document(doc(_aws("*", Condition={"StringEquals": {"aws:ResourceTag/team": "red"}}))),
    )
    ident = Policy(PolicyRef(PolicyKind.INLINE, "i1"), parse_policy_document(doc(allow("sts:AssumeRole"))))
    scoped = Policy(
        PolicyRef(PolicyKind.INLINE, "i2"),
        parse_policy_document(doc(allow("sts:AssumeRole", "arn:aws:iam::*:role/b*"))),
    )
    idx = AccountIndex.create(_case())
    one, two = PolicySet(identity=(ident,)), PolicySet(identity=(scoped,))
    got = [
        idx._consulted_of(ps, ps, t.document) for ps in (one, two) for t in (plain, pattern, tagged)
    ]  # each asked after the others of its row and column
    want = [consulted([*policy_documents(ps, ps), t.document]) for ps in (one, two) for t in (plain, pattern, tagged)]
    assert got == want
    assert len({(len(c.statements), c.tag_keys) for c in got if c is not None}) == 5


def test_shared_consulted_is_bounded() -> None:
    """A full memo is cleared before the next entry (the answer is still `consulted`'s)."""
    idx = AccountIndex.create(_case())
    trust = Policy(
        PolicyRef(PolicyKind.TRUST, "t"), parse_policy_document(doc(_aws("*", Resource="arn:aws:iam::*:role/a*")))
    )
    ps = PolicySet()
    idx._consulted_shared.update({(-i,): ([], None) for i in range(1, 65537)})
    got = idx._consulted_of(ps, ps, trust.document)
    assert got == consulted([trust.document]) and got is not None and len(got.statements) == 1
    assert len(idx._consulted_shared) == 1
