"""IamGraph: the networkx MultiDiGraph of principals and edges, with evidence on every edge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..model import NodeKind, Snapshot
from ..techniques.account_index import AccountIndex
from ..techniques.admin import AdminStatus
from ..techniques.base import ADMIN_NODE
from ..techniques.evidence import Evidence

GRAPH_SCHEMA_VERSION = "1"
_PRINCIPAL_KINDS = (NodeKind.USER, NodeKind.ROLE, NodeKind.IDC_USER)  # a tuple: compared with ==
_Dicts = dict[str, Any]  # one of networkx's dicts of a MultiDiGraph (node -> ...)
_MultiDiGraph = nx.MultiDiGraph  # the one class whose dicts add_node / add_edge write directly


@dataclass(eq=False)
class IamGraph:
    """Nodes are ARNs (services by principal name, the admin sink by ADMIN_NODE); node attribute
    `kind` is a NodeKind. Edges are keyed by technique id (+ via) and carry `evidence` (Evidence)
    and `conditional` (bool)."""

    snapshot: Snapshot
    context: AccountIndex  # the indexed account the edges were computed from
    g: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    admins: dict[str, AdminStatus] = field(default_factory=dict)
    admin_node: str = ADMIN_NODE
    inert: set[str] = field(default_factory=set)  # roles nobody can act as (service-linked, empty trust)
    # account -> its admin sink: `iamgraph:admin` when the graph holds one account (ids stay as they
    # were), else `iamgraph:admin:<account>` per account
    admin_sinks: dict[str, str] = field(default_factory=dict)
    synthetic: set[str] = field(default_factory=set)  # nodes made from Identity Center data, not collected

    def admin_sink(self, account: str) -> str:
        """The admin sink of `account` (the single sink when the graph holds one account)."""
        return self.admin_sinks.get(account, self.admin_node)

    def is_admin_sink(self, node: str) -> bool:
        return node == self.admin_node or node in self._sink_accounts

    def sink_account(self, node: str) -> str | None:
        """The account whose admin sink `node` is (None for any other node)."""
        return self._sink_accounts.get(node)

    @property
    def _sink_accounts(self) -> dict[str, str]:
        cache = self.__dict__.get("_sink_account_map")
        if cache is None or len(cache) != len(self.admin_sinks):
            cache = self.__dict__["_sink_account_map"] = {v: k for k, v in self.admin_sinks.items()}
        return cache

    @property
    def multi_account(self) -> bool:
        return len(self.admin_sinks) > 1

    def add_node(self, node: str, kind: NodeKind, label: str, **attrs: object) -> None:
        """Add `node` with attributes kind, label, then `attrs` (in that order); a node already
        present is left as it is. The same graph as `g.add_node`, written into networkx's own
        dicts directly when `g` is a plain MultiDiGraph (a build adds thousands)."""
        g = self.g
        if type(g) is not _MultiDiGraph:
            if node not in g:
                g.add_node(node, kind=kind, label=label, **attrs)
            return
        d = g.__dict__  # networkx's own dicts: _node, _succ (also _adj), _pred
        nodes: _Dicts = d["_node"]
        if node in nodes:
            return
        if node is None:
            raise ValueError("None cannot be a node")
        d["_succ"][node] = {}
        d["_pred"][node] = {}
        nodes[node] = {"kind": kind, "label": label, **attrs} if attrs else {"kind": kind, "label": label}
        cache = d.get("__networkx_cache__")  # as networkx's _clear_cache after each change
        if cache:
            cache.clear()

    def add_account_nodes(self, kind: NodeKind, nodes: Iterable[tuple[str, str, str]]) -> None:
        """`add_node(node, kind, label, account=account)` for each `(node, label, account)` in
        order: the same graph, written with networkx's dicts looked up once when `g` is a plain
        MultiDiGraph (a build adds every user, group and role)."""
        g = self.g
        if type(g) is not _MultiDiGraph:
            for node, label, account in nodes:
                self.add_node(node, kind, label, account=account)
            return
        d = g.__dict__
        have: _Dicts = d["_node"]
        succ: _Dicts = d["_succ"]
        pred: _Dicts = d["_pred"]
        changed = False
        for node, label, account in nodes:
            if node in have:
                continue
            if node is None:
                raise ValueError("None cannot be a node")
            succ[node] = {}
            pred[node] = {}
            have[node] = {"kind": kind, "label": label, "account": account}
            changed = True
        if changed:  # nothing reads the graph meanwhile: one clearing stands for one per node
            cache = d.get("__networkx_cache__")
            if cache:
                cache.clear()

    def add_edge(self, src: str, dst: str, ev: Evidence) -> None:
        """The edge src -> dst keyed `technique` (`technique@via` with a via) with data `evidence`,
        `conditional` (an edge of the same key is updated in place, as networkx does). The same
        graph, adjacency order included, as `g.add_edge(src, dst, key=..., evidence=..., conditional=...)`:
        written into networkx's own dicts directly when `g` is a plain MultiDiGraph and both
        nodes exist (a build adds tens of thousands of edges)."""
        via = ev.via
        key = ev.technique if not via else f"{ev.technique}@{via}"
        g = self.g
        if type(g) is _MultiDiGraph:
            d = g.__dict__
            succ: _Dicts = d["_succ"]
            nbrs = succ.get(src)
            if nbrs is not None and dst in succ:
                _put_edge(nbrs, d["_pred"][dst], src, dst, key, ev)
                cache = d.get("__networkx_cache__")  # as networkx's _clear_cache after each change
                if cache:
                    cache.clear()
                return
        g.add_edge(src, dst, key=key, evidence=ev, conditional=ev.conditional)

    def add_edges_to_nodes(self, src: str, edges: Iterable[tuple[str, Evidence]]) -> None:
        """`add_edge(src, dst, ev)` for each `(dst, ev)` of `edges` in order whose `dst` is a node
        of the graph (the others are skipped); `src` must be a node. The same graph as those calls,
        written with networkx's dicts looked up once when `g` is a plain MultiDiGraph (a build's
        service hubs add thousands of edges from one node)."""
        g = self.g
        if type(g) is not _MultiDiGraph:
            for dst, ev in edges:
                if dst in g:
                    self.add_edge(src, dst, ev)
            return
        d = g.__dict__
        succ: _Dicts = d["_succ"]
        pred: _Dicts = d["_pred"]
        nbrs = succ[src]
        changed = False
        for dst, ev in edges:
            preds = pred.get(dst)
            if preds is None:
                continue  # not a node (succ and pred hold the same nodes)
            via = ev.via
            _put_edge(nbrs, preds, src, dst, ev.technique if not via else f"{ev.technique}@{via}", ev)
            changed = True
        if changed:  # nothing reads the graph meanwhile: one clearing stands for one per edge
            cache = d.get("__networkx_cache__")
            if cache:
                cache.clear()

    def kind(self, node: str) -> NodeKind:
        return self.g.nodes[node]["kind"]

    def is_admin(self, node: str) -> bool:
        st = self.admins.get(node)
        return bool(st and st.definite)

    def principals(self) -> list[str]:
        """Users and roles of the scanned accounts (and Identity Center users), sorted."""
        kinds = _PRINCIPAL_KINDS
        return sorted(n for n, k in self.g.nodes(data="kind") if k in kinds)

    def actable(self, node: str) -> bool:
        """False for roles no person or service can act as: never reported as escalation sources."""
        return node not in self.inert

    def edges_between(self, src: str, dst: str) -> list[Evidence]:
        """The evidence of every edge src -> dst, by edge key."""
        data = self.g.get_edge_data(src, dst)
        if not data:
            return []
        return [d["evidence"] for _k, d in (sorted(data.items()) if len(data) > 1 else data.items())]

    def definite_graph(self) -> nx.MultiDiGraph:
        """View with only definite (non-conditional) edges."""
        return nx.subgraph_view(self.g, filter_edge=lambda u, v, k: not self.g.edges[u, v, k]["conditional"])


def _put_edge(nbrs: _Dicts, preds: _Dicts, src: str, dst: str, key: str, ev: Evidence) -> None:
    """Write edge `key` src -> dst into networkx's dicts (`nbrs`: src's successors, `preds`: dst's
    predecessors) as `MultiDiGraph.add_edge` does: the first edge between them makes the one key
    dict both share (a self-loop too); an existing key's data is updated in place."""
    keydict = nbrs.get(dst)
    if keydict is None:
        nbrs[dst] = preds[src] = {key: {"evidence": ev, "conditional": ev.conditional}}
        return
    data = keydict.get(key)
    if data is None:
        keydict[key] = {"evidence": ev, "conditional": ev.conditional}
    else:
        data.update(evidence=ev, conditional=ev.conditional)
