"""The text report shows hostile account names escaped, never obeyed or read as markup (issue 15)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from typer.testing import CliRunner

from iamgraph.cli import app

ACCOUNT = "111122223333"
runner = CliRunner()
STAR = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _scan_text(tmp_path: Path, name: str, group: str) -> str:
    gaad = {
        "UserDetailList": [
            {
                "UserName": name,
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
                "Path": "/",
                "GroupList": [group],
                "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": STAR}],
            }
        ],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [],
    }
    p = tmp_path / "in.json"
    p.write_text(json.dumps(gaad), encoding="utf-8")
    r = runner.invoke(app, ["scan", "--input", str(p), "--no-color"])
    assert r.exit_code == 0, (r.output, r.exception)
    return r.stdout + r.stderr


def test_text_report_escapes_hostile_names(tmp_path: Path) -> None:
    out = _scan_text(tmp_path, "adm[/x]\x1b[2J\u202e", "grp\x1b]0;t\x07[bold]")
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    flat = out.replace("\n", "")
    assert "adm[/x]\\x1b[2J\\u202e" in flat
    assert "\\x1b]0;t\\x07[bold]" in flat


def test_text_report_backslash_runs_are_not_quadratic(tmp_path: Path) -> None:
    start = time.perf_counter()
    out = _scan_text(tmp_path, "admin", "\\" * 100_000)
    assert time.perf_counter() - start < 20
    assert "\\" * 10_000 in out.replace("\n", "")
