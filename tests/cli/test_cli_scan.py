"""The scan/reach/who-can/path commands: formats, determinism, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iamgraph.cli import app

ROOT = Path(__file__).resolve().parents[2]
STAR = ROOT / "samples/freelancer-lambda-passrole-star.json"
FIXED = ROOT / "samples/freelancer-lambda-passrole-fixed.json"
CHAIN = ROOT / "samples/multi-hop-chain.json"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_scan_json_is_valid_and_byte_identical_across_runs() -> None:
    a = run("scan", "--input", STAR, "--format", "json")
    b = run("scan", "--input", STAR, "--format", "json")
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    assert doc["schema_version"] == "1.1" and doc["tool"]["name"] == "iamgraph"
    [f] = [f for f in doc["findings"] if f["query"] == "privesc-to-admin"]
    assert f["source"].endswith("user/contractors/freelancer") and f["reaches_admin"] and not f["conditional"]
    assert f["path"][0]["technique"] == "lambda-001"
    rows = f["path"][0]["evidence"]
    assert {r["action"] for r in rows} >= {"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}
    assert all(r["policy"] and isinstance(r["statement"], int) for r in rows)


def test_scan_text_and_quiet() -> None:
    r = run("scan", "--input", STAR, "--no-color")
    assert r.exit_code == 0 and "lambda-001" in r.stdout and "critical" in r.stdout
    q = run("scan", "--input", STAR, "--quiet", "--no-color")
    lines = q.stdout.strip().splitlines()
    assert q.exit_code == 0 and len(lines) == 4  # one line per finding, then the summary line
    assert lines[0].startswith("CRITICAL ") and "freelancer -[lambda-001]-> deploy-admin" in lines[0]
    assert lines[-1] == "4 principals, 2 admins, 3 findings (1 critical, 2 low)"


def test_output_file_and_sarif(tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    r = run("scan", "--input", STAR, "--format", "sarif", "--output", out)
    assert r.exit_code == 0 and r.stdout == ""
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_html_written(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    r = run("scan", "--input", STAR, "--format", "json", "--html", page)
    assert r.exit_code == 0
    text = page.read_text()
    import re

    assert "lambda-001" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)


def test_fixed_sample_has_no_definite_path() -> None:
    doc = json.loads(run("scan", "--input", FIXED, "--format", "json").stdout)
    assert not [f for f in doc["findings"] if f["query"] == "privesc-to-admin" and not f["conditional"]]


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "empty"),
        (b"{not json", "JSON"),
        (b'{"UserDetailList": [{"UserName": "x", "Arn": "not-an-arn"}]}', "UserDetailList[0]"),
        (b"[1, 2, 3]", "$"),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path: Path, content: bytes, needle: str) -> None:
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    r = run("scan", "--input", f, "--format", "json")
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and "bad.json" in err and "Traceback" not in r.output
    assert needle.lower() in err.lower(), err


def test_directory_input_exit_2(tmp_path: Path) -> None:
    r = run("scan", "--input", tmp_path)
    assert r.exit_code == 2 and str(tmp_path) in r.stderr


def test_reach_by_name() -> None:
    r = run("reach", "ci-bot", "--input", CHAIN, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    targets = {f["target"].rsplit("/", 1)[-1] for f in doc["findings"]}
    assert {"deployer", "ops-admin"} <= targets
    assert any(f["reaches_admin"] for f in doc["findings"])


def test_path_command() -> None:
    r = run("path", "ci-bot", "admin", "--input", CHAIN, "--format", "json")
    doc = json.loads(r.stdout)
    first = doc["findings"][0]
    assert [h["technique"] for h in first["path"]][:2] == ["sts-001", "ec2-001"]


def test_who_can_direct_and_via_path() -> None:
    r = run("who-can", "iam:CreateUser", "*", "--input", CHAIN, "--format", "json")
    doc = json.loads(r.stdout)
    by_src = {f["source"].rsplit("/", 1)[-1]: f for f in doc["findings"]}
    assert "ci-bot" in by_src and len(by_src["ci-bot"]["path"]) >= 3  # ci-bot -> deployer -> ops-admin -> (allowed)
    assert by_src["ci-bot"]["path"][-1]["technique"] == "direct"


def test_unknown_principal_is_input_error() -> None:
    r = run("reach", "nobody-here", "--input", CHAIN)
    assert r.exit_code == 2 and "nobody-here" in r.stderr


def test_sarif_file_alongside_json(tmp_path: Path) -> None:
    out = tmp_path / "s.sarif"
    r = run("scan", "--input", STAR, "--format", "json", "--sarif", out)
    assert r.exit_code == 0 and json.loads(r.stdout)["findings"]
    results = json.loads(out.read_text())["runs"][0]["results"]
    assert any(res["ruleId"].startswith("privesc-to-admin/") for res in results)


def test_byte_identical_json_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    """Determinism must not depend on Python's per-process string hashing."""
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "987"):
        out = tmp_path / f"r{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "iamgraph.cli",
                "scan",
                "--input",
                str(CHAIN),
                "--input",
                str(STAR),
                "--format",
                "json",
                "--output",
                str(out),
            ],
            env=env,
            check=True,
            timeout=120,
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b"privesc-to-admin" in outs[0]


def test_reach_text_shows_permissions_table() -> None:
    r = run("reach", "ci-bot", "--input", CHAIN, "--no-color")
    assert r.exit_code == 0
    assert "What it can do itself" in r.stdout and "sts:AssumeRole" in r.stdout and "ops-admin" in r.stdout
    assert "What it gains through principals 1 step away" in r.stdout


def test_user_query_folder(tmp_path: Path) -> None:
    """`--queries DIR` adds query modules by path; they run over the same graph as the bundled ones."""
    (tmp_path / "all_users.py").write_text(  # the file name is the query id (all-users)
        "from iamgraph.model import NodeKind\n"
        "from iamgraph.query.base import Finding, Severity, SimpleQuery\n"
        "def run(graph):\n"
        "    return [Finding(query='all-users', severity=Severity.LOW, title='a user', source=n)\n"
        "            for n in graph.principals() if graph.kind(n) is NodeKind.USER]\n"
        "QUERY = SimpleQuery('all-users', 'Every user.', run)\n"
    )
    r = run("scan", "--input", CHAIN, "--format", "json", "--query", "all-users", "--queries", tmp_path)
    assert r.exit_code == 0, r.output
    sources = {f["source"].rsplit("/", 1)[-1] for f in json.loads(r.stdout)["findings"]}
    assert "ci-bot" in sources and "deployer" not in sources
    bad = run("scan", "--input", CHAIN, "--query", "nope")
    assert bad.exit_code == 2 and "unknown query" in bad.stderr


# ---- self-describing queries: parameters, the generic `query` command, the loader's checks ----------------


def test_scan_parameterised_query_without_parameters_is_a_one_line_exit_2() -> None:
    r = run("scan", "--input", CHAIN, "--query", "who-can")
    assert r.exit_code == 2, r.output
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "who-can needs parameter(s) action" in lines[0] and "--param who-can.action=" in lines[0]
    assert "Traceback" not in r.output


def test_scan_with_query_parameters_runs_the_query() -> None:
    direct = json.loads(run("who-can", "iam:CreateUser", "*", "--input", CHAIN, "--format", "json").stdout)
    r = run("scan", "--input", CHAIN, "--format", "json", "--query", "who-can", "--param", "action=iam:CreateUser")
    assert r.exit_code == 0, r.output
    assert [f["id"] for f in json.loads(r.stdout)["findings"]] == [f["id"] for f in direct["findings"]]
    q = run(
        "scan",
        "--input",
        CHAIN,
        "--format",
        "json",
        "--query",
        "who-can",
        "--query",
        "privesc-to-admin",
        "--param",
        "who-can.action=iam:CreateUser",
    )
    assert q.exit_code == 0, q.output
    assert {f["query"] for f in json.loads(q.stdout)["findings"]} == {"who-can", "privesc-to-admin"}


@pytest.mark.parametrize(
    "param, needle",
    [
        ("nokey=1", "no selected query has a parameter 'nokey'"),
        ("justtext", "--param must be KEY=VALUE"),
    ],
)
def test_bad_query_parameters_exit_2(param: str, needle: str) -> None:
    r = run("scan", "--input", CHAIN, "--query", "who-can", "--param", param)
    assert r.exit_code == 2 and needle in r.stderr and "Traceback" not in r.output


def test_generic_query_command_equals_the_dedicated_command() -> None:
    via_path = run("path", "ci-bot", "admin", "--input", CHAIN, "--format", "json", "--k", "2")
    generic = run(
        "query",
        "path",
        "--param",
        "source=ci-bot",
        "--param",
        "target=admin",
        "--param",
        "k=2",
        "--input",
        CHAIN,
        "--format",
        "json",
    )
    assert via_path.exit_code == 0 and generic.exit_code == 0, generic.output
    a, b = json.loads(via_path.stdout), json.loads(generic.stdout)
    assert a["findings"] and [f["id"] for f in a["findings"]] == [f["id"] for f in b["findings"]]
    bad = run(
        "query", "path", "--param", "source=ci-bot", "--param", "target=admin", "--param", "k=two", "--input", CHAIN
    )
    assert bad.exit_code == 2 and "parameter k must be int" in bad.stderr


def test_queries_list_describes_every_query() -> None:
    r = run("queries", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = {q["id"]: q for q in json.loads(r.stdout)["queries"]}
    assert {"privesc-to-admin", "risky-trust", "admins", "reach", "who-can", "path"} <= set(rows)
    assert [p["name"] for p in rows["who-can"]["parameters"]] == ["action", "resource"]
    assert rows["who-can"]["parameters"][0]["required"] and not rows["who-can"]["parameters"][1]["required"]
    assert {q for q, row in rows.items() if row["default"]} == {"privesc-to-admin", "risky-trust", "admins"}
    assert all(row["title"] and row["description"] and row["severity"] and row["kind"] for row in rows.values())


def test_a_query_file_whose_id_differs_from_its_name_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "mine.py").write_text(
        "from iamgraph.query.base import QueryDef, QueryKind, Severity\n"
        "QUERY = QueryDef(id='other', title='t', description='d', severity=Severity.LOW,\n"
        "                 kind=QueryKind.POSTURE, fn=lambda graph: [])\n"
    )
    r = run("scan", "--input", CHAIN, "--queries", tmp_path)
    assert r.exit_code == 2 and "mine.py" in r.stderr and "does not match the file name" in r.stderr


def test_a_user_query_never_shadows_a_bundled_one(tmp_path: Path) -> None:
    (tmp_path / "admins.py").write_text(
        "from iamgraph.query.base import QueryDef, QueryKind, Severity\n"
        "QUERY = QueryDef(id='admins', title='t', description='d', severity=Severity.LOW,\n"
        "                 kind=QueryKind.INVENTORY, fn=lambda graph: [])\n"
    )
    r = run("scan", "--input", CHAIN, "--queries", tmp_path)
    assert r.exit_code == 2 and "admins.py" in r.stderr and "already defined by" in r.stderr


def test_a_broken_user_query_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("raise RuntimeError('boom')\n")
    r = run("scan", "--input", CHAIN, "--queries", tmp_path)
    assert r.exit_code == 2 and "broken.py" in r.stderr and "boom" in r.stderr and "Traceback" not in r.output
