"""Terminal rendering of a diff report (rich; account text is always escaped)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..query.report import FindingRecord, Report
from .terminal import line, plain
from .text import Labeller, labeller, render_incomplete


def _lines(
    console: Console, title: str, findings: list[FindingRecord], label: Labeller, changes: dict[str, str] | None = None
) -> None:
    """A heading, then one line per finding (severity, id never wrapped, path, query, status), and for a
    changed finding what changed."""
    from .text_blocks import finding_line, ordered, wrap

    console.print(Text(title, style="bold"))
    for f in ordered(findings):
        console.print(finding_line(f, label), no_wrap=True, crop=False, overflow="ignore", highlight=False)
        if changes and f.id in changes:
            for text in wrap(changes[f.id], console.width or 80, "    ", "      "):
                console.print(plain(text), no_wrap=True, crop=False, overflow="ignore", highlight=False)


def render_diff_text(report: Report, *, console: Console, quiet: bool = False) -> None:
    """New, changed and resolved findings, then one summary line (the only line when quiet)."""
    d = report.diff
    assert d is not None, "render_diff_text needs a diff report"
    label = labeller(report)
    if not quiet:
        render_incomplete(report, console)
        if d.new:
            _lines(console, f"new findings ({len(d.new)})", list(d.new), label)
        if d.changed:
            _lines(
                console,
                f"changed findings ({len(d.changed)})",
                [c.after for c in d.changed],
                label,
                {c.after.id: f"was {c.before.id}: " + "; ".join(c.changes) for c in d.changed},
            )
        if d.resolved:
            _lines(console, f"resolved findings ({len(d.resolved)})", list(d.resolved), label)
        for w in report.warnings:
            console.print(line(("warning:", "yellow"), " ", str(w)), highlight=False)
    summary = f"{len(d.new)} new, {len(d.changed)} changed, {len(d.resolved)} resolved, {d.unchanged} unchanged"
    if report.gate is not None:
        n = len(report.gate.failing)
        summary += (
            f"; {n} at or above the --fail-on threshold" if n else "; nothing at or above the --fail-on threshold"
        )
    if report.analysis_incomplete:
        summary = "INCOMPLETE analysis: " + summary
    console.print(plain(summary), highlight=False)
