"""Neo4j bulk-import CSV (`neo4j-admin database import full`) with Cartography's labels, plus import.sh.

One node file per entity type, so each carries Cartography's property names (`userid`, `roleid`,
`groupid`); every graph node lives in the `IAMG` id space keyed by its graph id (the ARN for
principals: Cartography's `id`). Relationship types: `IAMG_MEMBER_OF`, `IAMG_IS_ADMIN` (principal
-> admin sink) and `IAMG_CAN_ESCALATE` (everything else; `technique` says which); accounts link to
their principals with Cartography's `RESOURCE`. Lists are JSON-encoded strings except `actions`
(`string[]`, IAM action names never hold the `;` array delimiter); absent values are empty fields.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .kinds import NODE_LABEL, node_kind
from .model import ExportEdge, ExportGraph, ExportNode
from .text import clean, json_text

ARRAY_DELIMITER = ";"
ID_SPACE = "IAMG"
ACCOUNT_SPACE = "Account"
MEMBER_OF, IS_ADMIN, CAN_ESCALATE, RESOURCE = "IAMG_MEMBER_OF", "IAMG_IS_ADMIN", "IAMG_CAN_ESCALATE", "RESOURCE"

# (file, node kinds, Cartography's unique-id property)
NODE_FILES: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("nodes_users.csv", ("user",), "userid"),
    ("nodes_roles.csv", ("role",), "roleid"),
    ("nodes_groups.csv", ("group",), "groupid"),
    ("nodes_other.csv", (), None),
)
_NODE_COLUMNS = (
    ("arn", "string"),
    ("name", "string"),
    ("kind", "string"),
    ("account_id", "string"),
    ("path", "string"),
    ("is_admin", "boolean"),
    ("admin_conditional", "boolean"),
    ("inert", "boolean"),
    ("hub", "boolean"),
    ("synthetic", "boolean"),
    ("on_path", "boolean"),
    ("description", "string"),
    ("permissions_boundary", "string"),
    ("tags", "json"),
    ("policies", "json"),
    ("incomplete", "json"),
)
_REL_COLUMNS = (
    ("key", "string"),
    ("technique", "string"),
    ("technique_name", "string"),
    ("kind", "string"),
    ("conditional", "boolean"),
    ("actions", "string[]"),
    ("conditions", "json"),
    ("missing", "json"),
    ("via", "string"),
    ("note", "string"),
    ("evidence", "json"),
    ("finding_ids", "json"),
    ("on_path", "boolean"),
    ("from_finding", "boolean"),
)


def rel_type(technique: str, kind: str = "") -> str:
    """The relationship type of an edge: by its edge kind (membership, admin), else CAN_ESCALATE."""
    if technique == "member-of" or kind == "membership":
        return MEMBER_OF
    if technique == "admin" or kind == "admin":
        return IS_ADMIN
    return CAN_ESCALATE


def node_labels(n: ExportNode) -> tuple[str, ...]:
    """Cartography's labels for the node (when Cartography has the entity), then IamgraphNode."""
    labels = node_kind(n.kind, n.hub).labels
    if n.kind == "external" and n.id.endswith(":root"):
        labels = ("AWSRootPrincipal", *labels)
    return (*labels, NODE_LABEL)


def _cell(value: Any, typ: str) -> str | None:
    if value is None or value == [] or value == {}:
        return None
    if typ == "boolean":
        return "true" if value else "false"
    if typ == "string[]":
        items = [clean(str(v)) for v in value]
        if any(ARRAY_DELIMITER in v for v in items):
            raise ValueError(f"array value holds the delimiter {ARRAY_DELIMITER!r}: {items!r}")
        return ARRAY_DELIMITER.join(items)
    if typ == "json":
        return json_text(value)
    return clean(str(value))


def _header(cols: tuple[tuple[str, str], ...]) -> list[str]:
    return [name if typ in ("string", "json") else f"{name}:{typ}" for name, typ in cols]


def _csv(rows: list[list[str | None]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(["" if c is None else c for c in r])
    return buf.getvalue()


def _node_file(nodes: list[ExportNode], uid_col: str | None) -> str:
    cols = _NODE_COLUMNS
    header = [f"id:ID({ID_SPACE})", *_header(cols), *([uid_col] if uid_col else []), ":LABEL"]
    rows: list[list[str | None]] = [list(header)]
    for n in nodes:
        row = [clean(n.id), *(_cell(n.prop(c), t) for c, t in cols)]
        if uid_col:
            row.append(_cell(n.unique_id or None, "string"))
        row.append(ARRAY_DELIMITER.join(node_labels(n)))
        rows.append(row)
    return _csv(rows)


def _rel_file(edges: tuple[ExportEdge, ...]) -> str:
    header: list[str | None] = [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE", *_header(_REL_COLUMNS)]
    rows: list[list[str | None]] = [header]
    for e in edges:
        vals = {"key": e.key, **dict(e.props)}
        rows.append(
            [
                clean(e.src),
                clean(e.dst),
                rel_type(e.technique, str(e.prop("kind", ""))),
                *(_cell(vals.get(c), t) for c, t in _REL_COLUMNS),
            ]
        )
    return _csv(rows)


def import_script(files: list[str], tool_version: str) -> str:
    """import.sh: neo4j-admin full import of the files beside it into a new database."""
    nodes = [f for f in files if f.startswith("nodes_")]
    rels = [f for f in files if f.startswith("rels")]
    args = [f'  --nodes="$HERE/{f}" \\' for f in nodes] + [f'  --relationships="$HERE/{f}" \\' for f in rels]
    return "\n".join(
        [
            "#!/usr/bin/env bash",
            f"# Generated by iamgraph {tool_version}: loads this folder into a NEW (or empty) Neo4j 5 database.",
            "# neo4j-admin's full import writes only to a database that does not exist yet (or is stopped and",
            "# empty); to add iamgraph's edges to an existing Cartography database use the Cypher export",
            "# (iamgraph export --format cypher) instead.",
            "# Usage: ./import.sh [DATABASE]     (default database name: iamgraph)",
            "set -euo pipefail",
            'HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
            'DB="${1:-iamgraph}"',
            "neo4j-admin database import full \\",
            *args,
            "  --id-type=string \\",
            f"  --array-delimiter='{ARRAY_DELIMITER}' \\",
            "  --multiline-fields=true \\",
            '  "$DB"',
            "",
        ]
    )


def neo4j_files(graph: ExportGraph) -> dict[str, str]:
    """File name -> content of the whole export folder (same graph, same bytes)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name, kinds, uid in NODE_FILES:
        if kinds:
            chosen = [n for n in graph.nodes if n.kind in kinds and not n.hub]
        else:
            chosen = [n for n in graph.nodes if n.id not in taken]
        taken.update(n.id for n in chosen)
        out[name] = _node_file(chosen, uid)
    present = sorted({n.account for n in graph.nodes} & set(graph.accounts))
    acct_rows: list[list[str | None]] = [[f"id:ID({ACCOUNT_SPACE})", "name", ":LABEL"]]
    acct_rows += [[a, a, f"AWSAccount{ARRAY_DELIMITER}{NODE_LABEL}"] for a in present]
    out["nodes_accounts.csv"] = _csv(acct_rows)
    out["rels.csv"] = _rel_file(graph.edges)
    res_rows: list[list[str | None]] = [[f":START_ID({ACCOUNT_SPACE})", f":END_ID({ID_SPACE})", ":TYPE"]]
    for n in graph.nodes:
        if n.account in present and n.kind in ("user", "group", "role"):
            res_rows.append([n.account, clean(n.id), RESOURCE])
    out["rels_accounts.csv"] = _csv(res_rows)
    out["import.sh"] = import_script(list(out), graph.tool_version)
    return out
