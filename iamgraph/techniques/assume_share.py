"""One source's sts:AssumeRole decision, shared between roles whose trust documents are the same.

For a source, `AccountIndex.assume(src, role)` (PrincipalView.can with the role's trust policy, the
attacker's re-decisions included) reads the role only through:

- its trust document (one object for value-equal documents: the loader shares them);
- the role's account (resource account, cross-account RCPs and organisation keys: the caller's part
  of the key);
- the keys the request fixes from the ARN (`scope.keys`) for sts:AssumeRole and for iam:TagRole;
- which Resource/NotResource patterns of the consulted statements admit the ARN (statements about
  sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity or iam:TagRole in the identity, boundary,
  session, SCP, RCP and trust documents, the source's own RCPs included: the tagger uses them);
- the role's tags on the tag keys those statements' conditions name (aws:/iam:ResourceTag keys);
- whether the role is protected (IAM cannot tag it).

`share_key` returns those parts as a key (None when a consulted statement holds a policy variable:
it may read anything, so nothing is shared), and `rebind` turns the result computed for one role
into the other's: its citations of the first role's trust policy and its tag steps name the
other role. Everything else in a result (decision, unknown keys, chosen values, credential, the
citations of the source's policies) is the same for every role of one key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..evaluate.engine import PreparedStatement, statements_for
from ..evaluate.request_keys import RequestScope
from ..evaluate.special_rules import is_protected_role
from ..evaluate.types import PolicySet, Result, StatementRef, Step
from ..model import Policy, PolicyDocument, PolicyRef, Role

SHARED_ACTIONS = ("sts:assumerole", "sts:tagsession", "sts:setsourceidentity", "iam:tagrole")


@dataclass(frozen=True, kw_only=True, slots=True)
class Consulted:
    """The consulted statements whose Resource/NotResource may tell two roles apart (patterns other
    than `*`, in policy order) and the tag keys (lower case) their conditions test on the resource."""

    statements: tuple[PreparedStatement, ...]
    tag_keys: frozenset[str]


def consulted(documents: Iterable[PolicyDocument]) -> Consulted | None:
    """`Consulted` of the statements about SHARED_ACTIONS in `documents` (None: one holds a policy
    variable in Resource/NotResource or in a condition)."""
    seen: set[int] = set()
    kept: list[PreparedStatement] = []
    tags: set[str] = set()
    for doc in {id(d): d for d in documents}.values():
        for action in SHARED_ACTIONS:
            for cs in statements_for(doc, action):
                if id(cs) in seen:
                    continue
                seen.add(id(cs))
                if cs.res_dynamic or any(c.dynamic for c in cs.conds):
                    return None
                st = cs.stmt
                if st.not_resources is not None or (st.resources is not None and st.resources != ("*",)):
                    kept.append(cs)
                for c in cs.conds:
                    low = c.key.lower()
                    if ":resourcetag/" in low:
                        tags.add(low.split(":resourcetag/", 1)[1])
    return Consulted(statements=tuple(kept), tag_keys=frozenset(tags))


def policy_documents(*sets: PolicySet) -> list[PolicyDocument]:
    """Every document of the policy sets (identity, boundaries, session, SCP and RCP levels, resource)."""
    out: list[PolicyDocument] = []
    for ps in sets:
        pols: list[Policy] = [*ps.identity, *ps.boundaries, *(p for lvl in (*ps.scps, *ps.rcps) for p in lvl)]
        if ps.session is not None:
            pols.append(ps.session)
        if ps.resource is not None:
            pols.append(ps.resource)
        out.extend(p.document for p in pols)
    return out


def role_facts(arn: str, scope: RequestScope | None) -> tuple[object, ...]:
    """The parts of the key that depend on the role's ARN alone, whatever the source: the keys the
    request fixes from it for sts:AssumeRole and iam:TagRole (`scope`: the sources' RequestScope)
    and whether the role is protected. Equal for two ARNs: `share_key` may take one `facts` for both."""
    fixed = (scope.keys("sts:AssumeRole", arn), scope.keys("iam:TagRole", arn)) if scope is not None else ()
    return (fixed, is_protected_role(arn))


def share_key(
    role: Role,
    found: Consulted,
    scope: RequestScope | None,
    tags_of: Callable[[str], dict[str, str] | None] | None,
    facts: object = None,
) -> tuple[object, ...]:
    """The parts of `role` the decision reads besides the source, its policies and the role's account
    (module docstring);
    `tags_of`: the attacker model's tag lookup (None: no attacker model, tags are not read);
    `facts`: a stand-in for `role_facts(role.arn, scope)` (equal stand-ins exactly for equal facts),
    None: computed here."""
    arn = role.arn
    kept = found.statements
    matches = tuple(cs.matches_resource(arn) for cs in kept) if kept else ()
    tags: tuple[tuple[str, str], ...] | None = ()
    if tags_of is not None and found.tag_keys:
        held = tags_of(arn)
        tags = None if held is None else tuple((k, v) for k, v in held.items() if k.lower() in found.tag_keys)
    return (id(role.trust_policy.document), role_facts(arn, scope) if facts is None else facts, matches, tags)


def rebind(res: Result, old: PolicyRef, new: PolicyRef, old_arn: str, new_arn: str) -> Result:
    """`res` computed for the role `old_arn` (trust policy `old`), as the result for `new_arn`."""
    steps = res.steps
    if steps:
        steps = tuple(
            Step(
                action=s.action,
                resource=new_arn if s.resource == old_arn else s.resource,
                result=rebind(s.result, old, new, old_arn, new_arn),
            )
            for s in steps
        )
    denied = res.denied_by
    # every field of Result, in order (tests/techniques/test_trust_answers.py pins the list):
    # cheaper than dataclasses.replace
    return Result(
        res.decision,
        _rebound(res.allowed_by, old, new),
        _rebound(denied, old, new) if denied else denied,
        res.unknown_keys,
        res.context,
        steps,
        res.credential,
    )


def _rebound(rows: tuple[StatementRef, ...], old: PolicyRef, new: PolicyRef) -> tuple[StatementRef, ...]:
    """`rows` with each citation of `old` (or an equal ref) citing `new` instead; the same tuple
    when none does."""
    kind = old.kind  # tested first: most rows cite the source's own (identity) policies
    out: list[StatementRef] | None = None
    i = 0
    for r in rows:
        p = r.policy
        if p is old or (p.kind == kind and p == old):
            if out is None:
                out = list(rows)
            out[i] = StatementRef(new, r.index, r.sid)
        i += 1
    return rows if out is None else tuple(out)


__all__ = ["Consulted", "consulted", "policy_documents", "role_facts", "share_key", "rebind", "SHARED_ACTIONS"]
