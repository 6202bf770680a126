"""build_views' views make their own context keys on first read (BuiltView): the same keys as
principal_context, whichever is read first, a value assigned before the read standing, and
nothing made before a read."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.evaluate.applicable import principal_context
from iamgraph.evaluate.types import ContextValue
from iamgraph.model import Snapshot
from iamgraph.techniques.attacker_view import AttackerOptions, AttackerView
from iamgraph.techniques.principal import BuiltView, build_views, principal_tag_keys

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.json"))


def _want(snap: Snapshot, arn: str) -> tuple[list[tuple[str, ContextValue]], frozenset[str]]:
    pc = principal_context(snap, arn, principal_tag_keys(snap))
    assert pc is not None
    return list(pc.values.items()), pc.absent


def _snapshots(generated: str) -> list[Snapshot]:
    return [api.load([str(p)]) for p in SAMPLES] + [api.load([generated])]


def test_nothing_made_before_a_read_then_the_definition(generated_500_account: str) -> None:
    for snap in _snapshots(generated_500_account):
        views = build_views(snap)
        for arn, v in views.items():
            assert isinstance(v, BuiltView)
            assert "base_context" not in v.__dict__ and "base_absent" not in v.__dict__, arn
        for i, (arn, v) in enumerate(views.items()):
            ctx, absent = _want(snap, arn)
            if i % 2:  # either read first
                assert v.base_absent == absent and list(v.base_context.items()) == ctx, arn
            else:
                assert list(v.base_context.items()) == ctx and v.base_absent == absent, arn
            assert "_pending" not in v.__dict__


@pytest.mark.parametrize("first", ["base_context", "base_absent"])
def test_a_value_assigned_before_the_read_stands(first: str, generated_500_account: str) -> None:
    snap = api.load([generated_500_account])
    views = build_views(snap)
    mine_ctx: dict[str, ContextValue] = {"aws:PrincipalArn": "x"}
    mine_absent = frozenset({"aws:sourceip"})
    for arn, v in views.items():
        ctx, absent = _want(snap, arn)
        if first == "base_context":
            v.base_context = mine_ctx
            assert v.base_absent == absent and v.base_context is mine_ctx, arn
        else:
            v.base_absent = mine_absent
            assert list(v.base_context.items()) == ctx and v.base_absent is mine_absent, arn


def test_pinned_attacker_copies_and_pickles(generated_500_account: str) -> None:
    """apply() with pins reads each view's keys; copies, replace() and pickles of views not read
    yet give the same keys as the view."""
    snap = api.load([generated_500_account])
    views = build_views(snap)
    opts = AttackerOptions(pins=(("aws:SourceIp", "10.0.0.1"), ("aws:principaltagkeys", "x")), now=0.0)
    for v in list(views.values())[:40]:
        for other in (copy.copy(v), dataclasses.replace(v), pickle.loads(pickle.dumps(v))):
            assert (other.base_context, other.base_absent) == (v.base_context, v.base_absent)
    AttackerView.create(snap, opts).apply(views, opts)
    for arn, v in views.items():
        ctx, absent = _want(snap, arn)
        want = {k: val for k, val in ctx if k.lower() not in ("aws:sourceip", "aws:principaltagkeys")}
        assert v.base_context == {**want, "aws:SourceIp": "10.0.0.1", "aws:principaltagkeys": "x"}, arn
        assert v.base_absent == absent - {"aws:sourceip", "aws:principaltagkeys"}, arn
