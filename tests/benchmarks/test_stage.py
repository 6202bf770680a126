"""benchmarks/stage.py: each stage runs the phases up to it (a bad input fails from `load` on, never at
`import`), and an unknown stage is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "stage.py"
SAMPLE = ROOT / "samples" / "freelancer-lambda-passrole-star.json"


def _run(path: Path, stage: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(path), stage], capture_output=True, text=True)


@pytest.mark.parametrize("stage", ["import", "load", "build", "all"])
def test_every_stage_runs_on_a_sample(stage: str) -> None:
    assert _run(SAMPLE, stage).returncode == 0


def test_a_bad_input_fails_from_load_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"UserDetailList": 1}', encoding="utf-8")
    assert _run(bad, "import").returncode == 0
    for stage in ("load", "build", "all"):
        assert _run(bad, stage).returncode != 0, stage


def test_an_unknown_stage_is_refused() -> None:
    proc = _run(SAMPLE, "queries")
    assert proc.returncode != 0 and "stage must be one of" in proc.stderr
