"""query.paths: distances_to (a search over the usable predecessors, no graph built) gives exactly
the dict networkx gives on action_graph, order included; next_hop picks what it picked when it
visited successors sorted by name (also when it looks at the nodes one step closer instead)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph import api
from iamgraph.graph.model import IamGraph
from iamgraph.query import paths
from iamgraph.techniques.evidence import EdgeKind, Evidence

SAMPLES = Path(__file__).parents[2] / "samples"
NODES = [f"n{i}" for i in range(7)]
KINDS = [EdgeKind.MEMBERSHIP, EdgeKind.ASSUME_ROLE, EdgeKind.PASS_ROLE, EdgeKind.ADMIN]

edges = st.lists(
    st.tuples(
        st.sampled_from(NODES),
        st.sampled_from(NODES),
        st.sampled_from(KINDS),
        st.booleans(),  # conditional
        st.sampled_from(["t1", "t2", "t3"]),
    ),
    max_size=30,
)


def _graph(rows: list[tuple[str, str, EdgeKind, bool, str]], order: list[str]) -> IamGraph:
    graph = IamGraph(snapshot=None, context=None)  # type: ignore[arg-type]  # paths read only `g`
    for n in order:
        graph.g.add_node(n)
    for u, v, kind, conditional, technique in rows:
        graph.add_edge(u, v, Evidence(technique, kind, missing=("inventory",) if conditional else ()))
    return graph


def _reference_distances(graph: IamGraph, target: str, definite_only: bool) -> list[tuple[str, int]]:
    return list(nx.single_target_shortest_path_length(paths.action_graph(graph, definite_only), target).items())


def _reference_next_hop(
    graph: IamGraph, node: str, dist: dict[str, int], target: str, definite_only: bool, within: Any = None
) -> tuple[str, Evidence] | None:
    """next_hop by its definition: among the successors one step closer (and `within`) with a usable
    edge, the one whose edge is definite, else the target, else the first by name."""
    options = []
    for nxt in graph.g.successors(node):
        if (within is None or nxt in within) and nxt in dist and dist[nxt] == dist[node] - 1:
            ev = paths.best_evidence(graph, node, nxt, definite_only)
            if ev is not None:
                options.append(((ev.conditional, nxt != target, nxt), nxt, ev))
    return min(options)[1:] if options else None


def _reference_best_evidence(graph: IamGraph, u: str, v: str, definite_only: bool) -> Evidence | None:
    """best_evidence by its definition: the usable edges in key order, sorted by (conditional,
    admin, technique, via); the first."""
    data = graph.g.get_edge_data(u, v) or {}
    evs = [d["evidence"] for _k, d in sorted(data.items())]
    evs = [e for e in evs if e.kind is not EdgeKind.MEMBERSHIP and not (definite_only and e.conditional)]
    return (
        sorted(evs, key=lambda e: (e.conditional, e.kind is EdgeKind.ADMIN, e.technique, e.via or ""))[0]
        if evs
        else None
    )


def _check(graph: IamGraph) -> None:
    adjacency = paths.adjacency_of(graph)
    for u in graph.g.nodes:
        for v in graph.g.nodes:
            for definite_only in (True, False):
                want_ev = _reference_best_evidence(graph, u, v, definite_only)
                assert paths.best_evidence(graph, u, v, definite_only) is want_ev
    for definite_only in (True, False):
        for target in graph.g.nodes:
            dist = paths.distances_to(graph, target, definite_only)
            assert list(dist.items()) == _reference_distances(graph, target, definite_only)
            within = set(list(graph.g.nodes)[::2])
            levels = paths.distance_levels(dist)
            for node in dist:
                if node != target:
                    for w in (None, within):
                        want = _reference_next_hop(graph, node, dist, target, definite_only, within=w)
                        assert paths.next_hop(graph, node, dist, target, definite_only, within=w) == want
                        got = paths.next_hop(graph, node, dist, target, definite_only, within=w, levels=levels)
                        assert got == want
                        for lv in (None, levels):
                            got = paths.next_hop(
                                graph, node, dist, target, definite_only, within=w, levels=lv, adjacency=adjacency
                            )
                            assert got == want
                    plain = paths.path_via_distances(graph, node, target, dist, definite_only)
                    assert paths.path_via_distances(graph, node, target, dist, definite_only, levels=levels) == plain
                    fast = paths.path_via_distances(
                        graph, node, target, dist, definite_only, levels=levels, adjacency=adjacency
                    )
                    assert fast == plain


@settings(max_examples=300, deadline=None, derandomize=True)
@given(edges, st.permutations(NODES))
def test_same_as_networkx_on_random_graphs(rows: list[tuple[str, str, EdgeKind, bool, str]], order: list[str]) -> None:
    _check(_graph(rows, order))


def test_membership_and_conditional_edges_are_told_apart() -> None:
    """A membership edge never carries a path; a conditional one only when conditional edges count;
    two parallel edges where one is definite make the pair definite."""
    graph = _graph(
        [
            ("a", "b", EdgeKind.MEMBERSHIP, False, "t1"),
            ("c", "b", EdgeKind.ASSUME_ROLE, True, "t1"),
            ("d", "b", EdgeKind.ASSUME_ROLE, True, "t1"),
            ("d", "b", EdgeKind.PASS_ROLE, False, "t2"),
        ],
        ["a", "b", "c", "d"],
    )
    assert paths.distances_to(graph, "b", definite_only=True) == {"b": 0, "d": 1}
    assert list(paths.distances_to(graph, "b", definite_only=False).items()) == [("b", 0), ("c", 1), ("d", 1)]
    with pytest.raises(nx.NodeNotFound):
        paths.distances_to(graph, "zz", definite_only=False)
    with pytest.raises(nx.NetworkXError, match="not in the digraph"):
        paths.next_hop(graph, "zz", {"zz": 1, "b": 0}, "b", False, levels={0: ["b"], 1: ["zz"]})


def test_nodes_added_after_a_search_are_searched_in_their_order() -> None:
    """distances_to keeps the node order between searches; a node added later (here one that comes
    last in the node order but whose edge into `b` was added first) is seen, in its place."""
    graph = _graph([("d", "b", EdgeKind.ASSUME_ROLE, False, "t1")], ["a", "b", "c", "d"])
    assert list(paths.distances_to(graph, "b", definite_only=False).items()) == [("b", 0), ("d", 1)]
    graph.add_edge("e", "b", Evidence("t1", EdgeKind.ASSUME_ROLE))
    graph.add_edge("a", "b", Evidence("t1", EdgeKind.PASS_ROLE))
    graph.add_edge("e", "a", Evidence("t2", EdgeKind.PASS_ROLE))
    got = list(paths.distances_to(graph, "b", definite_only=False).items())
    assert got == _reference_distances(graph, "b", definite_only=False) == [("b", 0), ("a", 1), ("d", 1), ("e", 1)]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_same_as_networkx_on_the_samples(name: str) -> None:
    _check(api.build_graph(api.load([SAMPLES / name])))
