"""query.shared: the distances and principals several queries of one run ask for are computed once
per graph state; the memo's key holds the target and the definite flag, and any change to the
graph's nodes or edges (through networkx or IamGraph's own writers) forgets it."""

from __future__ import annotations

from pathlib import Path

from iamgraph import api
from iamgraph.graph.model import IamGraph
from iamgraph.model import NodeKind
from iamgraph.query import paths, shared
from iamgraph.techniques.evidence import EdgeKind, Evidence

SAMPLES = Path(__file__).parents[2] / "samples"


def _graph() -> IamGraph:
    graph = IamGraph(snapshot=None, context=None)  # type: ignore[arg-type]  # distances read only `g`
    for n in ("a", "b", "c", "t", "u"):
        graph.g.add_node(n)
    graph.add_edge("a", "b", Evidence("t1", EdgeKind.ASSUME_ROLE))
    graph.add_edge("b", "t", Evidence("t2", EdgeKind.PASS_ROLE, missing=("inventory",)))  # conditional
    graph.add_edge("c", "u", Evidence("t3", EdgeKind.ASSUME_ROLE))
    return graph


def test_distances_are_distances_to_per_target_and_flag() -> None:
    graph = _graph()
    asked = [("t", False), ("t", True), ("u", False), ("u", True), ("t", False)]
    for target, definite in asked:
        got = shared.distances(graph, target, definite)
        assert list(got.items()) == list(paths.distances_to(graph, target, definite).items())
    assert shared.distances(graph, "t", False) is shared.distances(graph, "t", False)  # computed once
    assert shared.distances(graph, "t", False) != shared.distances(graph, "t", True)


def test_a_change_to_the_graph_forgets_the_answers() -> None:
    graph = _graph()
    before = shared.distances(graph, "t", True)
    assert "a" not in before
    graph.add_edge("a", "t", Evidence("t4", EdgeKind.ASSUME_ROLE))  # IamGraph's writer
    assert shared.distances(graph, "t", True) == {"t": 0, "a": 1}
    graph.g.add_edge("c", "t", key="x", evidence=Evidence("t5", EdgeKind.ASSUME_ROLE), conditional=False)
    assert shared.distances(graph, "t", True) == {"t": 0, "a": 1, "c": 1}
    graph.add_node("v", NodeKind.ROLE, "v")
    graph.add_edge("v", "t", Evidence("t6", EdgeKind.ASSUME_ROLE))
    assert "v" in shared.distances(graph, "t", True)


def test_principals_follow_the_graph() -> None:
    graph = api.build_graph(api.load([SAMPLES / "multi-hop-chain.json"]))
    assert shared.principals(graph) == tuple(graph.principals())
    assert shared.principals(graph) is shared.principals(graph)
    graph.add_node("arn:aws:iam::111122223333:user/zz-new", NodeKind.USER, "zz-new")
    assert shared.principals(graph) == tuple(graph.principals())
    assert "arn:aws:iam::111122223333:user/zz-new" in shared.principals(graph)


def test_a_scan_is_unchanged_by_the_memo() -> None:
    """Two runs over one graph (the second reads the memo) give the same document as a fresh graph."""
    snap = api.load([SAMPLES / "freelancer-lambda-passrole-star.json"])
    graph = api.build_graph(snap)
    first = api.report_json(api.run(graph))
    assert api.report_json(api.run(graph)) == first
    assert (
        api.report_json(api.run(api.build_graph(api.load([SAMPLES / "freelancer-lambda-passrole-star.json"])))) == first
    )
