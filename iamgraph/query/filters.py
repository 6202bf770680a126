"""Finding filters every analysis command offers: --min-severity, --status, --query, --skip-admins.

Pure over a Report: the kept findings, with the summary recomputed from them (Report derives its counts).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from enum import Enum

from .report import FindingRecord, Report
from .severity import Severity


class Status(str, Enum):
    """A finding's status: definite, or conditional (a potential path resting on an undecidable condition or
    missing data)."""

    DEFINITE = "definite"
    CONDITIONAL = "conditional"


def keep(
    f: FindingRecord,
    *,
    min_severity: Severity | None = None,
    status: Status | None = None,
    queries: Collection[str] = (),
    skip: Callable[[str], bool] | None = None,
) -> bool:
    """Whether finding `f` passes the filters (`skip(source)` True drops it, e.g. an administrator)."""
    if min_severity is not None and (f.severity is None or f.severity.rank < min_severity.rank):
        return False
    if status is not None and (f.conditional != (status is Status.CONDITIONAL)):
        return False
    if queries and f.query not in queries:
        return False
    return not (skip is not None and skip(f.source))


def filter_report(
    report: Report,
    *,
    min_severity: Severity | None = None,
    status: Status | None = None,
    queries: Collection[str] = (),
    skip: Callable[[str], bool] | None = None,
) -> Report:
    """`report` with only the findings that pass (`skip`: sources to leave out, e.g. admins for --skip-admins)."""
    if min_severity is None and status is None and not queries and skip is None:
        return report
    return report.with_findings(
        [f for f in report.findings if keep(f, min_severity=min_severity, status=status, queries=queries, skip=skip)]
    )
