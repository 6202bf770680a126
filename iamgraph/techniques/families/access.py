"""Principal access: get credentials of, or assume, another principal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...evaluate.types import Decision
from ...model import Effect, NodeKind, Policy, PolicyDocument, PolicyKind, PolicyRef, Principal, Statement, account_of
from ..account_index import AccountIndex
from ..base import Proposal, Technique
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView
from ..target_grants import granted_on

# enum members as module constants (read per candidate role)
_ALLOWED, _UNKNOWN = Decision.ALLOWED, Decision.UNKNOWN
_ASSUME_ROLE = EdgeKind.ASSUME_ROLE
_ROLE = NodeKind.ROLE


@dataclass(frozen=True)
class PrincipalAccess(Technique):
    """All `actions` on a target user (same account) give its credentials: source -> user."""

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        first, *rest = self.actions
        users = ctx.users_in(src.account)
        for arn, g in granted_on(ctx, src, first, users, group=f"users:{src.account}", skip=src.arn):
            grants = [g]
            for a in rest:
                g2 = ctx.grant(src, a, arn)
                if g2 is None:
                    break
                grants.append(g2)
            else:
                yield Proposal(arn, Evidence(self.id, EdgeKind.PRINCIPAL_ACCESS, tuple(grants)))


def trust_naming(caller_arn: str, role_arn: str) -> Policy:
    """The trust policy an attacker writes: Allow sts:AssumeRole to its own ARN."""
    doc = PolicyDocument(
        "2012-10-17",
        (Statement(effect=Effect.ALLOW, index=0, actions=("sts:AssumeRole",), principal=Principal(aws=(caller_arn,))),),
    )
    return Policy(
        PolicyRef(
            PolicyKind.CUSTOM,
            "iamgraph:trust-policy-the-attacker-writes",
            "trust policy the attacker writes",
            owner=role_arn,
        ),
        doc,
    )


def assume_after_rewrite(src: PrincipalView, role_arn: str) -> Grant | None:
    """sts:AssumeRole on `role_arn` once its trust policy names `src` (identity allow not needed)."""
    res = src.can(
        "sts:AssumeRole",
        role_arn,
        resource_policy=trust_naming(src.arn, role_arn),
        resource_account=account_of(role_arn),
    )
    if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
        return Grant("sts:AssumeRole", role_arn, res)
    return None


@dataclass(frozen=True)
class UpdateTrustThenAssume(Technique):
    """Rewrite a role's trust policy to name itself, then assume the role: source -> role."""

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not src.may("iam:UpdateAssumeRolePolicy"):
            return
        for arn, g in granted_on(
            ctx,
            src,
            "iam:UpdateAssumeRolePolicy",
            ctx.roles_in(src.account),
            group=f"roles:{src.account}",
            skip=src.arn,
        ):
            a = assume_after_rewrite(src, arn)
            if a is not None:
                yield Proposal(
                    arn,
                    Evidence(
                        self.id, EdgeKind.PRINCIPAL_ACCESS, (g, a), note="trust policy rewritten to name the source"
                    ),
                )


@dataclass(frozen=True)
class AssumeRole(Technique):
    """sts:AssumeRole where the role's trust policy and the caller's identity policies allow it."""

    def applies_to(self, src: PrincipalView) -> bool:
        return True  # a trust policy naming the source needs no identity permission

    def gate_action(self) -> str | None:
        return None

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        idx = ctx.trust_index
        named = idx.by_principal.get(src.arn, ())
        # an identity Allow naming sts:AssumeRole adds the roles trusting the source's account: none
        # trusts it (no entry), nothing to ask
        may_assume = src.account in idx.by_account and src.may("sts:AssumeRole")
        # candidates: roles whose trust names the source or anyone, and (with an identity Allow
        # naming sts:AssumeRole) those trusting its account; none of the three: none at all
        if named or idx.wildcard or may_assume:
            yield from self._trusted(ctx, src, named, may_assume)
        # trusts that name one session of this role (arn:aws:sts::A:assumed-role/NAME/session): whoever
        # acts as the role picks the session name, so the role reaches the trusting role that way too
        if idx.sessions and src.kind is _ROLE:
            yield from self._via_sessions(ctx, src)

    def _trusted(
        self, ctx: AccountIndex, src: PrincipalView, named: Iterable[str], may_assume: bool
    ) -> Iterable[Proposal]:
        """Edges to the candidate roles the source may assume (trust and identity policies)."""
        idx = ctx.trust_index
        cands: dict[str, None] = dict.fromkeys(named)
        cands.update(dict.fromkeys(idx.wildcard))
        if may_assume:
            root_roles = idx.by_account.get(src.account, ())
            cands.update(dict.fromkeys(a for a, _g in _prefilter(src, root_roles)))
        cands.pop(src.arn, None)
        tid = self.id
        for role_arn, res in ctx.assume_each(src, sorted(cands)):
            d = res.decision
            if d is _ALLOWED or d is _UNKNOWN:
                yield Proposal(role_arn, Evidence(tid, _ASSUME_ROLE, (Grant("sts:AssumeRole", role_arn, res),)))

    def _via_sessions(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        """Edges to the roles whose trust names a session of the source role."""
        parts = src.arn.split(":", 5)
        bare = f"arn:{parts[1]}:iam::{parts[4]}:role/{src.name}"
        for session_arn, role_arn in ctx.trust_index.sessions.get(bare, ()):
            if role_arn == src.arn or role_arn not in ctx.snapshot.roles:
                continue
            role = ctx.snapshot.roles[role_arn]
            res = src.can(
                "sts:AssumeRole",
                role_arn,
                resource_policy=role.trust_policy,
                resource_account=account_of(role_arn),
                as_session=session_arn,
            )
            if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
                yield Proposal(
                    role_arn,
                    Evidence(
                        self.id,
                        EdgeKind.ASSUME_ROLE,
                        (Grant("sts:AssumeRole", role_arn, res),),
                        via=session_arn,
                        note="trust names a session of the source role; its name is the caller's choice",
                    ),
                )


def _prefilter(src: PrincipalView, arns: Iterable[str]) -> Iterable[tuple[str, None]]:
    from ...evaluate.matching import resource_matches

    pats = src.allow_resource_patterns("sts:AssumeRole")
    star = "*" in pats
    for a in arns:
        if star or any("${" in p or resource_matches(p, a) for p in pats):
            yield a, None
