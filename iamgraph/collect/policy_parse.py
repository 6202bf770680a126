"""Raw policy JSON (object, JSON text or URL-encoded JSON text) -> typed PolicyDocument.

Every rejection raises InputError naming `file` and the JSON path of the offending element.
"""

from __future__ import annotations

import json
import marshal
from collections.abc import Sequence
from itertools import repeat
from typing import Any
from urllib.parse import unquote

from ..errors import InputError
from ..model import Condition, Effect, PolicyDocument, Principal, Statement
from .files import parse_json
from .limits import (
    MAX_DOCUMENT_CHARS,
    MAX_DOCUMENT_DEPTH,
    MAX_PATTERN_CHARS,
    MAX_STATEMENTS,
    MAX_VALUES,
    depth_exceeds,
    not_unicode,
)

_EFFECTS = {"Allow": Effect.ALLOW, "Deny": Effect.DENY}
# marshal format 2 has no back-references (format 3 on marks objects by reference count), so its
# bytes depend on the value alone
KEY_FORMAT = 2
# KEY_FORMAT without end, for map(marshal.dumps, values, KEY_FORMATS): an endless repeat keeps no
# count, so one iterator serves every call
KEY_FORMATS = repeat(KEY_FORMAT)
_PRINCIPAL_TYPES = {"aws": "aws", "service": "service", "federated": "federated", "canonicaluser": "canonical_user"}


def raw_keys(values: Sequence[Any]) -> tuple[bytes, ...] | None:
    """Cache keys of parsed-JSON values: their marshal bytes (format 2), equal exactly when the
    values are the same JSON with the same types and key order (1, 1.0 and true differ). None when
    a value holds what marshal cannot write (a non-JSON type, a str subclass, deep nesting)."""
    try:
        return tuple(map(marshal.dumps, values, KEY_FORMATS))
    except ValueError:
        return None


def raw_key(value: Any) -> bytes | None:
    """raw_keys of one value: its marshal bytes (format 2), or None when marshal cannot write it."""
    try:
        return marshal.dumps(value, KEY_FORMAT)
    except ValueError:
        return None


def decode_document(raw: Any, *, file: str | None, path: str) -> Any:
    """Return the JSON object of a policy document given as object, JSON text or URL-encoded text."""
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        if len(raw) > MAX_DOCUMENT_CHARS:
            raise InputError(
                f"policy document text of {len(raw):,} characters, over the limit of {MAX_DOCUMENT_CHARS:,}",
                file=file,
                path=path,
            )
        text = raw.strip()
        if not text.startswith("{"):
            text = unquote(text).strip()
        try:
            obj = parse_json(text, file=file, path=path, reject_duplicates=True)
        except InputError as exc:
            msg = exc.message.replace("file ends", "text ends")
            if msg.startswith(("not valid JSON", "text ends")):
                raise InputError(f"policy document is not valid JSON ({msg})", file=file, path=path) from None
            raise InputError(f"policy document: {msg}", file=file, path=exc.path) from None
        if isinstance(obj, dict):
            return obj
    raise InputError("policy document must be a JSON object", file=file, path=path)


def _check_sizes(values: list[Any] | tuple[Any, ...], *, file: str | None, path: str, what: str) -> None:
    """At most MAX_VALUES values of at most MAX_PATTERN_CHARS characters, all valid Unicode (see
    limits). The common case (short ASCII strings) is decided by two C-level passes."""
    if len(values) > MAX_VALUES:
        raise InputError(f"{what} has {len(values):,} values, over the limit of {MAX_VALUES:,}", file=file, path=path)
    strs = [v for v in values if isinstance(v, str)]
    if not strs or (max(map(len, strs)) <= MAX_PATTERN_CHARS and "".join(strs).isascii()):
        return
    for i, v in enumerate(values):
        if not isinstance(v, str):
            continue
        where = f"{path}[{i}]" if isinstance(values, list) else path
        if len(v) > MAX_PATTERN_CHARS:
            raise InputError(
                f"{what} value of {len(v):,} characters, over the limit of {MAX_PATTERN_CHARS:,}", file=file, path=where
            )
        if not_unicode(v):
            raise InputError(
                f"{what} value holds an unpaired UTF-16 surrogate (not valid Unicode)", file=file, path=where
            )


def _str_list(value: Any, *, file: str | None, path: str, what: str, key: str | None = None) -> tuple[str, ...]:
    """A string or a non-empty list of strings (checked by _check_sizes) -> tuple; an empty list ->
    (). `path`: the value's JSON path, or with `key` the path of the object holding it under `key`
    (the value's path is then made only for an error)."""
    if value.__class__ is str and len(value) <= MAX_PATTERN_CHARS and value.isascii():  # _check_sizes passes
        return (value,)
    if value.__class__ is list and 0 < len(value) <= MAX_VALUES:
        try:
            joined = "".join(value)  # a TypeError unless every value is a str (what the test below asks)
        except TypeError:
            joined = None
        if joined is not None and joined.isascii() and max(map(len, value)) <= MAX_PATTERN_CHARS:
            return tuple(value)  # _check_sizes passes
    if key is not None:
        path = f"{path}.{key}"
    if isinstance(value, str):
        _check_sizes((value,), file=file, path=path, what=what)
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        _check_sizes(value, file=file, path=path, what=what)
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
            # the common values, short ASCII strings, taken as _check_sizes and _scalar pass them
            if vals.__class__ is str:
                if len(vals) <= MAX_PATTERN_CHARS and vals.isascii():
                    out.append(Condition(str(op), str(key), (vals,)))
                    continue
            elif vals.__class__ is list and 0 < len(vals) <= MAX_VALUES:
                try:
                    joined = "".join(vals)  # a TypeError unless every value is a str
                except TypeError:
                    joined = None
                if joined is not None and joined.isascii() and max(map(len, vals)) <= MAX_PATTERN_CHARS:
                    out.append(Condition(str(op), str(key), tuple(vals)))
                    continue
            items = vals if isinstance(vals, list) else [vals]
            _check_sizes(items, file=file, path=f"{path}.{op}.{key}", what=f"condition key {key!r}")
            try:
                values = tuple(_scalar(v) for v in items)
            except ValueError:
                raise InputError(
                    "condition values must be strings, numbers or booleans", file=file, path=f"{path}.{op}.{key}"
                ) from None
            out.append(Condition(str(op), str(key), values))
    return tuple(out)


def parse_statement(raw: Any, index: int, *, file: str | None, path: str) -> Statement:
    if not isinstance(raw, dict):
        raise InputError("statement must be an object", file=file, path=path)
    keys = _KEY_MAPS.get(shape := tuple(raw))  # {k.lower(): k for k in raw}, shared per key sequence
    if keys is None:
        keys = {k.lower(): k for k in raw}
        if len(_KEY_MAPS) < _MAX_KEY_MAPS and len(keys) == len(raw) and _STATEMENT_KEYS.issuperset(keys):
            _KEY_MAPS[shape] = keys
    if "effect" not in keys:
        raise InputError("statement has no Effect", file=file, path=path)
    if len(keys) != len(raw):
        dup = next(k for k in raw if keys[k.lower()] != k)
        raise InputError(
            f"element {dup!r} appears twice with different case (as {keys[dup.lower()]!r}): "
            "which one AWS applies is undefined",
            file=file,
            path=path,
        )
    if not _STATEMENT_KEYS.issuperset(keys):  # no case duplicates: the test _check_unknown_depth starts with
        _check_unknown_depth(raw, _STATEMENT_KEYS, file=file, path=path)
    eff = raw[keys["effect"]]
    if eff not in ("Allow", "Deny"):
        raise InputError(f"Effect must be Allow or Deny, not {eff!r}", file=file, path=f"{path}.Effect")
    sid = raw.get(keys.get("sid", "Sid"))
    if sid is not None and not isinstance(sid, str):
        sid = str(sid)
    # each element as written (its case kept for messages), in this order: Action, NotAction,
    # Resource, NotResource
    actions = not_actions = resources = not_resources = None
    if (k := keys.get("action")) is not None:
        actions = _str_list(raw[k], file=file, path=path, what=k, key=k)
    if (k := keys.get("notaction")) is not None:
        not_actions = _str_list(raw[k], file=file, path=path, what=k, key=k)
    if (actions is None) == (not_actions is None):
        raise InputError("statement needs exactly one of Action or NotAction", file=file, path=path)
    if (k := keys.get("resource")) is not None:
        resources = _str_list(raw[k], file=file, path=path, what=k, key=k)
    if (k := keys.get("notresource")) is not None:
        not_resources = _str_list(raw[k], file=file, path=path, what=k, key=k)
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
    # positional, in Statement's field order (as reindexed below)
    return Statement(
        _EFFECTS[eff],
        index,
        sid,
        actions,
        not_actions,
        resources,
        not_resources,
        principal,
        not_principal,
        conditions,
    )


# statements' key sequences -> {lower-case key: key as written}: pure in the sequence, read only,
# kept for the process. Only sequences of distinct known elements are kept (so each is small:
# at most 9 keys of at most 12 characters), at most _MAX_KEY_MAPS of them; accounts use a handful
# (8 sequences for 96 % of the 5,000-role account's distinct statements)
_KEY_MAPS: dict[tuple[str, ...], dict[str, str]] = {}
_MAX_KEY_MAPS = 256


class StatementCache:
    """Statements parsed during one load, for reuse (accounts repeat statements across documents:
    20k statements, 2.3k distinct at quota scale). Keys are the raw statement's `raw_keys` bytes:
    `at_index[(index, key)]` is the statement at `index`, `by_text[key]` one parsed from that raw
    at any index (parsing reads the index only to store it). Only statements that parsed cleanly
    are kept, so errors are unaffected."""

    __slots__ = ("at_index", "by_text")

    def __init__(self) -> None:
        self.at_index: dict[tuple[int, bytes], Statement] = {}
        self.by_text: dict[bytes, Statement] = {}


def parse_policy_document(
    raw: Any,
    *,
    file: str | None = None,
    path: str = "$",
    statement_cache: StatementCache | None = None,
    statement_keys: Sequence[bytes] | None = None,
) -> PolicyDocument:
    """Parse one policy document; `path` is the JSON path of `raw` inside `file`.

    `statement_cache` (one per load): a statement equal to one already parsed is reused (see
    StatementCache). `statement_keys`: raw_keys of raw's Statement list, if the caller has them."""
    obj = raw if raw.__class__ is dict else decode_document(raw, file=file, path=path)
    if len(obj) == 2 and "Version" in obj and "Statement" in obj:  # what the comprehension gives
        keys = _PLAIN_DOC_KEYS
    else:
        keys = {k.lower(): k for k in obj}
    if len(keys) != len(obj):
        dup = next(k for k in obj if keys[k.lower()] != k)
        raise InputError(
            f"element {dup!r} appears twice with different case (as {keys[dup.lower()]!r}): "
            "which one AWS applies is undefined",
            file=file,
            path=path,
        )
    version = obj.get(keys.get("version", "Version"), "2008-10-17")
    if not isinstance(version, str):
        raise InputError("Version must be a string", file=file, path=f"{path}.Version")
    stmts_raw = obj.get(keys.get("statement", "Statement"))
    if stmts_raw is None:
        raise InputError("policy document has no Statement", file=file, path=path)
    if isinstance(stmts_raw, dict):
        stmts_raw = [stmts_raw]
        statement_keys = None
    if not isinstance(stmts_raw, list):
        raise InputError("Statement must be an object or a list", file=file, path=f"{path}.Statement")
    if len(stmts_raw) > MAX_STATEMENTS:
        raise InputError(
            f"policy document has {len(stmts_raw):,} statements, over the limit of {MAX_STATEMENTS:,}",
            file=file,
            path=f"{path}.Statement",
        )
    if not _DOC_KEYS.issuperset(keys):  # no case duplicates: the test _check_unknown_depth starts with
        _check_unknown_depth(obj, _DOC_KEYS, file=file, path=path)
    if statement_cache is not None and statement_keys is None:
        statement_keys = raw_keys(stmts_raw)
    if statement_cache is None or statement_keys is None:
        statements = tuple(
            parse_statement(s, i, file=file, path=f"{path}.Statement[{i}]") for i, s in enumerate(stmts_raw)
        )
    else:
        at_index, by_text = statement_cache.at_index, statement_cache.by_text
        found = list(map(at_index.get, enumerate(statement_keys)))  # keys (i, key)
        if not all(found):  # a Statement is always true
            for i, (s, key) in enumerate(zip(stmts_raw, statement_keys)):
                if found[i] is None:
                    same = by_text.get(key)
                    if same is None:
                        hit = by_text[key] = parse_statement(s, i, file=file, path=f"{path}.Statement[{i}]")
                    else:
                        hit = reindexed(same, i)
                    found[i] = at_index[(i, key)] = hit
        statements = tuple(found)  # type: ignore[arg-type]  # every entry filled
    return PolicyDocument(version, statements, obj)


def reindexed(s: Statement, index: int) -> Statement:
    """`s` at `index`: dataclasses.replace(s, index=index) without its walk over the fields."""
    return Statement(
        s.effect,
        index,
        s.sid,
        s.actions,
        s.not_actions,
        s.resources,
        s.not_resources,
        s.principal,
        s.not_principal,
        s.conditions,
    )


_DOC_KEYS = frozenset({"version", "id", "statement"})
_PLAIN_DOC_KEYS = {"version": "Version", "statement": "Statement"}  # lower case -> as written
_STATEMENT_KEYS = frozenset(
    {"sid", "effect", "action", "notaction", "resource", "notresource", "principal", "notprincipal", "condition"}
)


def _check_unknown_depth(obj: dict[str, Any], known: frozenset[str], *, file: str | None, path: str) -> None:
    """Elements the parser does not read are kept in `raw` (and shown in reports): bound their
    nesting so that nothing downstream recurses without limit. The elements it reads are
    validated for shape, so they are shallow by construction."""
    if len(obj) <= len(known) and all(str(k).lower() in known for k in obj):
        return
    for k, v in obj.items():
        if isinstance(v, (dict, list)) and str(k).lower() not in known and depth_exceeds(v, MAX_DOCUMENT_DEPTH):
            raise InputError(
                f"element nested more than {MAX_DOCUMENT_DEPTH} levels deep", file=file, path=f"{path}.{k}"
            )
