"""Query findings over a graph -> the typed Report (deterministic order, node table, warnings)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..graph.model import IamGraph
from .base import Finding, QueryDef
from .report import FindingRecord, NodeInfo, QueryInfo, Report


def finding_order(f: Finding) -> tuple[int, str, str, str, str]:
    return (-f.severity.rank, f.query, f.source, f.target or "", f.id)


def assemble_report(
    graph: IamGraph,
    findings: Sequence[Finding],
    queries: Sequence[QueryDef[Any]],
    *,
    tool_version: str,
    graph_data: Mapping[str, Any] | None = None,
) -> Report:
    """The report of `findings` (from `queries`) over `graph`: findings sorted by severity, query,
    source, target, id; `nodes` gives the kind and label of every graph node a finding names."""
    snap = graph.snapshot
    ordered = sorted(findings, key=finding_order)
    records = tuple(
        FindingRecord.from_json(f.to_json(), file="<report>", path=f"$.findings[{i}]") for i, f in enumerate(ordered)
    )
    nodes: dict[str, NodeInfo] = {}
    for f in records:
        for node in (f.source, f.target, *(x for h in f.path for x in (h.src, h.dst))):
            if node and node not in nodes and node in graph.g:
                data = graph.g.nodes[node]
                nodes[node] = NodeInfo(kind=data["kind"], label=str(data.get("label", node)), hub=bool(data.get("hub")))
    principals = graph.principals()
    warnings = sorted(set(snap.warnings)) + [
        f"could not read {g.api}" + (f" in {g.region}" if g.region else "") + (f": {g.detail}" if g.detail else "")
        for g in snap.collection_gaps
    ]
    return Report(
        tool_version=tool_version,
        accounts=tuple(sorted(set(snap.account_ids))),
        principals=len(principals),
        admins=sum(1 for p in principals if graph.is_admin(p)),
        findings=records,
        warnings=tuple(warnings),
        incomplete_principals={k: tuple(v) for k, v in sorted(snap.incomplete.items())},
        queries=tuple(QueryInfo.of(q) for q in queries),
        nodes=nodes,
        graph=graph_data,
    )
