"""The organisation overview of a multi-account report: for each account, the principals elsewhere
that reach its admin (definite first, then by steps), with the shortest path; and the account-level
graph (an edge A -> B when something in A reaches the admin of B).

`overview(report)` is the data; `render_text` a terminal table; `render_html` one self-contained
page (no network; every string escaped): an SVG of accounts as nodes, each linking to that
account's own section (drill-down), never one giant canvas of principals.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

from ..model import account_of
from ..query.base import QueryKind
from .terminal import clean
from .text import SINK_PREFIX, account_label


@dataclass(frozen=True, slots=True, kw_only=True)
class Reacher:
    source: str
    source_account: str
    definite: bool
    steps: int
    techniques: tuple[str, ...]
    finding_id: str
    path: tuple[dict[str, Any], ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountRow:
    account: str
    reachers: tuple[Reacher, ...]  # principals of other accounts reaching this account's admin

    @property
    def definite(self) -> int:
        return sum(1 for r in self.reachers if r.definite)


@dataclass(frozen=True, slots=True, kw_only=True)
class Overview:
    accounts: tuple[str, ...]
    rows: tuple[AccountRow, ...]
    edges: tuple[tuple[str, str, int, int], ...]  # (from account, to account, definite, potential)


def node_account(node: str) -> str:
    """Account of a graph node: ARN account, or the account of an admin sink ("" when none)."""
    if node.startswith(SINK_PREFIX):
        return node[len(SINK_PREFIX) :]
    return account_of(node)


def _escalation(report: dict[str, Any], finding: dict[str, Any]) -> bool:
    """Did an escalation query make `finding`? (reports without a queries table: the fan-out's own
    privesc findings, which always are)"""
    kinds = {q.get("id"): q.get("kind") for q in report.get("queries") or []}
    kind = kinds.get(finding.get("query"))
    if kinds:
        return kind == QueryKind.ESCALATION.value
    path: list[Any] = list(finding.get("path") or [])
    return not (len(path) == 1 and path[0].get("technique") == "admin")  # "is admin outright" is no path


def overview(report: dict[str, Any]) -> Overview:
    """Build the overview from a report's escalation findings (those with admin_account; the query's
    kind comes from the report's `queries` table, never from its id)."""
    accounts = tuple(sorted(report.get("accounts") or ()))
    by_target: dict[str, list[Reacher]] = {a: [] for a in accounts}
    pairs: dict[tuple[str, str], list[int]] = {}
    for f in report.get("findings") or ():
        target = f.get("admin_account")
        if not target or not _escalation(report, f):
            continue
        path = tuple(f.get("path") or ())
        src_acct = node_account(f["source"]) or (node_account(path[0]["to"]) if path else "")
        if f["source"].startswith("arn:aws:identitystore:"):
            src_acct = "identity-center"
        if src_acct == target:
            continue
        r = Reacher(
            source=f["source"],
            source_account=src_acct,
            definite=not f.get("conditional"),
            steps=len(path),
            techniques=tuple(str(h.get("technique")) for h in path),
            finding_id=str(f.get("id")),
            path=path,
        )
        by_target.setdefault(target, []).append(r)
        cnt = pairs.setdefault((src_acct, target), [0, 0])
        cnt[0 if r.definite else 1] += 1
    rows = tuple(
        AccountRow(account=a, reachers=tuple(sorted(rs, key=lambda r: (not r.definite, r.steps, r.source))))
        for a, rs in sorted(by_target.items())
    )
    edges = tuple((a, b, c[0], c[1]) for (a, b), c in sorted(pairs.items()))
    return Overview(accounts=tuple(sorted(set(accounts) | set(by_target))), rows=rows, edges=edges)


def render_text(report: dict[str, Any], *, limit: int = 5) -> str:
    """One block per account whose admin principals elsewhere reach; the shortest path of each."""
    ov = overview(report)
    out = _incomplete_lines(report) + [
        f"Organisation overview: {len(ov.accounts)} account(s), "
        f"{sum(1 for r in ov.rows if r.reachers)} reachable from elsewhere"
    ]
    for row in ov.rows:
        if not row.reachers:
            continue
        out.append(f"\nadmin of {row.account}: {len(row.reachers)} principal(s) elsewhere ({row.definite} definite)")
        for r in row.reachers[:limit]:
            kind = "definite " if r.definite else "potential"
            out.append(clean(f"  {kind} {r.source} [{r.source_account}] {r.steps} step(s): {path_text(r.path)}"))
        if len(row.reachers) > limit:
            out.append(f"  ... and {len(row.reachers) - limit} more")
    if ov.edges:
        out.append("\naccount -> account (definite/potential):")
        out += [f"  {a} -> {b}: {d}/{p}" for a, b, d, p in ov.edges]
    return "\n".join(out) + "\n"


def path_text(path: tuple[dict[str, Any], ...]) -> str:
    """``ci (A) -[sts-001]-> deploy (B) -[admin]-> ADMIN B``: every node with its account."""
    if not path:
        return ""
    parts = [account_label(str(path[0].get("from", "")))]
    for h in path:
        mark = "?" if h.get("conditional") else ""
        parts.append(f" -[{h.get('technique')}{mark}]-> {account_label(str(h.get('to', '')))}")
    return "".join(parts)


def _incomplete_lines(report: dict[str, Any]) -> list[str]:
    """The banner of an incomplete organisation report (what could not be read), first thing printed."""
    inc = report.get("incomplete") or {}
    if not inc:
        return []
    head = (
        "INCOMPLETE: IAM data of some account is missing or partial; this overview cannot be relied on as complete"
        if inc.get("analysis")
        else "Partial data: some paths may be missing or incomplete"
    )
    return [
        head,
        *(f"  could not read: {r}" for r in inc.get("reasons") or []),
        *(f"  {c}" for c in inc.get("callouts") or []),
        "",
    ]


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def render_html(report: dict[str, Any], *, title: str = "iamgraph organisation overview") -> str:
    """A self-contained page: account graph (SVG) + one section per account with its reachers."""
    ov = overview(report)
    accts = [a for a in ov.accounts if a]
    n = max(1, len(accts))
    radius = 40 + 9 * n
    size = 2 * radius + 160
    pos = {
        a: (size / 2 + radius * math.cos(2 * math.pi * i / n), size / 2 + radius * math.sin(2 * math.pi * i / n))
        for i, a in enumerate(accts)
    }
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.0f} {size:.0f}" width="{min(size, 1100):.0f}" '
        'role="img" aria-label="accounts and who reaches whose admin">',
        '<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>',
    ]
    for a, b, d, p in ov.edges:
        if a not in pos or b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        colour = "#c0392b" if d else "#e6a23c"
        svg.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="1.5" '
            f'marker-end="url(#arr)"><title>{_e(a)} reaches admin of {_e(b)}: {d} definite, {p} potential</title></line>'
        )
    reached = {r.account: r for r in ov.rows}
    for a, (x, y) in pos.items():
        row = reached.get(a)
        hot = bool(row and row.definite)
        svg.append(
            f'<a href="#acct-{_e(a)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{"#c0392b" if hot else "#5b8def"}">'
            f"<title>{_e(a)}: {len(row.reachers) if row else 0} principal(s) elsewhere reach its admin</title></circle>"
            f'<text x="{x:.1f}" y="{y - 13:.1f}" font-size="10" text-anchor="middle">{_e(a)}</text></a>'
        )
    svg.append("</svg>")
    sections = []
    for row in ov.rows:
        items = []
        for r in row.reachers:
            hops = "".join(
                f"<li><code>{_e(h.get('from'))}</code> &rarr; <code>{_e(h.get('to'))}</code> "
                f"<b>{_e(h.get('technique'))}</b> {_e(', '.join(map(str, h.get('actions') or [])))}"
                f"{' (conditional)' if h.get('conditional') else ''}</li>"
                for h in r.path
            )
            items.append(
                f'<li class="{"definite" if r.definite else "potential"}"><details><summary>'
                f"{'definite' if r.definite else 'potential'}: <code>{_e(r.source)}</code> "
                f'[<a href="#acct-{_e(r.source_account)}">{_e(r.source_account)}</a>], {r.steps} step(s)'
                f"</summary><ol>{hops}</ol><p>finding {_e(r.finding_id)}</p></details></li>"
            )
        body = f"<ul>{''.join(items)}</ul>" if items else "<p>No principal of another account reaches this admin.</p>"
        sections.append(
            f'<section id="acct-{_e(row.account)}"><h2>Admin of {_e(row.account)}</h2>'
            f"<p>{len(row.reachers)} principal(s) elsewhere, {row.definite} definite.</p>{body}"
            '<p><a href="#top">back to the account graph</a></p></section>'
        )
    style = (
        "body{font-family:sans-serif;margin:1.5em;max-width:1200px}code{font-size:90%}"
        "li.definite>details>summary{color:#c0392b}li.potential>details>summary{color:#a66f00}"
        "section{border-top:1px solid #ddd;margin-top:1em}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f'<title>{_e(title)}</title><style>{style}</style></head><body id="top"><h1>{_e(title)}</h1>'
        + "".join(
            f'<p id="ig-incomplete" role="alert"><strong>{_e(line)}</strong></p>' if i == 0 else f"<p>{_e(line)}</p>"
            for i, line in enumerate(_incomplete_lines(report))
            if line
        )
        + f"<p>{len(accts)} account(s). An arrow A &rarr; B: a principal of A reaches the admin of B "
        "(red: definite). Click an account for its page.</p>" + "".join(svg) + "".join(sections) + "</body></html>\n"
    )
