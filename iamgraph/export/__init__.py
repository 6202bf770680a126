"""Exports of the graph for the tools the field already uses (docs/exports.md).

`render(graph, findings, fmt, options)` -> {file name: text}: BloodHound OpenGraph JSON, GraphML,
Neo4j bulk-import CSV (a folder with import.sh) and a Cypher overlay script. Output is deterministic:
the same graph and findings give the same bytes. The layer sits beside `render`: it reads the graph
and the findings' JSON form, and writes nothing itself (the CLI writes the files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from ..errors import InputError
from ..graph.model import IamGraph
from .model import ExportGraph, ExportOptions, build_export_graph


class ExportFormat(str, Enum):
    OPENGRAPH = "opengraph"
    GRAPHML = "graphml"
    NEO4J_CSV = "neo4j-csv"
    CYPHER = "cypher"

    @property
    def is_folder(self) -> bool:
        """Written as a folder of files (the others are one file)."""
        return self is ExportFormat.NEO4J_CSV

    @property
    def default_name(self) -> str:
        return {
            "opengraph": "iamgraph.opengraph.json",
            "graphml": "iamgraph.graphml",
            "neo4j-csv": "iamgraph-neo4j",
            "cypher": "iamgraph-overlay.cypher",
        }[self.value]


def parse_format(text: str, *, where: str = "--format") -> ExportFormat:
    """The ExportFormat named by `text` (InputError naming `where` otherwise)."""
    try:
        return ExportFormat(text.strip().lower())
    except ValueError:
        known = ", ".join(f.value for f in ExportFormat)
        raise InputError(
            f"unknown export format {text!r} (known: {known})", file="<command line>", path=where
        ) from None


def parse_export_spec(spec: str) -> tuple[ExportFormat, ExportOptions, str]:
    """`FORMAT[+findings-only][+definite-only]:PATH` (scan --export) -> (format, options, path)."""
    head, sep, path = spec.partition(":")
    if not sep or not path:
        raise InputError(f"--export wants FORMAT:PATH, got {spec!r}", file="<command line>", path="--export")
    name, *mods = head.split("+")
    fmt = parse_format(name, where="--export")
    unknown = [m for m in mods if m not in ("findings-only", "definite-only")]
    if unknown:
        raise InputError(
            f"unknown --export modifier {unknown[0]!r} (findings-only, definite-only)",
            file="<command line>",
            path="--export",
        )
    return fmt, ExportOptions(findings_only="findings-only" in mods, definite_only="definite-only" in mods), path


def render_export(export: ExportGraph, fmt: ExportFormat) -> dict[str, str]:
    """{file name: text} of one format (one entry, named fmt.default_name, for single-file formats)."""
    if fmt is ExportFormat.OPENGRAPH:
        from .opengraph import payload_text

        return {fmt.default_name: payload_text(export)}
    if fmt is ExportFormat.GRAPHML:
        from .graphml import graphml_text

        return {fmt.default_name: graphml_text(export)}
    if fmt is ExportFormat.CYPHER:
        from .cypher import cypher_text

        return {fmt.default_name: cypher_text(export)}
    from .neo4j_csv import neo4j_files

    return neo4j_files(export)


def render(
    graph: IamGraph,
    findings: Sequence[Mapping[str, Any]],
    fmt: ExportFormat,
    options: ExportOptions = ExportOptions(),
    tool_version: str = "",
) -> dict[str, str]:
    """Select (options), flatten and render the graph in `fmt`."""
    return render_export(build_export_graph(graph, findings, options, tool_version), fmt)


def extension_schema_text() -> str:
    """The OpenGraph extension definition schema (also shipped as iamgraph/data/opengraph-extension.json)."""
    from .opengraph import extension_text

    return extension_text()


__all__ = [
    "ExportFormat",
    "ExportGraph",
    "ExportOptions",
    "build_export_graph",
    "extension_schema_text",
    "parse_export_spec",
    "parse_format",
    "render",
    "render_export",
]
