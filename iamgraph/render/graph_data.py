"""Graph -> plain dict (nodes/edges with details) for the HTML report and JSON consumers."""

from __future__ import annotations

from typing import Any

from ..model import NodeKind
from ..query.base import Finding
from ..graph.model import IamGraph


def _node_details(graph: IamGraph, node: str) -> dict[str, Any]:
    snap = graph.snapshot
    d: dict[str, Any] = {}
    ent = snap.users.get(node) or snap.roles.get(node) or snap.groups.get(node)
    if ent is None:
        return d
    d["path"] = ent.path
    d["tags"] = dict(getattr(ent, "tags", {}) or {})
    if getattr(ent, "description", ""):
        d["description"] = getattr(ent, "description")
    pols = []
    for p in ent.inline_policies:
        pols.append({"policy": p.ref.id, "policy_type": "inline", "document": p.document.raw})
    for a in ent.managed_policy_arns:
        mp = snap.managed(a)
        pols.append({"policy": a, "policy_type": "managed", "document": mp.document.raw if mp else None})
    b = getattr(ent, "permissions_boundary_arn", None)
    if b:
        mp = snap.managed(b)
        pols.append({"policy": b, "policy_type": "boundary", "document": mp.document.raw if mp else None})
    d["policies"] = pols
    if node in snap.roles:
        d["trust_policy"] = snap.roles[node].trust_policy.document.raw
    d["admin"] = graph.is_admin(node)
    if node in snap.incomplete:
        d["incomplete"] = list(snap.incomplete[node])
    return d


def graph_export(graph: IamGraph, findings: list[Finding]) -> dict[str, Any]:
    """All nodes and non-membership edges, plus `on_path` marks for edges on finding paths."""
    on_path = {(h.src, h.dst, h.evidence.technique) for f in findings for h in f.path}
    nodes = []
    for n, data in sorted(graph.g.nodes(data=True), key=lambda x: str(x[0])):
        kind: NodeKind = data["kind"]
        nodes.append({"id": n, "kind": kind.value, "label": data.get("label", n), "account": data.get("account", ""),
                      "details": _node_details(graph, n)})
    edges = []
    for u, v, data in sorted(graph.g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2]["evidence"].technique)):
        ev = data["evidence"]
        e = {"from": u, "to": v, **ev.to_json(), "on_path": (u, v, ev.technique) in on_path}
        edges.append(e)
    return {"nodes": nodes, "edges": edges}
