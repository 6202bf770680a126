"""render.json_text.indented writes exactly what `json.dumps(indent=2, ensure_ascii=False)` writes
(or raises what it raises), whatever the value holds; the JSON report (api.report_json) uses it.
render.json_text.compact does the same for `json.dumps(ensure_ascii=False, separators=(",", ":"))`
(the HTML report's data)."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.render import json_text
from iamgraph.render.json_text import compact, indented


class Level(str, enum.Enum):
    HIGH = "high"


class Plain(enum.Enum):
    A = "a"


class Sub(str):
    pass


class Big(int):
    pass


@dataclass
class Row:
    name: str


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(blacklist_categories=()))  # control characters and lone surrogates too
    | st.sampled_from([Level.HIGH, Sub("sub"), Big(7), 1e16, -0.0, 5e-324])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(
            st.text(max_size=8) | st.integers(0, 9) | st.sampled_from([Level.HIGH, Sub("k"), True, None, 2.5]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


def _outcome(fn: Any, value: Any) -> tuple[str, str]:
    try:
        return ("text", fn(value))
    except Exception as exc:  # the same exception type as the standard encoder
        return ("error", type(exc).__name__)


def _reference(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _compact_reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


WRITERS = pytest.mark.parametrize(
    "writer, reference", [(indented, _reference), (compact, _compact_reference)], ids=["indented", "compact"]
)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(json_values)
def test_indented_is_the_standard_encoders_text(value: Any) -> None:
    assert _outcome(indented, value) == _outcome(_reference, value)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(json_values)
def test_compact_is_the_standard_encoders_text(value: Any) -> None:
    assert _outcome(compact, value) == _outcome(_compact_reference, value)


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1, {"b": None}], "c": (), "d": {}, "e": []},
        {"s": '\x00\x1f\x7f\u2028\u2029\ud7ff\ue000\U0001f600 "q" \\ / \b\f\n\r\t'},
        [2**63, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1],
        {"n": float("nan"), "i": float("inf"), "f": 1.0},
        {"enum": Plain.A},
        {"row": Row("x")},
        {"set": {1}},
        {"bytes": b"x"},
        "\ud800",
        5,
        1.5,
        None,
    ],
)
@WRITERS
def test_edge_values(value: Any, writer: Any, reference: Any) -> None:
    assert _outcome(writer, value) == _outcome(reference, value)


@WRITERS
def test_a_cycle_raises_as_the_standard_encoder_does(writer: Any, reference: Any) -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    assert _outcome(writer, cyclic) == _outcome(reference, cyclic) == ("error", "ValueError")


@WRITERS
def test_deep_nesting_falls_back(writer: Any, reference: Any) -> None:
    deep: Any = "x"
    for _ in range(400):  # orjson refuses more than 254 levels
        deep = [deep]
    assert writer(deep) == reference(deep)


def test_plain_data_is_written_by_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is taken for plain data (a JSON report's shape), and only for it."""
    calls: list[object] = []
    real = json.dumps
    monkeypatch.setattr(json_text.json, "dumps", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    plain = {"findings": [{"id": "x", "path": [{"evidence": [{"statement": 0, "sid": None}]}], "ok": True}]}
    assert indented(plain) == real(plain, indent=2, ensure_ascii=False) and calls == []
    assert indented({"x": [1.5]}) == real({"x": [1.5]}, indent=2, ensure_ascii=False) and len(calls) == 1
    assert json_text.is_plain(plain) and not json_text.is_plain({"a": [(Sub("x"),)]})


def test_plain_data_is_written_by_orjson_compact(monkeypatch: pytest.MonkeyPatch) -> None:
    """compact takes the fast path for plain data only, as indented does."""
    calls: list[object] = []
    real = json.dumps
    monkeypatch.setattr(json_text.json, "dumps", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    plain = {"findings": [{"id": "x", "path": [{"evidence": [{"statement": 0, "sid": None}]}], "ok": True}]}
    expected = [real(v, ensure_ascii=False, separators=(",", ":")) for v in (plain, {"x": [1.5]})]
    assert compact(plain) == expected[0] and calls == []
    assert compact({"x": [1.5]}) == expected[1] and len(calls) == 1
