"""parse_conditions takes short ASCII string values without _check_sizes and _scalar (perf9-a):
for every value, the result or the error (message and JSON path) is the old code's."""

from __future__ import annotations

from typing import Any

import pytest

from iamgraph.collect import policy_parse
from iamgraph.collect.limits import MAX_PATTERN_CHARS, MAX_VALUES
from iamgraph.collect.policy_parse import _check_sizes, _scalar, parse_conditions
from iamgraph.errors import InputError
from iamgraph.model import Condition


def _old_parse_conditions(value: Any, *, file: str | None, path: str) -> tuple[Condition, ...]:
    """The version before perf9-a, verbatim."""
    if not isinstance(value, dict):
        raise InputError("Condition must be an object", file=file, path=path)
    out: list[Condition] = []
    for op, block in value.items():
        if not isinstance(block, dict):
            raise InputError(f"condition operator {op!r} must map keys to values", file=file, path=f"{path}.{op}")
        for key, vals in block.items():
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


LONG = "x" * (MAX_PATTERN_CHARS + 1)
VALUES: list[Any] = [
    "true",
    "",
    "é",
    "\ud800",
    LONG,
    "x" * MAX_PATTERN_CHARS,
    [],
    ["a"],
    ["a", "b", "a"],
    ["a", "é"],
    ["a", "\udc00"],
    ["a", LONG],
    ["a", 1],
    [True, "a"],
    ["a", None],
    ["a", ["b"]],
    ["a", {"b": "c"}],
    ["a"] * MAX_VALUES,
    ["a"] * (MAX_VALUES + 1),
    [1.5, -0.0, 10**30],
    True,
    False,
    0,
    2.5,
    None,
    {"k": "v"},
]


def _outcome(fn: Any, value: Any) -> Any:
    try:
        return fn(value, file="f.json", path="$.S.Condition")
    except InputError as exc:
        return ("error", str(exc), exc.path)


@pytest.mark.parametrize("vals", VALUES, ids=range(len(VALUES)))
def test_condition_values_as_before(vals: Any) -> None:
    for value in (
        {"StringEquals": {"aws:Key": vals}},
        {"StringEquals": {"aws:Key": vals, "aws:Other": ["z"]}, "Bool": {"aws:SecureTransport": vals}},
    ):
        new, old = _outcome(parse_conditions, value), _outcome(_old_parse_conditions, value)
        assert new == old
        if not isinstance(new, tuple) or new[:1] != ("error",):
            assert [tuple(map(type, c.values)) for c in new] == [tuple(map(type, c.values)) for c in old]


def test_fast_path_is_taken_for_plain_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slow helpers are not called for ASCII strings (the point of the change)."""

    def boom(*_a: Any, **_k: Any) -> None:
        raise AssertionError("slow path")

    monkeypatch.setattr(policy_parse, "_check_sizes", boom)
    got = parse_conditions({"StringLike": {"k": ["a", "b"], "j": "c"}}, file=None, path="$")
    assert got == (Condition("StringLike", "k", ("a", "b")), Condition("StringLike", "j", ("c",)))
