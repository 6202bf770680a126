"""Terminal rendering of a Report with rich; also the small text helpers other renderers share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..model import NodeKind
from ..query.report import FindingRecord, Report
from ..query.severity import SEVERITIES as _SEVERITIES

SEVERITIES = tuple(s.value for s in _SEVERITIES)
Labeller = Callable[[str], str]
_SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan"}


def short_name(arn: str) -> str:
    """Human label for an ARN or id: the resource part after the last '/' (or ':'), else the text itself."""
    if not arn:
        return ""
    if arn.startswith("arn:"):
        resource = arn.split(":", 5)[-1]
        if resource == "root":
            return arn.split(":")[4] + ":root"
        return resource.rsplit("/", 1)[-1] or resource
    return arn


def labeller(report: Report | None) -> Labeller:
    """Display label of a node id: for nodes that are no AWS entity (the admin sink, hubs) the graph's
    label from the report's node table (``ADMIN``, ``[new lambda resource]``), else the short name."""
    if report is None:
        return short_name

    def label(node_id: str) -> str:
        info = report.node(node_id)
        if info is not None and info.label and (info.kind is NodeKind.ADMIN or info.hub):
            return info.label
        return short_name(node_id)
    return label


def path_text(finding: FindingRecord, label: Labeller = short_name) -> str:
    """The finding's path as ``a -[lambda-001]-> b -[admin]-> ADMIN`` (labels from ``label``)."""
    if not finding.path:
        return label(finding.source)
    parts = [label(finding.path[0].src)]
    for hop in finding.path:
        mark = "?" if hop.conditional else ""
        parts.append(f" -[{hop.label}{mark}]-> {label(hop.dst)}")
    return "".join(parts)


def severity_counts(report: Report) -> dict[str, int]:
    """Number of findings per severity, every known severity present (0 when none)."""
    counts = Counter(f.severity_name or "low" for f in report.findings)
    return {s: counts.get(s, 0) for s in SEVERITIES} | {k: v for k, v in counts.items() if k not in SEVERITIES}


def summary_line(report: Report) -> str:
    """One line: principals, admins, findings by severity (and INCOMPLETE first when IAM was not fully read)."""
    counts = severity_counts(report)
    by_sev = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    line = (f"{report.principals} principals, {report.admins} admins, "
            f"{len(report.findings)} findings" + (f" ({by_sev})" if by_sev else ""))
    potential = sum(1 for f in report.findings if f.conditional)
    if potential:
        line += f", {potential} conditional"
    if report.analysis_incomplete:
        line = "INCOMPLETE analysis: " + line
    return line


def incomplete_lines(report: Report) -> list[str]:
    """The banner of an incomplete report: what could not be read, and which absent findings that hides."""
    if report.incomplete is None or not (report.incomplete.gaps or report.incomplete.callouts):
        return []
    head = ("INCOMPLETE: IAM data is missing or partial; this report cannot be relied on as complete"
            if report.incomplete.analysis else "Partial data: some findings may be missing or incomplete")
    return [head, *(f"  could not read: {r}" for r in report.incomplete.reasons),
            *(f"  {c}" for c in report.incomplete.callouts)]


def render_incomplete(report: Report, console: Console) -> None:
    """Print the incomplete banner (nothing for a complete report); account text is escaped."""
    lines = incomplete_lines(report)
    if not lines:
        return
    style = "bold white on red" if report.analysis_incomplete else "bold yellow"
    console.print(f"[{style}]{escape(lines[0])}[/]", highlight=False)
    for line in lines[1:]:
        console.print(escape(line), highlight=False)


def render_text(report: Report, *, console: Console, quiet: bool = False) -> None:
    """Print the report: summary table, findings table, warnings; ``quiet`` prints only the summary line.

    All account text is passed through ``rich.markup.escape`` so names like ``[bold]`` are shown verbatim.
    """
    if quiet:
        console.print(escape(summary_line(report)), highlight=False)
        return
    render_incomplete(report, console)
    label = labeller(report)
    table = Table(title="iamgraph summary", show_header=True, header_style="bold")
    table.add_column("accounts")
    table.add_column("principals", justify="right")
    table.add_column("admins", justify="right")
    for sev in SEVERITIES:
        table.add_column(sev, justify="right")
    counts = severity_counts(report)
    table.add_row(escape(", ".join(report.accounts)), str(report.principals),
                  str(report.admins), *(str(counts[s]) for s in SEVERITIES))
    console.print(table)

    findings = report.findings
    if findings:
        ft = Table(title=f"findings ({len(findings)})", show_header=True, header_style="bold", show_lines=False)
        ft.add_column("severity")
        ft.add_column("query")
        ft.add_column("source", overflow="fold")
        ft.add_column("target", overflow="fold")
        ft.add_column("path", overflow="fold")
        ft.add_column("", justify="center")
        order = {s: i for i, s in enumerate(SEVERITIES)}
        for f in sorted(findings, key=lambda f: (order.get(f.severity_name, 9), f.id)):
            sev = f.severity_name
            ft.add_row(f"[{_SEVERITY_STYLE.get(sev, '')}]{escape(sev)}[/]" if sev in _SEVERITY_STYLE else escape(sev),
                       escape(f.query), escape(label(f.source)),
                       escape(label(f.target or "")), escape(path_text(f, label)),
                       "conditional" if f.conditional else "")
        console.print(ft)
    else:
        console.print("No findings.")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    console.print(escape(summary_line(report)), highlight=False)


def render_permissions(report: Report, *, console: Console) -> None:
    """A principal's own permissions by service, from a finding about itself that lists them (reach)."""
    own = [f for f in report.findings if f.source == f.target and f.detail("permissions")]
    if not own:
        return
    perms = own[0].detail("permissions") or {}
    t = Table(title=f"permissions of {escape(labeller(report)(own[0].source))} (identity policies)",
              show_header=True, header_style="bold")
    t.add_column("service")
    t.add_column("allowed actions", overflow="fold")
    t.add_column("resources", overflow="fold")
    t.add_column("denied", overflow="fold")
    for svc, p in sorted(perms.items()):
        t.add_row(escape(svc), escape(", ".join(p.get("actions", []))), escape(", ".join(p.get("resources", []))),
                  escape(", ".join(p.get("denied", []))))
    console.print(t)
