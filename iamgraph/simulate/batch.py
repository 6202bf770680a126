"""Batch simulation (issue 2 §4): one JSON request per line in, one JSON result per line out.

Input line: {"id", "principal", "action", "resource" ("*" if absent), "context" {key: value or
[values]}, "identity_policies" [doc], "resource_policy" doc|null, "resource_account" id|null
(null = the principal's account), "permission_boundaries" [doc], "scps" [[doc]...],
"rcps" [[doc]...], "session_policy" doc|null, "unknown_context_keys" [key]}; unknown fields are
ignored. The request is concrete: nothing is derived from the principal. Documents are JSON objects
or (URL-encoded) JSON strings and are cited as "identity_policies[0]", "resource_policy",
"permission_boundaries[0]", "scps[1][0]", "rcps[0][0]", "session_policy".

Output line: {"id", "decision", "allowed_by": [{"policy", "statement", "sid"}], "denied_by": [...]}
plus "unknown_keys" when the decision is Unknown; a bad line gives {"id", "error"}. Blank input
lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..collect.files import lone_surrogate_at
from ..collect.policy_parse import parse_policy_document
from ..errors import InputError
from ..evaluate.conditions import Context
from ..evaluate.engine import decide
from ..evaluate.types import Decision, PolicySet, Request, Result, StatementRef
from ..model import Policy, PolicyKind, PolicyRef

_CACHE: dict[tuple[str, object], Policy] = {}
_CACHE_CAP = 20000
_std_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

try:  # orjson (optional) parses/serialises 3-5x faster; results are identical, json is the fallback
    import orjson as _orjson

    def _loads(text: str) -> Any:
        try:
            return _orjson.loads(text)
        except _orjson.JSONDecodeError:
            return json.loads(text)  # e.g. integers beyond 64 bits: let json decide

    def _dumps(obj: Any) -> str:
        try:
            return _orjson.dumps(obj).decode()
        except TypeError:
            return _std_dumps(obj)

    def _doc_key(raw: Any) -> object:
        try:
            return _orjson.dumps(raw)
        except TypeError:
            return repr(raw)
except ImportError:  # pragma: no cover - exercised where orjson is absent
    _loads = json.loads  # type: ignore[assignment]
    _dumps = _std_dumps  # type: ignore[assignment]
    _doc_key = repr  # type: ignore[assignment]


def _policy(raw: Any, kind: PolicyKind, pid: str, file: str) -> Policy:
    """A citable Policy; identical documents at the same position are parsed once.

    The cache key is the serialised decoded JSON (key order kept: injective on JSON values).
    """
    key = raw if isinstance(raw, str) else _doc_key(raw)
    hit = _CACHE.get((pid, key))
    if hit is not None:
        return hit
    pol = Policy(PolicyRef(kind, pid), parse_policy_document(raw, file=file, path=pid))
    if len(_CACHE) >= _CACHE_CAP:
        _CACHE.clear()
    _CACHE[(pid, key)] = pol
    return pol


_PIDS: dict[tuple, str] = {}


def _pid(name: str, i: int, j: int | None = None) -> str:
    """Citation id of a batch document, e.g. "identity_policies[0]" or "scps[1][0]" (interned)."""
    key = (name, i, j)
    pid = _PIDS.get(key)
    if pid is None:
        pid = _PIDS[key] = f"{name}[{i}]" if j is None else f"{name}[{i}][{j}]"
    return pid


def _list(obj: dict[str, Any], name: str, file: str) -> list[Any]:
    v = obj.get(name)
    if v is None:
        return []
    if not isinstance(v, list):
        raise InputError(f"{name} must be a list", file=file, path=name)
    return v


def _str(obj: dict[str, Any], name: str, file: str, default: str | None = None) -> str:
    v = obj.get(name, default)
    if not isinstance(v, str) or not v:
        raise InputError(f"{name} must be a non-empty string", file=file, path=name)
    return v


def parse_request(obj: dict[str, Any], file: str = "<batch>") -> tuple[Request, PolicySet, Context]:
    """A decoded batch line -> (Request, PolicySet, Context). Raises InputError."""
    principal, action, resource, pset, ctx, context, unknown = _parse(obj, file)
    request = Request(
        principal_arn=principal,
        action=action,
        resource=resource,
        context=context,
        unknown_keys=frozenset(k.lower() for k in unknown),
    )
    return request, pset, ctx


def _parse(obj: dict[str, Any], file: str) -> tuple[str, str, str, PolicySet, Context, dict[str, Any], list[str]]:
    """The parts of a batch line (principal, action, resource, policies, context); InputError if bad."""
    principal = _str(obj, "principal", file)
    action = _str(obj, "action", file)
    resource = obj.get("resource")
    if resource is None:
        resource = "*"
    if not isinstance(resource, str) or not resource:
        raise InputError("resource must be a non-empty string", file=file, path="resource")
    context = obj.get("context") or {}
    if not isinstance(context, dict):
        raise InputError("context must be an object", file=file, path="context")
    unknown = _list(obj, "unknown_context_keys", file)
    if not all(isinstance(k, str) for k in unknown):
        raise InputError("unknown_context_keys must be a list of strings", file=file, path="unknown_context_keys")
    try:
        ctx = Context.from_mapping(context, unknown)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc), file=file, path="context") from None

    identity = tuple(
        [
            _policy(d, PolicyKind.CUSTOM, _pid("identity_policies", i), file)
            for i, d in enumerate(_list(obj, "identity_policies", file))
        ]
    )
    boundaries = tuple(
        [
            _policy(d, PolicyKind.BOUNDARY, _pid("permission_boundaries", i), file)
            for i, d in enumerate(_list(obj, "permission_boundaries", file))
        ]
    )
    levels: dict[str, tuple[tuple[Policy, ...], ...]] = {}
    for name, kind in (("scps", PolicyKind.SCP), ("rcps", PolicyKind.RCP)):
        out = []
        for i, level in enumerate(_list(obj, name, file)):
            if not isinstance(level, list):
                raise InputError(f"{name}[{i}] must be a list of policy documents", file=file, path=f"{name}[{i}]")
            out.append(tuple([_policy(d, kind, _pid(name, i, j), file) for j, d in enumerate(level)]))
        levels[name] = tuple(out)
    rp = obj.get("resource_policy")
    resource_policy = _policy(rp, PolicyKind.RESOURCE, "resource_policy", file) if rp is not None else None
    sp = obj.get("session_policy")
    session = _policy(sp, PolicyKind.SESSION, "session_policy", file) if sp is not None else None
    racct = obj.get("resource_account")
    if racct is not None and not isinstance(racct, str):
        raise InputError("resource_account must be a string or null", file=file, path="resource_account")

    pset = PolicySet(
        identity=identity,
        boundaries=boundaries,
        session=session,
        scps=levels["scps"],
        rcps=levels["rcps"],
        resource=resource_policy,
        resource_account=racct or None,
    )
    return principal, action, resource, pset, ctx, context, unknown


def _cite(ref: StatementRef) -> dict[str, Any]:
    return {"policy": ref.policy.id, "statement": ref.index, "sid": ref.sid}


def result_json(rid: Any, result: Result) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rid,
        "decision": result.decision.value,
        "allowed_by": [_cite(r) for r in result.allowed_by],
        "denied_by": [_cite(r) for r in result.denied_by],
    }
    if result.decision is Decision.UNKNOWN:
        out["unknown_keys"] = sorted(result.unknown_keys)
    return out


def run_line(line: str, lineno: int = 0) -> dict[str, Any]:
    """Evaluate one batch line; errors become {"id", "error"}."""
    file = f"line {lineno}" if lineno else "<batch>"
    rid: Any = None
    if lone_surrogate_at(line) >= 0:  # json would accept it; the output line could not be written
        return {"id": None, "error": f"{file}: a string holds an unpaired UTF-16 surrogate escape (not valid Unicode)"}
    try:
        obj = _loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"{file}: not valid JSON ({exc})"}
    except RecursionError:
        return {"id": None, "error": f"{file}: request nested too deeply"}
    if not isinstance(obj, dict):
        return {"id": None, "error": f"{file}: a request must be a JSON object"}
    rid = obj.get("id")
    try:
        principal, action, resource, pset, ctx, _context, _unknown = _parse(obj, file)
        return result_json(rid, decide(principal, action, resource, pset, ctx))
    except InputError as exc:
        return {"id": rid, "error": exc.one_line()}
    except RecursionError:
        return {"id": rid, "error": f"{file}: request nested too deeply"}


def run_batch(lines: Iterable[str]) -> Iterator[str]:
    """One output JSON line (no newline) per non-blank input line, in order."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        yield _dumps(run_line(line, n))
