"""Provisioning: create a new user/role, grant it admin, and use it — unless a boundary keeps it low."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...evaluate.matching import resource_matches
from ...evaluate.types import ContextValue, PolicySet
from ...model import Effect, NodeKind, Policy
from ..account_index import AccountIndex
from ..admin import INJECTED_ADMIN, admin_status
from ..base import ADMIN_NODE, Proposal, Technique
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView
from ..resources import candidate_resources
from ..target_grants import conditional_keys
from .access import assume_after_rewrite

PB = "iam:PermissionsBoundary"


def boundary_candidates(ctx: AccountIndex, src: PrincipalView, action: str) -> list[str]:
    """Boundary policy ARNs that conditions on `iam:PermissionsBoundary` in the source's Allow
    statements for `action` name (patterns expanded against the snapshot's managed policies)."""
    from ...evaluate.matching import statement_matches_action

    out: list[str] = []
    for p in src.policies.identity:
        for s in p.document.statements:
            if s.effect is not Effect.ALLOW or not statement_matches_action(s, action):
                continue
            for c in s.conditions:
                if c.key.lower() != PB.lower():
                    continue
                for v in c.values:
                    if "*" in v or "?" in v:
                        out.extend(a for a in ctx.snapshot.policies if resource_matches(v, a))
                    else:
                        out.append(v)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Provisioning(Technique):
    """Create a principal of kind `entity` (NodeKind.USER or NodeKind.ROLE) and grant it admin."""

    entity: NodeKind = NodeKind.USER

    def __post_init__(self) -> None:
        entity = NodeKind(self.entity)
        if entity not in (NodeKind.USER, NodeKind.ROLE):
            raise ValueError(f"{self.id}: entity must be user or role, not {entity.value}")
        object.__setattr__(self, "entity", entity)

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        kind = "User" if self.entity is NodeKind.USER else "Role"
        create = f"iam:Create{kind}"
        if not src.may(create):
            return
        template = f"arn:aws:iam::{{account}}:{self.entity.value}/iamgraph-new"
        for new_arn in candidate_resources(src, create, template):
            for boundary_arn in [None, *boundary_candidates(ctx, src, create)]:
                prop = self._try(ctx, src, kind, new_arn, boundary_arn)
                if prop is not None:
                    yield prop
                    return

    def _try(
        self, ctx: AccountIndex, src: PrincipalView, kind: str, new_arn: str, boundary_arn: str | None
    ) -> Proposal | None:
        pb_ctx = {PB: boundary_arn} if boundary_arn else {}
        pb_absent = frozenset() if boundary_arn else frozenset({PB.lower()})
        create = ctx.grant(src, f"iam:Create{kind}", new_arn, context=pb_ctx, absent=pb_absent)
        if create is None:
            return None
        grant_step = self._grant_admin(ctx, src, kind, new_arn, pb_ctx, pb_absent)
        if grant_step is None:
            return None
        use = self._use(ctx, src, new_arn)
        if use is None:
            return None
        boundary: tuple[Policy, ...] = ()
        escape: tuple[Grant, ...] = ()
        if boundary_arn:
            b = ctx.snapshot.managed(boundary_arn)
            if b is None:
                return None  # unknown boundary: cannot claim escalation
            boundary = (b,)
            esc = ctx.grant(src, f"iam:Delete{kind}PermissionsBoundary", new_arn, context=pb_ctx)
            if esc is not None:
                boundary, escape = (), (esc,)
        status = admin_status(_synthetic(src, new_arn, boundary))
        if not status.possible:
            return None
        note = (
            "new principal is unbounded"
            if not boundary
            else f"new principal bounded by {boundary_arn}, which allows admin"
        )
        return Proposal(
            ADMIN_NODE,
            Evidence(
                self.id,
                EdgeKind.SELF_ESCALATION,
                (create, *grant_step, *escape, *use),
                via=new_arn,
                extra_conditions=conditional_keys(status),
                note=note,
            ),
        )

    def _grant_admin(
        self, ctx: AccountIndex, src: PrincipalView, kind: str, arn: str, pb_ctx: dict, pb_absent: frozenset[str]
    ) -> tuple[Grant, ...] | None:
        g = ctx.grant(src, f"iam:Put{kind}Policy", arn, context=pb_ctx, absent=pb_absent)
        if g is not None:
            return (g,)
        for pa in ctx.admin_policy_arns:
            g = ctx.grant(
                src, f"iam:Attach{kind}Policy", arn, context={**pb_ctx, "iam:PolicyARN": pa}, absent=pb_absent
            )
            if g is not None:
                return (g,)
        return None

    def _use(self, ctx: AccountIndex, src: PrincipalView, arn: str) -> tuple[Grant, ...] | None:
        if self.entity is NodeKind.ROLE:
            a = assume_after_rewrite(src, arn)  # the attacker writes the trust policy at creation
            return (a,) if a is not None else None
        for action in ("iam:CreateAccessKey", "iam:CreateLoginProfile"):
            g = ctx.grant(src, action, arn, absent=frozenset({PB.lower()}))
            if g is not None:
                return (g,)
        return None


def _synthetic(src: PrincipalView, arn: str, boundary: tuple[Policy, ...]) -> PrincipalView:
    pset = PolicySet(identity=(INJECTED_ADMIN,), boundaries=boundary, scps=src.policies.scps)
    kind = NodeKind.USER if ":user/" in arn else NodeKind.ROLE
    ctx: dict[str, ContextValue] = {"aws:PrincipalArn": arn, "aws:PrincipalAccount": src.account}
    return PrincipalView(arn, kind, arn.rsplit("/", 1)[-1], pset, ctx, frozenset())
