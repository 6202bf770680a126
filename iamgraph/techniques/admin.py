"""Who is admin: allowed `*` on `*` without an unresolved condition (probed, not pattern-matched)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from ..evaluate.attacker import actions_of, relevant
from ..evaluate.engine import evaluate, statements_for
from ..evaluate.matching import caller_facts
from ..evaluate.special_rules import special_decision
from ..evaluate.types import Decision, PolicySet, Request, Result
from ..model import Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Statement
from ..model.slot_init import slot_init
from .doc_actions import DocActions, doc_actions
from .evidence import Grant, combine
from .principal import PrincipalView, _lower_names

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
_DENIED = AdminStatus(Decision.EXPLICIT_DENY, ())  # the same for every explicit denial


def admin_status(
    view: PrincipalView, *, policies: PolicySet | None = None, ask: Callable[[str, str], Result] | None = None
) -> AdminStatus:
    """Probe `view` (optionally with another policy set) for admin on `*`; `ask(action, resource)`:
    what answers `view.can(action, resource)` when `policies` is None (e.g. a shared memo)."""
    grants: list[Grant] = []
    pset = policies or view.policies
    for action in PROBES:
        denying = _view_denials(view, pset, action)
        if denying is not None and not denying and _never_denied(pset, action):
            # never_allowed: what the evaluator answers, without asking it (most principals: the first probe)
            return _NEVER
        key = _denial_key(view, pset, action, denying) if denying is not None else None
        if key is not None:
            known = view.attacker.denials.get(key)  # type: ignore[union-attr]  # a key needs an attacker
            if known is not None:
                return _NEVER if known is Decision.IMPLICIT_DENY else _DENIED
        res = ask(action, "*") if ask is not None and policies is None else view.can(action, "*", policies=policies)
        if res.decision in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY):
            if key is not None:
                view.attacker.denials[key] = res.decision  # type: ignore[union-attr]
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
    denying = _identity_denials(pset, action)
    return denying is not None and not denying and _never_denied(pset, action)


_NO_DENIALS: tuple[DocActions, ...] = ()


def _identity_denials(pset: PolicySet, action: str) -> list[DocActions] | tuple[DocActions, ...] | None:
    """The indexes of `pset`'s identity documents with a Deny naming `action`, in order, when the
    identity policies cannot allow `action` on `*` (no resource policy, no fixed answer of AWS, no
    identity Allow naming it); None: they may allow it (or AWS decides it)."""
    if pset.resource is not None or _has_fixed_answer(action):
        return None
    docs = [doc_actions(p.document) for p in pset.identity]
    for d in docs:
        known = d.answers.get(action)  # `may`'s memo first (most documents answered it already)
        if known if known is not None else d.may(action):
            return None
    return _denying(docs, action)


def _view_denials(
    view: PrincipalView, pset: PolicySet, action: str
) -> list[DocActions] | tuple[DocActions, ...] | None:
    """`_identity_denials(pset, action)` read through the view's own indexes when `pset` holds
    its identity policies: its shared `may` memo, then its distinct documents (a document held
    twice counts once: it denies in both places or in neither)."""
    docs = view._docs
    if docs is None or view._docs_of is not pset.identity:
        return _identity_denials(pset, action)
    may = view._may.get(action)  # the shared memo first (`may`)
    if (may if may is not None else view.may(action)) or pset.resource is not None or _has_fixed_answer(action):
        return None
    return _denying(docs, action)


def _denying(docs: Iterable[DocActions], action: str) -> list[DocActions] | tuple[DocActions, ...]:
    """The indexes among `docs` with a Deny statement naming `action`, in order (`_NO_DENIALS`: none)."""
    out: list[DocActions] | None = None  # plain loop, no list for the many with none: once per principal
    for d in docs:
        if d.deny and d.denies(action):
            if out is None:
                out = [d]
            else:
                out.append(d)
    return out if out is not None else _NO_DENIALS


def _never_denied(pset: PolicySet, action: str) -> bool:
    """No Deny statement of the set's boundaries, session policy, SCPs or RCPs names `action`."""
    if not (pset.boundaries or pset.session is not None or pset.scps or pset.rcps):
        return True  # most sets: identity policies only
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


_MISSING = object()  # a key the view's own context does not hold (distinct from any value)


def _denial_key(
    view: PrincipalView, pset: PolicySet, action: str, denying: list[DocActions] | tuple[DocActions, ...]
) -> tuple[object, ...] | None:
    """What the decision of `view`'s request for `action` on `*` under `pset` reads when no
    identity Allow names the action (then the answer is a denial, explicit or implicit, whatever
    the citations): the request, the identity documents with a Deny naming it (`denying`, from
    `_identity_denials`; their statements by object), the other policies (boundaries, session,
    SCP and RCP levels, by document), the request scope and attacker model, the caller's facts
    and the values of the keys the consulted conditions read (as grant_share.SharedAnswers keys
    them, citations left out). None: not shared (no attacker model, a resource account, a
    companion action, a consulted statement with a policy variable, a tag or credential-variable
    test)."""
    att = view.attacker
    if att is None or pset.resource is not None or pset.resource_account is not None:
        return None
    low = _alone(action)
    if low is None:
        return None
    if pset.boundaries or pset.session is not None or pset.scps or pset.rcps:
        others = _other_documents(pset)
        sig: tuple[object, ...] = (low, id(view.scope), _shape(pset), *map(id, others), None, *map(id, denying))
    else:
        others = ()
        sig = (low, id(view.scope), None, *map(id, denying))
    plans = att.denial_plans
    plan = plans.get(sig, _MISSING)
    if plan is _MISSING:
        plan = plans[sig] = _denial_plan(pset, low, others, denying, view.scope, len(plans))
    if plan is None:
        return None
    assert isinstance(plan, tuple)
    _, number, keys, token_time = plan
    values: tuple[object, ...] = ()
    if keys:
        ctx = view.base_context
        names = _lower_names(tuple(ctx))
        gone = _lowered(view.base_absent)
        values = tuple([(ctx[names[k]] if k in names else _MISSING, k in gone) for k in keys])
    created = att.created.get(view.arn) if token_time else None
    return (number, view.kind, *caller_facts(view.arn), created, values)


@lru_cache(maxsize=256)
def _alone(action: str) -> str | None:
    """`action` in lower case when a request for it consults no companion action (`actions_of`),
    else None (pure: a bounded cache)."""
    low = action.lower()
    return low if actions_of(low) == [low] else None


@lru_cache(maxsize=4096)
def _lowered(keys: frozenset[str]) -> frozenset[str]:
    """`keys` in lower case (views alike share one absent set: one answer for all of them)."""
    return frozenset(k.lower() for k in keys)


def _denial_plan(
    pset: PolicySet,
    low: str,
    others: tuple[PolicyDocument, ...],
    denying: list[DocActions] | tuple[DocActions, ...],
    scope: object,
    n: int,
) -> tuple[tuple[object, ...], int, tuple[str, ...], bool] | None:
    """The entry of `_denial_key`'s plans for a signature first met with `pset` (number `n`):
    None when a consulted statement holds a policy variable or a condition tests a tag or names
    a credential variable; else the objects the signature names by id (held: their ids are not
    reused meanwhile), `n`, the lower-case condition keys of the consulted statements, and
    whether one is aws:TokenIssueTime."""
    docs = [*(d.doc for d in denying), *others]
    for doc in docs:
        for cs in statements_for(doc, low):
            if cs.res_dynamic or any(c.dynamic for c in cs.conds):
                return None
    rel = relevant(pset, [low])
    if rel.tags or rel.credential_variable:
        return None
    keys = tuple(sorted({c.key for c in rel.conds}))
    return ((scope, *denying, *others), n, keys, "aws:tokenissuetime" in keys)


def _other_documents(pset: PolicySet) -> tuple[PolicyDocument, ...]:
    """The documents of the set's policies besides identity ones (boundaries, session, SCPs, RCPs)."""
    out = [p.document for p in pset.boundaries]
    if pset.session is not None:
        out.append(pset.session.document)
    for levels in (pset.scps, pset.rcps):
        for level in levels:
            out.extend(p.document for p in level)
    return tuple(out)


def _shape(pset: PolicySet) -> tuple[int, bool, tuple[int, ...], tuple[int, ...]]:
    """How the non-identity policies split into types and levels (each level is one group of the decision)."""
    return (len(pset.boundaries), pset.session is not None, tuple(map(len, pset.scps)), tuple(map(len, pset.rcps)))


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
