"""Fan-out worker tasks (pure functions of their JSON-able task dicts; picklable for any Executor).

`portals_task` (phase 0, parse only): an account's entries (roles whose trust admits something
outside the account; Identity Center roles) and exits (principals allowed sts:AssumeRole on
possibly foreign roles). `summarize_task` (phase 1): the account's graph, with the foreign roles its
exits may assume added as stub roles (trust policy only: the techniques' own verdicts decide),
condensed into a summary: the edges that leave the account (to those roles, sts:AssumeRoot,
Identity Center techniques), for every principal its shortest local path to the admin sink and to
each source of a leaving edge (a next-hop tree, definite and any), principals whose admin only an
SCP blocks, and SCP editors.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx

from .. import __version__
from ..collect.gaad_export import document_json, policy_json
from ..collect.org_sections import read_identity_center
from ..collect.snapshot_io import parse_snapshot_document
from ..graph.build import build_graph
from ..graph.model import IamGraph
from ..graph.org_edges import _scp_editors
from ..model import Effect, NodeKind, Role, Snapshot, account_of
from ..model.identity_center import is_sso_role
from ..model.organization import POLICY_ADMIN_SERVICE, SSO_SERVICE
from ..query.base import Hop
from ..query.paths import action_graph, best_evidence, next_hop
from ..query.remediation import remediation_for
from ..techniques.account_index import AccountIndex
from ..techniques.admin import admin_status
from ..techniques.evidence import EdgeKind, Evidence
from ..techniques.trust import aws_principal_account
from .spool import read_rows

SUMMARY_FORMAT = "iamgraph-account-summary/1"
EDITORS_PLACEHOLDER = "\0iamgraph-scp-editors\0"
Json = Any


def read_account_entry(path: str) -> dict[str, Any]:
    """The one account entry of a per-account snapshot file."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return dict(doc["accounts"][0])


def with_rows(task: dict[str, Any]) -> dict[str, Any]:
    """`task` with its stub roles and customer managed policies as values: read from the driver's
    row file when task["rows"] names one (task["stubs"] / task["policies"] then hold places in it),
    else as given (inline, for workers that do not share the driver's disk)."""
    path = task.get("rows")
    if not path:
        return task
    out = {**task, "rows": None, "stubs": read_rows(path, task.get("stubs") or ())}
    if "policies" in task:
        out["policies"] = read_rows(path, task["policies"] or ())
    return out


def task_key(task: dict[str, Any]) -> str:
    """Cache key: the account file's bytes, the organisation context and this iamgraph version."""
    h = hashlib.sha256()
    h.update(Path(task["file"]).read_bytes())
    key: list[Any] = [task.get("org"), task.get("ic"), task["accounts"], task.get("stubs"), __version__]
    if task.get("policies"):  # foreign customer managed policies of permission sets (keys stay as before without)
        key.append(task["policies"])
    h.update(json.dumps(key, sort_keys=True).encode())
    return h.hexdigest()[:24]


def _snapshot(entry: dict[str, Any], org: Json, ic: Json, stubs: list[dict[str, Any]] = ()) -> Snapshot:  # type: ignore[assignment]
    accounts = [entry]
    by_acct: dict[str, list[dict[str, Any]]] = {}
    for s in stubs:
        by_acct.setdefault(account_of(s["Arn"]), []).append(s)
    accounts += [
        {"account_id": a, "authorization_details": {"RoleDetailList": rs}} for a, rs in sorted(by_acct.items())
    ]
    doc: dict[str, Any] = {"format": "iamgraph-snapshot", "schema_version": "1", "accounts": accounts}
    if org is not None:
        doc["organization"] = org
    if ic is not None:
        doc["identity_center"] = ic
    return parse_snapshot_document(doc, file=f"account {entry.get('account_id')}")


# Parsed account snapshots of this worker process (summaries and verification often meet the same
# account in the same process): small LRU keyed by file identity and organisation-context digest.
_PARSED: OrderedDict[tuple[str, int, int, str, bool], Snapshot] = OrderedDict()
_PARSED_MAX = 4


def _account_snapshot(task: dict[str, Any], with_ic: bool) -> Snapshot:
    st = Path(task["file"]).stat()
    key = (task["file"], st.st_mtime_ns, st.st_size, str(task.get("org_key", "")), with_ic)
    hit = _PARSED.get(key)
    if hit is not None and task.get("org_key"):
        _PARSED.move_to_end(key)
        return hit
    snap = _snapshot(read_account_entry(task["file"]), task.get("org"), task.get("ic") if with_ic else None)
    _PARSED[key] = snap
    while len(_PARSED) > _PARSED_MAX:
        _PARSED.popitem(last=False)
    return snap


def stub_accounts(stubs: Sequence[dict[str, Any]], policies: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Snapshot account entries holding foreign stub roles and customer managed policies (GAAD form)."""
    by_acct: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for s in stubs:
        by_acct.setdefault(account_of(s["Arn"]), {}).setdefault("RoleDetailList", []).append(s)
    for p in policies:
        by_acct.setdefault(account_of(p["Arn"]), {}).setdefault("Policies", []).append(p)
    return [{"account_id": a, "authorization_details": d} for a, d in sorted(by_acct.items())]


def _with_stubs(snap: Snapshot, stubs: Sequence[dict[str, Any]], policies: Sequence[dict[str, Any]] = ()) -> Snapshot:
    """`snap` plus foreign stub roles (trust policy only) and foreign customer managed policies that
    permission sets name (default version only), parsed on their own (cheap)."""
    if not stubs and not policies:
        return snap
    doc = {"format": "iamgraph-snapshot", "schema_version": "1", "accounts": stub_accounts(stubs, policies)}
    extra = parse_snapshot_document(doc, file="stub roles")
    return replace(
        snap,
        roles={**snap.roles, **extra.roles},
        policies={**snap.policies, **extra.policies},
        account_ids=tuple(sorted(set(snap.account_ids) | set(extra.account_ids))),
    )


def owns_identity_center(account: str, org: Json, ic: Json) -> bool:
    """Is `account` the Identity Center owner or its delegated administrator?"""
    if ic is None:
        return False
    return account == ic.get("owner_account") or account in ((org or {}).get("delegated_administrators") or {}).get(
        SSO_SERVICE, []
    )


def stub_role(role: Role) -> dict[str, Any]:
    """A GAAD RoleDetail with only the trust policy (what another account's analysis may see)."""
    return {
        "RoleName": role.name,
        "Arn": role.arn,
        "Path": role.path or "/",
        "RoleId": role.role_id or f"AROA{role.name[:16].upper()}",
        "AssumeRolePolicyDocument": document_json(role.trust_policy.document),
        "RolePolicyList": [],
        "AttachedManagedPolicies": [],
        "InstanceProfileList": [],
    }


def _trust_names(role: Role, account: str) -> dict[str, Any] | None:
    """Who outside `account` the trust policy admits (accounts, principal ARNs, anyone); None: nobody."""
    accts: set[str] = set()
    principals: set[str] = set()
    wildcard = False
    for s in role.trust_policy.document.statements:
        if s.effect is not Effect.ALLOW or s.principal is None:
            continue
        p = s.principal
        if p.wildcard or "*" in p.aws:
            wildcard = True
        for e in p.aws:
            acct = aws_principal_account(e)
            if acct and acct != account:
                accts.add(acct)
            elif e.startswith("arn:") and account_of(e) not in ("", account):
                principals.add(e)
    if not (accts or principals or wildcard):
        return None
    return {"accounts": sorted(accts), "principals": sorted(principals), "wildcard": wildcard}


class _HopTable:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.index: dict[tuple[str, str, bool], int] = {}

    def add(self, graph: IamGraph, u: str, v: str, definite_only: bool) -> int | None:
        key = (u, v, definite_only)
        if key not in self.index:
            ev = best_evidence(graph, u, v, definite_only)
            if ev is None:
                return None
            hop = Hop(u, v, ev)
            self.index[key] = len(self.rows)
            self.rows.append({"hop": hop.to_json(), "remediation": remediation_for((hop,))})
        return self.index[key]


def summarize_task(task: dict[str, Any]) -> dict[str, Any]:
    """Phase 1 for one account. The summary (JSON) is cached under task["cache"] when given. With
    task["spool"] (a directory the driver reads), the summary is split there (`portal_part`) and
    only the portal part comes back; without it (workers that do not share the driver's disk) the
    whole summary comes back under "summary"."""
    task = with_rows(task)
    cache = Path(task["cache"]) / f"{task['account']}-{task_key(task)}.json" if task.get("cache") else None
    cached = cache is not None and cache.exists()
    if cache is not None and cached:
        text = cache.read_text(encoding="utf-8")
    else:
        text = json.dumps(_summarize(task))
        if cache is not None:
            _write_atomic(cache, text)
    summary = json.loads(text)  # what every executor and the cache hand back: plain JSON values
    if not task.get("spool"):
        return {"summary": summary, "cached": cached, "summary_bytes": len(text)}
    out = portal_part(summary, set(task.get("portal") or ()), Path(task["spool"]))
    return {**out, "cached": cached, "summary_bytes": len(text)}


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def tree_rows(summary: dict[str, Any], x: str, q: str, mode: str) -> list[int]:
    """The hop indices of the stored local path from `x` to target `q` (mode "d" or "a")."""
    tree = summary["trees"][q][mode]
    out, cur = [], x
    while cur != q:
        _d, cur, idx = tree[cur]
        out.append(idx)
    return out


class HopFile:
    """Hop rows written one after the other: a row is its hop's `json.dumps` then its remediation's;
    `add` returns where: [offset, hop bytes, remediation bytes] (read by fanout.spool.HopStore)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = path.open("wb")
        self._end = 0

    def add(self, row: dict[str, Any]) -> list[int]:
        hop = json.dumps(row["hop"]).encode()
        rem = json.dumps(row["remediation"]).encode()
        self._fh.write(hop + rem)
        at = [self._end, len(hop), len(rem)]
        self._end += len(hop) + len(rem)
        return at

    def close(self) -> None:
        self._fh.close()


def portal_part(summary: dict[str, Any], portal: set[str], spool: Path) -> dict[str, Any]:
    """Split a summary for the driver. Portal nodes are the nodes that may have an incoming edge in
    the driver's graph: the tree targets, `portal` (this account's nodes of the driver's portal
    graph: its entries) and every node that is no source (service, federated, group nodes).
    Written to SPOOL/<account>.portal.json (streamed into the driver's graphs; `read_portal_file`):
    the edges among portal nodes (tree rows of portal nodes, leaving edges, SCP-blocked edges) with
    their hops as places in SPOOL/<account>.hops. Written to SPOOL/<account>.plain.json (read source
    by source when the driver reports this account; `read_plain_file`): the sources, the admins,
    and the tree rows of the other sources (plain sources: only ever the start of a path). Rows are
    [node, target, mode, distance, hop places of the expanded local path], in the summary's order
    (target, mode, node); plain rows grouped by source, in source order."""
    acct = summary["account"]
    targets = list(summary["trees"])
    plain = set(summary["sources"]) - set(targets) - portal
    hops = HopFile(spool / f"{acct}.hops")
    where: dict[int, list[int]] = {}

    def at(i: int) -> list[int]:
        if i not in where:
            where[i] = hops.add(summary["hops"][i])
        return where[i]

    portal_file = spool / f"{acct}.portal.json"
    plain_rows: dict[str, list[list[Any]]] = {}
    try:
        with portal_file.open("w", encoding="utf-8") as fp:
            for q in targets:
                for mode in ("d", "a"):
                    for x, (dist, _nxt, _idx) in summary["trees"][q][mode].items():
                        row = [x, q, mode, dist, [at(i) for i in tree_rows(summary, x, q, mode)]]
                        if x in plain:
                            plain_rows.setdefault(x, []).append(row)
                        else:
                            fp.write(json.dumps(["r", *row], ensure_ascii=False) + "\n")
            for c in summary["cross"]:
                fp.write(json.dumps(["c", c["from"], c["to"], c["definite"], at(c["hop"])], ensure_ascii=False) + "\n")
            for b in summary["blocked"]:
                fp.write(json.dumps(["b", b["principal"], b["hop"]["to"], hops.add(b)], ensure_ascii=False) + "\n")
    finally:
        hops.close()
    plain_file = spool / f"{acct}.plain.json"
    write_plain_file(
        plain_file, summary["sources"], summary["admins"], [r for x in sorted(plain_rows) for r in plain_rows[x]]
    )
    return {
        "account": acct,
        "principals": summary["principals"],
        "admins": len(summary["admins"]),
        "editors": summary["editors"],
        "warnings": summary["warnings"],
        "gaps": summary["gaps"],
        "portal_file": str(portal_file),
        "hop_file": str(hops.path),
        "plain_file": str(plain_file),
    }


def read_portal_file(path: str | Path) -> dict[str, list[list[Any]]]:
    """A portal file as lists: rows [x, q, mode, distance, places], cross [from, to, definite,
    place], blocked [principal, admin sink, place]."""
    out: dict[str, list[list[Any]]] = {"rows": [], "cross": [], "blocked": []}
    names = {"r": "rows", "c": "cross", "b": "blocked"}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            kind, *row = json.loads(line)
            out[names[kind]].append(row)
    return out


def write_plain_file(path: Path, sources: Sequence[str], admins: Sequence[str], rows: Sequence[list[Any]]) -> None:
    """The plain file: a head line (sources, admins), then one line per plain source with rows,
    [x, [[q, mode, distance, places], ...]], in source order (`rows` grouped by source)."""
    lines = [json.dumps({"sources": list(sources), "admins": list(admins)}, ensure_ascii=False)]
    by: dict[str, list[list[Any]]] = {}
    for x, *rest in rows:
        by.setdefault(x, []).append(rest)
    lines += [json.dumps([x, by[x]], ensure_ascii=False) for x in sorted(by)]
    _write_atomic(path, "\n".join(lines) + "\n")


def read_plain_file(path: str | Path) -> dict[str, Any]:
    """A plain file as {"sources", "admins", "rows": [[x, q, mode, distance, places], ...]}."""
    with open(path, encoding="utf-8") as fh:
        head = json.loads(fh.readline())
        rows = [[x, *r] for line in fh for x, rs in (json.loads(line),) for r in rs]
    return {**head, "rows": rows}


def portal_graph(snapshot_doc: dict[str, Any], file: str, accounts: Sequence[str]) -> IamGraph:
    """The driver's portal graph: entries (stub roles), the permission sets' customer managed
    policies, organisation and Identity Center, as one small snapshot."""
    return build_graph(parse_snapshot_document(snapshot_doc, file=file), accounts=accounts)


def portal_graph_task(task: dict[str, Any]) -> dict[str, Any]:
    """The portal graph, condensed for the driver: its edges (definite, then any; sorted; JSON lines
    [from, to, definite, hop place] in SPOOL/portal-graph.edges) with their hops written to
    SPOOL/portal-graph.hops, its admin sinks, its principals (entries and synthetic
    permission-set roles) and the sources that are no account's principal (Identity Center users,
    synthetic permission-set roles)."""
    task = with_rows(task)
    doc: dict[str, Any] = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": stub_accounts(task["stubs"], task["policies"]),
    }
    if task.get("org") is not None:
        doc["organization"] = task["org"]
    if task.get("ic") is not None:
        doc["identity_center"] = task["ic"]
    gp = portal_graph(doc, task["file"], task["accounts"])
    hops = HopFile(Path(task["spool"]) / "portal-graph.hops")
    edges_file = Path(task["spool"]) / "portal-graph.edges"
    try:
        with edges_file.open("w", encoding="utf-8") as fe:
            for definite_only in (True, False):
                for u, v in sorted(set(gp.g.edges())):
                    ev = best_evidence(gp, u, v, definite_only)
                    if ev is None:
                        continue
                    hop = Hop(u, v, ev)
                    at = hops.add({"hop": hop.to_json(), "remediation": remediation_for((hop,))})
                    fe.write(json.dumps([u, v, definite_only, at], ensure_ascii=False) + "\n")
    finally:
        hops.close()
    return {
        "edges_file": str(edges_file),
        "hop_file": str(hops.path),
        "sinks": {a: gp.admin_sink(a) for a in task["accounts"]},
        "principals": sorted(n for n, k in gp.g.nodes(data="kind") if k in (NodeKind.USER, NodeKind.ROLE)),
        "synthetic": sorted(gp.synthetic),
        "extra_sources": sorted(
            {n for n, k in gp.g.nodes(data="kind") if k is NodeKind.IDC_USER}
            | {n for n in gp.synthetic if gp.kind(n) is NodeKind.ROLE and gp.actable(n)}
        ),
    }


def portals_task(task: dict[str, Any]) -> dict[str, Any]:
    """Phase 0 for one account (parse only, no graph): its entries (roles whose trust admits
    something outside the account, and Identity Center roles) and exits (principals allowed
    sts:AssumeRole on resources that may be foreign, with those patterns)."""
    acct = task["account"]
    snap = _account_snapshot(task, owns_identity_center(acct, task.get("org"), task.get("ic")))
    ctx = AccountIndex.create(snap)
    mine = sorted(a for a in (*snap.users, *snap.roles) if account_of(a) == acct)
    exits = []
    for arn in mine:
        view = ctx.views[arn]
        if not view.may("sts:AssumeRole"):
            continue
        pats = [p for p in view.resolved_patterns("sts:AssumeRole") if not p.startswith(f"arn:aws:iam::{acct}:")]
        if pats:
            exits.append({"principal": arn, "patterns": sorted(pats)})
    entries = []
    for arn in (a for a in mine if a in snap.roles):
        role = snap.roles[arn]
        names = _trust_names(role, acct)
        if role.is_service_linked or (names is None and not is_sso_role(arn)):
            continue
        entries.append(
            {
                "role": stub_role(role),
                "names": names or {"accounts": [], "principals": [], "wildcard": False},
                "sso": is_sso_role(arn),
            }
        )
    policies = _permission_set_policies(snap, acct, task.get("ic"))
    return json.loads(json.dumps({"account": acct, "entries": entries, "exits": exits, "policies": policies}))


def _permission_set_policies(snap: Snapshot, acct: str, ic: Json) -> list[dict[str, Any]]:
    """The customer managed policies of `acct` that some permission set names (policy or boundary),
    as GAAD `Policies` entries with the default version only: what resolving the permission set in
    this account reads (graph.identity_center.ps_policies)."""
    if ic is None:
        return []
    section = read_identity_center(ic, file="identity_center")
    refs = {r for ps in section.permission_sets for r in (*ps.customer_managed, ps.boundary_customer) if r}
    out = []
    for arn in sorted({r.arn_in(acct) for r in refs}):
        mp = snap.policies.get(arn)
        if mp is None or mp.default_document is None:
            continue  # unresolvable here as in a merged scan
        default = next((v for v in mp.versions if v.is_default), mp.versions[0])
        out.append(policy_json(replace(mp, versions=(default,))))
    return out


def _summarize(task: dict[str, Any]) -> dict[str, Any]:
    acct = task["account"]
    org, ic = task.get("org"), task.get("ic")
    base = _account_snapshot(task, owns_identity_center(acct, org, ic))
    # the foreign roles this account's exits may assume (trust policies only): the techniques decide
    snap = _with_stubs(base, task.get("stubs") or [], task.get("policies") or [])
    graph = build_graph(snap, accounts=task["accounts"])
    ctx = graph.context
    sink = graph.admin_sink(acct)
    # SCP overrides are decided by the driver, which knows every SCP editor of the organisation
    graph.g.remove_edges_from(
        [
            (u, v, k)
            for u, v, k, d in graph.g.edges(keys=True, data=True)
            if d["evidence"].technique == "scp-admin-override"
        ]
    )
    mine = {a for a in (*base.users, *base.roles) if account_of(a) == acct}
    local = {
        n
        for n, d in graph.g.nodes(data=True)
        if n == sink
        or n in mine
        or (
            d.get("kind") in (NodeKind.SERVICE, NodeKind.EXTERNAL, NodeKind.FEDERATED, NodeKind.GROUP)
            and account_of(str(n)) in ("", acct)
        )
    }
    local -= graph.synthetic
    table = _HopTable()
    cross = []
    for u, v, _k, d in sorted(graph.g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        if u not in local or v in local or d["evidence"].technique in ("org-management", "admin-pivot"):
            continue
        if graph.kind(v) not in (NodeKind.ADMIN, NodeKind.IDC_GROUP, NodeKind.IDC_USER, NodeKind.ROLE):
            continue
        for definite_only in (True, False):
            idx = table.add(graph, u, v, definite_only)
            if idx is not None:
                cross.append({"from": u, "to": v, "definite": definite_only, "hop": idx})
    blocked = _scp_blocked(graph, ctx, acct, sink, mine)
    targets = sorted({sink, *(c["from"] for c in cross), *(b["principal"] for b in blocked)})
    trees = {q: _tree(graph, table, local, q) for q in targets}
    editors: list[str] = []
    if org and (
        acct == org.get("management_account")
        or acct in (org.get("delegated_administrators") or {}).get(POLICY_ADMIN_SERVICE, [])
    ):
        editors = _scp_editors(graph, ctx)
    return {
        "format": SUMMARY_FORMAT,
        "account": acct,
        "sources": sorted(a for a in mine if graph.actable(a)),
        "admins": sorted(a for a in mine if graph.is_admin(a)),
        "principals": len([a for a in mine if graph.kind(a) in (NodeKind.USER, NodeKind.ROLE)]),
        "cross": cross,
        "blocked": blocked,
        "editors": editors,
        "trees": trees,
        "hops": table.rows,
        "warnings": sorted(set(base.warnings)),
        "gaps": [{"api": g.api, "region": g.region, "detail": g.detail} for g in base.collection_gaps],
    }


def _scp_blocked(graph: IamGraph, ctx: AccountIndex, acct: str, sink: str, mine: set[str]) -> list[dict[str, Any]]:
    """Principals whose admin only an SCP blocks: the potential edge, with a placeholder for the editors."""
    from dataclasses import replace

    snap = ctx.snapshot
    if not snap.scp_levels(acct):
        return []
    out = []
    for arn in sorted(mine):
        v = ctx.views[arn]
        if ctx.admin(arn).possible or arn in graph.inert:
            continue
        unblocked = admin_status(v, policies=replace(v.policies, scps=()))
        if not unblocked.possible:
            continue
        ev = Evidence(
            "scp-admin-override",
            EdgeKind.ADMIN,
            unblocked.grants,
            missing=(f"the SCPs that block this today stay in place: {EDITORS_PLACEHOLDER} can edit or detach them",),
            note="admin once the blocking SCP is detached or edited (a delegated policy administrator can)",
        )
        hop = Hop(arn, sink, ev)
        out.append({"principal": arn, "hop": hop.to_json(), "remediation": remediation_for((hop,))})
    return out


def _tree(graph: IamGraph, table: _HopTable, local: set[str], target: str) -> dict[str, dict[str, list[Any]]]:
    """For each local node reaching `target` inside the account: [distance, next node, hop index],
    definite ("d") and any ("a"); the next hops follow the same deterministic rule as the queries."""
    out: dict[str, dict[str, list[Any]]] = {}
    for mode, definite_only in (("d", True), ("a", False)):
        d = action_graph(graph, definite_only).subgraph(local)
        dist = dict(nx.single_target_shortest_path_length(d, target))
        rows: dict[str, list[Any]] = {}
        for node in sorted(dist):
            if node == target:
                continue
            best = next_hop(graph, node, dist, target, definite_only, within=local)
            if best is None:
                continue
            idx = table.add(graph, node, best[0], definite_only)
            rows[node] = [dist[node], best[0], idx]
        out[mode] = rows
    return out
