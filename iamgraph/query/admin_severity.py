"""One severity per fact about administrator access, whichever query reports it (scan, path, reach, who-can,
check-policy): a definite escalation path to admin is critical, a potential (conditional) one medium, and
being administrator outright (the `admins` fact) low."""

from __future__ import annotations

from collections.abc import Iterable

from ..graph.model import IamGraph
from .base import Hop
from .severity import Severity

DEFINITE_ESCALATION = Severity.CRITICAL
POTENTIAL_ESCALATION = Severity.MEDIUM
ADMIN_OUTRIGHT = Severity.LOW


def admin_path_severity(graph: IamGraph, source: str, path: Iterable[Hop]) -> Severity:
    """Severity of "`source` reaches admin along `path`"."""
    if graph.is_admin(source):
        return ADMIN_OUTRIGHT
    return POTENTIAL_ESCALATION if any(h.evidence.conditional for h in path) else DEFINITE_ESCALATION
