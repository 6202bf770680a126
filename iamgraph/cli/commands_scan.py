"""`iamgraph scan`, `iamgraph query ID`, `iamgraph queries`, and one command per query that asks for one
(`reach`, `who-can`, `path`, ...: generated from the query's parameter dataclass): analyse files (or a
live account) and report."""

from __future__ import annotations

import inspect
import io
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .. import api
from ..errors import InputError
from ..graph.model import IamGraph
from ..query.base import QueryDef
from ..query.filters import Status, filter_report
from ..query.report import Report
from ..query.severity import Severity
from ..render.terminal import line, plain
from .app import EXIT_OK, app, input_errors, keep_until_exit
from .output import write_text_atomic

if TYPE_CHECKING:  # rich is imported where something is drawn (a JSON scan off a terminal draws nothing)
    from rich.console import Console
    from rich.progress import Progress


class OutputFormat(str, Enum):
    """What --format writes."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


INPUT = typer.Option(
    None, "--input", "-i", metavar="FILE", help="GAAD JSON or iamgraph snapshot (repeatable). Without it: live scan."
)
FORMAT = typer.Option(OutputFormat.TEXT, "--format", "-f", case_sensitive=False, help="Output format.")
OUTPUT = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report here instead of stdout.")
HTML = typer.Option(None, "--html", metavar="FILE", help="Also write a self-contained interactive HTML report.")
QUIET = typer.Option(
    False, "--quiet", "-q", help="Text: one line per finding and the summary line; no progress or warnings on stderr."
)
NO_COLOR = typer.Option(False, "--no-color", help="No colours in the terminal output.")
PROFILE = typer.Option(None, "--profile", metavar="PROFILE", help="AWS profile for a live scan (repeatable).")
REGION = typer.Option(None, "--region", metavar="REGION", help="Regions for inventory (default: all enabled).")
MIN_SEVERITY = typer.Option(
    None, "--min-severity", case_sensitive=False, help="Report only findings at or above this severity."
)
STATUS = typer.Option(
    None, "--status", case_sensitive=False, help="Report only definite findings, or only conditional (potential) ones."
)
SKIP_ADMINS = typer.Option(
    False,
    "--skip-admins",
    help="Leave out findings whose source already is an administrator (as PMapper's --skip-admins).",
)
FILTER_QUERY = typer.Option(None, "--query", metavar="QUERY", help="Report only findings of this query (repeatable).")
PARAM = typer.Option(None, "--param", "-p", help="Query parameter KEY=VALUE, or QUERY.KEY=VALUE (repeatable).")
CONTEXT = typer.Option(
    None,
    "--context",
    help="Pin a condition key for every request, KEY=VALUE (repeatable; "
    "e.g. aws:MultiFactorAuthPresent=true, aws:SourceIp=203.0.113.7, aws:CurrentTime=2030-01-01T00:00:00Z; "
    "a JSON list for a multivalued key). See docs/condition-keys.md.",
)
ALLOW_INCOMPLETE = typer.Option(
    False,
    "--allow-incomplete",
    help="With --fail-on: accept an incomplete analysis (IAM unread or partial) instead of exit 3.",
)


def _stderr(no_color: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=True, no_color=no_color)


def _stderr_surely_not_terminal() -> bool:
    """True only when rich would surely find stderr not to be a terminal (`Console(stderr=True).is_terminal`
    False): neither of its overrides FORCE_COLOR / TTY_COMPATIBLE is set and stderr is no tty. False means
    "ask rich", so the answer never differs from rich's."""
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:  # a closed stream: rich says "not a terminal" too
        return True


def _progress_cb(
    console: Console | None, quiet: bool, no_color: bool = False
) -> tuple[Progress | None, Callable[[str, int, int], None] | None]:
    """A rich progress callback on stderr (silent when quiet or not a terminal); `console`: the stderr
    console if one was made already, else one is made only when stderr may be a terminal."""
    if quiet or (console is None and _stderr_surely_not_terminal()):
        return None, None
    if console is None:
        console = _stderr(no_color)
    if not console.is_terminal:
        return None, None
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # only on a terminal

    prog = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
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


def filtered(
    report: Report,
    graph: IamGraph,
    *,
    min_severity: Severity | None,
    status: Status | None,
    queries: list[str] | None,
    skip_admins: bool,
) -> Report:
    """The report with the command line's finding filters applied (--skip-admins: sources that are admin)."""
    return filter_report(
        report,
        min_severity=min_severity,
        status=status,
        queries=queries or (),
        skip=graph.is_admin if skip_admins else None,
    )


def load_graph(
    inputs: list[Path] | None,
    profiles: list[str] | None,
    region: list[str] | None,
    role_arn: str | None,
    external_id: str | None,
    save_snapshot: Path | None,
    quiet: bool,
    no_color: bool,
    context: list[str] | None = None,
    org_member_role: str | None = None,
) -> IamGraph:
    """Snapshot from files or a live account, then the graph, with progress on stderr; `context`:
    `--context KEY=VALUE` pins for the attacker's view of every request."""
    attacker = api.context_pins(context)  # a bad pin fails before any reading
    err: Console | None = None  # the stderr console, made when something may be drawn on it
    if inputs:
        snapshot = api.load(inputs)
    else:
        from ..collect.live import collect_document
        from ..collect.snapshot_io import parse_snapshot_document, write_snapshot_document

        err = live_err = _stderr(no_color)
        say = None if quiet else (lambda m: live_err.print(plain(m, "dim"), highlight=False))
        if org_member_role is not None:  # scan --org: every account of the organisation (issue 12)
            from ..collect.live.org_collect import collect_org_document

            doc = collect_org_document(
                profile=profiles[0] if profiles else None,
                regions=list(region) if region else None,
                member_role=org_member_role,
                external_id=external_id,
                role_arn=role_arn,
                progress=say,
            )
        else:
            doc = collect_document(
                profiles=list(profiles) if profiles else [None],
                regions=list(region) if region else None,
                role_arn=role_arn,
                external_id=external_id,
                progress=say,
            )
        if save_snapshot:
            write_snapshot_document(doc, save_snapshot)
        snapshot = parse_snapshot_document(doc, file=str(save_snapshot) if save_snapshot else "<live>")
    if snapshot.warnings and not quiet:
        if err is None:
            err = _stderr(no_color)
        for w in snapshot.warnings:
            err.print(line(("warning:", "yellow"), " ", w), highlight=False)  # account text: never markup
    prog, cb = _progress_cb(err, quiet, no_color)
    if prog:
        with prog:
            graph = api.build_graph(snapshot, progress=cb, attacker=attacker)
    else:
        graph = api.build_graph(snapshot, attacker=attacker)
    return keep_until_exit(graph)


def emit(
    report: Report,
    fmt: str,
    output: Path | None,
    html: Path | None,
    quiet: bool,
    no_color: bool,
    full_graph: bool = False,
    title: str = "iamgraph report",
    sarif: Path | None = None,
) -> None:
    """Write the report in the chosen format (stdout stays pure for json/sarif); an incomplete
    analysis is also said on stderr (unless quiet)."""
    if sarif:
        import json as _json

        from ..render.sarif import render_sarif as _render_sarif

        write_text_atomic(sarif, _json.dumps(_render_sarif(report), indent=2) + "\n")
    if html:
        from ..render.html import render_html

        write_text_atomic(html, render_html(report, full_graph=full_graph, title=title))
    if not quiet and report.incomplete is not None and report.incomplete.gaps and fmt != "text":
        from ..render.text import incomplete_lines

        for line in incomplete_lines(report):
            typer.echo(f"iamgraph: warning: {line.strip()}", err=True)
    if fmt == "json":
        text = api.report_json(report)
    elif fmt == "sarif":
        import json

        from ..render.sarif import render_sarif

        text = json.dumps(render_sarif(report), indent=2) + "\n"
    elif fmt == "text":
        from rich.console import Console

        from ..render.text import render_permissions, render_text

        if output:
            buf = io.StringIO()
            render_text(report, console=Console(file=buf, no_color=True, width=160), quiet=quiet)
            write_text_atomic(output, buf.getvalue())
        else:
            console = Console(no_color=no_color, highlight=False)
            render_text(report, console=console, quiet=quiet)
            if not quiet:
                render_permissions(report, console=console)
        return
    else:
        raise InputError(f"unknown format {fmt!r} (text, json, sarif)", file="--format")
    if output:
        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)


def _gate(
    report: Report,
    *,
    baseline: Path | None,
    suppressions: Path | None,
    fail_on: str | None,
    allow_incomplete: bool,
    quiet: bool,
    no_color: bool,
) -> tuple[Report, int]:
    code = int(EXIT_OK)
    if baseline or suppressions or fail_on:
        from ..gate import apply_gate

        report, code, notes = apply_gate(
            report, baseline=baseline, suppressions=suppressions, fail_on=fail_on, allow_incomplete=allow_incomplete
        )
        for n in notes:
            if not quiet:
                _stderr(no_color).print(line(("note:", "yellow"), " ", n), highlight=False)
    return report, code


def _with_action_warnings(report: Report, graph: IamGraph) -> Report:
    """The report plus a warning per policy statement of the account naming actions that match no IAM action."""
    from dataclasses import replace

    from ..model.action_catalog import snapshot_unknown_actions

    snap = graph.snapshot
    docs: list[tuple[str, object]] = []
    holders: list[Any] = [*snap.users.values(), *snap.groups.values(), *snap.roles.values()]
    for holder in holders:
        docs += [(f"{holder.arn} inline policy {p.ref.id}", p.document) for p in holder.inline_policies]
    docs += [
        (f"{mp.arn}", v.document)
        for mp in snap.policies.values()
        for v in mp.versions
        if v.is_default and not mp.arn.startswith("arn:aws:iam::aws:")
    ]
    found = snapshot_unknown_actions(docs)
    return replace(report, warnings=(*report.warnings, *found)) if found else report


def _with_inputs(report: Report, inputs: list[Path] | None) -> Report:
    from dataclasses import replace

    return replace(report, inputs=tuple(str(p) for p in inputs)) if inputs and not report.inputs else report


@app.command()
@input_errors
def scan(
    input: list[Path] | None = INPUT,
    format: OutputFormat = FORMAT,
    output: Path | None = OUTPUT,
    html: Path | None = HTML,
    sarif: Path | None = typer.Option(None, "--sarif", metavar="FILE", help="Also write SARIF 2.1.0 to this file."),
    full_graph: bool = typer.Option(
        False, "--full-graph", help="HTML: draw every node, not only the findings' subgraph."
    ),
    query: list[str] | None = typer.Option(
        None,
        "--query",
        metavar="QUERY",
        help="Queries to run, and report (default: those marked default; see `iamgraph queries`).",
    ),
    param: list[str] | None = PARAM,
    queries_dir: list[Path] | None = typer.Option(
        None, "--queries", metavar="DIR", help="Extra folder of query modules."
    ),
    profile: list[str] | None = PROFILE,
    region: list[str] | None = REGION,
    role_arn: str | None = typer.Option(
        None, "--role-arn", metavar="ARN", help="Assume this role into the account to scan."
    ),
    external_id: str | None = typer.Option(None, "--external-id", metavar="ID", help="ExternalId for --role-arn."),
    save_snapshot: Path | None = typer.Option(
        None, "--save-snapshot", metavar="FILE", help="Live scan: also write the snapshot here."
    ),
    baseline: Path | None = typer.Option(
        None, "--baseline", metavar="FILE", help="Report only findings new relative to this saved JSON result."
    ),
    suppressions: Path | None = typer.Option(
        None, "--suppressions", metavar="FILE", help="Suppression file (id or pattern, reason, expires)."
    ),
    fail_on: Severity | None = typer.Option(
        None,
        "--fail-on",
        case_sensitive=False,
        help="Exit 1 when a (new) finding at or above this severity exists; exit 3 when the analysis is incomplete.",
    ),
    allow_incomplete: bool = ALLOW_INCOMPLETE,
    min_severity: Severity | None = MIN_SEVERITY,
    status: Status | None = STATUS,
    skip_admins: bool = SKIP_ADMINS,
    quiet: bool = QUIET,
    no_color: bool = NO_COLOR,
    export: list[str] | None = typer.Option(
        None,
        "--export",
        metavar="SPEC",
        help="Also export the graph: FORMAT[+findings-only][+definite-only]:PATH, FORMAT one of opengraph, graphml, neo4j-csv, cypher (repeatable).",
    ),
    context: list[str] | None = CONTEXT,
    org: bool = typer.Option(False, "--org", help="Live: scan every account of the organisation (see collect --org)."),
    member_role: str = typer.Option(
        "OrganizationAccountAccessRole", "--member-role", help="With --org: role assumed in each member account."
    ),
) -> None:
    """Who in this account can become admin, and how? (plus risky trust and the admin list)"""
    check_format(format)
    dirs = queries_dir or ()
    chosen = [q.id for q in api.select(query or None, dirs)]
    params = _params_for(param, chosen, dirs)
    if export:
        from .commands_export import check_specs

        check_specs(export)
    if org and input:
        raise typer.BadParameter("--org collects live: give no --input (scan the snapshot of collect --org instead)")
    graph = load_graph(
        input,
        profile,
        region,
        role_arn,
        external_id,
        save_snapshot,
        quiet,
        no_color,
        context,
        org_member_role=member_role if org else None,
    )
    report = _with_inputs(api.run(graph, chosen, params, queries_dirs=dirs, include_graph=bool(html)), input)
    report = _with_action_warnings(report, graph)
    report = filtered(report, graph, min_severity=min_severity, status=status, queries=None, skip_admins=skip_admins)
    report, code = _gate(
        report,
        baseline=baseline,
        suppressions=suppressions,
        fail_on=fail_on.value if fail_on else None,
        allow_incomplete=allow_incomplete,
        quiet=quiet,
        no_color=no_color,
    )
    emit(report, format, output, html, quiet, no_color, full_graph=full_graph, sarif=sarif)
    if export:
        from .commands_export import export_from_scan

        export_from_scan(graph, report.to_json(), export)
    raise typer.Exit(code)


def _params_for(items: list[str] | None, chosen: list[str], dirs: Any) -> dict[str, dict[str, str]]:
    """Raw parameters per chosen query, checked against each query's parameters before any work."""
    available = api.queries(dirs)
    out: dict[str, dict[str, str]] = {q: {} for q in chosen}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(
                f"--param must be KEY=VALUE or QUERY.KEY=VALUE, not {item!r}", file="<command line>", path="--param"
            )
        prefix, dot, name = key.rpartition(".")
        if dot and prefix in out:
            out[prefix][name] = value
            continue
        targets = [q for q in chosen if any(p.name == key for p in available[q].parameters())]
        if not targets:
            raise InputError(
                f"no selected query has a parameter {key!r} (queries: {', '.join(chosen) or 'none'})",
                file="<command line>",
                path="--param",
            )
        for t in targets:
            out[t][key] = value
    for q in chosen:
        available[q].parse_params(out[q], where="--param")  # missing / unknown / ill-typed: exit 2 now
    return out


@app.command("query")
@input_errors
def query_command(
    query_id: str = typer.Argument(..., metavar="QUERY", help="Query id (see `iamgraph queries`)."),
    param: list[str] | None = PARAM,
    input: list[Path] | None = INPUT,
    format: OutputFormat = FORMAT,
    output: Path | None = OUTPUT,
    html: Path | None = HTML,
    queries_dir: list[Path] | None = typer.Option(
        None, "--queries", metavar="DIR", help="Extra folder of query modules."
    ),
    profile: list[str] | None = PROFILE,
    region: list[str] | None = REGION,
    fail_on: Severity | None = typer.Option(
        None,
        "--fail-on",
        case_sensitive=False,
        help="Exit 1 when a finding at or above this severity exists; exit 3 when the analysis is incomplete.",
    ),
    allow_incomplete: bool = ALLOW_INCOMPLETE,
    min_severity: Severity | None = MIN_SEVERITY,
    status: Status | None = STATUS,
    skip_admins: bool = SKIP_ADMINS,
    quiet: bool = QUIET,
    no_color: bool = NO_COLOR,
) -> None:
    """Run any query by id with its parameters: `iamgraph query who-can --param action=s3:GetObject`."""
    check_format(format)
    dirs = queries_dir or ()
    chosen = [q.id for q in api.select([query_id], dirs)]
    params = _params_for(param, chosen, dirs)
    graph = load_graph(input, profile, region, None, None, None, quiet, no_color)
    report = _with_inputs(api.run(graph, chosen, params, queries_dirs=dirs, include_graph=bool(html)), input)
    report = filtered(report, graph, min_severity=min_severity, status=status, queries=None, skip_admins=skip_admins)
    report, code = _gate(
        report,
        baseline=None,
        suppressions=None,
        fail_on=fail_on.value if fail_on else None,
        allow_incomplete=allow_incomplete,
        quiet=quiet,
        no_color=no_color,
    )
    emit(report, format, output, html, quiet, no_color, title=f"iamgraph: {query_id}")
    raise typer.Exit(code)


@app.command("queries")
@input_errors
def list_queries(
    queries_dir: list[Path] | None = typer.Option(None, "--queries", help="Extra folder of query modules."),
    format: str = typer.Option("text", "--format", "-f", help="text | json"),
) -> None:
    """List every query: id, title, kind, severity, whether scan runs it by default, its parameters."""
    import json

    rows: list[dict[str, Any]] = [
        {
            "id": q.id,
            "title": q.title,
            "description": q.description,
            "kind": q.kind.value,
            "severity": q.severity.value,
            "default": q.default,
            "needs": sorted(n.value for n in q.needs),
            "parameters": [
                {"name": p.name, "type": p.type.__name__, "required": p.required, "default": p.default, "help": p.help}
                for p in q.parameters()
            ],
        }
        for q in api.queries(queries_dir or ()).values()
    ]
    if format == "json":
        typer.echo(json.dumps({"queries": rows}, indent=2))
        return
    if format != "text":
        raise InputError(f"unknown format {format!r} (text, json)", file="<command line>", path="--format")
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=f"{len(rows)} queries", header_style="bold")
    for c in ("id", "kind", "severity", "default", "parameters", "description"):
        t.add_column(c, overflow="fold")
    for r in rows:
        ps = ", ".join(f"{p['name']}" + ("" if p["required"] else f"={p['default']}") for p in r["parameters"])
        t.add_row(
            escape(r["id"]),
            r["kind"],
            r["severity"],
            "yes" if r["default"] else "",
            escape(ps),
            escape(r["description"]),
        )
    Console(highlight=False).print(t)


# ---- one command per query that asks for it (positional fields of its parameter dataclass first) ----------

_COMMON: list[tuple[str, Any, Any]] = [
    ("input", list[Path] | None, INPUT),
    ("format", OutputFormat, FORMAT),
    ("output", Path | None, OUTPUT),
    ("html", Path | None, HTML),
    ("profile", list[str] | None, PROFILE),
    ("region", list[str] | None, REGION),
    ("min_severity", Severity | None, MIN_SEVERITY),
    ("status", Status | None, STATUS),
    ("filter_query", list[str] | None, FILTER_QUERY),
    ("skip_admins", bool, SKIP_ADMINS),
    ("quiet", bool, QUIET),
    ("no_color", bool, NO_COLOR),
    ("context", list[str] | None, CONTEXT),
]


def _query_command(q: QueryDef[Any]) -> None:
    """Register `iamgraph <q.id> ARGS...` for a query declaring command=True."""
    own = q.parameters()
    taken = {name for name, _, _ in _COMMON}
    sig: list[inspect.Parameter] = []
    for p in own:
        if p.name in taken:
            raise RuntimeError(f"query {q.id}: parameter {p.name!r} clashes with a common option")
        if p.positional:
            default = typer.Argument(
                ... if p.required else p.default, help=p.help, metavar=p.name.upper(), show_default=bool(p.default)
            )
        else:
            default = typer.Option(... if p.required else p.default, f"--{p.name.replace('_', '-')}", help=p.help)
        sig.append(
            inspect.Parameter(p.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=default, annotation=p.type)
        )
    sig += [
        inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d, annotation=t) for n, t, d in _COMMON
    ]

    def command(**kw: Any) -> None:
        fmt = kw["format"]
        check_format(fmt)
        raw = {p.name: kw[p.name] for p in own}
        q.parse_params(raw)
        graph = load_graph(
            kw["input"], kw["profile"], kw["region"], None, None, None, kw["quiet"], kw["no_color"], kw["context"]
        )
        report = _with_inputs(api.run(graph, [q.id], {q.id: raw}, include_graph=bool(kw["html"])), kw["input"])
        report = filtered(
            report,
            graph,
            min_severity=kw["min_severity"],
            status=kw["status"],
            queries=kw["filter_query"],
            skip_admins=kw["skip_admins"],
        )
        subject = " ".join(str(raw[p.name]) for p in own if p.positional)
        title = f"iamgraph: {q.id} of {subject}" if subject else f"iamgraph: {q.id}"
        emit(report, fmt, kw["output"], kw["html"], kw["quiet"], kw["no_color"], title=title)

    command.__signature__ = inspect.Signature(sig)  # type: ignore[attr-defined]
    command.__name__ = q.id.replace("-", "_")
    command.__doc__ = q.description
    app.command(q.id, help=q.description)(input_errors(command))


for _q in api.queries().values():
    if _q.command:
        _query_command(_q)
