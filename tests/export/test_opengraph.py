"""OpenGraph payloads validate against the published OpenGraph JSON schemas and obey the rules of
the docs; the shipped extension schema makes the paths traversable, with the catalogue's text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
from exporthelpers import FREELANCER, HOSTILE, ROOT, SAMPLES, VENDOR, graph_and_findings
from extension_rules import SCHEMA as EXTENSION_RULES
from extension_rules import rule_violations

from iamgraph.api_export import export
from iamgraph.export import extension_schema_text
from iamgraph.techniques.registry import catalogue

SHIPPED = ROOT / "iamgraph" / "data" / "opengraph-extension.json"


def _schema(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((VENDOR / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema)


NODE, EDGE, METADATA = (
    _schema("opengraph-node.json"),
    _schema("opengraph-edge.json"),
    _schema("opengraph-metadata.json"),
)


def _payload(paths: list[Path], **kw: Any) -> tuple[dict[str, Any], Any, list[dict[str, Any]]]:
    graph, findings = graph_and_findings(paths)
    (text,) = export(graph, "opengraph", report={"findings": findings}, **kw).values()
    return json.loads(text), graph, findings


def _check_payload(doc: dict[str, Any]) -> None:
    assert set(doc) == {"metadata", "graph"} and set(doc["graph"]) == {"nodes", "edges"}
    METADATA.validate(doc["metadata"])
    assert doc["metadata"] == {"source_kind": "IAMGraph"}
    ids = [n["id"] for n in doc["graph"]["nodes"]]
    assert len(ids) == len(set(ids))
    for n in doc["graph"]["nodes"]:
        NODE.validate(n)
        assert ":" not in n["id"], n["id"]
        assert not n["id"].startswith("arn"), n["id"]
        assert all(not k.lower().startswith("tag_") for k in n["kinds"])
        assert "objectid" not in n["properties"]
        assert all(k == k.lower() for k in n["properties"])
    for e in doc["graph"]["edges"]:
        EDGE.validate(e)
        assert "properties" in e  # BloodHound's own ingest schema requires it (docs leave it optional)
        assert e["start"]["value"] in ids and e["end"]["value"] in ids
        assert not e["kind"].lower().startswith("tag_")
        json.loads(e["properties"]["evidence"])


def test_every_sample_validates_against_the_published_schemas() -> None:
    for sample in SAMPLES:
        for kw in ({}, {"findings_only": True}, {"definite_only": True}):
            doc, graph, _ = _payload([sample], **kw)
            _check_payload(doc)
            if not kw:
                principals = {**graph.snapshot.users, **graph.snapshot.roles, **graph.snapshot.groups}
                by_arn = {n["properties"].get("arn"): n["id"] for n in doc["graph"]["nodes"]}
                for arn, ent in principals.items():
                    uid = getattr(ent, "user_id", "") or getattr(ent, "role_id", "") or getattr(ent, "group_id", "")
                    assert by_arn[arn] == uid, f"{sample.name}: {arn} is not keyed by its unique id"


def test_the_validators_do_reject_bad_payloads() -> None:
    """The vendored schemas are strict enough to catch what the exporter must avoid."""
    doc, _, _ = _payload([FREELANCER])
    node = dict(doc["graph"]["nodes"][0])
    for bad in (
        {**node, "properties": {**node["properties"], "evidence": {"a": 1}}},
        {**node, "properties": {**node["properties"], "objectid": "x"}},
        {**node, "kinds": ["A", "B", "C", "D"]},
        {**node, "properties": {**node["properties"], "mixed": ["a", 1]}},
    ):
        assert not NODE.is_valid(bad)
    edge = doc["graph"]["edges"][0]
    assert not EDGE.is_valid({**edge, "kind": "IAMG-Bad kind"})
    assert not METADATA.is_valid({"source_kind": "IAMGraph", "version": 1})


def test_shipped_extension_is_current_and_follows_the_rules() -> None:
    shipped = SHIPPED.read_text(encoding="utf-8")
    assert shipped == extension_schema_text(), (
        "iamgraph/data/opengraph-extension.json is stale: "
        "iamgraph export --format opengraph-extension -o iamgraph/data/opengraph-extension.json"
    )
    ext = json.loads(shipped)
    jsonschema.Draft202012Validator(EXTENSION_RULES).validate(ext)
    assert rule_violations(ext) == []
    assert ext["schema"]["namespace"] == "IAMG" and not any(k["name"].startswith("AWS_") for k in ext["node_kinds"])
    rels = {k["name"]: k for k in ext["relationship_kinds"]}
    # one traversable relationship kind per catalogue technique, with the catalogue's text
    kinds = {}
    for t in catalogue():
        matching = [k for k in rels.values() if k["description"].startswith(f"{t.id}: ")]
        assert len(matching) == 1, t.id
        k = matching[0]
        kinds[t.id] = k["name"]
        assert k["is_traversable"] is True
        assert t.description in k["info"]["abuse"]["markdown"]["content"]
        if t.remediation:
            assert k["info"]["remediation"]["markdown"]["content"] == t.remediation
    assert len(set(kinds.values())) == len(kinds)
    assert rels["IAMG_MemberOf"]["is_traversable"] is False and rels["IAMG_Admin"]["is_traversable"] is True
    icons = {k["name"]: k.get("icon") for k in ext["node_kinds"]}
    assert icons["IAMG_User"] == "user" and icons["IAMG_Role"] == "id-badge" and icons["IAMG_AccountAdmin"] == "crown"


def test_payload_kinds_are_declared_and_bloodhound_style_pathfinding_finds_iamgraphs_path() -> None:
    ext = json.loads(SHIPPED.read_text(encoding="utf-8"))
    node_kinds = {k["name"] for k in ext["node_kinds"]}
    traversable = {k["name"] for k in ext["relationship_kinds"] if k["is_traversable"]}
    declared = {k["name"] for k in ext["relationship_kinds"]}
    for sample in SAMPLES:
        doc, _, findings = _payload([sample])
        for n in doc["graph"]["nodes"]:
            assert n["kinds"][0] in node_kinds
        techniques: dict[str, str] = {}
        for e in doc["graph"]["edges"]:
            assert e["kind"] in declared, f"{sample.name}: {e['kind']} not in the extension"
            assert techniques.setdefault(e["kind"], e["properties"]["technique"]) == e["properties"]["technique"]
        # BloodHound path-finds over traversable kinds only: the definite path iamgraph reports is there
        g = nx.MultiDiGraph()
        for e in doc["graph"]["edges"]:
            if e["kind"] in traversable and not e["properties"]["conditional"]:
                g.add_edge(e["start"]["value"], e["end"]["value"], technique=e["properties"]["technique"])
        og_id = {n["properties"]["graph_id"]: n["id"] for n in doc["graph"]["nodes"] if "graph_id" in n["properties"]}
        for f in findings:
            if f["query"] != "privesc-to-admin" or f["conditional"]:
                continue
            src, dst = og_id[f["source"]], og_id[f["path"][-1]["to"]]
            assert nx.shortest_path_length(g, src, dst) == len(f["path"]), f"{sample.name}: {f['source']}"
            for h in f["path"]:
                data = g.get_edge_data(og_id[h["from"]], og_id[h["to"]]) or {}
                assert h["technique"] in {d["technique"] for d in data.values()}


def test_evidence_is_flat_json_and_findings_only_is_the_paths() -> None:
    doc, graph, findings = _payload([FREELANCER], findings_only=True)
    edges = doc["graph"]["edges"]
    hops = {(h["from"], h["to"], h["technique"]) for f in findings for h in f["path"]}
    gid = {n["id"]: n["properties"].get("graph_id") for n in doc["graph"]["nodes"]}
    assert {(gid[e["start"]["value"]], gid[e["end"]["value"]], e["properties"]["technique"]) for e in edges} == hops
    (lam,) = [e for e in edges if e["properties"]["technique"] == "lambda-001"]
    assert lam["kind"] == "IAMG_Lambda001"
    rows = json.loads(lam["properties"]["evidence"])
    assert ("iam:PassRole", "lambda-freelance-dev", 4, "PassRole") in {
        (r["action"], r["policy"], r["statement"], r["sid"]) for r in rows
    }
    assert lam["properties"]["actions"] == ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
    assert lam["properties"]["finding_ids"] == [f["id"] for f in findings if f["path"][0]["technique"] == "lambda-001"]
    env = [n for n in doc["graph"]["nodes"] if n["kinds"] == ["IAMG_Account"]]
    assert env == [
        {
            "id": "IAMG-ACCT-111122223333",
            "kinds": ["IAMG_Account"],
            "properties": {
                "name": "111122223333",
                "account_id": "111122223333",
                "collected": True,
                "environmentid": "IAMG-ACCT-111122223333",
            },
        }
    ]
    admin = [n for n in doc["graph"]["nodes"] if n["kinds"][0] == "IAMG_AccountAdmin"]
    assert [n["id"] for n in admin] == ["IAMG-ADMIN-111122223333"]


def test_definite_only_drops_every_conditional_edge() -> None:
    full, _, _ = _payload([FREELANCER])
    definite, _, _ = _payload([FREELANCER], definite_only=True)
    assert any(e["properties"]["conditional"] for e in full["graph"]["edges"])
    assert not any(e["properties"]["conditional"] for e in definite["graph"]["edges"])
    assert len(definite["graph"]["nodes"]) == len(full["graph"]["nodes"])


def test_hostile_names_round_trip_and_ids_fall_back_to_hashes(hostile_sample: Path) -> None:
    doc, _, _ = _payload([hostile_sample])
    _check_payload(doc)
    (u,) = [n for n in doc["graph"]["nodes"] if n["properties"].get("name") == HOSTILE]
    assert u["properties"]["arn"].endswith(HOSTILE)
    assert json.loads(u["properties"]["tags"])["note"] == "line1\nline2\r\nline3 <script>alert(1)</script>"
    # a principal without a usable unique id gets the stable hash id
    data = json.loads(hostile_sample.read_text(encoding="utf-8"))
    for r in data["RoleDetailList"]:
        r["RoleId"] = "not:a:unique:id"
    broken = hostile_sample.with_name("broken-ids.json")
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    doc2, _, _ = _payload([broken])
    _check_payload(doc2)
    roles = [n for n in doc2["graph"]["nodes"] if n["kinds"][0] == "IAMG_Role"]
    assert roles and all(n["id"].startswith("IAMG-ROLE-") and len(n["id"]) == len("IAMG-ROLE-") + 20 for n in roles)
    doc3, _, _ = _payload([broken])
    assert [n["id"] for n in doc3["graph"]["nodes"]] == [n["id"] for n in doc2["graph"]["nodes"]]
