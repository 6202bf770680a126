"""CI gates: baseline filtering, suppressions and the `--fail-on` exit code (pure except reading files)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from ..query.report import GateResult, Report
from ..query.severity import Severity
from .baseline import filter_new, load_result
from .exit_codes import ExitCode
from .severity import parse_fail_on, tripping
from .suppressions import apply_suppressions, load_suppressions

EXIT_OK, EXIT_FINDINGS, EXIT_INCOMPLETE = ExitCode.OK, ExitCode.FINDINGS, ExitCode.INCOMPLETE

__all__ = ["ExitCode", "apply_gate", "gate_exit", "parse_fail_on", "tripping"]


def gate_exit(report: Report) -> ExitCode:
    """The exit code a gated report asks for: 1 when a finding trips the threshold, else 3 when the
    analysis is incomplete and not accepted (`--allow-incomplete`), else 0."""
    g = report.gate
    if g is None:
        return ExitCode.OK
    if g.failing:
        return ExitCode.FINDINGS
    if g.incomplete and not g.allow_incomplete:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def apply_gate(
    report: Report,
    *,
    baseline: Path | None,
    suppressions: Path | None,
    fail_on: str | None,
    today: dt.date | None = None,
    allow_incomplete: bool = False,
) -> tuple[Report, int, list[str]]:
    """Suppressions first, then the baseline, then the threshold: (filtered report, exit code, notes).

    Exit 1 when a remaining finding (new, unsuppressed) is at or above `fail_on`; conditional
    findings count at their own severity. With `fail_on` and an incomplete analysis (IAM data
    missing or partial) and nothing tripping: exit 3, unless `allow_incomplete`. Bad files or a bad
    `fail_on` raise InputError.
    """
    threshold = parse_fail_on(fail_on)  # validate before reading any file
    notes: list[str] = []
    out = report
    if suppressions is not None:
        out, notes = apply_suppressions(
            out, load_suppressions(suppressions), today=today or dt.date.today(), file=str(suppressions)
        )
        if notes:  # expired suppressions are said in the result too (JSON `warnings`), not only on stderr
            out = replace(out, warnings=(*out.warnings, *notes))
    if baseline is not None:
        out = filter_new(out, load_result(baseline), file=str(baseline))
    if threshold is not None:
        assert fail_on is not None
        failing = tripping(out.findings, threshold)
        out = replace(
            out,
            gate=GateResult(
                fail_on=Severity.parse(fail_on),
                failing=tuple(f.id for f in failing),
                incomplete=out.analysis_incomplete,
                allow_incomplete=allow_incomplete,
            ),
        )
        if out.analysis_incomplete and not failing:
            notes.append(
                "the analysis is incomplete (IAM data missing or partial): exit 3"
                if not allow_incomplete
                else "the analysis is incomplete; accepted by --allow-incomplete"
            )
    return out, int(gate_exit(out)), notes
