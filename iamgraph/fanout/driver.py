"""The fan-out driver: per-account summaries in parallel, then one small inter-account graph.

phase 0  every account -> portals_task (parse only): entries, exits, and the customer managed
         policies permission sets name
phase 1  exits matched to entries through an index (trusted account / principal / anyone) and the
         exit's sts:AssumeRole resource patterns -> the candidate foreign roles of each account;
         the portal graph (the entries' trust policies as stub roles, Identity Center, the
         organisation edges: admin pivots, management account)
phase 2  every account -> summarize_task with those roles as stubs (largest first; cached by the
         snapshot hash and the stubs): the techniques' exact verdicts on the leaving edges. Each
         summary is spooled to a file; the driver receives only its portal part (the edges among
         portal nodes: nodes that may have an incoming edge) and writes their hops to a hop store
phase 3  the weighted portal graph (definite / any) -> reverse distances from every account's admin
         sink; then account by account (its spooled summary read once, then dropped) every source's
         distance and shortest path to every admin, expanded hop by hop; findings are rendered as
         they are found into sorted runs per severity and the JSON is streamed out in one order.

The driver never holds a GAAD, a summary's plain sources, the findings or the report: its memory
is the portal graph and one account's summary. The output is identical whatever the executor.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import shutil
import tempfile
import time
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from sys import intern
from typing import Any, TextIO

from .. import __version__
from ..evaluate.matching import resource_matches
from ..model import account_of
from ..model.snapshot import CollectionGap
from ..query.completeness import FanoutCompleteness
from ..query.report import REPORT_SCHEMA_VERSION
from ..query.severity import SEVERITIES, Severity
from .executors import SerialExecutor
from .manifest import Manifest
from .spool import FindingRuns, HopStore
from .worker import (
    EDITORS_PLACEHOLDER,
    owns_identity_center,
    portal_graph_task,
    portal_part,
    portals_task,
    summarize_task,
)

Json = Any
QUERY = "privesc-to-admin"


@dataclass(kw_only=True)
class FanoutStats:
    """Timings and sizes of one run (not part of the report: they differ between runs)."""

    phase_seconds: dict[str, float] = field(default_factory=dict)
    task_seconds: float = 0.0
    summary_bytes: int = 0  # the summaries' JSON (spooled)
    portal_bytes: int = 0  # what the driver received of them (the portal parts)
    cached: int = 0
    accounts: int = 0
    findings: int = 0
    portal_nodes: int = 0
    portal_edges: int = 0


def run_fanout(
    manifest: Manifest, ex: Executor, *, cache_dir: str | None = None, inline_summaries: bool = False
) -> tuple[dict[str, Any], FanoutStats]:
    """The organisation's privesc-to-admin report (dict) and the run's statistics (the streamed
    JSON of `write_fanout`, loaded)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as fh:
        stats = write_fanout(manifest, ex, fh, cache_dir=cache_dir, inline_summaries=inline_summaries)
        fh.seek(0)
        return json.load(fh), stats


def write_fanout(
    manifest: Manifest,
    ex: Executor,
    out: TextIO,
    *,
    cache_dir: str | None = None,
    inline_summaries: bool = False,
) -> FanoutStats:
    """Write the organisation's privesc-to-admin report as JSON to `out` (exactly
    `json.dumps(report, indent=2, ensure_ascii=False) + "\\n"`), streamed; the run's statistics.
    Summaries are spooled to `cache_dir` (also the cache) or to a temporary directory removed at the
    end; `inline_summaries`: the workers do not share this machine's disk (a remote Dask cluster
    without a shared cache), so they send whole summaries and the driver spools them."""
    work = Path(tempfile.mkdtemp(prefix="iamgraph-fanout-"))
    try:
        return _run(manifest, ex, out, cache_dir=cache_dir, inline=inline_summaries, work=work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _results(futs: list[Future[Any]]) -> Iterator[Any]:
    """Each future's result in submission order; a future (and its result) is released once handed over."""
    futs.reverse()
    while futs:
        yield futs.pop().result()


def _run(
    manifest: Manifest, ex: Executor, out: TextIO, *, cache_dir: str | None, inline: bool, work: Path
) -> FanoutStats:
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
    for secs, p in _results([ex.submit(_timed, portals_task, t) for t in tasks]):
        stats.task_seconds += secs
        portals[p["account"]] = p
    t1 = time.perf_counter()
    stats.phase_seconds["portals"] = t1 - t0
    pairs = _candidates(portals)
    stubs = {e["role"]["Arn"]: e["role"] for p in portals.values() for e in p["entries"]}
    # customer managed policies that permission sets name, per account: the portal graph and the
    # Identity Center owner's (and delegated administrator's) techniques resolve them in every account
    policies = {p["Arn"]: p for acct in sorted(portals) for p in portals[acct].get("policies", ())}
    del portals
    # the entries are the principals of the portal graph: they may have incoming edges (not plain)
    hint: dict[str, list[str]] = {}
    for arn in sorted(stubs):
        hint.setdefault(account_of(arn), []).append(arn)
    spool_dir = work / "spool"
    spool_dir.mkdir()
    gp_task = {
        "stubs": [r for _, r in sorted(stubs.items())],
        "policies": [p for _, p in sorted(policies.items())],
        "org": org,
        "ic": ic,
        "file": str(manifest.path),
        "accounts": accounts,
        "spool": str(spool_dir),
    }
    for t in tasks:
        t["stubs"] = [stubs[r] for r in sorted({r for _, r in pairs.get(t["account"], ())})]
        if owns_identity_center(t["account"], org, ic):
            t["policies"] = [p for arn, p in sorted(policies.items()) if account_of(arn) != t["account"]]
        t["portal"] = hint.get(t["account"], [])
        t["spool"] = None if inline else str(spool_dir)
    del stubs, policies, pairs
    store = HopStore()
    try:
        merge = _Merge(manifest, store)
        t2 = time.perf_counter()
        stats.phase_seconds["match"] = t2 - t1
        # the portal graph is built by a task too (with the summaries): the driver never holds it
        gp_fut = None if inline else ex.submit(_timed, portal_graph_task, gp_task)
        futs = [ex.submit(_timed, summarize_task, t) for t in tasks]
        del tasks
        if gp_fut is None:  # workers without the driver's disk: built here
            gp_fut = SerialExecutor().submit(_timed, portal_graph_task, gp_task)
        secs, gp = gp_fut.result()
        del gp_fut, gp_task
        stats.task_seconds += secs
        merge.add_portal_graph(gp, hint)
        del gp
        for secs, part in _results(futs):
            stats.task_seconds += secs
            stats.summary_bytes += part.pop("summary_bytes")
            stats.cached += bool(part.pop("cached"))
            if "summary" in part:  # inline: split here
                summary = part.pop("summary")
                part = portal_part(summary, set(hint.get(summary["account"], ())), spool_dir)
                del summary
            stats.portal_bytes += len(json.dumps(part))
            merge.add_part(part)
            del part
        t3 = time.perf_counter()
        stats.phase_seconds["summaries"] = t3 - t2
        runs = FindingRuns(work)
        try:
            merge.findings(runs)
            merge.write(out, runs)
        finally:
            runs.close()
        stats.findings = merge.total
        stats.portal_nodes, stats.portal_edges = len(merge.names), sum(len(a) for a in merge.adj[False].values())
        stats.phase_seconds["merge"] = time.perf_counter() - t3
    finally:
        store.close()
    return stats


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


# a plain source's tree row: target, distance, hop places of the local path
_PlainRow = tuple[str, int, list[list[int]]]
# an edge of the portal graph: (weight, ref); ref an int: one hop (its id in the hop store);
# a tuple: a local path expanded (the hop ids of a tree row)
_Ref = int | tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Part:
    """What the driver keeps of one account's summary: its portal edges (hops in the store)."""

    account: str
    plain_file: str
    hop_file: str
    principals: int
    admins: int
    editors: tuple[str, ...]
    warnings: tuple[str, ...]
    gaps: tuple[dict[str, str], ...]
    rows: tuple[tuple[str, str, bool, int, tuple[int, ...]], ...]  # x, q, definite, distance, hops
    cross: tuple[tuple[str, str, bool, int], ...]  # from, to, definite, hop
    blocked: tuple[tuple[str, str, int], ...]  # principal, admin sink, hop (editors to fill in)


class _Merge:
    """The weighted portal graphs (definite / any), the admin sinks' distances over them, and the
    findings of every source, streamed."""

    def __init__(self, manifest: Manifest, store: HopStore) -> None:
        self.manifest = manifest
        self.store = store
        self.adj: dict[bool, dict[str, dict[str, tuple[int, _Ref]]]] = {True: {}, False: {}}
        self.gp_edges: list[tuple[str, str, bool, int]] = []
        self.sinks: dict[str, str] = {}
        self.extra_sources: list[str] = []
        self.parts: dict[str, _Part] = {}
        self.names: list[str] = []
        self.total = 0
        self._texts: OrderedDict[int, tuple[dict[str, Any], str]] = OrderedDict()

    def add_portal_graph(self, gp: dict[str, Any], hint: dict[str, list[str]]) -> None:
        """The portal graph's edges (hops in its hop file), admin sinks and extra sources. Its
        principals must be entries (or synthetic): the workers kept their tree rows."""
        known = {n for ns in hint.values() for n in ns} | set(gp["synthetic"])
        stray = [n for n in gp["principals"] if n not in known]
        if stray:
            raise RuntimeError(f"internal: portal graph principals that are no entries: {stray[:3]}")
        self.gp_edges = [(intern(u), intern(v), d, self.store.ref(gp["hop_file"], at)) for u, v, d, at in gp["edges"]]
        self.sinks = dict(gp["sinks"])
        # sources that are no account's principals: Identity Center users, and permission-set roles
        # synthesised where an assigned account has none (sources, as in one scan)
        self.extra_sources = list(gp["extra_sources"])

    def _add(self, definite: bool, u: str, v: str, w: int, ref: _Ref) -> None:
        """Keep the lightest edge u -> v (the first of equal weight), as the driver always did."""
        out = self.adj[definite].setdefault(u, {})
        cur = out.get(v)
        if cur is None or w < cur[0]:
            out[v] = (w, ref)

    def add_part(self, part: dict[str, Any]) -> None:
        hf = part["hop_file"]

        def ids(places: list[list[int]]) -> tuple[int, ...]:
            return tuple(self.store.ref(hf, at) for at in places)

        self.parts[part["account"]] = _Part(
            account=part["account"],
            plain_file=part["plain_file"],
            hop_file=hf,
            principals=part["principals"],
            admins=part["admins"],
            editors=tuple(part["editors"]),
            warnings=tuple(part["warnings"]),
            gaps=tuple(part["gaps"]),
            rows=tuple((intern(x), intern(q), mode == "d", d, ids(hs)) for x, q, mode, d, hs in part["rows"]),
            cross=tuple(
                (intern(u), intern(v), definite, self.store.ref(hf, at)) for u, v, definite, at in part["cross"]
            ),
            blocked=tuple(
                (intern(u), intern(v), self.store.ref(hf, at, replaced=True)) for u, v, at in part["blocked"]
            ),
        )

    # ---- phase 3 ----------------------------------------------------------------------------

    def _build(self) -> None:
        """Tree rows, leaving edges and SCP-blocked edges of every account (in account order), then
        the reverse distances from every admin sink (definite and any)."""
        editors = sorted({e for p in self.parts.values() for e in p.editors})
        named = ", ".join(e.rsplit("/", 1)[-1] for e in editors[:3]) + (" and others" if len(editors) > 3 else "")
        self.store.replace = (json.dumps(EDITORS_PLACEHOLDER)[1:-1], named)
        for u, v, definite, i in self.gp_edges:
            self._add(definite, u, v, 1, i)
        del self.gp_edges
        for _acct, p in sorted(self.parts.items()):
            for x, q, definite, d, hops in p.rows:
                self._add(definite, x, q, d, hops)
            for u, v, definite, i in p.cross:
                self._add(definite, u, v, 1, i)
            if editors:
                for u, v, i in p.blocked:
                    self._add(False, u, v, 1, i)
        # the edges live in the graphs now
        self.parts = {a: replace(p, rows=(), cross=(), blocked=()) for a, p in self.parts.items()}
        nodes = set(self.sinks.values())
        for adj in self.adj.values():
            for u, out in adj.items():
                nodes.add(u)
                nodes.update(out)
        self.names = sorted(nodes)
        self.index = {n: i for i, n in enumerate(self.names)}
        rev: dict[bool, list[list[tuple[int, int]]]] = {}
        for m, adj in self.adj.items():
            r: list[list[tuple[int, int]]] = [[] for _ in self.names]
            for u, out in adj.items():
                for v, (w, _ref) in out.items():
                    r[self.index[v]].append((self.index[u], w))
            rev[m] = r
        # dist[sink][definite][node index]: the distance to that admin sink + 1 (0: none)
        self.dist: dict[str, dict[bool, array[int]]] = {
            sink: {m: _dijkstra(rev[m], self.index[sink], len(self.names)) for m in (True, False)}
            for sink in self.sinks.values()
        }

    def findings(self, runs: FindingRuns) -> None:
        """Every source's finding for every admin sink, into `runs` (one run per account)."""
        self._build()
        self.gaps = FanoutCompleteness(
            [
                CollectionGap(api=g["api"], region=g["region"], detail=g["detail"], account=acct)
                for acct, p in sorted(self.parts.items())
                for g in p.gaps
            ]
        )
        self.by_severity = {sv.value: 0 for sv in SEVERITIES}
        self.conditional = 0
        for acct in self.manifest.account_ids:
            p = self.parts.get(acct)
            if p is None:
                continue
            spooled = json.loads(Path(p.plain_file).read_text(encoding="utf-8"))
            plain: dict[str, dict[bool, list[_PlainRow]]] = {}
            for x, q, mode, d, places in spooled["rows"]:
                plain.setdefault(x, {True: [], False: []})[mode == "d"].append((q, d, places))
            admins = set(spooled["admins"])
            for x in spooled["sources"]:
                if x in plain and x in self.index:
                    raise RuntimeError(f"internal: plain source {x} has an incoming portal edge")
                if x not in self.index and x not in plain:
                    continue  # reaches nothing
                self._source(runs, x, admins, plain.get(x), p.hop_file)
            del spooled, plain
            runs.end_run()
        for x in self.extra_sources:
            if x in self.index:
                self._source(runs, x, set(), None, "")
        runs.end_run()

    def _source(
        self,
        runs: FindingRuns,
        x: str,
        admins: set[str],
        rows: dict[bool, list[_PlainRow]] | None,
        hop_file: str,
    ) -> None:
        """The findings of source `x` (rows: its tree rows when it is a plain source) for every
        admin sink, rendered into `runs` in (target, id) order."""
        found: list[tuple[tuple[str, str], dict[str, Any]]] = []
        for acct in self.manifest.account_ids:
            if x in admins and account_of(x) == acct:
                continue
            sink = self.sinks[acct]
            dist = self.dist[sink]
            d = {m: self._distance(x, rows[m] if rows else None, dist[m]) for m in (True, False)}
            definite = d[True] >= 0
            if not definite and d[False] < 0:
                continue
            m = definite
            hops = self._path(x, sink, dist[m], m, rows[m] if rows else None, hop_file, d[m])
            if hops:
                f = _finding(x, acct, sink, [h for h, _ in hops], next((r for _, r in hops if r), ""))
                found.append(((f["target"] or "", f["id"]), f))
        for (tgt, fid), f in sorted(found, key=lambda kf: kf[0]):
            self.gaps.mark(f)
            text = "\n".join("    " + line for line in self._render(f).split("\n"))
            runs.add(f["severity"], (x, tgt, fid), text)
            self.by_severity[f["severity"]] += 1
            self.conditional += bool(f["conditional"])
            self.total += 1

    def _render(self, f: dict[str, Any]) -> str:
        """`json.dumps(f, indent=2, ensure_ascii=False)`, with each hop of the path rendered once
        (hops recur in many findings; the indenting encoder is pure Python)."""
        path = f["path"]
        text = json.dumps({**f, "path": [f"\0{i}\0" for i in range(len(path))]}, indent=2, ensure_ascii=False)
        for i, hop in enumerate(path):
            text = text.replace(f'    "\\u0000{i}\\u0000"', self._hop_text(hop), 1)
        return text

    def _hop_text(self, hop: dict[str, Any]) -> str:
        """A path hop as rendered inside a finding (two levels deep); cached by the hop object (held
        while cached, so its id is not reused)."""
        hit = self._texts.get(id(hop))
        if hit is not None and hit[0] is hop:
            self._texts.move_to_end(id(hop))
            return hit[1]
        text = "\n".join("    " + line for line in json.dumps(hop, indent=2, ensure_ascii=False).split("\n"))
        self._texts[id(hop)] = (hop, text)
        if len(self._texts) > 512:
            self._texts.popitem(last=False)
        return text

    def _at(self, dist: array[int], n: str) -> int:
        """The distance of node `n` (-1: it does not reach the sink, or is no portal node)."""
        i = self.index.get(n)
        return -1 if i is None else dist[i] - 1

    def _distance(self, x: str, rows: list[_PlainRow] | None, dist: array[int]) -> int:
        if rows is None:
            return self._at(dist, x)
        best = -1
        for q, w, _places in rows:
            dq = self._at(dist, q)
            if dq >= 0 and (best < 0 or w + dq < best):
                best = w + dq
        return best

    def _path(
        self,
        source: str,
        target: str,
        dist: array[int],
        definite: bool,
        rows: list[_PlainRow] | None,
        hop_file: str,
        d_source: int,
    ) -> list[tuple[dict[str, Any], str]]:
        """Follow decreasing distance (ties: the admin sink first, then node order), expanding local
        paths: a plain source's first step from its spooled rows, then the portal graph."""
        out: list[tuple[dict[str, Any], str]] = []
        node = source
        if rows is not None:
            options = sorted(
                ((q, places) for q, w, places in rows if self._at(dist, q) >= 0 and self._at(dist, q) == d_source - w),
                key=lambda qp: (qp[0] != target, qp[0]),
            )
            if not options:
                return []
            node = options[0][0]
            for at in options[0][1]:
                out.append(self.store.read(hop_file, at))
        adj = self.adj[definite]
        while node != target:
            dn = dist[self.index[node]]  # distances are stored + 1 (0: unreachable)
            best: tuple[tuple[bool, str], str, _Ref] | None = None
            for n, (w, ref) in adj.get(node, {}).items():
                dv = dist[self.index[n]]
                if dv > 0 and dv == dn - w and (best is None or (n != target, n) < best[0]):
                    best = ((n != target, n), n, ref)
            if best is None:
                return []
            ref = best[2]
            for i in (ref,) if isinstance(ref, int) else ref:
                out.append(self.store.get(i))
            node = best[1]
        return out

    def write(self, out: TextIO, runs: FindingRuns) -> None:
        """The report, as `json.dumps(report, indent=2, ensure_ascii=False) + "\\n"` would write it."""
        parts = [p for _, p in sorted(self.parts.items())]
        warnings = sorted(
            {w for p in parts for w in p.warnings}
            | {
                f"could not read {g['api']}"
                + (f" in {g['region']}" if g["region"] else "")
                + (f": {g['detail']}" if g["detail"] else "")
                for p in parts
                for g in p.gaps
            }
        )
        incomplete = self.gaps.member()
        head: dict[str, Any] = {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": {"name": "iamgraph", "version": __version__},
            "accounts": list(self.manifest.account_ids),
            "summary": {
                "principals": sum(p.principals for p in parts),
                "admins": sum(p.admins for p in parts),
                "findings": self.total,
                "by_severity": self.by_severity,
                "reaching_admin": self.total - self.conditional,
                "potential": self.conditional,
                "complete": incomplete is None,
            },
            "findings": [],
        }
        text = json.dumps(head, indent=2, ensure_ascii=False)
        closing = '"findings": []\n}'
        assert text.endswith(closing)
        out.write(text[: -len("[]\n}")])
        if self.total:
            out.write("[\n")
            first = True
            for sv in SEVERITIES:
                for f in runs.stream(sv.value):
                    if not first:
                        out.write(",\n")
                    out.write(f)
                    first = False
            out.write("\n  ]")
        else:
            out.write("[]")
        tail: dict[str, Any] = {"warnings": warnings}
        if incomplete is not None:
            tail["incomplete"] = incomplete
        out.write(",\n" + json.dumps(tail, indent=2, ensure_ascii=False)[2:] + "\n")


def _dijkstra(rev: list[list[tuple[int, int]]], source: int, n: int) -> array[int]:
    """Distances + 1 from every node to `source` over the reversed edges (0: unreachable), in the
    smallest array type that holds them (one byte a node as a rule)."""
    dist = array("i", [-1]) * n
    done = bytearray(n)
    heap = [(0, source)]
    dist[source] = 0
    while heap:
        d, v = heapq.heappop(heap)
        if done[v]:
            continue
        done[v] = 1
        for u, w in rev[v]:
            nd = d + w
            if dist[u] < 0 or nd < dist[u]:
                dist[u] = nd
                heapq.heappush(heap, (nd, u))
    top = max(dist, default=-1) + 1
    return array("B" if top < 256 else "H" if top < 65536 else "I", (d + 1 for d in dist))


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
