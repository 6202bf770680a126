"""The techniques' cheap exits give the answers of the full definitions (perf3-ungated):

- a technique's gate (`gate_action`: the build runs it only for sources that `may` that action) is
  sound: no source that may not do the gate gets a proposal, and a build with every technique
  ungated gives the same edges in the same order;
- SplitSteps' shared plans (per set of step actions and vehicle list) and helper sets (per account
  and `rest`) give what the unshared definition (roles_that_may over the whole account) gives;
- ModifyThenRunAs.applies_to is `may_any` of the modify actions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from techhelpers import case_snapshot

from iamgraph import api
from iamgraph.collect.gaad import parse_gaad
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.graph.build import build_graph
from iamgraph.model import Snapshot
from iamgraph.techniques import registry
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.base import Proposal, Technique
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, arn, role, trust_aws, trust_service, user
from iamgraph.techniques.families import run_as
from iamgraph.techniques.families.passrole import NewPassRole
from iamgraph.techniques.principal import PrincipalView

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p for p in (ROOT / "samples").glob("*.json"))
TEST_ACCOUNTS = sorted(p for p in (ROOT / "tests" / "accounts").glob("*.json") if p.name != "expected.json")


def _case_snapshots() -> Iterator[tuple[str, Snapshot]]:
    for t in registry.catalogue():
        for c in t.cases:
            yield f"{t.id}:{c.name}", case_snapshot(t, c)


def _file_snapshots(paths: Iterable[Path | str]) -> Iterator[tuple[str, Snapshot]]:
    for p in paths:
        yield str(p), api.load([str(p)])


def _roles_that_may(ctx: AccountIndex, action: str) -> frozenset[str]:
    """The roles (with views) whose identity policies name `action`: each role's own `may`."""
    return frozenset(a for a in ctx.snapshot.roles if a in ctx.views and ctx.views[a].may(action))


def _sources(ctx: AccountIndex) -> list[PrincipalView]:
    return sorted(ctx.views.values(), key=lambda v: v.arn)


# ---- gates -----------------------------------------------------------------------------------


def _ungated_sources_propose_nothing(snapshots: Iterable[tuple[str, Snapshot]]) -> int:
    """Assert that no technique proposes anything for a source that may not do its gate; the
    number of (source, technique) pairs the gate skips."""
    skipped = 0
    gated = [(t, g) for t in registry.catalogue() if (g := t.gate_action()) is not None]
    for name, snap in snapshots:
        ctx = AccountIndex.create(snap)
        for src in _sources(ctx):
            for t, gate in gated:
                if src.may(gate):
                    continue
                skipped += 1
                got = list(t.propose(ctx, src))
                assert not got, f"{name}: {t.id} proposes {got[0].target} for {src.arn} without {gate}"
    return skipped


def test_no_source_that_may_not_do_the_gate_gets_a_proposal_in_the_cases() -> None:
    """Every technique's own cases (built to make each technique propose) and every source."""
    assert _ungated_sources_propose_nothing(_case_snapshots()) > 0


def test_no_source_that_may_not_do_the_gate_gets_a_proposal_in_the_samples() -> None:
    assert _ungated_sources_propose_nothing(_file_snapshots([*SAMPLES, *TEST_ACCOUNTS])) > 0


def test_no_source_that_may_not_do_the_gate_gets_a_proposal_in_generated_500(generated_500_account: str) -> None:
    assert _ungated_sources_propose_nothing(_file_snapshots([generated_500_account])) > 0


def test_passrole_gates_are_a_required_action_after_passrole() -> None:
    """The new-passrole gates are the service's first step (one of the actions `applies_to` needs)."""
    seen = 0
    for t in registry.catalogue():
        if isinstance(t, NewPassRole) or type(t).__name__ == "IdentityPoolRoles":
            assert t.actions[0] == "iam:PassRole" and len(t.actions) > 1, t.id
            assert t.gate_action() == t.actions[1], t.id
            seen += 1
    assert seen > 40


@dataclass(frozen=True)
class _Ungated(Technique):
    """`inner` run for every source (no gate); its proposals as they are."""

    inner: Technique | None = None

    def gate_action(self) -> str | None:
        return None

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        assert self.inner is not None
        return self.inner.propose(ctx, src)


def _edges(snap: Snapshot, techniques: Iterable[Technique] | None) -> list[tuple[str, str, str, str]]:
    graph = build_graph(snap, techniques)
    return [
        (u, v, k, json.dumps(d["evidence"].to_json(), sort_keys=True))
        for u, v, k, d in graph.g.edges(keys=True, data=True)
    ]


def _ungated() -> list[Technique]:
    return [
        _Ungated(id=t.id, name=t.name, category=t.category, actions=t.actions, inner=t) for t in registry.catalogue()
    ]


@pytest.mark.parametrize("path", [*SAMPLES, *TEST_ACCOUNTS], ids=lambda p: p.name)
def test_gated_build_equals_the_ungated_build(path: Path) -> None:
    snap = api.load([str(path)])
    assert _edges(snap, None) == _edges(api.load([str(path)]), _ungated())


def test_gated_build_equals_the_ungated_build_generated_500(generated_500_account: str) -> None:
    gated = _edges(api.load([generated_500_account]), None)
    assert gated and gated == _edges(api.load([generated_500_account]), _ungated())


# ---- SplitSteps --------------------------------------------------------------------------------

CREATE, INVOKE = "lambda:CreateFunction", "lambda:InvokeFunction"


def _split_account(acct: str, mine: str, helper_does: str) -> dict[str, Any]:
    """dev may pass roles and do `mine`; role `helper` (trusting the account's root, which dev may
    assume) does `helper_does`; `fn-admin` trusts Lambda."""
    gaad = account(
        users=[user("dev", allow(["iam:PassRole", mine]), allow("sts:AssumeRole", arn("role", "helper")))],
        roles=[
            role("fn-admin", trust_service("lambda.amazonaws.com"), admin=True),
            role("helper", trust_aws(f"arn:aws:iam::{ACCOUNT}:root"), allow(helper_does)),
        ],
    )
    out: dict[str, Any] = json.loads(json.dumps(gaad).replace(ACCOUNT, acct))
    return out


# A and C alike (dev creates, the helper invokes), B the other way round: one `rest` in two
# accounts, and two sets of step actions
SPLIT_ACCOUNTS = {"111111111111": (CREATE, INVOKE), "222222222222": (INVOKE, CREATE), "333333333333": (CREATE, INVOKE)}


def _split_snapshot() -> Snapshot:
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {"account_id": a, "authorization_details": _split_account(a, *steps)} for a, steps in SPLIT_ACCOUNTS.items()
        ],
    }
    return parse_snapshot_document(doc, file="split.json")


def _reference_split(t: run_as.SplitSteps, ctx: AccountIndex, src: PrincipalView) -> list[Proposal]:
    """SplitSteps.propose as defined before its memos (the base commit's body, verbatim but for
    the list): plans per source, helpers from the trusting roles ∩ roles_that_may (the index)."""
    from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant

    out: list[Proposal] = []
    if not t.applies_to(src):
        return out
    new, _n, step_actions = run_as._vehicles_of_catalogue()
    mine = src.may_all(step_actions)
    plans: list[tuple[NewPassRole, frozenset[str]]] = []
    for tech in new:
        if len(tech.steps) < 2 or tech.needs_instance_profile:
            continue
        rest = frozenset(s.action for s in tech.steps if s.action not in mine)
        if rest and len(rest) < len({s.action for s in tech.steps}):
            plans.append((tech, rest))
    if not plans:
        return out
    trusting = ctx.roles_trusting_account(src.account).union(ctx.trust_index.by_principal.get(src.arn, ()))
    able: dict[frozenset[str], frozenset[str]] = {}
    for _p, rest in plans:
        if rest not in able:
            hit = trusting
            for a in rest:
                hit = hit & _roles_that_may(ctx, a)
            able[rest] = hit
    helpers = t._helpers(ctx, src, set().union(*able.values()))
    if not helpers:
        return out
    for tech, rest in plans:
        mine_helpers = [h for h in helpers if h[0].arn in able[rest]]
        if not mine_helpers:
            continue
        classes = ctx.passrole_classes(src, tech.service)
        if not classes:
            continue
        found = t._split(ctx, src, tech, mine_helpers)
        if found is None:
            continue
        grants, helper = found
        note = f"{tech.id} split: {src.arn} passes the role; {helper.arn} (assumed by it) performs " + ", ".join(
            g.action for g in grants if g.by == helper.arn
        )
        for res, members in classes:
            for r, trust in members:
                if r.arn in (src.arn, helper.arn):
                    continue
                out.append(
                    Proposal(
                        r.arn,
                        Evidence(
                            t.id,
                            EdgeKind.PASS_ROLE,
                            (Grant("iam:PassRole", r.arn, res, by=src.arn), *grants),
                            via=helper.arn,
                            extra_conditions=tuple(sorted(trust.unknown_keys)),
                            note=note,
                        ),
                    )
                )
    return out


def _split_technique() -> run_as.SplitSteps:
    t = registry.by_id()["passrole-split-steps"]
    assert isinstance(t, run_as.SplitSteps)
    return t


def _assert_split_as_defined(snapshots: Iterable[tuple[str, Snapshot]]) -> int:
    """Every source's SplitSteps proposals (one index, sources in build order) equal the reference's
    (on an index of its own, so no SplitSteps memo is shared); the number of proposals."""
    t = _split_technique()
    n = 0
    for name, snap in snapshots:
        ctx, other = AccountIndex.create(snap), AccountIndex.create(snap)
        for src in _sources(ctx):
            got = list(t.propose(ctx, src))
            want = _reference_split(t, other, other.views[src.arn])
            assert [(p.target, p.evidence.to_json()) for p in got] == [
                (p.target, p.evidence.to_json()) for p in want
            ], f"{name}: {src.arn}"
            n += len(got)
    return n


def test_split_steps_across_accounts_is_as_defined() -> None:
    """Three accounts: C shares A's `rest` (the helper sets are per account), B has other step
    actions (the plans are per set); each dev reaches its own account's fn-admin."""
    snap = _split_snapshot()
    assert _assert_split_as_defined([("split", snap)]) > 0
    graph = build_graph(_split_snapshot(), [_split_technique()])
    for acct in SPLIT_ACCOUNTS:
        dev, admin = f"arn:aws:iam::{acct}:user/dev", f"arn:aws:iam::{acct}:role/fn-admin"
        edges = graph.edges_between(dev, admin)
        assert edges and {e.via for e in edges} == {f"arn:aws:iam::{acct}:role/helper"}, acct


def test_split_steps_is_as_defined_in_the_cases_and_samples() -> None:
    cases = [(n, s) for n, s in _case_snapshots() if n.startswith(("passrole-split-steps", "lambda-"))]
    assert _assert_split_as_defined([*cases, *_file_snapshots([*SAMPLES, *TEST_ACCOUNTS])]) > 0


def test_split_steps_is_as_defined_in_generated_500(generated_500_account: str) -> None:
    _assert_split_as_defined(_file_snapshots([generated_500_account]))


def test_split_helper_sets_are_the_trusting_roles_that_may_the_rest() -> None:
    """able_in_account(account, rest) == roles_trusting_account(account) ∩ roles_that_may(a) for
    each a of rest, for every account and every `rest` of the catalogue (asked in two orders)."""
    snap = _split_snapshot()
    new, _, _ = run_as._vehicles_of_catalogue()
    found = {frozenset(s.action for s in t.steps[i:]) for t in new for i in range(1, len(t.steps))}
    # two actions, one of which a helper may: none of them may both
    rests = sorted(found | {frozenset({CREATE, INVOKE}), frozenset({INVOKE, "s3:GetObject"})}, key=sorted)
    for order in (1, -1):
        ctx = AccountIndex.create(snap)
        memo = run_as._split_memo(ctx, new)
        for acct in list(SPLIT_ACCOUNTS)[::order]:
            for rest in rests[::order]:
                want = ctx.roles_trusting_account(acct)
                for a in rest:
                    want = want & _roles_that_may(ctx, a)
                assert memo.able_in_account(ctx, acct, rest) == want, (acct, sorted(rest))
    assert any(memo.able_in_account(ctx, a, frozenset({INVOKE})) for a in SPLIT_ACCOUNTS)


def test_split_memo_follows_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another catalogue (without lambda-001, so the same step actions) on the same index: plans
    of its own, as the reference makes them."""
    snap = _split_snapshot()
    ctx, other = AccountIndex.create(snap), AccountIndex.create(snap)
    t = _split_technique()
    src = ctx.views[f"arn:aws:iam::{ACCOUNT}:user/dev"]

    def notes() -> set[str]:
        got = [(p.target, p.evidence.to_json()) for p in t.propose(ctx, src)]
        assert got == [(p.target, p.evidence.to_json()) for p in _reference_split(t, other, other.views[src.arn])]
        return {p.evidence.note.split(" ", 1)[0] for p in t.propose(ctx, src)}

    assert "lambda-001" in notes()
    fewer = tuple(x for x in registry.catalogue() if x.id != "lambda-001")
    monkeypatch.setattr(registry, "catalogue", lambda: fewer)
    assert "lambda-001" not in notes()  # (no other technique splits here)


# ---- ModifyThenRunAs ---------------------------------------------------------------------------


def test_modify_run_as_applies_to_is_may_any_of_the_modify_actions(generated_500_account: str) -> None:
    t = registry.by_id()["iam-modify-role-run-as-service"]
    snaps = [*_case_snapshots(), *_file_snapshots([*SAMPLES, generated_500_account])]
    hits = 0
    for _, snap in snaps:
        for v in AccountIndex.create(snap).views.values():
            want = any(v.may(a) for a in run_as.MODIFY_ACTIONS)
            assert t.applies_to(v) == want, v.arn
            hits += want
            for a in run_as.MODIFY_ACTIONS:  # each action alone decides it
                assert t.applies_to(v) >= v.may(a)
    assert hits


def _reference_modify_run_as(t: run_as.ModifyThenRunAs, ctx: AccountIndex, src: PrincipalView) -> list[Proposal]:
    """ModifyThenRunAs.propose as defined before the usable-vehicle exit (the base commit's body)."""
    from iamgraph.techniques.base import ADMIN_NODE
    from iamgraph.techniques.target_grants import admin_after, conditional_keys

    out: list[Proposal] = []
    if not src.may_any(run_as.MODIFY_ACTIONS):
        return out
    new, existing, _ = run_as._vehicles_of_catalogue()
    by_role = run_as._vehicles_by_role(ctx, [*new, *existing])
    any_version = src.may("iam:CreatePolicyVersion")
    modifiers = [x for x in run_as._MODIFIERS if src.may(x.modify_action)]
    for role_arn in ctx.roles_in(src.account):
        if role_arn not in by_role or role_arn == src.arn or ctx.admin(role_arn).definite:
            continue
        if not any_version and not any(src.may_on(a, role_arn) for a in ("iam:AttachRolePolicy", "iam:PutRolePolicy")):
            continue
        mod = next((m for m in (x._modify(ctx, src, role_arn) for x in modifiers) if m is not None), None)
        if mod is None:
            continue
        role = ctx.snapshot.roles[role_arn]
        if ctx.assume(src, role).possible:
            continue
        status = admin_after(ctx, ctx.views[role_arn])
        if not status.possible:
            continue
        services: list[tuple[Technique, Any]] = [(v, ctx.service_trust(role, v.service)) for v in by_role[role_arn]]
        if not services:
            continue
        best = t._best_run(ctx, src, role, services, mod, conditional_keys(status))
        if best is not None:
            out.append(Proposal(ADMIN_NODE, best))
    return out


def _modify_run_as_account() -> Snapshot:
    """dev may put a policy on every role and update Lambda code (no iam:PassRole); ops may put
    a policy and pass roles but create no function; `fn` and `worker` trust Lambda."""
    gaad = account(
        users=[
            user("dev", allow(["iam:PutRolePolicy", "lambda:UpdateFunctionCode"])),
            user("ops", allow(["iam:PutRolePolicy", "iam:PassRole"])),
            user("builder", allow(["iam:PutRolePolicy", "iam:PassRole", CREATE, INVOKE])),
        ],
        roles=[
            role("fn", trust_service("lambda.amazonaws.com"), allow("s3:GetObject")),
            role("worker", trust_service("lambda.amazonaws.com")),
        ],
    )
    return parse_gaad(gaad, file="modify-run-as.json")


def test_modify_run_as_is_as_defined(generated_500_account: str) -> None:
    """Every source's proposals (one index, build order) equal the pre-exit body's (an index of
    its own): the catalogue's cases, samples, tests/accounts, generated-500 and an account whose
    sources may modify roles with an existing-resource vehicle only, none, or a new-passrole one."""
    t = registry.by_id()["iam-modify-role-run-as-service"]
    assert isinstance(t, run_as.ModifyThenRunAs)
    cases = [(n, s) for n, s in _case_snapshots() if n.startswith(t.id)]
    snaps = [*cases, ("modify-run-as", _modify_run_as_account())]
    snaps += list(_file_snapshots([*SAMPLES, *TEST_ACCOUNTS, generated_500_account]))
    proposed: set[str] = set()
    for name, snap in snaps:
        ctx, other = AccountIndex.create(snap), AccountIndex.create(snap)
        for src in _sources(ctx):
            got = [(p.target, p.evidence.to_json()) for p in t.propose(ctx, src)]
            want = [(p.target, p.evidence.to_json()) for p in _reference_modify_run_as(t, other, other.views[src.arn])]
            assert got == want, f"{name}: {src.arn}"
            if got and name == "modify-run-as":
                proposed.add(src.arn.rsplit("/", 1)[-1])
    # the existing-resource vehicle (potential, no inventory) and the new-passrole one both count
    assert proposed == {"dev", "builder"}


# ---- AssumeRole --------------------------------------------------------------------------------


def _reference_assume(t: Technique, ctx: AccountIndex, src: PrincipalView) -> list[Proposal]:
    """AssumeRole.propose as defined before its early exits (the base commit's body)."""
    from iamgraph.evaluate.types import Decision
    from iamgraph.model import NodeKind, account_of
    from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant
    from iamgraph.techniques.families.access import _prefilter

    out: list[Proposal] = []
    idx = ctx.trust_index
    cands: dict[str, None] = dict.fromkeys(idx.by_principal.get(src.arn, ()))
    cands.update(dict.fromkeys(idx.wildcard))
    if src.may("sts:AssumeRole"):
        cands.update(dict.fromkeys(a for a, _g in _prefilter(src, idx.by_account.get(src.account, ()))))
    for role_arn in sorted(cands):
        if role_arn == src.arn:
            continue
        res = ctx.assume(src, ctx.snapshot.roles[role_arn])
        if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
            out.append(
                Proposal(role_arn, Evidence(t.id, EdgeKind.ASSUME_ROLE, (Grant("sts:AssumeRole", role_arn, res),)))
            )
    if src.kind is NodeKind.ROLE:
        parts = src.arn.split(":", 5)
        bare = f"arn:{parts[1]}:iam::{parts[4]}:role/{src.name}"
        for session_arn, role_arn in idx.sessions.get(bare, ()):
            if role_arn == src.arn or role_arn not in ctx.snapshot.roles:
                continue
            role_ = ctx.snapshot.roles[role_arn]
            res = src.can(
                "sts:AssumeRole",
                role_arn,
                resource_policy=role_.trust_policy,
                resource_account=account_of(role_arn),
                as_session=session_arn,
            )
            if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
                out.append(
                    Proposal(
                        role_arn,
                        Evidence(
                            t.id,
                            EdgeKind.ASSUME_ROLE,
                            (Grant("sts:AssumeRole", role_arn, res),),
                            via=session_arn,
                            note="trust names a session of the source role; its name is the caller's choice",
                        ),
                    )
                )
    return out


def _assume_accounts() -> list[tuple[str, Snapshot]]:
    """Each reach of sts-001 alone in an account: a trust naming the user (no identity Allow), a
    trust naming anyone, a session of a role, and the account root with an identity Allow."""
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/ci/deploy-session"
    shapes = {
        "named": ([user("dev")], [role("target", trust_aws(arn("user", "dev")))]),
        "anyone": ([user("dev")], [role("target", trust_aws("*"))]),
        "session": (
            [user("dev")],
            [role("ci", trust_aws(arn("user", "nobody"))), role("target", trust_aws(session))],
        ),
        "root": (
            [user("dev", allow("sts:AssumeRole"))],
            [role("target", trust_aws(f"arn:aws:iam::{ACCOUNT}:root"))],
        ),
    }
    return [(n, parse_gaad(account(users=u, roles=r), file=f"{n}.json")) for n, (u, r) in shapes.items()]


def test_assume_role_is_as_defined(generated_500_account: str) -> None:
    """Every source's sts-001 proposals (one index, build order) equal the pre-exit body's (an
    index of its own); each of the four reaches gives an edge in its own account."""
    t = registry.by_id()["sts-001"]
    cases = [(n, s) for n, s in _case_snapshots() if n.startswith(t.id)]
    snaps = [*_assume_accounts(), *cases, *_file_snapshots([*SAMPLES, *TEST_ACCOUNTS, generated_500_account])]
    reached: set[str] = set()
    for name, snap in snaps:
        ctx, other = AccountIndex.create(snap), AccountIndex.create(snap)
        for src in _sources(ctx):
            got = [(p.target, p.evidence.to_json()) for p in t.propose(ctx, src)]
            want = [(p.target, p.evidence.to_json()) for p in _reference_assume(t, other, other.views[src.arn])]
            assert got == want, f"{name}: {src.arn}"
            if any(target.endswith("role/target") for target, _ in got):
                reached.add(name)
    assert {"named", "anyone", "session", "root"} <= reached
