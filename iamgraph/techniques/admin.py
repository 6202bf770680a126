"""Who is admin: allowed `*` on `*` without an unresolved condition (probed, not pattern-matched)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from ..evaluate.engine import evaluate
from ..evaluate.special_rules import special_decision
from ..evaluate.types import Decision, PolicySet, Request, Result
from ..model import Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Statement
from ..model.slot_init import slot_init
from .doc_actions import doc_actions
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


@slot_init
@dataclass(frozen=True, slots=True)
class AdminStatus:
    decision: Decision  # ALLOWED: admin; UNKNOWN: admin only under conditions; else not
    grants: tuple[Grant, ...]

    @property
    def definite(self) -> bool:
        return self.decision is Decision.ALLOWED

    @property
    def possible(self) -> bool:
        return self.decision in (Decision.ALLOWED, Decision.UNKNOWN)


_NEVER = AdminStatus(Decision.IMPLICIT_DENY, ())  # immutable: one object for every "never admin"


def admin_status(
    view: PrincipalView, *, policies: PolicySet | None = None, ask: Callable[[str, str], Result] | None = None
) -> AdminStatus:
    """Probe `view` (optionally with another policy set) for admin on `*`; `ask(action, resource)`:
    what answers `view.can(action, resource)` when `policies` is None (e.g. a shared memo)."""
    grants: list[Grant] = []
    pset = policies or view.policies
    for action in PROBES:
        if never_allowed(pset, action):
            # what the evaluator answers, without asking it (most principals: the first probe)
            return _NEVER
        res = ask(action, "*") if ask is not None and policies is None else view.can(action, "*", policies=policies)
        if res.decision in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY):
            return AdminStatus(res.decision, ())
        # the made-up probe stands for "any action": cite it as "*" in evidence
        grants.append(Grant("*" if action == PROBES[0] else action, "*", res))
    cond = tuple(g for g in grants if g.conditional)
    return AdminStatus(combine([g.result for g in grants]), cond or tuple(grants[:1]))


def never_allowed(pset: PolicySet, action: str) -> bool:
    """True when `action` on `*` by a user or role holding `pset` is Implicitly denied in every
    context: no identity Allow names it (nothing else can grant on `*`: no resource policy), no
    Deny of any policy names it (so no context makes it an explicit deny) and AWS has no fixed
    answer for it (special_rules). A quick test of the statements' actions only; False: "ask"."""
    if pset.resource is not None or _has_fixed_answer(action):
        return False
    # one pass per policy over the documents' indexes (plain loops: this runs once per principal)
    for p in pset.identity:
        d = doc_actions(p.document)
        known = d.answers.get(action)  # `may`'s memo first (most documents answered it already)
        if (known if known is not None else d.may(action)) or (d.deny and d.denies(action)):
            return False
    for p in pset.boundaries:
        if _denies(p, action):
            return False
    if pset.session is not None and _denies(pset.session, action):
        return False
    for levels in (pset.scps, pset.rcps):
        for level in levels:
            for p in level:
                if _denies(p, action):
                    return False
    return True


def _denies(policy: Policy, action: str) -> bool:
    """Does a Deny statement of the policy's document name `action` (DocActions.denies)?"""
    d = doc_actions(policy.document)
    return bool(d.deny) and d.denies(action)


@lru_cache(maxsize=256)
def _has_fixed_answer(action: str) -> bool:
    """AWS decides `action` on `*` by a user or role without the policies (pure: a bounded cache)."""
    return special_decision(action.lower(), "*", False) is not None


def with_extra_identity(view: PrincipalView, *extra: Policy, boundaries: tuple[Policy, ...] | None = None) -> PolicySet:
    """The view's policy set with extra identity policies (and optionally other boundaries)."""
    p = view.policies
    return replace(p, identity=p.identity + extra, boundaries=p.boundaries if boundaries is None else boundaries)


def document_is_admin(doc: PolicyDocument) -> bool:
    """A document that by itself allows `*` on `*` without conditions (used to spot admin-granting
    managed policies): probed like a principal, so split forms ("NotAction iam:*" + "iam:*") count."""
    broad = False
    for s in doc.statements:
        if s.effect is not Effect.ALLOW or s.conditions:
            continue
        if s.actions is not None and "*" in s.actions and s.resources and "*" in s.resources:
            broad = True
            break
        if (s.not_actions is not None or any("*" in a for a in s.actions or ())) and (
            s.not_resources or "*" in (s.resources or ())
        ):
            broad = True
    if not broad:
        return False  # fast path: no statement could grant every action
    policy = Policy(PolicyRef(PolicyKind.CUSTOM, "iamgraph:probe", "probe"), doc)
    pset = PolicySet(identity=(policy,))
    for action in PROBES:
        req = Request(
            principal_arn="arn:aws:iam::000000000000:user/iamgraph-probe", action=action, resource="*", open_world=True
        )
        if evaluate(req, pset).decision is not Decision.ALLOWED:
            return False
    return True
