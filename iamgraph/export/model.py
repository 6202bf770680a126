"""The neutral export graph: what every format writes, selected and flattened once.

`build_export_graph` takes the IamGraph and the report's findings (their JSON form, the stable
contract) and returns nodes and edges in a fixed order with plain-JSON property values. Selection:

- whole graph: every node and edge; edges on a finding's path carry the ids of those findings;
- `findings_only`: only the nodes and hops of the findings' paths (a hop the graph does not hold,
  such as a risky-trust hop, is exported from the finding itself, marked `from_finding`);
- `definite_only`: conditional edges (and, with `findings_only`, conditional findings) are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..graph.model import IamGraph
from ..model import NodeKind, account_of, is_arn
from .kinds import edge_kind
from .text import clean

Json = Any


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportOptions:
    """What part of the graph to export."""

    findings_only: bool = False
    definite_only: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportNode:
    """One node: its graph id (an ARN, a service name, `iamgraph:...`), kind and ordered properties."""

    id: str
    kind: str  # NodeKind value
    hub: bool
    account: str  # account id, "" when the node belongs to none
    unique_id: str  # IAM unique id (AIDA..., AROA..., AGPA...), "" when unknown
    props: tuple[tuple[str, Json], ...]

    def prop(self, key: str, default: Json = None) -> Json:
        for k, v in self.props:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportEdge:
    """One edge `src -> dst`; `key` is the graph's edge key (technique, or technique@via)."""

    src: str
    dst: str
    key: str
    technique: str
    props: tuple[tuple[str, Json], ...]

    def prop(self, key: str, default: Json = None) -> Json:
        for k, v in self.props:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportGraph:
    """Nodes sorted by id, edges sorted by (src, dst, key); accounts are the scanned accounts."""

    nodes: tuple[ExportNode, ...]
    edges: tuple[ExportEdge, ...]
    accounts: tuple[str, ...]
    options: ExportOptions
    tool_version: str


def _hop_key(hop: Mapping[str, Json]) -> tuple[str, str, str]:
    tech = str(hop.get("technique", ""))
    via = hop.get("via")
    return str(hop.get("from", "")), str(hop.get("to", "")), tech if not via else f"{tech}@{via}"


def _node_props(graph: IamGraph, node: str, data: Mapping[str, Any], on_path: bool) -> tuple[ExportNode, bool]:
    snap = graph.snapshot
    kind = data.get("kind")
    kind_value = kind.value if isinstance(kind, NodeKind) else str(kind or "external")
    hub = bool(data.get("hub"))
    account = str(data.get("account") or "")
    sink_account = getattr(graph, "sink_account", None)
    if kind_value == NodeKind.ADMIN.value:
        account = (sink_account(node) if callable(sink_account) else None) or account
        if not account and len(snap.account_ids) == 1:
            account = snap.account_ids[0]
    elif not account and is_arn(node):
        account = account_of(node) or ""
    ent: Any = snap.users.get(node) or snap.roles.get(node) or snap.groups.get(node)
    unique_id = ""
    if ent is not None:
        unique_id = str(
            getattr(ent, "user_id", "") or getattr(ent, "role_id", "") or getattr(ent, "group_id", "") or ""
        )
    props: list[tuple[str, Json]] = [("name", clean(str(data.get("label") or node))), ("kind", kind_value)]
    if is_arn(node):
        props.append(("arn", clean(node)))
    if account:
        props.append(("account_id", account))
    if unique_id:
        props.append(("unique_id", clean(unique_id)))
    if ent is not None:
        props.append(("path", clean(str(ent.path))))
    if kind_value in (NodeKind.USER.value, NodeKind.ROLE.value):
        status = graph.admins.get(node)
        props.append(("is_admin", graph.is_admin(node)))
        props.append(("admin_conditional", bool(status is not None and status.possible and not status.definite)))
    if kind_value == NodeKind.ROLE.value:
        props.append(("inert", node in graph.inert))
    props.append(("hub", hub))
    if node in getattr(graph, "synthetic", ()):
        props.append(("synthetic", True))
    props.append(("on_path", on_path))
    if ent is not None:
        desc = getattr(ent, "description", "")
        if desc:
            props.append(("description", clean(str(desc))))
        tags = dict(getattr(ent, "tags", {}) or {})
        if tags:
            props.append(("tags", {clean(str(k)): clean(str(v)) for k, v in sorted(tags.items())}))
        pols = [p.ref.id for p in ent.inline_policies] + list(ent.managed_policy_arns)
        if pols:
            props.append(("policies", [clean(str(p)) for p in pols]))
        boundary = getattr(ent, "permissions_boundary_arn", None)
        if boundary:
            props.append(("permissions_boundary", clean(str(boundary))))
    if node in snap.incomplete:
        props.append(("incomplete", [clean(str(r)) for r in snap.incomplete[node]]))
    return ExportNode(id=node, kind=kind_value, hub=hub, account=account, unique_id=unique_id, props=tuple(props)), hub


def _edge_props(
    technique: str, hop: Mapping[str, Json], finding_ids: Sequence[str], from_finding: bool
) -> tuple[tuple[str, Json], ...]:
    info = edge_kind(technique)
    props: list[tuple[str, Json]] = [
        ("technique", clean(technique)),
        ("technique_name", clean(info.name)),
        ("kind", clean(str(hop.get("kind", "")))),
        ("conditional", bool(hop.get("conditional"))),
        ("actions", [clean(str(a)) for a in hop.get("actions", [])]),
        ("conditions", [clean(str(c)) for c in hop.get("conditions", [])]),
        ("missing", [clean(str(m)) for m in hop.get("missing", []) or []]),
    ]
    if hop.get("via"):
        props.append(("via", clean(str(hop["via"]))))
    if hop.get("note"):
        props.append(("note", clean(str(hop["note"]))))
    props.append(("evidence", list(hop.get("evidence", []))))
    props.append(("finding_ids", sorted(set(finding_ids))))
    props.append(("on_path", bool(finding_ids)))
    if from_finding:
        props.append(("from_finding", True))
    return tuple(props)


def build_export_graph(
    graph: IamGraph, findings: Sequence[Mapping[str, Json]], options: ExportOptions, tool_version: str
) -> ExportGraph:
    """Select and flatten the graph for export (deterministic: same graph and findings, same result)."""
    usable = [f for f in findings if not (options.definite_only and f.get("conditional"))]
    hop_findings: dict[tuple[str, str, str], list[str]] = {}
    hops: dict[tuple[str, str, str], Mapping[str, Json]] = {}
    for f in usable:
        for h in f.get("path", []) or []:
            k = _hop_key(h)
            hop_findings.setdefault(k, []).append(str(f.get("id", "")))
            hops.setdefault(k, h)
    g = graph.g
    edges: list[ExportEdge] = []
    for u, v, key, data in g.edges(keys=True, data=True):
        ev = data["evidence"]
        if options.definite_only and ev.conditional:
            continue
        k = (str(u), str(v), str(key))
        if options.findings_only and k not in hop_findings:
            continue
        edges.append(
            ExportEdge(
                src=str(u),
                dst=str(v),
                key=str(key),
                technique=ev.technique,
                props=_edge_props(ev.technique, ev.to_json(), hop_findings.get(k, ()), False),
            )
        )
    in_graph = {(e.src, e.dst, e.key) for e in edges}
    for k, h in hops.items():
        # a reported hop the graph does not hold as an edge (risky-trust's trust hops)
        if k in in_graph or g.has_edge(k[0], k[1], key=k[2]):
            continue
        if options.definite_only and h.get("conditional"):
            continue
        edges.append(
            ExportEdge(
                src=k[0],
                dst=k[1],
                key=k[2],
                technique=str(h.get("technique", "")),
                props=_edge_props(str(h.get("technique", "")), h, hop_findings[k], True),
            )
        )
    on_path_nodes = {n for k in hop_findings for n in k[:2]}
    for f in usable:
        for end in (f.get("source"), f.get("target")):
            if isinstance(end, str) and end in g:  # a who-can target may be a resource, not a node
                on_path_nodes.add(end)
    wanted = set(g.nodes) if not options.findings_only else on_path_nodes | {n for e in edges for n in (e.src, e.dst)}
    wanted |= {n for e in edges for n in (e.src, e.dst)}
    nodes: list[ExportNode] = []
    for n in sorted(wanted, key=str):
        data = g.nodes[n] if n in g else {"kind": _guess_kind(n), "label": n}
        nodes.append(_node_props(graph, str(n), data, n in on_path_nodes)[0])
    edges.sort(key=lambda e: (e.src, e.dst, e.key))
    return ExportGraph(
        nodes=tuple(nodes),
        edges=tuple(edges),
        accounts=tuple(sorted(set(graph.snapshot.account_ids))),
        options=options,
        tool_version=tool_version,
    )


def _guess_kind(node: str) -> NodeKind:
    """Kind of a hop endpoint the graph does not hold (a principal named by a trust policy only)."""
    return NodeKind.EXTERNAL
