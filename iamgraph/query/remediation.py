"""Remediation text keyed to the technique of a path's first hop."""

from __future__ import annotations

from ..techniques.registry import by_id
from .base import Hop

_GENERIC = {
    "admin": "Replace `*` on `*` with the actions and resources this principal needs.",
    "member-of": "Review the group's policies.",
}


def remediation_for(path: tuple[Hop, ...]) -> str:
    """Concrete advice for breaking the first hop, citing the statements that enable it."""
    if not path:
        return ""
    ev = path[0].evidence
    tech = by_id().get(ev.technique)
    advice = (
        tech.remediation
        if tech and tech.remediation
        else _GENERIC.get(ev.technique, "Narrow the statements cited in the evidence.")
    )
    rows: list[dict[str, object]] = [row for g in ev.grants for row in g.to_json()]
    cites = sorted(
        {
            f"{r['policy']} statement {r['statement']}" + (f" ({r['sid']})" if r.get("sid") else "")
            for r in rows
            if r.get("policy") and r.get("statement") is not None
        }
    )
    if cites:
        advice += (" Enabling statement: " if len(cites) == 1 else " Enabling statements: ") + "; ".join(cites) + "."
    return advice
