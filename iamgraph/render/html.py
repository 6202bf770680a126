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
_COLUMN_ORDER = ("external", "federated", "service", "user", "group", "role", "admin")
PATH_COLOR = "#d62728"
OTHER_EDGE_COLOR = "#9aa0a6"

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
    if node_id.endswith(".amazonaws.com"):
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


def _edge_key(edge: dict) -> tuple[str, str, str]:
    return (edge.get("from", ""), edge.get("to", ""), edge.get("technique") or edge.get("kind", ""))


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
                                  "details": {}}
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


class _IdList(list):
    """A list with O(1) membership: pyvis checks ``id in node_ids`` on every add_node/add_edge (O(n) each)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set = set()

    def append(self, item) -> None:  # type: ignore[override]
        super().append(item)
        self._members.add(item)

    def __contains__(self, item) -> bool:
        return item in self._members


def _options(large: bool) -> dict:
    font = {"size": 11, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"}
    if large:
        return {"layout": {"improvedLayout": False},
                "physics": {"enabled": False},
                "edges": {"smooth": False, "font": font, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
                "nodes": {"font": {"size": 12}},
                "interaction": {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True, "tooltipDelay": 10 ** 9}}
    return {"layout": {"hierarchical": {"enabled": True, "direction": "LR", "sortMethod": "directed",
                                        "levelSeparation": 280, "nodeSpacing": 110, "shakeTowards": "roots"}},
            "physics": {"enabled": False},
            "edges": {"smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal",
                                 "roundness": 0.4},
                      "font": font, "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
            "nodes": {"font": {"size": 14}},
            "interaction": {"hover": True, "tooltipDelay": 10 ** 9}}


def _clip(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _payload(report: dict, nodes: list[dict], edges: list[dict], node_vid: dict[str, str],
             edge_vid: dict[tuple[str, str, str], str], path_keys: set, title: str, full_graph: bool) -> dict:
    findings = []
    for f in report.get("findings", []):
        findings.append({**f, "path_text": path_text(f),
                         "hop_edges": [edge_vid.get(_edge_key(h)) for h in f.get("path", [])],
                         "hop_nodes": [node_vid.get(x) for x in dict.fromkeys(
                             [f.get("source")] + [h.get(k) for h in f.get("path", []) for k in ("from", "to")])
                             if x in node_vid]})
    graph = report.get("graph") or {}
    return {
        "title": title,
        "tool": report.get("tool", {}),
        "accounts": report.get("accounts", []),
        "summary": report.get("summary", {}),
        "warnings": report.get("warnings", []),
        "legend": [{"kind": k, "color": c, "shape": s, "text": t} for k, (c, s, t) in KIND_STYLE.items()],
        "drawn": {"nodes": len(nodes), "edges": len(edges), "full_graph": full_graph,
                  "total_nodes": len(graph.get("nodes", [])) or len(nodes)},
        "nodes": {node_vid[n["id"]]: n for n in nodes},
        "edges": {edge_vid[_edge_key(e)]: {**e, "on_path": _edge_key(e) in path_keys,
                                           "from_id": node_vid[e["from"]], "to_id": node_vid[e["to"]]}
                  for e in edges},
        "findings": findings,
    }


def render_html(report: dict, *, full_graph: bool = False, title: str = "iamgraph report") -> str:
    """One self-contained HTML page for ``report`` (design.md §6 + optional ``graph``); makes no network request.

    Draws the subgraph the findings touch (``full_graph`` draws all of ``report["graph"]``); above
    ``LARGE_GRAPH`` nodes physics is off and positions are precomputed so the page stays interactive.
    """
    nodes, edges = _select(report, full_graph)
    path_keys = {_edge_key(h) for f in report.get("findings", []) for h in f.get("path", [])}
    on_path = {x for k in path_keys for x in k[:2]}
    node_vid = {n["id"]: f"n{i}" for i, n in enumerate(nodes)}
    edge_vid = {_edge_key(e): f"e{i}" for i, e in enumerate(edges)}
    large = len(nodes) > LARGE_GRAPH
    positions = _grid_layout(nodes, on_path) if large else {}

    net = Network(height="640px", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.node_ids = _IdList()
    for n in nodes:
        kind = str(n.get("kind")) if n.get("kind") in KIND_STYLE else "external"
        color, shape, _ = KIND_STYLE[kind]
        extra = {"x": positions[n["id"]][0], "y": positions[n["id"]][1]} if large else {}
        net.add_node(node_vid[n["id"]], label=_clip(str(n.get("label") or short_name(n["id"]))), shape=shape,
                     color=color, size=28 if kind == "admin" else 16,
                     borderWidth=3 if n["id"] in on_path else 1, **extra)
    for e in edges:
        key = _edge_key(e)
        hot = key in path_keys
        net.add_edge(node_vid[e["from"]], node_vid[e["to"]], id=edge_vid[key], label=_clip(str(key[2])),
                     color=PATH_COLOR if hot else OTHER_EDGE_COLOR, width=3.5 if hot else 1,
                     dashes=bool(e.get("conditional")))
    net.options = _options(large)
    page = net.generate_html()
    return _assemble(page, _payload(report, nodes, edges, node_vid, edge_vid, path_keys, title, full_graph), title)


def _asset(name: str) -> str:
    return resources.files("iamgraph.render").joinpath("html_assets", name).read_text(encoding="utf-8")


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
