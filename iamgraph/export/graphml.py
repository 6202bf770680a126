"""GraphML through networkx, readable back by `networkx.read_graphml` to the same graph.

Node ids are the graph ids (ARNs are fine in XML), edge ids the graph's edge keys; key ids are
d0, d1, ... (attribute names repeat between nodes and edges, XML ids may not). GraphML holds
only scalars, so every list or object value is JSON-encoded; the graph attribute `json_attributes`
names those attributes (space-separated) so a reader can decode them. Absent values are left out.
Strings carry what XML can: CR becomes LF, characters XML forbids become U+FFFD.
"""

from __future__ import annotations

import io
import re
from typing import Any

import networkx as nx

from .model import ExportGraph
from .text import json_text, xml_text

FORMAT_VERSION = "1"
_BOOL_KEY = re.compile(r'<key id="([^"]+)" for="[a-z]+" attr.name="[^"]*" attr.type="boolean"')


def _value(v: Any) -> tuple[Any, bool]:
    """(GraphML-safe value, was it JSON-encoded)."""
    if isinstance(v, bool) or isinstance(v, (int, float)):
        return v, False
    if isinstance(v, str):
        return xml_text(v), False
    return xml_text(json_text(v)), True


def to_networkx(graph: ExportGraph) -> nx.MultiDiGraph:
    """The MultiDiGraph that is written: flat attributes only, in a fixed order."""
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    encoded: set[str] = set()
    for n in graph.nodes:
        attrs: dict[str, Any] = {}
        for k, v in n.props:
            if v is None:
                continue
            val, js = _value(v)
            attrs[k] = val
            if js:
                encoded.add(k)
        out.add_node(xml_text(n.id), **attrs)
    for e in graph.edges:
        attrs = {}
        for k, v in e.props:
            if v is None:
                continue
            val, js = _value(v)
            attrs[k] = val
            if js:
                encoded.add(k)
        out.add_edge(xml_text(e.src), xml_text(e.dst), key=xml_text(e.key), **attrs)
    out.graph.update(
        {
            "generator": f"iamgraph {graph.tool_version}",
            "format_version": FORMAT_VERSION,
            "json_attributes": " ".join(sorted(encoded)),
            "accounts": " ".join(graph.accounts),
            "findings_only": graph.options.findings_only,
            "definite_only": graph.options.definite_only,
        }
    )
    return out


def graphml_text(graph: ExportGraph) -> str:
    """The GraphML document (UTF-8, byte-stable)."""
    buf = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buf, encoding="utf-8", prettyprint=True, named_key_ids=False)
    text = buf.getvalue().decode("utf-8")
    # networkx writes Python's True/False; GraphML's boolean is XML Schema's: true/false
    keys = "|".join(re.escape(k) for k in _BOOL_KEY.findall(text))
    if keys:
        text = re.sub(
            f'(<data key="(?:{keys})">)(True|False)(</data>)',
            lambda m: m.group(1) + m.group(2).lower() + m.group(3),
            text,
        )
    return text
