"""`caller_facts(arn)` is `Caller(arn)`'s (account, is_service, is_service_linked) for every ARN:
IAM users and roles (service-linked or not), sessions, roots, services and malformed text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamgraph.evaluate.matching import Caller, caller_facts

ARNS = [
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/people/tom.smith",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForEB",
    "arn:aws:iam::111122223333:role/aws-service-role",
    "arn:aws:iam::111122223333:role/path/aws-service-role/x",
    "arn:aws:iam::111122223333:root",
    "arn:aws-cn:iam::111122223333:role/app",
    "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForSupport/s",
    "arn:aws:sts::111122223333:assumed-role/app/s",
    "arn:aws:sts::111122223333:federated-user/bob",
    "arn:aws:iam::111122223333",
    "arn:aws:iam:::user/x",
    "lambda.amazonaws.com",
    "",
    "arn:aws:iam::1:role/aws-service-role/a:b:c",
]


def _expected(arn: str) -> tuple[str, bool, bool]:
    c = Caller(arn)
    return (c.account, c.is_service, c.is_service_linked)


@pytest.mark.parametrize("arn", ARNS)
def test_the_facts_are_callers(arn: str) -> None:
    assert caller_facts(arn) == _expected(arn)


_PIECES = st.sampled_from(
    ["arn", "aws", "iam", "sts", "", "1", "role/", "user/", "aws-service-role/", "assumed-role/", "x"]
)


@given(st.lists(_PIECES, max_size=8), st.lists(st.sampled_from([":", "/", ""]), max_size=8))
def test_the_facts_are_callers_for_any_text(pieces: list[str], seps: list[str]) -> None:
    arn = "".join(p + s for p, s in zip(pieces, seps + [""] * len(pieces), strict=False))
    assert caller_facts(arn) == _expected(arn)
