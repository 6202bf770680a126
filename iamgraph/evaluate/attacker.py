"""The attacker's view of a request: is there a context within the attacker's reach that allows it?

Given the first (static, open-world) decision of a request, `resolve()` answers the existential
question over the finite values the applicable policies mention:

- credential keys (`aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge`, `aws:TokenIssueTime`)
  follow the credential the attacker holds: an IAM user's access key carries none of them; a
  session token from sts:GetSessionToken without MFA has MFA `false` (and cannot call IAM, nor STS
  other than AssumeRole/GetCallerIdentity); a role session without MFA has MFA `false` and a token
  issued between the role's creation (when known) and the scan time (the decision must hold for
  every such time). A console session and credentials issued with MFA are outside what the
  attacker is assumed to hold: when only they allow the request, it stays Unknown;
- keys the attacker writes into the request (context_keys.KeyClass.REQUEST) get chosen values;
  `aws:RequestTag/*` and `aws:TagKeys` are chosen together (the keys sent are the tag keys);
- tags of the target resource / of the caller may be set first when `tag_resource` / `tag_self`
  says the attacker may tag them (the tag request becomes a step of the evidence);
- a Deny the attacker can dodge does not block; when every candidate context is denied and the
  candidates are complete for the operators involved, the request is denied.
The chosen values are returned in `Result.context`, the enabling requests in `Result.steps`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache

from ..model import PolicyDocument
from .conditions import CompiledCondition, Context, parse_date
from .context_keys import CREDENTIAL_KEYS, KeyClass, classify, info, tag_key_of
from .engine import PreparedStatement, statements_for
from .types import ContextValue, Decision, PolicySet, Result, Step

ABSENT = None  # an assignment value: the attacker leaves the key out of the request
Assignment = dict[str, ContextValue | None]
Decider = Callable[[str, Context], Result]
# tags the attacker wants on a resource (tag key -> value) -> the tag request's result, or None (not allowed)
Tagger = Callable[[Mapping[str, str]], Step | None]

MAX_CANDIDATES = 384  # evaluations per credential variant (a search beyond this is left Unknown)
MAX_TAG_KEYS = 5
FRESH = "iamgraph-chosen"  # a value no policy mentions

_IAM_OK_WITH_SESSION_TOKEN = frozenset({"sts:assumerole", "sts:getcalleridentity"})
# IAM create calls that take tags need the matching tag permission as well (IAM User Guide,
# "Tagging IAM resources": e.g. "you must also have permission to call iam:TagRole")
_TAG_ON_CREATE = {
    "iam:createrole": "iam:TagRole",
    "iam:createuser": "iam:TagUser",
    "iam:createpolicy": "iam:TagPolicy",
    "iam:createinstanceprofile": "iam:TagInstanceProfile",
    "iam:createopenidconnectprovider": "iam:TagOpenIDConnectProvider",
    "iam:createsamlprovider": "iam:TagSAMLProvider",
}


class Credential(str, Enum):
    """The credential an attacker holding the principal uses for the request."""

    ACCESS_KEY = "access key"  # an IAM user's long-term key
    SESSION_TOKEN = "session token without MFA"  # sts:GetSessionToken with that key
    CONSOLE = "console session without MFA"  # the user's password: not assumed held
    ROLE_SESSION = "role session without MFA"
    WITH_MFA = "temporary credentials issued with MFA"  # outside the attacker's control


@dataclass(frozen=True, kw_only=True, slots=True)
class Attacker:
    """What the attacker holds: an IAM user's key or a role's session; `now` and `created` in epoch
    seconds (`created`: when the principal was created, None when the input does not say)."""

    is_user: bool
    now: float
    created: float | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class _Variant:
    credential: Credential
    values: Mapping[str, ContextValue] = field(default_factory=dict)
    absent: frozenset[str] = frozenset()
    token_window: tuple[float, float] | None = None  # aws:TokenIssueTime lies in [lo, hi]
    in_control: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class Relevant:
    """What the statements `decide` consults for some actions hold: their compiled conditions (in
    policy order, actions first), and whether any names a credential key in a policy variable
    (Resource/NotResource or a condition value; over-approximated: a `${` in a text naming one)."""

    conds: tuple[CompiledCondition, ...]
    credential_variable: bool
    tags: bool = False  # some condition tests a tag of the resource or of the caller


_COND_MEMO: dict[tuple[int, tuple[str, ...]], tuple[PolicySet, Relevant]] = {}
_COND_MEMO_CAP = 8192
_NONE = Relevant(conds=(), credential_variable=False)
# the part of a policy set a principal's requests share (all but the resource policy), per action
_Held = tuple[object, object, object, object, object]
_BASE_MEMO: dict[tuple[int, int, int, int, int, str], tuple[_Held, Relevant]] = {}
_BASE_MEMO_CAP = 32768


def relevant(policies: PolicySet, actions: Iterable[str]) -> Relevant:
    """`Relevant` of every statement (any policy type) whose Action matches one of `actions`
    (memoised per document and action; per action for the policies other than the resource
    policy, by the identity of their tuples; and per policy-set object. Each entry holds the
    objects its key names, so their ids are not reused meanwhile)."""
    acts = tuple(actions)
    key = (id(policies), acts)
    hit = _COND_MEMO.get(key)
    if hit is not None and hit[0] is policies:
        return hit[1]
    if len(_COND_MEMO) >= _COND_MEMO_CAP:
        _COND_MEMO.clear()
    res = policies.resource
    parts: list[Relevant] = []
    for a in acts:
        low = a.lower()
        base = _base_relevant(policies, low)
        if base is not _NONE:
            parts.append(base)
        if res is not None:
            r = _doc_relevant(res.document, low)
            if r is not _NONE:
                parts.append(r)
    found = _joined(parts)
    _COND_MEMO[key] = (policies, found)
    return found


def _joined(parts: list[Relevant]) -> Relevant:
    if not parts:
        return _NONE
    if len(parts) == 1:
        return parts[0]
    return Relevant(
        conds=tuple(c for r in parts for c in r.conds),
        credential_variable=any(r.credential_variable for r in parts),
        tags=any(r.tags for r in parts),
    )


def _base_relevant(policies: PolicySet, action_lower: str) -> Relevant:
    """`Relevant` of the identity policies, boundaries, SCP and RCP levels and session policy, in
    that order, for one action."""
    held = (policies.identity, policies.boundaries, policies.scps, policies.rcps, policies.session)
    key = (id(held[0]), id(held[1]), id(held[2]), id(held[3]), id(held[4]), action_lower)
    hit = _BASE_MEMO.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], held)):
        return hit[1]
    if len(_BASE_MEMO) >= _BASE_MEMO_CAP:
        _BASE_MEMO.clear()
    docs = [p.document for p in (*policies.identity, *policies.boundaries)]
    docs += [p.document for lvl in (*policies.scps, *policies.rcps) for p in lvl]
    if policies.session is not None:
        docs.append(policies.session.document)
    found = _joined([r for d in docs if (r := _doc_relevant(d, action_lower)) is not _NONE])
    _BASE_MEMO[key] = (held, found)
    return found


def forget_memos() -> None:
    """Drop the policy-set memos (`relevant`): their entries hold policies alive, so a process that
    builds one account after another (fan-out) frees each account's policies with its graph."""
    _COND_MEMO.clear()
    _BASE_MEMO.clear()


def relevant_conditions(policies: PolicySet, actions: Iterable[str]) -> list[CompiledCondition]:
    """The compiled conditions of every statement (any policy type) whose Action matches one of
    `actions` (see `relevant`)."""
    return list(relevant(policies, actions).conds)


def _doc_relevant(doc: PolicyDocument, action_lower: str) -> Relevant:
    """`Relevant` of one document's statements for one action (kept on the document)."""
    memo = doc.memo.get("attacker_relevant")
    if memo is None:
        memo = doc.memo["attacker_relevant"] = {}
    assert isinstance(memo, dict)
    hit = memo.get(action_lower)
    if hit is None:
        stmts = statements_for(doc, action_lower)
        conds = tuple(c for cs in stmts for c in cs.conds)
        cred_var = any(_names_credential_variable(t) for cs in stmts for t in _variable_texts(cs))
        if len(memo) > _COND_MEMO_CAP:
            memo.clear()
        tags = any(classify(c.key) in (KeyClass.RESOURCE_TAG, KeyClass.SELF_TAG) for c in conds)
        hit = memo[action_lower] = (
            Relevant(conds=conds, credential_variable=cred_var, tags=tags) if conds or cred_var else _NONE
        )
    return hit


def _variable_texts(cs: PreparedStatement) -> list[str]:
    st = cs.stmt
    return [*(st.resources or ()), *(st.not_resources or ()), *(v for c in st.conditions for v in c.values)]


def _names_credential_variable(text: str) -> bool:
    low = text.lower()
    return "${" in low and any(k in low for k in CREDENTIAL_KEYS)


def _variants(attacker: Attacker, action: str, pinned: frozenset[str]) -> tuple[_Variant, ...]:
    """The credentials to try, in order (the action matters only through whether a session token
    from GetSessionToken may call it)."""
    svc = action.split(":", 1)[0]
    return _variants_for(attacker, svc != "iam" and (svc != "sts" or action in _IAM_OK_WITH_SESSION_TOKEN), pinned)


@lru_cache(maxsize=1024)
def _variants_for(attacker: Attacker, session_token_ok: bool, pinned: frozenset[str]) -> tuple[_Variant, ...]:
    """`_variants`, shared: the variants are read only."""
    if pinned & CREDENTIAL_KEYS:
        return (_Variant(credential=Credential.ROLE_SESSION if not attacker.is_user else Credential.ACCESS_KEY),)
    now = attacker.now
    lo = attacker.created if attacker.created is not None and attacker.created <= now else None
    window = (lo, now) if lo is not None else None
    # temporary credentials with MFA: MultiFactorAuthPresent true, the age Unknown
    mfa = _Variant(
        credential=Credential.WITH_MFA,
        values={"aws:multifactorauthpresent": "true"},
        token_window=window,
        in_control=False,
    )
    if attacker.is_user:
        out = [_Variant(credential=Credential.ACCESS_KEY, absent=CREDENTIAL_KEYS)]
        if session_token_ok:
            # GetSessionToken: "You cannot call any IAM API operations unless MFA authentication
            # information is included in the request. You cannot call any AWS STS API except
            # AssumeRole or GetCallerIdentity." (AWS STS API Reference, GetSessionToken)
            out.append(
                _Variant(
                    credential=Credential.SESSION_TOKEN,
                    values={"aws:multifactorauthpresent": "false", "aws:tokenissuetime": str(int(now))},
                    absent=frozenset({"aws:multifactorauthage"}),
                )
            )
        # a console sign-in without MFA: temporary credentials with MultiFactorAuthPresent false (global
        # keys page, "IAM users in the AWS Management Console unknowingly use temporary credentials")
        console = _Variant(
            credential=Credential.CONSOLE,
            values={"aws:multifactorauthpresent": "false", "aws:tokenissuetime": str(int(now))},
            absent=frozenset({"aws:multifactorauthage"}),
            in_control=False,
        )
        return (*out, console, mfa)
    role = _Variant(
        credential=Credential.ROLE_SESSION,
        values={"aws:multifactorauthpresent": "false"},
        absent=frozenset({"aws:multifactorauthage"}),
        token_window=window,
    )
    return (role, mfa)


def _layered(
    root: Context, delta: Mapping[str, ContextValue], extra: frozenset[str], a: Assignment | None = None
) -> Context:
    """`root` (the request's own keys) with `delta` laid over it, `extra` added to its absent keys,
    and then the assignment `a` (ABSENT: the key left out of the request). The same answers as the
    flat context of the merged mapping: a key given a value wins over its being absent below."""
    if not a:
        return Context.over(root, delta, extra)
    overlay: dict[str, ContextValue | None] = dict(delta)
    gone = set(extra)
    for k, v in a.items():
        overlay[k] = v
        if v is ABSENT:
            gone.add(k)
    return Context.over(root, overlay, frozenset(gone))


# ---- candidate values ----------------------------------------------------------------------


def _witness(pattern: str) -> str:
    return pattern.replace("*", "").replace("?", "x") or "x"


def _numbers(vals: list[float]) -> list[str]:
    pts = sorted(set(vals))
    out = [pts[0] - 1.0, pts[-1] + 1.0, *pts]
    out += [(a + b) / 2 for a, b in zip(pts, pts[1:])]
    return [repr(x) if x != int(x) else str(int(x)) for x in sorted(set(out))]


def key_candidates(conds: list[CompiledCondition], may_omit: bool) -> tuple[list[ContextValue | None], bool]:
    """Values worth trying for one single-valued key, and whether they cover every outcome of `conds`
    (every condition's truth depends only on which of the finite policy values the key matches)."""
    strings: dict[str, None] = {}
    nums: list[float] = []
    dates: list[float] = []
    complete = True
    wild_patterns = 0
    for c in conds:
        spec = c.spec
        if spec is None or c.dynamic:
            complete = False
            continue
        name = spec.name.lower().split(":")[-1].replace("ifexists", "")
        vals = list(c.cond.values)
        if spec.is_null:
            continue
        if name.startswith("numeric"):
            for v in vals:
                try:
                    nums.append(float(v))
                except ValueError:
                    pass
        elif name.startswith("date"):
            for v in vals:
                try:
                    dates.append(parse_date(v))
                except (ValueError, OverflowError):
                    pass
        elif name == "bool":
            strings.update({"true": None, "false": None})
        elif name.startswith("string") or name.startswith("arn"):
            if name.startswith("arn"):
                complete = False
            for v in vals:
                if "like" in name and ("*" in v or "?" in v):
                    wild_patterns += 1
                    strings[_witness(v)] = None
                else:
                    strings[v] = None
        else:
            complete = False
    if wild_patterns > 1:
        complete = False
    out: list[ContextValue | None] = []
    if may_omit:
        out.append(ABSENT)
    out.extend(strings)
    if nums:
        out.extend(_numbers(nums))
    if dates:
        out.extend(_numbers(dates))
    out.append(FRESH)
    return list(dict.fromkeys(out)), complete


def _tag_plans(
    conds_by_key: dict[str, list[CompiledCondition]], request_tag_keys: list[str], tag_keys_key: str | None
) -> tuple[list[Assignment], bool]:
    """Assignments of aws:RequestTag/* and aws:TagKeys that agree with each other."""
    complete = True
    universe: dict[str, None] = {}
    for k in request_tag_keys:
        t = tag_key_of(k)
        if t is not None:
            universe[t] = None
    if tag_keys_key is not None:
        for c in conds_by_key.get(tag_keys_key, ()):
            if c.spec is None or c.dynamic:
                complete = False
                continue
            for v in c.cond.values:
                if "*" in v or "?" in v:
                    complete = False
                    universe[_witness(v)] = None
                else:
                    universe[v] = None
        universe[FRESH] = None
    keys = list(universe)
    if len(keys) > MAX_TAG_KEYS:
        keys, complete = keys[:MAX_TAG_KEYS], False
    by_tag = {tag_key_of(k) or "": k for k in request_tag_keys}
    plans: list[Assignment] = []
    for n in range(len(keys) + 1):
        for subset in itertools.combinations(keys, n):
            choices: list[list[tuple[str, str]]] = []
            for t in subset:
                ctx_key = by_tag.get(t)
                if ctx_key is None:
                    choices.append([(f"aws:requesttag/{t.lower()}", FRESH)])
                    continue
                vals, ok = key_candidates(conds_by_key.get(ctx_key, []), may_omit=False)
                complete = complete and ok
                choices.append([(ctx_key, str(v)) for v in vals if v is not ABSENT])
            for combo in itertools.product(*choices):
                a: Assignment = {k: ABSENT for k in request_tag_keys}
                a.update(dict(combo))
                if tag_keys_key is not None:
                    a[tag_keys_key] = tuple(subset) if subset else ABSENT
                plans.append(a)
    return plans, complete


# ---- the search ------------------------------------------------------------------------------


@dataclass(kw_only=True)
class _Search:
    action: str
    decide: Decider
    conds: list[CompiledCondition]
    pinned: frozenset[str]
    tag_resource: Tagger | None
    tag_self: Tagger | None
    known: Mapping[str, ContextValue]
    root: Context  # the request's own keys (`known` and the keys known absent), open world
    spelling: dict[str, str] = field(default_factory=dict)  # lower-case key -> as the policy writes it

    def choosable(self) -> dict[str, list[CompiledCondition]]:
        by_key: dict[str, list[CompiledCondition]] = {}
        for c in self.conds:
            if c.key in self.pinned:
                continue
            cls = classify(c.key)
            if (
                cls is KeyClass.REQUEST
                or (cls is KeyClass.RESOURCE_TAG and self.tag_resource is not None)
                or (cls is KeyClass.SELF_TAG and self.tag_self is not None)
            ):
                by_key.setdefault(c.key, []).append(c)
        return by_key

    def assignments(self) -> tuple[list[Assignment], bool]:
        by_key = self.choosable()
        if not by_key:
            return [], True
        complete = True
        axes: list[list[Assignment]] = []
        req_tags = [k for k in by_key if classify(k) is KeyClass.REQUEST and k.startswith("aws:requesttag/")]
        tag_keys = "aws:tagkeys" if "aws:tagkeys" in by_key else None
        if req_tags or tag_keys:
            plans, ok = _tag_plans(by_key, req_tags, tag_keys)
            axes.append(plans)
            complete = complete and ok
        groups: dict[tuple[KeyClass, str], list[str]] = {}
        for k in by_key:
            cls = classify(k)
            if cls in (KeyClass.RESOURCE_TAG, KeyClass.SELF_TAG):
                groups.setdefault((cls, (tag_key_of(k) or k).lower()), []).append(k)
        for (_cls, _t), keys in groups.items():
            conds = [c for k in keys for c in by_key[k]]
            vals, ok = key_candidates(conds, may_omit=False)
            complete = complete and ok
            current = next((self.known[k] for k in keys if k in self.known), ABSENT)
            # first option: leave the tag as it is (known, known absent, or Unknown for resources
            # whose tags the input does not hold); then each value the attacker could set
            opts: list[Assignment] = [{}]
            opts += [{k: v for k in keys} for v in vals if v is not ABSENT and v != current]
            axes.append(opts)
        for k, conds in by_key.items():
            if k.startswith("aws:requesttag/") or k == "aws:tagkeys" or classify(k) is not KeyClass.REQUEST:
                continue
            vals, ok = key_candidates(conds, may_omit=not info(k).always_present)
            complete = complete and ok
            axes.append([{k: v} for v in vals])
        out: list[Assignment] = []
        for combo in itertools.product(*axes):
            a: Assignment = {}
            for part in combo:
                a.update(part)
            out.append(a)
            if len(out) >= MAX_CANDIDATES:
                return out, False
        return out, complete

    def steps_for(
        self, a: Assignment, delta: Mapping[str, ContextValue], extra: frozenset[str]
    ) -> tuple[Step, ...] | None:
        """The requests that must succeed first (tagging) or alongside (tag/identity permissions)."""
        steps: list[Step] = []
        for tagger, cls in ((self.tag_resource, KeyClass.RESOURCE_TAG), (self.tag_self, KeyClass.SELF_TAG)):
            want = {
                tag_key_of(k) or k: str(v)
                for k, v in a.items()
                if v is not ABSENT and classify(k) is cls and self.known.get(k) != v
            }
            if want:
                if tagger is None:
                    return None
                s = tagger(want)
                if s is None:
                    return None
                steps.append(s)
        companions: list[str] = []
        sends_tags = any(
            v is not ABSENT and (k.startswith("aws:requesttag/") or k == "aws:tagkeys") for k, v in a.items()
        )
        if sends_tags and self.action.startswith("sts:assumerole"):
            companions.append("sts:TagSession")  # "Passing session tags in AWS STS": sts:TagSession is required
        if sends_tags and self.action in _TAG_ON_CREATE:
            companions.append(_TAG_ON_CREATE[self.action])
        if self.action.startswith("sts:assumerole") and any(
            v is not ABSENT and k in ("sts:sourceidentity", "aws:sourceidentity") for k, v in a.items()
        ):
            companions.append("sts:SetSourceIdentity")
        for comp in companions:
            r = self.decide(comp.lower(), _layered(self.root, delta, extra, a))
            if not r.possible:
                return None
            steps.append(Step(action=comp, resource="", result=r))
        return tuple(steps)

    def run(
        self,
        delta: Mapping[str, ContextValue],
        extra: frozenset[str],
        first: Result | None = None,
        ctx: Context | None = None,
    ) -> Result:
        """The best answer with `delta` laid over the request's own keys (`extra`: further keys
        known absent) and the choosable keys searched (`first`: the decision with exactly those
        keys, when the caller has it; `ctx`: their context, when the caller has built it)."""
        if first is None:
            first = self.decide(self.action, ctx if ctx is not None else _layered(self.root, delta, extra))
        if first.allowed:
            return first
        cands, complete = self.assignments()
        if not cands:
            return first
        best: Result | None = None
        denials: list[Result] = []
        for a in cands:
            r = self.decide(self.action, _layered(self.root, delta, extra, a))
            if not r.possible:
                denials.append(r)
                continue
            steps = self.steps_for(a, delta, extra)
            if steps is None:
                denials.append(replace(r, decision=Decision.IMPLICIT_DENY, unknown_keys=frozenset()))
                continue
            chosen = tuple(
                sorted((self.spelling.get(k, k), v) for k, v in a.items() if v is not ABSENT and self.known.get(k) != v)
            )
            cand = replace(r, context=chosen, steps=steps)
            if any(not s.result.allowed for s in steps) and cand.allowed:
                cand = replace(
                    cand,
                    decision=Decision.UNKNOWN,
                    unknown_keys=frozenset(k for s in steps for k in s.result.unknown_keys),
                )
            if cand.allowed:
                return cand
            if best is None or len(cand.unknown_keys) < len(best.unknown_keys):
                best = cand
        if best is not None:
            return best
        if first.decision is Decision.UNKNOWN and complete and denials:
            implicit = [d for d in denials if d.decision is Decision.IMPLICIT_DENY]
            return implicit[0] if implicit else denials[0]
        return first


def _times(conds: list[CompiledCondition], lo: float, hi: float) -> list[float]:
    """Points of [lo, hi] that cover every outcome of the date conditions on aws:TokenIssueTime."""
    pts = {lo, hi}
    for c in conds:
        if c.key != "aws:tokenissuetime" or c.spec is None:
            continue
        for v in c.cond.values:
            try:
                t = parse_date(v)
            except (ValueError, OverflowError):
                continue
            if lo <= t <= hi:
                pts.add(t)
    s = sorted(pts)
    return sorted(set(s) | {(a + b) / 2 for a, b in zip(s, s[1:])})


@dataclass(kw_only=True)
class _CredentialRuns:
    """`search.run` for each credential variant of one request, shared between variants that no
    statement can tell apart. Variants differ only in the credential keys (CREDENTIAL_KEYS); the
    decisions read those keys only through the conditions on them (`cred_conds`) and through policy
    variables. So when no consulted statement names a credential key in a variable (`shared`),
    two variants whose contexts give every condition on a credential key the same outcome get the
    same answer from every decision the search makes: the first one's result is reused."""

    search: _Search
    cred_conds: list[CompiledCondition]
    shared: bool
    done: dict[tuple[tuple[object, object], ...], Result] = field(default_factory=dict)

    @classmethod
    def create(cls, search: _Search, conds: list[CompiledCondition], reads_variable: bool) -> _CredentialRuns:
        cred = list({id(c): c for c in conds if c.key in CREDENTIAL_KEYS}.values())
        return cls(search=search, cred_conds=cred, shared=not reads_variable)

    def __call__(self, delta: Mapping[str, ContextValue], extra: frozenset[str]) -> Result:
        """`search.run(delta, extra)`, or the answer of an earlier variant no condition tells apart."""
        ctx = _layered(self.search.root, delta, extra)
        if not self.shared:
            return self.search.run(delta, extra, ctx=ctx)
        # a static condition reads only its key; one with variables is told apart by its key's value
        outcome = tuple((c.key, ctx.get(c.key)) if c.dynamic else c.evaluate(ctx) for c in self.cred_conds)
        hit = self.done.get(outcome)
        if hit is None:
            hit = self.done[outcome] = self.search.run(delta, extra, ctx=ctx)
        return hit


def actions_of(action: str) -> list[str]:
    """The request's action (lower case) and the companions it may need (sts:TagSession, ...):
    every action `resolve` decides for it."""
    actions = [action, *(a for a in ("sts:tagsession", "sts:setsourceidentity") if action.startswith("sts:assumerole"))]
    if action in _TAG_ON_CREATE:
        actions.append(_TAG_ON_CREATE[action].lower())
    return actions


def may_change(first: Result, action: str, policies: PolicySet) -> bool:
    """False when `resolve` returns `first` whatever the taggers are (lets a caller skip building
    them): `first` is allowed, no consulted statement has a condition, or `first` is a definite
    denial and no condition tests a resource or caller tag."""
    if first.allowed:
        return False
    rel = relevant(policies, actions_of(action.lower()))
    if not rel.conds:
        return False
    return first.decision is Decision.UNKNOWN or rel.tags


def tests_tags(action: str, policies: PolicySet) -> bool:
    """Does a condition `resolve` may search test a tag of the resource or of the caller? When
    not, its taggers are never called: a caller may pass None for them."""
    return relevant(policies, actions_of(action.lower())).tags


def resolve(
    first: Result,
    *,
    action: str,
    decide: Decider,
    values: Mapping[str, ContextValue],
    absent: frozenset[str],
    policies: PolicySet,
    attacker: Attacker,
    pinned: frozenset[str] = frozenset(),
    tag_resource: Tagger | None = None,
    tag_self: Tagger | None = None,
) -> Result:
    """The attacker's answer for a request whose open-world decision is `first` (see the module
    docstring). `values`/`absent`: the keys already fixed (principal, scan time, pins); `pinned`:
    keys the user fixed (never chosen). Returns `first` unchanged when nothing can be decided."""
    if first.allowed:
        return first
    action = action.lower()
    values = {k.lower(): v for k, v in values.items()}
    pinned = frozenset(k.lower() for k in pinned)
    actions = actions_of(action)
    rel = relevant(policies, actions)
    conds = list(rel.conds)
    if not conds:
        return first
    keys = {c.key for c in conds}
    taggable = tag_resource is not None or tag_self is not None
    if first.decision is not Decision.UNKNOWN:
        wants = any(classify(k) in (KeyClass.RESOURCE_TAG, KeyClass.SELF_TAG) for k in keys) if taggable else False
        if not wants:
            return first
    search = _Search(
        action=action,
        decide=decide,
        conds=conds,
        pinned=pinned,
        tag_resource=tag_resource,
        tag_self=tag_self,
        known=values,
        root=Context.from_mapping(values, (), True, absent),
        spelling={c.key: c.cond.key for c in conds},
    )
    cred_keys = keys & CREDENTIAL_KEYS - pinned
    if not cred_keys:
        if not search.choosable():
            return first  # nothing the attacker controls: the static answer stands
        return search.run({}, frozenset(), first)
    results: list[tuple[_Variant, Result]] = []
    run = _CredentialRuns.create(search, conds, rel.credential_variable)
    for var in _variants(attacker, action, pinned):
        if not var.in_control and any(r.decision is Decision.UNKNOWN for v, r in results if v.in_control):
            break  # the attacker's own credential already leaves it Unknown: other credentials change nothing
        # the variant's keys laid over the request's own (a key it sets wins over its being absent)
        vals = {k: v for k, v in var.values.items() if k not in pinned}
        gone = frozenset(k for k in var.absent if k not in pinned) - frozenset(var.values)
        if var.token_window is not None and "aws:tokenissuetime" in keys and "aws:tokenissuetime" not in pinned:
            outs = [
                run({**vals, "aws:tokenissuetime": str(t)}, gone - {"aws:tokenissuetime"})
                for t in _times(conds, *var.token_window)
            ]
            if all(o.allowed for o in outs) or all(not o.possible for o in outs):
                r = outs[0]
            else:  # holds for some issue times only
                r = next((o for o in outs if o.decision is Decision.UNKNOWN), outs[0])
                r = replace(r, decision=Decision.UNKNOWN, unknown_keys=r.unknown_keys | {"aws:TokenIssueTime"})
        else:
            r = run(vals, gone)
        if var.in_control and r.allowed:
            return replace(r, credential=var.credential.value)  # the attacker's own credential suffices
        results.append((var, r))
    for var, r in results:
        if var.in_control and r.allowed:
            return replace(r, credential=var.credential.value)
    for var, r in results:
        if var.in_control and r.decision is Decision.UNKNOWN:
            return replace(r, credential=var.credential.value)
    for var, r in results:
        if not var.in_control and r.possible:
            # only a console session or credentials issued with MFA allow it: conditional on how the
            # principal signs in (outside what the attacker is assumed to hold)
            tested = frozenset(search.spelling.get(k, k) for k in cred_keys)
            return replace(
                r,
                decision=Decision.UNKNOWN,
                unknown_keys=r.unknown_keys | tested,
                credential=f"needs a {var.credential.value} (not assumed held by the attacker)",
            )
    return next((r for var, r in results if var.in_control), first)


__all__ = [
    "Attacker",
    "Credential",
    "resolve",
    "may_change",
    "tests_tags",
    "actions_of",
    "forget_memos",
    "relevant",
    "Relevant",
    "relevant_conditions",
    "key_candidates",
    "ABSENT",
    "FRESH",
]
