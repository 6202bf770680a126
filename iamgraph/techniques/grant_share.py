"""One principal's `can(action, resource)` answer, shared with every principal that the answer
cannot tell apart (the same policy documents for the action, the same values of the keys their
conditions read, the same kind of credential).

`PrincipalView.can(action, resource, context=...)` (no resource policy, no other policy set, not
a tagging request) reads the principal only through:

- the policies of its set (identity, boundaries, session, SCP and RCP levels) whose statements
  are about the action or the companions the attacker model may ask for (`_actions_of`), and
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
key gets the same Result. The memo is per AccountIndex (one build), and each entry keeps the
objects its key names by id alive and checks them on a hit, so an id is never reused meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..evaluate.attacker import _actions_of, relevant
from ..evaluate.engine import statements_for
from ..evaluate.matching import Caller
from ..evaluate.types import ContextValue, PolicySet, Result
from ..model import Policy, PolicyDocument
from .principal import PrincipalView

_MISSING = object()  # a key the principal's base context does not hold (distinct from any value)


@dataclass(eq=False)
class _Consulted:
    """Of one document, for one tuple of actions: does a statement match one of them, and does
    one of those hold a policy variable (Resource/NotResource or a condition)."""

    doc: PolicyDocument
    any: bool
    dynamic: bool


@dataclass(eq=False)
class _Principal:
    """What a key reads of one view, computed once per view (again when its base context or absent keys are replaced)."""

    view: PrincipalView
    base: dict[str, ContextValue]
    gone: frozenset[str]  # the view's base_absent, as read
    lowered: dict[str, ContextValue]
    absent: frozenset[str]
    facts: tuple[object, ...]  # kind, and the caller as the engine sees its ARN
    created: float | None


@dataclass(eq=False)
class SharedAnswers:
    """`can` answers of one build shared between principals (module docstring); `verify`: compute
    every shared answer afresh as well and raise when they differ (tests only)."""

    verify: bool = False
    _memo: dict[tuple[object, ...], tuple[tuple[object, ...], Result]] = field(default_factory=dict)
    _docs: dict[tuple[int, tuple[str, ...]], _Consulted] = field(default_factory=dict)
    _who: dict[int, _Principal] = field(default_factory=dict)
    hits: int = 0

    def can(
        self, src: PrincipalView, action: str, resource: str, context: dict[str, ContextValue] | None = None
    ) -> Result:
        """`src.can(action, resource, context=context)`, shared with the principals of one key."""
        found = self._key(src, action, resource, context)
        if found is None:
            return src.can(action, resource, context=context)
        key, alive = found
        held = self._memo.get(key)
        if held is not None and len(held[0]) == len(alive) and all(a is b for a, b in zip(held[0], alive)):
            self.hits += 1
            if self.verify:
                fresh = src.can(action, resource, context=context)
                if fresh != held[1]:
                    raise AssertionError(
                        f"shared answer differs for {src.arn} {action} {resource}: {fresh} != {held[1]}"
                    )
            return held[1]
        res = src.can(action, resource, context=context)
        self._memo[key] = (alive, res)
        return res

    def _key(
        self, src: PrincipalView, action: str, resource: str, context: dict[str, ContextValue] | None
    ) -> tuple[tuple[object, ...], tuple[object, ...]] | None:
        """The share key and the objects it names by id (None: not shared)."""
        pset = src.policies
        if pset.resource is not None or pset.resource_account is not None:
            return None
        acts = tuple(_actions_of(action.lower()))
        rel = relevant(pset, acts)
        if rel.tags or rel.credential_variable:
            return None
        who = self._who.get(id(src))
        if who is None or who.view is not src or who.base is not src.base_context or who.gone is not src.base_absent:
            who = self._who[id(src)] = _principal(src)
        parts: list[object] = []
        alive: list[object] = [src.scope, src.attacker]
        for p in pset.identity:
            c = self._consulted(p.document, acts)
            if c.dynamic:
                return None
            if c.any:
                parts.append((p.ref, id(p.document)))
                alive.append(p.document)
        others = _others(pset)
        for p in others:
            c = self._consulted(p.document, acts)
            if c.dynamic:
                return None
            alive.append(p.document)
        values = tuple(
            sorted({(c.key, who.lowered.get(c.key, _MISSING), c.key in who.absent) for c in rel.conds}, key=_by_key)
        )
        # the creation time bounds the session's aws:TokenIssueTime: read only when a condition tests it
        created = who.created if any(c.key == "aws:tokenissuetime" for c in rel.conds) else None
        ctx_key = tuple(sorted(context.items())) if context else ()
        key = (
            action,
            resource,
            ctx_key,
            id(src.scope),
            id(src.attacker),
            who.facts,
            created,
            tuple(parts),
            _shape(pset),
            tuple((p.ref, id(p.document)) for p in others),
            values,
        )
        return key, tuple(alive)

    def _consulted(self, doc: PolicyDocument, acts: tuple[str, ...]) -> _Consulted:
        ck = (id(doc), acts)
        hit = self._docs.get(ck)
        if hit is None or hit.doc is not doc:
            stmts = [cs for a in acts for cs in statements_for(doc, a)]
            dyn = any(cs.res_dynamic or any(c.dynamic for c in cs.conds) for cs in stmts)
            hit = self._docs[ck] = _Consulted(doc, bool(stmts), dyn)
        return hit


def _principal(src: PrincipalView) -> _Principal:
    caller = Caller(src.arn)
    return _Principal(
        view=src,
        base=src.base_context,
        gone=src.base_absent,
        lowered={k.lower(): v for k, v in src.base_context.items()},
        absent=frozenset(k.lower() for k in src.base_absent),
        facts=(src.kind, caller.account, caller.is_service, caller.is_service_linked),
        created=src.attacker.created.get(src.arn) if src.attacker is not None else None,
    )


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
    """How the non-identity policies split into types and levels (a level is one group)."""
    return (len(pset.boundaries), pset.session is not None, tuple(map(len, pset.scps)), tuple(map(len, pset.rcps)))


def _by_key(item: tuple[str, object, bool]) -> str:
    return item[0]


__all__ = ["SharedAnswers"]
