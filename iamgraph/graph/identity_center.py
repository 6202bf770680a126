"""IAM Identity Center in the graph: people, groups, permission-set roles and the sso techniques.

Nodes: identity-store users (IDC_USER) and groups (IDC_GROUP). Edges: user -> group (membership,
traversable), user|group -> the provisioned `AWSReservedSSO_<PermissionSet>_<hex>` role of each
assigned account (the assignment is the evidence); where that account was not collected, a
synthetic role built from the permission set (marked `synthetic`). Techniques whose sources are
principals of the Identity Center owner account (or the sso delegated administrator's):
sso-create-account-assignment, sso-edit-permission-set, sso-create-permission-set and
idc-group-membership.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..evaluate.types import Decision, PolicySet
from ..model import (
    IdcPrincipalType,
    IdentityCenter,
    NodeKind,
    PermissionSet,
    Policy,
    PolicyKind,
    PolicyRef,
    Snapshot,
    account_of,
)
from ..model.identity_center import SSO_ROLE_PATH, idc_group_node, idc_user_node, is_sso_role, sso_role_name_prefix
from ..model.organization import SSO_SERVICE
from ..techniques.account_index import AccountIndex
from ..techniques.admin import INJECTED_ADMIN, AdminStatus, admin_status
from ..techniques.evidence import EdgeKind, Evidence, Grant
from ..techniques.principal import PrincipalView
from .model import IamGraph
from .org_edges import admin_of

NEEDS_IDENTITY = (
    "an Identity Center user the attacker can sign in as (identitystore:CreateUser in the "
    "Identity Center directory, or membership of an assigned group)"
)
EDIT_ACTIONS = (
    "sso:PutInlinePolicyToPermissionSet",
    "sso:AttachManagedPolicyToPermissionSet",
    "sso:DeletePermissionsBoundaryFromPermissionSet",
)


def idc_accounts(snapshot: Snapshot) -> set[str]:
    """Accounts Identity Center assigns or provisions permission sets in."""
    ic = snapshot.identity_center
    if ic is None:
        return set()
    return {a.account_id for a in ic.assignments} | {x for p in ic.permission_sets for x in p.provisioned_accounts}


@dataclass(frozen=True, slots=True, kw_only=True)
class _PsRole:
    arn: str
    synthetic: bool


def add_identity_center(graph: IamGraph, ctx: AccountIndex) -> None:
    ic = graph.snapshot.identity_center
    if ic is None:
        return
    owner = ic.owner_account
    for u in ic.users:
        graph.add_node(idc_user_node(u.id), NodeKind.IDC_USER, u.user_name, account=owner, display_name=u.display_name)
    for g in ic.groups:
        graph.add_node(idc_group_node(g.id), NodeKind.IDC_GROUP, g.display_name, account=owner)
    names = {idc_user_node(u.id): u.user_name for u in ic.users} | {
        idc_group_node(g.id): g.display_name for g in ic.groups
    }
    for m in ic.memberships:
        unode, gnode = idc_user_node(m.user_id), idc_group_node(m.group_id)
        if unode in graph.g and gnode in graph.g:
            graph.add_edge(
                unode,
                gnode,
                Evidence(
                    "idc-member-of",
                    EdgeKind.PRINCIPAL_ACCESS,
                    via=gnode,
                    note=f"{names[unode]} is a member of Identity Center group {names[gnode]}",
                ),
            )
    roles: dict[tuple[str, str], _PsRole] = {}
    for a in ic.assignments:
        ps = ic.permission_set(a.permission_set_arn)
        assert ps is not None  # checked when the section was read
        key = (ps.arn, a.account_id)
        if key not in roles:
            roles[key] = _ps_role(graph, ctx, ps, a.account_id)
        node = (idc_user_node if a.principal_type is IdcPrincipalType.USER else idc_group_node)(a.principal_id)
        if node not in graph.g:
            continue  # assignment to a principal the identity store listing did not return
        target = roles[key]
        graph.add_edge(
            node,
            target.arn,
            Evidence(
                "idc-assignment",
                EdgeKind.ASSUME_ROLE,
                via=ps.arn,
                note=f"Identity Center assigns permission set {ps.name} in {a.account_id} to {names.get(node, node)}"
                + (" (role synthesised from the permission set: account not collected)" if target.synthetic else ""),
            ),
        )
    _techniques(graph, ctx, ic)


def _ps_role(graph: IamGraph, ctx: AccountIndex, ps: PermissionSet, account: str) -> _PsRole:
    """The provisioned role of `ps` in `account`: the collected one, else a synthetic node."""
    prefix = sso_role_name_prefix(ps.name)
    found = sorted(
        r.arn
        for r in ctx.snapshot.roles.values()
        if account_of(r.arn) == account and r.name.startswith(prefix) and SSO_ROLE_PATH in r.arn
    )
    if found:
        return _PsRole(arn=found[0], synthetic=False)
    arn = f"arn:aws:iam::{account}:role{SSO_ROLE_PATH}{prefix}iamgraph-synthetic"
    if arn not in graph.g:
        graph.add_node(arn, NodeKind.ROLE, f"{prefix}… (synthetic)", account=account, synthetic=True)
        graph.synthetic.add(arn)
        status, missing = ps_admin_in(graph, ps, account)
        if status.possible:
            graph.add_edge(
                arn,
                graph.admin_sink(account),
                Evidence(
                    "admin",
                    EdgeKind.ADMIN,
                    status.grants,
                    missing=missing,
                    note=f"allowed * on * (policies of permission set {ps.name})",
                ),
            )
    return _PsRole(arn=arn, synthetic=True)


def ps_policies(snapshot: Snapshot, ps: PermissionSet, account: str) -> tuple[PolicySet, tuple[str, ...]]:
    """The policy set a role of `ps` has in `account`, and what the snapshot cannot resolve."""
    identity: list[Policy] = []
    missing: list[str] = []
    for parn in ps.managed_policies:
        p = snapshot.managed(parn)
        if p is None:
            missing.append(f"managed policy {parn} of permission set {ps.name}")
        else:
            identity.append(p)
    for ref in ps.customer_managed:
        p = snapshot.managed(ref.arn_in(account))
        if p is None:
            missing.append(f"customer managed policy {ref.path}{ref.name} in {account} (permission set {ps.name})")
        else:
            identity.append(p)
    if ps.inline_policy is not None:
        identity.append(
            Policy(PolicyRef(PolicyKind.INLINE, "AwsSSOInlinePolicy", ps.name, owner=ps.arn), ps.inline_policy)
        )
    boundaries: list[Policy] = []
    if ps.boundary_managed:
        b = snapshot.managed(ps.boundary_managed, kind=PolicyKind.BOUNDARY)
        if b is None:
            missing.append(f"permissions boundary {ps.boundary_managed} of permission set {ps.name}")
        else:
            boundaries.append(b)
    if ps.boundary_customer is not None:
        b = snapshot.managed(ps.boundary_customer.arn_in(account), kind=PolicyKind.BOUNDARY)
        if b is None:
            missing.append(f"customer managed boundary {ps.boundary_customer.name} in {account}")
        else:
            boundaries.append(b)
    return (
        PolicySet(
            identity=tuple(identity),
            boundaries=tuple(boundaries),
            scps=snapshot.scp_levels(account),
            rcps=snapshot.rcp_levels(account),
        ),
        tuple(missing),
    )


def ps_admin_in(graph: IamGraph, ps: PermissionSet, account: str) -> tuple[AdminStatus, tuple[str, ...]]:
    """Is a role of `ps` admin in `account` (its SCPs apply)? Missing policies make a positive
    answer potential only if the known policies do not already suffice; an unread permissions
    boundary always does (it can only take permissions away)."""
    cache = graph.__dict__.setdefault("_ps_admin", {})
    key = (ps.arn, account)
    if key not in cache:
        pset, missing = ps_policies(graph.snapshot, ps, account)
        view = admin_of(graph, account)
        view.policies = pset
        status = admin_status(view)
        # a boundary that cannot be read may only restrict: never definite admin behind it
        unread_boundary = (bool(ps.boundary_managed) + (ps.boundary_customer is not None)) > len(pset.boundaries)
        if status.definite and unread_boundary:
            status = AdminStatus(Decision.UNKNOWN, status.grants)
        cache[key] = (status, () if status.definite else missing)
    return cache[key]


def _sources(graph: IamGraph, ctx: AccountIndex, ic: IdentityCenter) -> list[PrincipalView]:
    org = graph.snapshot.organization
    accts = [ic.owner_account, *(org.delegated(SSO_SERVICE) if org else ())]
    out = [v for v in ctx.views.values() if v.account in accts and not ctx.admin(v.arn).definite]
    for a in accts[1:]:
        if a in graph.admin_sinks:
            out.append(admin_of(graph, a))  # the delegated administrator account's admin
    return sorted(out, key=lambda v: v.arn)


def _users_of_ps(ic: IdentityCenter, ps_arn: str, account: str) -> set[str]:
    """Identity-store users who hold `ps_arn` in `account` (directly or through a group)."""
    members: dict[str, set[str]] = {}
    for m in ic.memberships:
        members.setdefault(m.group_id, set()).add(m.user_id)
    out: set[str] = set()
    for a in ic.assignments:
        if a.permission_set_arn == ps_arn and a.account_id == account:
            out |= {a.principal_id} if a.principal_type is IdcPrincipalType.USER else members.get(a.principal_id, set())
    return out


def _session_users(ic: IdentityCenter, src: PrincipalView) -> set[str]:
    """Users who can be `src` when it is a permission-set role: the attacker is one of them."""
    if not is_sso_role(src.arn):
        return set()
    for ps in ic.permission_sets:
        if src.name.startswith(sso_role_name_prefix(ps.name)):
            return _users_of_ps(ic, ps.arn, src.account)
    return set()


def _grants(ctx: AccountIndex, src: PrincipalView, action: str, resources: tuple[str, ...]) -> tuple[Grant, ...] | None:
    out = []
    for r in resources:
        g = ctx.grant(src, action, r) if src.arn in ctx.views else _direct(src, action, r)
        if g is None:
            return None
        out.append(g)
    return tuple(out)


def _direct(src: PrincipalView, action: str, resource: str) -> Grant | None:
    res = src.can(action, resource)
    return Grant(action, resource, res) if res.possible else None


def _techniques(graph: IamGraph, ctx: AccountIndex, ic: IdentityCenter) -> None:
    org = graph.snapshot.organization
    mgmt = org.management_account if org and org.management_account else ic.owner_account
    inst = ic.instance_arn
    store = f"arn:aws:identitystore::{ic.owner_account}:identitystore/{ic.identity_store_id}"
    targets = sorted(graph.admin_sinks)
    admin_ps = [
        p
        for p in ic.permission_sets
        if ps_admin_in(graph, p, ic.owner_account)[0].possible
        or any(ps_admin_in(graph, p, t)[0].possible for t in p.provisioned_accounts)
    ]
    group_targets = sorted(
        {
            a.principal_id
            for a in ic.assignments
            if a.principal_type is IdcPrincipalType.GROUP and ic.permission_set(a.permission_set_arn) in admin_ps
        }
    )
    for src in _sources(graph, ctx, ic):
        node = src.arn if src.arn in graph.g else graph.admin_sink(src.account)
        delegated = src.account != ic.owner_account
        mine = _session_users(ic, src)
        identity_missing = () if mine else (NEEDS_IDENTITY,)
        # 1. assign an admin-capable permission set to oneself in any account
        if src.may("sso:CreateAccountAssignment"):
            for ps in admin_ps:
                for t in targets:
                    if delegated and t == mgmt:
                        continue  # a delegated administrator cannot assign in the management account
                    status, missing = ps_admin_in(graph, ps, t)
                    if not status.possible:
                        continue
                    gs = _grants(ctx, src, "sso:CreateAccountAssignment", (inst, ps.arn, f"arn:aws:sso:::account/{t}"))
                    if gs is None:
                        continue
                    graph.add_edge(
                        node,
                        graph.admin_sink(t),
                        Evidence(
                            "sso-create-account-assignment",
                            EdgeKind.SELF_ESCALATION,
                            gs + status.grants[:1],
                            missing=identity_missing + missing,
                            via=ps.arn,
                            note=f"assign permission set {ps.name} in {t} to an identity one controls",
                        ),
                    )
        # 2. edit a permission set one already holds, then provision it
        if any(src.may(a) for a in EDIT_ACTIONS):
            for ps in ic.permission_sets:
                for t in sorted(
                    set(ps.provisioned_accounts)
                    | {a.account_id for a in ic.assignments if a.permission_set_arn == ps.arn}
                ):
                    if t not in graph.admin_sinks or (delegated and t == mgmt):
                        continue
                    edit = next(
                        (
                            gs
                            for a in EDIT_ACTIONS
                            if src.may(a) and (gs := _grants(ctx, src, a, (inst, ps.arn))) is not None
                        ),
                        None,
                    )
                    if edit is None:
                        continue
                    holder = bool(mine & _users_of_ps(ic, ps.arn, t))
                    inject = admin_of(graph, t)
                    inject.policies = PolicySet(identity=(INJECTED_ADMIN,), scps=graph.snapshot.scp_levels(t))
                    if not admin_status(inject).possible:
                        continue  # the account's SCPs keep even `*` from being admin
                    prov = _grants(ctx, src, "sso:ProvisionPermissionSet", (inst, ps.arn))
                    missing = (
                        ()
                        if holder
                        else (
                            "an Identity Center identity assigned permission set "
                            f"{ps.name} in {t} that the attacker can sign in as",
                        )
                    )
                    if prov is None:
                        missing += (
                            "sso:ProvisionPermissionSet: the edit reaches the roles only at the next "
                            "provisioning (delayed)",
                        )
                    graph.add_edge(
                        node,
                        graph.admin_sink(t),
                        Evidence(
                            "sso-edit-permission-set",
                            EdgeKind.SELF_ESCALATION,
                            edit + (prov or ()),
                            missing=missing,
                            via=ps.arn,
                            note=f"make permission set {ps.name} grant * on *, then use its role in {t}",
                        ),
                    )
        # 3. create a permission set, give it * on *, assign it
        if src.may("sso:CreatePermissionSet") and src.may("sso:CreateAccountAssignment"):
            new_ps = f"arn:aws:sso:::permissionSet/{ic.instance_id}/ps-iamgraphnew"
            create = _grants(ctx, src, "sso:CreatePermissionSet", (inst, new_ps))
            put = next(
                (
                    gs
                    for a in ("sso:PutInlinePolicyToPermissionSet", "sso:AttachManagedPolicyToPermissionSet")
                    if (gs := _grants(ctx, src, a, (inst, new_ps))) is not None
                ),
                None,
            )
            if create is not None and put is not None:
                for t in targets:
                    if delegated and t == mgmt:
                        continue
                    assign = _grants(
                        ctx, src, "sso:CreateAccountAssignment", (inst, new_ps, f"arn:aws:sso:::account/{t}")
                    )
                    inject = admin_of(graph, t)
                    inject.policies = PolicySet(identity=(INJECTED_ADMIN,), scps=graph.snapshot.scp_levels(t))
                    if assign is None or not admin_status(inject).possible:
                        continue
                    graph.add_edge(
                        node,
                        graph.admin_sink(t),
                        Evidence(
                            "sso-create-permission-set",
                            EdgeKind.SELF_ESCALATION,
                            create + put + assign,
                            missing=identity_missing,
                            via=new_ps,
                            note=f"create a permission set allowing * on *, assign it in {t} to an identity one controls",
                        ),
                    )
        # 4. join a group that holds an admin-capable assignment
        if src.may("identitystore:CreateGroupMembership"):
            for gid in group_targets:
                gnode = idc_group_node(gid)
                gs = _grants(
                    ctx, src, "identitystore:CreateGroupMembership", (store, f"arn:aws:identitystore:::group/{gid}")
                )
                if gs is None or gnode not in graph.g:
                    continue
                graph.add_edge(
                    node,
                    gnode,
                    Evidence(
                        "idc-group-membership",
                        EdgeKind.PRINCIPAL_ACCESS,
                        gs,
                        missing=identity_missing,
                        via=gnode,
                        note="add a user one controls to this group, which holds an admin-capable assignment",
                    ),
                )
