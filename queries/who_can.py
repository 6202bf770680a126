"""who-can ACTION [RESOURCE]: principals allowed directly, or through a path to one that is. Without RESOURCE:
on any resource (each principal's first resource allowing it, definite before conditional)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from iamgraph.evaluate.applicable import resource_policy_for
from iamgraph.evaluate.types import Decision
from iamgraph.graph.model import IamGraph
from iamgraph.model import account_of
from iamgraph.model.action_catalog import checked_action
from iamgraph.query.base import DataNeed, Finding, Hop, QueryDef, QueryKind, Severity
from iamgraph.query.effective import allowed_anywhere, resource_policy_resources
from iamgraph.query.paths import action_graph, best_evidence
from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant


@dataclass(frozen=True, slots=True, kw_only=True)
class WhoCanParams:
    action: str = field(metadata={"help": "e.g. s3:GetObject", "positional": True})
    resource: str = field(
        default="",
        metadata={
            "help": "Resource ARN; without it: on any resource (the resources each principal's statements and the "
            "account's resource policies name).",
            "positional": True,
        },
    )


def run(graph: IamGraph, params: WhoCanParams) -> list[Finding]:
    action = checked_action(params.action, option="ACTION")
    resource = params.resource
    ctx = graph.context
    any_resource = not resource
    policy = None if any_resource else resource_policy_for(ctx.snapshot, action, resource)
    extra = resource_policy_resources(graph, action) if any_resource else []
    direct: dict[str, Grant] = {}
    for arn in graph.principals():
        if any_resource:
            hit = allowed_anywhere(graph, arn, action, extra)
            if hit is not None:
                direct[arn] = Grant(action, hit[0], hit[1])
            continue
        view = ctx.views[arn]
        kw: dict[str, Any] = {}
        if policy is not None:
            kw = {"resource_policy": policy, "resource_account": account_of(resource) or None}
        res = view.can(action, resource, **kw)
        if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
            direct[arn] = Grant(action, resource, res)
    out: list[Finding] = []
    for arn, g in sorted(direct.items()):
        ev = Evidence("direct", EdgeKind.PRINCIPAL_ACCESS, (g,), note="allowed directly")
        out.append(
            Finding(
                query="who-can",
                severity=Severity.LOW,
                title=f"Allowed {action} directly",
                source=arn,
                target=g.resource,
                reaches_admin=graph.is_admin(arn),
                path=(Hop(arn, g.resource, ev),),
                details={"fingerprint": "direct"},
            )
        )
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
            step = best_evidence(graph, u, v, definite_only=False)
            if step is None:
                break
            hops.append(Hop(u, v, step))
        else:
            last = nodes[-1]
            target = direct[last].resource
            hops.append(
                Hop(
                    last,
                    target,
                    Evidence("direct", EdgeKind.PRINCIPAL_ACCESS, (direct[last],), note="allowed directly"),
                )
            )
            out.append(
                Finding(
                    query="who-can",
                    severity=Severity.MEDIUM,
                    title=f"Allowed {action} via {len(hops) - 1} step{'s' if len(hops) != 2 else ''}",
                    source=arn,
                    target=target,
                    reaches_admin=False,
                    path=tuple(hops),
                    details={"via": last},
                )
            )
    return out


QUERY: QueryDef[WhoCanParams] = QueryDef(
    id="who-can",
    title="Who can perform an action",
    description="Who can perform ACTION on RESOURCE, directly or through an escalation path?",
    severity=Severity.MEDIUM,
    kind=QueryKind.EXPLORATION,
    fn=run,
    params=WhoCanParams,
    command=True,
    needs=frozenset({DataNeed.IAM, DataNeed.INVENTORY, DataNeed.RESOURCE_POLICIES, DataNeed.ORGANIZATION}),
)
