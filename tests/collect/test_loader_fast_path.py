"""The GAAD reader's fast paths (gaad_fast) and the document/statement caches give exactly what
the full reader gives: same entities (every field, raw documents included), warnings and errors."""

from __future__ import annotations

import dataclasses
import enum
import json
from typing import Any

from gaad_builders import DATA, doc, gaad, managed, role
from hypothesis import HealthCheck, given, settings
from test_loader_fuzz import SEEDS, mutated_json

from iamgraph.collect.gaad import parse_gaad
from iamgraph.errors import InputError


def _plain(v: Any) -> Any:
    """Every field of every dataclass (memo left out), for a comparison that == would not make
    (tags, create_date and raw are compare=False)."""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return (
            type(v).__name__,
            *((f.name, _plain(getattr(v, f.name))) for f in dataclasses.fields(v) if f.name != "memo"),
        )
    if isinstance(v, enum.Enum):
        return (type(v).__name__, v.value)
    if isinstance(v, dict):
        return ("dict", *((_plain(k), _plain(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, *map(_plain, v))
    return (type(v).__name__, v)


def _outcome(obj: Any, fast: bool) -> Any:
    try:
        return _plain(parse_gaad(obj, file="in.json", fast=fast))
    except InputError as exc:
        return ("error", exc.one_line())


def _same(obj: Any) -> None:
    assert _outcome(obj, True) == _outcome(obj, False)


def test_fast_path_equals_full_reader_on_the_data_files():
    for p in sorted(DATA.glob("*.json")):
        obj = json.loads(p.read_text())
        if "format" not in obj:
            _same(obj)


@settings(
    max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(mutated_json())
def test_fast_path_equals_full_reader_on_mutations(obj):
    if isinstance(obj, dict) and "format" in obj:
        obj = (
            obj["accounts"][0]["authorization_details"]
            if isinstance(obj.get("accounts"), list)
            and obj["accounts"]
            and isinstance(obj["accounts"][0], dict)
            and "authorization_details" in obj["accounts"][0]
            else SEEDS[0]
        )
    _same(obj)


def test_odd_but_valid_shapes():
    trust = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    cases = [
        role("r", Tags={"k": "v"}),  # dict form of tags
        role("r", Description=None, RoleLastUsed={}),
        role("r", Description="caf\u00e9 \U0001f600", Tags=[{"Key": "\u00e9", "Value": "x"}]),
        role("r", Description="bad \ud800"),
        role("r", Path="", RoleName=""),
        role("r", InstanceProfileList=[{"Arn": "arn:aws:iam::111122223333:instance-profile/p"}]),
        role("r", InstanceProfileList=[{"Arn": "not-an-arn"}]),
        role("r", MaxSessionDuration=True),
        role("r", RolePolicyList=[{"PolicyDocument": trust}]),  # no PolicyName: warns
        role("r", CreateDate=5),
    ]
    for r in cases:
        _same(gaad(roles=[r]))
    _same(gaad(policies=[managed("p", ("", True, trust))]))
    _same(gaad(policies=[managed("p", ("v1", True, trust), ("v2", True, trust))]))


def test_document_cache_key_holds_version_and_every_statement_in_order():
    """Mutation check of the (Version, statement reprs) key: each part changes the result."""
    a = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    b = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    docs = [
        {"Version": "2012-10-17", "Statement": [a, b]},
        {"Version": "2008-10-17", "Statement": [a, b]},
        {"Version": "2012-10-17", "Statement": [b, a]},
        {"Version": "2012-10-17", "Statement": [a]},
        {"Statement": [a, b], "Version": "2012-10-17"},  # other key order: raw differs
    ]
    policies = [managed(f"p{i}", ("v1", True, d)) for i, d in enumerate(docs)]
    snap = parse_gaad(gaad(policies=policies), file="in.json")
    got = [snap.policies[p["Arn"]].default_document for p in policies]
    assert [d.version for d in got] == ["2012-10-17", "2008-10-17", "2012-10-17", "2012-10-17", "2012-10-17"]
    assert [[(s.effect.value, s.index) for s in d.statements] for d in got] == [
        [("Allow", 0), ("Deny", 1)],
        [("Allow", 0), ("Deny", 1)],
        [("Deny", 0), ("Allow", 1)],
        [("Allow", 0)],
        [("Allow", 0), ("Deny", 1)],
    ]
    assert [list(d.raw) for d in got][4] == ["Statement", "Version"]  # type: ignore[call-overload]
