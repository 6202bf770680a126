"""Library entry point of the exports (docs/exports.md): graph + findings -> files of one format.

`export(graph, "opengraph")` runs the default queries for the findings that mark paths; pass a
`report` (the dict of `api.run_queries`, or a Report) to reuse findings already computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .export import ExportFormat, ExportOptions, parse_format, render
from .graph.model import IamGraph


def _findings(report: Any) -> list[Mapping[str, Any]]:
    data = report.to_json() if hasattr(report, "to_json") else report
    return list(data.get("findings", []))


def export(
    graph: IamGraph,
    fmt: str | ExportFormat,
    *,
    report: Any = None,
    findings_only: bool = False,
    definite_only: bool = False,
    queries: Iterable[str] | None = None,
    params: Mapping[str, Mapping[str, object]] | None = None,
    queries_dirs: Iterable[str | Path] = (),
) -> dict[str, str]:
    """{file name: text} of the export (deterministic). Findings come from `report`, else from
    running `queries` (default: the default queries, with `params` per query id) on `graph`."""
    from . import api

    kind = fmt if isinstance(fmt, ExportFormat) else parse_format(fmt)
    if report is None:
        names = list(queries) if queries is not None else None
        report = api.run_queries(graph, names, params=params, queries_dirs=queries_dirs)
    options = ExportOptions(findings_only=findings_only, definite_only=definite_only)
    return render(graph, _findings(report), kind, options, tool_version=__version__)


def export_files(paths: Iterable[str | Path], fmt: str | ExportFormat, **kwargs: Any) -> dict[str, str]:
    """The whole offline job: GAAD/snapshot files -> {file name: text} of the export."""
    from . import api

    return export(api.build_graph(api.load(list(paths))), fmt, **kwargs)
