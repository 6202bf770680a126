"""Bounded, derandomised fuzz over every input kind (GAAD, snapshot, batch lines, suppression and
baseline files, check-policy documents): each mutated input ends in a result (exit 0/1) or one
input-error line (exit 2), never an exception, a traceback or a hang. The long campaign is
tools/fuzz/campaign.py (same engine)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tools.fuzz.engine import Target, Verdict, make_input, run_input

BOUNDED = settings(
    max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("target", list(Target), ids=lambda t: t.value)
@BOUNDED
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_inputs_are_handled(target: Target, seed: int) -> None:
    data = make_input(target, random.Random(seed))
    outcome = run_input(target, data, limit_s=20.0)
    assert outcome.verdict in (Verdict.RESULT, Verdict.INPUT_ERROR), (outcome, data[:300])


def test_engine_recognises_failures() -> None:
    """The judge is not vacuous: a traceback-like multi-line exit 2 is a failure."""
    from tools.fuzz.engine import _judge

    assert _judge(2, "iamgraph: error: x.json at $.a: bad\n", None)[0] is Verdict.INPUT_ERROR
    assert _judge(2, "Traceback (most recent call last):\n  File x\nValueError\n", None)[0] is Verdict.FAILURE
    assert _judge(1, "", None)[0] is Verdict.RESULT
    assert _judge(0, "", ValueError("boom"))[0] is Verdict.FAILURE


def test_batch_line_with_lone_surrogate_is_an_error_line() -> None:
    """Found by the campaign: json accepted `\\ud800`, then writing the output line failed."""
    from iamgraph.simulate.batch import run_batch

    [out] = list(
        run_batch(['{"id": 7, "principal": "arn:aws:iam::111122223333:user/\\ud800", "action": "s3:GetObject"}'])
    )
    assert "unpaired UTF-16 surrogate" in out
    out.encode("utf-8")
