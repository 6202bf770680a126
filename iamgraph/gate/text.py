"""Terminal rendering of a diff report (rich; account text is always escaped)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..query.report import FindingRecord, Report
from ..render.text import Labeller, labeller, path_text, render_incomplete


def _table(title: str, rows: list[tuple[str, ...]], columns: tuple[str, ...]) -> Table:
    t = Table(title=title, show_header=True, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*(escape(x) for x in r))
    return t


def _row(f: FindingRecord, label: Labeller) -> tuple[str, ...]:
    return (f.severity_name, f.query, label(f.source), path_text(f, label) + (" (conditional)" if f.conditional else ""),
            f.id)


def render_diff_text(report: Report, *, console: Console, quiet: bool = False) -> None:
    """New, changed and resolved findings, then one summary line (the only line when quiet)."""
    d = report.diff
    assert d is not None, "render_diff_text needs a diff report"
    label = labeller(report)
    cols = ("severity", "query", "source", "path", "id")
    if not quiet:
        render_incomplete(report, console)
        if d.new:
            console.print(_table(f"new findings ({len(d.new)})", [_row(f, label) for f in d.new], cols))
        if d.changed:
            rows = [(*_row(c.after, label)[:4], "; ".join(c.changes), f"{c.before.id} -> {c.after.id}") for c in d.changed]
            console.print(_table(f"changed findings ({len(d.changed)})", rows, (*cols[:4], "change", "id")))
        if d.resolved:
            console.print(_table(f"resolved findings ({len(d.resolved)})", [_row(f, label) for f in d.resolved], cols))
        for w in report.warnings:
            console.print(f"[yellow]warning:[/] {escape(str(w))}", highlight=False)
    line = f"{len(d.new)} new, {len(d.changed)} changed, {len(d.resolved)} resolved, {d.unchanged} unchanged"
    if report.gate is not None:
        n = len(report.gate.failing)
        line += f"; {n} at or above the --fail-on threshold" if n else "; nothing at or above the --fail-on threshold"
    if report.analysis_incomplete:
        line = "INCOMPLETE analysis: " + line
    console.print(escape(line), highlight=False)
