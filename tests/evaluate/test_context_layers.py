"""A layered context (`Context.over`) answers exactly as the flat context of the merged mapping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.evaluate.conditions import UNKNOWN, Context

KEYS = [
    "aws:PrincipalArn",
    "aws:username",
    "aws:SourceIp",
    "aws:RequestTag/team",
    "s3:prefix",
    "aws:MultiFactorAuthPresent",
]
VALUES = st.one_of(st.none(), st.text(max_size=3), st.lists(st.text(max_size=2), max_size=2), st.booleans())
# one spelling per key: a flat mapping holding two spellings of one key is order-dependent
MAPPING = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6)
ABSENT = st.frozensets(st.sampled_from(KEYS + [k.lower() for k in KEYS]), max_size=3)


@settings(max_examples=300, derandomize=True)
@given(base=MAPPING, overlay=MAPPING, base_absent=ABSENT, absent=ABSENT, open_world=st.booleans())
def test_layered_equals_merged(
    base: dict, overlay: dict, base_absent: frozenset[str], absent: frozenset[str], open_world: bool
) -> None:
    merged = dict(base)
    merged.update(overlay)
    flat = Context.from_mapping(merged, (), open_world, base_absent | absent)
    layered = Context.over(Context.from_mapping(base, (), open_world, base_absent), overlay, absent)
    for k in KEYS:
        assert layered.get(k.lower()) == flat.get(k.lower()), k


def test_null_in_the_overlay_hides_the_base_value() -> None:
    base = Context.from_mapping({"aws:SourceIp": "10.0.0.1"}, (), True, frozenset())
    hidden = Context.over(base, {"aws:SourceIp": None})
    assert hidden.get("aws:sourceip") is UNKNOWN  # open world: no longer the base's value
    assert Context.over(base, {"aws:SourceIp": None}, frozenset({"aws:SourceIp"})).get("aws:sourceip") is None
    assert Context.over(base, {}).get("aws:sourceip") == ("10.0.0.1",)


def test_keys_are_case_insensitive_across_layers() -> None:
    base = Context.from_mapping({"aws:PrincipalArn": "arn:aws:iam::1:role/a"}, (), True, frozenset())
    assert Context.over(base, {"AWS:PRINCIPALARN": "arn:aws:iam::1:role/b"}).get("aws:principalarn") == (
        "arn:aws:iam::1:role/b",
    )
    assert (
        Context.over(base, {"AWS:PRINCIPALARN": None}, frozenset({"AWS:PrincipalArn"})).get("aws:principalarn") is None
    )
