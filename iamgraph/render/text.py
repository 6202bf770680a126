"""Terminal rendering of a report dict (design.md §6) with rich; also the small text helpers other renderers share."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

SEVERITIES = ("critical", "high", "medium", "low")
_SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan"}


def short_name(arn: str) -> str:
    """Human label for an ARN or id: the resource part after the last '/' (or ':'), else the text itself."""
    if not arn:
        return ""
    if arn == "iamgraph:admin":
        return "ADMIN"
    if arn.startswith("iamgraph:new:") or arn.startswith("iamgraph:existing:"):
        kind, service = arn.split(":")[1:3]
        return f"[{kind} {service.split('.')[0]} resource]"
    if arn.startswith("arn:"):
        resource = arn.split(":", 5)[-1]
        if resource == "root":
            return arn.split(":")[4] + ":root"
        return resource.rsplit("/", 1)[-1] or resource
    return arn


def path_text(finding: dict) -> str:
    """The finding's path as ``a -[lambda-001]-> b -[admin]-> ADMIN`` (short names)."""
    path = finding.get("path") or []
    if not path:
        return short_name(finding.get("source", ""))
    parts = [short_name(path[0].get("from", ""))]
    for hop in path:
        mark = "?" if hop.get("conditional") else ""
        parts.append(f" -[{hop.get('technique') or hop.get('kind', '')}{mark}]-> {short_name(hop.get('to', ''))}")
    return "".join(parts)


def severity_counts(report: dict) -> dict[str, int]:
    """Number of findings per severity, every known severity present (0 when none)."""
    counts = Counter(f.get("severity", "low") for f in report.get("findings", []))
    return {s: counts.get(s, 0) for s in SEVERITIES} | {k: v for k, v in counts.items() if k not in SEVERITIES}


def summary_line(report: dict) -> str:
    """One line: principals, admins, findings by severity."""
    summary = report.get("summary", {})
    counts = severity_counts(report)
    by_sev = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    findings = len(report.get("findings", []))
    line = (f"{summary.get('principals', 0)} principals, {summary.get('admins', 0)} admins, "
            f"{findings} findings" + (f" ({by_sev})" if by_sev else ""))
    potential = sum(1 for f in report.get("findings", []) if f.get("conditional"))
    if potential:
        line += f", {potential} conditional"
    return line


def render_text(report: dict, *, console: Console, quiet: bool = False) -> None:
    """Print the report: summary table, findings table, warnings; ``quiet`` prints only the summary line.

    All account text is passed through ``rich.markup.escape`` so names like ``[bold]`` are shown verbatim.
    """
    if quiet:
        console.print(escape(summary_line(report)), highlight=False)
        return
    summary = report.get("summary", {})
    table = Table(title="iamgraph summary", show_header=True, header_style="bold")
    table.add_column("accounts")
    table.add_column("principals", justify="right")
    table.add_column("admins", justify="right")
    for sev in SEVERITIES:
        table.add_column(sev, justify="right")
    counts = severity_counts(report)
    table.add_row(escape(", ".join(report.get("accounts", []))), str(summary.get("principals", 0)),
                  str(summary.get("admins", 0)), *(str(counts[s]) for s in SEVERITIES))
    console.print(table)

    findings = report.get("findings", [])
    if findings:
        ft = Table(title=f"findings ({len(findings)})", show_header=True, header_style="bold", show_lines=False)
        ft.add_column("severity")
        ft.add_column("query")
        ft.add_column("source", overflow="fold")
        ft.add_column("target", overflow="fold")
        ft.add_column("path", overflow="fold")
        ft.add_column("", justify="center")
        order = {s: i for i, s in enumerate(SEVERITIES)}
        for f in sorted(findings, key=lambda f: (order.get(f.get("severity", ""), 9), f.get("id", ""))):
            sev = f.get("severity", "")
            ft.add_row(f"[{_SEVERITY_STYLE.get(sev, '')}]{escape(sev)}[/]" if sev in _SEVERITY_STYLE else escape(sev),
                       escape(f.get("query", "")), escape(short_name(f.get("source", ""))),
                       escape(short_name(f.get("target", ""))), escape(path_text(f)),
                       "conditional" if f.get("conditional") else "")
        console.print(ft)
    else:
        console.print("No findings.")
    for warning in report.get("warnings", []):
        console.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    console.print(escape(summary_line(report)), highlight=False)


def render_permissions(report: dict, *, console: Console) -> None:
    """For `reach`: the principal's own permissions by service (from the "Own permissions" finding)."""
    own = [f for f in report.get("findings", []) if f.get("query") == "reach" and f.get("source") == f.get("target")]
    if not own:
        return
    perms = (own[0].get("details") or {}).get("permissions") or {}
    if not perms:
        return
    t = Table(title=f"permissions of {escape(short_name(own[0].get('source', '')))} (identity policies)",
              show_header=True, header_style="bold")
    t.add_column("service")
    t.add_column("allowed actions", overflow="fold")
    t.add_column("resources", overflow="fold")
    t.add_column("denied", overflow="fold")
    for svc, p in sorted(perms.items()):
        t.add_row(escape(svc), escape(", ".join(p.get("actions", []))), escape(", ".join(p.get("resources", []))),
                  escape(", ".join(p.get("denied", []))))
    console.print(t)
