"""Self-escalation: the principal edits its own permissions (policies, groups, boundary)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ...evaluate.types import ContextValue, Decision
from ...model import NodeKind, Policy, PolicyKind, PolicyRef
from ...model.arn import account_of
from ..account_index import AccountIndex
from ..admin import INJECTED_ADMIN
from ..base import ADMIN_NODE, Proposal, Technique
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView
from ..target_grants import admin_after, attached_policy_arns, conditional_keys, granted_on, version_slot


def _edge(
    t: Technique, grants: tuple[Grant, ...], status_keys: tuple[str, ...], via: str | None = None, note: str = ""
) -> Proposal:
    return Proposal(
        ADMIN_NODE, Evidence(t.id, EdgeKind.SELF_ESCALATION, grants, via=via, note=note, extra_conditions=status_keys)
    )


@dataclass(frozen=True)
class EditOwnPolicy(Technique):
    """Put/attach a policy on itself or one of its groups, or rewrite a managed policy it holds.

    `target` is one of: "self-user", "self-role", "own-groups", "attached-policies".
    With `attach=True` the request carries `iam:PolicyARN` of an admin-granting managed policy.
    """

    target: str = "self-user"
    attach: bool = False

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        action = self.actions[0]
        if not src.may(action):
            return
        if self.target == "self-user" and src.kind is not NodeKind.USER:
            return
        if self.target == "self-role" and src.kind is not NodeKind.ROLE:
            return
        if self.target in ("self-user", "self-role"):
            resources = [src.arn]
        elif self.target == "own-groups":
            user = ctx.snapshot.users.get(src.arn)
            resources = [g.arn for g in ctx.snapshot.groups_of(user)] if user else []
        else:  # attached customer-managed policies (identity and boundary)
            resources = [a for a in attached_policy_arns(ctx, src.arn) if ":iam::aws:policy/" not in a]
            b = ctx.snapshot.users.get(src.arn) or ctx.snapshot.roles.get(src.arn)
            if b is not None and b.permissions_boundary_arn and ":iam::aws:policy/" not in b.permissions_boundary_arn:
                resources.append(b.permissions_boundary_arn)
        for res, grant, before in self._grants(ctx, src, action, dict.fromkeys(resources)):
            grants: tuple[Grant, ...] = (*before, grant)
            if self.target == "attached-policies":
                slot = version_slot(ctx, src, res) if action == "iam:CreatePolicyVersion" else ()
                if slot is None:
                    continue  # five versions already and no iam:DeletePolicyVersion
                grants += slot
                is_boundary = any(p.ref.id == res for p in src.policies.boundaries)
                is_identity = any(p.ref.id == res for p in src.policies.identity)
                if is_boundary:
                    # the new version rewrites the boundary (and the identity policy, when it is both)
                    status = admin_after(
                        ctx,
                        src,
                        add=(INJECTED_ADMIN,) if is_identity else (),
                        remove_policy=res if is_identity else None,
                        boundaries=tuple(p for p in src.policies.boundaries if p.ref.id != res) + (INJECTED_ADMIN,),
                    )
                else:
                    status = admin_after(ctx, src, remove_policy=res)
            else:
                status = admin_after(ctx, src)
            if status.possible:
                yield _edge(self, grants, conditional_keys(status), via=res)
                return

    def _grants(
        self, ctx: AccountIndex, src: PrincipalView, action: str, resources: Iterable[str]
    ) -> Iterable[tuple[str, Grant, tuple[Grant, ...]]]:
        """(resource, grant, grants needed first): with `attach`, the policy attached is an existing
        admin-granting one, or one the source creates itself (iam:CreatePolicy)."""
        if not self.attach:
            for res, grant in granted_on(ctx, src, action, resources):
                yield res, grant, ()
            return
        for res in resources:
            for policy_arn, before in ctx.attachable_admin_policies(src):
                hit = next(iter(granted_on(ctx, src, action, [res], context={"iam:PolicyARN": policy_arn})), None)
                if hit is not None:
                    yield hit[0], hit[1], before
                    break


@dataclass(frozen=True)
class SetDefaultVersion(Technique):
    """Make an older, more permissive version of a policy it holds the default."""

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not src.may("iam:SetDefaultPolicyVersion"):
            return
        arns = [a for a in attached_policy_arns(ctx, src.arn) if ":iam::aws:policy/" not in a]
        for res, grant in granted_on(ctx, src, "iam:SetDefaultPolicyVersion", arns):
            mp = ctx.snapshot.policies.get(res)
            if mp is None:
                continue
            for v in mp.versions:
                if v.is_default:
                    continue
                alt = Policy(PolicyRef(PolicyKind.MANAGED, mp.arn, mp.name, version_id=v.version_id), v.document)
                status = admin_after(ctx, src, add=(alt,), remove_policy=res)
                if status.possible:
                    yield _edge(
                        self,
                        (grant,),
                        conditional_keys(status),
                        via=f"{res}?version={v.version_id}",
                        note=f"version {v.version_id} grants admin",
                    )
                    return


@dataclass(frozen=True)
class AddSelfToGroup(Technique):
    """Add itself to a group whose policies make it admin."""

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        user = ctx.snapshot.users.get(src.arn)
        if user is None or not src.may("iam:AddUserToGroup"):
            return
        own = {g.arn for g in ctx.snapshot.groups_of(user)}
        others = [g.arn for g in ctx.snapshot.groups.values() if g.arn not in own and account_of(g.arn) == src.account]
        for res, grant in granted_on(ctx, src, "iam:AddUserToGroup", sorted(others)):
            group = ctx.snapshot.groups[res]
            extra = list(group.inline_policies)
            extra += [p for a in group.managed_policy_arns if (p := ctx.snapshot.managed(a)) is not None]
            status = admin_after(ctx, src, add=tuple(extra))
            if status.possible:
                yield _edge(self, (grant,), conditional_keys(status), via=res)
                return
            # or first give the group an admin policy (put inline / attach), then join it
            edit = _group_edit(ctx, src, res)
            if edit is not None:
                status = admin_after(ctx, src, add=(*extra, INJECTED_ADMIN))
                if status.possible:
                    yield _edge(
                        self,
                        (edit, grant),
                        conditional_keys(status),
                        via=res,
                        note="admin policy put on the group, then joined",
                    )
                    return


def _group_edit(ctx: AccountIndex, src: PrincipalView, group_arn: str) -> Grant | None:
    """iam:PutGroupPolicy, or iam:AttachGroupPolicy of an admin managed policy, on `group_arn`."""
    g = ctx.grant(src, "iam:PutGroupPolicy", group_arn)
    if g is not None:
        return g
    if not src.may_on("iam:AttachGroupPolicy", group_arn):
        return None
    for pa in ctx.admin_policy_arns:
        g = ctx.grant(src, "iam:AttachGroupPolicy", group_arn, context={"iam:PolicyARN": pa})
        if g is not None:
            return g
    return None


@dataclass(frozen=True)
class RemoveOwnBoundary(Technique):
    """Delete its own permissions boundary when its identity policies alone make it admin."""

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not src.policies.boundaries:
            return
        action = (
            "iam:DeleteUserPermissionsBoundary" if src.kind is NodeKind.USER else "iam:DeleteRolePermissionsBoundary"
        )
        if action not in self.actions:
            return
        for _res, grant in granted_on(ctx, src, action, [src.arn]):
            status = admin_after(ctx, src, add=(), boundaries=())
            if status.possible:
                yield _edge(self, (grant,), conditional_keys(status))
                continue
            # once unbounded, it may write itself an admin policy (allowed by identity policies alone)
            follow = _self_edit_unbounded(ctx, src)
            if follow is not None:
                status = admin_after(ctx, src, boundaries=())
                if status.possible:
                    yield _edge(
                        self,
                        (grant, follow),
                        conditional_keys(status),
                        note="boundary removed, then an admin policy written on itself",
                    )


def _self_edit_unbounded(ctx: AccountIndex, src: PrincipalView) -> Grant | None:
    """Put or attach (an admin managed policy) on its own user/role, with no boundary in the way."""
    kind = "User" if src.kind is NodeKind.USER else "Role"
    unbounded = replace(src.policies, boundaries=())
    attempts: list[tuple[str, dict[str, ContextValue] | None]] = [(f"iam:Put{kind}Policy", None)]
    attempts += [(f"iam:Attach{kind}Policy", {"iam:PolicyARN": pa}) for pa in ctx.admin_policy_arns]
    for action, context in attempts:
        if not src.may_on(action, src.arn):
            continue
        res = src.can(action, src.arn, context=context, policies=unbounded)
        if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
            return Grant(action, src.arn, res)
    return None


@dataclass(frozen=True)
class ReplaceOwnBoundary(Technique):
    """Swap its own permissions boundary for an admin-granting managed policy
    (iam:Put{User,Role}PermissionsBoundary with `iam:PermissionsBoundary` = that policy)."""

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not src.policies.boundaries:
            return  # unbounded principals gain nothing from setting a boundary
        kind = "User" if src.kind is NodeKind.USER else "Role"
        action = f"iam:Put{kind}PermissionsBoundary"
        if action not in self.actions or not src.may_on(action, src.arn):
            return
        for policy_arn in ctx.admin_policy_arns:
            new_boundary = ctx.snapshot.managed(policy_arn, kind=PolicyKind.BOUNDARY)
            if new_boundary is None:
                continue
            res = src.can(action, src.arn, context={"iam:PermissionsBoundary": policy_arn})
            if res.decision not in (Decision.ALLOWED, Decision.UNKNOWN):
                continue
            grant = Grant(action, src.arn, res)
            status = admin_after(ctx, src, add=(), boundaries=(new_boundary,))
            if status.possible:
                yield _edge(
                    self, (grant,), conditional_keys(status), via=policy_arn, note=f"boundary replaced by {policy_arn}"
                )
                return
