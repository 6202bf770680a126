"""The segment-bound matchers keep their answers per value (matching._prefiltered): each value
gets its own answer, each pattern its own, and the one memo of all matchers stays within its cap."""

from __future__ import annotations

from iamgraph.evaluate import matching
from iamgraph.evaluate.matching import compile_marked, mark


def _nfa(pattern: str) -> matching.Matcher:
    compile_marked.cache_clear()
    return compile_marked(mark(pattern), True)


def test_each_value_keeps_its_own_answer() -> None:
    m = _nfa("arn:aws:s3:::app-*/x")
    assert m("arn:aws:s3:::app-1/x") is True
    assert m("arn:aws:s3:::other/x") is False  # a memo ignoring the value would answer True
    assert m("arn:aws:s3:::app-1:y/x") is False  # the star stays inside one segment
    assert m("arn:aws:s3:::app-1/x") is True


def test_each_pattern_keeps_its_own_memo() -> None:
    a = _nfa("arn:aws:s3:::app-*/x")
    b = _nfa("arn:aws:s3:::web-*/x")
    value = "arn:aws:s3:::app-1/x"
    assert a(value) is True
    assert b(value) is False


def test_full_memo_starts_afresh() -> None:
    m = _nfa("arn:aws:s3:::app-*/x")
    values = [f"arn:aws:s3:::app-{i}/x" for i in range(matching._NFA_MEMO_CAP + 3)] + ["arn:aws:s3:::zzz/x"]
    assert [m(v) for v in values] == [True] * (len(values) - 1) + [False]
    assert [m(v) for v in reversed(values)] == [False] + [True] * (len(values) - 1)


def test_the_memo_is_bounded_across_matchers() -> None:
    matchers = [_nfa(f"arn:aws:s3:::b{i}-*/x") for i in range(40)]
    for i, m in enumerate(matchers):
        for j in range(matching._NFA_MEMO_CAP // 16):
            assert m(f"arn:aws:s3:::b{i}-{j}/x") is True
            assert len(matching._nfa_seen) <= matching._NFA_MEMO_CAP  # 40 x cap/16 values asked
    assert matchers[0]("arn:aws:s3:::b1-0/x") is False  # b1's answer is not b0's
