"""`iamgraph scan`, `reach`, `who-can`, `path`: analyse files (or a live account) and report."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .. import api
from ..errors import InputError
from .app import EXIT_OK, app, input_errors
from .output import write_text_atomic

INPUT = typer.Option(None, "--input", "-i", help="GAAD JSON or iamgraph snapshot (repeatable). Without it: live scan.")
FORMAT = typer.Option("text", "--format", "-f", help="text | json | sarif")
OUTPUT = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout.")
HTML = typer.Option(None, "--html", help="Also write a self-contained interactive HTML report.")


def _stderr(no_color: bool = False) -> Console:
    return Console(stderr=True, no_color=no_color)


def _progress_cb(console: Console, quiet: bool):
    """A rich progress callback on stderr (silent when quiet or not a terminal)."""
    if quiet or not console.is_terminal:
        return None, None
    prog = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=console, transient=True)
    tasks: dict[str, Any] = {}

    def cb(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = prog.add_task(phase, total=total)
        prog.update(tasks[phase], completed=done, total=total)

    return prog, cb


def check_format(fmt: str) -> None:
    """Reject a bad --format before any work is done."""
    if fmt not in ("text", "json", "sarif"):
        raise InputError(f"unknown format {fmt!r} (text, json, sarif)", file="--format")


def load_graph(inputs: Optional[list[Path]], profiles: Optional[list[str]], region: Optional[list[str]],
               role_arn: Optional[str], external_id: Optional[str], save_snapshot: Optional[Path],
               quiet: bool, no_color: bool):
    """Snapshot from files or a live account, then the graph, with progress on stderr."""
    err = _stderr(no_color)
    if inputs:
        snapshot = api.load(inputs)
    else:
        from ..collect.live import collect_document
        from ..collect.snapshot_io import parse_snapshot_document, write_snapshot_document
        doc = collect_document(profiles=list(profiles) if profiles else [None], regions=list(region) if region else None,
                               role_arn=role_arn, external_id=external_id,
                               progress=None if quiet else (lambda m: err.print(f"[dim]{m}[/dim]")))
        if save_snapshot:
            write_snapshot_document(doc, save_snapshot)
        snapshot = parse_snapshot_document(doc, file=str(save_snapshot) if save_snapshot else "<live>")
    for w in snapshot.warnings:
        if not quiet:
            err.print(f"[yellow]warning:[/yellow] {w}", highlight=False, markup=True)
    prog, cb = _progress_cb(err, quiet)
    if prog:
        with prog:
            graph = api.build_graph(snapshot, progress=cb)
    else:
        graph = api.build_graph(snapshot)
    return graph


def emit(report: dict[str, Any], fmt: str, output: Optional[Path], html: Optional[Path], quiet: bool, no_color: bool,
         full_graph: bool = False, title: str = "iamgraph report", sarif: Optional[Path] = None,
         inputs: Optional[list[Path]] = None) -> None:
    """Write the report in the chosen format (stdout stays pure for json/sarif); `inputs` are
    recorded in the report (SARIF locations point at them)."""
    if inputs and "inputs" not in report:
        report["inputs"] = [str(p) for p in inputs]
    if sarif:
        import json as _json
        from ..render.sarif import render_sarif as _render_sarif
        write_text_atomic(sarif, _json.dumps(_render_sarif(report), indent=2) + "\n")
    if html:
        from ..render.html import render_html
        write_text_atomic(html, render_html(report, full_graph=full_graph, title=title))
    data = {k: v for k, v in report.items() if k != "graph"}   # the graph is for the HTML page only
    if fmt == "json":
        text = api.report_json(data)
    elif fmt == "sarif":
        import json
        from ..render.sarif import render_sarif
        text = json.dumps(render_sarif(data), indent=2) + "\n"
    elif fmt == "text":
        from ..render.text import render_text
        if output:
            buf = io.StringIO()
            render_text(data, console=Console(file=buf, no_color=True, width=160), quiet=quiet)
            write_text_atomic(output, buf.getvalue())
        else:
            render_text(data, console=Console(no_color=no_color, highlight=False), quiet=quiet)
        return
    else:
        raise InputError(f"unknown format {fmt!r} (text, json, sarif)", file="--format")
    if output:
        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)


@app.command()
@input_errors
def scan(
    input: Optional[list[Path]] = INPUT,
    format: str = FORMAT,
    output: Optional[Path] = OUTPUT,
    html: Optional[Path] = HTML,
    sarif: Optional[Path] = typer.Option(None, "--sarif", help="Also write SARIF 2.1.0 to this file."),
    full_graph: bool = typer.Option(False, "--full-graph", help="HTML: draw every node, not only the findings' subgraph."),
    query: Optional[list[str]] = typer.Option(None, "--query", "-q", help="Queries to run (default: privesc-to-admin, risky-trust, admins)."),
    queries_dir: Optional[list[Path]] = typer.Option(None, "--queries", help="Extra folder of query modules."),
    profile: Optional[list[str]] = typer.Option(None, "--profile", help="AWS profile for a live scan (repeatable)."),
    region: Optional[list[str]] = typer.Option(None, "--region", help="Regions for inventory (default: all enabled)."),
    role_arn: Optional[str] = typer.Option(None, "--role-arn", help="Assume this role into the account to scan."),
    external_id: Optional[str] = typer.Option(None, "--external-id"),
    save_snapshot: Optional[Path] = typer.Option(None, "--save-snapshot", help="Live scan: also write the snapshot here."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings new relative to this saved JSON result."),
    suppressions: Optional[Path] = typer.Option(None, "--suppressions", help="Suppression file (id or pattern, reason, expires)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="critical|high|medium|low: exit 1 when a (new) finding at or above exists."),
    quiet: bool = typer.Option(False, "--quiet", help="Only the summary line (text) and no progress/warnings."),
    no_color: bool = typer.Option(False, "--no-color"),
    export: Optional[list[str]] = typer.Option(None, "--export", help="Also export the graph: FORMAT[+findings-only][+definite-only]:PATH, FORMAT one of opengraph, graphml, neo4j-csv, cypher (repeatable)."),
) -> None:
    """Who in this account can become admin, and how? (plus risky trust and the admin list)"""
    check_format(format)
    if export:
        from .commands_export import check_specs
        check_specs(export)
    graph = load_graph(input, profile, region, role_arn, external_id, save_snapshot, quiet, no_color)
    report = api.run_queries(graph, query or api.DEFAULT_QUERIES, queries_dirs=queries_dir or (), include_graph=bool(html))
    code = EXIT_OK
    if baseline or suppressions or fail_on:
        from ..gate import apply_gate
        report, code, notes = apply_gate(report, baseline=baseline, suppressions=suppressions, fail_on=fail_on)
        for n in notes:
            if not quiet:
                _stderr(no_color).print(f"[yellow]note:[/yellow] {n}", highlight=False)
    emit(report, format, output, html, quiet, no_color, full_graph=full_graph, sarif=sarif, inputs=input)
    if export:
        from .commands_export import export_from_scan
        export_from_scan(graph, report, export)
    raise typer.Exit(code)


@app.command()
@input_errors
def reach(
    principal: str = typer.Argument(..., help="Principal ARN or name."),
    input: Optional[list[Path]] = INPUT, format: str = FORMAT, output: Optional[Path] = OUTPUT, html: Optional[Path] = HTML,
    profile: Optional[list[str]] = typer.Option(None, "--profile"), region: Optional[list[str]] = typer.Option(None, "--region"),
    quiet: bool = typer.Option(False, "--quiet"), no_color: bool = typer.Option(False, "--no-color"),
) -> None:
    """What can this principal reach: principals it can become, admin or not, and its permissions."""
    check_format(format)
    graph = load_graph(input, profile, region, None, None, None, quiet, no_color)
    report = api.run_queries(graph, ["reach"], params={"reach": {"principal": principal}}, include_graph=bool(html))
    emit(report, format, output, html, quiet, no_color, title=f"iamgraph: reach of {principal}", inputs=input)
    if format == "text" and not output and not quiet:
        from ..render.text import render_permissions
        render_permissions(report, console=Console(no_color=no_color, highlight=False))


@app.command("who-can")
@input_errors
def who_can(
    action: str = typer.Argument(..., help="e.g. s3:GetObject"),
    resource: str = typer.Argument("*", help="Resource ARN (default *)."),
    input: Optional[list[Path]] = INPUT, format: str = FORMAT, output: Optional[Path] = OUTPUT, html: Optional[Path] = HTML,
    profile: Optional[list[str]] = typer.Option(None, "--profile"), region: Optional[list[str]] = typer.Option(None, "--region"),
    quiet: bool = typer.Option(False, "--quiet"), no_color: bool = typer.Option(False, "--no-color"),
) -> None:
    """Who can perform ACTION on RESOURCE, directly or through an escalation path?"""
    check_format(format)
    graph = load_graph(input, profile, region, None, None, None, quiet, no_color)
    report = api.run_queries(graph, ["who-can"], params={"who-can": {"action": action, "resource": resource}}, include_graph=bool(html))
    emit(report, format, output, html, quiet, no_color, inputs=input)


@app.command()
@input_errors
def path(
    source: str = typer.Argument(...), target: str = typer.Argument(..., help="Principal ARN/name, or 'admin'."),
    input: Optional[list[Path]] = INPUT, format: str = FORMAT, output: Optional[Path] = OUTPUT, html: Optional[Path] = HTML,
    k: int = typer.Option(3, "--k", help="How many shortest paths."),
    profile: Optional[list[str]] = typer.Option(None, "--profile"), region: Optional[list[str]] = typer.Option(None, "--region"),
    quiet: bool = typer.Option(False, "--quiet"), no_color: bool = typer.Option(False, "--no-color"),
) -> None:
    """How does SOURCE get to TARGET, and which statements allow each hop?"""
    check_format(format)
    graph = load_graph(input, profile, region, None, None, None, quiet, no_color)
    report = api.run_queries(graph, ["path"], params={"path": {"source": source, "target": target, "k": k}}, include_graph=bool(html))
    emit(report, format, output, html, quiet, no_color, inputs=input)
