"""Round 8's loader shortcuts give what the code they replace gave:

- the plain-IAM-ARN tests remember the prefixes they accepted ("arn:<partition>:iam:<region>:
  <account>:<kind>/") and answer `startswith` first: the same answers as the regex alone, per
  (kind, AWS-owned) test, whatever was asked before;
- the page reader skips the account split for ARNs starting with the first account's prefix:
  the same account error (or none) as splitting every ARN, over partitions and regions.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.collect import gaad
from iamgraph.collect.gaad import _plain_arn_pattern, _PlainArnTest, parse_gaad
from iamgraph.errors import InputError

_KINDS = ("user/", "group/", "role/", "policy/")
_PARTS = st.tuples(
    st.sampled_from(["arn", "Arn", "", "xarn"]),
    st.sampled_from(["aws", "aws-cn", ""]),
    st.sampled_from(["iam", "IAM", "s3"]),
    st.sampled_from(["", "eu-west-1"]),
    st.sampled_from(["111122223333", "444455556666", "11112222333", "1111222233334", "aws", ""]),
    st.sampled_from(["role/x", "role/", "user/x", "policy/p", "group/g", "rolex", "role", "role/x:y", "r"]),
).map(":".join)
_TEXTS = st.one_of(_PARTS, st.sampled_from(["arn:aws:iam::111122223333:role", "arn:aws:iam::111122223333:"]))


def _memo_answers(texts: list[str], prefix: str, aws_owned: bool) -> list[bool]:
    test = _PlainArnTest(_plain_arn_pattern(prefix, aws_owned))
    return [v.startswith(test.prefixes) or test.accepts(v) for v in texts]


@settings(max_examples=500, deadline=None)
@given(st.lists(_TEXTS, max_size=12), st.sampled_from(_KINDS), st.booleans())
def test_prefix_memo_answers_as_the_regex(texts: list[str], prefix: str, aws_owned: bool) -> None:
    match = _plain_arn_pattern(prefix, aws_owned)
    assert _memo_answers(texts, prefix, aws_owned) == [match(v) is not None for v in texts]


@pytest.mark.parametrize(
    ("texts", "prefix", "aws_owned"),
    [
        # a prefix cut short (no "/", no kind, no account) would accept the second
        (["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:rolex"], "role/", False),
        (["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:user/a"], "role/", False),
        (["arn:aws:iam::111122223333:role/a", "arn:aws:iam::11112222333:role/a"], "role/", False),
        (["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policyA"], "policy/", True),
        (["arn:aws:iam:eu-west-1:111122223333:role/a", "arn:aws:iam::111122223333:role/a"], "role/", False),
    ],
)
def test_prefix_memo_cases(texts: list[str], prefix: str, aws_owned: bool) -> None:
    match = _plain_arn_pattern(prefix, aws_owned)
    assert _memo_answers(texts, prefix, aws_owned) == [match(v) is not None for v in texts]


def test_prefix_memos_are_per_kind_and_ownership() -> None:
    """The readers' memos are keyed by (kind, AWS-owned): what one accepted, another still tests."""
    assert gaad._plain_iam_arn("arn:aws:iam::111122223333:role/r", "role/", False)
    assert not gaad._plain_iam_arn("arn:aws:iam::111122223333:role/r", "user/", False)
    assert gaad._plain_iam_arn("arn:aws:iam::aws:policy/A", "policy/", True)
    assert not gaad._plain_iam_arn("arn:aws:iam::aws:policy/B", "policy/", False)
    assert len({id(t) for t in gaad._PLAIN_IAM_ARN.values()}) == len(gaad._PLAIN_IAM_ARN)


def test_prefix_memo_is_bounded_and_keeps_the_latest() -> None:
    test = _PlainArnTest(_plain_arn_pattern("role/", False))
    accounts = [str(100000000000 + n) for n in range(3 * gaad._MAX_PREFIXES)]
    for account in accounts:
        assert test.accepts(f"arn:aws:iam::{account}:role/r")
    assert test.prefixes == tuple(f"arn:aws:iam::{a}:role/" for a in reversed(accounts[-gaad._MAX_PREFIXES :]))
    assert not test.accepts("arn:aws:iam::aws:role/r")
    assert _memo_answers([f"arn:aws:iam::{a}:role/x" for a in accounts], "role/", False) == [True] * len(accounts)


# ---- the page reader's account check -----------------------------------------------------------

_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}
_ARN_HEADS = st.tuples(
    st.sampled_from(["aws", "aws-cn"]),
    st.sampled_from(["", "eu-west-1"]),
    st.sampled_from(["111122223333", "444455556666"]),
)


def _role(head: tuple[str, str, str], n: int) -> dict[str, Any]:
    partition, region, account = head
    return {"Arn": f"arn:{partition}:iam:{region}:{account}:role/r{n}", "RoleName": f"r{n}", "Path": "/"} | {
        "AssumeRolePolicyDocument": _TRUST
    }


def _expected(roles: list[dict[str, Any]], account_id: str | None) -> str | None:
    """The check as defined: every ARN split, the first account other than the page's."""
    accounts = [(r["Arn"].split(":", 5)[4], f"$.RoleDetailList[{i}]") for i, r in enumerate(roles)]
    expected = account_id or (accounts[0][0] if accounts else None)
    for account, path in accounts:
        if account != expected:
            return (
                f"in.json at {path}.Arn: ARN of account {account} in a page of account {expected}: "
                "one GAAD page holds one account"
            )
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(_ARN_HEADS, min_size=1, max_size=6), st.sampled_from((None, "111122223333")))
def test_account_check_over_partitions_and_regions(heads: list[tuple[str, str, str]], account_id: str | None) -> None:
    roles = [_role(h, n) for n, h in enumerate(heads)]
    want = _expected(roles, account_id)
    try:
        snap = parse_gaad({"RoleDetailList": roles}, file="in.json", account_id=account_id)
    except InputError as exc:
        assert str(exc) == want
    else:
        assert want is None
        assert set(snap.roles) == {r["Arn"] for r in roles}
