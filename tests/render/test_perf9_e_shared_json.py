"""Report.to_json(share_hops=True) is the same document as to_json() (one dict per hop record
object, never per equal-looking hop); the HTML page's query-kind memo answers as `_kind` does."""

from __future__ import annotations

import json
from pathlib import Path

from iamgraph import api
from iamgraph.query.report import EvidenceRow, FindingRecord, HopRecord
from iamgraph.render.html import _kind, _kind_memo

SAMPLES = Path(__file__).parents[2] / "samples"


def _hop(technique: str) -> HopRecord:
    return HopRecord(
        src="a",
        dst="b",
        technique=technique,
        kind="assume_role",
        evidence=(EvidenceRow(data=(("action", technique),)),),
    )


def test_shared_hops_are_per_record_object() -> None:
    one, same_ends, equal = _hop("t1"), _hop("t2"), _hop("t1")
    findings = [
        FindingRecord(
            id=f"f{i}",
            query="q",
            severity_name="high",
            title="x",
            source="a",
            target="b",
            reaches_admin=False,
            conditional=False,
            path=path,
        )
        for i, path in enumerate([(one, same_ends), (one,), (equal, one)])
    ]
    written: dict = {}
    docs = [f.to_json(written) for f in findings]
    assert docs == [f.to_json() for f in findings]
    assert docs[0]["path"][0] is docs[1]["path"][0] is docs[2]["path"][1]
    assert docs[0]["path"][1] is not docs[0]["path"][0] and docs[0]["path"][1]["technique"] == "t2"
    assert docs[2]["path"][0] is not docs[2]["path"][1]


def test_report_documents_are_unchanged() -> None:
    for sample in sorted(SAMPLES.glob("*.json")):
        report = api.run(api.build_graph(api.load([sample])))
        plain = report.to_json(include_graph=False)
        assert report.to_json(include_graph=False, share_hops=True) == plain
        assert api.report_json(report) == json.dumps(plain, indent=2, ensure_ascii=False) + "\n"


def test_kind_memo_is_kind() -> None:
    report = {
        "queries": [
            {"id": "q1", "kind": "escalation"},
            {"id": "q2", "kind": "posture"},
            {"id": "q1", "kind": "inventory"},  # the first of an id wins
            {"id": "q3", "kind": "no-such-kind"},
        ]
    }
    kind = _kind_memo(report)
    for query in ["q1", "q2", "q3", "q4", None, 1, "q1", "q2"]:
        finding = {"query": query}
        assert kind(finding) is _kind(report, finding)
