"""Library façade: what the CLI, the tests and other programs call.

load -> build_graph -> run (queries) -> Report -> Report.to_json() / renderers.
`scan_files` and `run_queries` return the JSON document (a dict) for callers that want plain data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .collect.loader import load_snapshot
from .errors import InputError
from .graph.build import build_graph as _build_graph
from .graph.model import IamGraph
from .model import Snapshot
from .query.assemble import assemble_report
from .query.base import Finding, QueryDef
from .query.completeness import assess
from .query.loader import default_queries, load_queries
from .query.report import REPORT_SCHEMA_VERSION, Report
from .render.graph_data import graph_export
from .render.json_text import indented
from .techniques.account_index import AccountIndex
from .techniques.attacker_view import AttackerOptions

if TYPE_CHECKING:  # at run time read from api_export on first use (__getattr__): a scan exports nothing
    from .api_export import export, export_files

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "Report",
    "load",
    "build_graph",
    "context_pins",
    "queries",
    "default_queries",
    "run",
    "run_queries",
    "scan",
    "scan_files",
    "report_json",
    "export",
    "export_files",
]
Progress = Callable[[str, int, int], None]
QueryParams = Mapping[str, Mapping[str, object]]


def load(paths: Sequence[str | Path]) -> Snapshot:
    """Read GAAD / snapshot files into one Snapshot (raises InputError on bad input)."""
    return load_snapshot([str(p) for p in paths])


def build_graph(
    snapshot: Snapshot, progress: Progress | None = None, attacker: AttackerOptions | None = None
) -> IamGraph:
    """The graph; `attacker`: scan time and condition keys pinned with `--context` (default: now, none)."""
    context = AccountIndex.create(snapshot, attacker) if attacker is not None else None
    return _build_graph(snapshot, progress=progress, context=context)


def context_pins(items: Sequence[str] | None, *, where: str = "--context") -> AttackerOptions:
    """`--context KEY=VALUE` items -> AttackerOptions (a value `[...]` is a JSON list: a multivalued
    key). InputError naming the item when it has no `=` or no key."""
    pins: list[tuple[str, str | tuple[str, ...]]] = []
    for item in items or ():
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key or ":" not in key:
            raise InputError(
                f"expected KEY=VALUE with a condition key such as aws:MultiFactorAuthPresent=true, got {item!r}",
                file="<command line>",
                path=where,
            )
        if value.startswith("["):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
                raise InputError(
                    f"{key}: a list value must be a JSON list of strings, got {value!r}",
                    file="<command line>",
                    path=where,
                )
            pins.append((key, tuple(parsed)))
        else:
            pins.append((key, value))
    return AttackerOptions(pins=tuple(pins))


def queries(queries_dirs: Iterable[str | Path] = ()) -> dict[str, QueryDef[Any]]:
    """Every known query (bundled, then the given folders), by id."""
    return load_queries(queries_dirs)


def select(names: Iterable[str] | None, queries_dirs: Iterable[str | Path] = ()) -> list[QueryDef[Any]]:
    """The queries to run: `names` in order (default: those declaring default=True); InputError for an unknown id."""
    available = load_queries(queries_dirs)
    ids = list(names) if names is not None else [q.id for q in available.values() if q.default]
    out = []
    for name in dict.fromkeys(ids):
        q = available.get(name)
        if q is None:
            raise InputError(
                f"unknown query {name!r} (known: {', '.join(sorted(available))})", file="<command line>", path="--query"
            )
        out.append(q)
    return out


def run(
    graph: IamGraph,
    names: Iterable[str] | None = None,
    params: QueryParams | None = None,
    queries_dirs: Iterable[str | Path] = (),
    include_graph: bool = False,
) -> Report:
    """Run the named queries (default: the default ones) with their parameters (query id -> raw
    parameters; a missing required parameter is an InputError) and build the Report."""
    chosen = select(names, queries_dirs)
    parsed = [(q, q.parse_params(dict((params or {}).get(q.id, {})), where=f"--param {q.id}")) for q in chosen]
    findings: list[Finding] = []
    for q, p in parsed:
        findings.extend(q.run(graph, p))
    return _report(graph, findings, chosen, include_graph)


def _report(graph: IamGraph, findings: list[Finding], chosen: Sequence[QueryDef[Any]], include_graph: bool) -> Report:
    report = assemble_report(graph, findings, chosen, tool_version=__version__)
    report = assess(graph.snapshot, report)
    if include_graph:
        from dataclasses import replace

        ordered = sorted(findings, key=lambda f: (-f.severity.rank, f.query, f.source, f.target or "", f.id))
        report = replace(report, graph=graph_export(graph, ordered))
    return report


def run_queries(
    graph: IamGraph,
    names: Iterable[str] | None = None,
    params: QueryParams | None = None,
    queries_dirs: Iterable[str | Path] = (),
    include_graph: bool = False,
) -> dict[str, Any]:
    """`run(...)` as the JSON document (with `graph` when include_graph)."""
    return run(graph, names, params, queries_dirs, include_graph).to_json()


def scan(paths: Sequence[str | Path], queries: Iterable[str] | None = None, include_graph: bool = False) -> Report:
    """The whole offline job: files -> Report."""
    return run(build_graph(load(paths)), queries, include_graph=include_graph)


def scan_files(
    paths: Sequence[str | Path], queries: Iterable[str] | None = None, include_graph: bool = False
) -> dict[str, Any]:
    """The whole offline job: files -> the JSON report document."""
    return scan(paths, queries, include_graph).to_json()


def report_json(report: Report | Mapping[str, Any]) -> str:
    """Byte-stable JSON text of a report (a Report is written without its HTML graph data): the text
    of `json.dumps(indent=2, ensure_ascii=False)`, written by orjson where that is the same text."""
    data = report.to_json(include_graph=False, share_hops=True) if isinstance(report, Report) else report
    return indented(data) + "\n"


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_QUERIES":  # former constant: the ids of the default queries
        return default_queries()
    if name in ("export", "export_files"):  # api_export's functions themselves, imported on first use
        from . import api_export

        return getattr(api_export, name)
    raise AttributeError(name)
