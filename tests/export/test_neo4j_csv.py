"""Neo4j bulk-import CSV: read back by the documented header rules (neo4j-admin 5 header format),
loaded into a Cypher engine (FalkorDB) whose shortest path is iamgraph's, and import.sh runs
neo4j-admin with exactly those files."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exporthelpers import FREELANCER, HOSTILE, SAMPLES, graph_and_findings

from iamgraph.api_export import export

if TYPE_CHECKING:
    from falkordb import FalkorDB

_names = itertools.count()
TYPES = {"boolean": lambda s: {"true": True, "false": False}[s], "string": str, "int": int, "long": int}


def read_neo4j_csv(text: str, array_delimiter: str = ";") -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of one neo4j-admin CSV file as typed dicts (empty field: property absent), and the header.
    Keys: ':ID', ':START_ID', ':END_ID' (with their id spaces checked by the caller), ':LABEL' (list),
    ':TYPE', and property names."""
    rows = list(csv.reader(io.StringIO(text), strict=True))
    header, body = rows[0], rows[1:]
    out = []
    for raw in body:
        assert len(raw) == len(header), (header, raw)
        row: dict[str, Any] = {}
        for col, cell in zip(header, raw):
            name, _, typ = col.partition(":")
            if col.startswith(":"):
                name, typ = col, ""
            if cell == "":
                continue
            if col.startswith((":START_ID", ":END_ID")):
                row[col.split("(")[0]] = cell
            elif typ.startswith("ID("):
                row[":ID"] = cell
                row[name] = cell  # `id:ID(...)` also stores the id as property `id`
            elif col == ":LABEL":
                row[":LABEL"] = cell.split(array_delimiter)
            elif col == ":TYPE":
                row[":TYPE"] = cell
            elif typ.endswith("[]"):
                row[name] = [TYPES[typ[:-2]](v) for v in cell.split(array_delimiter)]
            else:
                row[name] = TYPES[typ or "string"](cell)
        out.append(row)
    return out, header


def _load(db: FalkorDB, files: dict[str, str]) -> Any:
    """Create every node and relationship of the export in a fresh FalkorDB graph."""
    g = db.select_graph(f"csv{next(_names)}")
    for name, text in files.items():
        if not name.startswith("nodes_"):
            continue
        rows, _ = read_neo4j_csv(text)
        for r in rows:
            labels = ":".join(r.pop(":LABEL"))
            key = r.pop(":ID")
            props = {k: v for k, v in r.items()}
            props["_space"] = "Account" if name == "nodes_accounts.csv" else "IAMG"
            props["_key"] = key
            g.query(f"CREATE (n:{labels}) SET n = $p", {"p": props})
    for name in ("rels.csv", "rels_accounts.csv"):
        rows, header = read_neo4j_csv(files[name])
        src_space = header[0][len(":START_ID(") : -1]
        dst_space = header[1][len(":END_ID(") : -1]
        for r in rows:
            typ = r.pop(":TYPE")
            s, t = r.pop(":START_ID"), r.pop(":END_ID")
            res = g.query(
                f"MATCH (a {{_space: $ss, _key: $s}}), (b {{_space: $ds, _key: $t}}) CREATE (a)-[e:{typ}]->(b) "
                "SET e = $p RETURN count(e)",
                {"ss": src_space, "s": s, "ds": dst_space, "t": t, "p": r},
            )
            assert res.result_set == [[1]], f"{name}: endpoint missing for {s} -> {t}"
    return g


def test_csv_loads_and_gives_iamgraphs_path(falkordb_server: FalkorDB) -> None:
    graph, findings = graph_and_findings([FREELANCER])
    files = export(graph, "neo4j-csv", definite_only=True)
    g = _load(falkordb_server, files)
    src = "arn:aws:iam::111122223333:user/contractors/freelancer"
    res = g.query(
        "MATCH (a:IamgraphNode {_key: $s}), (b:IamgraphAdmin) "
        "WITH shortestPath((a)-[:IAMG_CAN_ESCALATE|IAMG_IS_ADMIN*]->(b)) AS p "
        "RETURN [n IN nodes(p) | n._key], [r IN relationships(p) | r.technique]",
        {"s": src},
    ).result_set
    (f,) = [f for f in findings if f["query"] == "privesc-to-admin" and f["source"] == src]
    assert res == [[[src, *(h["to"] for h in f["path"])], [h["technique"] for h in f["path"]]]]
    # Cartography's labels and keys
    user = g.query("MATCH (u:AWSUser:AWSPrincipal {arn: $s}) RETURN u.id, u.userid, u.name", {"s": src}).result_set
    assert user == [[src, "AIDAWVACBL642DWYZZEFZ", "freelancer"]]
    linked = g.query(
        "MATCH (:AWSAccount {id: '111122223333'})-[:RESOURCE]->(p:AWSPrincipal) RETURN count(p)"
    ).result_set
    assert linked == [[len(graph.snapshot.users) + len(graph.snapshot.roles) + len(graph.snapshot.groups)]]
    ev = g.query(
        "MATCH (:AWSUser {arn: $s})-[e:IAMG_CAN_ESCALATE {technique: 'lambda-001'}]->(:AWSRole {name: 'deploy-admin'}) "
        "RETURN e.actions, e.conditional, e.evidence",
        {"s": src},
    ).result_set
    assert ev[0][0] == ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"] and ev[0][1] is False
    assert ("iam:PassRole", 4, "PassRole") in {(r["action"], r["statement"], r["sid"]) for r in json.loads(ev[0][2])}


def test_every_sample_has_consistent_files() -> None:
    for sample in SAMPLES:
        graph, findings = graph_and_findings([sample])
        files = export(graph, "neo4j-csv")
        ids: set[str] = set()
        for name, text in files.items():
            if name.startswith("nodes_") and name != "nodes_accounts.csv":
                rows, header = read_neo4j_csv(text)
                assert header[0] == "id:ID(IAMG)" and header[-1] == ":LABEL"
                for r in rows:
                    assert r[":ID"] not in ids, f"{sample.name}: node {r[':ID']} twice"
                    ids.add(r[":ID"])
                    assert "IamgraphNode" in r[":LABEL"]
        assert ids == {str(n) for n in graph.g.nodes}
        rels, _ = read_neo4j_csv(files["rels.csv"])
        own = [r for r in rels if not r.get("from_finding")]
        assert len(own) == graph.g.number_of_edges()
        assert {(r[":START_ID"], r[":END_ID"], r["key"]) for r in own} == {
            (str(u), str(v), str(k)) for u, v, k in graph.g.edges(keys=True)
        }
        # hops a finding reports that the graph holds no edge for (risky-trust) come from the finding
        hops = {(h["from"], h["to"], h["technique"]) for f in findings for h in f["path"]}
        assert {(r[":START_ID"], r[":END_ID"], r["technique"]) for r in rels if r.get("from_finding")} <= hops
        for r in rels:
            assert r[":TYPE"] in ("IAMG_CAN_ESCALATE", "IAMG_IS_ADMIN", "IAMG_MEMBER_OF")


def test_hostile_names_read_back_exactly(hostile_sample: Path) -> None:
    graph, _ = graph_and_findings([hostile_sample])
    files = export(graph, "neo4j-csv")
    users, _ = read_neo4j_csv(files["nodes_users.csv"])
    (u,) = [r for r in users if r["name"] == HOSTILE]
    assert u[":ID"] == f"arn:aws:iam::111122223333:user/contractors/{HOSTILE}"
    assert json.loads(u["tags"])["note"] == "line1\nline2\r\nline3 <script>alert(1)</script>"
    roles, _ = read_neo4j_csv(files["nodes_roles.csv"])
    assert {r["description"] for r in roles} == {'runs "migrations", nightly;\nowner: zoë <ops@example.com>'}
    rels, _ = read_neo4j_csv(files["rels.csv"])
    assert any(r[":START_ID"] == u[":ID"] and r["technique"] == "lambda-001" for r in rels)


def test_import_sh_runs_neo4j_admin_with_the_files(tmp_path: Path) -> None:
    graph, _ = graph_and_findings([FREELANCER])
    out = tmp_path / "export"
    out.mkdir()
    files = export(graph, "neo4j-csv")
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "argv.json"
    stub = bindir / "neo4j-admin"
    stub.write_text(f"#!/usr/bin/env python3\nimport json, sys\njson.dump(sys.argv[1:], open({str(log)!r}, 'w'))\n")
    stub.chmod(0o755)
    subprocess.run(["bash", "-n", str(out / "import.sh")], check=True)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", str(out / "import.sh"), "prod-iam"], check=True, env=env, cwd=tmp_path)
    argv = json.loads(log.read_text())
    assert argv[:3] == ["database", "import", "full"] and argv[-1] == "prod-iam"
    nodes = [a.split("=", 1)[1] for a in argv if a.startswith("--nodes=")]
    rels = [a.split("=", 1)[1] for a in argv if a.startswith("--relationships=")]
    assert sorted(Path(p).name for p in nodes + rels) == sorted(n for n in files if n.endswith(".csv"))
    assert all(Path(p).is_file() for p in nodes + rels)
    assert {"--id-type=string", "--array-delimiter=;", "--multiline-fields=true"} <= set(argv)
