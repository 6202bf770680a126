"""Organisation edges between per-account admin sinks (only in graphs of several accounts).

- admin pivots: the admin of A can act as any principal of A, so its sink reaches every foreign
  role whose trust admits A (root, a principal of A, A's org/OU, `*`), evaluated with A's SCPs and
  the role account's RCPs;
- org-management: the management account's admin is admin of every member (SCPs do not apply);
- sts-assume-root: centralised root access from the management or IAM delegated-admin account;
- scp-admin-override: where someone can edit or detach SCPs, admin that SCPs block today is kept
  as a potential edge.
"""

from __future__ import annotations

from dataclasses import replace

from ..evaluate.org_keys import org_context
from ..evaluate.types import ContextValue, Decision, PolicySet, Result
from ..model import NodeKind, Role, account_of
from ..model.organization import IAM_SERVICE, POLICY_ADMIN_SERVICE
from ..techniques.account_index import AccountIndex
from ..techniques.admin import INJECTED_ADMIN, admin_status
from ..techniques.evidence import EdgeKind, Evidence, Grant
from ..techniques.principal import PrincipalView
from .model import IamGraph

ROOT_TASK_POLICY = "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword"
SCP_EDIT_ACTIONS = ("organizations:UpdatePolicy", "organizations:DetachPolicy", "organizations:DeletePolicy")


def admin_of(graph: IamGraph, account: str, principal: str | None = None) -> PrincipalView:
    """A principal of `account` controlled by its admin: identity `*` on `*`, the account's SCPs and
    org keys. `principal`: act as that very principal (its ARN fixed); else the ARN is the admin's
    choice (unknown to the analysis)."""
    snap = graph.snapshot
    ctx, absent = org_context(snap, account)
    base: dict[str, ContextValue] = {"aws:PrincipalAccount": account, "aws:PrincipalIsAWSService": "false", **ctx}
    if principal is not None:
        base["aws:PrincipalArn"] = principal
    arn = principal or f"arn:aws:iam::{account}:role/iamgraph-admin-of-{account}"
    pset = PolicySet(identity=(INJECTED_ADMIN,), scps=snap.scp_levels(account), rcps=snap.rcp_levels(account))
    return PrincipalView(arn, NodeKind.ROLE, arn.rsplit("/", 1)[-1], pset, base, absent)


def add_org_edges(graph: IamGraph, ctx: AccountIndex) -> None:
    """All organisation edges; nothing in a single-account graph."""
    if not graph.multi_account:
        return
    _admin_pivots(graph, ctx)
    _management(graph)
    _assume_root(graph, ctx)
    _scp_overrides(graph, ctx)


def _assume_as(ctx: AccountIndex, view: PrincipalView, role: Role) -> Result:
    racct = account_of(role.arn)
    pset = replace(view.policies, rcps=ctx.snapshot.rcp_levels(racct))
    theirs, their_absent = org_context(ctx.snapshot, racct)
    context: dict[str, ContextValue | None] = {"aws:ResourceOrgID": theirs.get("aws:ResourceOrgID")}
    return view.can(
        "sts:AssumeRole",
        role.arn,
        resource_policy=role.trust_policy,
        resource_account=racct,
        policies=pset,
        context=context,  # type: ignore[arg-type]
        absent=their_absent & {"aws:resourceorgid"},
    )


def _admin_pivots(graph: IamGraph, ctx: AccountIndex) -> None:
    idx = ctx.trust_index
    snap = ctx.snapshot
    accounts = sorted(graph.admin_sinks)
    pivots: dict[tuple[str, str | None], PrincipalView] = {}

    def view(acct: str, principal: str | None) -> PrincipalView:
        key = (acct, principal)
        if key not in pivots:
            pivots[key] = admin_of(graph, acct, principal)
        return pivots[key]

    named: dict[tuple[str, str], list[str]] = {}  # (account, role) -> principals of that account named
    for entry, roles in idx.by_principal.items():
        for r in roles:
            named.setdefault((account_of(entry), r), []).append(entry)
    for role in sorted(snap.roles.values(), key=lambda r: r.arn):
        if role.is_service_linked or role.arn not in graph.g:
            continue
        racct = account_of(role.arn)
        wildcard = role.arn in idx.wildcard
        for acct in accounts:
            if acct == racct:
                continue
            admits_root = wildcard or role.arn in idx.by_account.get(acct, ())
            candidates: list[str | None] = [None] if admits_root else []
            candidates += sorted(named.get((acct, role.arn), ()))
            best: tuple[Result, str | None] | None = None
            for principal in candidates:
                res = _assume_as(ctx, view(acct, principal), role)
                if res.decision is Decision.ALLOWED:
                    best = (res, principal)
                    break
                if res.decision is Decision.UNKNOWN and best is None:
                    best = (res, principal)
            if best is None:
                continue
            res, principal = best
            graph.add_edge(
                graph.admin_sink(acct),
                role.arn,
                Evidence(
                    "admin-pivot",
                    EdgeKind.ASSUME_ROLE,
                    (Grant("sts:AssumeRole", role.arn, res),),
                    via=principal,
                    note=f"the admin of {acct} can act as any principal of {acct}; this role's trust admits it",
                ),
            )


def _management(graph: IamGraph) -> None:
    org = graph.snapshot.organization
    if org is None or not org.management_account or org.management_account not in graph.admin_sinks:
        return
    mgmt = org.management_account
    for acct in sorted(graph.admin_sinks):
        if acct == mgmt or not _member(graph, acct):
            continue
        graph.add_edge(
            graph.admin_sink(mgmt),
            graph.admin_sink(acct),
            Evidence(
                "org-management",
                EdgeKind.PRINCIPAL_ACCESS,
                via=org.management_account,
                note=f"{mgmt} is the organisation's management account: its admin administers member {acct} "
                "(SCPs do not restrict the management account)",
            ),
        )


def _member(graph: IamGraph, acct: str) -> bool:
    org = graph.snapshot.organization
    assert org is not None
    return acct in graph.snapshot.org_paths or acct in org.accounts


def _assume_root(graph: IamGraph, ctx: AccountIndex) -> None:
    """sts:AssumeRoot with the IAMCreateRootUserPassword task policy: root of the member account."""
    org = graph.snapshot.organization
    if org is None or org.root_sessions_enabled is False or not org.management_account:
        return
    missing = (
        ()
        if org.root_sessions_enabled
        else ("whether centralised root access (privileged root sessions) is enabled in the organisation",)
    )
    sources = [org.management_account, *org.delegated(IAM_SERVICE)]
    targets = [a for a in sorted(graph.admin_sinks) if a != org.management_account and _member(graph, a)]
    for src_acct in dict.fromkeys(sources):
        if src_acct not in graph.admin_sinks:
            continue
        views = [v for v in ctx.views.values() if v.account == src_acct and v.may("sts:AssumeRoot")]
        if src_acct != org.management_account:
            views.append(admin_of(graph, src_acct))  # the delegated account's admin (its SCPs apply)
        for v in sorted(views, key=lambda x: x.arn):
            if v.arn in ctx.views and graph.is_admin(v.arn) and src_acct == org.management_account:
                continue  # already admin of every member through org-management
            src_node = v.arn if v.arn in graph.g else graph.admin_sink(src_acct)
            for t in targets:
                if t == src_acct:
                    continue
                res = v.can("sts:AssumeRoot", f"arn:aws:iam::{t}:root", context={"sts:TaskPolicyArn": ROOT_TASK_POLICY})
                if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
                    graph.add_edge(
                        src_node,
                        graph.admin_sink(t),
                        Evidence(
                            "sts-assume-root",
                            EdgeKind.PRINCIPAL_ACCESS,
                            (Grant("sts:AssumeRoot", f"arn:aws:iam::{t}:root", res),),
                            missing=missing,
                            note=f"a root session in {t} (task policy IAMCreateRootUserPassword) sets the root password",
                        ),
                    )


def _scp_editors(graph: IamGraph, ctx: AccountIndex) -> list[str]:
    org = graph.snapshot.organization
    if org is None:
        return []
    where = {org.management_account, *org.delegated(POLICY_ADMIN_SERVICE)} - {""}
    out = []
    for v in sorted(ctx.views.values(), key=lambda x: x.arn):
        if v.account not in where:
            continue
        if any(v.may(a) and v.can(a, "*").possible for a in SCP_EDIT_ACTIONS):
            out.append(v.arn)
    return out


def _scp_overrides(graph: IamGraph, ctx: AccountIndex) -> None:
    """Principals whose admin an SCP blocks get a potential admin edge when someone can edit SCPs."""
    editors = _scp_editors(graph, ctx)
    if not editors:
        return
    snap = ctx.snapshot
    named = ", ".join(e.rsplit("/", 1)[-1] for e in editors[:3]) + (" and others" if len(editors) > 3 else "")
    for v in sorted(ctx.views.values(), key=lambda x: x.arn):
        if not snap.scp_levels(v.account):
            continue
        if ctx.admin(v.arn).possible or v.arn in graph.inert:
            continue
        unblocked = admin_status(v, policies=replace(v.policies, scps=()))
        if not unblocked.possible:
            continue
        graph.add_edge(
            v.arn,
            graph.admin_sink(v.account),
            Evidence(
                "scp-admin-override",
                EdgeKind.ADMIN,
                unblocked.grants,
                missing=(f"the SCPs that block this today stay in place: {named} can edit or detach them",),
                note="admin once the blocking SCP is detached or edited (a delegated policy administrator can)",
            ),
        )
