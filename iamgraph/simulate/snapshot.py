"""Simulation against a snapshot: resolve the caller, then evaluate one request (or a JSONL batch of them) with
the policies that apply to it in that snapshot (identity, boundary, SCPs/RCPs, resource policy) and the
request context derived from the caller as in single mode (`iamgraph simulate --input ... --principal ...`).

Batch line with a snapshot (docs/simulate-batch.md): ``{"id", "principal" (ARN or name), "action",
"resource" ("*" if absent), "context" {key: value or [values]}}``; policy documents in the line are refused
(they come from the snapshot). Output line: ``{"id", "decision", "allowed_by", "denied_by"}`` plus
``unknown_keys`` when Unknown; a bad line gives ``{"id", "error"}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from ..evaluate import applicable
from ..evaluate.engine import evaluate
from ..evaluate.types import ContextValue, Request, Result
from ..model import Snapshot
from ..model.action_catalog import checked_action

SELF_CONTAINED_FIELDS = (
    "identity_policies",
    "resource_policy",
    "permission_boundaries",
    "scps",
    "rcps",
    "session_policy",
)


def resolve_caller(snapshot: Snapshot, text: str, *, option: str = "--principal") -> str:
    """ARN of the user or role named by `text` (ARN, name or path/name); an assumed-role session ARN is kept."""
    if text in snapshot.users or text in snapshot.roles or text.startswith("arn:aws:sts:") or ":assumed-role/" in text:
        return text
    every = [*snapshot.users, *snapshot.roles]
    hits = [a for a in every if a.rsplit("/", 1)[-1] == text or a.endswith("/" + text.lstrip("/"))]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise InputError(f"no user or role named {text!r} in the snapshot", file="<command line>", path=option)
    raise InputError(
        f"{text!r} is ambiguous: {', '.join(sorted(hits))}; give the ARN", file="<command line>", path=option
    )


def context_for(snapshot: Snapshot, principal: str, extra: dict[str, ContextValue]) -> dict[str, ContextValue]:
    """The keys AWS derives from the caller, then `extra` (explicit keys win)."""
    pc = applicable.principal_context(snapshot, principal, default_session="session")
    if pc is None:
        raise InputError(f"principal {principal} is not a user or role of the snapshot", path="--principal")
    ctx: dict[str, ContextValue] = dict(pc.values)
    ctx.update(extra)
    return ctx


def simulate_one(
    snapshot: Snapshot, principal: str, action: str, resource: str, context: dict[str, ContextValue]
) -> Result:
    """One request against the snapshot (principal resolved, action checked against the catalogue)."""
    caller = resolve_caller(snapshot, principal)
    act = checked_action(action, option="--action")
    pset = applicable.policy_set_for(snapshot, caller, act, resource)
    return evaluate(
        Request(principal_arn=caller, action=act, resource=resource, context=context_for(snapshot, caller, context)),
        pset,
    )


def _result_json(rid: Any, result: Result) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rid,
        "decision": result.decision.value,
        "allowed_by": [r.to_json() for r in result.allowed_by],
        "denied_by": [r.to_json() for r in result.denied_by],
    }
    if result.unknown_keys:
        out["unknown_keys"] = sorted(result.unknown_keys)
    return out


def _context(raw: Any) -> dict[str, ContextValue]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError('"context" must be an object of key: value or [values]')
    out: dict[str, ContextValue] = {}
    for k, v in raw.items():
        if isinstance(v, list):
            out[str(k)] = tuple(str(x) for x in v)
        elif isinstance(v, (str, int, float, bool)):
            out[str(k)] = str(v).lower() if isinstance(v, bool) else str(v)
        else:
            raise InputError(f"context key {k!r} must be a string or a list of strings")
    return out


def simulate_line(snapshot: Snapshot, line: str, n: int) -> dict[str, Any]:
    """One output object for input line `n` (1-based); errors become ``{"id", "error"}``."""
    rid: Any = n
    try:
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise InputError("a request line must be a JSON object")
        rid = obj.get("id", n)
        given = [k for k in SELF_CONTAINED_FIELDS if k in obj]
        if given:
            raise InputError(f"with --input the policies come from the snapshot; remove {', '.join(given)}")
        for key in ("principal", "action"):
            if not isinstance(obj.get(key), str) or not obj.get(key):
                raise InputError(f'"{key}" is required (a string)')
        resource = obj.get("resource", "*")
        if not isinstance(resource, str):
            raise InputError('"resource" must be a string')
        result = simulate_one(snapshot, obj["principal"], obj["action"], resource, _context(obj.get("context")))
        return _result_json(rid, result)
    except json.JSONDecodeError as exc:
        return {"id": rid, "error": f"line {n}: not JSON ({exc.msg} at column {exc.colno})"}
    except InputError as exc:
        return {"id": rid, "error": f"line {n}: {exc.message}"}


def simulate_lines(snapshot: Snapshot, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One output object per non-blank input line, in order."""
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield simulate_line(snapshot, line, n)
