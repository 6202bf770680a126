"""Builders for evaluator tests: policies from plain statement dicts."""

from __future__ import annotations

from typing import Any

from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.evaluate.engine import evaluate
from iamgraph.evaluate.types import PolicySet, Request, Result
from iamgraph.model import Policy, PolicyKind, PolicyRef

ACCT, OTHER = "111122223333", "444455556666"
USER = f"arn:aws:iam::{ACCT}:user/bob"
ROLE = f"arn:aws:iam::{ACCT}:role/app"
SESSION = f"arn:aws:sts::{ACCT}:assumed-role/app/s1"


def pol(
    *stmts: dict[str, Any], kind: PolicyKind = PolicyKind.CUSTOM, pid: str = "p", version: str | None = "2012-10-17"
) -> Policy:
    raw: dict[str, Any] = {"Statement": list(stmts)}
    if version is not None:
        raw["Version"] = version
    return Policy(PolicyRef(kind, pid), parse_policy_document(raw))


def allow(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    s = {"Effect": "Allow", "Action": action, "Resource": resource}
    s.update(extra)
    return s


def deny(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    s = {"Effect": "Deny", "Action": action, "Resource": resource}
    s.update(extra)
    return s


def run(
    action: str,
    resource: str = "*",
    *,
    principal: str = USER,
    context: dict[str, Any] | None = None,
    identity: tuple[Policy, ...] = (),
    boundaries: tuple[Policy, ...] = (),
    session: Policy | None = None,
    scps: tuple[tuple[Policy, ...], ...] = (),
    rcps: tuple[tuple[Policy, ...], ...] = (),
    resource_policy: Policy | None = None,
    resource_account: str | None = None,
    unknown: frozenset[str] = frozenset(),
    open_world: bool = False,
) -> Result:
    req = Request(
        principal_arn=principal,
        action=action,
        resource=resource,
        context=context or {},
        unknown_keys=unknown,
        open_world=open_world,
    )
    ps = PolicySet(
        identity=identity,
        boundaries=boundaries,
        session=session,
        scps=scps,
        rcps=rcps,
        resource=resource_policy,
        resource_account=resource_account,
    )
    return evaluate(req, ps)
