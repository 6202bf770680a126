"""Fail closed in the organisation fan-out: an account whose IAM could not be read makes the JSON, text
and HTML reports say the analysis is incomplete; the findings that touch that account are marked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orgkit import allow, gaad, org_section, role, snapshot, trust, user
from typer.testing import CliRunner

from iamgraph.cli.app import app

M, A, B = "111111111111", "222222222222", "333333333333"
GAAD_GAP = {
    "api": "iam:GetAccountAuthorizationDetails",
    "region": "global",
    "detail": "Throttling: Rate exceeded (needs iam:GetAccountAuthorizationDetails)",
}


def org_doc(*, unreadable: str | None) -> dict[str, Any]:
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
    doc = snapshot(accts, org_section({M: "mgmt", A: "ci", B: "prod"}, management=M))
    for acc in doc["accounts"]:
        if acc["account_id"] == unreadable:
            acc["authorization_details"] = gaad()
            acc["collection_gaps"] = [GAAD_GAP]
    return doc


def run(args: list[str]) -> Any:
    from iamgraph.cli import commands_org  # noqa: F401 - registers the commands

    return CliRunner().invoke(app, args)


def test_an_unreadable_account_makes_the_fanout_incomplete(tmp_path: Path) -> None:
    snap = tmp_path / "org.json"
    snap.write_text(json.dumps(org_doc(unreadable=A)))
    r = run(["fanout", str(snap), "--executor", "serial", "--format", "json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    inc = report["incomplete"]
    assert inc["analysis"] is True and report["summary"]["complete"] is False
    assert [(g["account"], g["data"]) for g in inc["gaps"]] == [(A, "iam")] and "Throttling" in inc["reasons"][0]
    touching = [
        f
        for f in report["findings"]
        if any(A in x for x in (f["source"], f["target"] or "", *(n for h in f["path"] for n in (h["from"], h["to"]))))
    ]
    assert touching and len(touching) < len(report["findings"])
    assert all(f.get("incomplete") for f in touching)
    assert all(not f.get("incomplete") for f in report["findings"] if f not in touching)
    text = run(["fanout", str(snap), "--executor", "serial"]).stdout
    assert text.startswith("INCOMPLETE") and f"account {A}" in text
    page = tmp_path / "o.html"
    assert run(["fanout", str(snap), "--executor", "serial", "--html", str(page)]).exit_code == 0
    html = page.read_text()
    assert html.index('id="ig-incomplete"') < html.index("account(s). An arrow")


def test_a_complete_organisation_says_complete(tmp_path: Path) -> None:
    snap = tmp_path / "org.json"
    snap.write_text(json.dumps(org_doc(unreadable=None)))
    report = json.loads(run(["fanout", str(snap), "--executor", "serial", "--format", "json"]).stdout)
    assert "incomplete" not in report and report["summary"]["complete"] is True
