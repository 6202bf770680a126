"""A JSON scan pays only for what it uses: the modules of other commands and of drawing (rich, export,
HTML, SARIF, live collection, gates, what-if, fan-out) are imported where they are used, pydantic not
at all (typer below 0.29), the CLI package is imported with the cyclic GC paused, and stderr is handed
to rich only when rich may find a terminal there (so the progress bar is shown exactly when it was)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iamgraph.cli import commands_scan

ROOT = Path(__file__).resolve().parents[2]
STAR = ROOT / "samples" / "freelancer-lambda-passrole-star.json"

# imported by no step of `scan --format json` (stderr not a terminal); a name ending in "." is a package
DEFERRED = (
    "rich.",
    "iamgraph.export.",
    "iamgraph.api_export",
    "iamgraph.simulate.",
    "iamgraph.collect.live.",
    "iamgraph.gate.diff",
    "iamgraph.whatif.",
    "iamgraph.fanout.",
    "iamgraph.render.html",
    "iamgraph.render.sarif",
    "iamgraph.render.text",
    "boto3.",
    "botocore.",
    "pyvis.",
    "jinja2.",
    "jsonschema.",
    # typer from 0.29 coerces every parameter through pydantic (~0.05-0.08 s per start): pyproject bounds it
    "pydantic.",
    "pydantic_core.",
)

# the scan in a fresh interpreter, through the CLI app itself; then the names of the imported modules
_PROBE = """
import json, sys
from iamgraph.cli import app
try:
    app(["scan", "--input", sys.argv[1], "--format", "json"])
except SystemExit as exc:
    status = exc.code
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    json.dump({"status": status, "modules": sorted(sys.modules)}, fh)
"""


def _deferred(modules: list[str]) -> list[str]:
    return [m for m in modules for d in DEFERRED if m == d.rstrip(".") or (d.endswith(".") and m.startswith(d))]


def _probe(
    tmp_path: Path, source: Path = STAR, **env: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    out = tmp_path / "modules.json"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    clean_env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [clean_env.get("PYTHONPATH")])])
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**clean_env, **env},
        cwd=tmp_path,
    )
    assert out.exists(), proc.stderr
    return proc, json.loads(out.read_text(encoding="utf-8"))


def test_json_scan_imports_no_deferred_module(tmp_path: Path) -> None:
    proc, seen = _probe(tmp_path)
    assert seen["status"] == 0, proc.stderr
    assert json.loads(proc.stdout)["findings"]  # the scan did run
    modules = seen["modules"]
    assert isinstance(modules, list)
    assert "networkx" in modules and "iamgraph.graph.build" in modules  # the probe sees real imports
    assert _deferred(modules) == []
    assert proc.stderr == ""


def test_progress_still_drawn_when_rich_finds_a_terminal(tmp_path: Path) -> None:
    """FORCE_COLOR makes rich treat a pipe as a terminal: the progress bar is drawn (rich imported),
    the JSON on stdout is the same bytes."""
    plain, _ = _probe(tmp_path)
    forced, seen = _probe(tmp_path, FORCE_COLOR="1")
    assert forced.stdout == plain.stdout
    assert "graph" in forced.stderr and "\x1b[" in forced.stderr
    assert "rich.progress" in seen["modules"]  # type: ignore[operator]


def test_load_warnings_still_printed_on_stderr(tmp_path: Path) -> None:
    """A snapshot warning makes the stderr console (rich) after all: the line is printed, stdout is pure JSON."""
    gaad = json.loads(STAR.read_text(encoding="utf-8"))
    ghost = {"PolicyName": "Ghost", "PolicyArn": "arn:aws:iam::111122223333:policy/Ghost"}
    gaad["RoleDetailList"][0].setdefault("AttachedManagedPolicies", []).append(ghost)
    source = tmp_path / "ghost.json"
    source.write_text(json.dumps(gaad), encoding="utf-8")
    proc, seen = _probe(tmp_path, source)
    assert seen["status"] == 0, proc.stderr
    assert json.loads(proc.stdout)["findings"] is not None
    assert proc.stderr.startswith("warning: managed policy arn:aws:iam::111122223333:policy/Ghost is not in the")
    assert "rich.console" in seen["modules"]  # type: ignore[operator]


class _Stream:
    def __init__(self, tty: bool | None | Exception) -> None:
        if tty is not None:
            self.isatty = self._isatty
        self._tty = tty

    def _isatty(self) -> bool:
        if isinstance(self._tty, Exception):
            raise self._tty
        return bool(self._tty)

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False, None, ValueError("closed")])
@pytest.mark.parametrize("force_color", [None, "", "1"])
@pytest.mark.parametrize("tty_compatible", [None, "", "0", "1"])
def test_surely_not_terminal_never_contradicts_rich(
    monkeypatch: pytest.MonkeyPatch, tty: bool | None | Exception, force_color: str | None, tty_compatible: str | None
) -> None:
    """Every stderr/environment combination: when the shortcut says "not a terminal", rich says so too;
    and with no override set and no tty it does say so (the scan then skips rich)."""
    from rich.console import Console

    for name, value in (("FORCE_COLOR", force_color), ("TTY_COMPATIBLE", tty_compatible)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stderr", _Stream(tty))
    surely_not = commands_scan._stderr_surely_not_terminal()
    if surely_not:
        assert not Console(stderr=True).is_terminal
    if force_color is None and tty_compatible is None and tty is not True:
        assert surely_not


def test_cli_package_imports_with_gc_paused_and_restores_it(tmp_path: Path) -> None:
    """No cyclic collection starts while the CLI package's body runs (any frame of iamgraph/cli on the
    stack); the GC state is the caller's after."""
    probe = (
        "import gc, os, sys\n"
        "runs = []\n"
        "def during_cli(phase, info):\n"
        "    f = sys._getframe()\n"
        "    while f is not None and os.sep.join(('iamgraph', 'cli', '')) not in f.f_code.co_filename:\n"
        "        f = f.f_back\n"
        "    if phase == 'start' and f is not None:\n"
        "        runs.append(f.f_code.co_filename)\n"
        "gc.callbacks.append(during_cli)\n"
        "gc.enable() if sys.argv[1] == 'on' else gc.disable()\n"
        "import iamgraph.cli\n"
        "print(len(runs), gc.isenabled())\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    for state, expected in (("on", "0 True"), ("off", "0 False")):
        proc = subprocess.run(
            [sys.executable, "-c", probe, state],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
            cwd=tmp_path,
        )
        assert proc.stdout.strip() == expected, proc.stderr
