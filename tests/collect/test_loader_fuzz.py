"""Mutated inputs: whatever happens, nothing but InputError escapes load_snapshot (issue 2 §2)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from gaad_builders import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamgraph.collect.loader import load_snapshot
from iamgraph.errors import InputError
from iamgraph.model import Snapshot

SEEDS = [json.loads((DATA / name).read_text()) for name in ("cli_account.json", "moto_boto3.json")]
SEEDS.append(
    {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {
                "account_id": "111122223333",
                "authorization_details": SEEDS[0],
                "identity_providers": [{"arn": "arn:aws:iam::111122223333:saml-provider/okta", "type": "saml"}],
                "inventory": [
                    {
                        "arn": "arn:aws:ec2:eu-west-1:111122223333:instance/i-1",
                        "service": "ec2",
                        "resource_type": "instance",
                        "role_arn": "arn:aws:iam::111122223333:role/admin",
                    }
                ],
                "inventory_collected": ["ec2"],
                "resource_policies": [
                    {
                        "resource_arn": "arn:aws:sqs:eu-west-1:111122223333:q",
                        "service": "sqs",
                        "policy": {
                            "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}
                        },
                    }
                ],
                "collection_gaps": [{"api": "ec2:DescribeInstances"}],
            }
        ],
        "organization": {
            "accounts": {
                "111122223333": [
                    {
                        "id": "r-1",
                        "kind": "root",
                        "scps": [
                            {
                                "arn": "arn:aws:organizations::999999999999:policy/o-1/p-1",
                                "document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                            }
                        ],
                    }
                ]
            }
        },
    }
)
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.just([]),
    st.just({}),
    st.just([1, "x"]),
    st.just({"Effect": 1}),
    st.sampled_from(["arn:aws:iam::111122223333:user/z", "%7B", "*", "Allow", "Deny"]),
)


def _containers(value: Any) -> list[Any]:
    out = [value]
    if isinstance(value, dict):
        for v in value.values():
            out.extend(_containers(v))
    elif isinstance(value, list):
        for v in value:
            out.extend(_containers(v))
    return [c for c in out if isinstance(c, (dict, list)) and c]


@st.composite
def mutated_json(draw: st.DrawFn) -> Any:
    obj = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(_containers(obj)))
        if isinstance(target, dict):
            key = draw(st.sampled_from(sorted(target)))
            if draw(st.booleans()):
                del target[key]
            else:
                target[key] = copy.deepcopy(draw(WRONG))
        else:
            index = draw(st.integers(0, len(target) - 1))
            target[index] = copy.deepcopy(draw(WRONG))
    return obj


def _check(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.json"
        path.write_bytes(data)
        try:
            result = load_snapshot([path])
        except InputError as exc:
            assert exc.file == str(path) and "\n" not in exc.one_line()
        else:
            assert isinstance(result, Snapshot)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_json())
def test_structural_mutations(obj):
    _check(json.dumps(obj).encode())


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_byte_mutations(data):
    raw = bytearray(json.dumps(data.draw(st.sampled_from(SEEDS)), indent=1).encode())
    action = data.draw(st.sampled_from(["truncate", "flip", "insert"]))
    pos = data.draw(st.integers(0, len(raw) - 1))
    if action == "truncate":
        raw = raw[:pos]
    elif action == "flip":
        for _ in range(data.draw(st.integers(1, 5))):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    else:
        raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=4))
    if data.draw(st.booleans()):
        raw = bytearray(b"\xff\xfe" + bytes(raw).decode("utf-8", "replace").encode("utf-16-le"))
    _check(bytes(raw))


def test_seeds_are_valid():
    """The fuzzers start from inputs that load cleanly, so mutations probe the edge of validity."""
    for seed in SEEDS:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "seed.json"
            path.write_text(json.dumps(seed))
            assert load_snapshot([path]).users
