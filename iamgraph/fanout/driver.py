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
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
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
from ..render.json_text import indented
from .executors import SerialExecutor
from .manifest import Manifest
from .spool import FindingRuns, HopStore, Place, RowFile, read_rows
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
TEXT_CACHE_CHARS = 1_000_000  # rendered hops kept (about as many bytes: ASCII JSON)


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


def _completed(futs: dict[Future[Any], str]) -> Iterator[tuple[str, Any]]:
    """(tag, result) of each future as it completes (the driver's output does not depend on the
    order); `futs` is emptied at once, and a future (and its result) released once handed over, so
    results that are done wait in the executor's hands only as long as the driver is busy."""
    pending = set(futs)
    tags = {id(f): t for f, t in futs.items()}
    futs.clear()
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        while done:
            f = done.pop()
            yield tags.pop(id(f)), f.result()
            del f


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
    work_rows = RowFile(work / "rows.json")
    # the stub roles and policies go to the row file as they come: the driver and its pending
    # tasks hold places, not documents (inline tasks get the documents back, read from the file)
    portals: dict[str, dict[str, Any]] = {}
    stubs: dict[str, list[int]] = {}
    policies: dict[str, list[int]] = {}
    try:
        for _tag, (secs, p) in _completed({ex.submit(_timed, portals_task, t): "" for t in tasks}):
            stats.task_seconds += secs
            for e in p["entries"]:
                arn = intern(e["role"]["Arn"])
                stubs[arn] = work_rows.add(e.pop("role"))
                e["arn"] = arn
            for pol in p.pop("policies", ()):
                policies[pol["Arn"]] = work_rows.add(pol)
            portals[p["account"]] = p
            del p
    finally:
        work_rows.close()
    t1 = time.perf_counter()
    stats.phase_seconds["portals"] = t1 - t0
    pairs = _candidates(portals)
    del portals
    # the entries are the principals of the portal graph: they may have incoming edges (not plain)
    hint: dict[str, list[str]] = {}
    for arn in sorted(stubs):
        hint.setdefault(account_of(arn), []).append(arn)
    spool_dir = work / "spool"
    spool_dir.mkdir()
    rows_file = str(work_rows.path)

    def places(at: list[list[int]]) -> list[Any]:
        return read_rows(rows_file, at) if inline else at

    # customer managed policies that permission sets name, per account: the portal graph and the
    # Identity Center owner's (and delegated administrator's) techniques resolve them in every account
    gp_task = {
        "stubs": [at for _, at in sorted(stubs.items())],
        "policies": [at for _, at in sorted(policies.items())],
        "rows": rows_file,
        "org": org,
        "ic": ic,
        "file": str(manifest.path),
        "accounts": accounts,
        "spool": str(spool_dir),
    }
    for t in tasks:
        t["stubs"] = places([stubs[r] for r in sorted({r for _, r in pairs.get(t["account"], ())})])
        if owns_identity_center(t["account"], org, ic):
            t["policies"] = places([at for arn, at in sorted(policies.items()) if account_of(arn) != t["account"]])
        t["rows"] = None if inline else rows_file
        t["portal"] = hint.get(t["account"], [])
        t["spool"] = None if inline else str(spool_dir)
    del stubs, policies, pairs
    store = HopStore()
    try:
        merge = _Merge(manifest, store)
        t2 = time.perf_counter()
        stats.phase_seconds["match"] = t2 - t1
        # the portal graph is built by a task too (with the summaries): the driver never holds it.
        # Parts and the portal graph are merged as they come (ties do not depend on the order)
        futs: dict[Future[Any], str] = {}
        if not inline:
            futs[ex.submit(_timed, portal_graph_task, gp_task)] = "graph"
        for t in tasks:
            futs[ex.submit(_timed, summarize_task, t)] = "part"
        del tasks
        if inline:  # workers without the driver's disk: built here
            futs[SerialExecutor().submit(_timed, portal_graph_task, gp_task)] = "graph"
        del gp_task
        for tag, (secs, part) in _completed(futs):
            stats.task_seconds += secs
            if tag == "graph":
                merge.add_portal_graph(part, hint)
                del part
                continue
            stats.summary_bytes += part.pop("summary_bytes")
            stats.cached += bool(part.pop("cached"))
            if "summary" in part:  # inline: split here
                summary = part.pop("summary")
                part = portal_part(summary, set(hint.get(summary["account"], ())), spool_dir)
                del summary
            stats.portal_bytes += len(json.dumps(part)) + Path(part["portal_file"]).stat().st_size
            merge.add_part(part)
            del part
        del hint
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
            arn, names = e["arn"], e["names"]
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
# what an edge stands for: an int, one hop (its id in the hop store); a tuple, a local path
# expanded (the hop ids of a tree row)
_Ref = int | tuple[int, ...]
# an edge of the portal graphs is one int (the graphs are most of the driver's memory):
# weight << 56 | (rank + 1) << 40 | hop store ref (`HopStore.hops`); rank: where the edge came
# from (-1: the portal graph, else the account's place in account order)
_RANK_SHIFT, _WEIGHT_SHIFT = 40, 56
_REF_MASK = (1 << _RANK_SHIFT) - 1


def _weight(edge: int) -> int:
    return edge >> _WEIGHT_SHIFT


@dataclass(frozen=True, slots=True, kw_only=True)
class _Part:
    """What the driver keeps of one account's summary (its tree rows and leaving edges are in the
    portal graphs as soon as it arrives; its SCP-blocked edges wait for every SCP editor)."""

    account: str
    plain_file: str
    hop_file: str
    principals: int
    admins: int
    editors: tuple[str, ...]
    warnings: tuple[str, ...]
    gaps: tuple[dict[str, str], ...]
    blocked: tuple[tuple[str, str, int], ...]  # principal, admin sink, hop (editors to fill in)


class _Merge:
    """The weighted portal graphs (definite / any), the admin sinks' distances over them, and the
    findings of every source, streamed."""

    def __init__(self, manifest: Manifest, store: HopStore) -> None:
        self.manifest = manifest
        self.store = store
        self.adj: dict[bool, dict[str, dict[str, int]]] = {True: {}, False: {}}
        self.rank = {a: i for i, a in enumerate(sorted(manifest.account_ids))}
        if len(self.rank) >= (1 << (_WEIGHT_SHIFT - _RANK_SHIFT)) - 1:
            raise RuntimeError("the fan-out driver packs an account's rank in 16 bits: too many accounts")
        self.sinks: dict[str, str] = {}
        self.extra_sources: list[str] = []
        self.parts: dict[str, _Part] = {}
        self.names: list[str] = []
        self.total = 0
        self._texts: OrderedDict[tuple[int, int], str] = OrderedDict()
        self._text_chars = 0

    def add_portal_graph(self, gp: dict[str, Any], hint: dict[str, list[str]]) -> None:
        """The portal graph's edges (hops in its hop file), admin sinks and extra sources. Its
        principals must be entries (or synthetic): the workers kept their tree rows."""
        known = {n for ns in hint.values() for n in ns} | set(gp["synthetic"])
        stray = [n for n in gp["principals"] if n not in known]
        if stray:
            raise RuntimeError(f"internal: portal graph principals that are no entries: {stray[:3]}")
        with open(gp["edges_file"], encoding="utf-8") as fh:
            for line in fh:
                u, v, d, at = json.loads(line)
                self._add(d, intern(u), intern(v), 1, -1, self.store.ref(gp["hop_file"], at))
        self.sinks = dict(gp["sinks"])
        # sources that are no account's principals: Identity Center users, and permission-set roles
        # synthesised where an assigned account has none (sources, as in one scan)
        self.extra_sources = list(gp["extra_sources"])

    def _add(self, definite: bool, u: str, v: str, w: int, rank: int, ref: _Ref) -> None:
        """Keep the lightest edge u -> v; of equal weight, the first in the order the portal graph,
        then the accounts in account order, each in its own order (whatever order they arrive in)."""
        out = self.adj[definite].setdefault(u, {})
        cur = out.get(v)
        key = (w << (_WEIGHT_SHIFT - _RANK_SHIFT)) | (rank + 1)  # (weight, rank), as the int orders them
        if cur is None or key < cur >> _RANK_SHIFT:
            out[v] = (key << _RANK_SHIFT) | (ref if isinstance(ref, int) else self.store.path(ref))

    def add_part(self, part: dict[str, Any]) -> None:
        """One account's portal part: its tree rows and leaving edges into the graphs, streamed
        from its portal file (its SCP-blocked edges kept until every SCP editor is known)."""
        hf = part["hop_file"]
        rank = self.rank[part["account"]]
        ref = self.store.ref
        blocked: list[tuple[str, str, int]] = []
        with open(part["portal_file"], encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row[0] == "r":
                    _r, x, q, mode, d, hs = row
                    self._add(mode == "d", intern(x), intern(q), d, rank, tuple(ref(hf, at) for at in hs))
                elif row[0] == "c":
                    _c, u, v, definite, at = row
                    self._add(definite, intern(u), intern(v), 1, rank, ref(hf, at))
                else:
                    _b, u, v, at = row
                    blocked.append((intern(u), intern(v), ref(hf, at, replaced=True)))
        self.parts[part["account"]] = _Part(
            account=part["account"],
            plain_file=part["plain_file"],
            hop_file=hf,
            principals=part["principals"],
            admins=part["admins"],
            editors=tuple(part["editors"]),
            warnings=tuple(part["warnings"]),
            gaps=tuple(part["gaps"]),
            blocked=tuple(blocked),
        )

    # ---- phase 3 ----------------------------------------------------------------------------

    def _build(self) -> None:
        """The SCP-blocked edges of every account (once every SCP editor is known), then the reverse
        distances from every admin sink (definite and any)."""
        editors = sorted({e for p in self.parts.values() for e in p.editors})
        named = ", ".join(e.rsplit("/", 1)[-1] for e in editors[:3]) + (" and others" if len(editors) > 3 else "")
        self.store.replace = (json.dumps(EDITORS_PLACEHOLDER)[1:-1], named)
        if editors:
            for acct, p in sorted(self.parts.items()):
                for u, v, i in p.blocked:
                    self._add(False, u, v, 1, self.rank[acct], i)
        # the edges live in the graphs now
        self.parts = {a: replace(p, blocked=()) for a, p in self.parts.items()}
        nodes = set(self.sinks.values())
        for adj in self.adj.values():
            for u, out in adj.items():
                nodes.add(u)
                nodes.update(out)
        self.names = sorted(nodes)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.sink_account = {self.index[sink]: acct for acct, sink in self.sinks.items()}
        self.reach = {m: self._reach(m) for m in (True, False)}

    def _reach(self, m: bool) -> _Reach:
        """Over the graph `m` (definite / any): for every node, the admin sinks it reaches, its
        distance to each and the next node on the way (ties: the admin sink first, then node
        order, as the paths always followed them)."""
        index, names, adj = self.index, self.names, self.adj[m]
        rev: list[list[tuple[int, int]]] = [[] for _ in names]
        for name, out in adj.items():
            for v, e in out.items():
                rev[index[v]].append((index[name], _weight(e)))
        flat = [array("I") for _ in range(4)]  # node, sink, distance + 1, next node
        for s in sorted(self.sink_account):
            dist, order = _dijkstra(rev, s, len(names))
            for u in order:
                nxt = s
                if u != s:
                    du, best = dist[u], None
                    for v, e in adj[names[u]].items():
                        iv, w = index[v], _weight(e)
                        if dist[iv] >= 0 and dist[iv] == du - w and (best is None or (iv != s, iv) < best):
                            best = (iv != s, iv)
                    if best is None:  # the node that relaxed u is one
                        raise RuntimeError(f"internal: no next node from {names[u]} to {names[s]}")
                    nxt = best[1]
                for a, value in zip(flat, (u, s, dist[u] + 1, nxt), strict=True):
                    a.append(value)
        del rev
        return _Reach.of(len(names), *flat)

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
            with open(p.plain_file, encoding="utf-8") as fh:
                head = json.loads(fh.readline())
                admins = set(head["admins"])
                line = fh.readline()
                nxt = json.loads(line) if line else None
                for x in head["sources"]:
                    rows: dict[bool, list[_PlainRow]] | None = None
                    if nxt is not None and nxt[0] == x:
                        rows = {True: [], False: []}
                        for q, mode, d, places in nxt[1]:
                            rows[mode == "d"].append((q, d, places))
                        line = fh.readline()
                        nxt = json.loads(line) if line else None
                        if x in self.index:
                            raise RuntimeError(f"internal: plain source {x} has an incoming portal edge")
                    elif x not in self.index:
                        continue  # reaches nothing
                    self._source(runs, x, admins, rows, p.hop_file)
                if nxt is not None:
                    raise RuntimeError(f"internal: plain rows of {nxt[0]}, which is no source of {acct}")
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
        admin sink, rendered into `runs` in (target, id) order. Two passes, so that a source that
        reaches every account's admin holds keys and hop places, not its findings."""
        found: list[tuple[tuple[str, str], str, str, list[Place]]] = []
        reach = {m: self._reached(x, rows[m] if rows else None, m) for m in (True, False)}
        for s in sorted(reach[True].keys() | reach[False].keys()):
            acct = self.sink_account[s]
            if x in admins and account_of(x) == acct:
                continue
            m = s in reach[True]
            places = self._path(x, s, m, rows[m] if rows else None, hop_file, reach[m][s])
            if places:
                sink = self.names[s]
                hops = [self.store.load(p)[0] for p in places]
                target = hops[-1]["from"] if hops[-1]["from"] != x else sink
                found.append(((target or "", _finding_id(x, target, hops, acct)), acct, sink, places))
        found.sort(key=lambda kf: kf[0])
        for (tgt, fid), acct, sink, places in found:
            loaded = [self.store.load(p) for p in places]
            f = _finding(x, acct, sink, [h for h, _ in loaded], next((r for _, r in loaded if r), ""))
            self.gaps.mark(f)
            text = "\n".join("    " + line for line in self._render(f, places).split("\n"))
            runs.add(f["severity"], (x, tgt, fid), text)
            self.by_severity[f["severity"]] += 1
            self.conditional += bool(f["conditional"])
            self.total += 1

    def _render(self, f: dict[str, Any], places: list[Place]) -> str:
        """`json.dumps(f, indent=2, ensure_ascii=False)`, with each hop of the path rendered once
        (hops recur in many findings; the indenting encoder is pure Python)."""
        path = f["path"]
        text = indented({**f, "path": [f"\0{i}\0" for i in range(len(path))]})
        for i, (hop, place) in enumerate(zip(path, places, strict=True)):
            text = text.replace(f'    "\\u0000{i}\\u0000"', self._hop_text(hop, place), 1)
        return text

    def _hop_text(self, hop: dict[str, Any], place: Place) -> str:
        """A path hop as rendered inside a finding (two levels deep); cached by its place (the cache
        is bounded by its characters: hops are larger in larger organisations)."""
        key = place[:2]
        hit = self._texts.get(key)
        if hit is not None:
            self._texts.move_to_end(key)
            return hit
        text = "\n".join("    " + line for line in indented(hop).split("\n"))
        self._texts[key] = text
        self._text_chars += len(text)
        while self._text_chars > TEXT_CACHE_CHARS and len(self._texts) > 1:
            self._text_chars -= len(self._texts.popitem(last=False)[1])
        return text

    def _reached(self, x: str, rows: list[_PlainRow] | None, m: bool) -> dict[int, int]:
        """Admin sink (node index) -> the distance from `x` over graph `m` (rows: x's tree rows
        when it is a plain source; else x is a portal node)."""
        r = self.reach[m]
        if rows is None:
            i = self.index.get(x)
            return {} if i is None else {r.sink[k]: r.dist[k] - 1 for k in range(r.off[i], r.off[i + 1])}
        best: dict[int, int] = {}
        for q, w, _places in rows:
            iq = self.index.get(q)
            if iq is None:
                continue
            for k in range(r.off[iq], r.off[iq + 1]):
                s, d = r.sink[k], w + r.dist[k] - 1
                if d < best.get(s, d + 1):
                    best[s] = d
        return best

    def _path(
        self, source: str, s: int, m: bool, rows: list[_PlainRow] | None, hop_file: str, d_source: int
    ) -> list[Place]:
        """The hops (places in the hop store, read with `HopStore.load`) from `source` to admin
        sink `s` over graph `m`: a plain source's first step from its spooled rows (ties: the
        admin sink first, then node order), then the next nodes of the portal graph."""
        r, target = self.reach[m], self.names[s]
        out: list[Place] = []
        node = source
        if rows is not None:
            options = []
            for q, w, places in rows:
                iq = self.index.get(q)
                if iq is not None and r.get(iq, s)[0] - 1 == d_source - w >= 0:
                    options.append((q, places))
            if not options:
                return []
            options.sort(key=lambda qp: (qp[0] != target, qp[0]))
            node = options[0][0]
            for at in options[0][1]:
                out.append(self.store.place(hop_file, at))
        adj = self.adj[m]
        i = self.index[node]
        while i != s:
            d, nxt = r.get(i, s)
            if not d:
                return []
            for h in self.store.hops(adj[self.names[i]][self.names[nxt]] & _REF_MASK):
                out.append(self.store.place_of(h))
            i = nxt
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


@dataclass(frozen=True, slots=True)
class _Reach:
    """For one graph: the admin sinks every node reaches (most nodes reach few), as compact rows
    grouped by node (node i's rows: off[i] .. off[i + 1], by ascending sink): the sink, the
    distance + 1 and the next node on the way there."""

    off: array[int]
    sink: array[int]
    dist: array[int]
    nxt: array[int]

    @classmethod
    def of(cls, n: int, nodes: array[int], sinks: array[int], dists: array[int], nxts: array[int]) -> _Reach:
        """Rows (node, sink, distance + 1, next) given in ascending sink order, grouped by node."""
        off = array("I", [0]) * (n + 1)
        for u in nodes:
            off[u + 1] += 1
        for i in range(n):
            off[i + 1] += off[i]
        at = array("I", off[:-1])
        idx = "H" if n < 65536 else "I"
        top = max(dists, default=0)
        sink, nxt = array(idx, [0]) * len(nodes), array(idx, [0]) * len(nodes)
        dist = array("B" if top < 256 else "H" if top < 65536 else "I", [0]) * len(nodes)
        for u, s, d, x in zip(nodes, sinks, dists, nxts, strict=True):
            k = at[u]
            at[u] += 1
            sink[k], dist[k], nxt[k] = s, d, x
        return cls(off, sink, dist, nxt)

    def get(self, i: int, s: int) -> tuple[int, int]:
        """(distance + 1, next node) of node `i` towards sink `s`; (0, -1): it does not reach it."""
        lo, hi = self.off[i], self.off[i + 1]
        k = bisect_left(self.sink, s, lo, hi)
        if k < hi and self.sink[k] == s:
            return self.dist[k], self.nxt[k]
        return 0, -1


def _dijkstra(rev: list[list[tuple[int, int]]], source: int, n: int) -> tuple[array[int], list[int]]:
    """Distances from every node to `source` over the reversed edges (-1: unreachable), and the
    nodes that reach it in the order they were settled."""
    dist = array("i", [-1]) * n
    done = bytearray(n)
    order: list[int] = []
    heap = [(0, source)]
    dist[source] = 0
    while heap:
        d, v = heapq.heappop(heap)
        if done[v]:
            continue
        done[v] = 1
        order.append(v)
        for u, w in rev[v]:
            nd = d + w
            if dist[u] < 0 or nd < dist[u]:
                dist[u] = nd
                heapq.heappush(heap, (nd, u))
    return dist, order


def _finding_id(source: str, target: str, hops: list[dict[str, Any]], account: str) -> str:
    basis = "|".join(
        ["privesc-to-admin", source, target, ",".join(str(h.get("technique")) for h in hops), f"admin:{account}"]
    )
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _finding(source: str, account: str, sink: str, hops: list[dict[str, Any]], remediation: str) -> dict[str, Any]:
    conditional = any(h.get("conditional") for h in hops)
    target = hops[-1]["from"] if hops[-1]["from"] != source else sink
    return {
        "id": _finding_id(source, target, hops, account),
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
