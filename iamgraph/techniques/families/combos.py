"""Two-step principal access: make another principal admin, then become it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from ...evaluate.types import Decision
from ..account_index import AccountIndex
from ..base import ADMIN_NODE, Proposal, Technique
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView
from ..target_grants import admin_after, attached_policy_arns, conditional_keys, granted_on, version_slot
from .access import assume_after_rewrite


class TargetKind(str, Enum):
    """The kind of principal a two-step technique makes admin."""

    ROLE = "role"
    USER = "user"


class Modify(str, Enum):
    """How the target is made admin."""

    ATTACH_POLICY = "attach-policy"
    PUT_POLICY = "put-policy"
    CREATE_POLICY_VERSION = "create-policy-version"


class Access(str, Enum):
    """How the source then becomes the target."""

    ASSUME = "assume"
    UPDATE_TRUST = "update-trust"
    ACCESS_KEY = "access-key"


MODIFY_VERBS = {Modify.ATTACH_POLICY: "Attach", Modify.PUT_POLICY: "Put"}
ACCESS_ACTIONS = {
    Access.ASSUME: "sts:AssumeRole",
    Access.UPDATE_TRUST: "iam:UpdateAssumeRolePolicy",
    Access.ACCESS_KEY: "iam:CreateAccessKey",
}


def modify_action(modify: Modify | str, target_kind: TargetKind | str) -> str:
    """The IAM action of a `modify` kind on a `target_kind` principal (ValueError for other values)."""
    m, kind = Modify(modify), TargetKind(target_kind)
    if m is Modify.CREATE_POLICY_VERSION:
        return "iam:CreatePolicyVersion"
    return f"iam:{MODIFY_VERBS[m]}{kind.value.capitalize()}Policy"


_MODIFY_ACTION = {(m, k): modify_action(m, k) for m in Modify for k in TargetKind}


@dataclass(frozen=True)
class AccessAndModify(Technique):
    """`modify` grants admin to a target principal (role or user per `target_kind`), `access` lets
    the source become it."""

    target_kind: TargetKind = TargetKind.ROLE
    modify: Modify = Modify.ATTACH_POLICY
    access: Access = Access.ASSUME

    def __post_init__(self) -> None:
        # accept the spec files' strings; reject anything outside the closed sets
        object.__setattr__(self, "target_kind", TargetKind(self.target_kind))
        object.__setattr__(self, "modify", Modify(self.modify))
        object.__setattr__(self, "access", Access(self.access))

    @property
    def modify_action(self) -> str:
        """The IAM action of the modify step (e.g. iam:AttachRolePolicy)."""
        return _MODIFY_ACTION[self.modify, self.target_kind]

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        pool = ctx.roles_in(src.account) if self.target_kind is TargetKind.ROLE else ctx.users_in(src.account)
        targets = [arn for arn in pool if arn != src.arn]
        if self.modify is not Modify.CREATE_POLICY_VERSION:
            cands = ctx.candidates(
                src,
                self.modify_action,
                list(pool),
                f"{self.target_kind.value}s:{src.account}",
            )
            if cands is not None:
                targets = [a for a in targets if a in cands]
        for arn in targets:
            if ctx.admin(arn).definite:
                continue  # plain access to an admin is reported by the access technique itself
            mod = self._modify(ctx, src, arn)
            if mod is None:
                continue
            acc = self._access(ctx, src, arn)
            if acc is None:
                continue
            status = admin_after(ctx, ctx.views[arn])
            if status.possible:
                yield Proposal(
                    ADMIN_NODE,
                    Evidence(
                        self.id,
                        EdgeKind.PRINCIPAL_ACCESS,
                        (*mod, *acc),
                        via=arn,
                        extra_conditions=conditional_keys(status),
                        note=f"grants admin to {arn} and becomes it",
                    ),
                )

    def _modify(self, ctx: AccountIndex, src: PrincipalView, arn: str) -> tuple[Grant, ...] | None:
        action = self.modify_action
        if not src.may(action):
            return None  # granted_on yields nothing for an action no Allow names
        if self.modify is Modify.PUT_POLICY:
            g = next(iter(granted_on(ctx, src, action, [arn])), None)
            return (g[1],) if g else None
        if self.modify is Modify.ATTACH_POLICY:
            for pa, before in ctx.attachable_admin_policies(src):
                g = next(iter(granted_on(ctx, src, action, [arn], context={"iam:PolicyARN": pa})), None)
                if g:
                    return (*before, g[1])
            return None
        customer = [a for a in attached_policy_arns(ctx, arn) if ":iam::aws:policy/" not in a]
        for pa, g1 in granted_on(ctx, src, "iam:CreatePolicyVersion", customer):
            slot = version_slot(ctx, src, pa)
            if slot is not None:
                return (g1, *slot)
        return None

    def _access(self, ctx: AccountIndex, src: PrincipalView, arn: str) -> tuple[Grant, ...] | None:
        if self.access is Access.ASSUME:
            role = ctx.snapshot.roles[arn]
            res = ctx.assume(src, role)
            return (
                (Grant("sts:AssumeRole", arn, res),) if res.decision in (Decision.ALLOWED, Decision.UNKNOWN) else None
            )
        if self.access is Access.UPDATE_TRUST:
            g = ctx.grant(src, "iam:UpdateAssumeRolePolicy", arn)
            a = assume_after_rewrite(src, arn) if g else None
            return (g, a) if g and a else None
        g = ctx.grant(src, "iam:CreateAccessKey", arn)
        return (g,) if g else None
