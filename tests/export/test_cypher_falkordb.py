"""The Cypher overlay runs on a real Cypher engine (FalkorDB) over a Cartography-shaped database, and
the engine's shortest path is the path iamgraph reports."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exporthelpers import FREELANCER, HOSTILE, ROOT, graph_and_findings, split_statements

from iamgraph import api
from iamgraph.api_export import export
from iamgraph.export import ExportFormat

if TYPE_CHECKING:
    from falkordb import FalkorDB

_names = itertools.count()
PATH_TYPES = "IAMG_CAN_ESCALATE|IAMG_IS_ADMIN"


def _fresh(db: FalkorDB) -> Any:
    return db.select_graph(f"t{next(_names)}")


def _seed_cartography(g: Any, sample: Path) -> None:
    """What Cartography's AWS IAM sync leaves for the sample's account (labels, keys, RESOURCE links)."""
    snap = api.load([sample])
    acct = snap.account_ids[0]
    g.query("CREATE (:AWSAccount {id: $id, name: 'prod', lastupdated: 1})", {"id": acct})
    rows = (
        [{"arn": u.arn, "name": u.name, "uid": u.user_id, "label": "AWSUser"} for u in snap.users.values()]
        + [{"arn": r.arn, "name": r.name, "uid": r.role_id, "label": "AWSRole"} for r in snap.roles.values()]
        + [{"arn": x.arn, "name": x.name, "uid": x.group_id, "label": "AWSGroup"} for x in snap.groups.values()]
    )
    for label in ("AWSUser", "AWSRole", "AWSGroup"):
        uid = {"AWSUser": "userid", "AWSRole": "roleid", "AWSGroup": "groupid"}[label]
        g.query(
            f"UNWIND $rows AS r MATCH (a:AWSAccount {{id: $acct}}) "
            f"CREATE (a)-[:RESOURCE]->(:{label}:AWSPrincipal {{id: r.arn, arn: r.arn, name: r.name, {uid}: r.uid, lastupdated: 1}})",
            {"rows": [r for r in rows if r["label"] == label], "acct": acct},
        )
    g.query(
        "CREATE (:AWSServicePrincipal:AWSPrincipal {id: 'lambda.amazonaws.com', arn: 'lambda.amazonaws.com', type: 'Service'})"
    )


def _run(g: Any, script: str) -> None:
    for stmt in split_statements(script):
        g.query(stmt)


def _engine_path(g: Any, src: str, dst: str) -> tuple[list[str], list[str]]:
    res = g.query(
        f"MATCH (a:IamgraphNode {{iamgraph_id: $src}}), (b:IamgraphNode {{iamgraph_id: $dst}}) "
        f"WITH shortestPath((a)-[:{PATH_TYPES}*]->(b)) AS p "
        "RETURN [n IN nodes(p) | n.iamgraph_id], [r IN relationships(p) | r.technique]",
        {"src": src, "dst": dst},
    ).result_set
    assert len(res) == 1
    return res[0][0], res[0][1]


def _reported(findings: list[dict[str, Any]], source: str) -> tuple[list[str], list[str]]:
    (f,) = [f for f in findings if f["query"] == "privesc-to-admin" and f["source"] == source]
    return [f["path"][0]["from"], *(h["to"] for h in f["path"])], [h["technique"] for h in f["path"]]


def _counts(g: Any) -> tuple[int, int]:
    n = g.query("MATCH (n) RETURN count(n)").result_set[0][0]
    r = g.query("MATCH ()-[e]->() RETURN count(e)").result_set[0][0]
    return n, r


def test_overlay_on_cartography_gives_iamgraphs_path(falkordb_server: FalkorDB) -> None:
    g = _fresh(falkordb_server)
    _seed_cartography(g, FREELANCER)
    before_users = g.query("MATCH (u:AWSUser) RETURN count(u)").result_set[0][0]
    graph, findings = graph_and_findings([FREELANCER])
    # iamgraph reports a definite path; FalkorDB's shortestPath cannot filter relationships, so the
    # definite-only overlay is the graph whose shortest path must be that one, hop for hop
    (script,) = export(graph, "cypher", definite_only=True).values()
    _run(g, script)
    freelancer = "arn:aws:iam::111122223333:user/contractors/freelancer"
    nodes, techniques = _engine_path(g, freelancer, graph.admin_node)
    assert (nodes, techniques) == _reported(findings, freelancer)
    assert nodes == [freelancer, "arn:aws:iam::111122223333:role/deploy-admin", graph.admin_node]
    assert techniques == ["lambda-001", "admin"]
    # Cartography's nodes were reused, not duplicated, and keep their own properties
    assert g.query("MATCH (u:AWSUser) RETURN count(u)").result_set[0][0] == before_users
    assert g.query(
        "MATCH (p:AWSPrincipal {arn: $a}) RETURN count(p), min(p.lastupdated), min(p.userid)", {"a": freelancer}
    ).result_set == [[1, 1, "AIDAWVACBL642DWYZZEFZ"]]
    assert g.query("MATCH (s:AWSServicePrincipal) RETURN count(s), min(s.type)").result_set == [[1, "Service"]]
    # the evidence travels with the edge
    ev = g.query(
        "MATCH (:AWSUser {arn: $a})-[e:IAMG_CAN_ESCALATE {technique: 'lambda-001'}]->(:AWSRole {name: 'deploy-admin'}) "
        "RETURN e.evidence, e.actions, e.conditional",
        {"a": freelancer},
    ).result_set
    assert len(ev) == 1
    rows = json.loads(ev[0][0])
    assert {(r["action"], r["policy"], r["statement"], r["sid"]) for r in rows} >= {
        ("iam:PassRole", "lambda-freelance-dev", 4, "PassRole")
    }
    assert ev[0][1] == ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"] and ev[0][2] is False


def test_overlay_is_idempotent_and_removes_stale_edges(falkordb_server: FalkorDB) -> None:
    g = _fresh(falkordb_server)
    _seed_cartography(g, FREELANCER)
    graph, _ = graph_and_findings([FREELANCER])
    (script,) = export(graph, "cypher").values()
    _run(g, script)
    once = _counts(g)
    _run(g, script)
    assert _counts(g) == once
    # the same account after the fix: its lambda-001 edge to deploy-admin must go
    fixed = ROOT / "samples" / "freelancer-lambda-passrole-fixed.json"
    fixed_graph, fixed_findings = graph_and_findings([fixed])
    assert not [f for f in fixed_findings if f["query"] == "privesc-to-admin" and not f["conditional"]]
    (fixed_script,) = export(fixed_graph, "cypher").values()
    _run(g, fixed_script)
    left = g.query(
        "MATCH (:AWSUser {name: 'freelancer'})-[e:IAMG_CAN_ESCALATE]->(:AWSRole {name: 'deploy-admin'}) "
        "WHERE e.conditional = false RETURN count(e)"
    ).result_set[0][0]
    assert left == 0
    stamps = g.query(
        "MATCH ()-[e:IAMG_CAN_ESCALATE|IAMG_IS_ADMIN|IAMG_MEMBER_OF]->() RETURN DISTINCT e.iamgraph_run"
    ).result_set
    assert len(stamps) == 1


def test_definite_only_overlay_has_no_conditional_edge(falkordb_server: FalkorDB) -> None:
    g = _fresh(falkordb_server)
    graph, findings = graph_and_findings([FREELANCER])
    (full,) = export(graph, "cypher").values()
    (definite,) = export(graph, "cypher", definite_only=True).values()
    _run(g, definite)
    freelancer = "arn:aws:iam::111122223333:user/contractors/freelancer"
    assert g.query("MATCH ()-[e]->() WHERE e.conditional = true RETURN count(e)").result_set[0][0] == 0
    assert g.query("MATCH ()-[e:IAMG_CAN_ESCALATE]->() RETURN count(e)").result_set[0][0] > 0
    g2 = _fresh(falkordb_server)
    _run(g2, full)
    assert g2.query("MATCH ()-[e]->() WHERE e.conditional = true RETURN count(e)").result_set[0][0] > 0
    # the whole graph has the same shortest node path (parallel potential edges may be walked instead)
    nodes, _ = _engine_path(g2, freelancer, graph.admin_node)
    assert nodes == _reported(findings, freelancer)[0]


def test_hostile_strings_survive_the_engine(falkordb_server: FalkorDB, hostile_sample: Path) -> None:
    g = _fresh(falkordb_server)
    graph, findings = graph_and_findings([hostile_sample])
    (script,) = export(graph, ExportFormat.CYPHER, definite_only=True).values()
    _run(g, script)
    arn = f"arn:aws:iam::111122223333:user/contractors/{HOSTILE}"
    res = g.query("MATCH (u:AWSUser {arn: $a}) RETURN u.name, u.iamgraph_tags", {"a": arn}).result_set
    assert res[0][0] == HOSTILE
    assert json.loads(res[0][1])["note"] == "line1\nline2\r\nline3 <script>alert(1)</script>"
    desc = g.query("MATCH (r:AWSRole {name: 'deploy-admin'}) RETURN r.iamgraph_description").result_set
    assert desc == [['runs "migrations", nightly;\nowner: zoë <ops@example.com>']]
    assert _engine_path(g, arn, graph.admin_node) == _reported(findings, arn)
