"""The GAAD page reader's account check and entry tests, as they were defined before the reader
stopped building lists of every entity: the error names the first entity (in reading order,
AWS-owned policies left out) whose account is not the page's (the given account, else the first
entity's); a list holding a non-object fails on that entry before any entry of it is read."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.collect.gaad import parse_gaad
from iamgraph.errors import InputError

_ACCOUNTS = ("111122223333", "444455556666", "777788889999")
_KINDS = (
    ("UserDetailList", "user", "UserName"),
    ("RoleDetailList", "role", "RoleName"),
    ("Policies", "policy", "PolicyName"),
)
_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}
_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def _entity(key: str, kind: str, name_key: str, account: str, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {"Arn": f"arn:aws:iam::{account}:{kind}/e{n}", name_key: f"e{n}", "Path": "/"}
    if key == "RoleDetailList":
        out["AssumeRolePolicyDocument"] = _TRUST
    if key == "Policies":
        out.update(
            DefaultVersionId="v1", PolicyVersionList=[{"VersionId": "v1", "IsDefaultVersion": True, "Document": _DOC}]
        )
    return out


def _expected_error(page: dict[str, Any], account_id: str | None) -> str | None:
    """The check as defined: every entity's account in reading order, then the first mismatch."""
    seen = []
    for key, _, _ in (*_KINDS[:1], ("GroupDetailList", "", ""), *_KINDS[1:]):
        for i, e in enumerate(page.get(key, ())):
            account = e["Arn"].split(":")[4]
            if account != "aws":
                seen.append((account, f"$.{key}[{i}]"))
    expected = account_id or (seen[0][0] if seen else None)
    for account, path in seen:
        if account != expected:
            return (
                f"in.json at {path}.Arn: ARN of account {account} in a page of account {expected}: "
                "one GAAD page holds one account"
            )
    return None


_ENTITIES = st.lists(st.tuples(st.sampled_from(range(len(_KINDS))), st.sampled_from((*_ACCOUNTS, "aws"))), max_size=8)


@settings(max_examples=300, deadline=None)
@given(_ENTITIES, st.sampled_from((None, *_ACCOUNTS)))
def test_account_check_names_the_first_entity_of_another_account(
    entities: list[tuple[int, str]], account_id: str | None
) -> None:
    page: dict[str, Any] = {key: [] for key, _, _ in _KINDS}
    for n, (k, account) in enumerate(entities):
        key, kind, name_key = _KINDS[k]
        if account == "aws" and key != "Policies":
            account = _ACCOUNTS[0]
        page[key].append(_entity(key, kind, name_key, account, n))
    want = _expected_error(page, account_id)
    try:
        snapshot = parse_gaad(page, file="in.json", account_id=account_id)
    except InputError as exc:
        assert str(exc) == want
    else:
        assert want is None
        seen = [e["Arn"].split(":")[4] for key, _, _ in _KINDS for e in page[key]]
        first = account_id or next((a for a in seen if a != "aws"), None)
        assert snapshot.account_ids == ((first,) if first else ())


_BAD_DOC = "not json"


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (  # a page list: entry 2 is not an object, entry 0 would fail when read
            {"RoleDetailList": [{"Arn": "bad"}, {}, 1]},
            "in.json at $.RoleDetailList[2]: RoleDetailList entries must be objects",
        ),
        (  # inline policies: entry 1 is not an object, entry 0's document is bad
            {
                "RoleDetailList": [
                    {
                        "Arn": "arn:aws:iam::111122223333:role/r",
                        "AssumeRolePolicyDocument": _TRUST,
                        "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": _BAD_DOC}, "x"],
                    }
                ]
            },
            "in.json at $.RoleDetailList[0].RolePolicyList[1]: RolePolicyList entries must be objects",
        ),
        (  # policy versions: entry 1 is not an object, entry 0 has no Document
            {
                "Policies": [
                    {"Arn": "arn:aws:iam::111122223333:policy/p", "PolicyVersionList": [{"VersionId": "v1"}, []]}
                ]
            },
            "in.json at $.Policies[0].PolicyVersionList[1]: PolicyVersionList entries must be objects",
        ),
        (  # instance profiles: entry 1 is not an object, entry 0 has no Arn
            {
                "RoleDetailList": [
                    {
                        "Arn": "arn:aws:iam::111122223333:role/r",
                        "AssumeRolePolicyDocument": _TRUST,
                        "InstanceProfileList": [{}, 5],
                    }
                ]
            },
            "in.json at $.RoleDetailList[0].InstanceProfileList[1]: InstanceProfileList entries must be objects",
        ),
        (  # the lists are read in order: the inline document's error comes before a bad later entry's
            {
                "RoleDetailList": [
                    {
                        "Arn": "arn:aws:iam::111122223333:role/r",
                        "AssumeRolePolicyDocument": _TRUST,
                        "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": 1}}],
                    },
                    {"Arn": "bad"},
                ]
            },
            "in.json at $.RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement: "
            "Statement must be an object or a list",
        ),
    ],
)
def test_a_list_with_a_non_object_fails_on_it_before_reading_any_entry(page: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_gaad(page, file="in.json")
    assert str(err.value) == message
