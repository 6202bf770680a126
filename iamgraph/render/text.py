"""Terminal rendering of a Report with rich; also the small text helpers other renderers share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rich.console import Console

from ..model import NodeKind, account_of
from ..query.report import FindingRecord, Report
from ..query.severity import SEVERITIES as _SEVERITIES
from ..techniques.base import ADMIN_NODE
from .terminal import line, plain

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
    """Display label of a node id: for nodes that are no AWS entity (the admin sink, hubs) and for
    Identity Center people and groups the graph's label from the report's node table (``ADMIN``,
    ``[new lambda resource]``, ``alice@corp``), else the short name. A report of several accounts
    names the account of every node: ``deploy (222222222222)``, ``ADMIN 222222222222``."""
    if report is None:
        return short_name
    multi = len(report.accounts) > 1

    def label(node_id: str) -> str:
        info = report.node(node_id)
        if info is not None and info.label and (info.kind in _LABELLED or info.hub):
            return info.label
        return account_label(node_id) if multi else short_name(node_id)

    return label


_LABELLED = (NodeKind.ADMIN, NodeKind.IDC_USER, NodeKind.IDC_GROUP)
SINK_PREFIX = ADMIN_NODE + ":"  # per-account admin sinks: iamgraph:admin:<account>


def account_label(node_id: str) -> str:
    """A node with its account: ``deploy (222222222222)``, ``ADMIN 222222222222``, an Identity
    Center user or group by its id (``identity-center user/…``)."""
    if node_id.startswith(SINK_PREFIX):
        return f"ADMIN {node_id[len(SINK_PREFIX) :]}"
    if node_id.startswith("arn:aws:identitystore:"):
        return f"identity-center {node_id.split(':', 5)[-1]}"
    name = short_name(node_id)
    acct = account_of(node_id)
    return f"{name} ({acct})" if acct else name


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


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 finding``, ``2 findings`` (``many`` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def summary_line(report: Report) -> str:
    """One line: principals, admins, findings by severity (and INCOMPLETE first when IAM was not fully read)."""
    counts = severity_counts(report)
    by_sev = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    line = (
        f"{plural(report.principals, 'principal')}, {plural(report.admins, 'admin')}, "
        f"{plural(len(report.findings), 'finding')}" + (f" ({by_sev})" if by_sev else "")
    )
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
    head = (
        "INCOMPLETE: IAM data is missing or partial; this report cannot be relied on as complete"
        if report.incomplete.analysis
        else "Partial data: some findings may be missing or incomplete"
    )
    return [
        head,
        *(f"  could not read: {r}" for r in report.incomplete.reasons),
        *(f"  {c}" for c in report.incomplete.callouts),
    ]


def render_incomplete(report: Report, console: Console) -> None:
    """Print the incomplete banner (nothing for a complete report); account text is escaped."""
    lines = incomplete_lines(report)
    if not lines:
        return
    style = "bold white on red" if report.analysis_incomplete else "bold yellow"
    console.print(plain(lines[0], style), highlight=False)
    for text in lines[1:]:
        console.print(plain(text), highlight=False)


def render_text(report: Report, *, console: Console, quiet: bool = False) -> None:
    """Print the report: one block per finding (title, severity, source -> target, each hop with its technique,
    actions, the statements that allow them, what makes it conditional, remediation), then warnings, gate
    effects and the summary line. ``quiet``: one line per finding and the summary line. Blocks fit 80
    columns and use 200; ids are never wrapped. Account text is printed verbatim, never as markup.
    """
    from .text_blocks import finding_block, finding_line, gate_lines, ordered

    label = labeller(report)
    width = console.width or 80
    if quiet:
        for f in ordered(report.findings):
            console.print(finding_line(f, label), no_wrap=True, crop=False, overflow="ignore", highlight=False)
        for text in gate_lines(report, width):
            console.print(plain(text), highlight=False)
        console.print(plain(summary_line(report)), highlight=False)
        return
    render_incomplete(report, console)
    accounts = ", ".join(report.accounts) or "no account"
    console.print(
        line(
            ("iamgraph", "bold"),
            " ",
            ("account " if len(report.accounts) == 1 else "accounts ") + accounts,
            f": {plural(report.principals, 'principal')}, {plural(report.admins, 'admin')}",
        ),
        highlight=False,
    )
    if report.findings:
        console.print(f"[bold]{plural(len(report.findings), 'finding')}[/]", highlight=False)
        for f in ordered(report.findings):
            console.print()
            for block_line in finding_block(f, label, width=width, nodes=report.node):
                console.print(block_line, no_wrap=True, crop=False, overflow="ignore", highlight=False)
    else:
        console.print("No findings.")
    console.print()
    for warning in report.warnings:
        console.print(line(("warning:", "yellow"), " ", str(warning)), highlight=False)
    for text in gate_lines(report, width):
        console.print(plain(text), highlight=False)
    console.print(plain(summary_line(report)), highlight=False)


def render_permissions(report: Report, *, console: Console) -> None:
    """`reach`: what the principal can do, action -> resources with conditions, for itself and then for each
    principal it can become, grouped by hop count (from the findings' ``effective`` details)."""
    from .text_blocks import permission_blocks

    for block_line in permission_blocks(report, labeller(report), width=console.width or 80):
        console.print(block_line, no_wrap=True, crop=False, overflow="ignore", highlight=False)
