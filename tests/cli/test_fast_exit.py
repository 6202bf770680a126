"""The console entry point skips the interpreter's heap teardown: same status, output and atexit
handlers as a normal exit (subprocess runs of `iamgraph.cli.main`, compared with CliRunner)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import iamgraph.cli  # noqa: F401  (registers the commands)
from iamgraph.cli.app import app

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
STAR = SAMPLES / "freelancer-lambda-passrole-star.json"

# a caller's own atexit handler, registered before the CLI runs, must still run
_DRIVER = """
import atexit, sys
atexit.register(lambda: print("atexit-ran", file=sys.stderr))
sys.argv = ["iamgraph", *sys.argv[1:]]
from iamgraph.cli import main
main()
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _DRIVER, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_output_and_status_equal_the_in_process_run() -> None:
    proc = _run("scan", "--input", str(STAR), "--format", "json", "--fail-on", "high")
    ref = CliRunner().invoke(app, ["scan", "--input", str(STAR), "--format", "json", "--fail-on", "high"])
    assert proc.returncode == ref.exit_code == 1, (proc.returncode, ref.exit_code, proc.stderr)
    assert json.loads(proc.stdout) == json.loads(ref.stdout)
    assert proc.stdout == ref.stdout
    assert "atexit-ran" in proc.stderr


def test_clean_run_exits_zero_and_runs_atexit(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = _run("scan", "--input", str(STAR), "--format", "json", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert proc.stderr.strip().splitlines()[-1] == "atexit-ran"


def test_input_error_keeps_exit_2_and_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    proc = _run("scan", "--input", str(bad))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("iamgraph: error: ") and str(bad) in lines[0]
    assert lines[1:] == ["atexit-ran"]


def test_usage_error_and_version() -> None:
    assert _run("scan", "--no-such-option").returncode == 2
    proc = _run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("iamgraph ")
