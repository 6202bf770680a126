"""CI gates: baseline filtering, suppressions and the `--fail-on` exit code (pure except reading files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .baseline import filter_new, load_result
from .severity import parse_fail_on, tripping
from .suppressions import apply_suppressions, load_suppressions

EXIT_OK, EXIT_FINDINGS = 0, 1

__all__ = ["apply_gate", "parse_fail_on", "tripping", "recount"]


def recount(report: dict[str, Any]) -> dict[str, Any]:
    """Summary counts (findings, by_severity, reaching_admin, potential) of the findings still listed."""
    fs = report.get("findings", [])
    summary = dict(report.get("summary", {}))
    summary["findings"] = len(fs)
    summary["by_severity"] = {s: sum(1 for f in fs if f.get("severity") == s) for s in ("critical", "high", "medium", "low")}
    summary["reaching_admin"] = sum(1 for f in fs if f.get("query") == "privesc-to-admin" and not f.get("conditional"))
    summary["potential"] = sum(1 for f in fs if f.get("query") == "privesc-to-admin" and f.get("conditional"))
    return {**report, "summary": summary}


def apply_gate(report: dict[str, Any], *, baseline: Path | None, suppressions: Path | None, fail_on: str | None,
               today: dt.date | None = None) -> tuple[dict[str, Any], int, list[str]]:
    """Suppressions first, then the baseline, then the threshold: (filtered report, exit code, notes).

    Exit 1 when a remaining finding (new, unsuppressed) is at or above `fail_on`; conditional
    findings count at their own severity. Bad files or a bad `fail_on` raise InputError.
    """
    threshold = parse_fail_on(fail_on)   # validate before reading any file
    notes: list[str] = []
    out = report
    if suppressions is not None:
        out, notes = apply_suppressions(out, load_suppressions(suppressions), today=today or dt.date.today(),
                                        file=str(suppressions))
    if baseline is not None:
        out = filter_new(out, load_result(baseline), file=str(baseline))
    if suppressions is not None or baseline is not None:
        out = recount(out)
    failing = tripping(out.get("findings", []), threshold)
    if threshold is not None:
        out = {**out, "gate": {"fail_on": fail_on.strip().lower() if fail_on else None, "failing": [f["id"] for f in failing]}}
    return out, (EXIT_FINDINGS if failing else EXIT_OK), notes
