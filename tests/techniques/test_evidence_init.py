"""Evidence and Grant have hand-written __init__s (a build makes tens of thousands of each): they
must take exactly the dataclass fields, in order, with the same defaults, store each one, stay
frozen, and decide `conditional` as `missing or extra_conditions or any(g.conditional ...)`."""

from __future__ import annotations

import dataclasses
import inspect
import itertools

import pytest

from iamgraph.evaluate.types import Decision, Result
from iamgraph.techniques import resource_grants
from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant


@pytest.mark.parametrize("cls", [Evidence, Grant])
def test_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    init_fields = [f for f in dataclasses.fields(cls) if f.init]
    assert [p.name for p in params] == [f.name for f in init_fields]
    for p, f in zip(params, init_fields):
        assert (p.default is inspect.Parameter.empty) == (f.default is dataclasses.MISSING)
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default


def test_every_field_is_stored() -> None:
    res = Result(Decision.ALLOWED)
    g = Grant("a", "r", res, "by")
    assert (g.action, g.resource, g.result, g.by) == ("a", "r", res, "by")
    assert Grant("a", "r", res).by == ""
    ev = Evidence("t", EdgeKind.PASS_ROLE, (g,), ("m",), "v", "n", ("k",))
    values = [getattr(ev, f.name) for f in dataclasses.fields(ev)]
    assert values == ["t", EdgeKind.PASS_ROLE, (g,), ("m",), "v", "n", ("k",), True]
    assert dataclasses.replace(ev, note="x").note == "x" and dataclasses.replace(g, by="y").by == "y"
    assert ev == Evidence("t", EdgeKind.PASS_ROLE, (g,), ("m",), "v", "n", ("k",)) and hash(ev) == hash(
        Evidence("t", EdgeKind.PASS_ROLE, (g,), ("m",), "v", "n", ("k",))
    )


def test_still_frozen() -> None:
    ev = Evidence("t", EdgeKind.ADMIN)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.note = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Grant("a", "r", Result(Decision.ALLOWED)).by = "x"  # type: ignore[misc]


_RESULTS = [Result(d) for d in Decision]


@pytest.mark.parametrize(
    ("decisions", "missing", "extra"),
    [
        (ds, m, e)
        for n in range(3)
        for ds in itertools.product(list(Decision), repeat=n)
        for m in ((), ("inventory",))
        for e in ((), ("k",))
    ],
)
def test_conditional_is_decided_as_the_formula(
    decisions: tuple[Decision, ...], missing: tuple[str, ...], extra: tuple[str, ...]
) -> None:
    grants = tuple(Grant("a", "r", Result(d)) for d in decisions)
    ev = Evidence("t", EdgeKind.PASS_ROLE, grants, missing, extra_conditions=extra)
    assert ev.conditional == (bool(missing) or bool(extra) or any(g.conditional for g in grants))


def test_grant_subclasses_keep_grant_conditional() -> None:
    """Evidence reads `g.result.decision is UNKNOWN` for `g.conditional`: no subclass may redefine it."""
    assert resource_grants.JointGrant in Grant.__subclasses__()
    for sub in Grant.__subclasses__():
        assert sub.conditional is Grant.conditional
    j = resource_grants.JointGrant(
        "a", "r", Result(Decision.UNKNOWN), parts=(Grant("b", "r", Result(Decision.ALLOWED)),)
    )
    assert Evidence("t", EdgeKind.PASS_ROLE, (j,)).conditional
