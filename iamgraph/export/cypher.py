"""A Cypher script that overlays iamgraph's nodes and edges onto a Cartography (or empty) database.

Idempotent: nodes are MERGEd on Cartography's keys (`(:AWSPrincipal {arn})` for principals and
service principals, `(:AWSAccount {id})`), other nodes on `(:IamgraphNode {iamgraph_id})`;
Cartography's own properties are only set where missing (`coalesce`), iamgraph's live under
`iamgraph_*`. Edges are MERGEd on their graph key and stamped with this export's run id; the last
statement deletes iamgraph edges of the same scope (accounts and options) left by an older run.
Statements are `UNWIND [...] AS r ...;` batches, one per line group, and end with `;`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .kinds import NODE_LABEL
from .model import ExportGraph, ExportNode
from .neo4j_csv import CAN_ESCALATE, IS_ADMIN, MEMBER_OF, RESOURCE, node_labels, rel_type
from .text import cypher_string, json_text

BATCH = 200
_CARTOGRAPHY_UID = {"user": "userid", "role": "roleid", "group": "groupid"}


def literal(value: Any) -> str:
    """Cypher literal of a JSON-like value (objects become JSON strings)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, bool, int, float)) for v in value):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return cypher_string(json_text(value))


def _map(row: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in row.items()) + "}"


def _unwind(rows: list[dict[str, Any]], body: list[str]) -> list[str]:
    out: list[str] = []
    for i in range(0, len(rows), BATCH):
        chunk = rows[i : i + BATCH]
        out.append("UNWIND [\n" + ",\n".join("  " + _map(r) for r in chunk) + "\n] AS r\n" + "\n".join(body) + ";")
    return out


def _node_row(n: ExportNode) -> dict[str, Any]:
    row: dict[str, Any] = {"graph_id": n.id, "name": n.prop("name"), "uid": n.unique_id or None}
    for k, v in n.props:
        if k in ("name",):
            continue
        row[k] = json_text(v) if isinstance(v, dict) or (isinstance(v, list) and k != "policies") else v
    return row


_NODE_SET = [
    "SET n.iamgraph_id = r.graph_id, n.name = coalesce(n.name, r.name), n.iamgraph_kind = r.kind,",
    "    n.iamgraph_account_id = r.account_id, n.iamgraph_is_admin = r.is_admin,",
    "    n.iamgraph_admin_conditional = r.admin_conditional, n.iamgraph_inert = r.inert,",
    "    n.iamgraph_hub = r.hub, n.iamgraph_on_path = r.on_path, n.iamgraph_policies = r.policies,",
    "    n.iamgraph_incomplete = r.incomplete, n.iamgraph_tags = r.tags,",
    "    n.iamgraph_description = r.description, n.iamgraph_permissions_boundary = r.permissions_boundary",
]


def _scope(graph: ExportGraph) -> str:
    o = graph.options
    return f"accounts={','.join(graph.accounts)};findings_only={o.findings_only};definite_only={o.definite_only}"


def cypher_text(graph: ExportGraph) -> str:
    """The overlay script (same graph, same bytes)."""
    statements: list[str] = []
    groups: dict[tuple[str, ...], list[ExportNode]] = {}
    for n in graph.nodes:
        groups.setdefault(node_labels(n), []).append(n)
    for labels, nodes in sorted(groups.items()):
        extra = [lab for lab in labels if lab != "AWSPrincipal"]
        set_labels = "SET n:" + ":".join(extra)
        rows = [_node_row(n) for n in nodes]
        if "AWSPrincipal" in labels:
            uid = _CARTOGRAPHY_UID.get(nodes[0].kind)
            head = ["MERGE (n:AWSPrincipal {arn: r.graph_id})", "ON CREATE SET n.id = r.graph_id", set_labels]
            if uid:
                head.append(f"SET n.{uid} = coalesce(n.{uid}, r.uid), n.path = coalesce(n.path, r.path)")
        else:
            head = [f"MERGE (n:{NODE_LABEL} {{iamgraph_id: r.graph_id}})", set_labels]
        statements += _unwind(rows, head + _NODE_SET)
    present = sorted({n.account for n in graph.nodes} & set(graph.accounts))
    if present:
        statements += _unwind(
            [{"id": a} for a in present],
            ["MERGE (a:AWSAccount {id: r.id})", f"SET a:{NODE_LABEL}, a.iamgraph_id = 'account:' + r.id"],
        )
        links = [
            {"account": n.account, "graph_id": n.id}
            for n in graph.nodes
            if n.account in present and n.kind in ("user", "group", "role")
        ]
        statements += _unwind(
            links,
            [
                "MATCH (a:AWSAccount {id: r.account}), (n:IamgraphNode {iamgraph_id: r.graph_id})",
                f"MERGE (a)-[:{RESOURCE}]->(n)",
            ],
        )
    scope = _scope(graph)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for e in graph.edges:
        row: dict[str, Any] = {"src": e.src, "dst": e.dst, "key": e.key}
        for k, v in e.props:
            row[k] = json_text(v) if k in ("evidence", "conditions", "missing", "finding_ids") else v
        by_type.setdefault(rel_type(e.technique, str(e.prop("kind", ""))), []).append(row)
    body_text = "\n".join(statements) + repr(sorted(by_type.items()))
    run = hashlib.sha256(body_text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    for typ, rows in sorted(by_type.items()):
        statements += _unwind(
            rows,
            [
                f"MATCH (s:{NODE_LABEL} {{iamgraph_id: r.src}}), (t:{NODE_LABEL} {{iamgraph_id: r.dst}})",
                f"MERGE (s)-[e:{typ} {{iamgraph_key: r.key}}]->(t)",
                "SET e.technique = r.technique, e.technique_name = r.technique_name, e.kind = r.kind,",
                "    e.conditional = r.conditional, e.actions = r.actions, e.conditions = r.conditions,",
                "    e.missing = r.missing, e.via = r.via, e.note = r.note, e.evidence = r.evidence,",
                "    e.finding_ids = r.finding_ids, e.on_path = r.on_path, e.from_finding = r.from_finding,",
                f"    e.iamgraph_scope = {cypher_string(scope)}, e.iamgraph_run = {cypher_string(run)}",
            ],
        )
    types = "|".join((MEMBER_OF, IS_ADMIN, CAN_ESCALATE))
    statements.append(
        f"MATCH (:{NODE_LABEL})-[e:{types}]->(:{NODE_LABEL})\n"
        f"WHERE e.iamgraph_scope = {cypher_string(scope)} AND e.iamgraph_run <> {cypher_string(run)}\n"
        "DELETE e;"
    )
    head = [
        f"// iamgraph {graph.tool_version}: overlay of iamgraph nodes and escalation edges (run {run}).",
        "// Idempotent; run with `cypher-shell -f overlay.cypher` against Neo4j (or a Cartography database).",
        "// For large databases create the lookup index once first:",
        f"//   CREATE INDEX iamgraph_id IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n.iamgraph_id);",
        f"// Scope: {scope}",
        "",
    ]
    return "\n".join(head) + "\n\n".join(statements) + "\n"
