"""reach PRINCIPAL: every principal it can become (with paths), admin or not, and its permissions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from iamgraph.errors import InputError
from iamgraph.graph.model import IamGraph
from iamgraph.model import Effect, NodeKind
from iamgraph.query.admin_severity import admin_path_severity
from iamgraph.query.base import DataNeed, Finding, Hop, QueryDef, QueryKind, Severity
from iamgraph.query.effective import by_action, effective_permissions
from iamgraph.query.paths import action_graph, best_evidence
from iamgraph.query.remediation import remediation_for


def permission_summary(graph: IamGraph, arn: str) -> dict[str, dict[str, list[str]]]:
    """service -> {"actions": [...], "resources": [...], "denied": [...]} from identity policies."""
    view = graph.context.views.get(arn)
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"actions": set(), "resources": set(), "denied": set()})
    if view is None:
        return {}
    for p in view.policies.identity:
        for s in p.document.statements:
            acts = s.actions if s.actions is not None else tuple(f"NotAction:{a}" for a in (s.not_actions or ()))
            for a in acts:
                svc = a.split(":", 1)[0].replace("NotAction", "*") if ":" in a else "*"
                if a.startswith("NotAction:"):
                    svc = "*"
                entry = out[svc.lower()]
                if s.effect is Effect.ALLOW:
                    entry["actions"].add(a + (" (conditional)" if s.conditions else ""))
                    entry["resources"].update(s.resources or tuple(f"NotResource:{r}" for r in (s.not_resources or ())))
                else:
                    entry["denied"].add(a)
    return {k: {kk: sorted(vv) for kk, vv in v.items()} for k, v in sorted(out.items())}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReachParams:
    principal: str = field(metadata={"help": "Principal ARN or name.", "positional": True})


def run(graph: IamGraph, params: ReachParams) -> list[Finding]:
    principal = params.principal
    if principal not in graph.g:
        matches = [
            n
            for n in graph.principals()
            if n.endswith("/" + principal)
            or (graph.kind(n) is NodeKind.IDC_USER and graph.g.nodes[n].get("label") == principal)
        ]
        if len(matches) != 1:
            raise InputError(
                f"unknown principal {principal!r} (give its ARN, or a name that matches exactly one user or role)"
            )
        principal = matches[0]
    # one breadth-first search per graph (definite edges first), not one per target
    definite_paths = nx.single_source_shortest_path(action_graph(graph, definite_only=True), principal)
    any_paths = nx.single_source_shortest_path(action_graph(graph, definite_only=False), principal)
    out: list[Finding] = []
    for target in sorted(any_paths):
        if target == principal or graph.kind(target) not in (NodeKind.USER, NodeKind.ROLE, NodeKind.ADMIN):
            continue
        use_def = target in definite_paths
        nodes = definite_paths[target] if use_def else any_paths[target]
        path = tuple(
            Hop(u, v, ev)
            for u, v in zip(nodes, nodes[1:])
            if (ev := best_evidence(graph, u, v, definite_only=use_def)) is not None
        )
        is_admin = graph.is_admin_sink(target) or graph.is_admin(target)
        effective, notes = effective_permissions(graph, target) if not graph.is_admin_sink(target) else ([], [])
        details = {
            "permissions": permission_summary(graph, target),
            "effective": by_action(effective),
            "hops": len(path),
            **({"effective_notes": notes} if notes else {}),
        }
        out.append(
            Finding(
                query="reach",
                severity=admin_path_severity(graph, principal, path) if is_admin else Severity.LOW,
                title=("Becomes admin" if is_admin else "Can act as " + target.rsplit("/", 1)[-1]),
                source=principal,
                target=target,
                reaches_admin=is_admin,
                path=path,
                remediation=remediation_for(path) if is_admin else "",
                admin_account=graph.sink_account(target) if graph.is_admin_sink(target) else None,
                details=details if not graph.is_admin_sink(target) else {"hops": len(path)},
            )
        )
    own, own_notes = effective_permissions(graph, principal)
    out.append(
        Finding(
            query="reach",
            severity=Severity.LOW,
            title="Own permissions",
            source=principal,
            target=principal,
            reaches_admin=graph.is_admin(principal) or any(f.reaches_admin for f in out),
            details={
                "permissions": permission_summary(graph, principal),
                "effective": by_action(own),
                "hops": 0,
                "fingerprint": "self",
                **({"effective_notes": own_notes} if own_notes else {}),
            },
        )
    )
    return out


QUERY: QueryDef[ReachParams] = QueryDef(
    id="reach",
    title="What a principal can reach",
    description="What can this principal reach: principals it can become, admin or not, and its permissions.",
    severity=Severity.HIGH,
    kind=QueryKind.EXPLORATION,
    fn=run,
    params=ReachParams,
    command=True,
    needs=frozenset({DataNeed.IAM, DataNeed.INVENTORY, DataNeed.RESOURCE_POLICIES, DataNeed.ORGANIZATION}),
)
