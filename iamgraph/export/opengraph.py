"""BloodHound OpenGraph: the data payload and the extension definition schema that makes it traversable.

Ids never contain `:` (BloodHound drops such nodes from search and pathfinding): IAM principals use
their unique ids (AIDA..., AROA..., AGPA...), every other node `IAMG-<TYPE>-<sha256 of its graph id>`.
Properties are flat: strings, numbers, booleans and homogeneous string arrays; objects and the
evidence rows are JSON-encoded strings. Empty arrays and absent values are left out.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..model import NodeKind
from .kinds import ACCOUNT_KIND, NAMESPACE, SOURCE_KIND, all_edge_kinds, all_node_kinds, edge_kind, node_kind
from .model import ExportGraph, ExportNode
from .text import json_text

EXTENSION_VERSION = "v1.0.0"
_UNIQUE_ID = re.compile(r"^[A-Z0-9]{16,128}$")
_TYPE = {
    "user": "USER",
    "group": "GROUP",
    "role": "ROLE",
    "service": "SERVICE",
    "external": "EXTERNAL",
    "federated": "IDP",
    "admin": "ADMIN",
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20].upper()


def account_node_id(account: str) -> str:
    return f"{NAMESPACE}-ACCT-{account}"


def node_ids(graph: ExportGraph) -> dict[str, str]:
    """Graph id -> OpenGraph id. A unique id that is malformed or claimed twice falls back to the hash."""
    seen: dict[str, int] = {}
    for n in graph.nodes:
        if n.unique_id:
            seen[n.unique_id] = seen.get(n.unique_id, 0) + 1
    out: dict[str, str] = {}
    for n in graph.nodes:
        if n.unique_id and _UNIQUE_ID.match(n.unique_id) and seen[n.unique_id] == 1:
            out[n.id] = n.unique_id
        elif n.kind == NodeKind.ADMIN.value and n.account and n.account.isdigit():
            out[n.id] = f"{NAMESPACE}-ADMIN-{n.account}"
        else:
            kind = "HUB" if n.hub else _TYPE.get(n.kind, n.kind.upper().replace("_", ""))
            out[n.id] = f"{NAMESPACE}-{kind}-{_digest(n.id)}"
    return out


def _flat(value: Any) -> Any:
    """A property value OpenGraph accepts (None: leave the property out)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        if not value:
            return None
        if all(isinstance(v, str) for v in value):
            return list(value)
        return json_text(list(value))
    return json_text(value)


def _node(n: ExportNode, og_id: str, accounts: set[str]) -> dict[str, Any]:
    info = node_kind(n.kind, n.hub)
    props: dict[str, Any] = {}
    for k, v in n.props:
        fv = _flat(v)
        if fv is not None:
            props[k] = fv
    props["graph_id"] = n.id
    if n.account in accounts:
        props["environmentid"] = account_node_id(n.account)
    kinds = [info.opengraph]
    if n.kind in ("user", "group", "role"):
        kinds.append(f"{NAMESPACE}_Principal")
    return {"id": og_id, "kinds": kinds, "properties": props}


def payload(graph: ExportGraph) -> dict[str, Any]:
    """The OpenGraph data payload (`metadata.source_kind` = IAMGraph)."""
    ids = node_ids(graph)
    accounts = set(graph.accounts)
    nodes = [_node(n, ids[n.id], accounts) for n in graph.nodes]
    present = {n.account for n in graph.nodes} & accounts
    for acct in sorted(present):
        nodes.append(
            {
                "id": account_node_id(acct),
                "kinds": [ACCOUNT_KIND.opengraph],
                "properties": {
                    "name": acct,
                    "account_id": acct,
                    "collected": True,
                    "environmentid": account_node_id(acct),
                },
            }
        )
    edges = []
    for e in graph.edges:
        props: dict[str, Any] = {"graph_key": e.key}
        for k, v in e.props:
            fv = json_text(v) if k == "evidence" else _flat(v)
            if fv is not None:
                props[k] = fv
        edges.append(
            {
                "kind": edge_kind(e.technique).opengraph,
                "start": {"match_by": "id", "value": ids[e.src]},
                "end": {"match_by": "id", "value": ids[e.dst]},
                "properties": props,
            }
        )
    return {"metadata": {"source_kind": SOURCE_KIND}, "graph": {"nodes": nodes, "edges": edges}}


def payload_text(graph: ExportGraph) -> str:
    """The payload as JSON text, one node or edge per line (byte-stable; non-ASCII kept as UTF-8,
    JSON escapes the rest; compact lines keep the C encoder: large accounts stay fast)."""
    doc = payload(graph)

    def one(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

    lines = ['{"metadata":' + one(doc["metadata"]) + ',"graph":{"nodes":[']
    lines.append(",\n".join(one(n) for n in doc["graph"]["nodes"]))
    lines.append('],"edges":[')
    lines.append(",\n".join(one(e) for e in doc["graph"]["edges"]))
    lines.append("]}}")
    return "\n".join(lines) + "\n"


def _section(title: str, position: int, text: str) -> dict[str, Any]:
    return {"title": title, "position": position, "markdown": {"content": text}}


def extension_schema() -> dict[str, Any]:
    """The extension definition schema: node kinds with icons, one traversable relationship kind per
    technique with its abuse and remediation text from the catalogue, and the account environment."""
    node_kinds = []
    for nk in all_node_kinds(tuple(k.value for k in NodeKind)):
        node_kinds.append(
            {
                "name": nk.opengraph,
                "display_name": nk.display,
                "description": nk.description,
                "is_display_kind": True,
                "icon": nk.icon,
                "color": nk.color,
                "info": {"overview": _section("Overview", 1, nk.description)},
            }
        )
    node_kinds.append(
        {
            "name": f"{NAMESPACE}_Principal",
            "display_name": "IAM Principal",
            "description": "Any IAM user, group or role (a secondary kind).",
            "is_display_kind": False,
            "info": {"overview": _section("Overview", 1, "Any IAM user, group or role.")},
        }
    )
    rel_kinds = []
    for technique, info in all_edge_kinds():
        sections = {"abuse": _section("Abuse", 1, f"**{technique}** ({info.name}): {info.description}")}
        if info.remediation:
            sections["remediation"] = _section("Remediation", 2, info.remediation)
        rel_kinds.append(
            {
                "name": info.opengraph,
                "description": f"{technique}: {info.description}",
                "is_traversable": info.traversable,
                "info": sections,
            }
        )
    return {
        "schema": {
            "name": "IAMGraph",
            "display_name": "iamgraph (AWS IAM escalation paths)",
            "version": EXTENSION_VERSION,
            "namespace": NAMESPACE,
        },
        "node_kinds": node_kinds,
        "relationship_kinds": rel_kinds,
        "environments": [
            {
                "environment_kind": ACCOUNT_KIND.opengraph,
                "source_kind": SOURCE_KIND,
                "principal_kinds": [node_kind("user").opengraph, node_kind("role").opengraph],
            }
        ],
    }


def extension_text() -> str:
    return json.dumps(extension_schema(), indent=2, ensure_ascii=False) + "\n"
