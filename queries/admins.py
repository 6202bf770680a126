"""admins: who is administrator outright, and the statements that make it so."""

from __future__ import annotations

from iamgraph.graph.model import IamGraph
from iamgraph.query.base import Finding, Hop, Severity, SimpleQuery


def run(graph: IamGraph) -> list[Finding]:
    out = []
    for src in graph.principals():
        ev = next((e for e in graph.edges_between(src, graph.admin_node) if e.technique == "admin"), None)
        if ev is None:
            continue
        out.append(Finding(query="admins", severity=Severity.LOW,
                           title="Administrator" + (" (only under conditions)" if ev.conditional else ""),
                           source=src, target=graph.admin_node, reaches_admin=True,
                           path=(Hop(src, graph.admin_node, ev),),
                           remediation="Keep administrators few; require MFA and prefer roles over users with long-lived keys."))
    return out


QUERY = SimpleQuery("admins", "Principals that are administrator outright (allowed * on *).", run)
