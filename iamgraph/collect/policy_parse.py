"""Raw policy JSON (object, JSON text or URL-encoded JSON text) -> typed PolicyDocument.

Every rejection raises InputError naming `file` and the JSON path of the offending element.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from ..errors import InputError
from ..model import Condition, Effect, PolicyDocument, Principal, Statement

_PRINCIPAL_TYPES = {"aws": "aws", "service": "service", "federated": "federated", "canonicaluser": "canonical_user"}


def decode_document(raw: Any, *, file: str | None, path: str) -> Any:
    """Return the JSON object of a policy document given as object, JSON text or URL-encoded text."""
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text.startswith("{"):
            text = unquote(text).strip()
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"policy document is not valid JSON ({exc.msg})", file=file, path=path) from None
        if isinstance(obj, dict):
            return obj
    raise InputError("policy document must be a JSON object", file=file, path=path)


def _str_list(value: Any, *, file: str | None, path: str, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    if isinstance(value, list) and not value:
        return ()
    raise InputError(f"{what} must be a string or a list of strings", file=file, path=path)


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return v
    raise ValueError(v)


def parse_principal(value: Any, *, file: str | None, path: str) -> Principal:
    if value == "*":
        return Principal(wildcard=True)
    if not isinstance(value, dict):
        raise InputError('Principal must be "*" or an object', file=file, path=path)
    fields: dict[str, Any] = {}
    for k, v in value.items():
        name = _PRINCIPAL_TYPES.get(str(k).lower())
        if name is None:
            raise InputError(f"unknown principal type {k!r}", file=file, path=f"{path}.{k}")
        fields[name] = fields.get(name, ()) + _str_list(v, file=file, path=f"{path}.{k}", what="principal")
    return Principal(**fields)


def parse_conditions(value: Any, *, file: str | None, path: str) -> tuple[Condition, ...]:
    if not isinstance(value, dict):
        raise InputError("Condition must be an object", file=file, path=path)
    out: list[Condition] = []
    for op, block in value.items():
        if not isinstance(block, dict):
            raise InputError(f"condition operator {op!r} must map keys to values", file=file, path=f"{path}.{op}")
        for key, vals in block.items():
            items = vals if isinstance(vals, list) else [vals]
            try:
                values = tuple(_scalar(v) for v in items)
            except ValueError:
                raise InputError("condition values must be strings, numbers or booleans",
                                 file=file, path=f"{path}.{op}.{key}") from None
            out.append(Condition(str(op), str(key), values))
    return tuple(out)


def parse_statement(raw: Any, index: int, *, file: str | None, path: str) -> Statement:
    if not isinstance(raw, dict):
        raise InputError("statement must be an object", file=file, path=path)
    keys = {k.lower(): k for k in raw}
    if "effect" not in keys:
        raise InputError("statement has no Effect", file=file, path=path)
    eff = raw[keys["effect"]]
    if eff not in ("Allow", "Deny"):
        raise InputError(f"Effect must be Allow or Deny, not {eff!r}", file=file, path=f"{path}.Effect")
    sid = raw.get(keys.get("sid", "Sid"))
    if sid is not None and not isinstance(sid, str):
        sid = str(sid)

    def get(name: str) -> tuple[str, ...] | None:
        k = keys.get(name.lower())
        if k is None:
            return None
        return _str_list(raw[k], file=file, path=f"{path}.{k}", what=k)

    actions, not_actions = get("Action"), get("NotAction")
    if (actions is None) == (not_actions is None):
        raise InputError("statement needs exactly one of Action or NotAction", file=file, path=path)
    resources, not_resources = get("Resource"), get("NotResource")
    if resources is not None and not_resources is not None:
        raise InputError("statement has both Resource and NotResource", file=file, path=path)
    principal = not_principal = None
    if "principal" in keys:
        principal = parse_principal(raw[keys["principal"]], file=file, path=f"{path}.{keys['principal']}")
    if "notprincipal" in keys:
        not_principal = parse_principal(raw[keys["notprincipal"]], file=file, path=f"{path}.{keys['notprincipal']}")
    conditions: tuple[Condition, ...] = ()
    if "condition" in keys:
        conditions = parse_conditions(raw[keys["condition"]], file=file, path=f"{path}.{keys['condition']}")
    return Statement(effect=Effect(eff), index=index, sid=sid, actions=actions, not_actions=not_actions,
                     resources=resources, not_resources=not_resources, principal=principal,
                     not_principal=not_principal, conditions=conditions)


def parse_policy_document(raw: Any, *, file: str | None = None, path: str = "$") -> PolicyDocument:
    """Parse one policy document; `path` is the JSON path of `raw` inside `file`."""
    obj = decode_document(raw, file=file, path=path)
    keys = {k.lower(): k for k in obj}
    version = obj.get(keys.get("version", "Version"), "2008-10-17")
    if not isinstance(version, str):
        raise InputError("Version must be a string", file=file, path=f"{path}.Version")
    stmts_raw = obj.get(keys.get("statement", "Statement"))
    if stmts_raw is None:
        raise InputError("policy document has no Statement", file=file, path=path)
    if isinstance(stmts_raw, dict):
        stmts_raw = [stmts_raw]
    if not isinstance(stmts_raw, list):
        raise InputError("Statement must be an object or a list", file=file, path=f"{path}.Statement")
    statements = tuple(parse_statement(s, i, file=file, path=f"{path}.Statement[{i}]") for i, s in enumerate(stmts_raw))
    return PolicyDocument(version=version, statements=statements, raw=obj)
