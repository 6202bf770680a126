"""One self-contained interactive HTML report (pyvis / vis-network, every asset inlined, no network request).

Account text never becomes markup: the page's data travels as JSON in ``<script type="application/json">``
with ``<``, ``>``, ``&``, U+2028/2029 escaped, and the page script builds the DOM with ``textContent`` only.
pyvis's own node/edge JSON goes through Jinja's ``tojson`` (which escapes ``<>&'``) and carries only ids,
short labels and styling; nodes get no ``title`` (vis would render an HTML string there).
"""

from __future__ import annotations

import functools
import hashlib
import html as _html
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from jinja2 import Environment, FileSystemLoader
from jinja2 import filters as _jinja_filters
from jinja2.utils import htmlsafe_json_dumps as _htmlsafe_json_dumps
from pyvis.network import Network

from iamgraph.query.base import QueryKind
from iamgraph.query.report import Report
from iamgraph.query.severity import Severity
from iamgraph.render.graph_data import DocumentTable, canonical_key
from iamgraph.render.json_text import compact
from iamgraph.render.text import labeller, short_name
from iamgraph.render.text import path_text as _path_text

LARGE_GRAPH = 300  # above this many drawn nodes: physics off, layout precomputed in Python
FOCUS_BUDGET = 150  # large default view: nodes of the most severe findings' paths drawn at first
LABEL_MAX = 40  # characters of a label drawn on the canvas (the side panel shows it in full)

# kind -> (colour, vis shape, legend text)
KIND_STYLE: dict[str, tuple[str, str, str]] = {
    "user": ("#4e79a7", "dot", "IAM user"),
    "group": ("#59a14f", "square", "IAM group"),
    "role": ("#f28e2b", "diamond", "IAM role"),
    "service": ("#76b7b2", "triangle", "AWS service principal"),
    "external": ("#b07aa1", "triangleDown", "external account"),
    "federated": ("#9c755f", "hexagon", "federated identity provider"),
    "admin": ("#d62728", "star", "administrator (sink)"),
}
# vis groups: one per kind, plus "hub" (a service-resource node standing for many roles; kind "service")
GROUP_STYLE: dict[str, tuple[str, str, str]] = {
    **KIND_STYLE,
    "hub": (KIND_STYLE["service"][0], "triangle", "service resource hub (stands for many roles)"),
}
HUB_PREFIXES = ("iamgraph:new:", "iamgraph:existing:")
_COLUMN_ORDER = ("external", "federated", "service", "user", "group", "role", "admin")
PATH_COLOR = "#d62728"
RISKY_TRUST_COLOR = "#8250df"  # edges of risky-trust findings: a way in, not an escalation step
OTHER_EDGE_COLOR = "#9aa0a6"
FAN_STEP = 0.22  # roundness added per parallel edge between the same two nodes
# Large graphs: a dashed line costs canvas time in proportion to its length (thousands of dash segments per
# edge when zoomed out: 9,000 dashed edges took ~4.5 s per redraw), so only path edges are dashed there and
# other conditional edges are drawn solid in this colour.
CONDITIONAL_EDGE_COLOR = "#e8a33d"

_REMOTE_ASSET = re.compile(
    r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*/?>\s*|<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*",
    re.DOTALL,
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def node_label(node_id: str) -> str:
    """Label of a node known only by its id: ``ADMIN`` for the admin sink, a hub's service, else the short name."""
    return short_name(node_id)  # graph labels (ADMIN, hub descriptions) come from the node table


def path_text(finding: dict) -> str:
    """A finding dict's path as ``a -[lambda-001]-> b -[admin]-> ADMIN``; ``?`` marks a conditional hop."""
    path = finding.get("path") or []
    if not path:
        return node_label(str(finding.get("source") or ""))
    parts = [node_label(str(path[0].get("from") or ""))]
    for hop in path:
        mark = "?" if hop.get("conditional") else ""
        parts.append(
            f" -[{hop.get('technique') or hop.get('kind', '')}{mark}]-> {node_label(str(hop.get('to') or ''))}"
        )
    return "".join(parts)


def script_json(value: object) -> str:
    """JSON text safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028/2029 survive literally
    (``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` with those five escaped)."""
    text = compact(value)
    for char, escaped in _JSON_ESCAPES.items():  # one character each, none in another's escape
        if char in text:
            text = text.replace(char, escaped)
    return text


def _edge_key(edge: dict) -> tuple[str, str, str, str]:
    return (
        edge.get("from", ""),
        edge.get("to", ""),
        edge.get("technique") or edge.get("kind", ""),
        edge.get("via") or "",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """What the page holds: ``nodes``/``edges`` drawn at first (vis ``n<i>``/``e<j>`` for the first ones), then
    ``extra_nodes``/``extra_edges`` (the rest of the graph, drawn on demand); ``total_*`` count the union."""

    nodes: list[dict]
    edges: list[dict]
    extra_nodes: list[dict]
    extra_edges: list[dict]

    @property
    def total_nodes(self) -> int:
        return len(self.nodes) + len(self.extra_nodes)

    @property
    def total_edges(self) -> int:
        return len(self.edges) + len(self.extra_edges)


def _select(report: dict, full_graph: bool) -> Selection:
    """Nodes and edges to draw: everything, or the subgraph the findings touch plus admin sinks (the rest of
    the graph then travels as extras the page draws on demand)."""
    graph = report.get("graph") or {}
    nodes = {n["id"]: n for n in graph.get("nodes", [])}
    edges = {_edge_key(e): e for e in graph.get("edges", [])}
    for finding in report.get("findings", []):
        for hop in finding.get("path", []):
            edges.setdefault(_edge_key(hop), hop)
        for node_id in [finding.get("source"), finding.get("target")] + [
            x for hop in finding.get("path", []) for x in (hop.get("from"), hop.get("to"))
        ]:
            if node_id and node_id not in nodes:
                info = (report.get("nodes") or {}).get(node_id) or {}  # kinds come from the graph
                nodes[node_id] = {
                    "id": node_id,
                    "kind": info.get("kind"),
                    "label": info.get("label") or short_name(node_id),
                    "details": {},
                    **({"hub": True} if info.get("hub") else {}),
                }
    keep = set(nodes)
    if not full_graph:
        keep = {n_id for n_id, n in nodes.items() if n.get("kind") == "admin"}
        for finding in report.get("findings", []):
            keep.update(x for x in (finding.get("source"), finding.get("target")) if x)
            keep.update(x for hop in finding.get("path", []) for x in (hop.get("from"), hop.get("to")) if x)
    drawn = [n for n_id, n in nodes.items() if n_id in keep]
    extra = [n for n_id, n in nodes.items() if n_id not in keep]
    drawn_edges = [e for e in edges.values() if e.get("from") in keep and e.get("to") in keep]
    extra_edges = [
        e
        for e in edges.values()
        if not (e.get("from") in keep and e.get("to") in keep) and e.get("from") in nodes and e.get("to") in nodes
    ]
    return Selection(nodes=drawn, edges=drawn_edges, extra_nodes=extra, extra_edges=extra_edges)


def _focus(
    report: dict, budget: int, kind: Callable[[dict], QueryKind | None] | None = None
) -> tuple[set[str], set[tuple[str, str, str, str]]]:
    """Nodes and hop edges of the most severe findings' paths, adding whole paths while the node count stays
    within ``budget`` (the first path always fits): what a large account's page shows at first.
    ``kind``: ``_kind_memo(report)`` (optional)."""
    kind_of = kind or _kind_memo(report)

    def rank(f: dict) -> int:
        sev = Severity.lenient(f.get("severity", ""))
        return -sev.rank if sev is not None else 9

    nodes: set[str] = set()
    hops: set[tuple[str, str, str, str]] = set()
    findings = sorted(
        report.get("findings", []), key=lambda f: (rank(f), kind_of(f) is QueryKind.INVENTORY, str(f.get("id")))
    )
    for f in findings:
        path_nodes = {x for hop in f.get("path", []) for x in (hop.get("from"), hop.get("to")) if x}
        path_nodes.update(x for x in (f.get("source"), f.get("target")) if x)
        if nodes and len(nodes | path_nodes) > budget:
            continue
        nodes |= path_nodes
        hops.update(_edge_key(h) for h in f.get("path", []))
    return nodes, hops


def _grid_layout(nodes: list[dict], on_path: dict[str, int], y0: int = 0) -> dict[str, tuple[int, int]]:
    """Deterministic layered layout: one band of columns per kind, path nodes first (grouped by the first
    finding whose path holds them), then by label; rows start at `y0`."""
    rows = max(12, math.ceil(math.sqrt(len(nodes))))
    by_kind: dict[str, list[dict]] = {}
    for n in nodes:
        by_kind.setdefault(str(n.get("kind")) if n.get("kind") in KIND_STYLE else "external", []).append(n)
    positions: dict[str, tuple[int, int]] = {}
    column = 0
    for kind in _COLUMN_ORDER:
        members = sorted(by_kind.get(kind, []), key=lambda n: (on_path.get(n["id"], 1 << 30), str(n.get("label", ""))))
        for i, n in enumerate(members):
            positions[n["id"]] = ((column + i // rows) * 260, y0 + (i % rows - min(rows, len(members)) // 2) * 70)
        column += math.ceil(len(members) / rows) + 1 if members else 0
    return positions


def _options(large: bool) -> dict:
    font = {"size": 11, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"}
    sizes = {"admin": 28, "hub": 12}
    groups: dict[str, dict[str, object]] = {
        g: {"color": c, "shape": s, "size": sizes.get(g, 16)} for g, (c, s, _) in GROUP_STYLE.items()
    }
    groups["hub"]["shapeProperties"] = {"borderDashes": [4, 3]}
    edge_color = {"color": OTHER_EDGE_COLOR, "highlight": "#5f6368", "hover": "#5f6368", "inherit": False}
    if large:
        return {
            "layout": {"improvedLayout": False},
            "physics": {"enabled": False},
            "groups": groups,
            "edges": {
                "smooth": False,
                "font": font,
                "color": edge_color,
                "width": 1,
                "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            },
            "nodes": {"font": {"size": 12}, "borderWidth": 1},
            "interaction": {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True, "tooltipDelay": 10**9},
        }
    return {
        "layout": {
            "hierarchical": {
                "enabled": True,
                "direction": "LR",
                "sortMethod": "directed",
                "levelSeparation": 280,
                "nodeSpacing": 110,
                "shakeTowards": "roots",
            }
        },
        "physics": {"enabled": False},
        "groups": groups,
        "edges": {
            "smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
            "font": font,
            "color": edge_color,
            "width": 1,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        },
        "nodes": {"font": {"size": 14}, "borderWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 10**9},
    }


def _clip(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _group(node: dict) -> str:
    if node.get("hub"):
        return "hub"
    kind = node.get("kind")
    return str(kind) if kind in KIND_STYLE else "external"


class _Table:
    """Interns JSON values (evidence rows, edge attributes) into a list; equal values share one index.
    ``by_object``: a value object seen before gets its index without its key being made again (for
    values that are shared objects and never changed meanwhile, such as a report's shared hops)."""

    def __init__(self, by_object: bool = False) -> None:
        self.items: list = []
        self._index: dict[bytes | str, int] = {}
        self._seen: dict[int, tuple[object, int]] | None = {} if by_object else None

    def intern(self, value: object) -> int:
        seen = self._seen
        if seen is not None:
            held = seen.get(id(value))
            if held is not None and held[0] is value:
                return held[1]
        key = canonical_key(value)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.items)
            self.items.append(value)
        if seen is not None:
            seen[id(value)] = (value, found)  # the value is kept alive, so its id stays its own
        return found


_EDGE_OWN = ("from", "to", "evidence", "on_path")  # per-edge fields; the rest is shared through edge_types


def _node_payload(node: dict, docs: DocumentTable, exported_docs: dict) -> dict:
    """A node for the page: empty fields dropped, policy documents replaced by indexes into ``docs``."""
    out: dict = {"id": node["id"], "kind": node.get("kind"), "label": node.get("label") or node_label(node["id"])}
    if node.get("account"):
        out["account"] = node["account"]
    if node.get("hub"):
        out["hub"] = True
    d = node.get("details") or {}
    det: dict = {k: d[k] for k in ("path", "description", "tags", "incomplete") if d.get(k)}
    if d.get("admin"):
        det["admin"] = True

    def doc_index(inline_key: str, id_key: str, holder: dict) -> int | None:
        doc = holder[inline_key] if inline_key in holder else exported_docs.get(holder.get(id_key) or "")
        return None if doc is None else int(docs.intern(doc)[1:])

    if d.get("policies"):
        det["policies"] = [
            {
                "policy": p.get("policy"),
                "policy_type": p.get("policy_type"),
                "doc": doc_index("document", "document_id", p),
            }
            for p in d["policies"]
        ]
    if "trust_policy" in d or d.get("trust_policy_id"):
        det["trust"] = doc_index("trust_policy", "trust_policy_id", d)
    if det:
        out["details"] = det
    return out


def _payload(report: dict, sel: Selection, title: str, full_graph: bool) -> dict:
    """The page's data, compact: policy documents, evidence rows and edge attributes are stored once in
    tables (``docs``, ``evidence``, ``edge_types``) and referenced by index; node ``i`` is vis node ``n<i>``,
    edge ``j`` (``[from, to, edge_type, [evidence...]]``) is vis edge ``e<j>``; the first ``drawn.nodes`` /
    ``drawn.edges`` are in the vis DataSets, the rest are drawn on demand. Findings keep all their fields;
    their hops (with every evidence row) and ``details`` are shared through ``hops`` / ``finding_details``."""
    nodes, edges = sel.nodes + sel.extra_nodes, sel.edges + sel.extra_edges
    node_index = {n["id"]: i for i, n in enumerate(nodes)}
    edge_index = {_edge_key(e): j for j, e in enumerate(edges)}
    graph = report.get("graph") or {}
    docs = DocumentTable()
    exported_docs = graph.get("documents") or {}
    evidence, edge_types = _Table(), _Table()
    edge_rows = []
    for e in edges:
        row: list = [
            node_index[e["from"]],
            node_index[e["to"]],
            edge_types.intern({k: v for k, v in e.items() if k not in _EDGE_OWN}),
        ]
        if e.get("evidence"):
            row.append([evidence.intern(ev) for ev in e["evidence"]])
        edge_rows.append(row)
    findings = []
    hop_table, details_table = _Table(by_object=True), _Table()  # findings share hop dicts (share_hops)
    for f in report.get("findings", []):
        hops = f.get("path", [])
        hop_edges = [edge_index.get(_edge_key(h)) for h in hops]
        out = {
            **f,
            "path": [hop_table.intern(h) for h in hops],
            "hop_edges": [None if j is None else f"e{j}" for j in hop_edges],
            "hop_nodes": [
                f"n{node_index[x]}"
                for x in dict.fromkeys([f.get("source")] + [h.get(k) for h in hops for k in ("from", "to")])
                if x in node_index
            ],
        }
        if "details" in f:
            out["details"] = details_table.intern(f["details"])
        findings.append(out)
    return {
        "title": title,
        "tool": report.get("tool", {}),
        "accounts": report.get("accounts", []),
        "summary": report.get("summary", {}),
        "warnings": report.get("warnings", []),
        "incomplete": report.get("incomplete"),
        "legend": [{"kind": k, "color": c, "shape": s, "text": t} for k, (c, s, t) in GROUP_STYLE.items()],
        "style": {
            "path": PATH_COLOR,
            "risky": RISKY_TRUST_COLOR,
            "other": OTHER_EDGE_COLOR,
            "conditional": CONDITIONAL_EDGE_COLOR,
        },
        "drawn": {
            "nodes": len(sel.nodes),
            "edges": len(sel.edges),
            "full_graph": full_graph,
            "total_nodes": sel.total_nodes,
            "total_edges": sel.total_edges,
            "large": len(sel.nodes) > LARGE_GRAPH,
        },
        "nodes": [_node_payload(n, docs, exported_docs) for n in nodes],
        "docs": list(docs.documents.values()),
        "edges": edge_rows,
        "edge_types": edge_types.items,
        "evidence": evidence.items,
        "findings": findings,
        "hops": hop_table.items,
        "finding_details": details_table.items,
    }


def _vis_nodes(
    nodes: list[dict], on_path: set[str], positions: dict[str, tuple[int, int]], hidden: set[str]
) -> list[dict]:
    out = []
    for i, n in enumerate(nodes):
        group = _group(n)
        label = str(n.get("label") or node_label(n["id"]))
        limit = 2 * LABEL_MAX if group == "hub" else LABEL_MAX  # hub labels say what they stand for
        item: dict = {"id": f"n{i}", "group": group, "label": _clip(label, limit)}
        if n["id"] in on_path:
            item["borderWidth"] = 3
        if n["id"] in positions:
            item["x"], item["y"] = positions[n["id"]]
        if n["id"] in hidden:
            item["hidden"] = True
        out.append(item)
    return out


def fan_out(edges: list[dict]) -> dict[int, dict]:
    """vis ``smooth`` for the 2nd, 3rd, ... edge between the same two nodes in the same direction: curved to
    alternate sides with growing roundness, so parallel edges (one per technique) never lie on each other.
    The first edge of a bundle (a path edge when there is one) keeps the default line."""
    bundles: dict[tuple[str, str], list[int]] = {}
    for j, e in enumerate(edges):
        bundles.setdefault((e.get("from", ""), e.get("to", "")), []).append(j)
    out: dict[int, dict] = {}
    for members in bundles.values():
        members.sort(key=lambda j: (not edges[j].get("_hot"), str(_edge_key(edges[j])[2])))
        for rank, j in enumerate(members[1:], start=1):
            out[j] = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 else "curvedCCW",
                "roundness": round(FAN_STEP * ((rank + 1) // 2), 2),
            }
    return out


def _vis_edges(
    edges: list[dict], node_index: dict[str, int], path_keys: set, risky_keys: set, large: bool, hidden: set
) -> list[dict]:
    out = []
    marked = [{**e, "_hot": _edge_key(e) in path_keys or _edge_key(e) in risky_keys} for e in edges]
    curves = fan_out(marked)
    for j, e in enumerate(edges):
        key = _edge_key(e)
        item: dict = {
            "id": f"e{j}",
            "from": f"n{node_index[e['from']]}",
            "to": f"n{node_index[e['to']]}",
            "label": _clip(str(key[2])),
        }
        hot = key in path_keys or key in risky_keys
        if key in risky_keys and key not in path_keys:
            item["color"], item["width"] = RISKY_TRUST_COLOR, 3
        elif key in path_keys:
            item["color"], item["width"] = PATH_COLOR, 3.5
        if e.get("conditional"):
            if hot or not large:
                item["dashes"] = True
            else:
                item["color"] = CONDITIONAL_EDGE_COLOR
        if j in curves:
            item["smooth"] = curves[j]
        if key in hidden:
            item["hidden"] = True
        out.append(item)
    return out


def _hop_keys(report: dict, pick: Callable[[dict], bool]) -> set[tuple[str, str, str, str]]:
    return {_edge_key(h) for f in report.get("findings", []) if pick(f) for h in f.get("path", [])}


def render_html(report: Report, *, full_graph: bool = False, title: str = "iamgraph report") -> str:
    """One self-contained HTML page for ``report`` (design.md §6 + optional ``graph``); makes no network request.

    Draws the subgraph the findings touch (``full_graph`` draws all of ``report["graph"]``; otherwise the rest
    is in the page, drawn on demand). Above ``LARGE_GRAPH`` nodes physics is off, positions are precomputed,
    and the default view shows the paths of the most severe findings only (the others on selection).
    """
    label = labeller(report)
    texts = {f.id: _path_text(f, label) for f in report.findings}
    data = report.to_json(share_hops=True)  # read only below: findings are copied, hops never changed
    kinds = {q.id: q.kind.value for q in report.queries}  # the page styles findings by query kind, not id
    data["findings"] = [
        {**f, "path_text": texts[f["id"]], "query_kind": kinds.get(f["query"])} for f in data["findings"]
    ]
    return _render(data, full_graph, title)


def _kind(report: dict, finding: dict) -> QueryKind | None:
    """The kind of the query that made ``finding`` (from the report's ``queries`` table)."""
    for q in report.get("queries") or []:
        if q.get("id") == finding.get("query"):
            try:
                return QueryKind(q.get("kind"))
            except ValueError:
                return None
    return None


def _kind_memo(report: dict) -> Callable[[dict], QueryKind | None]:
    """`_kind(report, f)` remembered per query id (the answer reads nothing else of the finding)."""
    memo: dict[str, QueryKind | None] = {}

    def kind(finding: dict) -> QueryKind | None:
        qid = finding.get("query")
        if type(qid) is not str:
            return _kind(report, finding)
        if qid not in memo:
            memo[qid] = _kind(report, finding)
        return memo[qid]

    return kind


def _incomplete_banner(incomplete: dict | None) -> str:
    """A static, escaped banner for an incomplete analysis (empty for a complete one)."""
    if not incomplete or not (incomplete.get("reasons") or incomplete.get("callouts")):
        return ""
    head = (
        "INCOMPLETE analysis: IAM data is missing or partial; this report cannot be relied on as complete."
        if incomplete.get("analysis")
        else "Partial data: some findings may be missing or incomplete."
    )
    items = "".join(f"<li>could not read {_html.escape(str(r))}</li>" for r in incomplete.get("reasons") or [])
    items += "".join(f"<li>{_html.escape(str(c))}</li>" for c in incomplete.get("callouts") or [])
    cls = "ig-incomplete ig-incomplete-analysis" if incomplete.get("analysis") else "ig-incomplete"
    return (
        f'<div id="ig-incomplete" class="{cls}" role="alert" style="background:'
        f"{'#b00020' if incomplete.get('analysis') else '#fff4ce'};color:"
        f'{"#fff" if incomplete.get("analysis") else "#3b2e00"};padding:8px 12px;font-weight:600">'
        f'{_html.escape(head)}<ul style="margin:4px 0 0 18px;font-weight:400">{items}</ul></div>\n'
    )


def _render(report: dict, full_graph: bool, title: str) -> str:
    sel = _select(report, full_graph)
    nodes, edges = sel.nodes, sel.edges
    # escalation paths are highlighted; an admin's own "allowed * on *" edge is not an escalation, and a risky
    # trust is a way in, styled apart
    kind = _kind_memo(report)
    path_keys = _hop_keys(report, lambda f: kind(f) not in (QueryKind.INVENTORY, QueryKind.POSTURE))
    risky_keys = _hop_keys(report, lambda f: kind(f) is QueryKind.POSTURE)
    on_path = {x for k in path_keys | risky_keys for x in k[:2]}
    large = len(nodes) > LARGE_GRAPH
    first_finding: dict[str, int] = {}
    for i, f in enumerate(report.get("findings", [])):
        for hop in f.get("path", []):
            for x in (hop.get("from"), hop.get("to")):
                first_finding.setdefault(x, i)
    every = nodes + sel.extra_nodes
    grid = _grid_layout(every, first_finding) if len(every) > LARGE_GRAPH else {}
    positions = grid if large else {}
    node_index = {n["id"]: i for i, n in enumerate(nodes)}
    hidden_nodes: set[str] = set()
    hidden_edges: set = set()
    if large and not full_graph:
        focus_nodes, focus_hops = _focus(report, FOCUS_BUDGET, kind)
        hidden_nodes = {n["id"] for n in nodes if n["id"] not in focus_nodes and n.get("kind") != "admin"}
        hidden_edges = {_edge_key(e) for e in edges if _edge_key(e) not in focus_hops}
        # the paths drawn at first get a compact grid of their own; everything else goes below it
        shown = [n for n in every if n["id"] not in hidden_nodes and n["id"] in node_index]
        compact = _grid_layout(shown, first_finding)
        below = max((y for _, y in compact.values()), default=0) + 600
        rest = [n for n in every if n["id"] not in compact]
        grid = {
            **compact,
            **_grid_layout(rest, first_finding, y0=below + 70 * max(12, math.ceil(math.sqrt(len(rest)))) // 2),
        }
        positions = grid

    net = page_network()
    net.nodes = _vis_nodes(nodes, on_path, positions, hidden_nodes)  # ids, short labels, styling only
    net.edges = _vis_edges(edges, node_index, path_keys, risky_keys, large, hidden_edges)
    net.options = _options(large)
    page = generate_html(net)
    payload = _payload(report, sel, title, full_graph)
    if grid:  # where nodes drawn on demand go (and every node, once the whole graph is drawn)
        payload["positions"] = [list(grid[n["id"]]) for n in every]
    return _assemble(page, payload, title)


def page_network() -> Network:
    """The pyvis Network the page is drawn with (before its nodes, edges and options are set)."""
    return Network(height="640px", width="100%", directed=True, cdn_resources="in_line", heading="")


_NEWLINE = re.compile(r"(\r\n|\r|\n)")  # jinja2.lexer.newline_re


def rendered_verbatim(source: str, env: Environment) -> str:
    """What ``env`` renders for a template ``source`` holding no Jinja syntax: its lines joined by the
    environment's newline sequence, one trailing newline dropped unless ``keep_trailing_newline``.
    A source without ``\\r`` under ``\\n`` newlines is its own text then (no regex pass over it)."""
    if "\r" not in source and env.newline_sequence == "\n":
        if not env.keep_trailing_newline and source.endswith("\n"):
            return source[:-1]
        return source
    lines = _NEWLINE.split(source)[::2]
    if not env.keep_trailing_newline and lines[-1] == "":
        del lines[-1]
    return env.newline_sequence.join(lines)


class _VerbatimLoader(FileSystemLoader):
    """A FileSystemLoader that serves each file holding no Jinja syntax (and no NUL) as a marker,
    ``\\x00verbatim:<n>\\x00``, keeping in ``texts`` what the file renders to; ``clean`` turns False
    when a file served as itself holds a NUL (a marker could then come from a template's own text)."""

    def __init__(self, like: FileSystemLoader, env: Environment) -> None:
        super().__init__(like.searchpath, encoding=like.encoding, followlinks=like.followlinks)
        self._syntax = (env.block_start_string, env.variable_start_string, env.comment_start_string)
        self._env = env
        self.texts: dict[str, str] = {}
        self.clean = True

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if "\x00" in source:
            self.clean = False
        elif not any(start in source for start in self._syntax):
            marker = f"\x00verbatim:{len(self.texts)}\x00"
            self.texts[marker] = rendered_verbatim(source, self._env)
            return marker, filename, uptodate
        return source, filename, uptodate


# What a pyvis page depends on besides its nodes, edges and options; the shipped page parts hold for
# these values only (`pyvis_page`), any other value renders through Jinja.
_PAGE_INPUTS = (
    "path",
    "height",
    "width",
    "heading",
    "bgcolor",
    "use_DOT",
    "dot_lang",
    "widget",
    "conf",
    "neighborhood_highlight",
    "select_menu",
    "filter_menu",
    "cdn_resources",
)
# the environment's settings that change how a template's text renders
_ENV_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
)
_SLOT = "IAMGRAPH-PYVIS-SLOT-"  # marks where nodes, edges and options go in the page parts
_INCLUDE = "\x00include:"  # an included file's place in the page parts: \x00include:<name>\x00
PAGE_FILE = "pyvis_page.json"  # in html_assets: `pyvis_page(...)` of the Network `_render` draws


def pyvis_page(net: Network) -> dict:
    """What ``net.generate_html()`` renders around its data: the page cut at its nodes, edges and
    options (``parts``: text, slot name, text, ...), included files left as ``\x00include:<name>\x00``;
    with the template's SHA-256 and the inputs it was rendered with. ``net``'s own data is not used."""
    env = net.templateEnv
    loader = env.loader
    if not isinstance(loader, FileSystemLoader):
        raise TypeError("pyvis_page needs pyvis's FileSystemLoader")
    source = loader.get_source(env, net.path)[0]

    class Marking(FileSystemLoader):
        def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            got = super().get_source(environment, template)
            return got if template == net.path else (f"{_INCLUDE}{template}\x00", got[1], got[2])

    probe = Network(height=net.height, width=net.width, directed=net.directed, cdn_resources=net.cdn_resources)
    for name in _PAGE_INPUTS:
        setattr(probe, name, getattr(net, name))
    probe.templateEnv = env.overlay(loader=Marking(loader.searchpath, encoding=loader.encoding))
    probe.nodes = [{"id": f"{_SLOT}nodes"}]
    probe.edges = [{"id": f"{_SLOT}edges"}]
    probe.options = {"physics": {"enabled": False}, "slot": f"{_SLOT}options"}
    page = str(probe.generate_html())
    texts = {
        "nodes": '[{"id": "' + _SLOT + 'nodes"}]',
        "edges": '[{"id": "' + _SLOT + 'edges"}]',
        "options": json.dumps(probe.options),
    }
    if _SLOT in source or _INCLUDE in source:
        raise RuntimeError("pyvis template holds the page parts' markers")
    parts: list[str] = []
    rest = page
    while True:
        hits = [(rest.find(text), name) for name, text in texts.items() if text in rest]
        if not hits:
            break
        at, name = min(hits)
        parts += [rest[:at], name]
        rest = rest[at + len(texts[name]) :]
    parts.append(rest)
    if any(_SLOT in part for part in parts[::2]):
        raise RuntimeError("pyvis template: a data slot is not written as nodes/edges/options are")
    return {
        "template_sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(),
        "environment": {name: getattr(env, name) for name in _ENV_SETTINGS},
        "inputs": {name: getattr(net, name) for name in _PAGE_INPUTS},
        "parts": parts,
    }


def _plain_environment(env: Environment) -> bool:
    """A Jinja Environment of its own class, with a FileSystemLoader and no extensions: the one
    both of `generate_html`'s shortcuts know how to read."""
    return type(env) is Environment and type(env.loader) is FileSystemLoader and not env.extensions


def _shipped_page(net: Network) -> str | None:
    """``net.generate_html()``'s text from the shipped page parts, or None when they do not apply
    (another template text or environment, other inputs, physics on, node titles, an included
    file with Jinja syntax or a NUL, a template holding the slot text)."""
    env = net.templateEnv
    loader = env.loader
    options = net.options
    if (
        not _plain_environment(env)
        or env.autoescape is not False
        or env.finalize is not None
        or env.filters.get("tojson") is not _jinja_filters.do_tojson
        or env.filters.get("safe") is not _jinja_filters.do_mark_safe
        or type(options) is not dict
        or not isinstance(options.get("physics"), dict)
        or options["physics"].get("enabled", True) is not False
        or any(n.get("title") for n in net.nodes)
    ):
        return None
    shipped = _page_parts()
    if (
        shipped is None
        or shipped.get("inputs") != {name: getattr(net, name) for name in _PAGE_INPUTS}
        or shipped.get("environment") != {name: getattr(env, name) for name in _ENV_SETTINGS}
    ):
        return None
    source = loader.get_source(env, net.path)[0]
    if hashlib.sha256(source.encode("utf-8")).hexdigest() != shipped["template_sha256"]:
        return None
    syntax = (env.block_start_string, env.variable_start_string, env.comment_start_string)
    dumps, kwargs = env.policies["json.dumps_function"], env.policies["json.dumps_kwargs"]
    data = {
        "nodes": str(_htmlsafe_json_dumps(net.nodes, dumps=dumps, **kwargs)),
        "edges": str(_htmlsafe_json_dumps(net.edges, dumps=dumps, **kwargs)),
        "options": json.dumps(options),
    }
    out: list[str] = []
    for i, part in enumerate(shipped["parts"]):
        if i % 2:
            out.append(data[part])
            continue
        while _INCLUDE in part:
            head, _, tail = part.partition(_INCLUDE)
            name, _, part = tail.partition("\x00")
            text = loader.get_source(env, name)[0]
            if "\x00" in text or any(start in text for start in syntax):
                return None
            out += [head, rendered_verbatim(text, env)]
        out.append(part)
    return "".join(out)


@functools.cache
def _page_parts() -> dict | None:
    try:
        loaded = json.loads(_asset(PAGE_FILE))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def generate_html(net: Network) -> str:
    """``net.generate_html()``'s exact text, without Jinja lexing the files pyvis inlines (vis-network's
    690 KB of script and CSS, ~50 ms): those holding no Jinja syntax render as a marker each, replaced
    by the file's rendered text afterwards. Rendered the plain way when the environment is not a plain
    one (extensions, line prefixes, another loader class) or a template holds a NUL. The rendered
    page's other NULs could only come from template text: the values pyvis puts in are JSON (NUL
    escaped) or this module's constants."""
    shipped = _shipped_page(net)
    if shipped is not None:
        return shipped
    env = net.templateEnv
    loader = env.loader
    if not _plain_environment(env) or env.line_statement_prefix is not None or env.line_comment_prefix is not None:
        return str(net.generate_html())
    verbatim = _VerbatimLoader(loader, env)
    net.templateEnv = env.overlay(loader=verbatim)
    try:
        page = str(net.generate_html())
    finally:
        net.templateEnv = env
    if not verbatim.clean:
        return str(net.generate_html())
    for marker, text in verbatim.texts.items():
        page = page.replace(marker, text)
    return page


def _asset(name: str) -> str:
    return resources.files("iamgraph.render").joinpath("html_assets").joinpath(name).read_text(encoding="utf-8")


def _replace_once(page: str, old: str, new: str) -> str:
    if old not in page:
        raise RuntimeError(f"pyvis template changed: anchor {old!r} not found")
    return page.replace(old, new, 1)


def _assemble(page: str, payload: dict, title: str) -> str:
    """Drop pyvis's CDN links and empty headings, add our skeleton, data, CSS and script."""
    page = _REMOTE_ASSET.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _replace_once(page, "<html>", '<!DOCTYPE html>\n<html lang="en">')
    page = _replace_once(
        page,
        '<meta charset="utf-8">',
        '<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="'
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; "
        "base-uri 'none'\">\n"
        f"<title>{_html.escape(title)}</title>\n<style>{_asset('report.css')}</style>",
    )
    page = _replace_once(
        page,
        '<div class="card" style="width: 100%">',
        _incomplete_banner(payload.get("incomplete")) + _asset("header.html") + '<div class="card" id="ig-graph-card">',
    )
    head, sep, tail = page.rpartition("</body>")
    if not sep:
        raise RuntimeError("pyvis template changed: no </body>")
    page = (
        head
        + _asset("body.html")
        + f'<script type="application/json" id="iamgraph-data">{script_json(payload)}</script>\n'
        + f"<script>{_asset('report.js')}</script>\n</body>"
        + tail
    )
    leftover = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    if leftover:
        raise RuntimeError(f"remote asset left in the HTML report: {leftover[:3]}")
    return page
