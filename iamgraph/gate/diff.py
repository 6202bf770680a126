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

from .baseline import check_result
from .severity import rank_of, tripping

MatchKey = tuple[str, str, str, str]


def match_key(finding: dict[str, Any]) -> MatchKey:
    details = finding.get("details") or {}
    return (str(finding.get("query", "")), str(finding.get("source", "")), str(finding.get("target") or ""),
            str(details.get("kind", "")) if isinstance(details, dict) else "")


def _techniques(f: dict[str, Any]) -> str:
    return " -> ".join(str(h.get("technique", "")) for h in f.get("path", []) or []) or "-"


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Human-readable differences between two findings of the same subject."""
    out = []
    if old.get("severity") != new.get("severity"):
        out.append(f"severity {old.get('severity')} -> {new.get('severity')}")
    if bool(old.get("conditional")) != bool(new.get("conditional")):
        out.append("now definite" if not new.get("conditional") else "now conditional (potential)")
    if _techniques(old) != _techniques(new):
        out.append(f"path {_techniques(old)} => {_techniques(new)}")
    if bool(old.get("reaches_admin")) != bool(new.get("reaches_admin")):
        out.append("now reaches admin" if new.get("reaches_admin") else "no longer reaches admin")
    return out or ["evidence changed (same techniques, other statements or resources)"]


def diff_results(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """{"new": [finding], "resolved": [finding], "changed": [{"before", "after", "changes"}], "unchanged": n}."""
    old_ids = {f["id"] for f in old.get("findings", [])}
    new_ids = {f["id"] for f in new.get("findings", [])}
    gone: dict[MatchKey, list[dict[str, Any]]] = defaultdict(list)
    for f in old.get("findings", []):
        if f["id"] not in new_ids:
            gone[match_key(f)].append(f)
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for f in new.get("findings", []):
        if f["id"] in old_ids:
            continue
        candidates = gone.get(match_key(f))
        if candidates:
            before = candidates.pop(0)
            changed.append({"before": before, "after": f, "changes": changes_between(before, f)})
        else:
            added.append(f)
    resolved = [f for fs in gone.values() for f in fs]
    order = {f["id"]: i for i, f in enumerate(old.get("findings", []))}
    resolved.sort(key=lambda f: order[f["id"]])
    return {"new": added, "resolved": resolved, "changed": changed, "unchanged": len(old_ids & new_ids)}


def gating_findings(d: dict[str, Any]) -> list[dict[str, Any]]:
    """What `--fail-on` looks at in a diff: new findings, and changed ones whose severity rose."""
    return d["new"] + [c["after"] for c in d["changed"] if rank_of(c["after"]) > rank_of(c["before"])]


def diff_report(old: dict[str, Any], new: dict[str, Any], *, old_name: str, new_name: str,
                threshold: int | None = None) -> dict[str, Any]:
    """A result-shaped report of the diff: `findings` are the gating findings (so SARIF and the
    text renderer show what got worse) and `diff` holds the full comparison."""
    d = diff_results(old, new)
    findings = gating_findings(d)
    failing = tripping(findings, threshold)
    report: dict[str, Any] = {
        "schema_version": new.get("schema_version", "1"),
        "tool": new.get("tool", {"name": "iamgraph"}),
        "kind": "diff",
        "accounts": sorted(set(old.get("accounts", [])) | set(new.get("accounts", []))),
        "summary": {**new.get("summary", {}), "findings": len(findings), "new": len(d["new"]),
                    "resolved": len(d["resolved"]), "changed": len(d["changed"]), "unchanged": d["unchanged"]},
        "inputs": [new_name],
        "compared_with": old_name,
        "findings": findings,
        "diff": d,
        "warnings": list(dict.fromkeys([*old.get("warnings", []), *new.get("warnings", [])])),
    }
    if threshold is not None:
        report["gate"] = {"failing": [f["id"] for f in failing]}
    return report


def result_of(path: str | Path) -> dict[str, Any]:
    """A saved result as is; a GAAD file or snapshot scanned with the default queries."""
    from .. import api
    from ..collect.files import read_json
    from ..collect.loader import snapshot_from_json

    obj = read_json(path)
    if isinstance(obj, dict) and "tool" in obj and "findings" in obj:
        return check_result(obj, file=str(path))
    return api.run_queries(api.build_graph(snapshot_from_json([(obj, str(path))])), api.DEFAULT_QUERIES)
