"""Diff of two results: new, resolved and changed findings.

Two findings are the *same finding* when their ids are equal. Otherwise they are the *same
subject* — and the pair is reported as changed — when they share the matching key
(query, source, target, details.kind): e.g. the same principal now reaches admin by another
path, or the same path became definite / changed severity.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..query.report import ChangedFinding, DiffResult, FindingRecord, GateResult, Incompleteness, Report, ReportKind
from .baseline import check_result
from .severity import tripping

MatchKey = tuple[str, str, str, str]


def match_key(finding: FindingRecord) -> MatchKey:
    kind = finding.detail("kind")
    return (finding.query, finding.source, finding.target or "", str(kind) if kind is not None else "")


def _techniques(f: FindingRecord) -> str:
    return " -> ".join(h.technique for h in f.path) or "-"


def changes_between(old: FindingRecord, new: FindingRecord) -> list[str]:
    """Human-readable differences between two findings of the same subject."""
    out = []
    if old.severity_name != new.severity_name:
        out.append(f"severity {old.severity_name} -> {new.severity_name}")
    if old.conditional != new.conditional:
        out.append("now definite" if not new.conditional else "now conditional (potential)")
    if _techniques(old) != _techniques(new):
        out.append(f"path {_techniques(old)} => {_techniques(new)}")
    if old.reaches_admin != new.reaches_admin:
        out.append("now reaches admin" if new.reaches_admin else "no longer reaches admin")
    return out or ["evidence changed (same techniques, other statements or resources)"]


def diff_results(old: Report, new: Report) -> DiffResult:
    """New, resolved and changed findings of `new` relative to `old`."""
    old_ids = {f.id for f in old.findings}
    new_ids = {f.id for f in new.findings}
    gone: dict[MatchKey, list[FindingRecord]] = defaultdict(list)
    for f in old.findings:
        if f.id not in new_ids:
            gone[match_key(f)].append(f)
    added: list[FindingRecord] = []
    changed: list[ChangedFinding] = []
    for f in new.findings:
        if f.id in old_ids:
            continue
        candidates = gone.get(match_key(f))
        if candidates:
            before = candidates.pop(0)
            changed.append(ChangedFinding(before=before, after=f, changes=tuple(changes_between(before, f))))
        else:
            added.append(f)
    resolved = [f for fs in gone.values() for f in fs]
    order = {f.id: i for i, f in enumerate(old.findings)}
    resolved.sort(key=lambda f: order[f.id])
    return DiffResult(
        new=tuple(added), resolved=tuple(resolved), changed=tuple(changed), unchanged=len(old_ids & new_ids)
    )


def gating_findings(d: DiffResult) -> list[FindingRecord]:
    """What `--fail-on` looks at in a diff: new findings, and changed ones whose severity rose."""
    return [*d.new, *(c.after for c in d.changed if c.after.rank > c.before.rank)]


def diff_report(
    old: Report,
    new: Report,
    *,
    old_name: str,
    new_name: str,
    threshold: int | None = None,
    allow_incomplete: bool = False,
) -> Report:
    """A result-shaped report of the diff: `findings` are the gating findings (so SARIF and the
    text renderer show what got worse) and `diff` holds the full comparison. Either side being
    incomplete makes the diff incomplete."""
    from ..query.severity import Severity

    d = diff_results(old, new)
    findings = gating_findings(d)
    failing = tripping(findings, threshold)
    gaps = tuple(
        dict.fromkeys(
            [*(old.incomplete.gaps if old.incomplete else ()), *(new.incomplete.gaps if new.incomplete else ())]
        )
    )
    callouts = tuple(
        dict.fromkeys(
            [*(old.incomplete.callouts if old.incomplete else ()), *(new.incomplete.callouts if new.incomplete else ())]
        )
    )
    incomplete = Incompleteness(gaps=gaps, callouts=callouts) if gaps or callouts else None
    queries = {q.id: q for q in (*old.queries, *new.queries)}
    sev = next((s for s in Severity if s.rank == threshold), None)
    return Report(
        schema_version=new.schema_version,
        tool_name=new.tool_name,
        tool_version=new.tool_version,
        kind=ReportKind.DIFF,
        accounts=tuple(sorted(set(old.accounts) | set(new.accounts))),
        principals=new.principals,
        admins=new.admins,
        findings=tuple(findings),
        warnings=tuple(dict.fromkeys([*old.warnings, *new.warnings])),
        incomplete=incomplete,
        queries=tuple(queries.values()),
        nodes={**old.nodes, **new.nodes},
        inputs=(new_name,),
        compared_with=old_name,
        diff=d,
        gate=GateResult(
            fail_on=sev,
            failing=tuple(f.id for f in failing),
            incomplete=incomplete is not None and incomplete.analysis,
            allow_incomplete=allow_incomplete,
        )
        if threshold is not None
        else None,
    )


def result_of(path: str | Path, *, queries: Any = None) -> Report:
    """A saved result as is; a GAAD file or snapshot scanned with the default queries."""
    from .. import api
    from ..collect.files import read_json
    from ..collect.loader import snapshot_from_json

    obj = read_json(path)
    if isinstance(obj, dict) and "tool" in obj and "findings" in obj:
        return check_result(obj, file=str(path))
    return api.run(api.build_graph(snapshot_from_json([(obj, str(path))])), queries)
