"""IamGraph.add_node / add_account_nodes / add_edge / add_edges_to_nodes write networkx's dicts directly: the graph must be exactly the one
networkx's own add_node / add_edge make (nodes and their attributes in order, each node's
successors and predecessors in order, edge keys in order, the very data dicts' contents), for
new edges, repeated keys, parallel edges, self-loops and edges to nodes not added yet."""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import pytest

from iamgraph import api
from iamgraph.evaluate.types import Decision, Result
from iamgraph.graph.model import IamGraph
from iamgraph.model import NodeKind
from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant


def shape(g: nx.MultiDiGraph) -> list[Any]:
    """Everything of `g` a reader sees, in order (data values compared by identity)."""
    return [
        [(n, list(d.items())) for n, d in g._node.items()],
        [
            (u, [(v, [(k, [(a, id(x)) for a, x in dd.items()]) for k, dd in kd.items()]) for v, kd in nb.items()])
            for u, nb in g._succ.items()
        ],
        [(u, [(v, list(kd)) for v, kd in nb.items()]) for u, nb in g._pred.items()],
        # succ and pred hold the very same keydict object for each edge, as networkx makes them
        sorted((u, v) for u, nb in g._succ.items() for v, kd in nb.items() if g._pred[v][u] is not kd),
    ]


def reference_node(g: nx.MultiDiGraph, node: str, kind: NodeKind, label: str, **attrs: object) -> None:
    """What IamGraph.add_node did before it wrote the dicts itself."""
    if node not in g:
        g.add_node(node, kind=kind, label=label, **attrs)


def reference_nodes(g: nx.MultiDiGraph, kind: NodeKind, nodes: list[tuple[str, str, str]]) -> None:
    """What IamGraph.add_account_nodes stands for: add_node per (node, label, account)."""
    for n, label, account in nodes:
        reference_node(g, n, kind, label, account=account)


def reference_edge(g: nx.MultiDiGraph, src: str, dst: str, ev: Evidence) -> None:
    """What IamGraph.add_edge did before it wrote the dicts itself."""
    key = ev.technique if not ev.via else f"{ev.technique}@{ev.via}"
    g.add_edge(src, dst, key=key, evidence=ev, conditional=ev.conditional)


def _evidence(rng: random.Random) -> Evidence:
    res = Result(rng.choice([Decision.ALLOWED, Decision.UNKNOWN]))
    grants = tuple(Grant("iam:PassRole", "r", res) for _ in range(rng.randint(0, 2)))
    return Evidence(rng.choice(["t1", "t2", "t3"]), EdgeKind.PASS_ROLE, grants, via=rng.choice([None, "", "v1", "v2"]))


def reference_edges(g: nx.MultiDiGraph, src: str, edges: list[tuple[str, Evidence]]) -> None:
    """What IamGraph.add_edges_to_nodes stands for: add_edge per pair whose target is a node."""
    for dst, ev in edges:
        if dst in g:
            reference_edge(g, src, dst, ev)


@pytest.mark.parametrize("seed", range(30))
def test_random_insertions_make_the_networkx_graph(seed: int) -> None:
    rng = random.Random(seed)
    mine = IamGraph(snapshot=None, context=None)  # type: ignore[arg-type]  # only the graph is used
    ref = nx.MultiDiGraph()
    names = [f"n{i}" for i in range(8)]
    for _ in range(120):
        if rng.random() < 0.05:
            # a batch of nodes of one kind: present ones, repeats within the batch
            kind = rng.choice([NodeKind.ROLE, NodeKind.GROUP])
            nodes = [(n, n.lower(), rng.choice(["1", "2"])) for n in rng.sample(names, 3) * rng.randint(1, 2)]
            mine.add_account_nodes(kind, nodes)
            reference_nodes(ref, kind, nodes)
        elif rng.random() < 0.3:
            n = rng.choice(names)
            attrs = {"account": "1"} if rng.random() < 0.5 else {}
            kind = rng.choice([NodeKind.ROLE, NodeKind.USER])
            mine.add_node(n, kind, n.upper(), **attrs)
            reference_node(ref, n, kind, n.upper(), **attrs)
        elif rng.random() < 0.8:
            u, v = rng.choice(names), rng.choice(names)  # self-loops and missing nodes included
            ev = _evidence(rng)
            mine.add_edge(u, v, ev)
            reference_edge(ref, u, v, ev)
        elif (u := rng.choice(names)) in ref:
            # a batch from one node: targets missing, repeated (same or other key), the source itself
            batch = [(rng.choice(names), _evidence(rng)) for _ in range(rng.randint(0, 6))]
            mine.add_edges_to_nodes(u, batch)
            reference_edges(ref, u, batch)
        assert shape(mine.g) == shape(ref)


def test_a_repeated_key_updates_its_data_dict_in_place() -> None:
    g = IamGraph(snapshot=None, context=None)  # type: ignore[arg-type]
    g.add_node("a", NodeKind.USER, "a")
    g.add_node("b", NodeKind.ROLE, "b")
    first = Evidence("t", EdgeKind.PASS_ROLE, note="1")
    g.add_edge("a", "b", first)
    data = g.g["a"]["b"]["t"]
    second = Evidence("t", EdgeKind.PASS_ROLE, missing=("x",))
    g.add_edge("a", "b", second)
    assert g.g["a"]["b"]["t"] is data and data == {"evidence": second, "conditional": True}


def test_none_is_no_node() -> None:
    g = IamGraph(snapshot=None, context=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        g.add_node(None, NodeKind.USER, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        g.add_edge("a", None, Evidence("t", EdgeKind.PASS_ROLE))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        g.add_account_nodes(NodeKind.ROLE, [(None, "x", "1")])  # type: ignore[list-item]


def test_a_change_clears_the_networkx_cache() -> None:
    g = IamGraph(snapshot=None, context=None)  # type: ignore[arg-type]
    g.add_node("a", NodeKind.USER, "a")
    g.g.__networkx_cache__["x"] = 1
    g.add_node("b", NodeKind.USER, "b")
    assert not g.g.__networkx_cache__
    g.g.__networkx_cache__["x"] = 1
    g.add_edge("a", "b", Evidence("t", EdgeKind.PASS_ROLE))
    assert not g.g.__networkx_cache__
    g.g.__networkx_cache__["x"] = 1
    g.add_account_nodes(NodeKind.ROLE, [("a", "a", "1")])  # present already: no change
    assert g.g.__networkx_cache__ == {"x": 1}
    g.add_account_nodes(NodeKind.ROLE, [("a", "a", "1"), ("r", "r", "1")])
    assert not g.g.__networkx_cache__
    g.g.__networkx_cache__["x"] = 1
    g.add_edges_to_nodes("a", [("c", Evidence("t", EdgeKind.PASS_ROLE))])  # no node c: no change
    assert g.g.__networkx_cache__ == {"x": 1}
    g.add_edges_to_nodes("a", [("c", Evidence("t", EdgeKind.PASS_ROLE)), ("b", Evidence("u", EdgeKind.PASS_ROLE))])
    assert not g.g.__networkx_cache__


class _Sub(nx.MultiDiGraph):  # type: ignore[misc]
    """A subclass may change networkx's dict factories: it gets networkx's own methods."""

    edge_attr_dict_factory = dict


def test_a_graph_of_another_class_is_left_to_networkx() -> None:
    g = IamGraph(snapshot=None, context=None, g=_Sub())  # type: ignore[arg-type]
    ref = _Sub()
    g.add_node("a", NodeKind.USER, "a", account="1")
    reference_node(ref, "a", NodeKind.USER, "a", account="1")
    g.add_account_nodes(NodeKind.ROLE, [("r", "r", "1"), ("a", "x", "2")])
    reference_nodes(ref, NodeKind.ROLE, [("r", "r", "1"), ("a", "x", "2")])
    ev = Evidence("t", EdgeKind.PASS_ROLE)
    g.add_edge("a", "b", ev)
    reference_edge(ref, "a", "b", ev)
    assert shape(g.g) == shape(ref)
    batch = [("b", Evidence("u", EdgeKind.PASS_ROLE)), ("c", ev), ("a", ev), ("b", ev)]
    g.add_edges_to_nodes("a", batch)
    reference_edges(ref, "a", batch)
    assert shape(g.g) == shape(ref)


@pytest.mark.parametrize("account_file", ["samples/multi-hop-chain.json", "generated-500"], indirect=True)
def test_a_build_makes_the_networkx_graph(account_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole build through the direct writes equals one through networkx's methods."""
    fast = api.build_graph(api.load([account_file]))
    monkeypatch.setattr(IamGraph, "add_node", lambda self, n, k, lbl, **a: reference_node(self.g, n, k, lbl, **a))
    monkeypatch.setattr(IamGraph, "add_edge", lambda self, s, d, ev: reference_edge(self.g, s, d, ev))
    monkeypatch.setattr(IamGraph, "add_account_nodes", lambda self, k, ns: reference_nodes(self.g, k, list(ns)))
    monkeypatch.setattr(IamGraph, "add_edges_to_nodes", lambda self, s, es: reference_edges(self.g, s, list(es)))
    slow = api.build_graph(api.load([account_file]))

    def plain(g: nx.MultiDiGraph) -> list[Any]:  # data by value: the two builds made their own objects
        return [
            [(n, list(d.items())) for n, d in g.nodes(data=True)],
            [
                (u, v, k, d["evidence"].to_json(), d["conditional"], list(d))
                for u, v, k, d in g.edges(keys=True, data=True)
            ],
            [(v, list(nb)) for v, nb in g._pred.items()],
        ]

    assert plain(fast.g) == plain(slow.g)
