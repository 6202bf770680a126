"""Trust index: the one walk over every role's trust policy (roles by the principals they name)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Effect, Snapshot, Statement, account_of, role_arn_of_session


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


def build_trust_index(snapshot: Snapshot) -> TrustIndex:
    """Walk every role's trust policy once."""
    by_p: dict[str, list[str]] = defaultdict(list)
    by_a: dict[str, list[str]] = defaultdict(list)
    fed: dict[str, list[str]] = defaultdict(list)
    svc: dict[str, list[str]] = defaultdict(list)
    wild: list[str] = []
    star: list[str] = []
    allows: dict[str, tuple[Statement, ...]] = {}
    usable: set[str] = set()
    for r in snapshot.roles.values():
        mine: list[Statement] = []
        for s in r.trust_policy.document.statements:
            if s.effect is not Effect.ALLOW:
                continue
            if _names_a_usable_principal(s):
                usable.add(r.arn)
            if s.principal is None:
                continue
            mine.append(s)
            p = s.principal
            if p.wildcard:
                star.append(r.arn)
            if p.wildcard or "*" in p.aws:
                wild.append(r.arn)
            for e in p.aws:
                acct = aws_principal_account(e)
                if acct:
                    by_a[acct].append(r.arn)
                elif e.startswith("arn:"):
                    by_p[e].append(r.arn)
            for f in p.federated:
                fed[f].append(r.arn)
            for sv in p.service:
                svc[sv.lower()].append(r.arn)
        if mine:
            allows[r.arn] = tuple(mine)

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
