"""`Technique.gate_any` (a gate of several actions, one of which a source needs): the build runs
such a technique exactly for the sources that `may` one of them, and every catalogue technique
that declares one proposes nothing for the other sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from iamgraph import api
from iamgraph.collect.gaad import parse_gaad
from iamgraph.graph.build import build_graph
from iamgraph.model import Snapshot
from iamgraph.techniques import registry
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.base import ADMIN_NODE, Category, Proposal, Technique
from iamgraph.techniques.case_builders import account, allow, user
from iamgraph.techniques.evidence import EdgeKind, Evidence
from iamgraph.techniques.principal import PrincipalView

ROOT = Path(__file__).resolve().parents[2]
A, B, C = "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion"


@dataclass(frozen=True)
class _Recorder(Technique):
    """Proposes an edge to the admin sink for every source it is run for (and records it)."""

    any_of: tuple[str, ...] = ()
    seen: list[str] = field(default_factory=list, compare=False)

    def gate_action(self) -> str | None:
        return None

    def gate_any(self) -> tuple[str, ...]:
        return self.any_of

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        self.seen.append(src.arn)
        yield Proposal(ADMIN_NODE, Evidence(self.id, EdgeKind.SELF_ESCALATION))


def _snapshot() -> Snapshot:
    return parse_gaad(
        account(
            users=[
                user("a", allow(A)),
                user("b", allow(B, "arn:aws:iam::111111111111:role/x")),
                user("c", allow("iam:Create*")),
                user("d", allow("s3:GetObject")),
                user("e", allow("iam:*")),
                user("f"),
            ]
        ),
        file="gate-any",
    )


def _run(any_of: tuple[str, ...], others: tuple[Technique, ...] = ()) -> tuple[list[str], list[str]]:
    t = _Recorder(id="test-gate-any", name="n", category=Category.SELF_ESCALATION, actions=(), any_of=any_of)
    graph = build_graph(_snapshot(), [t, *others])
    edges = sorted(u for u, _v, k in graph.g.edges(keys=True) if k == "test-gate-any")
    return sorted(t.seen), edges


def test_runs_exactly_for_the_sources_that_may_one_of_the_actions() -> None:
    snap = _snapshot()
    ctx = AccountIndex.create(snap)
    want = sorted(v.arn for v in ctx.views.values() if any(v.may(x) for x in (A, B, C)))
    assert [a.rsplit("/", 1)[1] for a in want] == ["a", "b", "c", "e"]
    seen, edges = _run((A, B, C))
    assert seen == want and edges == want
    # with the catalogue's own gates asked too (gate actions shared with gated techniques)
    seen, edges = _run((A, B, C), registry.catalogue())
    assert seen == want and edges == want


def test_no_gate_any_runs_for_every_source() -> None:
    snap = _snapshot()
    everyone = sorted(AccountIndex.create(snap).views)
    assert _run(())[0] == everyone


def test_catalogue_gate_any_is_sound() -> None:
    """A technique with `gate_any` proposes nothing for a source that may none of its actions
    (samples and test accounts)."""
    declared = [(t, t.gate_any()) for t in registry.catalogue() if t.gate_action() is None and t.gate_any()]
    paths = sorted((ROOT / "samples").glob("*.json")) + sorted(
        p for p in (ROOT / "tests" / "accounts").glob("*.json") if p.name != "expected.json"
    )
    for p in paths:
        ctx = AccountIndex.create(api.load([str(p)]))
        for src in sorted(ctx.views.values(), key=lambda v: v.arn):
            for t, some in declared:
                if not any(src.may(x) for x in some):
                    assert not list(t.propose(ctx, src)), f"{p.name}: {t.id} for {src.arn}"
