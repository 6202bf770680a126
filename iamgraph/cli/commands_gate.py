"""`iamgraph diff` (what got worse between two results) and `iamgraph check-policy` (what-if)."""

from __future__ import annotations

import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import InputError
from ..query.severity import Severity
from .app import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, app, input_errors, keep_until_exit
from .output import write_text_atomic

if TYPE_CHECKING:
    from rich.console import Console


class OutputFormat(str, Enum):
    """What diff writes."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


class CheckFormat(str, Enum):
    """What check-policy writes."""

    TEXT = "text"
    JSON = "json"


def _write(text: str, output: Path | None) -> None:
    if output:
        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)


def _console(output: Path | None, no_color: bool) -> Console:
    from rich.console import Console

    if output:
        return Console(file=io.StringIO(), no_color=True, width=160)  # written atomically by _close
    return Console(no_color=no_color, highlight=False)


def _close(console: Console, output: Path) -> None:
    """Write what a file console (see _console) rendered to `output`, atomically."""
    assert isinstance(console.file, io.StringIO)
    write_text_atomic(output, console.file.getvalue())


@app.command()
@input_errors
def diff(
    old: Path = typer.Argument(..., metavar="OLD", help="Earlier state: GAAD file, snapshot, or saved JSON result."),
    new: Path = typer.Argument(..., metavar="NEW", help="Later state: GAAD file, snapshot, or saved JSON result."),
    format: OutputFormat = typer.Option(
        OutputFormat.TEXT, "--format", "-f", case_sensitive=False, help="Output format."
    ),
    fail_on: Severity | None = typer.Option(
        None,
        "--fail-on",
        case_sensitive=False,
        help="Exit 1 when a new (or worsened) finding is at or above this severity; exit 3 when either side is incomplete.",
    ),
    allow_incomplete: bool = typer.Option(
        False, "--allow-incomplete", help="With --fail-on: accept an incomplete analysis instead of exit 3."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text: only the summary line."),
    no_color: bool = typer.Option(False, "--no-color", help="No colours in the terminal output."),
) -> None:
    """New, resolved and changed findings between OLD and NEW."""
    from ..gate import gate_exit, parse_fail_on
    from ..gate.diff import diff_report, result_of

    if format not in ("text", "json", "sarif"):
        raise InputError(f"unknown format {format!r} (text, json, sarif)", file="<command line>", path="--format")
    threshold = parse_fail_on(fail_on.value if fail_on else None)
    report = diff_report(
        result_of(old),
        result_of(new),
        old_name=str(old),
        new_name=str(new),
        threshold=threshold,
        allow_incomplete=allow_incomplete,
    )
    if format == "json":
        from .. import api

        _write(api.report_json(report), output)
    elif format == "sarif":
        from ..render.sarif import render_sarif

        _write(json.dumps(render_sarif(report), indent=2) + "\n", output)
    else:
        from ..render.diff_text import render_diff_text

        console = _console(output, no_color)
        render_diff_text(report, console=console, quiet=quiet)
        if output:
            _close(console, output)
    raise typer.Exit(int(gate_exit(report)))


def _document(path: Path) -> Any:
    from ..collect.files import read_json
    from ..collect.policy_parse import parse_policy_document

    return parse_policy_document(read_json(path), file=str(path), path="$")


@app.command("check-policy")
@input_errors
def check_policy(
    policy: Path = typer.Argument(..., metavar="POLICY", help="The policy document (JSON) to try."),
    input: list[Path] = typer.Option(
        ..., "--input", "-i", metavar="FILE", help="GAAD JSON or iamgraph snapshot of the account (repeatable)."
    ),
    attach_to: str | None = typer.Option(
        None, "--attach-to", metavar="PRINCIPAL", help="User, role or group (ARN or name) to attach it to, inline."
    ),
    as_boundary: bool = typer.Option(
        False, "--as-boundary", help="Set it as the principal's permissions boundary instead."
    ),
    new_user: str | None = typer.Option(
        None, "--new-user", metavar="NAME", help="Give it to a user that does not exist yet."
    ),
    new_role: str | None = typer.Option(
        None, "--new-role", metavar="NAME", help="Give it to a role that does not exist yet (needs --trust)."
    ),
    trust: Path | None = typer.Option(None, "--trust", metavar="FILE", help="Trust policy JSON of the new role."),
    format: CheckFormat = typer.Option(CheckFormat.TEXT, "--format", "-f", case_sensitive=False, help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    no_suggest: bool = typer.Option(False, "--no-suggest", help="Do not compute (and verify) a narrower policy."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text: only the verdict line."),
    no_color: bool = typer.Option(False, "--no-color", help="No colours in the terminal output."),
    allow_incomplete: bool = typer.Option(
        False, "--allow-incomplete", help="Accept an account whose IAM data is incomplete instead of exit 3."
    ),
) -> None:
    """Is this policy safe to give that principal? What it adds, before you apply it. Exit 1: opens a path to
    admin; exit 3: it opens none that iamgraph could see, but the account's IAM data is incomplete."""
    from .. import api
    from ..whatif.check import Change, scan
    from ..whatif.check import check_policy as run_check
    from ..whatif.suggest import suggest_fix

    if format not in ("text", "json"):
        raise InputError(f"unknown format {format!r} (text, json)", file="<command line>", path="--format")
    if trust is not None and not new_role:
        raise InputError("--trust only applies with --new-role", file="<command line>", path="--trust")
    change = Change(
        name=policy.stem,
        document=_document(policy),
        attach_to=attach_to,
        as_boundary=as_boundary,
        new_user=new_user,
        new_role=new_role,
        trust=_document(trust) if trust else None,
    )
    snapshot = keep_until_exit(api.load(input))
    before = keep_until_exit(scan(snapshot))
    compared, applied, after = run_check(snapshot, change, before=before)
    keep_until_exit(after)
    result: dict[str, Any] = {
        "schema_version": api.REPORT_SCHEMA_VERSION,
        "tool": {"name": before.report.tool_name, "version": before.report.tool_version},
        "kind": "check-policy",
        "policy_file": str(policy),
        **compared,
    }
    if before.report.incomplete is not None and before.report.incomplete.gaps:
        result["incomplete"] = before.report.incomplete.to_json()
    if not no_suggest:
        result["suggestion"] = suggest_fix(snapshot, change, result, applied, after, before)
    if format == "json":
        _write(api.report_json(result), output)
    else:
        from ..render.check_policy_text import render_check_text

        console = _console(output, no_color)
        render_check_text(result, console=console, quiet=quiet)
        if output:
            _close(console, output)
    if result["opens_admin_path"]:
        raise typer.Exit(EXIT_FINDINGS)
    # "no new path" is no verdict on an account iamgraph could not read completely (fail closed)
    raise typer.Exit(EXIT_INCOMPLETE if before.report.analysis_incomplete and not allow_incomplete else EXIT_OK)
