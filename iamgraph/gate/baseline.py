"""Saved results (`scan --format json`) and the baseline filter: keep only findings that are new."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..collect.files import read_json
from ..errors import InputError
from ..query.report import BaselineEffect, Report


def is_result(obj: Any) -> bool:
    """A saved iamgraph result is a JSON object with `tool` and a `findings` list."""
    return isinstance(obj, dict) and "tool" in obj and isinstance(obj.get("findings"), list)


def check_result(obj: Any, *, file: str) -> Report:
    """A parsed result as a Report: every finding an object with a string `id` (InputError otherwise)."""
    if not is_result(obj):
        raise InputError(
            'not an iamgraph JSON result (expected an object with "tool" and "findings"; '
            "save one with `iamgraph scan --format json`)",
            file=file,
            path="$",
        )
    return Report.from_json(obj, file=file)


def load_result(path: str | Path) -> Report:
    """Read and validate a saved result file."""
    return check_result(read_json(path), file=str(path))


def known_ids(result: Report) -> set[str]:
    """Ids a result knows: its findings and the findings it had suppressed."""
    return {f.id for f in result.findings} | {s.finding.id for s in result.suppressed}


def filter_new(report: Report, baseline: Report, *, file: str) -> Report:
    """`report` keeping only findings whose id the baseline does not know, with the baseline effect:
    resolved counts baseline findings whose id is absent from the current report (found or suppressed)."""
    old = known_ids(baseline)
    current = known_ids(report)
    new = tuple(f for f in report.findings if f.id not in old)
    effect = BaselineEffect(
        file=file, new=len(new), resolved=len(old - current), unchanged=len(report.findings) - len(new)
    )
    return replace(report, findings=new, baseline=effect)
