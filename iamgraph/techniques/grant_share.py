"""One principal's `can(action, resource)` answer, shared with every principal that the answer
cannot tell apart (the same policy documents for the action, the same values of the keys their
conditions read, the same kind of credential).

`PrincipalView.can(action, resource, context=...)` (no resource policy, no other policy set, not
a tagging request) reads the principal only through:

- the policies of its set (identity, boundaries, session, SCP and RCP levels) whose statements
  are about the action or the companions the attacker model may ask for (`actions_of`), and
  their citations (`PolicyRef`); a policy with no such statement adds nothing to any group, but
  boundaries, session, SCPs and RCPs take part by their mere presence, so they are all in the key;
- the request context: the principal's own keys (base context, known-absent keys) read only by
  the conditions of those statements, laid under the keys the request fixes from (action,
  resource) (`RequestScope.keys`, the same object for every view of a build) and the attacker
  view's scan time and resource tags (the same object for every view of a build);
- the caller as the engine sees its ARN (account, service-linked or not: `Caller`);
- the attacker model's credential variants: user or role, and the principal's creation time
  (which bounds aws:TokenIssueTime, so it is in the key only when a condition tests that key).

It is not shared (None key) when the policy set has a resource policy or account, or when a
consulted statement holds a policy variable (Resource/NotResource or condition value: it may
read any key), names a credential key in a variable, or tests a resource or caller tag (then the
attacker may tag the principal itself: steps naming its ARN). Every other principal with the same
key gets the same Result. The memo is per AccountIndex (one build), and it keeps every object a
key names by id alive (documents, scope, attacker model), so an id is never reused meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..evaluate.attacker import actions_of, relevant
from ..evaluate.engine import statements_for
from ..evaluate.matching import Caller
from ..evaluate.types import ContextValue, PolicySet, Result
from ..model import Policy, PolicyDocument, PolicyRef
from ..model.slot_init import slot_init
from .principal import PrincipalView

_MISSING = object()  # a key the principal's base context does not hold (distinct from any value)
_UNSET = object()


@dataclass(eq=False)
class _Principal:
    """What a key reads of one view, computed once per view (again when its policy set, base
    context or absent keys are replaced)."""

    view: PrincipalView
    policies: PolicySet
    base: dict[str, ContextValue]
    gone: frozenset[str]  # the view's base_absent, as read
    lowered: dict[str, ContextValue]
    absent: frozenset[str]
    facts: tuple[object, ...]  # kind, and the caller as the engine sees its ARN
    times: Mapping[str, float | None] | None  # the attacker's creation times, as read (None: no attacker)
    others: int | None  # the number of its non-identity policies with scope and attacker (None: not shared)
    parts: dict[str, int | None] = field(default_factory=dict)  # action -> `part`
    _created: object = _UNSET

    @property
    def created(self) -> float | None:
        """The view's creation time from `times`, read on first use (only keys of actions whose
        conditions test aws:TokenIssueTime hold it)."""
        got = self._created
        if got is _UNSET:
            got = self._created = self.times.get(self.view.arn) if self.times is not None else None
        return got  # type: ignore[return-value]  # only a time or None is stored


@slot_init
@dataclass(frozen=True, slots=True)
class _ActionPart:
    """What the keys of one action read besides the request and the principal's facts, for one
    set of consulted policies: the condition keys (sorted) and whether one is aws:TokenIssueTime."""

    keys: tuple[str, ...]
    token_time: bool


@dataclass(eq=False)
class SharedAnswers:
    """`can` answers of one build shared between principals (module docstring); `verify`: compute
    every shared answer afresh as well and raise when they differ (tests only)."""

    verify: bool = False
    hits: int = 0
    _memo: dict[tuple[object, ...], Result] = field(default_factory=dict)
    _numbers: dict[tuple[object, ...], int] = field(default_factory=dict)
    _alive: list[object] = field(default_factory=list)
    _acts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _prefixes: dict[str, frozenset[str]] = field(default_factory=dict)  # action -> services of `_acts`
    # action -> document id -> (the document, a statement is about the action, one holds a
    # variable, `_doc_info`'s statement key); never dropped, so the documents and their statements
    # stay alive and the ids in `_stmt_parts` keys are not reused meanwhile
    _docs: dict[str, dict[int, tuple[PolicyDocument, bool, bool, tuple[object, ...]]]] = field(default_factory=dict)
    _parts: dict[tuple[object, ...], _ActionPart | None] = field(default_factory=dict)
    # `_action_part` by what it reads: the other policies and, per consulted document, its
    # version and the statements about the action (documents sharing statement objects share it)
    _stmt_parts: dict[tuple[object, ...], _ActionPart | None] = field(default_factory=dict)
    # each distinct `_part` value -> its number (what `part` gives: cheap to hash and compare)
    _part_numbers: dict[tuple[object, ...], int] = field(default_factory=dict)
    # citations by value -> number; id of a citation object -> (it, its number): hashed once per object
    _ref_values: dict[PolicyRef, int] = field(default_factory=dict)
    _refs: dict[int, tuple[PolicyRef, int]] = field(default_factory=dict)
    _who: dict[int, _Principal] = field(default_factory=dict)
    # document id -> (the document, `doc_services` of it): held, so the id is not reused meanwhile
    _services: dict[int, tuple[PolicyDocument, frozenset[str] | None]] = field(default_factory=dict)

    def can(
        self, src: PrincipalView, action: str, resource: str, context: dict[str, ContextValue] | None = None
    ) -> Result:
        """`src.can(action, resource, context=context)`, shared with the principals of one key."""
        part = self.part(src, action)
        if part is None:
            return src.can(action, resource, context=context)
        key = (part, resource, tuple(sorted(context.items())) if context else ())
        hit = self._memo.get(key)
        if hit is not None:
            self.hits += 1
            if self.verify:
                fresh = src.can(action, resource, context=context)
                if fresh != hit:
                    raise AssertionError(f"shared answer differs for {src.arn} {action} {resource}: {fresh} != {hit}")
            return hit
        res = self._memo[key] = src.can(action, resource, context=context)
        return res

    def part(self, src: PrincipalView, action: str) -> int | None:
        """What `can` reads of `src` for a request for `action`, whatever the resource and the
        context (module docstring), as a number of this memo (equal numbers exactly for equal
        values of `_part`): principals with equal parts get the same answer to the same (action,
        resource, context); None: `src`'s answers for `action` are not shared. Kept per view
        record (rebuilt when the view's policies or own keys are replaced)."""
        who = self._who.get(id(src))
        if (
            who is None
            or who.view is not src
            or who.policies is not src.policies
            or who.base is not src.base_context
            or who.gone is not src.base_absent
        ):
            who = self._who[id(src)] = self._principal(src)
        held = who.parts.get(action, _UNSET)
        if held is not _UNSET:
            return held  # type: ignore[return-value]  # only parts are stored
        value = self._part(who, action)
        if value is None:
            who.parts[action] = None
            return None
        numbers = self._part_numbers
        out = who.parts[action] = numbers.setdefault(value, len(numbers))
        return out

    def _part(self, who: _Principal, action: str) -> tuple[object, ...] | None:
        if who.others is None:
            return None
        consulted: list[tuple[int, int]] = []
        stmts: list[tuple[object, ...]] = []
        refs = self._refs
        infos = self._docs.get(action)
        if infos is None:
            infos = self._docs[action] = {}
        for p in who.policies.identity:
            doc = p.document
            info = infos.get(id(doc))
            if info is None or info[0] is not doc:
                info = self._doc_info(doc, action)
            if info[2]:
                return None
            if info[1]:
                ref = p.ref
                held = refs.get(id(ref))
                if held is None or held[0] is not ref:
                    by_value = self._ref_values
                    held = refs[id(ref)] = (ref, by_value.setdefault(ref, len(by_value)))
                consulted.append((held[1], id(doc)))  # the citation's number: equal exactly for equal refs
                stmts.append(info[3])
        pk = (who.others, action, *consulted)
        ap = self._parts.get(pk, _UNSET)
        if ap is _UNSET:
            # the same for every pk naming the same statements (citations are not read)
            sk = (who.others, action, *stmts)
            ap = self._stmt_parts.get(sk, _UNSET)
            if ap is _UNSET:
                ap = self._stmt_parts[sk] = self._action_part(who.policies, action)
            self._parts[pk] = ap  # type: ignore[assignment]  # only parts are stored
        if ap is None:
            return None
        assert isinstance(ap, _ActionPart)
        values = tuple((who.lowered.get(k, _MISSING), k in who.absent) for k in ap.keys) if ap.keys else ()
        return (pk, who.facts, who.created if ap.token_time else None, values)

    def _actions(self, action: str) -> tuple[str, ...]:
        """The actions whose statements a request for `action` consults (lower case)."""
        hit = self._acts.get(action)
        if hit is None:
            hit = self._acts[action] = tuple(actions_of(action.lower()))
        return hit

    def _doc_info(self, doc: PolicyDocument, action: str) -> tuple[PolicyDocument, bool, bool, tuple[object, ...]]:
        """(doc, a statement of it is about `action` or a companion, one of those holds a policy
        variable, what `_action_part` reads of it: its version (which decides how the evaluator
        compiles conditions and variables) and the ids of those statements, in order), kept: the
        entry holds the document, so its id is not reused meanwhile. A
        document naming none of the actions' services is about none of them (`doc_services`):
        its statements are not matched one by one."""
        acts = self._actions(action)
        held = self._services.get(id(doc))
        if held is None or held[0] is not doc:
            held = self._services[id(doc)] = (doc, doc_services(doc))
        services = held[1]
        prefixes = self._prefixes.get(action)
        if prefixes is None:
            prefixes = self._prefixes[action] = frozenset(a.partition(":")[0] for a in acts)
        if services is not None and services.isdisjoint(prefixes):
            none: tuple[PolicyDocument, bool, bool, tuple[object, ...]] = (doc, False, False, ())
            self._docs.setdefault(action, {})[id(doc)] = none
            return none
        found = [cs for a in acts for cs in statements_for(doc, a)]
        dynamic = any(cs.res_dynamic or any(c.dynamic for c in cs.conds) for cs in found)
        key: tuple[object, ...] = (doc.version, *[id(cs.stmt) for cs in found])
        info = self._docs.setdefault(action, {})[id(doc)] = (doc, bool(found), dynamic, key)
        return info

    def _principal(self, src: PrincipalView) -> _Principal:
        pset = src.policies
        caller = Caller(src.arn)
        others: int | None = None
        if pset.resource is None and pset.resource_account is None:
            rest = _others(pset)
            held: list[object] = [src.scope, src.attacker, *(p.document for p in rest)]
            sig = (id(src.scope), id(src.attacker), _shape(pset), tuple((p.ref, id(p.document)) for p in rest))
            others = self._numbers.get(sig)
            if others is None:
                others = self._numbers[sig] = len(self._numbers)
                self._alive.extend(held)  # the objects the signature names by id
        return _Principal(
            view=src,
            policies=pset,
            base=src.base_context,
            gone=src.base_absent,
            lowered={k.lower(): v for k, v in src.base_context.items()},
            absent=frozenset(k.lower() for k in src.base_absent),
            facts=(src.kind, caller.account, caller.is_service, caller.is_service_linked),
            times=src.attacker.created if src.attacker is not None else None,
            others=others,
        )

    def _action_part(self, pset: PolicySet, action: str) -> _ActionPart | None:
        """The part of the keys of `action` that `pset`'s consulted statements give (None: not
        shared); the same for every policy set with the same other policies and, in its consulted
        identity documents, the same statements about the action under the same document
        versions (`relevant` reads statements, not citations; the version is defensive: it
        decides how conditions compile, and a document whose variables it enables is not shared)."""
        acts = self._actions(action)
        rel = relevant(pset, acts)
        if rel.tags or rel.credential_variable:
            return None
        for p in _others(pset):
            info = self._docs.get(action, {}).get(id(p.document))
            if info is None or info[0] is not p.document:
                info = self._doc_info(p.document, action)
            if info[2]:
                return None
        keys = tuple(sorted({c.key for c in rel.conds}))
        return _ActionPart(keys=keys, token_time="aws:tokenissuetime" in keys)


def doc_services(doc: PolicyDocument) -> frozenset[str] | None:
    """The services (lower case) of the Action patterns of `doc`'s statements: a statement
    matches an action (lower case) only if the action's text before its first `:` is one of
    them, since an Action pattern whose text before its first `:` is literal matches only
    actions with that prefix. None (any action may match): a statement with NotAction, or a
    pattern without `:` or with a wildcard or variable before it."""
    out: set[str] = set()
    for st in doc.statements:
        if st.actions is None:
            return None  # NotAction (the evaluator matches not_actions when actions is None)
        for p in st.actions:
            svc, sep, _ = p.lower().partition(":")
            if not sep or "*" in svc or "?" in svc or "$" in svc:
                return None
            out.add(svc)
    return frozenset(out)


def _others(pset: PolicySet) -> tuple[Policy, ...]:
    """The policies of the set besides identity ones (boundaries, session, SCPs, RCPs)."""
    out: list[Policy] = [*pset.boundaries]
    if pset.session is not None:
        out.append(pset.session)
    for lvl in pset.scps:
        out.extend(lvl)
    for lvl in pset.rcps:
        out.extend(lvl)
    return tuple(out)


def _shape(pset: PolicySet) -> tuple[int, bool, tuple[int, ...], tuple[int, ...]]:
    """How the non-identity policies split into types and levels (each level is one group of the
    decision; defensive: the citations' policy kinds and the caller's account already tell them)."""
    return (len(pset.boundaries), pset.session is not None, tuple(map(len, pset.scps)), tuple(map(len, pset.rcps)))


__all__ = ["SharedAnswers"]
