"""Trust index: the one walk over every role's trust policy (roles by the principals they name)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..evaluate.engine import evaluate, statements_for
from ..evaluate.types import PolicySet, Request, Result
from ..model import Effect, Policy, PolicyDocument, Role, Snapshot, Statement, account_of, role_arn_of_session
from .assume_share import rebind


@dataclass(frozen=True)
class TrustIndex:
    """Roles by the AWS principals their trust policies name (Allow statements only)."""

    by_principal: dict[str, tuple[str, ...]]  # user/role ARN -> role ARNs naming it
    by_account: dict[str, tuple[str, ...]]  # account id -> role ARNs trusting that account's root
    wildcard: tuple[str, ...]  # role ARNs trusting "*" / {"AWS": "*"}
    federated: dict[str, tuple[str, ...]]  # provider ARN or name -> role ARNs
    services: dict[str, tuple[str, ...]]  # service principal -> role ARNs
    sessions: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # role ARN without path (arn:P:iam::A:role/NAME) -> ((session ARN named in a trust, trusting role ARN), ...)
    allows: dict[str, tuple[Statement, ...]] = field(default_factory=dict)
    # role ARN -> its trust policy's Allow statements that name a Principal (document order)
    star: tuple[str, ...] = ()  # role ARNs with a literal `Principal: "*"`
    usable: frozenset[str] = frozenset()  # roles whose trust names someone who could use it

    def trusted_statements(self, role_arn: str) -> tuple[Statement, ...]:
        """The Allow statements with a Principal of `role_arn`'s trust policy."""
        return self.allows.get(role_arn, ())


def aws_principal_account(entry: str) -> str | None:
    """Account id when the entry names an account root ("123..." or arn:...:root), else None."""
    if entry.isdigit() and len(entry) == 12:
        return entry
    if entry.startswith("arn:") and entry.endswith(":root"):
        return account_of(entry)
    return None


def _names_a_usable_principal(s: Statement) -> bool:
    """Could anyone use this Allow statement? (AWS principals given as unique ids, e.g. "AROA...",
    stand for deleted principals: nobody; Allow with NotPrincipal admits everyone else.)"""
    p = s.principal
    if p is None:
        return s.not_principal is not None
    if p.wildcard or p.service or p.federated or p.canonical_user:
        return True
    return any(e == "*" or e.startswith("arn:") or aws_principal_account(e) for e in p.aws)


@dataclass(frozen=True, slots=True)
class _DocTrust:
    """What one trust document adds to the index for each role holding it (`_doc_trust`)."""

    usable: bool  # an Allow statement names someone who could use the role
    allows: tuple[Statement, ...]  # its Allow statements that name a Principal (document order)
    star: bool  # a literal `Principal: "*"`
    wild: bool  # `*` or {"AWS": "*"}
    accounts: tuple[str, ...]  # account ids whose root it trusts (first-seen order, each once)
    principals: tuple[str, ...]  # other AWS principal ARNs it names
    federated: tuple[str, ...]
    services: tuple[str, ...]  # service principals, lower case


def _doc_trust(doc: PolicyDocument) -> _DocTrust:
    """The index entries of one trust document (the same for every role holding it: the walk
    reads a role's trust policy only through its document's statements)."""
    usable = star = wild = False
    mine: list[Statement] = []
    accts: dict[str, None] = {}
    prins: dict[str, None] = {}
    fed: dict[str, None] = {}
    svc: dict[str, None] = {}
    for s in doc.statements:
        if s.effect is not Effect.ALLOW:
            continue
        if _names_a_usable_principal(s):
            usable = True
        if s.principal is None:
            continue
        mine.append(s)
        p = s.principal
        if p.wildcard:
            star = True
        if p.wildcard or "*" in p.aws:
            wild = True
        for e in p.aws:
            acct = aws_principal_account(e)
            if acct:
                accts[acct] = None
            elif e.startswith("arn:"):
                prins[e] = None
        for f in p.federated:
            fed[f] = None
        for sv in p.service:
            svc[sv.lower()] = None
    return _DocTrust(usable, tuple(mine), star, wild, tuple(accts), tuple(prins), tuple(fed), tuple(svc))


def build_trust_index(snapshot: Snapshot) -> TrustIndex:
    """Walk every role's trust policy once (each distinct trust document's entries computed once)."""
    by_p: dict[str, list[str]] = defaultdict(list)
    by_a: dict[str, list[str]] = defaultdict(list)
    fed: dict[str, list[str]] = defaultdict(list)
    svc: dict[str, list[str]] = defaultdict(list)
    wild: list[str] = []
    star: list[str] = []
    allows: dict[str, tuple[Statement, ...]] = {}
    usable: set[str] = set()
    # id(document) -> (the document, its entries): the entry holds the document, so its id is not reused
    plans: dict[int, tuple[PolicyDocument, _DocTrust]] = {}
    for r in snapshot.roles.values():
        arn = r.arn
        doc = r.trust_policy.document
        held = plans.get(id(doc))
        if held is None or held[0] is not doc:
            held = plans[id(doc)] = (doc, _doc_trust(doc))
        t = held[1]
        if t.usable:
            usable.add(arn)
        if not t.allows:
            continue
        allows[arn] = t.allows
        if t.star:
            star.append(arn)
        if t.wild:
            wild.append(arn)
        for k in t.accounts:
            by_a[k].append(arn)
        for k in t.principals:
            by_p[k].append(arn)
        for k in t.federated:
            fed[k].append(arn)
        for k in t.services:
            svc[k].append(arn)

    def freeze(d: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(dict.fromkeys(v)) for k, v in d.items()}

    sessions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry, roles in by_p.items():
        parent = role_arn_of_session(entry)
        if parent:
            sessions[parent].extend((entry, r) for r in dict.fromkeys(roles))
    return TrustIndex(
        freeze(by_p),
        freeze(by_a),
        tuple(dict.fromkeys(wild)),
        freeze(fed),
        freeze(svc),
        {k: tuple(v) for k, v in sessions.items()},
        allows,
        tuple(dict.fromkeys(star)),
        frozenset(usable),
    )


@dataclass(eq=False)
class TrustAnswers:
    """`evaluate` of one caller's request on a role, its trust policy as the resource policy (open
    world, no context), shared between roles the answer cannot tell apart (`share_key`). Made per
    graph build (the trust edges' walk); an entry holds its role and identity policies, so the
    ids in its key (trust document, identity tuple) are not reused while it lives."""

    hits: int = 0
    _memo: dict[tuple[object, ...], tuple[Role, tuple[Policy, ...], Result]] = field(default_factory=dict)

    def ask(
        self, role: Role, caller: str, action: str, identity: tuple[Policy, ...] = (), account: str | None = None
    ) -> Result:
        """`evaluate(Request(caller, action, role.arn, open_world=True), PolicySet(identity=identity,
        resource=role.trust_policy, resource_account=account))`, shared."""
        key = share_key(role, caller, action, identity, account)
        if key is not None:
            held = self._memo.get(key)
            if held is not None:
                self.hits += 1
                first = held[0]
                if first is role:
                    return held[2]
                return rebind(held[2], first.trust_policy.ref, role.trust_policy.ref, first.arn, role.arn)
        res = evaluate(
            Request(principal_arn=caller, action=action, resource=role.arn, open_world=True),
            PolicySet(identity=identity, resource=role.trust_policy, resource_account=account),
        )
        if key is not None:
            self._memo[key] = (role, identity, res)
        return res


def share_key(
    role: Role, caller: str, action: str, identity: tuple[Policy, ...], account: str | None
) -> tuple[object, ...] | None:
    """What `TrustAnswers.ask` reads of the role besides the citation of its trust policy (which
    `rebind` replaces): the trust document, the caller, the action, the identity policies, the
    resource account, the role's ARN up to its name (partition, service, account, resource type
    and path: what the engine reads of the resource ARN besides matching) and which
    Resource/NotResource patterns of the statements about the action admit the ARN. None (not
    shared): a statement about the action holds a policy variable."""
    arn = role.arn
    low = action.lower()
    matches: list[bool | None] = []
    for doc in (*(p.document for p in identity), role.trust_policy.document):
        for cs in statements_for(doc, low):
            if cs.res_dynamic or any(c.dynamic for c in cs.conds):
                return None
            st = cs.stmt
            if st.not_resources is not None or (st.resources is not None and st.resources != ("*",)):
                matches.append(cs.matches_resource(arn))
    return (
        id(role.trust_policy.document),
        caller,
        action,
        id(identity),
        account,
        arn.rsplit("/", 1)[0],
        tuple(matches),
    )
