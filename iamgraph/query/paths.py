"""Path helpers over the IamGraph (networkx; no hand-written search beyond path reconstruction)."""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping
from typing import Any

import networkx as nx

from ..graph.model import IamGraph
from ..techniques.evidence import EdgeKind, Evidence
from .base import Hop

_SKIP_KINDS = {EdgeKind.MEMBERSHIP}
_MEMBERSHIP, _ADMIN = EdgeKind.MEMBERSHIP, EdgeKind.ADMIN
Adjacency = Mapping[str, Mapping[str, Mapping[Any, Mapping[str, Any]]]]


def _usable(ev: Evidence, definite_only: bool) -> bool:
    return not _skipped(ev.kind) and (not definite_only or not ev.conditional)


def _skipped(kind: EdgeKind) -> bool:
    """`kind in _SKIP_KINDS`, without hashing an EdgeKind member (Enum.__hash__ is Python code)."""
    return kind is _MEMBERSHIP or (type(kind) is not EdgeKind and kind in _SKIP_KINDS)


def best_evidence(graph: IamGraph, u: str, v: str, definite_only: bool) -> Evidence | None:
    """The edge to report between u and v: definite before conditional, then by technique id."""
    keyed = graph.g.get_edge_data(u, v)
    return _best_of(keyed, definite_only) if keyed else None


def _best_of(keyed: Mapping[Any, Mapping[str, Any]], definite_only: bool) -> Evidence | None:
    """`best_evidence` over the edges `keyed` (key -> edge data) of one node pair: the first, in
    key order, of the usable edges with the least (conditional, is admin, technique, via)."""
    best: Evidence | None = None
    best_key: tuple[bool, bool, str, str] | None = None
    for _k, data in sorted(keyed.items()) if len(keyed) > 1 else keyed.items():
        ev: Evidence = data["evidence"]
        if not _usable(ev, definite_only):
            continue
        key = (ev.conditional, ev.kind is _ADMIN, ev.technique, ev.via or "")
        if best_key is None or key < best_key:
            best, best_key = ev, key
    return best


def action_graph(graph: IamGraph, definite_only: bool) -> nx.DiGraph:
    """Simple digraph of usable edges (membership dropped); cached on the graph (treat as read-only)."""
    cache = graph.__dict__.setdefault("_action_graphs", {})
    if definite_only not in cache:
        cache[definite_only] = _action_graph(graph, definite_only)
    return cache[definite_only]


def _action_graph(graph: IamGraph, definite_only: bool) -> nx.DiGraph:
    d: nx.DiGraph = nx.DiGraph()
    d.add_nodes_from(graph.g.nodes)
    for u, v, data in graph.g.edges(data=True):
        ev: Evidence = data["evidence"]
        if _usable(ev, definite_only):
            d.add_edge(u, v)
    return d


def distances_to(graph: IamGraph, target: str, definite_only: bool) -> dict[str, int]:
    """Hop count from every node that can reach `target` over usable edges: the dict (same order)
    networkx's `single_target_shortest_path_length` gives on `action_graph(graph, definite_only)`,
    found without building that graph: a breadth-first search backwards from `target` that looks
    only at the edges into the nodes it reaches, each node's new predecessors in graph node order
    (the order `action_graph`'s predecessors have)."""
    if target not in graph.g:
        raise nx.NodeNotFound(f"Target {target} is not in G")
    pred = graph.g.pred
    order = _node_order(graph)
    dist = {target: 0}
    level = [target]
    depth = 0
    while level:
        depth += 1
        nxt: list[str] = []
        for v in level:
            found = [u for u, keyed in pred[v].items() if u not in dist and _some_usable(keyed, definite_only)]
            if len(found) > 1:
                found.sort(key=order.__getitem__)
            for u in found:
                dist[u] = depth
            nxt += found
        level = nxt
    return dist


def _some_usable(keyed: Mapping[Any, Mapping[str, Any]], definite_only: bool) -> bool:
    """Is one of the edges `keyed` (key -> edge data) of a node pair usable?"""
    return any(_usable(data["evidence"], definite_only) for data in keyed.values())


def _node_order(graph: IamGraph) -> dict[str, int]:
    """Each node's position in the graph's node order; cached on the graph and made again when
    the node count changed (nodes are only ever added to an IamGraph, never removed)."""
    order: dict[str, int] | None = graph.__dict__.get("_node_order")
    if order is None or len(order) != len(graph.g):
        order = graph.__dict__["_node_order"] = {n: i for i, n in enumerate(graph.g)}
    return order


def usable_predecessors(graph: IamGraph, definite_only: bool) -> dict[str, list[str]]:
    """For each node, the nodes with a usable edge to it, ordered as `action_graph`'s predecessors
    (by the graph's edge order: source node order, then each source's successors); cached on the
    graph with both variants computed in one pass (treat as read-only)."""
    cache = graph.__dict__.setdefault("_usable_predecessors", {})
    if definite_only not in cache:
        anyway: dict[str, list[str]] = {}
        definite: dict[str, list[str]] = {}
        for u, nbrs in graph.g.adjacency():
            for v, keyed in nbrs.items():
                usable = certain = False
                for data in keyed.values():
                    ev: Evidence = data["evidence"]
                    if _usable(ev, True):
                        usable = certain = True
                        break
                    usable = usable or _usable(ev, False)
                if usable:
                    anyway.setdefault(v, []).append(u)
                    if certain:
                        definite.setdefault(v, []).append(u)
        cache[False], cache[True] = anyway, definite
    result: dict[str, list[str]] = cache[definite_only]
    return result


def distance_levels(dist: Mapping[str, int]) -> dict[int, list[str]]:
    """The nodes of `dist` by distance (for `next_hop`'s `levels`)."""
    out: dict[int, list[str]] = {}
    for node, d in dist.items():
        out.setdefault(d, []).append(node)
    return out


def path_via_distances(
    graph: IamGraph,
    source: str,
    target: str,
    dist: dict[str, int],
    definite_only: bool,
    levels: Mapping[int, Collection[str]] | None = None,
    adjacency: Adjacency | None = None,
) -> tuple[Hop, ...]:
    """A shortest path from `source` to `target` following decreasing distance (deterministic).
    `levels`, when given, must be `distance_levels(dist)`, and `adjacency` `adjacency_of(graph)`
    of the graph as it is (they only make the search faster)."""
    hops: list[Hop] = []
    node = source
    while node != target:
        best = next_hop(graph, node, dist, target, definite_only, levels=levels, adjacency=adjacency)
        if best is None:
            return ()
        hops.append(Hop(node, best[0], best[1]))
        node = best[0]
    return tuple(hops)


def next_hop(
    graph: IamGraph,
    node: str,
    dist: dict[str, int],
    target: str,
    definite_only: bool,
    within: Container[str] | None = None,
    levels: Mapping[int, Collection[str]] | None = None,
    adjacency: Adjacency | None = None,
) -> tuple[str, Evidence] | None:
    """The successor of `node` one step closer to `target` (by `dist`, optionally only nodes
    `within`) and its edge's evidence: definite first, then the target itself, then by name.
    `levels` (= `distance_levels(dist)`, optional): the candidates one step closer, looked at
    instead of the successors when they are fewer. `adjacency` (= `adjacency_of(graph)` of the
    graph as it is, optional): read instead of the graph's views."""
    succ: Mapping[str, Mapping[Any, Mapping[str, Any]]]
    try:
        succ = adjacency[node] if adjacency is not None else graph.g.succ[node]
    except KeyError:
        raise nx.NetworkXError(f"The node {node} is not in the digraph.") from None
    candidates: Iterable[str] = succ
    here = dist.get(node)
    if levels is not None and here is not None:
        closer = levels.get(here - 1, ())
        if len(closer) < len(succ):
            candidates = [n for n in closer if n in succ]
    best: tuple[str, Evidence] | None = None
    best_key: tuple[bool, bool, str] | None = None
    # the key below is unique per successor (it ends with its name), so the minimum does not
    # depend on the order successors are visited in
    for nxt in candidates:
        if (within is not None and nxt not in within) or dist.get(nxt, 1 << 30) != dist[node] - 1:
            continue
        ev = _best_of(succ[nxt], definite_only)
        if ev is None:
            continue
        key = (ev.conditional, nxt != target, nxt)
        if best_key is None or key < best_key:
            best, best_key = (nxt, ev), key
    return best


def adjacency_of(graph: IamGraph) -> Adjacency:
    """Node -> successor -> edge key -> edge data of the graph (networkx's own dicts, not
    copies: read-only, and only for the graph as it is; a node added later is not in it)."""
    return dict(graph.g.adjacency())


def shortest_paths(
    graph: IamGraph, source: str, target: str, k: int = 3, definite_only: bool = False
) -> list[tuple[Hop, ...]]:
    """Up to k shortest simple paths source -> target with the best evidence on each hop."""
    d = action_graph(graph, definite_only)
    if source not in d or target not in d or not nx.has_path(d, source, target):
        return []
    out = []
    for nodes in nx.shortest_simple_paths(d, source, target):
        hops = []
        for u, v in zip(nodes, nodes[1:]):
            ev = best_evidence(graph, u, v, definite_only)
            assert ev is not None
            hops.append(Hop(u, v, ev))
        out.append(tuple(hops))
        if len(out) >= k:
            break
    return out


def path_nodes(path: Iterable[Hop]) -> list[str]:
    hops = list(path)
    return [hops[0].src, *(h.dst for h in hops)] if hops else []
