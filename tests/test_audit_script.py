""".ci/audit.sh decides from pip-audit's JSON report: a skipped package is "NOT AUDITED" (exit 3),
never a pass; a vulnerability is exit 1; all audited and clean is exit 0. pip-audit is replaced by
a stub that writes a given report, so the test needs no network."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "audit.sh"


def _run(tmp_path: Path, report: object, *, allow: bool = False) -> subprocess.CompletedProcess[str]:
    stub = tmp_path / "bin" / "pip-audit"
    stub.parent.mkdir(exist_ok=True)
    (tmp_path / "report.json").write_text(json.dumps(report))
    stub.write_text('#!/bin/sh\nwhile [ "$1" != "-o" ]; do shift; done\ncp "%s" "$2"\n' % (tmp_path / "report.json"))
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{stub.parent}:{os.environ['PATH']}"}
    env.pop("AUDIT_ALLOW_UNAUDITED", None)
    if allow:
        env["AUDIT_ALLOW_UNAUDITED"] = "1"
    return subprocess.run(["bash", str(SCRIPT), "requirements/lock.txt"], capture_output=True, text=True, env=env)


CLEAN = {"name": "rich", "version": "13.7.1", "vulns": []}
SKIPPED = {"name": "typer", "skip_reason": "Dependency not found on PyPI and could not be audited: typer (0.12.3)"}


def test_all_audited_and_clean_passes(tmp_path: Path) -> None:
    r = _run(tmp_path, {"dependencies": [CLEAN, {**CLEAN, "name": "typer"}]})
    assert r.returncode == 0 and "audited 2 packages" in r.stdout and "NOT AUDITED" not in r.stdout


def test_skipped_packages_are_not_audited_never_a_pass(tmp_path: Path) -> None:
    r = _run(tmp_path, {"dependencies": [CLEAN, SKIPPED]})
    assert r.returncode == 3
    assert "NOT AUDITED (1 of 2 packages skipped: Dependency not found on PyPI and could not be audited)" in r.stdout
    r = _run(tmp_path, {"dependencies": [CLEAN, SKIPPED]}, allow=True)
    assert r.returncode == 0 and "NOT AUDITED" in r.stdout


def test_empty_or_missing_report_is_not_audited(tmp_path: Path) -> None:
    assert _run(tmp_path, {"dependencies": []}).returncode == 3
    assert _run(tmp_path, "garbage").returncode == 3


@pytest.mark.parametrize("skipped", [False, True])
def test_vulnerability_fails(tmp_path: Path, skipped: bool) -> None:
    vuln = {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}]}
    r = _run(tmp_path, {"dependencies": [CLEAN, vuln, *([SKIPPED] if skipped else [])]})
    assert r.returncode == 1
    assert "VULNERABLE jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in: 3.1.3)" in r.stdout
