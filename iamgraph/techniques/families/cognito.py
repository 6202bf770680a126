"""Bind a role that trusts Cognito web-identity federation to an identity pool, then take its
credentials as an unauthenticated identity of that pool."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from ...evaluate.matching import resource_matches, statement_matches_action
from ...model import Effect, InventoryResource, Role
from ..account_index import AccountIndex
from ..base import Proposal, Technique
from ..evidence import EdgeKind, Evidence
from ..principal import PrincipalView
from .vehicles import REGION

COGNITO = "cognito-identity.amazonaws.com"
AUD, AMR = f"{COGNITO}:aud", f"{COGNITO}:amr"
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
SET_ROLES = "cognito-identity:SetIdentityPoolRoles"


@dataclass(frozen=True, slots=True, kw_only=True)
class CognitoTrust:
    """What a role's trust policy lets Cognito identities do: the pools it names (None: any),
    whether unauthenticated identities qualify, and the other condition keys it tests."""

    pools: tuple[str, ...] | None
    unauthenticated: bool
    other_keys: tuple[str, ...]


def cognito_trust(role: Role) -> CognitoTrust | None:
    """The role's Cognito web-identity trust (None when no Allow statement trusts Cognito)."""
    pools: set[str] = set()
    any_pool, unauth, others, found = False, False, set(), False
    for s in role.trust_policy.document.statements:
        if s.principal is None or COGNITO not in s.principal.federated or not statement_matches_action(s, WEB_IDENTITY):
            continue
        if s.effect is Effect.DENY:
            others.add("a Deny statement for Cognito identities")
            continue
        found = True
        conds = {c.key.lower(): c for c in s.conditions}
        aud, amr = conds.get(AUD), conds.get(AMR)
        if aud is None:
            any_pool = True
        else:
            pools.update(aud.values)
        unauth = unauth or amr is None or any(resource_matches(v, "unauthenticated") for v in amr.values)
        others.update(c.key for k, c in conds.items() if k not in (AUD, AMR))
    if not found:
        return None
    return CognitoTrust(
        pools=None if any_pool else tuple(sorted(pools)), unauthenticated=unauth, other_keys=tuple(sorted(others))
    )


_TRUSTS: weakref.WeakKeyDictionary[AccountIndex, dict[str, list[tuple[str, CognitoTrust]]]] = (
    weakref.WeakKeyDictionary()
)


def _unauthenticated_trusts(ctx: AccountIndex, account: str) -> list[tuple[str, CognitoTrust]]:
    """(role ARN, trust) for the roles of `account` (roles_in order) whose trust lets unauthenticated
    Cognito identities assume them; a role's trust policy decides it alone (built once per index)."""
    per = _TRUSTS.setdefault(ctx, {})
    hit = per.get(account)
    if hit is None:
        hit = per[account] = [
            (arn, t)
            for arn in ctx.roles_in(account)
            if (t := cognito_trust(ctx.snapshot.roles[arn])) is not None and t.unauthenticated
        ]
    return hit


def pool_arn(account: str, pool_id: str) -> str:
    region = pool_id.split(":", 1)[0] if ":" in pool_id else REGION
    return f"arn:aws:cognito-identity:{region}:{account}:identitypool/{pool_id}"


@dataclass(frozen=True)
class IdentityPoolRoles(Technique):
    """iam:PassRole + cognito-identity:SetIdentityPoolRoles on a pool the role's trust accepts.

    With identity-pool inventory: definite for a pool that allows unauthenticated identities.
    Without it: potential (whether the pool exists and allows them is not in IAM data)."""

    needs_inventory: ClassVar[bool] = True

    def gate_action(self) -> str | None:
        """cognito-identity:SetIdentityPoolRoles (the action after iam:PassRole), else the first
        action: `propose` yields only when `applies_to` (`may` every action)."""
        return self.actions[1] if len(self.actions) > 1 else super().gate_action()

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        collected = ctx.inventory_complete("cognito-identity")
        pools = {i.extra.get("pool_id", i.name): i for i in ctx.inventory_by_service.get("cognito-identity", ())}
        for arn, trust in _unauthenticated_trusts(ctx, src.account):
            if arn == src.arn:
                continue
            passed = ctx.grant(src, "iam:PassRole", arn, context={"iam:PassedToService": COGNITO})
            if passed is None:
                continue
            for pool, missing in self._pools(src, trust, pools, collected):
                g = ctx.grant(src, SET_ROLES, pool_arn(src.account, pool) if pool != "*" else "*")
                if g is None:
                    continue
                yield Proposal(
                    arn,
                    Evidence(
                        self.id,
                        EdgeKind.PASS_ROLE,
                        (passed, g),
                        missing=missing,
                        via=pool_arn(src.account, pool) if pool != "*" else None,
                        extra_conditions=trust.other_keys,
                        note="role bound to the pool's unauthenticated identities",
                    ),
                )
                break

    @staticmethod
    def _pools(
        src: PrincipalView, trust: CognitoTrust, inventory: dict[str, InventoryResource], collected: bool
    ) -> list[tuple[str, tuple[str, ...]]]:
        """(pool id, missing data) to try: inventoried pools allowing unauthenticated identities
        first (definite), then, without complete inventory, the pools the trust names (potential)."""
        out: list[tuple[str, tuple[str, ...]]] = []
        for pid, item in inventory.items():
            if item.extra.get("allow_unauthenticated") == "true" and (trust.pools is None or pid in trust.pools):
                out.append((pid, ()))
        if not collected:
            missing = ("inventory: whether the identity pool exists and allows unauthenticated identities",)
            out += [(p, missing) for p in (trust.pools if trust.pools is not None else ("*",))]
        return out
