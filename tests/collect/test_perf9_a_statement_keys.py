"""parse_statement reads its lower-case key map from a memo per key sequence and makes an element's
path only for an error (perf9-a): every statement gives the old code's result or error (message
and JSON path), whatever statements were parsed before it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from iamgraph.collect import policy_parse
from iamgraph.collect.policy_parse import (
    _EFFECTS,
    _STATEMENT_KEYS,
    _check_unknown_depth,
    _str_list,
    parse_conditions,
    parse_principal,
    parse_statement,
)
from iamgraph.errors import InputError
from iamgraph.model import Condition, Statement


def _old_parse_statement(raw: Any, index: int, *, file: str | None, path: str) -> Statement:
    """The version before perf9-a, verbatim but for names."""
    if not isinstance(raw, dict):
        raise InputError("statement must be an object", file=file, path=path)
    keys = {k.lower(): k for k in raw}
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
    if not _STATEMENT_KEYS.issuperset(keys):
        _check_unknown_depth(raw, _STATEMENT_KEYS, file=file, path=path)
    eff = raw[keys["effect"]]
    if eff not in ("Allow", "Deny"):
        raise InputError(f"Effect must be Allow or Deny, not {eff!r}", file=file, path=f"{path}.Effect")
    sid = raw.get(keys.get("sid", "Sid"))
    if sid is not None and not isinstance(sid, str):
        sid = str(sid)
    actions = not_actions = resources = not_resources = None
    if (k := keys.get("action")) is not None:
        actions = _str_list(raw[k], file=file, path=f"{path}.{k}", what=k)
    if (k := keys.get("notaction")) is not None:
        not_actions = _str_list(raw[k], file=file, path=f"{path}.{k}", what=k)
    if (actions is None) == (not_actions is None):
        raise InputError("statement needs exactly one of Action or NotAction", file=file, path=path)
    if (k := keys.get("resource")) is not None:
        resources = _str_list(raw[k], file=file, path=f"{path}.{k}", what=k)
    if (k := keys.get("notresource")) is not None:
        not_resources = _str_list(raw[k], file=file, path=f"{path}.{k}", what=k)
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
    return Statement(
        _EFFECTS[eff], index, sid, actions, not_actions, resources, not_resources, principal, not_principal, conditions
    )


BAD_VALUES: list[Any] = [[], [1], "\ud800", "x" * 70_000, ["a", None], {"a": "b"}, 3, ["é"]]

STATEMENTS: list[dict[str, Any]] = [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Resource": "*", "Action": "s3:*", "Effect": "Deny"},
    {"Effect": "Allow", "effect": "Deny", "Action": "*"},  # case duplicates, either order
    {"effect": "Deny", "Effect": "Allow", "Action": "*"},
    {"EFFECT": "Allow", "ACTION": "*", "RESOURCE": "*"},
    {"Effect": "Allow", "Action": "*", "action": "iam:*"},
    {"Effect": "Allow", "NotAction": ["iam:*"], "NotResource": "arn:aws:s3:::b"},
    {"Effect": "Allow", "Action": "*", "Resource": "*", "Sid": 7},
    {"Effect": "Allow", "Principal": {"AWS": "*", "aws": ["111122223333"]}, "Action": "sts:AssumeRole"},
    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": True}}},
    {"Effect": "Allow", "Action": "*", "Unknown": {"x": [[["deep"]]]}},
    {"Effect": "Maybe", "Action": "*"},
    {"Action": "*"},
    {"Effect": "Allow"},
    {"Effect": "Allow", "Action": "*", "NotAction": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "*"},
]
for key in ("Action", "NotAction", "Resource", "NotResource", "action", "NOTRESOURCE"):
    for bad in BAD_VALUES:
        other = {"Action": "*"} if key.lower() not in ("action", "notaction") else {}
        STATEMENTS.append({"Effect": "Allow", **other, key: bad})


def _outcome(fn: Any, raw: Any) -> Any:
    try:
        return fn(raw, 3, file="f.json", path="$.Policies[0].Statement[3]")
    except InputError as exc:
        return ("error", str(exc), exc.path)


@pytest.mark.parametrize("order", [STATEMENTS, STATEMENTS[::-1]], ids=["forward", "backward"])
def test_statements_as_before_in_any_order(order: list[dict[str, Any]]) -> None:
    policy_parse._KEY_MAPS.clear()
    for raw in itertools.chain(order, order):  # the second pass reads the memo
        assert _outcome(parse_statement, raw) == _outcome(_old_parse_statement, raw), raw


def test_memo_is_bounded() -> None:
    """At most _MAX_KEY_MAPS sequences, and only of distinct known elements (small ones)."""
    policy_parse._KEY_MAPS.clear()
    parse_statement({"Effect": "Allow", "Action": "*", "X" * 1000: "y"}, 0, file=None, path="$")
    with pytest.raises(InputError, match="appears twice"):
        parse_statement({"Effect": "Allow", "Action": "*", "action": "*"}, 0, file=None, path="$")
    assert not policy_parse._KEY_MAPS
    variants = ("".join(c.upper() if bit else c for c, bit in zip("notresource", bits)) for bits in _bits(11))
    for key in itertools.islice(variants, policy_parse._MAX_KEY_MAPS + 50):
        parse_statement({"Effect": "Allow", "Action": "*", key: "*"}, 0, file=None, path="$")
    assert len(policy_parse._KEY_MAPS) == policy_parse._MAX_KEY_MAPS
    policy_parse._KEY_MAPS.clear()


def _bits(n: int) -> Any:
    return itertools.product((False, True), repeat=n)
