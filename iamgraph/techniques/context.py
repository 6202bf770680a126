"""BuildContext: the indexed account that techniques query (views, trust index, inventory)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..evaluate.engine import evaluate
from ..evaluate.types import Decision, PolicySet, Request, Result
from ..model import Effect, InventoryResource, NodeKind, Policy, Role, Snapshot, account_of
from .admin import ADMIN_POLICY_ARN, AdminStatus, admin_status, document_is_admin
from .evidence import Grant
from .principal import PrincipalView, build_views, decision_rank
from .resources import candidate_resources
from .trust import TrustIndex, build_trust_index

ASSUME_ACTIONS = ("sts:AssumeRole",)


@dataclass(eq=False)
class BuildContext:
    snapshot: Snapshot
    views: dict[str, PrincipalView] = field(default_factory=dict)
    _admin: dict[str, AdminStatus] = field(default_factory=dict)
    _service_trust: dict[tuple[str, str], Result] = field(default_factory=dict)
    _trusting: dict[str, list[tuple[Role, Result]]] = field(default_factory=dict)

    @classmethod
    def create(cls, snapshot: Snapshot) -> "BuildContext":
        return cls(snapshot, build_views(snapshot))

    # ---- admin -----------------------------------------------------------------------------
    def admin(self, arn: str) -> AdminStatus:
        st = self._admin.get(arn)
        if st is None:
            st = admin_status(self.views[arn])
            self._admin[arn] = st
        return st

    @cached_property
    def admin_policy_arns(self) -> tuple[str, ...]:
        """Managed policies whose default version allows `*` on `*` (AdministratorAccess first)."""
        out = [ADMIN_POLICY_ARN]
        for mp in self.snapshot.policies.values():
            d = mp.default_document
            if mp.arn != ADMIN_POLICY_ARN and d is not None and document_is_admin(d):
                out.append(mp.arn)
        return tuple(out)

    # ---- grants ----------------------------------------------------------------------------
    def grant(self, src: PrincipalView, action: str, resource: str, **kw: object) -> Grant | None:
        """Grant for one request, or None when it is denied (explicitly or implicitly)."""
        if "resource_policy" not in kw and not src.may_on(action, resource):
            return None  # no identity Allow could cover it (and no resource policy is involved)
        res = src.can(action, resource, **kw)  # type: ignore[arg-type]
        if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
            return Grant(action, resource, res)
        return None

    def chosen_grant(self, src: PrincipalView, action: str, template: str, **kw: object) -> Grant | None:
        """Best grant for an action on a resource the attacker names (e.g. a new function)."""
        if not src.may(action):
            return None
        best: Grant | None = None
        for res_arn in candidate_resources(src, action, template):
            g = self.grant(src, action, res_arn, **kw)
            if g is not None and (best is None or decision_rank(g.result.decision) > decision_rank(best.result.decision)):
                best = g
                if g.result.decision is Decision.ALLOWED:
                    break
        return best

    # ---- trust -----------------------------------------------------------------------------
    @cached_property
    def trust_index(self) -> TrustIndex:
        return build_trust_index(self.snapshot)

    @cached_property
    def roles_by_service(self) -> dict[str, tuple[Role, ...]]:
        """Service principal (lower case) -> roles whose trust policy has an Allow naming it or `*`."""
        idx: dict[str, list[Role]] = defaultdict(list)
        for r in self.snapshot.roles.values():
            names: set[str] = set()
            for s in r.trust_policy.document.statements:
                if s.effect is not Effect.ALLOW or s.principal is None:
                    continue
                if s.principal.wildcard:
                    names.add("*")
                names.update(x.lower() for x in s.principal.service)
            for n in names:
                idx[n].append(r)
        return {k: tuple(v) for k, v in idx.items()}

    def roles_trusting_service(self, service: str) -> list[tuple[Role, Result]]:
        """Roles the service may assume, with the trust evaluation (Allowed or Unknown)."""
        hit = self._trusting.get(service)
        if hit is not None:
            return hit
        cands = {r.arn: r for r in self.roles_by_service.get(service.lower(), ())}
        for r in self.roles_by_service.get("*", ()):
            cands.setdefault(r.arn, r)
        out = []
        for r in cands.values():
            res = self.service_trust(r, service)
            if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
                out.append((r, res))
        self._trusting[service] = sorted(out, key=lambda x: x[0].arn)
        return self._trusting[service]

    def service_trust(self, role: Role, service: str) -> Result:
        key = (role.arn, service)
        hit = self._service_trust.get(key)
        if hit is None:
            acct = account_of(role.arn)
            req = Request(principal_arn=service, action="sts:AssumeRole", resource=role.arn,
                          context={"aws:SourceAccount": acct, "aws:PrincipalIsAWSService": "true",
                                   "aws:PrincipalServiceName": service},
                          open_world=True, absent_keys=frozenset({"aws:principalarn", "aws:username"}))
            # a service principal belongs to no account: its grant comes from the trust policy alone
            hit = evaluate(req, PolicySet(resource=role.trust_policy))
            self._service_trust[key] = hit
        return hit

    def assume(self, src: PrincipalView, role: Role) -> Result:
        """May `src` call sts:AssumeRole on `role` (trust policy x identity policies)?"""
        return src.can("sts:AssumeRole", role.arn, resource_policy=role.trust_policy,
                       resource_account=account_of(role.arn))

    # ---- inventory -------------------------------------------------------------------------
    @cached_property
    def inventory_by_service(self) -> dict[str, tuple[InventoryResource, ...]]:
        idx: dict[str, list[InventoryResource]] = defaultdict(list)
        for item in self.snapshot.inventory:
            idx[item.service].append(item)
        return {k: tuple(v) for k, v in idx.items()}

    def inventory_complete(self, service: str) -> bool:
        return service in self.snapshot.inventory_collected

    # ---- misc ------------------------------------------------------------------------------
    def principals(self, kind: NodeKind | None = None) -> list[PrincipalView]:
        return [v for v in self.views.values() if kind is None or v.kind is kind]

    def managed_policy(self, arn: str) -> Policy | None:
        return self.snapshot.managed(arn)

