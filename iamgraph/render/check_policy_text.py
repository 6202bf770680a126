"""Terminal rendering of a check-policy result (rich; account text is always escaped)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape

from ..query.report import FindingRecord
from .text import path_text, short_name


def _cite(refs: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{r.get('policy')} statement {r.get('statement')}" + (f" ({r['sid']})" if r.get("sid") else "") for r in refs
    )


def render_check_text(result: dict[str, Any], *, console: Console, quiet: bool = False) -> None:
    """Verdict first, then new paths (with remediation), reach gained, actions allowed, the fix."""
    p = console.print
    verdict = _verdict(result)
    if quiet:
        p(escape(verdict), highlight=False)
        return
    p(
        f"[bold]check-policy[/bold] {escape(result['policy'])} -> {escape(result['mode'])} on {escape(result['target'])}",
        highlight=False,
    )
    for n in result.get("notes", []):
        p(f"[yellow]note:[/] {escape(n)}", highlight=False)
    if result["new_findings"]:
        p(f"[bold]new findings[/bold] ({len(result['new_findings'])})", highlight=False)
        for f in result["new_findings"]:
            p(
                escape(
                    f"  {f['severity'].upper()} {f['id']} {short_name(f['source'])}: {f.get('title', '')}"
                    + (" (conditional)" if f.get("conditional") else "")
                ),
                highlight=False,
            )
            p(escape("    " + path_text(FindingRecord.from_json(f, file="<check-policy>", path="$"))), highlight=False)
            for hop in f.get("path", []):
                for e in hop.get("evidence", []):
                    p(
                        escape(
                            f"    {short_name(hop.get('from', ''))} -[{hop.get('technique')}]-> {short_name(hop.get('to', ''))}: "
                            f"{e.get('action')} on {e.get('resource')} allowed by {_cite([e])}"
                        ),
                        highlight=False,
                    )
            if f.get("remediation"):
                p(escape(f"    remediation: {f['remediation']}"), highlight=False)
    if result["newly_reachable"]:
        p(f"[bold]principals newly reachable[/bold] ({len(result['newly_reachable'])})", highlight=False)
        for r in result["newly_reachable"]:
            p(
                escape(
                    f"  {short_name(r['principal'])} -> {r['reaches']}"
                    + (" (admin)" if r["admin"] else "")
                    + (" definite" if r["definite"] else " conditional")
                ),
                highlight=False,
            )
    if result["newly_allowed"]:
        p(
            f"[bold]newly allowed[/bold] ({len(result['newly_allowed'])}; services: "
            f"{escape(', '.join(result['services_newly_allowed']))})",
            highlight=False,
        )
        for g in result["newly_allowed"]:
            dec = g["after"] + (f" (depends on {', '.join(g['condition_keys'])})" if g.get("condition_keys") else "")
            p(escape(f"  {short_name(g['principal'])}: {g['action']} on {g['resource']}: {dec}"), highlight=False)
            if g.get("allowed_by"):
                p(escape(f"    by {_cite(g['allowed_by'])}"), highlight=False)
    cats = result.get("categories") or {}
    if any(cats.values()):
        p("[bold]risk categories of what it newly allows[/bold] (as Cloudsplaining names them)", highlight=False)
        for cat, entries in cats.items():
            if not entries:
                continue
            p(f"  [bold]{escape(cat.replace('_', ' '))}[/bold] ({len(entries)})", highlight=False)
            for e in entries:
                real = ", ".join(e["actions"][:6]) + (f" and {e['count'] - 6} more" if e["count"] > 6 else "")
                shown = e["action"] if e["actions"] == [e["action"]] else f"{e['action']} ({real})"
                p(
                    escape(
                        f"    {short_name(e['principal'])}: {shown} on {e['resource']}"
                        + (" (any resource)" if e.get("unrestricted") else "")
                    ),
                    highlight=False,
                )
    if result.get("removed_findings"):
        p(f"[bold]findings it removes[/bold] ({len(result['removed_findings'])})", highlight=False)
        for f in result["removed_findings"]:
            p(
                escape(
                    f"  {f['severity']} {f['id']} {path_text(FindingRecord.from_json(f, file='<check-policy>', path='$'))}"
                    f" ({f['query']})"
                ),
                highlight=False,
            )
    if result["newly_denied"]:
        p(f"[bold]no longer allowed[/bold] ({len(result['newly_denied'])})", highlight=False)
        for g in result["newly_denied"]:
            p(
                escape(f"  {short_name(g['principal'])}: {g['action']} on {g['resource']}: now {g['after']}"),
                highlight=False,
            )
    s = result.get("suggestion")
    if s:
        if s.get("changes"):
            p("[bold]suggested fix[/bold] (narrowest edit that breaks the first hop):", highlight=False)
            for c in s["changes"]:
                p(f"  - {escape(c)}", highlight=False)
            p(
                (
                    "[green]verified:[/green] re-checking the suggested policy opens no path to admin"
                    if s["closes"]
                    else "[red]not sufficient:[/red] the suggested policy still opens a path for "
                    + escape(", ".join(short_name(o["principal"]) for o in s["still_opened"]))
                ),
                highlight=False,
            )
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
    pairs = len(result["newly_allowed"])
    removed = len(result.get("removed_findings") or [])
    inc = result.get("incomplete") or {}
    prefix = "INCOMPLETE (IAM data missing or partial): " if inc.get("analysis") else ""
    return (
        prefix
        + "no new path to admin"
        + (f"; {n} other new finding{'s' if n != 1 else ''}" if n else "")
        + f"; {pairs} newly allowed action/resource pair{'s' if pairs != 1 else ''}"
        + (f"; removes {removed} finding{'s' if removed != 1 else ''}" if removed else "")
    )
