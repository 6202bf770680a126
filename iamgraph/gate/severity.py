"""Severity thresholds for `--fail-on`: parse the option, decide whether findings trip it."""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import InputError

SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}


def parse_fail_on(value: str | None) -> int | None:
    """Rank of a `--fail-on` value (None when not given); anything else is an InputError."""
    if value is None:
        return None
    rank = SEVERITY_RANK.get(value.strip().lower())
    if rank is None:
        raise InputError(f"--fail-on must be one of critical, high, medium, low (got {value!r})", file="<command line>")
    return rank


def rank_of(finding: dict[str, Any]) -> int:
    """Rank of a finding's severity (0 for an unknown severity, which never trips a gate)."""
    return SEVERITY_RANK.get(str(finding.get("severity", "")).lower(), 0)


def tripping(findings: Iterable[dict[str, Any]], threshold: int | None) -> list[dict[str, Any]]:
    """Findings at or above the threshold (conditional findings count at their own severity)."""
    if threshold is None:
        return []
    return [f for f in findings if rank_of(f) >= threshold]
