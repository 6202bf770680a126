"""IAM wildcard matching never backtracks: agreement with two reference implementations, and
worst-case inputs whose operation count stays within len(value) x len(pattern)."""

from __future__ import annotations

import re
import time
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamgraph.evaluate.matching import (
    GlobProgram,
    action_matches,
    compile_marked,
    glob_match,
    resource_matches,
)
from iamgraph.evaluate.variables import WILD_ONE, WILD_STAR, mark

PROPS = settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def reference(pattern: str, value: str, arn_segments: bool) -> bool:
    """Textbook memoised recursion over (pattern index, value index): the specification."""

    @cache
    def m(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(value)
        c = pattern[i]
        if c == WILD_STAR:
            bounded = arn_segments and i + 1 < len(pattern) and pattern[i + 1] != ":"
            if m(i + 1, j):
                return True
            return j < len(value) and not (bounded and value[j] == ":") and m(i, j + 1)
        if j == len(value):
            return False
        return (c == WILD_ONE or c == value[j]) and m(i + 1, j + 1)

    return m(0, 0)


def regex_reference(pattern: str, value: str, arn_segments: bool) -> bool:
    """The previous implementation (a backtracking regex): fine on short inputs."""
    out = []
    for i, ch in enumerate(pattern):
        if ch == WILD_STAR:
            out.append("[^:]*" if arn_segments and i + 1 < len(pattern) and pattern[i + 1] != ":" else ".*")
        elif ch == WILD_ONE:
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.fullmatch("".join(out), value, re.DOTALL) is not None


patterns = st.text(alphabet="ab:*?/", max_size=12).map(mark)
values = st.text(alphabet="ab:/", max_size=14)


@PROPS
@given(patterns, values, st.booleans())
def test_agrees_with_references(pattern: str, value: str, arn_segments: bool) -> None:
    want = reference(pattern, value, arn_segments)
    assert regex_reference(pattern, value, arn_segments) == want
    assert compile_marked(pattern, arn_segments)(value) == want
    assert GlobProgram(pattern, arn_segments).match(value) == want


@PROPS
@given(patterns, values, st.booleans())
def test_cost_within_product_bound(pattern: str, value: str, arn_segments: bool) -> None:
    ok, ops = GlobProgram(pattern, arn_segments).cost(value)
    assert ok == reference(pattern, value, arn_segments)
    assert ops <= (len(value) + 1) * (len(pattern) + 1)


def _hostile(stars: int) -> str:
    return "a*" * stars + "b"


def test_worst_case_plain_stars_is_bounded() -> None:
    value = "a" * 20_000
    for stars in (8, 16, 24):
        prog = GlobProgram(mark(_hostile(stars)))
        ok, ops = prog.cost(value)
        assert not ok
        assert ops <= (len(value) + 1) * (2 * stars + 2)
        # the middle pieces are found at once; only the final piece fails
        assert ops < 4 * stars + 10
        # a middle piece that is nowhere: one scan of the value, then give up (no retry)
        prog = GlobProgram(mark("*" + "ab*" * stars + "c"))
        ok, ops = prog.cost(value + "c")
        assert not ok and ops <= 2 * (len(value) + 2) + 2


def test_worst_case_segment_bound_stars_is_linear() -> None:
    """ARN resource patterns with `*` inside a segment run the NFA: one step per character."""
    pattern = mark("arn:aws:s3:::" + _hostile(24))
    value = "arn:aws:s3:::" + "a" * 20_000
    prog = GlobProgram(pattern, arn_segments=True)
    ok, ops = prog.cost(value)
    assert not ok and ops <= len(value)
    ok, ops = prog.cost(value + "b")
    assert ok and ops == len(value) + 1


def test_hostile_patterns_finish_quickly_through_public_api() -> None:
    """A generous wall-clock backstop over the entry points the evaluator uses (was minutes)."""
    long_name = "a" * 50_000
    start = time.perf_counter()
    assert not action_matches("s3:" + _hostile(24), "s3:" + long_name)
    assert not resource_matches("arn:aws:s3:::" + _hostile(24), "arn:aws:s3:::" + long_name)
    assert not resource_matches("arn:aws:s3:::x/" + "*a" * 24 + ":b", "arn:aws:s3:::x/" + long_name)
    assert not glob_match(_hostile(24), long_name)
    assert glob_match(_hostile(24), long_name + "b")
    assert time.perf_counter() - start < 5.0


def test_semantics_examples() -> None:
    arn = "arn:aws:iam::123456789012:role/app/deploy"
    assert resource_matches("arn:aws:iam::*:role/*", arn)
    assert resource_matches("arn:aws:iam::123456789012:role/*/deploy", arn)
    assert not resource_matches("arn:aws:iam::*:role/d*", arn)
    assert resource_matches("arn:aws:iam:*:role/*", arn)  # `*:` crosses segments
    assert not resource_matches("arn:aws:iam::1*2:role/*", "arn:aws:iam::1:x:2:role/a")
    assert action_matches("IAM:Pass*", "iam:passrole") and action_matches("iam:?assRole", "iam:PassRole")
    assert not action_matches("iam:?assRole", "iam:assRole")
    assert glob_match("a*b?c", "a:b:xbzc") and not glob_match("a*b?c", "a:b:xbc")


@PROPS
@given(patterns, values)
def test_segment_prefilter_is_sound_and_bounded(pattern: str, value: str) -> None:
    """compile_marked puts the all-free-star program in front of a segment-bound NFA: it must never
    reject a value the NFA accepts, and both together stay within twice the product bound."""
    relaxed, exact = GlobProgram(pattern, False), GlobProgram(pattern, True)
    ok_relaxed, ops_relaxed = relaxed.cost(value)
    ok_exact, ops_exact = exact.cost(value)
    assert ok_exact <= ok_relaxed  # the relaxation accepts a superset
    assert compile_marked(pattern, True)(value) == ok_exact == reference(pattern, value, True)
    assert ops_relaxed + ops_exact <= 2 * (len(value) + 1) * (len(pattern) + 1)


def test_segment_prefilter_rejects_misses_without_the_nfa() -> None:
    """A role pattern with a segment-bound `*`: names without the literal piece are rejected by the
    free-star prefilter (str.find), names with it still get the NFA's exact answer."""
    pattern = "arn:aws:iam::*:role/*AmazonSageMaker*"
    matcher = compile_marked(mark(pattern), True)
    assert matcher("arn:aws:iam::111122223333:role/x-AmazonSageMaker-y")
    assert not matcher("arn:aws:iam::111122223333:role/app-deploy")
    assert matcher("arn:aws:iam::111122223333:role/AmazonSageMaker:x")  # the last `*` is free
    assert not GlobProgram(mark(pattern), False).match("arn:aws:iam::111122223333:role/app-deploy")
    bounded = compile_marked(mark("arn:aws:s3:::b/*x/y"), True)
    assert not bounded("arn:aws:s3:::b/a:x/y")  # the relaxation accepts it; the NFA rejects it
    assert bounded("arn:aws:s3:::b/ax/y")


@PROPS
@given(
    prefix=st.text(alphabet="ab:/?", max_size=8),
    pattern=st.text(alphabet="ab:*?/", max_size=8),
    value=st.text(alphabet="ab:/", max_size=16),
)
def test_segment_nfa_with_a_literal_prefix_agrees_with_the_reference(prefix: str, pattern: str, value: str) -> None:
    """The NFA compares the text before its first wildcard with startswith and starts after it:
    the same answer as the specification, for values that start with the prefix, share only part
    of it or are shorter (`*b` makes the segment-bound star that puts the pattern on the NFA)."""
    marked = mark(prefix + "*b" + pattern)
    prog = GlobProgram(marked, True)
    assert prog._nfa is not None
    near = prefix[:-1] + ("b" if prefix.endswith("a") else "a") + value  # differs in the prefix's last character
    for v in (value, prefix + value, prefix.replace("?", "a") + value, prefix[: len(prefix) // 2], near):
        assert prog.match(v) == reference(marked, v, True), (marked, v)
