"""The decision: `evaluate(Request, PolicySet) -> Result` (pure).

Follows the IAM User Guide pages "Policy evaluation logic", "Cross-account policy evaluation
logic", "Permissions boundaries for IAM entities", "Session policies", "Service control
policies" and "Resource control policies":

0. Requests AWS decides without the policies (special_rules.py): sts:GetCallerIdentity is always
   allowed; AWS managed policies and protected roles (service-linked, Identity Center) cannot be changed.
1. An applicable Deny in any policy (identity, resource, boundary, session, SCP, RCP) -> ExplicitlyDenied.
2. SCPs (caller's account): when given, every level of the OU path needs an applicable Allow
   (FullAWSAccess normally provides it). SCPs do not apply to service principals ("SCPs affect only
   IAM users and roles ... of member accounts") nor to service-linked roles and their sessions.
   RCPs (resource owner's account) only deny: RCPFullAWSAccess is attached to every level and cannot
   be detached (Organizations, "RCP syntax"), so a level without an Allow still passes; RCPs do not
   apply to service-linked roles.
3. Same account: allowed when
   - identity allows AND the boundary (if any) allows AND the session policy (if any) allows; or
   - the resource policy allows naming the caller itself (IAM user, assumed-role session, `*`) —
     not limited by an implicit deny in boundary or session policy; or
   - the resource policy allows naming a role ARN (the caller's role) or the IAM user of a
     federated session — limited by boundary and session policy.
   A resource-policy grant to the account only delegates to the identity path. For role trust
   policies (sts:AssumeRole* etc. on a role) and KMS key policies the resource policy is
   required: the identity path counts only if the resource policy also allows the account; a KMS
   key request without a key policy is never granted ("Every KMS key must have exactly one key policy").
4. Cross account: the identity path AND a resource-policy Allow matching the caller (ARN,
   session role or account) are both needed.
   A service principal (e.g. `lambda.amazonaws.com`) has no identity policies: only a resource
   policy naming it (or `*`) grants, whatever the resource account.
5. NotPrincipal with Deny in a resource policy applies to every caller that has a permissions
   boundary ("Permissions boundaries for IAM entities", Important box).

Three-valued: statements whose conditions depend on unknown keys are "maybe"; the formula above
is evaluated in Kleene logic. Citations: `denied_by` lists the deciding Deny statements (definite,
else maybe); `allowed_by` lists the applicable Allow statements of every policy type that took part
(identity, resource, boundary, session, each SCP/RCP level) — maybe ones only when Unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ..model import Effect, Policy, PolicyDocument, Statement
from .applicable import TRUST_ACTIONS
from .conditions import CompiledCondition, Context, Tri, compile_conditions, evaluate_conditions
from .matching import Caller, PrincipalMatch, action_set, statement_matches_resource, statement_principal_match
from .special_rules import special_decision
from .types import Decision, PolicySet, Request, Result, StatementRef
from .variables import Lookup

_MEMO_CAP = 4096


_NO_KEYS: frozenset[str] = frozenset()
_NOT_APPLIED: tuple[Tri, frozenset[str]] = (False, _NO_KEYS)  # shared results (tuples are immutable)
_APPLIED: tuple[Tri, frozenset[str]] = (True, _NO_KEYS)


class _CStmt:
    """A statement prepared for fast repeated evaluation."""

    __slots__ = ("stmt", "deny", "actions", "negate_actions", "conds", "vars", "res_dynamic", "rmemo", "refs")

    def __init__(self, stmt: Statement, variables_enabled: bool) -> None:
        self.stmt = stmt
        self.deny = stmt.effect is Effect.DENY
        if stmt.actions is not None:
            self.actions, self.negate_actions = action_set(stmt.actions), False
        else:
            self.actions, self.negate_actions = action_set(stmt.not_actions or ()), True
        self.conds: tuple[CompiledCondition, ...] = compile_conditions(stmt.conditions, variables_enabled)
        self.vars = variables_enabled
        pats = stmt.resources if stmt.resources is not None else (stmt.not_resources or ())
        self.res_dynamic = variables_enabled and any("${" in p for p in pats)
        self.rmemo: dict[str, bool] = {}
        # citation per policy holding this statement, by the policy object's id (hashing a PolicyRef
        # costs more than the lookup); an entry holds its policy, so the id is not reused meanwhile
        self.refs: dict[int, tuple[Policy, StatementRef]] = {}

    def action_ok(self, action_lower: str) -> bool:
        """Does Action/NotAction admit `action_lower`? (Not memoised here: `statements_for` asks
        each statement once per action and keeps the answer per document.)"""
        return self.actions(action_lower) != self.negate_actions

    def applies(self, action_lower: str, resource: str, ctx: Context) -> tuple[Tri, frozenset[str]]:
        """Action, Resource and Condition of this statement against the request (not Principal)."""
        if not self.action_ok(action_lower):
            return False, frozenset()
        return self.applies_to_resource(resource, ctx)

    def matches_resource(self, resource: str) -> bool | None:
        """Does Resource/NotResource admit `resource` (as `applies_to_resource` reads it)? None when a
        policy variable in them makes the answer depend on the request's context."""
        if self.res_dynamic:
            return None
        r = self.rmemo.get(resource)
        if r is None:
            r = statement_matches_resource(self.stmt, resource, None)[0] is True
            if len(self.rmemo) > _MEMO_CAP:
                self.rmemo.clear()
            self.rmemo[resource] = r
        return r

    def applies_to_resource(self, resource: str, ctx: Context) -> tuple[Tri, frozenset[str]]:
        """Resource and Condition only (the caller has matched the action)."""
        keys: frozenset[str] = _NO_KEYS
        if self.res_dynamic:
            rok, keys = statement_matches_resource(self.stmt, resource, ctx.variable)
            if rok is False:
                return _NOT_APPLIED
        else:
            r = self.rmemo.get(resource)
            if r is None:
                r = statement_matches_resource(self.stmt, resource, None)[0] is True
                if len(self.rmemo) > _MEMO_CAP:
                    self.rmemo.clear()
                self.rmemo[resource] = r
            if not r:
                return _NOT_APPLIED
            rok = True
        if self.conds:
            cok, ckeys = evaluate_conditions(self.conds, ctx)
            if cok is False:
                return _NOT_APPLIED
            if cok is None:
                return None, keys | ckeys
        return _APPLIED if rok is True else (None, keys)


PreparedStatement = _CStmt  # the public name of a prepared statement (attacker.py reads its statement and conditions)


@lru_cache(maxsize=4096)
def _caller(principal_arn: str) -> Caller:
    """Caller objects are read-only once built (bounded cache)."""
    return Caller(principal_arn)


def statements_for(doc: PolicyDocument, action_lower: str) -> tuple[_CStmt, ...]:
    """The prepared statements of `doc` whose Action/NotAction matches `action_lower` (memoised on
    the document itself: most requests touch few statements of each policy)."""
    memo = doc.memo.get("by_action")
    if memo is None:
        memo = doc.memo["by_action"] = {}
    assert isinstance(memo, dict)
    found = memo.get(action_lower)
    if found is None:
        if len(memo) > _MEMO_CAP:
            memo.clear()
        found = memo[action_lower] = tuple(
            [cs for cs in compiled(doc) if cs.actions(action_lower) != cs.negate_actions]
        )
    return found


def compiled(doc: PolicyDocument) -> tuple[_CStmt, ...]:
    """Prepared statements of a document (kept on the document, freed with it)."""
    hit = doc.memo.get("compiled")
    if hit is None:
        variables_enabled = doc.version == "2012-10-17"
        hit = doc.memo["compiled"] = tuple(_CStmt(s, variables_enabled) for s in doc.statements)
    return hit  # type: ignore[return-value]


class _Group:
    """Applicable statements of one policy type (or one SCP/RCP level)."""

    __slots__ = ("allow", "allow_maybe", "deny", "deny_maybe")

    def __init__(self) -> None:
        self.allow: list[tuple[StatementRef, object]] = []
        self.allow_maybe: list[tuple[StatementRef, frozenset[str], object]] = []
        self.deny: list[StatementRef] = []
        self.deny_maybe: list[tuple[StatementRef, frozenset[str]]] = []

    def allows(self, only: Iterable[object] | None = None) -> Tri:
        """Kleene OR of the Allow statements (restricted to tags in `only` when given)."""
        if only is None:
            if self.allow:
                return True
            return None if self.allow_maybe else False
        tags = set(only)
        if any(t in tags for _, t in self.allow):
            return True
        return None if any(t in tags for _, _, t in self.allow_maybe) else False

    def denies(self) -> Tri:
        if self.deny:
            return True
        return None if self.deny_maybe else False


_EMPTY = _Group()  # no applicable statement (shared: never appended to)


def _ref(policy: Policy, stmt: Statement) -> StatementRef:
    return StatementRef(policy.ref, stmt.index, stmt.sid)


def _scan(
    policies: Iterable[Policy],
    action: str,
    resource: str,
    ctx: Context,
    group: _Group | None = None,
    caller: Caller | None = None,
    has_boundary: bool = False,
) -> _Group:
    """The applicable statements of `policies` (added to `group` when given; else a new group, or
    the shared `_EMPTY` when none applies: never mutate the result); `caller` set = resource policy
    (Principal checked)."""
    for policy in policies:
        doc = policy.document
        memo = doc.memo.get("by_action")
        found = memo.get(action) if memo is not None else None  # type: ignore[attr-defined]
        if found is None:
            found = statements_for(doc, action)
        for cs in found:
            if cs.res_dynamic:
                ok, keys = cs.applies_to_resource(resource, ctx)
                if ok is False:
                    continue
            else:  # `applies_to_resource` inlined for the common case (no variable in Resource)
                r = cs.rmemo.get(resource)
                if r is None:
                    r = cs.matches_resource(resource)
                if not r:
                    continue
                if cs.conds:
                    ok, keys = evaluate_conditions(cs.conds, ctx)
                    if ok is False:
                        continue
                else:
                    ok, keys = True, _NO_KEYS
            tag: object = None
            if caller is not None:
                if cs.deny and has_boundary and cs.stmt.not_principal is not None:
                    pm = PrincipalMatch.EXACT
                else:
                    pm = statement_principal_match(cs.stmt, caller)
                if pm is PrincipalMatch.NONE:
                    continue
                tag = pm
            held = cs.refs.get(id(policy))
            if held is not None and held[0] is policy:
                ref = held[1]
            else:
                if len(cs.refs) > _MEMO_CAP:
                    cs.refs.clear()
                ref = _ref(policy, cs.stmt)
                cs.refs[id(policy)] = (policy, ref)
            if group is None:
                group = _Group()
            if cs.deny:
                if ok:
                    group.deny.append(ref)
                else:
                    group.deny_maybe.append((ref, keys))
            elif ok:
                group.allow.append((ref, tag))
            else:
                group.allow_maybe.append((ref, keys, tag))
    return group if group is not None else _EMPTY


def _and(*vals: Tri) -> Tri:
    if any(v is False for v in vals):
        return False
    return None if any(v is None for v in vals) else True


def _or(*vals: Tri) -> Tri:
    if any(v is True for v in vals):
        return True
    return None if any(v is None for v in vals) else False


def _resource_required(action: str, resource: str) -> bool:
    """Role trust policies and KMS key policies must themselves allow (cannot be bypassed)."""
    parts = resource.split(":", 5)
    if len(parts) != 6:
        return False
    if parts[2] == "iam" and parts[5].startswith("role/"):
        return action in TRUST_ACTIONS
    return parts[2] == "kms" and parts[5].startswith("key/")


def _is_kms_key(resource: str) -> bool:
    """A KMS key ARN: access needs its key policy (AWS KMS Developer Guide, "Key policies in AWS KMS")."""
    return resource.startswith("arn:") and resource.split(":", 6)[2:3] == ["kms"] and ":key/" in resource


def evaluate(request: Request, policies: PolicySet) -> Result:
    """Would AWS allow `request` given `policies`? Pure; see the module docstring for the rules."""
    ctx = Context.from_mapping(
        request.context, request.unknown_keys, request.open_world, getattr(request, "absent_keys", ())
    )
    return evaluate_with_context(request, policies, ctx)


def evaluate_with_context(request: Request, policies: PolicySet, ctx: Context) -> Result:
    """`evaluate` with a prepared Context (lets batch callers skip re-normalising the context)."""
    return decide(request.principal_arn, request.action, request.resource, policies, ctx)


def decide(principal_arn: str, action: str, resource: str, policies: PolicySet, ctx: Context) -> Result:
    """The decision for one request given as its parts (the batch path skips building a Request)."""
    action = action.lower()
    caller = _caller(principal_arn)
    # GetCallerIdentity, AWS managed policies, protected roles
    fixed = special_decision(action, resource, caller.is_service, caller.is_service_linked)
    if fixed is not None:
        return fixed

    identity = _scan(policies.identity, action, resource, ctx)
    if not (policies.boundaries or policies.session or policies.scps or policies.rcps) and policies.resource is None:
        # identity policies only (the common case): the formula below reduces to the identity path
        if identity is _EMPTY:
            return _NOTHING_APPLIES
        if identity.deny:
            return Result(Decision.EXPLICIT_DENY, (), tuple(identity.deny))
        same = policies.resource_account in (None, "", caller.account)
        alone: Tri = False if caller.is_service or not same or _is_kms_key(resource) else identity.allows()
        return _finish([identity], None if identity.deny_maybe else False, alone)
    boundary = _scan(policies.boundaries, action, resource, ctx) if policies.boundaries else None
    session = _scan((policies.session,), action, resource, ctx) if policies.session else None
    scps = (
        [_scan(level, action, resource, ctx) for level in policies.scps]
        if policies.scps and not (caller.is_service or caller.is_service_linked)
        else []
    )
    rcps = (
        [_scan(level, action, resource, ctx) for level in policies.rcps]
        if policies.rcps and not caller.is_service_linked
        else []
    )
    resource_g = (
        _scan((policies.resource,), action, resource, ctx, None, caller, bool(policies.boundaries))
        if policies.resource is not None
        else None
    )

    groups = [g for g in (identity, boundary, session, resource_g, *scps, *rcps) if g is not None and g is not _EMPTY]
    denied: Tri = False
    for g in groups:
        if g.deny:
            return Result(Decision.EXPLICIT_DENY, (), tuple(r for g in groups for r in g.deny))
        if g.deny_maybe:
            denied = None

    # ---- the grant formula (Kleene) ----
    scp_ok = _and(*(g.allows() for g in scps)) if scps else True
    # RCPs only deny: RCPFullAWSAccess is attached to every level and cannot be detached
    b_ok = boundary.allows() if boundary is not None else True
    s_ok = session.allows() if session is not None else True
    identity_path = _and(identity.allows(), b_ok, s_ok)
    same_account = policies.resource_account in (None, "", caller.account)
    if caller.is_service:
        # a service principal has no identity policies: only a resource policy naming it grants
        grant = resource_g.allows((PrincipalMatch.EXACT,)) if resource_g is not None else False
    elif resource_g is None:
        # a KMS key always has a key policy; without one nothing grants (KMS "Key policies")
        grant = identity_path if same_account and not _is_kms_key(resource) else False
    else:
        exact = resource_g.allows((PrincipalMatch.EXACT,))
        parent = resource_g.allows((PrincipalMatch.PARENT,))
        account = resource_g.allows((PrincipalMatch.ACCOUNT,))
        if same_account:
            acct_path = _and(account, identity_path) if _resource_required(action, resource) else identity_path
            grant = _or(exact, _and(parent, b_ok, s_ok), acct_path)
        else:
            grant = _and(identity_path, _or(exact, parent, account))
    allowed = grant if scp_ok is True else _and(scp_ok, grant)
    return _finish(groups, denied, allowed)


def resource_signature(
    principal_arn: str, actions_lower: Iterable[str], resource: str, policies: PolicySet
) -> tuple[bool, ...] | None:
    """Everything `decide` reads of `resource` for these (lower-case) actions, `principal_arn` and
    `policies`: two resources with the same signature get the same Result from `decide` under
    every context. None when it cannot say (a statement's Resource/NotResource has a policy
    variable, or AWS decides one of the requests without the policies)."""
    caller = _caller(principal_arn)
    levels: list[Iterable[Policy]] = [policies.identity, policies.boundaries, *policies.scps, *policies.rcps]
    if policies.session is not None:
        levels.append((policies.session,))
    if policies.resource is not None:
        levels.append((policies.resource,))
    out = [_is_kms_key(resource)]
    for action in actions_lower:
        if special_decision(action, resource, caller.is_service, caller.is_service_linked) is not None:
            return None
        out.append(_resource_required(action, resource))
        for level in levels:
            for policy in level:
                for cs in statements_for(policy.document, action):
                    r = cs.matches_resource(resource)
                    if r is None:
                        return None
                    out.append(r)
    return tuple(out)


_NOTHING_APPLIES = Result(Decision.IMPLICIT_DENY)


def _finish(groups: list[_Group], denied: Tri, allowed: Tri) -> Result:
    """The Result of a request no definite Deny blocks: `denied` None when some Deny may apply,
    `allowed` the grant formula's value; citations and unknown keys from the `groups`."""
    if denied is None:
        if allowed is False:
            return Result(
                Decision.IMPLICIT_DENY, _allow_refs(groups), tuple(r for g in groups for r, _ in g.deny_maybe)
            )
        decision = Decision.UNKNOWN
    elif allowed is True:
        return Result(Decision.ALLOWED, _allow_refs(groups))
    elif allowed is False:
        return Result(Decision.IMPLICIT_DENY, _allow_refs(groups))
    else:
        decision = Decision.UNKNOWN

    # Unknown: the maybe statements take part, and their keys are the unknown ones
    allowed_by: list[StatementRef] = []
    unknown: set[str] = set()
    for g in groups:
        allowed_by.extend(r for r, _ in g.allow)
        allowed_by.extend(r for r, _, _ in g.allow_maybe)
        # a maybe Allow is moot only beside a definite Allow of its own kind (a resource policy's
        # statements grant by principal match: a definite ACCOUNT Allow leaves an EXACT maybe open)
        definite = {t for _, t in g.allow}
        for _, keys, tag in g.allow_maybe:
            if tag not in definite:
                unknown.update(keys)
    denied_by = [r for g in groups for r, _ in g.deny_maybe] if denied is None else []
    if denied is None:
        for g in groups:
            for _, keys in g.deny_maybe:
                unknown.update(keys)
    if not unknown:  # defensive: Unknown always names at least the keys of maybe statements
        for g in groups:
            for _, keys, _ in g.allow_maybe:
                unknown.update(keys)
    return Result(decision, tuple(allowed_by), tuple(denied_by), frozenset(unknown))


def _allow_refs(groups: list[_Group]) -> tuple[StatementRef, ...]:
    """The definite Allow statements of every group, in group order (a decision that is not Unknown)."""
    return tuple(r for g in groups for r, _ in g.allow)


def evaluate_statement(stmt: Statement, request: Request, *, version: str = "2012-10-17") -> Tri:
    """Does one statement apply to the request (Action, Resource, Condition; Principal ignored)?"""
    ctx = Context.from_mapping(request.context, request.unknown_keys, request.open_world)
    return _CStmt(stmt, version == "2012-10-17").applies(request.action.lower(), request.resource, ctx)[0]


__all__ = [
    "evaluate",
    "evaluate_with_context",
    "decide",
    "evaluate_statement",
    "compiled",
    "resource_signature",
    "Lookup",
]
