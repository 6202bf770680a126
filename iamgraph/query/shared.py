"""Answers several queries of one run ask for, computed once per graph state.

They are kept in networkx's own per-graph cache (`__networkx_cache__`), which networkx and
IamGraph's own writers clear on every change to the graph's nodes or edges (as for networkx's
cached conversions, a change made by writing into an edge's data dict directly is not seen).
The values are shared: callers read them and never change them.
"""

from __future__ import annotations

from typing import Any

from ..graph.model import IamGraph
from .paths import distances_to

_KEY = "iamgraph.query.shared"  # one entry in networkx's cache dict, holding this module's memo


def _memo(graph: IamGraph) -> dict[Any, Any] | None:
    cache = graph.g.__dict__.get("__networkx_cache__")
    return None if cache is None else cache.setdefault(_KEY, {})


def distances(graph: IamGraph, target: str, definite_only: bool) -> dict[str, int]:
    """`distances_to(graph, target, definite_only)`, once per (target, definite_only) and graph state
    (read only: the same dict is handed to every caller)."""
    memo = _memo(graph)
    if memo is None:
        return distances_to(graph, target, definite_only)
    key = ("distances", target, definite_only)
    found: dict[str, int] | None = memo.get(key)
    if found is None:
        found = memo[key] = distances_to(graph, target, definite_only)
    return found


def principals(graph: IamGraph) -> tuple[str, ...]:
    """`graph.principals()` (as a tuple), once per graph state."""
    memo = _memo(graph)
    if memo is None:
        return tuple(graph.principals())
    found: tuple[str, ...] | None = memo.get("principals")
    if found is None:
        found = memo["principals"] = tuple(graph.principals())
    return found
