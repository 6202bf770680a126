"""The narrowest fix for a policy that opens a path to admin, verified by re-running the check.

One edit per round on the policy JSON, driven by the first hop of an opened path that cites the
tried policy: iam:PassRole is restricted to the roles trusting that service that lead nowhere
near admin (with iam:PassedToService); any other action is removed from its statement (or, when
only a wildcard grants it, denied on the hop's target). Each round re-runs check-policy.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

from ..collect.policy_parse import parse_policy_document
from ..evaluate.matching import action_matches, resource_matches
from ..model import Snapshot
from ..query.report import HopRecord
from ..techniques.registry import by_id
from .check import Applied, Change, Scan, check_policy, cites, is_admin_finding, reachable

MAX_ROUNDS = 4
_CANON = {
    k.lower(): k
    for k in (
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "Principal",
        "NotPrincipal",
    )
}


def normalized(raw: Any) -> dict[str, Any]:
    """A deep copy of a policy document with canonical key names and a Statement list."""
    doc = copy.deepcopy(raw) if isinstance(raw, dict) else json.loads(raw)
    keys = {k.lower(): k for k in doc}
    stmts = doc.get(keys.get("statement", "Statement"), [])
    stmts = [stmts] if isinstance(stmts, dict) else list(stmts)
    out: dict[str, Any] = {"Version": doc.get(keys.get("version", "Version"), "2012-10-17")}
    out["Statement"] = [{_CANON.get(k.lower(), k): v for k, v in s.items()} for s in stmts]
    return out


def _as_list(v: Any) -> list[str]:
    return [v] if isinstance(v, str) else list(v or [])


def _sid(doc: dict[str, Any], base: str) -> str:
    taken = {s.get("Sid") for s in doc["Statement"]}
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}{n}", n + 1
    return sid


def _label(doc: dict[str, Any], i: int) -> str:
    sid = doc["Statement"][i].get("Sid")
    return f"statement {i}" + (f" ({sid})" if sid else "")


def _safe_roles(after: Scan, service: str, patterns: list[str]) -> list[str]:
    """Roles trusting `service`, matched by the statement's Resource, that are not and cannot become admin."""
    g = after.graph
    out = []
    for role, _res in g.context.roles_trusting_service(service):
        if not any(resource_matches(p, role.arn) for p in patterns):
            continue
        if g.is_admin(role.arn) or any(g.is_admin_sink(n) for n in reachable(g, role.arn)):
            continue
        out.append(role.arn)
    return sorted(out)


def _fix_passrole(doc: dict[str, Any], i: int, service: str, after: Scan) -> str:
    st = doc["Statement"][i]
    actions = _as_list(st.get("Action"))
    literal = [a for a in actions if a.lower() == "iam:passrole"]
    patterns = _as_list(st.get("Resource")) or ["*"]
    safe = _safe_roles(after, service, patterns)
    narrowed = {
        "Sid": "",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": safe,
        "Condition": {"StringEquals": {"iam:PassedToService": service}},
    }
    if literal and len(actions) == len(literal):
        if not safe:
            del doc["Statement"][i]
            return f"removed {_label_of(st, i)}: no role trusting {service} that it names is safe to pass"
        cond = copy.deepcopy(st.get("Condition") or {})
        cond.setdefault("StringEquals", {})["iam:PassedToService"] = service
        st["Resource"], st["Condition"] = safe, cond
        return (
            f"{_label_of(st, i)}: iam:PassRole restricted to {', '.join(safe)} "
            f"with Condition StringEquals iam:PassedToService = {service}"
        )
    if literal:
        st["Action"] = [a for a in actions if a.lower() != "iam:passrole"]
        msg = f"{_label_of(st, i)}: removed iam:PassRole"
        if safe:
            narrowed["Sid"] = _sid(doc, "PassRoleNarrowed")
            doc["Statement"].append(narrowed)
            msg += (
                f"; added statement {narrowed['Sid']} allowing iam:PassRole only on {', '.join(safe)} "
                f"with iam:PassedToService = {service}"
            )
        return msg
    deny: dict[str, Any] = {"Sid": _sid(doc, "DenyPassRoleExceptNamed"), "Effect": "Deny", "Action": "iam:PassRole"}
    if safe:
        deny["NotResource"] = safe
    else:
        deny["Resource"] = "*"
    doc["Statement"].append(deny)
    return (
        f"{_label_of(st, i)} grants iam:PassRole through a wildcard: added statement {deny['Sid']} denying "
        f"iam:PassRole " + (f"on every role except {', '.join(safe)}" if safe else "on every role")
    )


def _label_of(st: dict[str, Any], i: int) -> str:
    return f"statement {i}" + (f" ({st['Sid']})" if st.get("Sid") else "")


def _fix_action(doc: dict[str, Any], i: int, action: str, resource: str, own: set[str]) -> str:
    """Remove `action` from statement i; when a wildcard grants it, deny it on the principal itself
    (self-escalation) or else on every resource the statement names."""
    st = doc["Statement"][i]
    actions = _as_list(st.get("Action"))
    literal = [a for a in actions if a.lower() == action.lower()]
    if literal:
        rest = [a for a in actions if a.lower() != action.lower()]
        if rest:
            st["Action"] = rest if len(rest) > 1 else rest[0]
            return f"{_label_of(st, i)}: removed {action}"
        del doc["Statement"][i]
        return f"removed {_label_of(st, i)} (it only allowed {action})"
    target = [resource] if resource in own else (_as_list(st.get("Resource")) or ["*"])
    deny = {"Sid": _sid(doc, "DenyEscalation"), "Effect": "Deny", "Action": action, "Resource": target}
    doc["Statement"].append(deny)
    granted_by = next((a for a in actions if action_matches(a, action)), "a wildcard")
    return f"{_label_of(st, i)} grants {action} through {granted_by}: added statement {deny['Sid']} denying it on {', '.join(target)}"


def _first_cited_hop(result: dict[str, Any], after: Scan, applied: Applied) -> HopRecord | None:
    opened = {o["principal"] for o in result["opened"]}
    for f in after.report.findings:
        if not is_admin_finding(after.report, f) or f.source not in opened:
            continue
        for hop in f.path:
            if any(cites(r, applied.ref) for r in hop.evidence):
                return hop
    return None


def _priority(action: str) -> tuple[int, str]:
    a = action.lower()
    return (0 if a.startswith(("iam:", "sts:")) else 1, a)


def plan(doc: dict[str, Any], hop: HopRecord, applied: Applied, after: Scan) -> str | None:
    """Edit `doc` in place to break `hop`; returns what was changed (None: no edit possible)."""
    rows = [(r, r.statement) for r in hop.evidence if cites(r, applied.ref) and r.statement is not None]
    if not rows:
        return None
    tech = by_id().get(hop.technique)
    service = getattr(tech, "service", "") if tech is not None else ""
    pr = next(((r, i) for r, i in rows if r.action.lower() == "iam:passrole"), None)
    if hop.kind == "pass_role" and pr is not None and service and pr[1] < len(doc["Statement"]):
        return _fix_passrole(doc, pr[1], service, after)
    row, index = sorted(rows, key=lambda ri: _priority(ri[0].action))[0]
    if index >= len(doc["Statement"]):
        return None
    own = {applied.target, *applied.subjects}
    return _fix_action(doc, index, row.action, row.resource or "*", own)


def suggest_fix(
    snapshot: Snapshot, change: Change, result: dict[str, Any], applied: Applied, after: Scan, before: Scan
) -> dict[str, Any] | None:
    """A narrowed policy and whether re-checking it closes every opened admin path (None: nothing opened)."""
    if not result["opens_admin_path"]:
        return None
    doc = normalized(change.document.raw)
    changes: list[str] = []
    current = result
    note = "no statement of this policy is cited by the opened path(s); no automatic fix"
    for _ in range(MAX_ROUNDS):
        hop = _first_cited_hop(current, after, applied)
        if hop is None:
            break
        if hop.kind == "admin":
            note = (
                "this policy itself makes the principal an administrator (it allows every action on every "
                "resource); replace the wildcard statement with the actions and resources needed"
            )
            break
        what = plan(doc, hop, applied, after)
        if what is None:
            break
        changes.append(what)
        tried = replace(change, document=parse_policy_document(copy.deepcopy(doc), file="<suggestion>"))
        current, applied, after = check_policy(snapshot, tried, before=before)
        if not current["opens_admin_path"]:
            break
    if not changes:
        return {"changes": [], "policy": None, "closes": False, "still_opened": result["opened"], "note": note}
    out = {
        "changes": changes,
        "policy": doc,
        "closes": not current["opens_admin_path"],
        "still_opened": current["opened"],
        "verified": True,
    }
    if current["opens_admin_path"]:
        out["note"] = (
            f"after {len(changes)} edit(s) the policy still opens a path: it grants several independent "
            "escalation routes; narrow its wildcard actions and resources by hand"
        )
    return out
