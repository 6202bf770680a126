"""A spec technique's self-test cases are built when first read, once, and are then the tuple the
family's case builder gives (plus the spec's extra cases)."""

from __future__ import annotations

import pickle

import pytest

from iamgraph.techniques.base import Case
from iamgraph.techniques.case_builders import LazyCases, passrole_cases
from iamgraph.techniques.families import specs
from iamgraph.techniques.families.vehicles import Resource


def test_built_once_on_first_read_and_then_a_tuple() -> None:
    calls: list[int] = []
    made = (Case("a", True, {}, "src"), Case("b", False, {}, "src"))

    def build() -> tuple[Case, ...]:
        calls.append(1)
        return made

    lazy = LazyCases(build)
    assert calls == []
    assert len(lazy) == 2 and list(lazy) == list(made) and lazy[0] is made[0] and lazy[1:] == made[1:]
    assert lazy == made and made == lazy and repr(lazy) == repr(made)
    for cases in (lazy, made):  # a Case holds a dict: neither hashes
        with pytest.raises(TypeError):
            hash(cases)
    assert lazy != made[:1] and lazy != list(made)
    assert lazy == LazyCases(lambda: made)
    assert pickle.loads(pickle.dumps(lazy)) == made and type(pickle.loads(pickle.dumps(lazy))) is tuple
    assert (*lazy, *made[:1]) == (*made, made[0])
    assert calls == [1]


def test_a_spec_builds_its_cases_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """new_passrole with extra cases: nothing built at definition, then the builder's cases and the
    extras, in that order, from the spec's own arguments."""
    seen: list[dict[str, object]] = []

    def counting(**kw: object) -> tuple[Case, ...]:
        seen.append(kw)
        return passrole_cases(**kw)  # type: ignore[arg-type]

    monkeypatch.setattr(specs, "passrole_cases", counting)
    extra = Case("extra", False, {}, "src")
    t = specs.new_passrole(
        id="lambda-lazy",
        vehicle=Resource.LAMBDA_FUNCTION,
        steps=("lambda:CreateFunction", "lambda:InvokeFunction"),
        description="d",
        remediation="r",
        extra_cases=[extra],
    )
    assert seen == []
    cases = tuple(t.cases)
    kind = Resource.LAMBDA_FUNCTION.value
    want = passrole_cases(
        service=kind.principal,
        steps=("lambda:CreateFunction", "lambda:InvokeFunction"),
        prefix=kind.prefix,
        instance_profile=kind.instance_profile,
        named=(("lambda:CreateFunction", kind.arn), ("lambda:InvokeFunction", kind.arn)),
    )
    assert cases == (*want, extra) and len(seen) == 1
    tuple(t.cases)
    assert len(seen) == 1
