"""`iamgraph techniques`: the escalation-technique catalogue and its self-test coverage."""

from __future__ import annotations

import json
from enum import Enum

import typer

from .app import app, input_errors


class TechniquesFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("techniques")
@input_errors
def techniques(
    format: TechniquesFormat = typer.Option(
        TechniquesFormat.text, "--format", "-f", help="text (table), json or markdown."
    ),
    no_color: bool = typer.Option(False, "--no-color", help="Plain text output."),
) -> None:
    """List every escalation technique: id, name, category, whether it needs inventory, self-test cases."""
    from rich.console import Console
    from rich.table import Table

    from ..techniques.coverage import coverage_table, render_markdown

    rows = coverage_table()
    if format is TechniquesFormat.json:
        typer.echo(json.dumps({"schema_version": "1", "techniques": rows}, indent=2, sort_keys=True))
        return
    if format is TechniquesFormat.markdown:
        typer.echo(render_markdown(rows), nl=False)
        return
    table = Table(title=f"{len(rows)} escalation techniques", show_lines=False)
    for col in ("id", "name", "category", "inventory", "cases (vuln/safe)"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["name"], r["category"], "yes" if r["needs_inventory"] else "no", r["cases"])
    Console(no_color=no_color, highlight=False).print(table)
