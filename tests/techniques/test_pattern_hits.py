"""AccountIndex._hits tries only the ARNs that start with a pattern's text before its first
wildcard: the same set as matching the pattern against every ARN of the group."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.matching import resource_matches
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account

PREFIX = f"arn:aws:iam::{ACCOUNT}:role/"
NAMES = st.text(alphabet="ab/:-*?", min_size=0, max_size=6)


def _index() -> AccountIndex:
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": ACCOUNT, "authorization_details": account()}],
    }
    return AccountIndex(parse_snapshot_document(doc, file="case:hits"))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    arns=st.lists(st.text(alphabet="ab/:-", min_size=0, max_size=6).map(lambda s: PREFIX + s), max_size=12),
    pattern=st.one_of(NAMES.map(lambda s: PREFIX + s), NAMES, st.just("*"), st.just(PREFIX[:9] + "*:role/a*")),
)
def test_prefix_pool_matches_every_arn(arns: list[str], pattern: str) -> None:
    idx = _index()
    got = idx._hits(pattern, tuple(arns), "g")
    assert got == frozenset(a for a in arns if resource_matches(pattern, a))


def test_one_sorted_pool_per_group() -> None:
    idx = _index()
    arns = (PREFIX + "b-1", PREFIX + "a-2", PREFIX + "a-1", PREFIX + "ab")
    assert idx._hits(PREFIX + "a-*", arns, "g") == {PREFIX + "a-1", PREFIX + "a-2"}
    assert idx._hits(PREFIX + "a?", arns, "g") == {PREFIX + "ab"}
    assert idx._hits(PREFIX + "b-1", arns, "g") == {PREFIX + "b-1"}
    assert idx._sorted_arns["g"] == sorted(arns)
