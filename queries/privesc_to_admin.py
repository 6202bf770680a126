"""privesc-to-admin: every non-admin principal that can become admin, by its shortest path."""

from __future__ import annotations

from iamgraph.graph.model import IamGraph
from iamgraph.query.base import Finding, Severity, SimpleQuery
from iamgraph.query.paths import distances_to, path_via_distances
from iamgraph.query.remediation import remediation_for


def run(graph: IamGraph) -> list[Finding]:
    admin = graph.admin_node
    definite = distances_to(graph, admin, definite_only=True)
    anyway = distances_to(graph, admin, definite_only=False)
    out: list[Finding] = []
    for src in graph.principals():
        if graph.is_admin(src) or src not in anyway or not graph.actable(src):
            continue
        use_definite = src in definite
        dist = definite if use_definite else anyway
        path = path_via_distances(graph, src, admin, dist, definite_only=use_definite)
        if not path:
            continue
        alternatives = sum(1 for n in set(graph.g.successors(src)) if n in anyway) - 1
        conditional = any(h.evidence.conditional for h in path)
        target = path[-1].src if path[-1].src != src else admin
        incomplete = _incomplete(graph, path)
        out.append(Finding(
            query="privesc-to-admin",
            severity=Severity.MEDIUM if conditional else Severity.CRITICAL,
            title=("Potential" if conditional else "Definite") + f" escalation to admin in {len(path)} step(s)",
            source=src, target=target, reaches_admin=True, path=path,
            remediation=remediation_for(path), alternatives=max(alternatives, 0),
            incomplete=incomplete,
        ))
    return out


QUERY = SimpleQuery("privesc-to-admin", "Principals that can become administrator, with the shortest path.", run)


def _incomplete(graph: IamGraph, path) -> tuple[str, ...]:
    """Why this finding may rest on incomplete data: principals on the path whose policies are not
    all known, and hops that need inventory the collector could not read."""
    snap = graph.snapshot
    out: list[str] = []
    for hop in path:
        for node in (hop.src, hop.dst):
            for reason in snap.incomplete.get(node, ()):
                out.append(f"{node}: {reason}")
        for need in hop.evidence.missing:
            for gap in snap.collection_gaps:
                service = gap.api.split(":", 1)[0]
                if service and f"inventory: whether a {service} " in need:
                    out.append(f"{need} (could not read {gap.api}" + (f" in {gap.region}" if gap.region else "") + ")")
    return tuple(dict.fromkeys(out))
