"""admins: who is administrator outright, and the statements that make it so."""

from __future__ import annotations

from iamgraph.graph.model import IamGraph
from iamgraph.model import NodeKind
from iamgraph.query.base import DataNeed, Finding, Hop, QueryDef, QueryKind, Severity
from iamgraph.techniques.evidence import Evidence


def run(graph: IamGraph) -> list[Finding]:
    out = []
    for src, sink, ev in _admin_edges(graph):
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


def _admin_edges(graph: IamGraph) -> list[tuple[str, str, Evidence]]:
    """(principal, its own account's admin sink, its first "admin" edge into that sink) for every
    principal with one, in principal order. Only the sinks' predecessors can have such an edge, so
    only they are looked at (a few of all principals)."""
    near: set[str] = set()
    for sink in {*graph.admin_sinks.values(), graph.admin_node}:
        if sink in graph.g:
            near.update(graph.g.pred[sink])
    nodes = graph.g.nodes
    kinds = (NodeKind.USER, NodeKind.ROLE, NodeKind.IDC_USER)  # those of IamGraph.principals
    out = []
    for src in sorted(n for n in near if nodes[n].get("kind") in kinds):
        sink = graph.admin_sink(nodes[src].get("account", ""))
        ev = next((e for e in graph.edges_between(src, sink) if e.technique == "admin"), None)
        if ev is not None:
            out.append((src, sink, ev))
    return out


QUERY: QueryDef[None] = QueryDef(
    id="admins",
    title="Administrators",
    description="Principals that are administrator outright (allowed * on *).",
    severity=Severity.LOW,
    kind=QueryKind.INVENTORY,
    fn=run,
    default=True,
    needs=frozenset({DataNeed.IAM, DataNeed.ORGANIZATION}),
)
