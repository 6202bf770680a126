"""One self-contained interactive HTML report (pyvis / vis-network, every asset inlined, no network request).

Account text never becomes markup: the page's data travels as JSON in ``<script type="application/json">``
with ``<``, ``>``, ``&``, U+2028/2029 escaped, and the page script builds the DOM with ``textContent`` only.
pyvis's own node/edge JSON goes through Jinja's ``tojson`` (which escapes ``<>&'``) and carries only ids,
short labels and styling; nodes get no ``title`` (vis would render an HTML string there).
"""

from __future__ import annotations

import html as _html
import json
import math
import re
from importlib import resources

from pyvis.network import Network

from iamgraph.render.graph_data import DocumentTable, canonical_key
from iamgraph.render.text import path_text, short_name

LARGE_GRAPH = 300          # above this many drawn nodes: physics off, layout precomputed in Python
LABEL_MAX = 40             # characters of a label drawn on the canvas (the side panel shows it in full)

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
    **KIND_STYLE, "hub": (KIND_STYLE["service"][0], "triangle", "service resource hub (stands for many roles)")}
HUB_PREFIXES = ("iamgraph:new:", "iamgraph:existing:")
_COLUMN_ORDER = ("external", "federated", "service", "user", "group", "role", "admin")
PATH_COLOR = "#d62728"
OTHER_EDGE_COLOR = "#9aa0a6"
# Large graphs: a dashed line costs canvas time in proportion to its length (thousands of dash segments per
# edge when zoomed out: 9,000 dashed edges took ~4.5 s per redraw), so only path edges are dashed there and
# other conditional edges are drawn solid in this colour.
CONDITIONAL_EDGE_COLOR = "#e8a33d"

_REMOTE_ASSET = re.compile(
    r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*/?>\s*|<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*",
    re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: object) -> str:
    """JSON text safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028/2029 survive literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def guess_kind(node_id: str) -> str:
    """Kind of a node known only by its id (reports without a ``graph`` member)."""
    if node_id.endswith(".amazonaws.com") or node_id.startswith(HUB_PREFIXES):
        return "service"
    if node_id.startswith("arn:"):
        resource = node_id.split(":", 5)[-1]
        for kind in ("user", "group", "role"):
            if resource.startswith(kind + "/"):
                return kind
        if "saml-provider/" in resource or "oidc-provider/" in resource:
            return "federated"
        return "external"
    return "admin" if "admin" in node_id.lower() else "external"


def _edge_key(edge: dict) -> tuple[str, str, str, str]:
    return (edge.get("from", ""), edge.get("to", ""), edge.get("technique") or edge.get("kind", ""),
            edge.get("via") or "")


def _select(report: dict, full_graph: bool) -> tuple[list[dict], list[dict]]:
    """Nodes and edges to draw: everything, or the subgraph the findings touch plus admin sinks."""
    graph = report.get("graph") or {}
    nodes = {n["id"]: n for n in graph.get("nodes", [])}
    edges = {_edge_key(e): e for e in graph.get("edges", [])}
    for finding in report.get("findings", []):
        for hop in finding.get("path", []):
            edges.setdefault(_edge_key(hop), hop)
        for node_id in [finding.get("source"), finding.get("target")] + [
                x for hop in finding.get("path", []) for x in (hop.get("from"), hop.get("to"))]:
            if node_id and node_id not in nodes:
                nodes[node_id] = {"id": node_id, "kind": guess_kind(node_id), "label": short_name(node_id),
                                  "details": {}, **({"hub": True} if node_id.startswith(HUB_PREFIXES) else {})}
    if not full_graph:
        keep = {n_id for n_id, n in nodes.items() if n.get("kind") == "admin"}
        for finding in report.get("findings", []):
            keep.update(x for x in (finding.get("source"), finding.get("target")) if x)
            keep.update(x for hop in finding.get("path", []) for x in (hop.get("from"), hop.get("to")) if x)
        nodes = {n_id: n for n_id, n in nodes.items() if n_id in keep}
    drawn_edges = [e for e in edges.values() if e.get("from") in nodes and e.get("to") in nodes]
    return list(nodes.values()), drawn_edges


def _grid_layout(nodes: list[dict], on_path: set[str]) -> dict[str, tuple[int, int]]:
    """Deterministic layered layout: one band of columns per kind, path nodes first, then by label."""
    rows = max(12, math.ceil(math.sqrt(len(nodes))))
    by_kind: dict[str, list[dict]] = {}
    for n in nodes:
        by_kind.setdefault(str(n.get("kind")) if n.get("kind") in KIND_STYLE else "external", []).append(n)
    positions: dict[str, tuple[int, int]] = {}
    column = 0
    for kind in _COLUMN_ORDER:
        members = sorted(by_kind.get(kind, []), key=lambda n: (n["id"] not in on_path, str(n.get("label", ""))))
        for i, n in enumerate(members):
            positions[n["id"]] = ((column + i // rows) * 260, (i % rows - min(rows, len(members)) // 2) * 70)
        column += math.ceil(len(members) / rows) + 1 if members else 0
    return positions


def _options(large: bool) -> dict:
    font = {"size": 11, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"}
    sizes = {"admin": 28, "hub": 12}
    groups: dict[str, dict[str, object]] = {g: {"color": c, "shape": s, "size": sizes.get(g, 16)}
                                            for g, (c, s, _) in GROUP_STYLE.items()}
    groups["hub"]["shapeProperties"] = {"borderDashes": [4, 3]}
    edge_color = {"color": OTHER_EDGE_COLOR, "highlight": "#5f6368", "hover": "#5f6368", "inherit": False}
    if large:
        return {"layout": {"improvedLayout": False},
                "physics": {"enabled": False},
                "groups": groups,
                "edges": {"smooth": False, "font": font, "color": edge_color, "width": 1,
                          "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
                "nodes": {"font": {"size": 12}, "borderWidth": 1},
                "interaction": {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True, "tooltipDelay": 10 ** 9}}
    return {"layout": {"hierarchical": {"enabled": True, "direction": "LR", "sortMethod": "directed",
                                        "levelSeparation": 280, "nodeSpacing": 110, "shakeTowards": "roots"}},
            "physics": {"enabled": False},
            "groups": groups,
            "edges": {"smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal",
                                 "roundness": 0.4},
                      "font": font, "color": edge_color, "width": 1,
                      "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
            "nodes": {"font": {"size": 14}, "borderWidth": 1},
            "interaction": {"hover": True, "tooltipDelay": 10 ** 9}}


def _clip(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _group(node: dict) -> str:
    if node.get("hub"):
        return "hub"
    kind = node.get("kind")
    return str(kind) if kind in KIND_STYLE else "external"


class _Table:
    """Interns JSON values (evidence rows, edge attributes) into a list; equal values share one index."""

    def __init__(self) -> None:
        self.items: list = []
        self._index: dict[bytes | str, int] = {}

    def intern(self, value: object) -> int:
        key = canonical_key(value)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.items)
            self.items.append(value)
        return found


_EDGE_OWN = ("from", "to", "evidence", "on_path")   # per-edge fields; the rest is shared through edge_types


def _node_payload(node: dict, docs: DocumentTable, exported_docs: dict) -> dict:
    """A node for the page: empty fields dropped, policy documents replaced by indexes into ``docs``."""
    out: dict = {"id": node["id"], "kind": node.get("kind"), "label": node.get("label") or short_name(node["id"])}
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
        det["policies"] = [{"policy": p.get("policy"), "policy_type": p.get("policy_type"),
                            "doc": doc_index("document", "document_id", p)} for p in d["policies"]]
    if "trust_policy" in d or d.get("trust_policy_id"):
        det["trust"] = doc_index("trust_policy", "trust_policy_id", d)
    if det:
        out["details"] = det
    return out


def _payload(report: dict, nodes: list[dict], edges: list[dict], title: str, full_graph: bool) -> dict:
    """The page's data, compact: policy documents, evidence rows and edge attributes are stored once in
    tables (``docs``, ``evidence``, ``edge_types``) and referenced by index; node ``i`` is vis node ``n<i>``,
    edge ``j`` (``[from, to, edge_type, [evidence...]]``) is vis edge ``e<j>``. Findings keep all their fields;
    their hops (with every evidence row) and ``details`` are shared through ``hops`` / ``finding_details``."""
    node_index = {n["id"]: i for i, n in enumerate(nodes)}
    edge_index = {_edge_key(e): j for j, e in enumerate(edges)}
    graph = report.get("graph") or {}
    docs = DocumentTable()
    exported_docs = graph.get("documents") or {}
    evidence, edge_types = _Table(), _Table()
    edge_rows = []
    for e in edges:
        row: list = [node_index[e["from"]], node_index[e["to"]],
                     edge_types.intern({k: v for k, v in e.items() if k not in _EDGE_OWN})]
        if e.get("evidence"):
            row.append([evidence.intern(ev) for ev in e["evidence"]])
        edge_rows.append(row)
    findings = []
    hop_table, details_table = _Table(), _Table()
    for f in report.get("findings", []):
        hops = f.get("path", [])
        hop_edges = [edge_index.get(_edge_key(h)) for h in hops]
        out = {**f, "path_text": path_text(f), "path": [hop_table.intern(h) for h in hops],
               "hop_edges": [None if j is None else f"e{j}" for j in hop_edges],
               "hop_nodes": [f"n{node_index[x]}" for x in dict.fromkeys(
                   [f.get("source")] + [h.get(k) for h in hops for k in ("from", "to")]) if x in node_index]}
        if "details" in f:
            out["details"] = details_table.intern(f["details"])
        findings.append(out)
    return {
        "title": title,
        "tool": report.get("tool", {}),
        "accounts": report.get("accounts", []),
        "summary": report.get("summary", {}),
        "warnings": report.get("warnings", []),
        "legend": [{"kind": k, "color": c, "shape": s, "text": t} for k, (c, s, t) in GROUP_STYLE.items()],
        "drawn": {"nodes": len(nodes), "edges": len(edges), "full_graph": full_graph,
                  "total_nodes": len(graph.get("nodes", [])) or len(nodes), "large": len(nodes) > LARGE_GRAPH},
        "nodes": [_node_payload(n, docs, exported_docs) for n in nodes],
        "docs": list(docs.documents.values()),
        "edges": edge_rows,
        "edge_types": edge_types.items,
        "evidence": evidence.items,
        "findings": findings,
        "hops": hop_table.items,
        "finding_details": details_table.items,
    }


def _vis_nodes(nodes: list[dict], on_path: set[str], positions: dict[str, tuple[int, int]]) -> list[dict]:
    out = []
    for i, n in enumerate(nodes):
        group = _group(n)
        label = str(n.get("label") or short_name(n["id"]))
        limit = 2 * LABEL_MAX if group == "hub" else LABEL_MAX      # hub labels say what they stand for
        item: dict = {"id": f"n{i}", "group": group, "label": _clip(label, limit)}
        if n["id"] in on_path:
            item["borderWidth"] = 3
        if n["id"] in positions:
            item["x"], item["y"] = positions[n["id"]]
        out.append(item)
    return out


def _vis_edges(edges: list[dict], node_index: dict[str, int], path_keys: set, large: bool) -> list[dict]:
    out = []
    for j, e in enumerate(edges):
        key = _edge_key(e)
        item: dict = {"id": f"e{j}", "from": f"n{node_index[e['from']]}", "to": f"n{node_index[e['to']]}",
                      "label": _clip(str(key[2]))}
        hot = key in path_keys
        if hot:
            item["color"], item["width"] = PATH_COLOR, 3.5
        if e.get("conditional"):
            if hot or not large:
                item["dashes"] = True
            else:
                item["color"] = CONDITIONAL_EDGE_COLOR
        out.append(item)
    return out


def render_html(report: dict, *, full_graph: bool = False, title: str = "iamgraph report") -> str:
    """One self-contained HTML page for ``report`` (design.md §6 + optional ``graph``); makes no network request.

    Draws the subgraph the findings touch (``full_graph`` draws all of ``report["graph"]``); above
    ``LARGE_GRAPH`` nodes physics is off and positions are precomputed so the page stays interactive.
    """
    nodes, edges = _select(report, full_graph)
    # escalation paths are highlighted; an admin's own "allowed * on *" edge is not an escalation
    path_keys = {_edge_key(h) for f in report.get("findings", []) if f.get("query") != "admins"
                 for h in f.get("path", [])}
    on_path = {x for k in path_keys for x in k[:2]}
    large = len(nodes) > LARGE_GRAPH
    positions = _grid_layout(nodes, on_path) if large else {}
    node_index = {n["id"]: i for i, n in enumerate(nodes)}

    net = Network(height="640px", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.nodes = _vis_nodes(nodes, on_path, positions)     # vis items built here: ids, short labels, styling only
    net.edges = _vis_edges(edges, node_index, path_keys, large)
    net.options = _options(large)
    page = net.generate_html()
    return _assemble(page, _payload(report, nodes, edges, title, full_graph), title)


def _asset(name: str) -> str:
    return resources.files("iamgraph.render").joinpath("html_assets").joinpath(name).read_text(encoding="utf-8")


def _replace_once(page: str, old: str, new: str) -> str:
    if page.count(old) < 1:
        raise RuntimeError(f"pyvis template changed: anchor {old!r} not found")
    return page.replace(old, new, 1)


def _assemble(page: str, payload: dict, title: str) -> str:
    """Drop pyvis's CDN links and empty headings, add our skeleton, data, CSS and script."""
    page = _REMOTE_ASSET.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _replace_once(page, "<html>", '<!DOCTYPE html>\n<html lang="en">')
    page = _replace_once(page, '<meta charset="utf-8">',
                         '<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="'
                         "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                         "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; "
                         'base-uri \'none\'">\n'
                         f"<title>{_html.escape(title)}</title>\n<style>{_asset('report.css')}</style>")
    page = _replace_once(page, '<div class="card" style="width: 100%">',
                         _asset("header.html") + '<div class="card" id="ig-graph-card">')
    head, sep, tail = page.rpartition("</body>")
    if not sep:
        raise RuntimeError("pyvis template changed: no </body>")
    page = (head + _asset("body.html")
            + f'<script type="application/json" id="iamgraph-data">{script_json(payload)}</script>\n'
            + f"<script>{_asset('report.js')}</script>\n</body>" + tail)
    leftover = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    if leftover:
        raise RuntimeError(f"remote asset left in the HTML report: {leftover[:3]}")
    return page
