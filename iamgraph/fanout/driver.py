"""The fan-out driver: per-account summaries in parallel, then one small inter-account graph.

phase 0  every account -> portals_task (parse only): entries and exits
phase 1  exits matched to entries through an index (trusted account / principal / anyone) and the
         exit's sts:AssumeRole resource patterns -> the candidate foreign roles of each account
phase 2  every account -> summarize_task with those roles as stubs (largest first; cached by the
         snapshot hash and the stubs): the techniques' exact verdicts on the leaving edges
phase 3  portal graph: the entries' trust policies as stub roles, Identity Center, the organisation
         edges (admin pivots, management account), the leaving edges, each account's next-hop
         trees as weighted edges -> shortest path to every account's admin, expanded hop by hop.

The driver never holds a GAAD; its graph has one node per portal principal and per source. The
output is sorted before it is written, so the JSON is identical whatever the executor.
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import __version__
from ..collect.snapshot_io import parse_snapshot_document
from ..evaluate.matching import resource_matches
from ..graph.build import build_graph
from ..graph.model import IamGraph
from ..model import NodeKind, account_of
from ..model.snapshot import CollectionGap
from ..query.base import Hop
from ..query.completeness import fanout_incompleteness
from ..query.paths import best_evidence
from ..query.remediation import remediation_for
from ..query.report import REPORT_SCHEMA_VERSION
from ..query.severity import SEVERITIES, Severity
from .manifest import Manifest
from .worker import EDITORS_PLACEHOLDER, owns_identity_center, portals_task, stub_accounts, summarize_task

Json = Any


@dataclass(kw_only=True)
class FanoutStats:
    """Timings and sizes of one run (not part of the report: they differ between runs)."""

    phase_seconds: dict[str, float] = field(default_factory=dict)
    task_seconds: float = 0.0
    summary_bytes: int = 0
    cached: int = 0
    accounts: int = 0


def run_fanout(manifest: Manifest, ex: Executor, *, cache_dir: str | None = None) -> tuple[dict[str, Any], FanoutStats]:
    """The organisation's privesc-to-admin report (dict) and the run's statistics."""
    stats = FanoutStats(accounts=len(manifest.accounts))
    t0 = time.perf_counter()
    accounts = list(manifest.account_ids)
    org, ic = manifest.organization, manifest.identity_center
    sizes = {a: f.stat().st_size for a, f in manifest.accounts}
    org_key = hashlib.sha256(json.dumps([org, ic], sort_keys=True).encode()).hexdigest()[:16]
    tasks: list[dict[str, Any]] = [
        {
            "account": a,
            "file": str(f),
            "org": org,
            "ic": ic,
            "accounts": accounts,
            "cache": cache_dir,
            "org_key": org_key,
        }
        for a, f in sorted(manifest.accounts, key=lambda x: (-sizes[x[0]], x[0]))
    ]
    portals: dict[str, dict[str, Any]] = {}
    for fut in [ex.submit(_timed, portals_task, t) for t in tasks]:
        secs, p = fut.result()
        stats.task_seconds += secs
        portals[p["account"]] = p
    t1 = time.perf_counter()
    stats.phase_seconds["portals"] = t1 - t0
    pairs = _candidates(portals)
    stubs = {e["role"]["Arn"]: e["role"] for p in portals.values() for e in p["entries"]}
    # customer managed policies that permission sets name, per account: the portal graph and the
    # Identity Center owner's (and delegated administrator's) techniques resolve them in every account
    policies = {p["Arn"]: p for acct in sorted(portals) for p in portals[acct].get("policies", ())}
    for t in tasks:
        t["stubs"] = [stubs[r] for r in sorted({r for _, r in pairs.get(t["account"], ())})]
        if owns_identity_center(t["account"], org, ic):
            t["policies"] = [p for arn, p in sorted(policies.items()) if account_of(arn) != t["account"]]
    t2 = time.perf_counter()
    stats.phase_seconds["match"] = t2 - t1
    summaries: dict[str, dict[str, Any]] = {}
    for fut in [ex.submit(_timed, summarize_task, t) for t in tasks]:
        secs, s = fut.result()
        stats.task_seconds += secs
        stats.summary_bytes += len(json.dumps(s))
        stats.cached += bool(s.pop("cached", False))
        summaries[s["account"]] = s
    t3 = time.perf_counter()
    stats.phase_seconds["summaries"] = t3 - t2
    report = _merge(manifest, summaries, stubs, policies)
    stats.phase_seconds["merge"] = time.perf_counter() - t3
    return report, stats


def _timed(fn: Any, task: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    t = time.process_time()
    out = fn(task)
    return time.process_time() - t, out


def _candidates(portals: dict[str, dict[str, Any]]) -> dict[str, set[tuple[str, str]]]:
    """(exit, entry role) pairs per source account, from the index of what each trust admits."""
    by_account: dict[str, list[str]] = {}
    by_principal: dict[str, list[str]] = {}
    anyone: list[str] = []
    for s in portals.values():
        for e in s["entries"]:
            arn, names = e["role"]["Arn"], e["names"]
            for a in names["accounts"]:
                by_account.setdefault(a, []).append(arn)
            for p in names["principals"]:
                by_principal.setdefault(p, []).append(arn)
            if names["wildcard"]:
                anyone.append(arn)
    out: dict[str, set[tuple[str, str]]] = {}
    for acct, s in portals.items():
        for ex in s["exits"]:
            p = ex["principal"]
            roles = set(by_account.get(acct, ())) | set(by_principal.get(p, ())) | set(anyone)
            for r in sorted(roles):
                if account_of(r) == acct:
                    continue
                if any(resource_matches(pat, r) for pat in ex["patterns"]):
                    out.setdefault(acct, set()).add((p, r))
    return out


@dataclass(kw_only=True)
class _Edge:
    weight: int
    kind: str  # "hop" | "tree"
    hop: dict[str, Any] | None = None
    remediation: str = ""
    account: str = ""
    target: str = ""


def _add(h: nx.DiGraph, u: str, v: str, e: _Edge) -> None:
    cur = h.get_edge_data(u, v)
    if cur is None or e.weight < cur["e"].weight:
        h.add_edge(u, v, e=e, weight=e.weight)


def _portal_graph(
    manifest: Manifest, stubs: dict[str, dict[str, Any]], policies: dict[str, dict[str, Any]]
) -> IamGraph:
    """Entries (stub roles), the permission sets' customer managed policies, organisation, Identity Center."""
    doc: dict[str, Any] = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": stub_accounts([r for _, r in sorted(stubs.items())], [p for _, p in sorted(policies.items())]),
    }
    if manifest.organization is not None:
        doc["organization"] = manifest.organization
    if manifest.identity_center is not None:
        doc["identity_center"] = manifest.identity_center
    snap = parse_snapshot_document(doc, file=str(manifest.path))
    return build_graph(snap, accounts=manifest.account_ids)


def _merge(
    manifest: Manifest,
    summaries: dict[str, dict[str, Any]],
    stubs: dict[str, dict[str, Any]],
    policies: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    gp = _portal_graph(manifest, stubs, policies)
    graphs: dict[bool, nx.DiGraph] = {True: nx.DiGraph(), False: nx.DiGraph()}
    for definite_only, h in graphs.items():
        for u, v in sorted(set(gp.g.edges())):
            ev = best_evidence(gp, u, v, definite_only)
            if ev is None:
                continue
            hop = Hop(u, v, ev)
            _add(h, u, v, _Edge(weight=1, kind="hop", hop=hop.to_json(), remediation=remediation_for((hop,))))
    editors = sorted({e for s in summaries.values() for e in s["editors"]})
    named = ", ".join(e.rsplit("/", 1)[-1] for e in editors[:3]) + (" and others" if len(editors) > 3 else "")
    for acct, s in sorted(summaries.items()):
        hops = s["hops"]
        for q, tree in s["trees"].items():
            for mode, definite_only in (("d", True), ("a", False)):
                for x, (dist, _nxt, _idx) in tree[mode].items():
                    _add(graphs[definite_only], x, q, _Edge(weight=dist, kind="tree", account=acct, target=q))
        for c in s["cross"]:
            row = hops[c["hop"]]
            _add(
                graphs[c["definite"]],
                c["from"],
                c["to"],
                _Edge(weight=1, kind="hop", hop=row["hop"], remediation=row["remediation"]),
            )
        if editors:
            for b in s["blocked"]:
                hop = json.loads(json.dumps(b["hop"]).replace(json.dumps(EDITORS_PLACEHOLDER)[1:-1], named))
                _add(
                    graphs[False],
                    b["principal"],
                    hop["to"],
                    _Edge(weight=1, kind="hop", hop=hop, remediation=b["remediation"]),
                )
    sources = sorted(
        {x for s in summaries.values() for x in s["sources"]}
        | {n for n, k in gp.g.nodes(data="kind") if k is NodeKind.IDC_USER}
        # permission-set roles synthesised where an assigned account has none (sources, as in one scan)
        | {n for n in gp.synthetic if gp.kind(n) is NodeKind.ROLE and gp.actable(n)}
    )
    admins = {a: set(s["admins"]) for a, s in summaries.items()}
    findings = []
    for acct in manifest.account_ids:
        sink = gp.admin_sink(acct)
        dist = {m: _distances(h, sink) for m, h in graphs.items()}
        for x in sources:
            if x in admins.get(acct, set()):
                continue
            definite = x in dist[True]
            if not definite and x not in dist[False]:
                continue
            hops, rem = _path(graphs[definite], dist[definite], x, sink, summaries, definite)
            if hops:
                findings.append(_finding(x, acct, sink, hops, rem))
    findings.sort(key=lambda f: (-Severity(f["severity"]).rank, f["query"], f["source"], f["target"] or "", f["id"]))
    principals = sum(s["principals"] for s in summaries.values())
    warnings = sorted(
        {w for s in summaries.values() for w in s["warnings"]}
        | {
            f"could not read {g['api']}"
            + (f" in {g['region']}" if g["region"] else "")
            + (f": {g['detail']}" if g["detail"] else "")
            for s in summaries.values()
            for g in s["gaps"]
        }
    )
    # fail closed: an account whose IAM (or other data) could not be read makes the report say so
    incomplete = fanout_incompleteness(
        [
            CollectionGap(api=g["api"], region=g["region"], detail=g["detail"], account=acct)
            for acct, s in sorted(summaries.items())
            for g in s["gaps"]
        ],
        findings,
    )
    report: dict[str, Any] = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "iamgraph", "version": __version__},
        "accounts": list(manifest.account_ids),
        "summary": {
            "principals": principals,
            "admins": sum(len(a) for a in admins.values()),
            "findings": len(findings),
            "by_severity": {sv.value: sum(1 for f in findings if f["severity"] == sv.value) for sv in SEVERITIES},
            "reaching_admin": sum(1 for f in findings if not f["conditional"]),
            "potential": sum(1 for f in findings if f["conditional"]),
            "complete": incomplete is None,
        },
        "findings": findings,
        "warnings": warnings,
    }
    if incomplete is not None:
        report["incomplete"] = incomplete
    return report


def _distances(h: nx.DiGraph, target: str) -> dict[str, int]:
    if target not in h:
        return {}
    return dict(nx.single_source_dijkstra_path_length(h.reverse(copy=False), target, weight="weight"))


def _path(
    h: nx.DiGraph,
    dist: dict[str, int],
    source: str,
    target: str,
    summaries: dict[str, dict[str, Any]],
    definite_only: bool,
) -> tuple[list[dict[str, Any]], str]:
    """Follow decreasing distance (ties: the admin sink first, then node order), expanding trees."""
    hops: list[dict[str, Any]] = []
    rem = ""
    node = source
    while node != target:
        options = sorted(
            (n for n in h.successors(node) if n in dist and dist[n] == dist[node] - h[node][n]["weight"]),
            key=lambda n: (n != target, n),
        )
        if not options:
            return [], ""
        nxt = options[0]
        e: _Edge = h[node][nxt]["e"]
        if e.kind == "hop":
            assert e.hop is not None
            hops.append(e.hop)
            rem = rem or e.remediation
        else:
            s = summaries[e.account]
            tree = s["trees"][e.target]["d" if definite_only else "a"]
            cur = node
            while cur != e.target:
                _d, step, idx = tree[cur]
                row = s["hops"][idx]
                hops.append(row["hop"])
                rem = rem or row["remediation"]
                cur = step
        node = nxt
    return hops, rem


def _finding(source: str, account: str, sink: str, hops: list[dict[str, Any]], remediation: str) -> dict[str, Any]:
    conditional = any(h.get("conditional") for h in hops)
    target = hops[-1]["from"] if hops[-1]["from"] != source else sink
    basis = "|".join(
        ["privesc-to-admin", source, target, ",".join(str(h.get("technique")) for h in hops), f"admin:{account}"]
    )
    return {
        "id": hashlib.sha256(basis.encode()).hexdigest()[:16],
        "query": "privesc-to-admin",
        "severity": (Severity.MEDIUM if conditional else Severity.CRITICAL).value,
        "title": ("Potential" if conditional else "Definite")
        + f" escalation to admin of {account} in {len(hops)} step{'s' if len(hops) != 1 else ''}",
        "source": source,
        "target": target,
        "reaches_admin": True,
        "conditional": conditional,
        "path": hops,
        "remediation": remediation,
        "admin_account": account,
    }
