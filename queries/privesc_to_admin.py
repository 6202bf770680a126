"""privesc-to-admin: every non-admin principal that can become admin, by its shortest path."""

from __future__ import annotations

from iamgraph.graph.model import IamGraph
from iamgraph.query.base import DataNeed, Finding, Hop, QueryDef, QueryKind, Severity
from iamgraph.query.paths import Adjacency, adjacency_of, distance_levels, path_via_distances
from iamgraph.query.remediation import remediation_for
from iamgraph.query.shared import distances, principals


def run(graph: IamGraph) -> list[Finding]:
    out: list[Finding] = []
    adjacency = adjacency_of(graph)
    # one admin sink per account (a graph of one account has just `iamgraph:admin`)
    for account, admin in sorted(graph.admin_sinks.items()) or [("", graph.admin_node)]:
        out.extend(_to_admin(graph, account, admin, adjacency))
    return out


def _to_admin(graph: IamGraph, account: str, admin: str, adjacency: Adjacency) -> list[Finding]:
    definite = distances(graph, admin, definite_only=True)
    anyway = distances(graph, admin, definite_only=False)  # also risky-trust's
    levels = {True: distance_levels(definite), False: distance_levels(anyway)}
    out: list[Finding] = []
    multi = graph.multi_account
    for src in principals(graph):
        if src not in anyway or not graph.actable(src):
            continue
        if graph.is_admin(src) and graph.g.nodes[src].get("account", account) == account:
            continue  # already admin of this account
        use_definite = src in definite
        dist = definite if use_definite else anyway
        path = path_via_distances(
            graph, src, admin, dist, definite_only=use_definite, levels=levels[use_definite], adjacency=adjacency
        )
        if not path:
            continue
        alternatives = sum(1 for n in adjacency[src] if n in anyway) - 1
        conditional = any(h.evidence.conditional for h in path)
        target = path[-1].src if path[-1].src != src else admin
        incomplete = _incomplete(graph, path)
        out.append(
            Finding(
                query="privesc-to-admin",
                severity=Severity.MEDIUM if conditional else Severity.CRITICAL,
                title=("Potential" if conditional else "Definite")
                + " escalation to admin"
                + (f" of {account}" if multi else "")
                + f" in {len(path)} step{'s' if len(path) != 1 else ''}",
                source=src,
                target=target,
                reaches_admin=True,
                path=path,
                remediation=remediation_for(path),
                alternatives=max(alternatives, 0),
                incomplete=incomplete,
                admin_account=account or None,
                details={"fingerprint": f"admin:{account}"} if multi else {},
            )
        )
    return out


QUERY: QueryDef[None] = QueryDef(
    id="privesc-to-admin",
    title="Privilege escalation to admin",
    description="A principal can become an administrator of the account through a privilege-escalation path.",
    severity=Severity.CRITICAL,
    kind=QueryKind.ESCALATION,
    fn=run,
    default=True,
    needs=frozenset(
        {DataNeed.IAM, DataNeed.INVENTORY, DataNeed.RESOURCE_POLICIES, DataNeed.ORGANIZATION, DataNeed.IDENTITY_CENTER}
    ),
)


def _incomplete(graph: IamGraph, path: tuple[Hop, ...]) -> tuple[str, ...]:
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
