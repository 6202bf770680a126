"""The admins query looks only at the admin sinks' predecessors: it must give what asking every
principal gives (the query's former body, kept here as the reference), on single accounts,
a generated organisation (one sink per account) and Identity Center users."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.graph.model import IamGraph
from iamgraph.model import NodeKind
from iamgraph.query.base import Finding, Hop, Severity
from iamgraph.techniques.base import ADMIN_NODE
from iamgraph.techniques.evidence import EdgeKind, Evidence

ROOT = Path(__file__).resolve().parents[2]
ADMINS = api.queries()["admins"]


def reference(graph: IamGraph) -> list[Finding]:
    """The query as it was: every principal, its own sink, its first "admin" edge there."""
    out = []
    for src in graph.principals():
        sink = graph.admin_sink(graph.g.nodes[src].get("account", ""))
        ev = next((e for e in graph.edges_between(src, sink) if e.technique == "admin"), None)
        if ev is None:
            continue
        out.append(
            Finding(
                query="admins",
                severity=Severity.LOW,
                title="Administrator" + (" (only under conditions)" if ev.conditional else ""),
                source=src,
                target=sink,
                reaches_admin=True,
                admin_account=graph.sink_account(sink),
                path=(Hop(src, sink, ev),),
                remediation="Keep administrators few; require MFA and prefer roles over users with long-lived keys.",
            )
        )
    return out


def _same(graph: IamGraph) -> list[Finding]:
    got = ADMINS.run(graph, None)
    want = reference(graph)
    assert [f.to_json() for f in got] == [f.to_json() for f in want]
    return got


FILES = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "samples").glob("*.json"))] + [
    str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests" / "accounts").glob("*.json")) if p.name != "expected.json"
]


@pytest.mark.parametrize("account_file", [*FILES, "generated-500"], indirect=True)
def test_same_findings_as_asking_every_principal(account_file: str) -> None:
    _same(api.build_graph(api.load([ROOT / account_file if not Path(account_file).is_absolute() else account_file])))


def _gen_org() -> Any:
    spec = importlib.util.spec_from_file_location("generate_org", ROOT / "benchmarks" / "generate_org.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules["generate_org"] = gen
    spec.loader.exec_module(gen)
    return gen


def test_same_findings_in_an_organisation_with_a_sink_per_account() -> None:
    document, _truth = _gen_org().generate_org(20, 7, base="tiny")
    graph = api.build_graph(parse_snapshot_document(document, file="org.json"))
    assert len(set(graph.admin_sinks.values())) > 1
    got = _same(graph)
    assert len({f.admin_account for f in got}) > 1  # admins found in several accounts


def test_an_admin_edge_into_another_accounts_sink_is_not_an_admin_finding() -> None:
    """Only the edge into the principal's own account's sink counts (as before), even when the
    principal is a predecessor of another sink; an Identity Center user's own edge counts."""
    graph = api.build_graph(api.load([ROOT / "samples" / "multi-hop-chain.json"]))
    src = graph.principals()[0]
    ev = Evidence("admin", EdgeKind.ADMIN, note="allowed * on *")
    graph.admin_sinks["999999999999"] = f"{ADMIN_NODE}:999999999999"
    graph.add_node(f"{ADMIN_NODE}:999999999999", NodeKind.ADMIN, "ADMIN 999999999999", account="999999999999")
    graph.add_edge(src, f"{ADMIN_NODE}:999999999999", ev)
    graph.add_node("idc:user:u-1", NodeKind.IDC_USER, "alice", account="999999999999")
    graph.add_edge("idc:user:u-1", f"{ADMIN_NODE}:999999999999", ev)
    got = _same(graph)
    assert "idc:user:u-1" in {f.source for f in got}
    assert (src, f"{ADMIN_NODE}:999999999999") not in {(f.source, f.target) for f in got}
