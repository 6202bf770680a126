"""path SOURCE TARGET: the shortest paths between two principals, with evidence per hop."""

from __future__ import annotations

from dataclasses import dataclass, field

from iamgraph.errors import InputError
from iamgraph.graph.model import IamGraph
from iamgraph.model import NodeKind
from iamgraph.query.admin_severity import admin_path_severity
from iamgraph.query.base import DataNeed, Finding, QueryDef, QueryKind, Severity
from iamgraph.query.paths import shortest_paths


def _resolve(graph: IamGraph, name: str) -> str:
    if name in graph.g:
        return name
    if name.lower() in ("admin", "iamgraph:admin"):
        if graph.multi_account:
            raise InputError(
                f"several accounts: name the admin sink, one of {', '.join(sorted(graph.admin_sinks.values()))}"
            )
        return graph.admin_node
    if name.lower().startswith("admin:") and name[6:] in graph.admin_sinks:
        return graph.admin_sinks[name[6:]]
    m = [n for n in graph.g.nodes if graph.kind(n) is NodeKind.IDC_USER and graph.g.nodes[n].get("label") == name]
    if len(m) == 1:
        return m[0]
    m = [n for n in graph.g.nodes if isinstance(n, str) and n.endswith("/" + name)]
    if len(m) == 1:
        return m[0]
    raise InputError(
        f"unknown principal {name!r} (give its ARN, a name that matches exactly one principal, or 'admin')"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PathParams:
    source: str = field(metadata={"help": "Principal ARN or name.", "positional": True})
    target: str = field(metadata={"help": "Principal ARN/name, or 'admin'.", "positional": True})
    k: int = field(default=3, metadata={"help": "How many shortest paths."})


def run(graph: IamGraph, params: PathParams) -> list[Finding]:
    source, target, k = params.source, params.target, params.k
    s, t = _resolve(graph, source), _resolve(graph, target)
    out = []
    for i, p in enumerate(shortest_paths(graph, s, t, k=k)):
        admin = graph.is_admin_sink(t) or graph.is_admin(t)
        out.append(
            Finding(
                query="path",
                severity=admin_path_severity(graph, s, p) if admin else Severity.LOW,
                title=f"Path {i + 1}: {len(p)} step{'s' if len(p) != 1 else ''}",
                source=s,
                target=t,
                reaches_admin=admin,
                path=p,
                details={"rank": i + 1, "fingerprint": i},
            )
        )
    return out


QUERY: QueryDef[PathParams] = QueryDef(
    id="path",
    title="Paths between two principals",
    description="How does SOURCE get to TARGET, and which statements allow each hop?",
    severity=Severity.HIGH,
    kind=QueryKind.EXPLORATION,
    fn=run,
    params=PathParams,
    command=True,
    needs=frozenset({DataNeed.IAM, DataNeed.INVENTORY, DataNeed.RESOURCE_POLICIES, DataNeed.ORGANIZATION}),
)
