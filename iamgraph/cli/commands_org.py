"""`iamgraph fanout` (organisation analysis fanned out per account) and `iamgraph split-org`."""

from __future__ import annotations

import json
import tempfile
from enum import Enum
from pathlib import Path

import typer

from .app import app, input_errors
from .output import write_text_atomic


class OrgFormat(str, Enum):
    TEXT = "text"
    JSON = "json"


@app.command("fanout")
@input_errors
def fanout(
    input: Path = typer.Argument(
        ..., metavar="INPUT", help="An org manifest (split-org) or one organisation snapshot."
    ),
    executor_name: str = typer.Option("process", "--executor", help="process (default), serial, or dask."),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Worker processes (default: CPUs; Dask local: 2)."
    ),
    dask_scheduler: str | None = typer.Option(
        None,
        "--dask-scheduler",
        metavar="ADDRESS",
        help="Run on this Dask scheduler (tcp://host:8786); implies --executor dask.",
    ),
    cache: Path | None = typer.Option(
        None, "--cache", metavar="DIR", help="Cache per-account summaries here (by snapshot hash)."
    ),
    format: OrgFormat = typer.Option(OrgFormat.TEXT, "--format", "-f", case_sensitive=False, help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report here."),
    overview_html: Path | None = typer.Option(
        None, "--html", metavar="FILE", help="Also write the organisation overview (account graph + drill-down)."
    ),
) -> None:
    """Who, anywhere in the organisation, becomes admin of which account: per-account summaries on an
    executor (process pool, or Dask), joined by the driver. Same JSON whatever the executor."""
    import sys

    from ..fanout import Mode, executor, read_manifest, run_fanout, split_snapshot, write_fanout
    from ..fanout.manifest import is_manifest
    from ..render.org_overview import render_html, render_text
    from .output import atomic_open

    try:
        mode = Mode("dask" if dask_scheduler else executor_name)
    except ValueError:
        raise typer.BadParameter("--executor must be process, serial or dask") from None
    try:
        obj = json.loads(input.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        from ..errors import InputError

        raise InputError(f"cannot read ({exc})", file=str(input)) from None
    # workers on a remote scheduler may not share this machine's disk: they send whole summaries
    # and the driver spools them
    inline = bool(dask_scheduler)
    cache_dir = str(cache) if cache else None
    with tempfile.TemporaryDirectory(prefix="iamgraph-org-") as tmp:
        manifest = read_manifest(input if is_manifest(obj) else split_snapshot(obj, tmp))
        with executor(mode, workers=workers, scheduler=dask_scheduler) as ex:
            if format is OrgFormat.JSON and not overview_html:
                # streamed: the driver never holds the findings or the report
                if output:
                    with atomic_open(output) as fh:
                        stats = write_fanout(manifest, ex, fh, cache_dir=cache_dir, inline_summaries=inline)
                else:
                    stats = write_fanout(manifest, ex, sys.stdout, cache_dir=cache_dir, inline_summaries=inline)
                    sys.stdout.flush()
                report = None
            else:
                report, stats = run_fanout(manifest, ex, cache_dir=cache_dir, inline_summaries=inline)
    if report is not None:
        text = (
            json.dumps(report, indent=2, ensure_ascii=False) + "\n" if format is OrgFormat.JSON else render_text(report)
        )
        if output:
            write_text_atomic(output, text)
        else:
            typer.echo(text, nl=False)
        if overview_html:
            write_text_atomic(overview_html, render_html(report))
    typer.echo(
        f"iamgraph: {stats.accounts} account(s), {stats.cached} summary(ies) from the cache, "
        f"{stats.findings} finding(s)",
        err=True,
    )


@app.command("split-org")
@input_errors
def split_org(
    snapshot: Path = typer.Argument(..., metavar="SNAPSHOT", help="An organisation snapshot (collect --org)."),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="Directory for the manifest and per-account files."),
) -> None:
    """Split an organisation snapshot into per-account files and a manifest (input of `fanout`)."""
    from ..collect.snapshot_io import is_snapshot_document
    from ..errors import InputError
    from ..fanout import split_snapshot

    try:
        obj = json.loads(snapshot.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read ({exc})", file=str(snapshot)) from None
    if not is_snapshot_document(obj) or not isinstance(obj.get("accounts"), list):
        raise InputError("not an iamgraph snapshot document", file=str(snapshot), path="$")
    path = split_snapshot(obj, out)
    typer.echo(f"iamgraph: wrote {path} ({len(obj['accounts'])} account(s))", err=True)
