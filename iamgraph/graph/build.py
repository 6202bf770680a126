"""Build the IamGraph from a Snapshot and the technique catalogue (indexed, near-linear)."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from operator import attrgetter

import networkx as nx

from ..evaluate.types import Decision
from ..model import Effect, NodeKind, Policy, PolicyDocument, PolicyKind, PolicyRef, Snapshot, Statement, account_of
from ..model.identity_center import is_sso_role
from ..techniques.account_index import AccountIndex
from ..techniques.base import ADMIN_NODE, Hub, Technique
from ..techniques.evidence import EdgeKind, Evidence, Grant
from ..techniques.registry import catalogue
from ..techniques.trust import TrustAnswers, aws_principal_account
from .identity_center import add_identity_center, idc_accounts
from .model import IamGraph
from .org_edges import add_org_edges

Progress = Callable[[str, int, int], None]

# What an external principal's own account is assumed to allow (we cannot see its policies).
_THEIR_SIDE = Policy(
    PolicyRef(
        PolicyKind.CUSTOM,
        "iamgraph:external-account-identity-policies",
        "the external account's own policies (not visible)",
    ),
    PolicyDocument("2012-10-17", (Statement(effect=Effect.ALLOW, index=0, actions=("*",), resources=("*",)),)),
)


def build_graph(
    snapshot: Snapshot,
    techniques: Iterable[Technique] | None = None,
    progress: Progress | None = None,
    context: AccountIndex | None = None,
    accounts: Iterable[str] | None = None,
) -> IamGraph:
    """Nodes for every principal, membership and trust edges, one edge per technique that applies.
    (The CLI pauses the cyclic GC for its short run; library callers decide that for themselves.)"""
    return _build(snapshot, techniques, progress, context, accounts)


def _build(
    snapshot: Snapshot,
    techniques: Iterable[Technique] | None,
    progress: Progress | None,
    context: AccountIndex | None,
    only_accounts: Iterable[str] | None = None,
) -> IamGraph:
    techs = tuple(techniques) if techniques is not None else catalogue()
    ctx = context or AccountIndex.create(snapshot)
    graph = IamGraph(snapshot, context=ctx)
    # `only_accounts` (the fan-out): the accounts of the whole organisation, one sink each
    accounts = sorted(set(only_accounts)) if only_accounts is not None else graph_accounts(snapshot)
    single = len(accounts) <= 1
    for acct in accounts:
        graph.admin_sinks[acct] = sink_id(acct, single=single)
        graph.add_node(graph.admin_sinks[acct], NodeKind.ADMIN, "ADMIN" if single else f"ADMIN {acct}", account=acct)
    if not accounts:
        graph.add_node(ADMIN_NODE, NodeKind.ADMIN, "ADMIN")
    graph.add_account_nodes(NodeKind.USER, [(u.arn, u.name, account_of(u.arn)) for u in snapshot.users.values()])
    graph.add_account_nodes(NodeKind.GROUP, [(gr.arn, gr.name, account_of(gr.arn)) for gr in snapshot.groups.values()])
    graph.add_account_nodes(NodeKind.ROLE, [(r.arn, r.name, account_of(r.arn)) for r in snapshot.roles.values()])
    usable = ctx.trust_index.usable
    graph.inert.update(r.arn for r in snapshot.roles.values() if r.is_service_linked or r.arn not in usable)
    member = Evidence("member-of", EdgeKind.MEMBERSHIP, note="group membership")  # immutable: one for every edge
    for u in snapshot.users.values():
        for gr in snapshot.groups_of(u):
            graph.add_edge(u.arn, gr.arn, member)
    _trust_edges(graph, ctx)

    gated: dict[str, list[Technique]] = {}
    ungated: list[Technique] = []
    any_of: list[tuple[frozenset[str], Technique]] = []  # (gate_any, technique): needs one of them
    for t in techs:
        gate = t.gate_action()
        if gate:
            gated.setdefault(gate, []).append(t)
        elif some := t.gate_any():
            any_of.append((frozenset(some), t))
            for a in some:
                gated.setdefault(a, [])  # asked with the other gates
        else:
            ungated.append(t)
    gates = tuple(gated)
    # the techniques a source runs depend only on which gates it may: one sorted list per gate set
    by_gates: dict[frozenset[str], list[Technique]] = {}
    views = sorted(ctx.views.values(), key=attrgetter("arn"))
    g = graph.g
    nodes: Container[str] = g.__dict__["_node"] if type(g) is nx.MultiDiGraph else g  # `in`: a node of the graph
    admin, admins, add_edge, roles = ctx.admin, graph.admins, graph.add_edge, snapshot.roles
    sinks: dict[str, str] = {}  # account -> graph.admin_sink(account), as asked so far
    allowed_, unknown, admin_kind = Decision.ALLOWED, Decision.UNKNOWN, EdgeKind.ADMIN
    for i, view in enumerate(views):
        if progress:
            progress("graph", i, len(views))
        arn = view.arn
        status = admins[arn] = admin(arn)
        decision = status.decision
        own_sink = sinks.get(view.account)
        if own_sink is None:
            own_sink = sinks[view.account] = graph.admin_sink(view.account)
        if decision is allowed_ or decision is unknown:  # status.possible
            add_edge(arn, own_sink, Evidence("admin", admin_kind, status.grants, note="allowed * on *"))
            if decision is allowed_:  # status.definite
                continue  # already admin: escalation edges add nothing
        if arn in graph.inert and roles[arn].is_service_linked:
            continue  # only its service acts as a service-linked role, and nobody can become it
        allowed = view.may_all(gates)
        runnable = by_gates.get(allowed)
        if runnable is None:
            mine = [t for gate, ts in gated.items() if gate in allowed for t in ts] + ungated
            mine += [t for some, t in any_of if some & allowed]
            runnable = by_gates[allowed] = sorted(mine, key=lambda t: t.id)
        if not single:
            ctx.scope_account = view.account  # services run as roles of the source's own account
        for t in runnable:
            for prop in t.propose(ctx, view):
                hub = prop.hub
                if hub is not None and hub.id not in nodes:
                    _add_hub(graph, hub)
                target = prop.target
                if target == ADMIN_NODE:
                    target = own_sink
                if target not in nodes:
                    continue
                ev = prop.evidence
                if ev.technique.startswith("iam-") and _protected_sso_role(ev, target):
                    continue
                add_edge(arn, target, ev)
        view.forget()
    ctx.scope_account = None
    if progress:
        progress("graph", len(views), len(views))
    add_identity_center(graph, ctx)
    add_org_edges(graph, ctx)
    return graph


def graph_accounts(snapshot: Snapshot) -> list[str]:
    """Accounts that get an admin sink: every collected account, plus accounts Identity Center
    assigns permission sets in (their roles are synthesised when not collected)."""
    accts = set(snapshot.account_ids)
    accts |= {account_of(a) for a in (*snapshot.users, *snapshot.roles, *snapshot.groups)}
    accts |= idc_accounts(snapshot)
    accts.discard("")
    return sorted(accts)


def _protected_sso_role(ev: Evidence, target: str) -> bool:
    """IAM writes to Identity Center's AWSReservedSSO_ roles fail (AWS protects them): no edge."""
    return ev.technique.startswith("iam-") and (is_sso_role(target) or is_sso_role(ev.via or ""))


def sink_id(account: str, *, single: bool) -> str:
    """`iamgraph:admin:<account>`; a graph of one account keeps the historic `iamgraph:admin`."""
    return ADMIN_NODE if single else f"{ADMIN_NODE}:{account}"


def _add_hub(graph: IamGraph, hub: Hub) -> None:
    graph.add_node(hub.id, NodeKind.SERVICE, hub.label, hub=True)
    graph.add_edges_to_nodes(hub.id, hub.members)  # members whose role is a node


def _trust_edges(graph: IamGraph, ctx: AccountIndex) -> None:
    """Edges from services, external accounts/principals and identity providers into roles."""
    snap = ctx.snapshot
    local_accounts = set(snap.account_ids) | {account_of(a) for a in snap.roles}
    # external and federated answers shared between roles of one trust document (this build only)
    answers = TrustAnswers()
    their_side = (_THEIR_SIDE,)
    allows = ctx.trust_index.allows  # trusted_statements, read directly
    service_trust, add_edge = ctx.service_trust, graph.add_edge
    in_graph: set[str] = set()  # service nodes added (a node, once added, stays)
    # enum members read once (a read through the class costs ~10x a local's in 3.11)
    allowed_, unknown, assume_role, service = Decision.ALLOWED, Decision.UNKNOWN, EdgeKind.ASSUME_ROLE, NodeKind.SERVICE
    for r in sorted(snap.roles.values(), key=attrgetter("arn")):
        for s in allows.get(r.arn, ()):
            p = s.principal
            assert p is not None
            for svc in p.service:
                if svc not in in_graph:
                    graph.add_node(svc, service, svc)
                    in_graph.add(svc)
                res = service_trust(r, svc)
                d = res.decision
                if d is allowed_ or d is unknown:
                    add_edge(svc, r.arn, Evidence("service-trust", assume_role, (Grant("sts:AssumeRole", r.arn, res),)))
            if not (p.aws or p.wildcard or p.federated):
                continue  # services only (most trust policies)
            externals = [
                e for e in p.aws if e != "*" and (aws_principal_account(e) or account_of(e)) not in local_accounts
            ]
            if p.wildcard or "*" in p.aws:
                externals.append("*")
            racct = account_of(r.arn) if externals else ""
            for e in externals:
                node = e
                if (acct := aws_principal_account(e)) is not None:
                    node = f"arn:aws:iam::{acct}:root"
                graph.add_node(
                    node,
                    NodeKind.EXTERNAL,
                    "anyone" if e == "*" else account_of(node) if node.endswith(":root") else node.rsplit("/", 1)[-1],
                )
                caller = (
                    "arn:aws:iam::000000000000:user/anonymous"
                    if e == "*"
                    else (
                        node
                        if not node.endswith(":root")
                        else f"arn:aws:iam::{account_of(node)}:user/iamgraph-external"
                    )
                )
                res = answers.ask(r, caller, "sts:AssumeRole", their_side, racct)
                if (d := res.decision) is allowed_ or d is unknown:
                    add_edge(
                        node,
                        r.arn,
                        Evidence(
                            "sts-001",
                            assume_role,
                            (Grant("sts:AssumeRole", r.arn, res),),
                            note="cross-account: also needs the external account to allow it",
                        ),
                    )
            for fed in p.federated:
                graph.add_node(fed, NodeKind.FEDERATED, fed.rsplit("/", 1)[-1])
                acts = [a for a in (s.actions or ()) if a.lower().startswith("sts:assumerolewith")] or [
                    "sts:AssumeRoleWithWebIdentity"
                ]
                fed_caller = fed if fed.startswith("arn:") else fed
                res = answers.ask(r, fed_caller, acts[0])
                if (d := res.decision) is allowed_ or d is unknown:
                    add_edge(fed, r.arn, Evidence("federated-trust", assume_role, (Grant(acts[0], r.arn, res),)))
