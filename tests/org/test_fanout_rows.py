"""The fan-out driver holds places, not documents (issue 12 §4, flat driver memory): stub roles and
customer managed policies go to one row file as the portal tasks return them, the summary tasks
read theirs back by place (same cache keys as inline documents), and the portal graphs are built
as the parts arrive, whatever their order, with the same ties as in account order."""

from __future__ import annotations

import importlib.util
import io
import random
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph.fanout import Mode, executor, read_manifest, split_snapshot, write_fanout
from iamgraph.fanout import driver as fanout_driver
from iamgraph.fanout.executors import SerialExecutor
from iamgraph.fanout.spool import HopStore
from iamgraph.fanout.worker import portal_graph_task, summarize_task, task_key, with_rows

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("generate_org", ROOT / "benchmarks" / "generate_org.py")
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules.setdefault("generate_org", gen)
_spec.loader.exec_module(gen)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    document, _truth = gen.generate_org(12, 11, base="tiny")
    return split_snapshot(document, tmp_path_factory.mktemp("org"))


class Recording(SerialExecutor):
    """Runs each call at once and keeps (function, task) with the task's stubs resolved while the
    run's row file still exists."""

    def __init__(self) -> None:
        self.calls: list[tuple[Callable[..., Any], dict[str, Any], dict[str, Any]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        inner, task = args
        self.calls.append((inner, dict(task), with_rows(task)))
        return super().submit(fn, *args, **kwargs)


def _run(manifest_path: Path, **kw: Any) -> tuple[str, Recording]:
    ex = Recording()
    buf = io.StringIO()
    write_fanout(read_manifest(manifest_path), ex, buf, **kw)
    return buf.getvalue(), ex


def test_tasks_carry_places_and_read_the_documents_back(manifest_path: Path) -> None:
    _text, ex = _run(manifest_path)
    summaries = [(t, r) for fn, t, r in ex.calls if fn is summarize_task]
    assert len(summaries) == 12
    with_stubs = [(t, r) for t, r in summaries if t["stubs"]]
    assert with_stubs, "the org has cross-account exits"
    for t, r in with_stubs:
        assert t["rows"] and all(isinstance(at, list) and len(at) == 2 for at in t["stubs"])
        arns = [s["Arn"] for s in r["stubs"]]
        assert arns == sorted(arns) and all(":role/" in a for a in arns)
        assert all("AssumeRolePolicyDocument" in s for s in r["stubs"])
    (gp, gp_read) = next((t, r) for fn, t, r in ex.calls if fn is portal_graph_task)
    assert all(len(at) == 2 for at in gp["stubs"])
    assert {s["Arn"] for _, r in with_stubs for s in r["stubs"]} <= {s["Arn"] for s in gp_read["stubs"]}


def test_inline_tasks_carry_documents_with_the_same_cache_keys(manifest_path: Path) -> None:
    text, by_place = _run(manifest_path)
    text_inline, inline = _run(manifest_path, inline_summaries=True)
    assert text_inline == text
    keys = {t["account"]: task_key(r) for fn, t, r in by_place.calls if fn is summarize_task}
    inline_tasks = [t for fn, t, _ in inline.calls if fn is summarize_task]
    assert all(not t["rows"] for t in inline_tasks)
    assert {t["account"]: task_key(t) for t in inline_tasks} == keys


def test_the_report_does_not_depend_on_the_order_parts_arrive_in(
    manifest_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with executor(Mode.SERIAL) as ex:
        buf = io.StringIO()
        write_fanout(read_manifest(manifest_path), ex, buf)
    real = fanout_driver._completed

    def shuffled(futs: dict[Future[Any], str]) -> Iterator[Any]:
        out = list(real(futs))
        random.Random(5).shuffle(out)
        yield from out

    monkeypatch.setattr(fanout_driver, "_completed", shuffled)
    with executor(Mode.SERIAL) as ex:
        again = io.StringIO()
        write_fanout(read_manifest(manifest_path), ex, again)
    assert again.getvalue() == buf.getvalue()


class _Accounts:
    account_ids = ("111111111111", "222222222222", "333333333333")


edges = st.lists(
    st.tuples(st.sampled_from("abc"), st.sampled_from("abc"), st.integers(1, 3), st.integers(-1, 2), st.booleans()),
    max_size=30,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(edges, st.randoms(use_true_random=False))
def test_edge_ties_as_in_account_order(rows: list[tuple[str, str, int, int, bool]], rnd: random.Random) -> None:
    """Adding the groups of edges (one group per rank: the portal graph, then each account) in any
    order keeps what adding them in rank order with "first of equal weight" kept."""
    expected: dict[bool, dict[str, dict[str, tuple[int, int]]]] = {True: {}, False: {}}
    numbered = list(enumerate(rows))
    for i, (u, v, w, _rank, d) in sorted(numbered, key=lambda r: (r[1][3], r[0])):
        cur = expected[d].setdefault(u, {}).get(v)
        if cur is None or w < cur[0]:
            expected[d][u][v] = (w, i)
    merge = fanout_driver._Merge(_Accounts(), HopStore())  # type: ignore[arg-type]
    ranks = sorted({r[3] for r in rows})
    rnd.shuffle(ranks)
    for rank in ranks:
        for i, (u, v, w, r, d) in numbered:
            if r == rank:
                merge._add(d, u, v, w, r, i)
    # a path of hops is stored once and read back in order
    ref = merge.store.path((7, 3, 9))
    assert list(merge.store.hops(ref)) == [7, 3, 9] and list(merge.store.hops(5)) == [5]
    got = {
        m: {
            u: {v: (fanout_driver._weight(e), e & fanout_driver._REF_MASK) for v, e in out.items()}
            for u, out in adj.items()
        }
        for m, adj in merge.adj.items()
    }
    assert got == expected


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(blacklist_categories=())),  # control characters and lone surrogates too
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(0, 9), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(json_values)
def test_indented_is_the_standard_encoders_text(value: Any) -> None:
    """The driver's fast renderer writes exactly what `json.dumps(indent=2, ensure_ascii=False)`
    writes (the streamed report must equal the report serialised), whatever the value holds."""
    import json

    assert fanout_driver.indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
