"""The organisation overview (issue 12 §5): matrix of account -> principals elsewhere reaching its
admin with the shortest path, an account-level HTML view with drill-down, escaped and offline;
`iamgraph fanout` and `split-org` on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orgkit import allow, gaad, org_section, role, snapshot, trust, user
from typer.testing import CliRunner

from iamgraph.cli.app import app
from iamgraph.render.org_overview import overview, render_html, render_text

M, A, B = "111111111111", "222222222222", "333333333333"


def org_doc() -> dict[str, Any]:
    accts = {
        M: gaad(users=[user(M, "boss", admin=True)]),
        A: gaad(
            roles=[
                role(A, "ci", trust(f"arn:aws:iam::{A}:root"), allow("sts:AssumeRole", f"arn:aws:iam::{B}:role/deploy"))
            ],
            users=[user(A, "dev", allow("sts:AssumeRole", f"arn:aws:iam::{A}:role/ci"))],
        ),
        B: gaad(roles=[role(B, "deploy", trust(f"arn:aws:iam::{A}:root"), admin=True)]),
    }
    return snapshot(accts, org_section({M: "mgmt", A: "ci", B: "prod"}, management=M))


def run(args: list[str]) -> Any:
    from iamgraph.cli import commands_org  # noqa: F401 - registers the commands

    return CliRunner().invoke(app, args)


def test_fanout_cli_text_json_html_and_split(tmp_path: Path) -> None:
    snap = tmp_path / "org.json"
    snap.write_text(json.dumps(org_doc()))
    r = run(["split-org", str(snap), "--out", str(tmp_path / "split")])
    assert r.exit_code == 0, r.output
    manifest = tmp_path / "split" / "manifest.json"
    assert json.loads(manifest.read_text())["format"] == "iamgraph-org-manifest"
    out, page = tmp_path / "r.json", tmp_path / "o.html"
    r = run(["fanout", str(manifest), "--executor", "serial", "--format", "json", "-o", str(out), "--html", str(page)])
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text())
    r2 = run(["fanout", str(snap), "--executor", "serial", "--format", "json"])
    assert json.loads(r2.stdout) == report  # a merged snapshot is split on the fly
    got = {(f["source"].rsplit("/", 1)[-1], f["admin_account"]) for f in report["findings"]}
    assert {("ci", B), ("dev", B), ("boss", A), ("boss", B)} <= got
    assert 'href="#acct-333333333333"' in page.read_text()
    text = run(["fanout", str(manifest), "--executor", "serial"]).stdout
    assert f"admin of {B}: 3 principal(s) elsewhere (3 definite)" in text
    assert run(["fanout", str(manifest), "--executor", "threads"]).exit_code == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "iamgraph-org-manifest", "accounts": [{"account_id": "1"}]}')
    r = run(["fanout", str(bad), "--executor", "serial"])
    assert r.exit_code == 2 and "$.accounts[0]" in r.output


def test_overview_matrix_and_account_edges() -> None:
    finding = {
        "query": "privesc-to-admin",
        "source": f"arn:aws:iam::{A}:role/ci",
        "admin_account": B,
        "conditional": False,
        "id": "f1",
        "path": [
            {"from": f"arn:aws:iam::{A}:role/ci", "to": f"arn:aws:iam::{B}:role/deploy", "technique": "sts-001"},
            {"from": f"arn:aws:iam::{B}:role/deploy", "to": f"iamgraph:admin:{B}", "technique": "admin"},
        ],
    }
    local = dict(finding, source=f"arn:aws:iam::{B}:user/x", id="f2")
    ov = overview({"accounts": [A, B], "findings": [finding, local]})
    row = next(r for r in ov.rows if r.account == B)
    assert [(r.source_account, r.steps, r.definite) for r in row.reachers] == [
        (A, 2, True)
    ]  # B's own principal is not "elsewhere"
    assert ov.edges == ((A, B, 1, 0),)
    text = render_text({"accounts": [A, B], "findings": [finding]})
    # every node of the path with its account (issue 12 §5)
    assert f"ci ({A}) -[sts-001]-> deploy ({B}) -[admin]-> ADMIN {B}" in text
    hostile = dict(finding, source=f"arn:aws:iam::{A}:role/x\x1b[2J", id="f3")
    assert "\x1b" not in render_text({"accounts": [A, B], "findings": [hostile]})


def test_overview_html_is_escaped_and_offline() -> None:
    evil = "arn:aws:iam::222222222222:role/<script>alert(1)</script>"
    f = {
        "query": "privesc-to-admin",
        "source": evil,
        "admin_account": B,
        "conditional": True,
        "id": 'x"y',
        "path": [{"from": evil, "to": f"iamgraph:admin:{B}", "technique": "<b>t</b>", "actions": ["<i>"]}],
    }
    page = render_html({"accounts": [A, B], "findings": [f]})
    assert "<script" not in page and "&lt;script&gt;" in page and "<b>t</b>" not in page
    assert " src=" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
