"""Reports are written atomically: a failure while rendering or writing leaves the old file whole
and no temporary file behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iamgraph.cli import app
from iamgraph.cli.output import atomic_open, write_text_atomic
from iamgraph.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
STAR = ROOT / "samples/freelancer-lambda-passrole-star.json"
runner = CliRunner()


def test_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_exception_mid_write_keeps_old_content_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write("half a rep")
        raise RuntimeError("render failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_unwritable_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        write_text_atomic(tmp_path / "missing-dir" / "r.json", "x")
    assert "r.json" in exc.value.one_line()


def test_file_mode_follows_umask(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    write_text_atomic(target, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_cli_output_is_complete(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    r = runner.invoke(app, ["scan", "--input", str(STAR), "--format", fmt, "--output", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    if fmt != "text":
        json.loads(text)
    else:
        assert "freelancer" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_cli_failing_html_render_leaves_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    html = tmp_path / "r.html"
    html.write_text("<p>previous report</p>", encoding="utf-8")

    def boom(*_a: object, **_k: object) -> str:
        raise MemoryError("renderer ran out of memory")

    import iamgraph.render.html as html_mod

    monkeypatch.setattr(html_mod, "render_html", boom)
    r = runner.invoke(app, ["scan", "--input", str(STAR), "--format", "json", "--html", str(html)])
    assert r.exit_code != 0
    assert html.read_text(encoding="utf-8") == "<p>previous report</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]
