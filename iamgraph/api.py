"""Library façade: what the CLI, the tests and other programs call.

load -> build_graph -> run_queries -> report dict (design.md §6) -> report_json / renderers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from . import __version__
from .collect.loader import load_snapshot
from .errors import InputError
from .graph.build import build_graph as _build_graph
from .render.graph_data import graph_export
from .graph.model import IamGraph
from .model import Snapshot
from .query.base import Finding
from .query.loader import load_queries

REPORT_SCHEMA_VERSION = "1"
DEFAULT_QUERIES = ("privesc-to-admin", "risky-trust", "admins")
Progress = Callable[[str, int, int], None]


def load(paths: Sequence[str | Path]) -> Snapshot:
    """Read GAAD / snapshot files into one Snapshot (raises InputError on bad input)."""
    return load_snapshot([str(p) for p in paths])


def build_graph(snapshot: Snapshot, progress: Progress | None = None) -> IamGraph:
    return _build_graph(snapshot, progress=progress)


def run_queries(graph: IamGraph, names: Iterable[str] = DEFAULT_QUERIES, params: dict[str, Any] | None = None,
                queries_dirs: Iterable[str | Path] = (), include_graph: bool = False) -> dict[str, Any]:
    """Run the named queries and assemble the report dict (deterministic order)."""
    available = load_queries(queries_dirs)
    findings: list[Finding] = []
    for name in names:
        q = available.get(name)
        if q is None:
            raise InputError(f"unknown query {name!r} (known: {', '.join(sorted(available))})")
        findings.extend(q.run(graph, **(params or {}).get(name, {})))
    return make_report(graph, findings, include_graph=include_graph)


def make_report(graph: IamGraph, findings: list[Finding], include_graph: bool = False) -> dict[str, Any]:
    snap = graph.snapshot
    ordered = sorted(findings, key=lambda f: (-f.severity.rank, f.query, f.source, f.target or "", f.id))
    principals = graph.principals()
    report: dict[str, Any] = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "iamgraph", "version": __version__},
        "accounts": sorted(set(snap.account_ids)),
        "summary": {
            "principals": len(principals),
            "admins": sum(1 for p in principals if graph.is_admin(p)),
            "findings": len(ordered),
            "by_severity": {s: sum(1 for f in ordered if f.severity.value == s) for s in ("critical", "high", "medium", "low")},
            "reaching_admin": sum(1 for f in ordered if f.query == "privesc-to-admin" and not f.conditional),
            "potential": sum(1 for f in ordered if f.query == "privesc-to-admin" and f.conditional),
        },
        "findings": [f.to_json() for f in ordered],
        "warnings": sorted(set(snap.warnings)) + [f"could not read {g.api}" + (f" in {g.region}" if g.region else "")
                                                  + (f": {g.detail}" if g.detail else "") for g in snap.collection_gaps],
    }
    if snap.incomplete:
        report["incomplete_principals"] = {k: list(v) for k, v in sorted(snap.incomplete.items())}
    if include_graph:
        report["graph"] = graph_export(graph, ordered)
    return report


def scan_files(paths: Sequence[str | Path], queries: Iterable[str] = DEFAULT_QUERIES,
               include_graph: bool = False) -> dict[str, Any]:
    """The whole offline job: files -> report dict."""
    return run_queries(build_graph(load(paths)), queries, include_graph=include_graph)


def report_json(report: dict[str, Any]) -> str:
    """Byte-stable JSON text of a report."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
