"""admins: who is administrator outright, and the statements that make it so."""

from __future__ import annotations

from iamgraph.graph.model import IamGraph
from iamgraph.query.base import DataNeed, Finding, Hop, QueryDef, QueryKind, Severity


def run(graph: IamGraph) -> list[Finding]:
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
