"""who-can ACTION [RESOURCE]: principals allowed directly, or through a path to one that is."""

from __future__ import annotations

import networkx as nx

from iamgraph.evaluate.applicable import resource_policy_for
from iamgraph.evaluate.types import Decision
from iamgraph.graph.model import IamGraph
from iamgraph.model import account_of
from iamgraph.query.base import Finding, Hop, Severity, SimpleQuery
from iamgraph.query.paths import action_graph, best_evidence
from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant


def run(graph: IamGraph, action: str, resource: str = "*") -> list[Finding]:
    ctx = graph.context
    policy = resource_policy_for(ctx.snapshot, action, resource)
    direct: dict[str, Grant] = {}
    for arn in graph.principals():
        view = ctx.views[arn]
        kw = {}
        if policy is not None:
            kw = {"resource_policy": policy, "resource_account": account_of(resource) or None}
        res = view.can(action, resource, **kw)
        if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
            direct[arn] = Grant(action, resource, res)
    out: list[Finding] = []
    for arn, g in sorted(direct.items()):
        ev = Evidence("direct", EdgeKind.PRINCIPAL_ACCESS, (g,), note="allowed directly")
        out.append(Finding(query="who-can", severity=Severity.LOW, title=f"Allowed {action} directly",
                           source=arn, target=resource, reaches_admin=graph.is_admin(arn),
                           path=(Hop(arn, resource, ev),), details={"fingerprint": "direct"}))
    if not direct:
        return out
    rev = action_graph(graph, definite_only=False).reverse(copy=False)
    paths = nx.multi_source_dijkstra_path(rev, set(direct))
    for arn in graph.principals():
        if arn in direct or arn not in paths:
            continue
        nodes = list(reversed(paths[arn]))  # arn ... -> a directly allowed principal
        hops = []
        for u, v in zip(nodes, nodes[1:]):
            ev = best_evidence(graph, u, v, definite_only=False)
            if ev is None:
                break
            hops.append(Hop(u, v, ev))
        else:
            last = nodes[-1]
            hops.append(Hop(last, resource, Evidence("direct", EdgeKind.PRINCIPAL_ACCESS, (direct[last],), note="allowed directly")))
            out.append(Finding(query="who-can", severity=Severity.MEDIUM, title=f"Allowed {action} via {len(hops) - 1} step(s)",
                               source=arn, target=resource, reaches_admin=False, path=tuple(hops), details={"via": last}))
    return out


QUERY = SimpleQuery("who-can", "Principals that can perform an action, directly or through a path.", run, needs=("action",))
