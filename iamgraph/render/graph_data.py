"""Graph -> plain dict (nodes/edges with details) for the HTML report and JSON consumers.

Policy documents are stored once, in ``documents`` (id -> parsed JSON), and referenced from node details
by ``document_id`` (each entry of ``policies``) and ``trust_policy_id``: at quota scale one managed policy
is attached to thousands of principals, and copying its document into each would multiply the report size.
"""

from __future__ import annotations

import json
from typing import Any

from ..graph.model import IamGraph
from ..model import NodeKind
from ..query.base import Finding

try:  # orjson (optional) builds the interning keys ~5x faster; json is the fallback
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised only without orjson
    _orjson = None  # type: ignore[assignment]


def canonical_key(value: Any) -> bytes | str:
    """Equal JSON values give equal keys (sorted object keys); used to intern documents and rows."""
    if _orjson is not None:
        try:
            return _orjson.dumps(value, option=_orjson.OPT_SORT_KEYS)
        except TypeError:  # e.g. integers beyond 64 bits, non-string keys: json handles them
            pass
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class DocumentTable:
    """Interns policy documents: equal documents (same JSON) get one id, ``d0``, ``d1``, ... in first-use order."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self._by_object: dict[int, str] = {}
        self._by_text: dict[bytes | str, str] = {}
        self._alive: list[Any] = []  # keeps interned objects alive so their id() stays unique

    def intern(self, doc: Any) -> str:
        """Id of ``doc`` in the table (added on first sight)."""
        found = self._by_object.get(id(doc))
        if found is not None:
            return found
        text = canonical_key(doc)
        doc_id = self._by_text.get(text)
        if doc_id is None:
            doc_id = f"d{len(self.documents)}"
            self._by_text[text] = doc_id
            self.documents[doc_id] = doc
        self._by_object[id(doc)] = doc_id
        self._alive.append(doc)
        return doc_id


def _node_details(graph: IamGraph, node: str, docs: DocumentTable) -> dict[str, Any]:
    snap = graph.snapshot
    d: dict[str, Any] = {}
    ent = snap.users.get(node) or snap.roles.get(node) or snap.groups.get(node)
    if ent is None:
        return d
    d["path"] = ent.path
    d["tags"] = dict(getattr(ent, "tags", {}) or {})
    description = getattr(ent, "description", "")
    if description:
        d["description"] = description
    pols: list[dict[str, Any]] = []

    def add(name: str, ptype: str, document: Any) -> None:
        entry: dict[str, Any] = {"policy": name, "policy_type": ptype}
        entry["document_id"] = docs.intern(document) if document is not None else None
        pols.append(entry)

    for p in ent.inline_policies:
        add(p.ref.id, "inline", p.document.raw)
    for a in ent.managed_policy_arns:
        mp = snap.managed(a)
        add(a, "managed", mp.document.raw if mp else None)
    b = getattr(ent, "permissions_boundary_arn", None)
    if b:
        mp = snap.managed(b)
        add(b, "boundary", mp.document.raw if mp else None)
    d["policies"] = pols
    if node in snap.roles:
        d["trust_policy_id"] = docs.intern(snap.roles[node].trust_policy.document.raw)
    d["admin"] = graph.is_admin(node)
    if node in snap.incomplete:
        d["incomplete"] = list(snap.incomplete[node])
    return d


def graph_export(graph: IamGraph, findings: list[Finding]) -> dict[str, Any]:
    """All nodes and non-membership edges, ``on_path`` marks for edges on finding paths, and the
    ``documents`` table that node details reference (``document_id``, ``trust_policy_id``).
    Hub nodes (one node standing for many roles a service may run as) carry ``hub: true``."""
    on_path = {(h.src, h.dst, h.evidence.technique, h.evidence.via) for f in findings for h in f.path}
    docs = DocumentTable()
    nodes = []
    for n, data in sorted(graph.g.nodes(data=True), key=lambda x: str(x[0])):
        kind: NodeKind = data["kind"]
        node: dict[str, Any] = {
            "id": n,
            "kind": kind.value,
            "label": data.get("label", n),
            "account": data.get("account", ""),
            "details": _node_details(graph, n, docs),
        }
        if data.get("hub"):
            node["hub"] = True
        nodes.append(node)
    edges = []

    def order(e: tuple) -> tuple[str, str, str, str]:
        return str(e[0]), str(e[1]), e[2]["evidence"].technique, e[2]["evidence"].via or ""

    for u, v, data in sorted(graph.g.edges(data=True), key=order):
        ev = data["evidence"]
        edges.append({"from": u, "to": v, **ev.to_json(), "on_path": (u, v, ev.technique, ev.via) in on_path})
    return {"documents": docs.documents, "nodes": nodes, "edges": edges}
