"""Terminal rendering of a check-policy result (rich; account text is always escaped)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .query.report import FindingRecord
from .render.text import path_text, short_name


def _cite(refs: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r.get('policy')} statement {r.get('statement')}" + (f" ({r['sid']})" if r.get("sid") else "")
                     for r in refs)


def render_check_text(result: dict[str, Any], *, console: Console, quiet: bool = False) -> None:
    """Verdict first, then new paths (with remediation), reach gained, actions allowed, the fix."""
    p = console.print
    verdict = _verdict(result)
    if quiet:
        p(escape(verdict), highlight=False)
        return
    p(f"[bold]check-policy[/bold] {escape(result['policy'])} -> {escape(result['mode'])} on {escape(result['target'])}",
      highlight=False)
    for n in result.get("notes", []):
        p(f"[yellow]note:[/] {escape(n)}", highlight=False)
    if result["new_findings"]:
        t = Table(title=f"new findings ({len(result['new_findings'])})", header_style="bold")
        for c in ("severity", "query", "source", "path"):
            t.add_column(c, overflow="fold")
        for f in result["new_findings"]:
            t.add_row(escape(f["severity"]), escape(f["query"]), escape(short_name(f["source"])),
                      escape(path_text(FindingRecord.from_json(f, file="<check-policy>", path="$"))
                             + (" (conditional)" if f.get("conditional") else "")))
        p(t)
        for f in result["new_findings"]:
            p(f"[bold]{escape(short_name(f['source']))}[/bold]: {escape(f.get('title', ''))}", highlight=False)
            for hop in f.get("path", []):
                for e in hop.get("evidence", []):
                    p(escape(f"  {short_name(hop.get('from', ''))} -[{hop.get('technique')}]-> {short_name(hop.get('to', ''))}: "
                             f"{e.get('action')} on {e.get('resource')} allowed by {_cite([e])}"), highlight=False)
            if f.get("remediation"):
                p(escape(f"  remediation: {f['remediation']}"), highlight=False)
    if result["newly_reachable"]:
        t = Table(title="principals newly reachable", header_style="bold")
        for c in ("from", "reaches", "", ""):
            t.add_column(c, overflow="fold")
        for r in result["newly_reachable"]:
            t.add_row(escape(short_name(r["principal"])), escape(r["reaches"]), "admin" if r["admin"] else "",
                      "definite" if r["definite"] else "conditional")
        p(t)
    if result["newly_allowed"]:
        t = Table(title=f"newly allowed (services: {', '.join(result['services_newly_allowed'])})", header_style="bold")
        for c in ("principal", "action", "resource", "decision", "allowed by"):
            t.add_column(c, overflow="fold")
        for g in result["newly_allowed"]:
            dec = g["after"] + (f" (depends on {', '.join(g['condition_keys'])})" if g.get("condition_keys") else "")
            t.add_row(escape(short_name(g["principal"])), escape(g["action"]), escape(g["resource"]), escape(dec),
                      escape(_cite(g["allowed_by"])))
        p(t)
    if result["newly_denied"]:
        t = Table(title="no longer allowed", header_style="bold")
        for c in ("principal", "action", "resource", "now"):
            t.add_column(c, overflow="fold")
        for g in result["newly_denied"]:
            t.add_row(escape(short_name(g["principal"])), escape(g["action"]), escape(g["resource"]), escape(g["after"]))
        p(t)
    s = result.get("suggestion")
    if s:
        if s.get("changes"):
            p("[bold]suggested fix[/bold] (narrowest edit that breaks the first hop):", highlight=False)
            for c in s["changes"]:
                p(f"  - {escape(c)}", highlight=False)
            p(("[green]verified:[/green] re-checking the suggested policy opens no path to admin" if s["closes"] else
               "[red]not sufficient:[/red] the suggested policy still opens a path for "
               + escape(", ".join(short_name(o["principal"]) for o in s["still_opened"]))), highlight=False)
            p(escape(json.dumps(s["policy"], indent=2)), highlight=False)
        else:
            p(f"[yellow]no automatic fix:[/] {escape(s.get('note', ''))}", highlight=False)
    p(escape(verdict), highlight=False)


def _verdict(result: dict[str, Any]) -> str:
    if result["opens_admin_path"]:
        kind = "a definite" if result["opens_definite_admin_path"] else "a potential (conditional)"
        who = ", ".join(short_name(o["principal"]) for o in result["opened"])
        return f"UNSAFE: opens {kind} path to admin for {who}"
    n = len(result["new_findings"])
    return ("no new path to admin" + (f"; {n} other new finding(s)" if n else "") +
            f"; {len(result['newly_allowed'])} newly allowed action/resource pair(s)")
