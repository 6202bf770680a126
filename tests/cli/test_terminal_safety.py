"""Account text on the terminal is shown, never obeyed: control characters escaped, never read as
rich markup (issue 15, issue 17 "Also"). Hostile names through warnings, errors and tables."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from iamgraph.cli import app
from iamgraph.render.terminal import clean, clean_lines, line, plain

ACCOUNT = "111122223333"
runner = CliRunner()
HOSTILE = "evil\x1b]0;pwned\x07\x1b[2J\u202egnp.exe\u200b\r\x9b31m"


def _gaad(user_name: str, group_name: str) -> dict[str, object]:
    """A user in a group that is not in the input: the loader warns, naming the group."""
    return {
        "UserDetailList": [
            {
                "UserName": user_name,
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/{user_name}",
                "Path": "/",
                "GroupList": [group_name],
            }
        ],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [],
    }


def _write(tmp_path: Path, obj: object) -> Path:
    p = tmp_path / "in.json"
    p.write_text(json.dumps(obj), encoding="utf-8")
    return p


def test_clean_escapes_controls_bidi_zero_width_and_surrogates() -> None:
    assert clean("plain name-1@x.com/é") == "plain name-1@x.com/é"
    out = clean(HOSTILE)
    assert out == "evil\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.exe\\u200b\\x0d\\x9b31m"
    assert clean("a\ud800b") == "a\\ud800b"
    assert clean("tab\tnew\nline") == "tab\\x09new\\x0aline"
    assert clean_lines("a\x1b\nb") == "a\\x1b\nb"
    assert all(ch.isprintable() for ch in clean("".join(map(chr, range(0x20)))))


def test_clean_is_linear() -> None:
    start = time.perf_counter()
    assert len(clean("\x1b" * 1_000_000)) == 4_000_000
    assert time.perf_counter() - start < 5


def test_text_objects_are_never_markup() -> None:
    buf = io.StringIO()
    console = Console(file=buf, width=200, force_terminal=True, color_system="truecolor")
    console.print(line(("warning:", "yellow"), " group [/x] and [bold]x[/bold] ", HOSTILE))
    console.print(plain("\\" * 100_000 + "[/x]"))
    out = buf.getvalue().replace("\n", "")
    assert "group [/x] and [bold]x[/bold] evil\\x1b]0;pwned" in out
    assert "\x07" not in out and "\u202e" not in out and "\\" * 1000 + "[/x]" in out


def test_markup_group_name_does_not_crash_and_is_shown(tmp_path: Path) -> None:
    r = runner.invoke(app, ["scan", "--input", str(_write(tmp_path, _gaad("alice", "[/x]"))), "--format", "json"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "group '[/x]'" in r.stderr
    json.loads(r.stdout)


def test_backslash_run_in_a_name_is_not_quadratic(tmp_path: Path) -> None:
    name = "\\" * 100_000
    start = time.perf_counter()
    r = runner.invoke(app, ["scan", "--input", str(_write(tmp_path, _gaad("alice", name))), "--format", "json"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert time.perf_counter() - start < 20  # was a hang in rich's markup parser
    assert "\\" * 50_000 in r.stderr.replace("\n", "")


def test_escape_sequences_in_warnings_are_escaped(tmp_path: Path) -> None:
    r = runner.invoke(app, ["scan", "--input", str(_write(tmp_path, _gaad("alice", HOSTILE))), "--format", "json"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr and "\u202e" not in r.stderr
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.exe" in r.stderr


def test_escape_sequences_in_error_lines_are_escaped(tmp_path: Path) -> None:
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {HOSTILE: "x"}}],
    }
    gaad = {
        "RoleDetailList": [
            {"RoleName": "r", "Arn": f"arn:aws:iam::{ACCOUNT}:role/r", "Path": "/", "AssumeRolePolicyDocument": doc}
        ]
    }
    r = runner.invoke(app, ["scan", "--input", str(_write(tmp_path, gaad)), "--format", "json"])
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and "\x1b" not in err and "\r" not in err and "\\x1b" in err
