"""GraphML: networkx.read_graphml reads back the same nodes, edges and attributes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
from exporthelpers import FREELANCER, HOSTILE, SAMPLES, graph_and_findings

from iamgraph.api_export import export
from iamgraph.export import ExportOptions, build_export_graph
from iamgraph.export.graphml import to_networkx


def _read(text: str) -> nx.MultiDiGraph:
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)


def _decoded(attrs: dict[str, Any], encoded: set[str]) -> dict[str, Any]:
    return {k: json.loads(v) if k in encoded else v for k, v in attrs.items()}


def test_round_trip_every_sample() -> None:
    for sample in SAMPLES:
        graph, findings = graph_and_findings([sample])
        for opts in (ExportOptions(), ExportOptions(findings_only=True, definite_only=True)):
            eg = build_export_graph(graph, findings, opts, "test")
            written = to_networkx(eg)
            (text,) = export(
                graph,
                "graphml",
                report={"findings": findings},
                findings_only=opts.findings_only,
                definite_only=opts.definite_only,
            ).values()
            back = _read(text)
            assert sorted(back.nodes) == sorted(written.nodes) == sorted(n.id for n in eg.nodes)
            assert sorted(back.edges(keys=True)) == sorted(written.edges(keys=True))
            for n in written.nodes:
                assert back.nodes[n] == written.nodes[n], (sample.name, n)
            for u, v, k in written.edges(keys=True):
                assert back.edges[u, v, k] == written.edges[u, v, k], (sample.name, u, v, k)
            assert back.graph["json_attributes"] == written.graph["json_attributes"]
            # decoding the JSON-encoded attributes gives the export's own values back
            encoded = set(back.graph["json_attributes"].split())
            by_id = {n.id: n for n in eg.nodes}
            for n, attrs in back.nodes(data=True):
                assert _decoded(attrs, encoded) == {k: v for k, v in by_id[n].props if v is not None}
            by_edge = {(e.src, e.dst, e.key): e for e in eg.edges}
            for u, v, k, attrs in back.edges(keys=True, data=True):
                assert _decoded(attrs, encoded) == {
                    key: val for key, val in by_edge[(u, v, k)].props if val is not None
                }


def test_whole_graph_is_the_iamgraph_graph() -> None:
    graph, findings = graph_and_findings([FREELANCER])
    (text,) = export(graph, "graphml", report={"findings": findings}).values()
    back = _read(text)
    assert set(back.nodes) == set(graph.g.nodes)
    assert set(back.edges(keys=True)) >= set(graph.g.edges(keys=True))
    lam = back.edges[
        "arn:aws:iam::111122223333:user/contractors/freelancer",
        "arn:aws:iam::111122223333:role/deploy-admin",
        "lambda-001",
    ]
    assert lam["conditional"] is False and lam["on_path"] is True
    assert json.loads(lam["actions"]) == ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
    assert any(r["sid"] == "PassRole" and r["statement"] == 4 for r in json.loads(lam["evidence"]))


def test_hostile_names_survive_xml(hostile_sample: Path) -> None:
    graph, findings = graph_and_findings([hostile_sample])
    (text,) = export(graph, "graphml", report={"findings": findings}).values()
    assert "<b>" not in text and "&amp;" in text  # markup is escaped, not interpreted
    back = _read(text)
    arn = f"arn:aws:iam::111122223333:user/contractors/{HOSTILE}"
    assert back.nodes[arn]["name"] == HOSTILE
    # XML turns CR/CRLF into LF: the export does it first, inside the JSON text too it stays exact
    assert json.loads(back.nodes[arn]["tags"])["note"] == "line1\nline2\r\nline3 <script>alert(1)</script>"
    role = back.nodes["arn:aws:iam::111122223333:role/deploy-admin"]
    assert role["description"] == 'runs "migrations", nightly;\nowner: zoë <ops@example.com>'
