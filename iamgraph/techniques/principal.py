"""PrincipalView: one user or role with everything needed to ask "may it do X on Y?"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from ..evaluate.applicable import (
    AbsentMemo,
    Keys,
    Levels,
    OrgKeys,
    identity_policy_set,
    principal_context,
    role_keys,
    user_keys,
)
from ..evaluate.conditions import Context
from ..evaluate.engine import evaluate_with_context
from ..evaluate.matching import resource_matches
from ..evaluate.org_keys import org_context
from ..evaluate.request_keys import OrgFacts, RequestScope
from ..evaluate.types import ContextValue, Decision, PolicySet, Request, Result
from ..evaluate.variables import WILD_ONE, WILD_STAR, Var, parse_template
from ..model import NodeKind, Policy, Role, Snapshot, User, account_of
from ..model.snapshot import IdentityMemo
from .doc_actions import DocActions, doc_actions

if TYPE_CHECKING:
    from .attacker_view import AttackerView

T = TypeVar("T")


@dataclass(eq=False)
class PrincipalView:
    """A principal (user or role) of the snapshot, with its policy set and its own context keys.

    `can()` asks the evaluator in static mode: the principal's own keys are fixed, the keys in
    `absent` are known to be absent, every other key is unknown (-> Unknown, never a guess).
    """

    arn: str
    kind: NodeKind
    name: str
    policies: PolicySet
    base_context: dict[str, ContextValue]
    base_absent: frozenset[str]
    incomplete: tuple[str, ...] = ()
    scope: RequestScope | None = None  # keys the request fixes from its action and resource
    # can()'s answers and prepared contexts, made on the first can() (most views never ask)
    _memo: dict[tuple, tuple[Result, Policy | None, PolicySet | None]] | None = field(default=None, repr=False)
    _may: dict[str, bool] = field(default_factory=dict, repr=False)
    _patterns: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _contexts: dict[tuple, Context] | None = field(default=None, repr=False)
    _base: tuple[dict[str, ContextValue], frozenset[str], Context] | None = field(default=None, repr=False)
    attacker: AttackerView | None = None  # the attacker's view of requests (None: plain static evaluation)
    account: str = field(init=False, repr=False)  # the principal's account (from its ARN)
    # the identity documents' indexes, built on first use and kept (as a cached property would)
    _docs: tuple[DocActions, ...] | None = field(default=None, init=False, repr=False)
    _docs_of: tuple[Policy, ...] | None = field(default=None, init=False, repr=False)  # what _docs indexes

    def __post_init__(self) -> None:
        self.account = account_of(self.arn)

    def can(
        self,
        action: str,
        resource: str,
        *,
        context: dict[str, ContextValue] | None = None,
        absent: frozenset[str] = frozenset(),
        resource_policy: Policy | None = None,
        resource_account: str | None = None,
        policies: PolicySet | None = None,
        as_session: str | None = None,
        _tagging: bool = False,
    ) -> Result:
        """Evaluate one request made by this principal (memoised); `as_session`: made by that
        assumed-role session of this role (its ARN is the request's principal). With an attacker
        model, an answer that is not Allowed is re-decided from the attacker's view
        (evaluate/attacker.py: chosen request keys, credential type, tagging first)."""
        if self.attacker is not None:
            context, absent = self.attacker.resource_context(resource, context, absent)
        fixed = self.scope.keys(action, resource) if self.scope is not None else ()
        ctx_key = (tuple(sorted(context.items())) if context else (), absent, fixed)
        key = (action, resource, ctx_key, id(resource_policy), resource_account, id(policies), as_session, _tagging)
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        hit = memo.get(key)
        # ids of freed objects are reused: a hit counts only if it was computed for these very objects
        if hit is not None and hit[1] is resource_policy and hit[2] is policies:
            return hit[0]
        contexts = self._contexts
        if contexts is None:
            contexts = self._contexts = {}
        prepared = contexts.get(ctx_key)
        if prepared is None:
            overlay = dict(fixed)
            if context:
                overlay.update(context)
            prepared = contexts[ctx_key] = Context.over(self._base_ctx(), overlay, absent)
        pset = policies or self.policies
        if resource_policy is not None or resource_account is not None:
            pset = replace(pset, resource=resource_policy, resource_account=resource_account)
        req = Request(principal_arn=as_session or self.arn, action=action, resource=resource, open_world=True)
        res = evaluate_with_context(req, pset, prepared)
        if self.attacker is not None and not res.allowed:
            res = self.attacker.redecide(self, res, req, pset, fixed, context or {}, absent, _tagging)
        memo[key] = (res, resource_policy, policies)
        return res

    def _base_ctx(self) -> Context:
        """The principal's own keys as a prepared context (rebuilt if they are replaced)."""
        held = self._base
        if held is None or held[0] is not self.base_context or held[1] is not self.base_absent:
            ctx = Context.from_mapping(self.base_context, (), True, self.base_absent)
            held = self._base = (self.base_context, self.base_absent, ctx)
        return held[2]

    def forget(self) -> None:
        """Drop the memoised answers (the build calls this once a source's techniques have run:
        answers are asked again rarely afterwards, and holding every one costs memory)."""
        if self._memo is not None:
            self._memo.clear()
        if self._contexts is not None:
            self._contexts.clear()

    def may(self, action: str) -> bool:
        """Cheap prefilter: does any identity Allow statement name this action at all?"""
        hit = self._may.get(action)
        return hit if hit is not None else self._may_asked(action)

    def _may_asked(self, action: str) -> bool:
        """`may` of an action not in the memo yet: asked of the documents, then kept."""
        # one index per distinct document, shared by every principal holding it (doc_actions)
        hit = False
        docs = self._docs
        for d in docs if docs is not None else self._doc_indexes:
            known = d.answers.get(action)  # the document's memo first (most documents are shared)
            if known if known is not None else d.may(action):
                hit = True
                break
        self._may[action] = hit
        return hit

    def may_every(self, actions: tuple[str, ...]) -> bool:
        """`all(self.may(a) for a in actions)`, reading the memo directly."""
        return not self._some_may_is(actions, False)

    def may_any(self, actions: tuple[str, ...]) -> bool:
        """`any(self.may(a) for a in actions)`, reading the memo directly."""
        return self._some_may_is(actions, True)

    def _some_may_is(self, actions: tuple[str, ...], answer: bool) -> bool:
        """Whether `may` gives `answer` for some member of `actions` (asked in order, stopping there)."""
        memo = self._may
        for a in actions:
            hit = memo.get(a)
            if hit is None:
                hit = self._may_asked(a)
            if hit == answer:
                return True
        return False

    def may_all(self, actions: tuple[str, ...]) -> frozenset[str]:
        """The members of `actions` that `may` answers True for, in one pass per document."""
        docs = self._docs
        if docs is None:
            docs = self._doc_indexes
        if len(docs) == 1:
            return docs[0].named(actions)
        out: frozenset[str] = _NONE_NAMED
        for d in docs:
            got = d.named(actions)
            if got:  # most documents name none of them
                out = out | got if out else got
        return out

    @property
    def _doc_indexes(self) -> tuple[DocActions, ...]:
        docs = self._docs
        if docs is None:
            ident = self._docs_of = self.policies.identity
            if len(ident) == 1:  # a third of the views
                docs = self._docs = (doc_actions(ident[0].document),)
            else:
                docs = self._docs = tuple(dict.fromkeys([doc_actions(p.document) for p in ident]))
        return docs

    def allow_resource_patterns(self, action: str) -> tuple[str, ...]:
        """Resource patterns of identity Allow statements that name `action` ('*' for NotResource)."""
        hit = self._patterns.get(action)
        if hit is None:
            hit = self._patterns[action] = self._allow_resource_patterns(action)
        return hit

    def may_on(self, action: str, resource: str) -> bool:
        """Cheap prefilter: could an identity Allow statement cover `action` on `resource`?"""
        pats = self.resolved_patterns(action)
        return "*" in pats or any(resource_matches(p, resource) for p in pats)

    def resolved_patterns(self, action: str) -> tuple[str, ...]:
        """Allow-statement resource patterns with this principal's own variables filled in
        ('*' when a variable cannot be resolved: the prefilter must never be narrower than IAM)."""
        key = "\0resolved:" + action
        hit = self._patterns.get(key)
        if hit is None:
            out = []
            for p in self.allow_resource_patterns(action):
                if "${" in p:
                    p = self.substitute(p, "\0")
                    if "\0" in p:
                        p = "*"
                out.append(p)
            hit = self._patterns[key] = tuple(dict.fromkeys(out))
        return hit

    def substitute(self, pattern: str, unresolved: str) -> str:
        """`pattern` with policy variables filled from this principal's own keys, parsed by the one
        grammar of evaluate.variables (a variable's default when the key is not one of them, else
        `unresolved`); as a plain glob, so `${*}` `${?}` become the characters they stand for."""
        parts = parse_template(pattern)
        if parts is None:
            return pattern
        values: dict[str, ContextValue] | None = None  # own keys read at the first variable only
        names: dict[str, str] = {}
        out: list[str] = []
        for part in parts:
            if isinstance(part, Var):
                if values is None:
                    values = self.base_context
                    names = _lower_names(tuple(values))
                name = names.get(part.key)
                v = values.get(name) if name is not None else None
                out.append(v if isinstance(v, str) else part.default if part.default is not None else unresolved)
            else:
                out.append(str(part).replace(WILD_STAR, "*").replace(WILD_ONE, "?"))
        return "".join(out)

    def _allow_resource_patterns(self, action: str) -> tuple[str, ...]:
        """The patterns of the current identity policies' documents, each document asked once
        (a document held twice adds the patterns it added already: the same tuple)."""
        ident = self.policies.identity
        docs = self._docs if self._docs_of is ident else None
        if docs is None:
            docs = tuple(dict.fromkeys(doc_actions(p.document) for p in ident))
        if len(docs) == 1:
            return docs[0].allow_patterns(action)  # each once, in order already
        # a document whose (shared) answer says it names no such action adds nothing: skipped
        # unasked; when one document alone adds patterns, its tuple is the answer (each once already)
        first: tuple[str, ...] = ()
        out: list[str] | None = None
        for d in docs:
            if d.answers.get(action) is False:
                continue
            got = d.allow_patterns(action)
            if not got:
                continue
            if out is not None:
                out.extend(got)
            elif first:
                out = [*first, *got]
            else:
                first = got
        return first if out is None else tuple(dict.fromkeys(out))

    @cached_property
    def username(self) -> str | None:
        return self.name if self.kind is NodeKind.USER else None


@lru_cache(maxsize=4096)
def _lower_names(keys: tuple[str, ...]) -> dict[str, str]:
    """Lower-case key -> the last of `keys` spelling it so (what `{k.lower(): v ...}` keeps); views
    with the same key names (most of a build's) share one map. Read only: callers must not edit it."""
    return {k.lower(): k for k in keys}


def principal_tag_keys(snapshot: Snapshot) -> frozenset[str]:
    """Every `aws:PrincipalTag/<k>` key named in any condition of the snapshot, as the condition
    key or as a policy variable in a condition value or a Resource (lower case)."""
    keys: set[str] = set()
    docs = [p.document for u in snapshot.users.values() for p in u.inline_policies]
    docs += [p.document for r in snapshot.roles.values() for p in (*r.inline_policies, r.trust_policy)]
    docs += [p.document for g in snapshot.groups.values() for p in g.inline_policies]
    docs += [v.document for mp in snapshot.policies.values() for v in mp.versions]
    # documents and statements held by many principals (or documents) are read once; `docs` holds
    # every one of them meanwhile, so their ids stay unique
    seen: set[int] = set()
    for d in docs:
        if id(d) in seen:
            continue
        seen.add(id(d))
        for s in d.statements:
            if id(s) in seen:
                continue
            seen.add(id(s))
            for c in s.conditions:
                if c.key.lower().startswith("aws:principaltag/"):
                    keys.add(c.key.lower())
                keys.update(_principal_tag_variables(c.values))
            res = s.resources or s.not_resources or ()
            for t in res:  # most hold no variable: no call, no set
                if "${" in t:
                    keys.update(_principal_tag_variables(res))
                    break
    return frozenset(keys)


def _principal_tag_variables(texts: tuple[str, ...]) -> set[str]:
    """`aws:principaltag/<k>` for each `${aws:PrincipalTag/<k>}` variable in `texts`."""
    out: set[str] = set()
    for t in texts:
        if "${" not in t:
            continue
        for part in parse_template(t) or ():
            if isinstance(part, Var) and part.key.startswith("aws:principaltag/"):
                out.add(part.key)
    return out


def build_views(snapshot: Snapshot) -> dict[str, PrincipalView]:
    """A view per user and role of the snapshot (context keys from evaluate.applicable, made on a
    view's first read of them; the organisation keys and SCP/RCP levels asked once per account;
    identity policies through one identity_policies memo for the build)."""
    tag_keys = principal_tag_keys(snapshot)
    scope = RequestScope(org=_org_lookup(snapshot))
    views: dict[str, PrincipalView] = {}
    per_account: dict[str, tuple[OrgKeys, Levels]] = {}
    absent_sets: AbsentMemo = {}  # principals alike share one absent set
    policy_parts: IdentityMemo = {}  # users/roles of the same managed ARNs or groups share them
    for kind, entities in ((NodeKind.USER, snapshot.users.values()), (NodeKind.ROLE, snapshot.roles.values())):
        for e in entities:
            arn = e.arn
            acct = account_of(arn)
            facts = per_account.get(acct)
            if facts is None:
                facts = per_account[acct] = (
                    org_context(snapshot, acct),
                    (snapshot.scp_levels(acct), snapshot.rcp_levels(acct)),
                )
            views[arn] = BuiltView.pending(
                arn,
                kind,
                e.name,
                identity_policy_set(snapshot, arn, acct, levels=facts[1], memo=policy_parts),
                (snapshot, kind, e, acct, tag_keys, facts[0], absent_sets),
                snapshot.incomplete.get(arn, ()),
                scope,
            )
    _share_may_answers(views)
    return views


# _own_keys' arguments for one view of build_views
PendingKeys = tuple[Snapshot, NodeKind, "User | Role", str, frozenset[str], OrgKeys, AbsentMemo]


class _OwnKey(Generic[T]):
    """`base_context` / `base_absent` of a BuiltView, made (both at once, by `_own_keys` of its
    pending arguments) on the first read of either; then held in the view's `__dict__`, which
    every later read finds first (a non-data descriptor, as functools.cached_property). A value
    assigned before that read stands; the other one is still made from the pending arguments."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, view: None, owner: type) -> _OwnKey[T]: ...
    @overload
    def __get__(self, view: PrincipalView, owner: type) -> T: ...
    def __get__(self, view: PrincipalView | None, owner: type) -> T | _OwnKey[T]:
        if view is None:
            return self
        d = view.__dict__
        pending = d.get("_pending")
        if pending is None:
            raise AttributeError(self.name)
        values, absent = _own_keys(*pending)
        d.setdefault("base_context", values)
        d.setdefault("base_absent", absent)
        del d["_pending"]
        return d[self.name]


class BuiltView(PrincipalView):
    """A view of build_views: its own context keys are made on first read (about two thirds of
    a build's views are never asked for them: the `may` prefilters rule their techniques out)."""

    base_context = _OwnKey[dict[str, ContextValue]]()
    base_absent = _OwnKey[frozenset[str]]()

    @classmethod
    def pending(
        cls,
        arn: str,
        kind: NodeKind,
        name: str,
        policies: PolicySet,
        keys: PendingKeys,
        incomplete: tuple[str, ...],
        scope: RequestScope | None,
    ) -> BuiltView:
        """A view whose base_context and base_absent are `_own_keys(*keys)`, made when first read."""
        view = cls(arn, kind, name, policies, _NO_VALUES, frozenset(), incomplete, scope)
        d = view.__dict__
        del d["base_context"], d["base_absent"]
        d["_pending"] = keys
        return view


_NONE_NAMED: frozenset[str] = frozenset()  # may_all of no document
_NO_VALUES: dict[str, ContextValue] = {}  # a placeholder BuiltView.pending replaces at once


def _own_keys(
    snapshot: Snapshot,
    kind: NodeKind,
    e: User | Role,
    account: str,
    tag_keys: frozenset[str],
    org: OrgKeys,
    memo: AbsentMemo,
) -> Keys:
    """`principal_context(snapshot, e.arn, tag_keys)`'s values and absent keys for a user or role
    `e` of the snapshot (`org`: org_context of `account`, its ARN's account); its ARN is not
    resolved again when that is sure to find `e` itself (no session ARN, no user of that ARN for a
    role)."""
    arn = e.arn
    if ":assumed-role/" not in arn:
        if isinstance(e, User) and kind is NodeKind.USER and snapshot.users.get(arn) is e:
            return user_keys(e, account, tag_keys, org, memo)
        if isinstance(e, Role) and kind is NodeKind.ROLE and arn not in snapshot.users and snapshot.roles.get(arn) is e:
            return role_keys(e, None, tag_keys, org, memo)
    pc = principal_context(snapshot, arn, tag_keys)
    assert pc is not None  # a user or role of this very snapshot
    return pc.values, pc.absent


def _share_may_answers(views: dict[str, PrincipalView]) -> None:
    """Views whose identity documents have the same Allow Action/NotAction lists (the same
    `DocActions.allowed` parts, as a set) share one `may` memo: the answer depends on those lists
    only (users of the same groups, roles of the same policies or of inline policies alike)."""
    shared: dict[tuple[int, ...], dict[str, bool]] = {}
    for v in views.values():
        docs = v._doc_indexes  # every view's are read by the build anyway (its gates, its admin probe)
        key = (id(docs[0].allowed),) if len(docs) == 1 else tuple(dict.fromkeys([id(d.allowed) for d in docs]))
        v._may = shared.setdefault(key, v._may)


def _org_lookup(snapshot: Snapshot) -> Callable[[str], OrgFacts | None] | None:
    """Organisation facts of a resource's account, when the snapshot holds organisation data."""
    org = getattr(snapshot, "organization", None)
    org_id = getattr(org, "id", "") if org is not None else ""
    if not org_id:
        return None
    members = set(getattr(org, "accounts", ())) | set(snapshot.org_paths) | {getattr(org, "management_account", "")}

    def lookup(account: str) -> OrgFacts | None:
        if account not in members:
            return None
        nodes = snapshot.org_paths.get(account, ())
        path = "/".join([org_id, *(n.id for n in nodes if n.kind.value != "account")]) + "/" if nodes else None
        return OrgFacts(org_id=org_id, path=path)

    return lookup


def _policy_set(snapshot: Snapshot, arn: str, account: str) -> PolicySet:
    """The principal's policies. RCPs are those of its own account: the techniques act on resources
    of the principal's account (a cross-account AssumeRole is the one exception, see AccountIndex)."""
    return identity_policy_set(snapshot, arn, account)


def decision_rank(d: Decision) -> int:
    """Higher is more permissive: Allowed > Unknown > ImplicitlyDenied > ExplicitlyDenied."""
    return {Decision.ALLOWED: 3, Decision.UNKNOWN: 2, Decision.IMPLICIT_DENY: 1, Decision.EXPLICIT_DENY: 0}[d]
