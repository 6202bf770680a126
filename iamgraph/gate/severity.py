"""Severity thresholds for `--fail-on`: parse the option, decide whether findings trip it."""

from __future__ import annotations

from collections.abc import Iterable

from ..query.report import FindingRecord
from ..query.severity import Severity

SEVERITY_RANK = {s.value: s.rank for s in Severity}  # derived from the one table (query/severity.py)


def parse_fail_on(value: str | None) -> int | None:
    """Rank of a `--fail-on` value (None when not given); anything else is an InputError."""
    return None if value is None else Severity.parse(value).rank


def rank_of(finding: FindingRecord) -> int:
    """Rank of a finding's severity (0 for an unknown severity, which never trips a gate)."""
    return finding.rank


def tripping(findings: Iterable[FindingRecord], threshold: int | None) -> list[FindingRecord]:
    """Findings at or above the threshold (conditional findings count at their own severity)."""
    if threshold is None:
        return []
    return [f for f in findings if f.rank >= threshold]
