"""Path helpers over the IamGraph (networkx; no hand-written search beyond path reconstruction)."""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping

import networkx as nx

from ..graph.model import IamGraph
from ..techniques.evidence import EdgeKind, Evidence
from .base import Hop

_SKIP_KINDS = {EdgeKind.MEMBERSHIP}


def _usable(ev: Evidence, definite_only: bool) -> bool:
    return ev.kind not in _SKIP_KINDS and (not definite_only or not ev.conditional)


def best_evidence(graph: IamGraph, u: str, v: str, definite_only: bool) -> Evidence | None:
    """The edge to report between u and v: definite before conditional, then by technique id."""
    evs = [e for e in graph.edges_between(u, v) if _usable(e, definite_only)]
    if not evs:
        return None
    return sorted(evs, key=lambda e: (e.conditional, e.kind is EdgeKind.ADMIN, e.technique, e.via or ""))[0]


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
    found without building that graph (a breadth-first search over `usable_predecessors`)."""
    if target not in graph.g:
        raise nx.NodeNotFound(f"Target {target} is not in G")
    preds = usable_predecessors(graph, definite_only)
    none: tuple[str, ...] = ()
    dist = {target: 0}
    level = [target]
    depth = 0
    while level:
        depth += 1
        nxt: list[str] = []
        for v in level:
            for w in preds.get(v, none):
                if w not in dist:
                    dist[w] = depth
                    nxt.append(w)
        level = nxt
    return dist


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
) -> tuple[Hop, ...]:
    """A shortest path from `source` to `target` following decreasing distance (deterministic).
    `levels`, when given, must be `distance_levels(dist)` (it only makes the search faster)."""
    hops: list[Hop] = []
    node = source
    while node != target:
        best = next_hop(graph, node, dist, target, definite_only, levels=levels)
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
) -> tuple[str, Evidence] | None:
    """The successor of `node` one step closer to `target` (by `dist`, optionally only nodes
    `within`) and its edge's evidence: definite first, then the target itself, then by name.
    `levels` (= `distance_levels(dist)`, optional): the candidates one step closer, looked at
    instead of the successors when they are fewer."""
    try:
        succ = graph.g.succ[node]
    except KeyError:
        raise nx.NetworkXError(f"The node {node} is not in the digraph.") from None
    candidates: Iterable[str] = succ
    here = dist.get(node)
    if levels is not None and here is not None:
        closer = levels.get(here - 1, ())
        if len(closer) < len(succ):
            candidates = [n for n in closer if n in succ]
    best: tuple[str, Evidence] | None = None
    # the key below is unique per successor (it ends with its name), so the minimum does not
    # depend on the order successors are visited in
    for nxt in candidates:
        if (within is not None and nxt not in within) or dist.get(nxt, 1 << 30) != dist[node] - 1:
            continue
        ev = best_evidence(graph, node, nxt, definite_only)
        if ev is None:
            continue
        key = (ev.conditional, nxt != target, nxt)
        if best is None or key < (best[1].conditional, best[0] != target, best[0]):
            best = (nxt, ev)
    return best


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
