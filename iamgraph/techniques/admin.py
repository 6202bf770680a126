"""Who is admin: allowed `*` on `*` without an unresolved condition (probed, not pattern-matched)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..evaluate.types import Decision, PolicySet
from ..model import Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Statement
from .evidence import Grant, combine
from .principal import PrincipalView

# A made-up action stands for "any action": only `*`-style grants (Action "*", NotAction, "svc:*" of
# every service) allow it. The named probes catch denies that target the dangerous services.
PROBES: tuple[str, ...] = (
    "iamgraphprobe:AnyAction",
    "iam:PutRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:PassRole",
    "sts:AssumeRole",
    "ec2:RunInstances",
    "lambda:CreateFunction",
    "s3:GetObject",
    "kms:Decrypt",
    "organizations:DescribeOrganization",
)

ADMIN_POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"

INJECTED_ADMIN = Policy(
    PolicyRef(PolicyKind.CUSTOM, "iamgraph:policy-the-attacker-writes", "policy the attacker writes"),
    PolicyDocument("2012-10-17", (Statement(effect=Effect.ALLOW, index=0, actions=("*",), resources=("*",)),)),
)


@dataclass(frozen=True, slots=True)
class AdminStatus:
    decision: Decision           # ALLOWED: admin; UNKNOWN: admin only under conditions; else not
    grants: tuple[Grant, ...]

    @property
    def definite(self) -> bool:
        return self.decision is Decision.ALLOWED

    @property
    def possible(self) -> bool:
        return self.decision in (Decision.ALLOWED, Decision.UNKNOWN)


def admin_status(view: PrincipalView, *, policies: PolicySet | None = None) -> AdminStatus:
    """Probe `view` (optionally with another policy set) for admin on `*`."""
    grants: list[Grant] = []
    for action in PROBES:
        res = view.can(action, "*", policies=policies)
        if res.decision in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY):
            return AdminStatus(res.decision, ())
        # the made-up probe stands for "any action": cite it as "*" in evidence
        grants.append(Grant("*" if action == PROBES[0] else action, "*", res))
    cond = tuple(g for g in grants if g.conditional)
    return AdminStatus(combine([g.result for g in grants]), cond or tuple(grants[:1]))


def with_extra_identity(view: PrincipalView, *extra: Policy, boundaries: tuple[Policy, ...] | None = None) -> PolicySet:
    """The view's policy set with extra identity policies (and optionally other boundaries)."""
    p = view.policies
    return replace(p, identity=p.identity + extra, boundaries=p.boundaries if boundaries is None else boundaries)


def document_is_admin(doc: PolicyDocument) -> bool:
    """A document that by itself allows `*` on `*` (used to spot admin-granting managed policies)."""
    for s in doc.statements:
        if s.effect is Effect.ALLOW and not s.conditions and s.actions and "*" in s.actions \
                and s.resources and "*" in s.resources:
            return True
    return False
