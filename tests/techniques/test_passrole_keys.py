"""Cheaper PassRole keys, same answers:

- `AccountIndex._doc_patterns` (the PassRole-relevant patterns of one document, memoised per
  document and action) gives `_relevant_patterns` the value of its former per-source walk;
- `SharedAnswers.part` numbers the values of `_part` (equal numbers exactly for equal values),
  whose citations are numbered per citation object (equal numbers exactly for equal refs);
- `passrole._plan` numbers step tuples (equal numbers exactly for equal tuples) and keeps each
  tuple's distinct actions.

Each memo is asked with pairs that differ in one part of its key and have different answers, so a
key that left that part out would hand the second the first's answer (mutation-checked)."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.matching import statement_matches_action
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, doc, managed_policy, role, trust_service
from iamgraph.techniques.families.passrole import ServiceAction, _plan
from iamgraph.techniques.principal import PrincipalView

PASS = "iam:PassRole"
ASSUME = "sts:AssumeRole"
ROLES = f"arn:aws:iam::{ACCOUNT}:role"


def _former_relevant_patterns(src: PrincipalView, action: str) -> tuple[str, ...] | None:
    """`_relevant_patterns_of` as it was: one walk over the source's statements."""
    pats: list[str] = []
    for p in (*src.policies.identity, *src.policies.boundaries, *(q for lvl in src.policies.scps for q in lvl)):
        for st in p.document.statements:
            if statement_matches_action(st, action):
                for pat in st.resources if st.resources is not None else st.not_resources or ():
                    if "${" in pat:
                        return None
                    if pat != "*":
                        pats.append(pat)
    return tuple(dict.fromkeys(pats))


def _parn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


def _snapshot() -> Snapshot:
    policies = [
        managed_policy("pass-a", doc(allow(PASS, f"{ROLES}/a-*"), allow(ASSUME, f"{ROLES}/x-*"))),
        # the same document as pass-a, another policy (citation)
        managed_policy("pass-a-copy", doc(allow(PASS, f"{ROLES}/a-*"), allow(ASSUME, f"{ROLES}/x-*"))),
        managed_policy("pass-b", doc(allow(PASS, f"{ROLES}/b-*"), allow(PASS, f"{ROLES}/a-*"))),
        managed_policy("pass-var", doc(allow(PASS, f"{ROLES}/${{aws:username}}-*"), allow(PASS, f"{ROLES}/c-*"))),
        managed_policy("pass-not", doc({"Effect": "Allow", "Action": PASS, "NotResource": f"{ROLES}/d-*"})),
        managed_policy("deny-star", doc({"Effect": "Deny", "NotAction": "s3:*", "Resource": f"{ROLES}/e-*"})),
    ]

    def r(name: str, *managed: str, boundary: str | None = None) -> dict[str, Any]:
        return role(
            name, trust_service("lambda.amazonaws.com"), managed=tuple(_parn(m) for m in managed), boundary=boundary
        )

    roles = [
        r("only-a", "pass-a"),
        r("only-a-copy", "pass-a-copy"),
        r("a-and-b", "pass-a", "pass-b"),
        r("b-then-a", "pass-b", "pass-a"),
        r("with-var", "pass-a", "pass-var"),
        r("not-resource", "pass-not", "deny-star"),
        r("bounded", "pass-a", boundary=_parn("pass-b")),
    ]
    doc_ = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": account(roles=roles, policies=policies)}],
    }
    return parse_snapshot_document(doc_, file="case:passrole-keys")


def _view(ctx: AccountIndex, name: str) -> PrincipalView:
    return ctx.views[f"{ROLES}/{name}"]


def test_relevant_patterns_per_document_are_the_former_walk() -> None:
    ctx = AccountIndex.create(_snapshot())
    seen = set()
    for name in ("only-a", "a-and-b", "b-then-a", "with-var", "not-resource", "bounded"):
        for action in (PASS, ASSUME, "s3:GetObject"):
            got = ctx._relevant_patterns(_view(ctx, name), action)
            assert got == _former_relevant_patterns(_view(ctx, name), action), (name, action)
            seen.add(got)
    # the cases tell documents, actions, order, boundaries, variables and NotResource apart
    assert {
        (f"{ROLES}/a-*",),
        (f"{ROLES}/a-*", f"{ROLES}/b-*"),
        (f"{ROLES}/b-*", f"{ROLES}/a-*"),
        (f"{ROLES}/x-*",),
        (f"{ROLES}/d-*", f"{ROLES}/e-*"),
        None,
        (),
    } <= seen


def test_document_patterns_are_kept_per_document_and_action() -> None:
    """One document asked for two actions, two documents for one action: each its own answer."""
    snap = _snapshot()
    ctx = AccountIndex.create(snap)
    a, b = snap.policies[_parn("pass-a")].default_document, snap.policies[_parn("pass-b")].default_document
    assert a is not None and b is not None
    assert ctx._doc_patterns(a, PASS) == (f"{ROLES}/a-*",)
    assert ctx._doc_patterns(a, ASSUME) == (f"{ROLES}/x-*",)
    assert ctx._doc_patterns(b, PASS) == (f"{ROLES}/b-*", f"{ROLES}/a-*")
    var = snap.policies[_parn("pass-var")].default_document
    assert var is not None and ctx._doc_patterns(var, PASS) is None


def test_a_stale_document_entry_is_not_used() -> None:
    """An entry made for another document under the same id (a freed one's) is recomputed."""
    snap = _snapshot()
    ctx = AccountIndex.create(snap)
    a, b = snap.policies[_parn("pass-a")].default_document, snap.policies[_parn("pass-b")].default_document
    assert a is not None and b is not None
    ctx._doc_pats[(id(a), PASS)] = (b, ("stale",))
    assert ctx._doc_patterns(a, PASS) == (f"{ROLES}/a-*",)


@pytest.mark.parametrize(
    "account_file",
    ["generated-500", "samples/freelancer-lambda-passrole-star.json", "samples/multi-hop-chain.json"],
    indirect=True,
)
def test_relevant_patterns_of_every_source_are_the_former_walk(account_file: str) -> None:
    from iamgraph import api

    ctx = AccountIndex.create(api.load([account_file]))
    for view in ctx.views.values():
        for action in (PASS, ASSUME):
            assert ctx._relevant_patterns(view, action) == _former_relevant_patterns(view, action), view.arn


@pytest.mark.parametrize(
    "account_file",
    ["generated-500", "samples/freelancer-lambda-passrole-star.json", "samples/multi-hop-chain.json"],
    indirect=True,
)
def test_part_numbers_are_equal_exactly_for_equal_parts(account_file: str) -> None:
    """Across every view and a few actions of an account: two numbers are equal iff the `_part`
    values behind them are (the numbers are per memo, so per build)."""
    from iamgraph import api

    ctx = AccountIndex.create(api.load([account_file]))
    shared = ctx.shared
    by_number: dict[int, tuple[object, ...]] = {}
    by_value: dict[tuple[object, ...], int] = {}
    for view in ctx.views.values():
        for action in (PASS, "lambda:CreateFunction", "lambda:InvokeFunction", "iam:CreateAccessKey"):
            number = shared.part(view, action)
            who = shared._who[id(view)]
            value = shared._part(who, action)
            assert (number is None) == (value is None)
            if number is None or value is None:
                continue
            assert by_number.setdefault(number, value) == value
            assert by_value.setdefault(value, number) == number
            assert shared.part(view, action) == number  # kept
    assert len(by_number) > 1


def test_part_numbers_tell_parts_apart() -> None:
    """Views with different documents for PassRole get different numbers; ones with the same get one."""
    ctx = AccountIndex.create(_snapshot())
    parts = {name: ctx.shared.part(_view(ctx, name), PASS) for name in ("only-a", "a-and-b", "b-then-a")}
    assert None not in parts.values() and len(set(parts.values())) == 3
    assert ctx.shared.part(_view(ctx, "only-a"), ASSUME) != parts["only-a"]


def test_part_numbers_tell_citations_apart_even_under_a_stale_entry() -> None:
    """Two policies of one document: different citations, different parts; an entry made for
    another citation object under the same id (a freed one's) is not used."""
    snap = _snapshot()
    a, b = snap.policies[_parn("pass-a")], snap.policies[_parn("pass-a-copy")]
    assert a.default_document is b.default_document
    ctx = AccountIndex.create(snap)
    first = ctx.shared.part(_view(ctx, "only-a"), PASS)
    assert first is not None and first != ctx.shared.part(_view(ctx, "only-a-copy"), PASS)
    fresh = AccountIndex.create(snap)
    first = fresh.shared.part(_view(fresh, "only-a"), PASS)
    copy = _view(fresh, "only-a-copy").policies.identity[0].ref
    number = fresh.shared._ref_values[_view(fresh, "only-a").policies.identity[0].ref]
    fresh.shared._refs[id(copy)] = (_view(fresh, "only-a").policies.identity[0].ref, number)
    assert fresh.shared.part(_view(fresh, "only-a-copy"), PASS) != first


STEP = ServiceAction("lambda:CreateFunction", "arn:aws:lambda:us-east-1:{account}:function:iamgraph")
INVOKE = ServiceAction("lambda:InvokeFunction", STEP.template)


def test_step_plans_number_equal_tuples_alike_and_others_apart() -> None:
    ctx = AccountIndex.create(_snapshot())
    one, same, other = (STEP, INVOKE), (STEP, INVOKE), (STEP, STEP, INVOKE)
    assert one is not same
    n1, acts1 = _plan(ctx, one)
    n2, acts2 = _plan(ctx, same)
    n3, acts3 = _plan(ctx, other)
    n4, acts4 = _plan(ctx, (INVOKE,))
    assert n1 == n2 and acts1 == acts2 == ("lambda:CreateFunction", "lambda:InvokeFunction")
    assert acts3 == acts1 and n3 != n1  # other steps (the grants may differ), the same actions
    assert acts4 == ("lambda:InvokeFunction",) and len({n1, n3, n4}) == 3
    assert _plan(ctx, one) == (n1, acts1)


def test_a_stale_step_plan_is_not_used() -> None:
    """An entry made for another tuple under the same id (a freed one's) is recomputed."""
    ctx = AccountIndex.create(_snapshot())
    steps = (INVOKE,)
    ctx.step_plans[id(steps)] = ((STEP,), 99, ("lambda:CreateFunction",))
    number, actions = _plan(ctx, steps)
    assert actions == ("lambda:InvokeFunction",) and number != 99


def test_the_grant_loops_rank_decisions_as_decision_rank() -> None:
    from iamgraph.evaluate.types import Decision
    from iamgraph.techniques import account_index
    from iamgraph.techniques.families import passrole
    from iamgraph.techniques.principal import decision_rank

    for table in (account_index._RANK, passrole._RANK):
        assert table == {d: decision_rank(d) for d in Decision}
    assert passrole._ALLOWED_RANK == max(table.values())
    assert (account_index._ALLOWED, account_index._UNKNOWN) == (Decision.ALLOWED, Decision.UNKNOWN)
