"""Effective permissions of a principal (action -> resources, with the conditions that apply), and the
resources an action may be allowed on ("any resource" for who-can).

Each Allow statement of the principal's identity policies (its own, its groups', managed and inline) names
actions and resources; every (action, resource) pair it names is evaluated through the principal's whole
policy set (explicit Deny, permissions boundary, SCPs/RCPs), so a pair a Deny removes is not listed, and a
pair whose deciding condition cannot be fixed statically is listed as *conditional* with its keys. Actions
and resources keep the statement's spelling (``s3:Get*`` on ``arn:aws:s3:::reports/*``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..evaluate.applicable import resource_policy_for
from ..evaluate.types import Decision, Result
from ..graph.model import IamGraph
from ..model import Effect, account_of

MAX_PAIRS = 2000  # (action, resource) evaluations per principal; the rest is reported as truncated


@dataclass(frozen=True, slots=True, kw_only=True)
class Permission:
    """One action on one resource the principal is allowed (or conditionally allowed) to perform."""

    action: str
    resource: str
    conditional: bool
    conditions: tuple[str, ...]
    allowed_by: tuple[dict[str, object], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "status": "conditional" if self.conditional else "allowed",
            "conditions": list(self.conditions),
            "allowed_by": list(self.allowed_by),
        }


def _allowed(res: Result) -> bool:
    return res.decision in (Decision.ALLOWED, Decision.UNKNOWN)


def effective_permissions(graph: IamGraph, arn: str) -> tuple[list[Permission], list[str]]:
    """(permissions, notes) of `arn` from its identity policies; notes say what could not be listed."""
    view = graph.context.views.get(arn)
    if view is None:
        return [], []
    pairs: dict[tuple[str, str], None] = {}
    notes: list[str] = []
    for p in view.policies.identity:
        for s in p.document.statements:
            if s.effect is not Effect.ALLOW:
                continue
            if s.actions is None:
                notes.append(
                    f"{p.ref.id} statement {s.index} allows everything except {', '.join(s.not_actions or ())}"
                    " (NotAction): not listed action by action"
                )
                continue
            for a in s.actions:
                for r in s.resources if s.resources is not None else ("*",):
                    pairs.setdefault((a, r), None)
    out: list[Permission] = []
    todo = list(pairs)
    if len(todo) > MAX_PAIRS:
        notes.append(f"listed the first {MAX_PAIRS} of {len(todo)} action/resource pairs")
        todo = todo[:MAX_PAIRS]
    for action, resource in todo:
        res = view.can(action, resource)
        if _allowed(res):
            out.append(
                Permission(
                    action=action,
                    resource=resource,
                    conditional=res.decision is Decision.UNKNOWN,
                    conditions=tuple(sorted(res.unknown_keys)),
                    allowed_by=tuple(r.to_json() for r in res.allowed_by),
                )
            )
    return out, notes


def by_action(perms: list[Permission]) -> list[dict[str, Any]]:
    """JSON: ``[{action, resources: [{resource, status, conditions, allowed_by}]}]`` sorted by action."""
    grouped: dict[str, list[Permission]] = {}
    for p in perms:
        grouped.setdefault(p.action, []).append(p)
    return [
        {"action": a, "resources": [p.to_json() for p in sorted(ps, key=lambda p: p.resource)]}
        for a, ps in sorted(grouped.items(), key=lambda kv: kv[0].lower())
    ]


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.I)


def candidate_resources(graph: IamGraph, arn: str, action: str) -> list[str]:
    """Resources on which `action` may be allowed for `arn`: those its Allow statements name for a matching
    action, plus every resource whose resource policy mentions the action; ``*`` first."""
    view = graph.context.views.get(arn)
    found: dict[str, None] = {"*": None}
    if view is not None:
        for p in view.policies.identity:
            for s in p.document.statements:
                if s.effect is not Effect.ALLOW or s.resources is None:
                    continue
                names = s.actions
                if names is None or any(_glob(a).fullmatch(action) for a in names):
                    for r in s.resources:
                        found.setdefault(r, None)
    return list(found)


def resource_policy_resources(graph: IamGraph, action: str) -> list[str]:
    """Resources whose resource policy has a statement whose actions match `action`."""
    out = []
    for rp in graph.snapshot.resource_policies:
        for s in rp.policy.document.statements:
            if s.actions is not None and any(_glob(a).fullmatch(action) for a in s.actions):
                out.append(rp.resource_arn)
                break
    return out


def allowed_anywhere(graph: IamGraph, arn: str, action: str, extra: list[str]) -> tuple[str, Result] | None:
    """The first resource (definite before conditional) on which `arn` may perform `action`, with the result."""
    view = graph.context.views[arn]
    best: tuple[str, Result] | None = None
    for resource in [*candidate_resources(graph, arn, action), *extra]:
        policy = resource_policy_for(graph.snapshot, action, resource) if resource != "*" else None
        kw: dict[str, Any] = {}
        if policy is not None:
            kw = {"resource_policy": policy, "resource_account": account_of(resource) or None}
        res = view.can(action, resource, **kw)
        if res.decision is Decision.ALLOWED:
            return resource, res
        if res.decision is Decision.UNKNOWN and best is None:
            best = (resource, res)
    return best
