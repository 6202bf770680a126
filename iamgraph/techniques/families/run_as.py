"""Multi-step rules over the service techniques of the catalogue (issue 10 §2):

- ModifyThenRunAs: make a role admin (attach/put a policy, new version of its policy), then run
  code as that role through a service it trusts (a new resource with iam:PassRole, or an existing
  one the source may update; without inventory a potential edge naming the missing data);
- SplitSteps: a new-passrole technique whose actions are split between the source and a role the
  source can assume; the evidence names which principal performs which action.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ...evaluate.types import Decision, Result
from ...model import Role
from .. import registry
from ..account_index import AccountIndex
from ..base import ADMIN_NODE, Category, Proposal, Technique
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView
from ..target_grants import admin_after, conditional_keys
from .combos import AccessAndModify, Modify, TargetKind
from .passrole import ExistingResource, NewPassRole, _item_grants, _profile_grants, _service_grants

MODIFY_ACTIONS = ("iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion")
_MODIFIERS = tuple(
    AccessAndModify(
        id="iamgraph:modify",
        name="",
        category=Category.PRINCIPAL_ACCESS,
        actions=(),
        target_kind=TargetKind.ROLE,
        modify=m,
    )
    for m in (Modify.PUT_POLICY, Modify.ATTACH_POLICY, Modify.CREATE_POLICY_VERSION)
)


_VEHICLES: list[tuple[tuple[Technique, ...], list[NewPassRole], list[ExistingResource], tuple[str, ...]]] = []


def _vehicles_of_catalogue() -> tuple[list[NewPassRole], list[ExistingResource], tuple[str, ...]]:
    """The vehicles of the catalogue and the actions of the new-passrole ones' steps (in order),
    derived once per catalogue object (the registry returns the same tuple each time)."""
    techs = registry.catalogue()  # looked up when used (the catalogue imports this module)
    if _VEHICLES and _VEHICLES[0][0] is techs:
        return _VEHICLES[0][1], _VEHICLES[0][2], _VEHICLES[0][3]
    new = [t for t in techs if type(t) is NewPassRole and t.passrole and not t.existing_service]
    existing = [t for t in techs if isinstance(t, ExistingResource)]
    actions = tuple(dict.fromkeys(s.action for t in new for s in t.steps))
    _VEHICLES[:] = [(techs, new, existing, actions)]
    return new, existing, actions


Vehicle = NewPassRole | ExistingResource
_BY_ROLE: weakref.WeakKeyDictionary[AccountIndex, dict[str, tuple[Vehicle, ...]]] = weakref.WeakKeyDictionary()


def _vehicles_by_role(ctx: AccountIndex, vehicles: list[Vehicle]) -> dict[str, tuple[Vehicle, ...]]:
    """Role ARN -> the vehicles (in `vehicles` order) whose service may assume the role, over every
    account of the index (built once per index; a role's own account is the only one whose
    services run as it, and the build's scope is the source's account, whose roles are asked)."""
    hit = _BY_ROLE.get(ctx)
    if hit is None:
        out: dict[str, list[Vehicle]] = {}
        trusting: dict[str, list[str]] = {}
        for t in vehicles:
            arns = trusting.get(t.service)
            if arns is None:
                arns = trusting[t.service] = ctx.roles_trusting_service_anywhere(t.service)
            for arn in arns:
                out.setdefault(arn, []).append(t)
        hit = _BY_ROLE[ctx] = {k: tuple(v) for k, v in out.items()}
    return hit


def _rank(ev: Evidence) -> int:
    return 0 if not ev.conditional else 1


@dataclass(frozen=True)
class ModifyThenRunAs(Technique):
    """Grant admin to a role the source cannot assume, then run code as it through its service."""

    def applies_to(self, src: PrincipalView) -> bool:
        """Some modify action is named (`may_any(MODIFY_ACTIONS)`): `propose` yields only with a
        modifier the source `may` use. Asked as `may_all`, one memoised pass per document."""
        return bool(src.may_all(MODIFY_ACTIONS))

    def gate_action(self) -> str | None:
        return None

    def gate_any(self) -> tuple[str, ...]:
        """`applies_to`'s actions: the build runs it only for sources that `may` one of them."""
        return MODIFY_ACTIONS

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        new, existing, _ = _vehicles_of_catalogue()
        # `_run` answers None for a vehicle that does not apply to the source (its first test): a
        # role none of whose vehicles does gives no run, and without any there is nothing to do
        usable = {id(t) for t in (*new, *existing) if t.applies_to(src)}
        if not usable:
            return
        by_role = _vehicles_by_role(ctx, [*new, *existing])
        any_version = src.may("iam:CreatePolicyVersion")
        # the modifiers the source may use at all (`_modify` answers None for the others)
        modifiers = [x for x in _MODIFIERS if src.may(x.modify_action)]
        for arn in ctx.roles_in(src.account):
            # a role no vehicle's service may assume gives no run (checked first: a dict lookup)
            if arn not in by_role or arn == src.arn or ctx.admin(arn).definite:
                continue
            if not any(id(t) in usable for t in by_role[arn]):
                continue
            if not any_version and not any(src.may_on(a, arn) for a in ("iam:AttachRolePolicy", "iam:PutRolePolicy")):
                continue
            mod = next((m for m in (x._modify(ctx, src, arn) for x in modifiers) if m is not None), None)
            if mod is None:
                continue
            role = ctx.snapshot.roles[arn]
            if ctx.assume(src, role).possible:
                continue  # assumable: the modify-and-access techniques (iam-014, ...) report it
            status = admin_after(ctx, ctx.views[arn])
            if not status.possible:
                continue
            # (pure lookups, asked once the cheaper tests above have passed)
            services: list[tuple[Technique, Result]] = [(t, ctx.service_trust(role, t.service)) for t in by_role[arn]]
            if not services:
                continue
            best = self._best_run(ctx, src, role, services, mod, conditional_keys(status))
            if best is not None:
                yield Proposal(ADMIN_NODE, best)

    def _best_run(
        self,
        ctx: AccountIndex,
        src: PrincipalView,
        role: Role,
        services: list[tuple[Technique, Result]],
        mod: tuple[Grant, ...],
        admin_keys: tuple[str, ...],
    ) -> Evidence | None:
        best: Evidence | None = None
        for t, trust in services:
            ev = self._run(ctx, src, role, t, trust, mod, admin_keys)
            if ev is not None and (best is None or _rank(ev) < _rank(best)):
                best = ev
                if not ev.conditional:
                    break
        return best

    def _run(
        self,
        ctx: AccountIndex,
        src: PrincipalView,
        role: Role,
        t: Technique,
        trust: Result,
        mod: tuple[Grant, ...],
        admin_keys: tuple[str, ...],
    ) -> Evidence | None:
        keys = tuple(sorted(set(admin_keys) | set(trust.unknown_keys)))
        note = f"makes {role.arn} admin, then runs code as it through {t.id}"
        if isinstance(t, NewPassRole):
            if not t.applies_to(src):
                return None
            pr = src.can("iam:PassRole", role.arn, context={"iam:PassedToService": t.service})
            if not pr.possible:
                return None
            found = t._steps(ctx, src)
            if found is None:
                return None
            svc, via, assumption = found
            extra: tuple[Grant, ...] = ()
            if t.needs_instance_profile and not role.instance_profile_arns:
                made = _profile_grants(ctx, src)
                if made is None:
                    return None
                extra = made
            return Evidence(
                self.id,
                EdgeKind.PRINCIPAL_ACCESS,
                (*mod, Grant("iam:PassRole", role.arn, pr), *svc, *extra),
                via=role.arn,
                extra_conditions=keys,
                note=note + f" ({t.service})" + (f"; {assumption}" if assumption else ""),
            )
        assert isinstance(t, ExistingResource)
        if not t.applies_to(src):
            return None
        for item in ctx.inventory_by_service.get(t.inventory_service, ()):
            if item.role_arn != role.arn or not t._usable(item):
                continue
            grants = _item_grants(ctx, src, t.steps, item.arn, item.extra)
            if grants is not None:
                return Evidence(
                    self.id,
                    EdgeKind.PRINCIPAL_ACCESS,
                    (*mod, *grants),
                    via=item.arn,
                    extra_conditions=keys,
                    note=note + f" ({item.resource_type} {item.arn} runs as it)",
                )
        if ctx.inventory_complete(t.inventory_service):
            return None
        svc_grants = _service_grants(ctx, src, t.steps)
        if svc_grants is None:
            return None
        what = "/".join(t.resource_types) or "resource"
        return Evidence(
            self.id,
            EdgeKind.PRINCIPAL_ACCESS,
            (*mod, *svc_grants),
            via=role.arn,
            extra_conditions=keys,
            missing=(f"inventory: whether a {t.inventory_service} {what} runs as {role.arn}",),
            note=note + " (potential: no resource inventory in the input)",
        )


def _split_plans(new: list[NewPassRole], mine: frozenset[str]) -> tuple[tuple[NewPassRole, frozenset[str]], ...]:
    """The (technique, `rest`) pairs SplitSteps tries for a source that may exactly the step actions
    `mine`: multi-step techniques (no instance profile) of which it may some steps but not all;
    `rest` is the steps a helper must do. A function of `new` and `mine` only."""
    plans: list[tuple[NewPassRole, frozenset[str]]] = []
    for t in new:
        if len(t.steps) < 2 or t.needs_instance_profile:
            continue
        rest = frozenset(s.action for s in t.steps if s.action not in mine)
        if rest and len(rest) < len({s.action for s in t.steps}):
            plans.append((t, rest))
    return tuple(plans)


def _roles_that_may_every(ctx: AccountIndex, arns: Iterable[str], rest: frozenset[str]) -> frozenset[str]:
    """The members of `arns` that are roles of the index whose view `may` every action of `rest`:
    `arns` ∩ the roles that may `a` for each a, asked of these roles only (no account-wide index)."""
    roles, views = ctx.snapshot.roles, ctx.views
    return frozenset(
        arn for arn in arns if arn in roles and (v := views.get(arn)) is not None and all(v.may(a) for a in rest)
    )


@dataclass(eq=False)
class _SplitMemo:
    """What SplitSteps shares between the sources of one index: the plans per set of step actions
    (for the vehicle list `new`), and per (account, `rest`) the roles trusting the account's root
    that may every action of `rest` (read from roles_trusting_account and the roles' views)."""

    new: list[NewPassRole]
    plans: dict[frozenset[str], tuple[tuple[NewPassRole, frozenset[str]], ...]] = field(default_factory=dict)
    _able_in: dict[tuple[str, frozenset[str]], frozenset[str]] = field(default_factory=dict)

    def able_in_account(self, ctx: AccountIndex, account: str, rest: frozenset[str]) -> frozenset[str]:
        """roles_trusting_account(account) ∩ the roles that may `a` for every a of `rest`."""
        key = (account, rest)
        hit = self._able_in.get(key)
        if hit is None:
            hit = self._able_in[key] = _roles_that_may_every(ctx, ctx.roles_trusting_account(account), rest)
        return hit


_SPLIT: weakref.WeakKeyDictionary[AccountIndex, _SplitMemo] = weakref.WeakKeyDictionary()


def _split_memo(ctx: AccountIndex, new: list[NewPassRole]) -> _SplitMemo:
    """The index's SplitSteps memo for the vehicle list `new` (a new list starts a fresh one)."""
    memo = _SPLIT.get(ctx)
    if memo is None or memo.new is not new:
        memo = _SPLIT[ctx] = _SplitMemo(new)
    return memo


@dataclass(frozen=True)
class SplitSteps(Technique):
    """A new-passrole technique done by two principals: the source passes the role and performs what
    it may; a role it can assume performs the rest on the same resource. Source -> passed role."""

    def applies_to(self, src: PrincipalView) -> bool:
        return src.may("iam:PassRole")

    def gate_action(self) -> str | None:
        return "iam:PassRole"

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        new, _, step_actions = _vehicles_of_catalogue()
        mine = src.may_all(step_actions)  # exactly the step actions `may` answers True for
        memo = _split_memo(ctx, new)
        plans = memo.plans.get(mine)
        if plans is None:
            plans = memo.plans[mine] = _split_plans(new, mine)
        if not plans:
            return
        # helpers: roles trusting the source's account or the source itself that may every step of
        # `rest`: (roles_trusting_account ∪ by_principal) ∩ the roles that may `a` for each a of `rest`
        named = ctx.trust_index.by_principal.get(src.arn, ())
        able: dict[frozenset[str], frozenset[str]] = {}
        for _, rest in plans:
            if rest not in able:
                hit = memo.able_in_account(ctx, src.account, rest)
                able[rest] = hit.union(_roles_that_may_every(ctx, named, rest)) if named else hit
        helpers = self._helpers(ctx, src, set().union(*able.values()))
        if not helpers:
            return
        for t, rest in plans:
            mine_helpers = [h for h in helpers if h[0].arn in able[rest]]
            if not mine_helpers:
                continue
            classes = ctx.passrole_classes(src, t.service)
            if not classes:
                continue
            found = self._split(ctx, src, t, mine_helpers)
            if found is None:
                continue
            grants, helper = found
            note = f"{t.id} split: {src.arn} passes the role; {helper.arn} (assumed by it) performs " + ", ".join(
                g.action for g in grants if g.by == helper.arn
            )
            for res, members in classes:
                for role, trust in members:
                    if role.arn in (src.arn, helper.arn):
                        continue
                    yield Proposal(
                        role.arn,
                        Evidence(
                            self.id,
                            EdgeKind.PASS_ROLE,
                            (Grant("iam:PassRole", role.arn, res, by=src.arn), *grants),
                            via=helper.arn,
                            extra_conditions=tuple(sorted(trust.unknown_keys)),
                            note=note,
                        ),
                    )

    @staticmethod
    def _helpers(ctx: AccountIndex, src: PrincipalView, candidates: set[str]) -> list[tuple[PrincipalView, Result]]:
        """The `candidates` (roles of the source's account that may do the missing steps) the
        source may assume: trust and identity policies agree."""
        out = []
        for arn in sorted(candidates):
            role = ctx.snapshot.roles.get(arn)
            if role is None or arn == src.arn or role.is_service_linked or arn not in ctx.views:
                continue
            res = ctx.assume(src, role)
            if res.possible:
                out.append((ctx.views[arn], res))
        return out

    @staticmethod
    def _split(
        ctx: AccountIndex, src: PrincipalView, t: NewPassRole, helpers: list[tuple[PrincipalView, Result]]
    ) -> tuple[tuple[Grant, ...], PrincipalView] | None:
        """Grants for every step, each by the source or by one helper, on one resource of each template."""
        from ..resources import candidate_resources

        for helper, assumed in helpers:
            out: list[Grant] = [Grant("sts:AssumeRole", helper.arn, assumed, by=src.arn)]
            ok = True
            templates = list(dict.fromkeys(s.template for s in t.steps))
            for template in templates:
                acts = [s.action for s in t.steps if s.template == template]
                names = list(
                    dict.fromkeys(
                        c
                        for a in acts
                        for who in (src, helper)
                        if who.may(a)
                        for c in candidate_resources(who, a, template)
                    )
                )
                chosen: list[Grant] | None = None
                for name in names or [template]:
                    row: list[Grant] = []
                    for a in acts:
                        g = ctx.grant(src, a, name)
                        by = src
                        if g is None:
                            g, by = ctx.grant(helper, a, name), helper
                        if g is None:
                            break
                        row.append(replace(g, by=by.arn))
                    else:
                        chosen = row
                        break
                if chosen is None:
                    ok = False
                    break
                out.extend(chosen)
            if ok and any(g.by == helper.arn for g in out[1:]):
                if all(g.result.decision is not Decision.EXPLICIT_DENY for g in out):
                    return tuple(out), helper
        return None
