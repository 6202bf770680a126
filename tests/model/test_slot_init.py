"""slot_init gives a frozen slots dataclass an __init__ through the slots' setters: the same
parameters (names, kinds, defaults) as the generated one, every field stored as given, defaults
and fresh default-factory values otherwise, __post_init__ called, still frozen; what it does not
support is refused."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import InitVar, dataclass, field
from typing import Any

import pytest

from iamgraph.evaluate.types import PolicySet, Request, Result, StatementRef, Step
from iamgraph.model import (
    Condition,
    Group,
    ManagedPolicy,
    Policy,
    PolicyDocument,
    PolicyRef,
    PolicyVersion,
    Principal,
    Role,
    Statement,
    User,
)
from iamgraph.model.sar_data import SarAction
from iamgraph.model.slot_init import slot_init
from iamgraph.query.base import Hop
from iamgraph.query.report import EvidenceRow, FindingRecord, HopRecord, NodeInfo
from iamgraph.techniques.admin import AdminStatus
from iamgraph.techniques.base import Proposal
from iamgraph.techniques.grant_share import _ActionPart

MODEL = [
    PolicyRef,
    Condition,
    Principal,
    Statement,
    PolicyDocument,
    Policy,
    PolicyVersion,
    ManagedPolicy,
    User,
    Group,
    Role,
]
OTHERS = [AdminStatus, SarAction, _ActionPart, Hop, HopRecord, EvidenceRow, FindingRecord, NodeInfo]
DECORATED = [Request, PolicySet, StatementRef, Result, Step, Proposal, *MODEL, *OTHERS]


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_parameters_are_the_fields(cls: type) -> None:
    params = list(inspect.signature(cls).parameters.values())
    fs = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fs]
    for p, f in zip(params, fs):
        want_kind = inspect.Parameter.KEYWORD_ONLY if f.kw_only else inspect.Parameter.POSITIONAL_OR_KEYWORD
        assert p.kind is want_kind, f.name
        if f.default is not dataclasses.MISSING:
            assert p.default is f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert repr(p.default) == "<factory>", f.name
        else:
            assert p.default is inspect.Parameter.empty, f.name


def _construct(cls: type, values: dict[str, Any]) -> Any:
    fs = dataclasses.fields(cls)
    pos = [values[f.name] for f in fs if not f.kw_only and f.name in values]
    kw = {f.name: values[f.name] for f in fs if f.kw_only and f.name in values}
    return cls(*pos, **kw)


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_every_field_is_stored_as_given(cls: type) -> None:
    values = {f.name: object() for f in dataclasses.fields(cls)}  # each its own object
    obj = _construct(cls, values)
    for name, v in values.items():
        assert getattr(obj, name) is v, name
    # and by keyword, as dataclasses.replace passes them
    again = cls(**values)
    for name, v in values.items():
        assert getattr(again, name) is v, name


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_defaults_and_fresh_factory_values(cls: type) -> None:
    fs = dataclasses.fields(cls)
    required = {
        f.name: object() for f in fs if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    a, b = _construct(cls, required), _construct(cls, required)
    for f in fs:
        if f.default is not dataclasses.MISSING:
            assert getattr(a, f.name) is f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert getattr(a, f.name) == f.default_factory(), f.name
            assert getattr(a, f.name) is not getattr(b, f.name), f.name  # one per instance


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_still_frozen(cls: type) -> None:
    obj = cls(**{f.name: None for f in dataclasses.fields(cls)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, dataclasses.fields(cls)[0].name, 1)


@slot_init
@dataclass(frozen=True, slots=True)
class _WithPost:
    a: int
    b: list[int] = field(default_factory=list)
    seen: list[str] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        self.seen.append(f"{self.a}:{self.b}")


def test_post_init_is_called_after_the_fields() -> None:
    assert _WithPost(1, [2]).seen == ["1:[2]"]
    assert _WithPost(3).seen == ["3:[]"]


def test_what_it_does_not_support_is_refused() -> None:
    with pytest.raises(TypeError):

        @slot_init
        @dataclass(frozen=True)  # no slots
        class _NoSlots:
            a: int

    with pytest.raises(TypeError):

        @slot_init
        @dataclass(slots=True)  # not frozen
        class _NotFrozen:
            a: int

    with pytest.raises(TypeError):

        @slot_init
        @dataclass(frozen=True, slots=True)
        class _NotInInit:
            a: int
            b: int = field(init=False, default=0)

    with pytest.raises(TypeError):

        @slot_init
        @dataclass(frozen=True, slots=True)
        class _InitVar:
            a: int
            b: InitVar[int] = 0
