"""Two-step principal access: make another principal admin, then become it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...evaluate.types import Decision
from ..base import ADMIN_NODE, Proposal, Technique
from ..context import BuildContext
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView
from ..targets import admin_after, attached_policy_arns, conditional_keys, granted_on, version_slot
from .access import assume_after_rewrite

MODIFY_VERBS = {"attach-policy": "Attach", "put-policy": "Put"}
ACCESS_ACTIONS = {"assume": "sts:AssumeRole", "update-trust": "iam:UpdateAssumeRolePolicy",
                  "access-key": "iam:CreateAccessKey"}


def modify_action(modify: str, target_kind: str) -> str:
    """The IAM action of a `modify` kind on a `target_kind` ("role"/"user") principal."""
    if modify == "create-policy-version":
        return "iam:CreatePolicyVersion"
    if modify not in MODIFY_VERBS:
        raise ValueError(f"modify must be one of create-policy-version, {', '.join(MODIFY_VERBS)}")
    return f"iam:{MODIFY_VERBS[modify]}{target_kind.capitalize()}Policy"


@dataclass(frozen=True)
class AccessAndModify(Technique):
    """`modify` grants admin to a target principal, `access` lets the source become it.

    modify: "attach-policy" | "put-policy" | "create-policy-version" (role or user per `target_kind`)
    access: "assume" | "update-trust" | "access-key"
    """

    target_kind: str = "role"
    modify: str = "attach-policy"
    access: str = "assume"

    def propose(self, ctx: BuildContext, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        pool = ctx.roles_in(src.account) if self.target_kind == "role" else ctx.users_in(src.account)
        targets = [arn for arn in pool if arn != src.arn]
        if self.modify != "create-policy-version":
            verb = "Put" if self.modify == "put-policy" else "Attach"
            kind = "Role" if self.target_kind == "role" else "User"
            cands = ctx.candidates(src, f"iam:{verb}{kind}Policy", list(pool), f"{self.target_kind}s:{src.account}")
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
                yield Proposal(ADMIN_NODE, Evidence(self.id, EdgeKind.PRINCIPAL_ACCESS, (*mod, *acc), via=arn,
                                                    extra_conditions=conditional_keys(status),
                                                    note=f"grants admin to {arn} and becomes it"))

    def _modify(self, ctx: BuildContext, src: PrincipalView, arn: str) -> tuple[Grant, ...] | None:
        kind = "Role" if self.target_kind == "role" else "User"
        if self.modify == "put-policy":
            g = next(iter(granted_on(ctx, src, f"iam:Put{kind}Policy", [arn])), None)
            return (g[1],) if g else None
        if self.modify == "attach-policy":
            for pa, before in ctx.attachable_admin_policies(src):
                g = next(iter(granted_on(ctx, src, f"iam:Attach{kind}Policy", [arn], context={"iam:PolicyARN": pa})), None)
                if g:
                    return (*before, g[1])
            return None
        customer = [a for a in attached_policy_arns(ctx, arn) if ":iam::aws:policy/" not in a]
        for pa, g1 in granted_on(ctx, src, "iam:CreatePolicyVersion", customer):
            slot = version_slot(ctx, src, pa)
            if slot is not None:
                return (g1, *slot)
        return None

    def _access(self, ctx: BuildContext, src: PrincipalView, arn: str) -> tuple[Grant, ...] | None:
        if self.access == "assume":
            role = ctx.snapshot.roles[arn]
            res = ctx.assume(src, role)
            return (Grant("sts:AssumeRole", arn, res),) if res.decision in (Decision.ALLOWED, Decision.UNKNOWN) else None
        if self.access == "update-trust":
            g = ctx.grant(src, "iam:UpdateAssumeRolePolicy", arn)
            a = assume_after_rewrite(src, arn) if g else None
            return (g, a) if g and a else None
        g = ctx.grant(src, "iam:CreateAccessKey", arn)
        return (g,) if g else None
