"""BuildContext: the indexed account that techniques query (views, trust index, inventory)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..evaluate.engine import evaluate
from ..evaluate.matching import resource_matches
from ..evaluate.types import Decision, PolicySet, Request, Result
from ..model import Effect, InventoryResource, NodeKind, Policy, Role, Snapshot, account_of
from .admin import ADMIN_POLICY_ARN, AdminStatus, admin_status, document_is_admin
from .base import Hub
from .evidence import EdgeKind, Evidence, Grant
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
    _hubs: dict[tuple, Hub] = field(default_factory=dict)
    _pattern_class: dict[tuple[str, str], str] = field(default_factory=dict)
    _pattern_hits: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _passable: dict[tuple[str, str], list] = field(default_factory=dict)

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

    # ---- hubs (linear fan-out on large accounts) -------------------------------------------
    def service_hub(self, service: str, *, kind: str, label: str, missing: tuple[str, ...] = (),
                    only_with_instance_profile: bool = False) -> Hub:
        """Hub `kind` ("new" or "existing:<what>") for `service`, fanning out to every role the
        service may assume (optionally only roles that have an instance profile)."""
        key = (service, kind, only_with_instance_profile)
        hub = self._hubs.get(key)
        if hub is None:
            members = []
            for role, trust in self.roles_trusting_service(service):
                if only_with_instance_profile and not role.instance_profile_arns:
                    continue
                members.append((role.arn, Evidence("service-runs-as", EdgeKind.ASSUME_ROLE,
                                                   (Grant("sts:AssumeRole", role.arn, trust),), missing=missing,
                                                   note=f"{service} may run as this role")))
            suffix = ":ip" if only_with_instance_profile else ""
            hub = self._hubs[key] = Hub(f"iamgraph:{kind}:{service}{suffix}", label, tuple(members))
        return hub

    def candidates(self, src: PrincipalView, action: str, arns: list[str] | tuple[str, ...], group: str) -> set[str] | None:
        """ARNs among `arns` that some identity Allow pattern of `src` for `action` matches
        (None = all of them). Wildcard pattern matches are cached per (pattern, group)."""
        pats = src.resolved_patterns(action)
        if "*" in pats:
            return None
        out: set[str] = set()
        members: frozenset[str] | None = None
        for pat in pats:
            if "*" not in pat and "?" not in pat:
                if members is None:
                    members = self._members(arns, group)
                if pat in members:
                    out.add(pat)
                continue
            out |= self._hits(pat, list(arns), group)
        return out

    def _members(self, arns: list[str] | tuple[str, ...], group: str) -> frozenset[str]:
        hit = self._pattern_hits.get(("\0members", group))
        if hit is None:
            hit = self._pattern_hits[("\0members", group)] = frozenset(arns)
        return hit

    def passrole_grants(self, src: PrincipalView, service: str) -> list[tuple[Role, Result, Grant]]:
        """Roles trusting `service` that `src` may pass to it, with the trust and PassRole results.

        Roles whose ARNs match exactly the same resource patterns of the source's PassRole-relevant
        statements get the same decision, so one evaluation per such class is enough."""
        key = (src.arn, service)
        hit = self._passable.get(key)
        if hit is not None:
            return hit
        roles = self.roles_trusting_service(service)
        arns = [r.arn for r, _ in roles]
        cands = self.candidates(src, "iam:PassRole", arns, service)
        patterns = self._relevant_patterns(src, "iam:PassRole")
        by_class: dict[tuple, Result] = {}
        out: list[tuple[Role, Result, Grant]] = []
        for role, trust in roles:
            if role.arn == src.arn or (cands is not None and role.arn not in cands):
                continue
            if patterns is None:
                res = src.can("iam:PassRole", role.arn, context={"iam:PassedToService": service})
            else:
                cls = tuple(role.arn in self._hits(p, arns, service) for p in patterns)
                res = by_class.get(cls)
                if res is None:
                    res = by_class[cls] = src.can("iam:PassRole", role.arn, context={"iam:PassedToService": service})
            if res.decision in (Decision.ALLOWED, Decision.UNKNOWN):
                out.append((role, trust, Grant("iam:PassRole", role.arn, res)))
        self._passable[key] = out
        return out

    def _hits(self, pattern: str, arns: list[str], group: str) -> frozenset[str]:
        hit = self._pattern_hits.get((pattern, group))
        if hit is None:
            hit = self._pattern_hits[(pattern, group)] = frozenset(a for a in arns if resource_matches(pattern, a))
        return hit

    def _relevant_patterns(self, src: PrincipalView, action: str) -> tuple[str, ...] | None:
        """Every resource pattern of a statement about `action` in the source's identity, boundary
        and SCP policies (None when one uses a policy variable: then evaluate every resource)."""
        from ..evaluate.matching import statement_matches_action
        pats: list[str] = []
        for p in (*src.policies.identity, *src.policies.boundaries, *(q for lvl in src.policies.scps for q in lvl)):
            for st in p.document.statements:
                if statement_matches_action(st, action):
                    for pat in (st.resources if st.resources is not None else st.not_resources or ()):
                        if "${" in pat:
                            return None
                        if pat != "*":
                            pats.append(pat)
        return tuple(dict.fromkeys(pats))

    def uniform_over(self, src: PrincipalView, action: str, arns: list[str], group: str) -> bool:
        """True when every resource pattern of every statement about `action` in the source's
        identity, boundary and SCP policies matches all or none of `arns` (named `group` for
        caching): then one evaluation on any member decides for all of them."""
        from ..evaluate.matching import statement_matches_action
        policies = [*src.policies.identity, *src.policies.boundaries, *(p for lvl in src.policies.scps for p in lvl)]
        for p in policies:
            for st in p.document.statements:
                if not statement_matches_action(st, action):
                    continue
                for pat in (st.resources if st.resources is not None else st.not_resources or ()):
                    if pat == "*":
                        continue
                    if "${" in pat:
                        return False
                    cls = self._pattern_class.get((pat, group))
                    if cls is None:
                        hits = sum(1 for a in arns if resource_matches(pat, a))
                        cls = "all" if hits == len(arns) else "none" if hits == 0 else "some"
                        self._pattern_class[(pat, group)] = cls
                    if cls == "some":
                        return False
        return True

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
    @cached_property
    def _by_account(self) -> dict[tuple[str, str], tuple[str, ...]]:
        idx: dict[tuple[str, str], list[str]] = defaultdict(list)
        for arn in self.snapshot.users:
            idx[("user", account_of(arn))].append(arn)
        for arn, r in self.snapshot.roles.items():
            if not r.is_service_linked:
                idx[("role", account_of(arn))].append(arn)
        return {k: tuple(v) for k, v in idx.items()}

    def users_in(self, account: str) -> tuple[str, ...]:
        """User ARNs of one account (snapshot order)."""
        return self._by_account.get(("user", account), ())

    def roles_in(self, account: str) -> tuple[str, ...]:
        """Role ARNs of one account, service-linked roles excluded."""
        return self._by_account.get(("role", account), ())

    def principals(self, kind: NodeKind | None = None) -> list[PrincipalView]:
        return [v for v in self.views.values() if kind is None or v.kind is kind]

    def managed_policy(self, arn: str) -> Policy | None:
        return self.snapshot.managed(arn)

