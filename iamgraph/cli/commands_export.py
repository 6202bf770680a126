"""`iamgraph export`: the graph as BloodHound OpenGraph, GraphML, Neo4j CSV or a Cypher overlay.

Also the helper behind `scan --export FORMAT[+findings-only][+definite-only]:PATH`.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import InputError
from .app import app, input_errors
from .output import write_text_atomic

if TYPE_CHECKING:  # the export package is imported by the commands that export (a plain scan does not)
    from ..export import ExportFormat
    from ..graph.model import IamGraph


def write_export(files: dict[str, str], fmt: ExportFormat, output: Path | None) -> list[Path]:
    """Write one export: a single-file format to `output` (stdout when None), a folder format into
    the folder `output` (created; required). Returns the paths written."""
    if fmt.is_folder:
        if output is None:
            raise InputError(
                f"--format {fmt.value} writes a folder: give it with --output DIR",
                file="<command line>",
                path="--output",
            )
        if output.exists() and not output.is_dir():
            raise InputError("is a file, but this export writes a folder", file=str(output))
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the folder ({exc.strerror or exc})", file=str(output)) from None
        written = []
        for name, text in files.items():
            target = output / name
            write_text_atomic(target, text)
            if name.endswith(".sh"):
                os.chmod(target, 0o755)
            written.append(target)
        return written
    (text,) = files.values()
    if output is None:
        sys.stdout.write(text)
        return []
    write_text_atomic(output, text)
    return [output]


def check_specs(specs: list[str]) -> None:
    """Reject a malformed `scan --export` value before any work is done."""
    from ..export import parse_export_spec

    for s in specs:
        parse_export_spec(s)


def export_from_scan(graph: IamGraph, report: Any, specs: list[str]) -> None:
    """`scan --export`: each FORMAT[+modifiers]:PATH written from the scan's graph and the findings
    it reports (after --baseline/--suppressions)."""
    from ..api_export import export as export_graph
    from ..export import parse_export_spec

    for fmt, options, path in (parse_export_spec(s) for s in specs):
        files = export_graph(
            graph, fmt, report=report, findings_only=options.findings_only, definite_only=options.definite_only
        )
        write_export(files, fmt, Path(path))


class CliExportFormat(str, Enum):
    """--format of `iamgraph export`: the graph formats, and the OpenGraph extension schema."""

    OPENGRAPH = "opengraph"
    GRAPHML = "graphml"
    NEO4J_CSV = "neo4j-csv"
    CYPHER = "cypher"
    OPENGRAPH_EXTENSION = "opengraph-extension"


@app.command("export")
@input_errors
def export(
    format: CliExportFormat = typer.Option(
        ...,
        "--format",
        "-f",
        case_sensitive=False,
        help="Export format (opengraph-extension: the schema BloodHound needs first).",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE|DIR", help="File to write (a folder for neo4j-csv); stdout when omitted."
    ),
    input: list[Path] | None = typer.Option(
        None,
        "--input",
        "-i",
        metavar="FILE",
        help="GAAD JSON or iamgraph snapshot (repeatable). Without it: live scan.",
    ),
    findings_only: bool = typer.Option(
        False, "--findings-only", help="Only the nodes and edges of the findings' paths."
    ),
    definite_only: bool = typer.Option(
        False, "--definite-only", help="Leave out conditional (potential) edges and findings."
    ),
    query: list[str] | None = typer.Option(
        None, "--query", metavar="QUERY", help="Queries whose findings mark paths (repeatable; default: the scan's)."
    ),
    param: list[str] | None = typer.Option(
        None, "--param", "-p", help="Query parameter KEY=VALUE, or QUERY.KEY=VALUE (repeatable)."
    ),
    queries_dir: list[Path] | None = typer.Option(
        None, "--queries", metavar="DIR", help="Extra folder of query modules."
    ),
    profile: list[str] | None = typer.Option(
        None, "--profile", metavar="PROFILE", help="AWS profile for a live scan (repeatable)."
    ),
    region: list[str] | None = typer.Option(None, "--region", help="Regions for inventory (default: all enabled)."),
    role_arn: str | None = typer.Option(None, "--role-arn", help="Assume this role into the account to scan."),
    external_id: str | None = typer.Option(None, "--external-id", help="External id for --role-arn."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress, warnings or 'wrote' line on stderr."),
    no_color: bool = typer.Option(False, "--no-color", help="No colours on stderr."),
) -> None:
    """Export the graph for BloodHound (OpenGraph), Gephi/yEd (GraphML) or Neo4j/Cartography (CSV, Cypher)."""
    from ..api_export import export as export_graph
    from ..export import extension_schema_text, parse_format

    if format is CliExportFormat.OPENGRAPH_EXTENSION:
        if output is None:
            sys.stdout.write(extension_schema_text())
        else:
            write_text_atomic(output, extension_schema_text())
        return
    fmt = parse_format(format.value)
    if fmt.is_folder and output is None:
        raise InputError(
            f"--format {fmt.value} writes a folder: give it with --output DIR", file="<command line>", path="--output"
        )
    from .commands_scan import _params_for, load_graph

    params = _params_for(param, query or [], queries_dir or ()) if param else None
    graph = load_graph(input, profile, region, role_arn, external_id, None, quiet, no_color)
    files = export_graph(
        graph,
        fmt,
        findings_only=findings_only,
        definite_only=definite_only,
        queries=query or None,
        params=params,
        queries_dirs=queries_dir or (),
    )
    written = write_export(files, fmt, output)
    if written and not quiet:
        typer.echo(f"iamgraph: wrote {fmt.value} export: {', '.join(str(p) for p in written)}", err=True)
