"""Same input, same bytes, for every format; output text escapes what its format needs."""

from __future__ import annotations

import json
from pathlib import Path

from exporthelpers import FREELANCER, HOSTILE, SAMPLES, graph_and_findings

from iamgraph.api_export import export
from iamgraph.export import ExportFormat
from iamgraph.export.text import cypher_string, xml_text


def test_same_input_same_bytes(hostile_sample: Path) -> None:
    for sample in [*SAMPLES, hostile_sample]:
        for fmt in ExportFormat:
            for kw in ({}, {"findings_only": True}, {"definite_only": True}):
                # two independent loads and builds (not the same objects)
                a = export(graph_and_findings([sample])[0], fmt, **kw)
                b = export(graph_and_findings([sample])[0], fmt, **kw)
                assert a == b, (sample.name, fmt, kw)


def test_hostile_text_is_escaped_per_format(hostile_sample: Path) -> None:
    graph, findings = graph_and_findings([hostile_sample])
    (og,) = export(graph, "opengraph", report={"findings": findings}).values()
    assert HOSTILE.replace("\\", "\\\\").replace('"', '\\"') in og  # JSON string escaping
    json.loads(og)
    (cy,) = export(graph, "cypher", report={"findings": findings}).values()
    assert cypher_string(HOSTILE) in cy and "fr\\'ee\\\"lan,cer<b>&é中;\\\\x" in cy
    files = export(graph, "neo4j-csv", report={"findings": findings})
    assert '"arn:aws:iam::111122223333:user/contractors/fr\'ee""lan,cer<b>&é中;\\x"' in files["nodes_users.csv"]


def test_text_helpers() -> None:
    assert cypher_string("a'b\"c\\d\ne\tf") == "'a\\'b\\\"c\\\\d\\ne\\tf'"
    assert cypher_string("\x00x\ud800") == "'\ufffdx\ufffd'"
    assert cypher_string("é中") == "'é中'"
    assert xml_text("a\r\nb\rc\x01\ud800") == "a\nb\nc\ufffd\ufffd"


def test_lone_surrogates_do_not_break_any_format() -> None:
    """The file loader rejects unpaired surrogates, but a graph built in code can hold one: every
    exporter still writes valid UTF-8 (the surrogate becomes U+FFFD)."""
    graph, _ = graph_and_findings([FREELANCER])
    node = "arn:aws:iam::111122223333:user/alice.admin"
    graph.g.nodes[node]["label"] = "\ud800 lone"
    for fmt in ExportFormat:
        files = export(graph, fmt)
        for text in files.values():
            text.encode("utf-8")  # never raises
        assert any("\ufffd lone" in text for text in files.values()), fmt
