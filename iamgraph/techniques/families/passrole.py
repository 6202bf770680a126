"""Service techniques: pass a role to a new resource, or take over an existing one that runs as a role."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from ...evaluate.types import Decision, Result
from ...model import InventoryResource, Role
from ..account_index import AccountIndex
from ..base import Proposal, Technique
from ..evidence import EdgeKind, Evidence, Grant
from ..principal import PrincipalView, decision_rank
from ..resources import candidate_resources

DEFAULT_REGION = "us-east-1"
# Above this many candidate roles, fan out through a shared hub node (see base.Hub) so that the
# number of edges grows with sources + roles, not sources x roles.
HUB_MIN_ROLES = 10
_RANK = {d: decision_rank(d) for d in Decision}  # decision_rank's table (a dict lookup per grant)
_ALLOWED_RANK = _RANK[Decision.ALLOWED]
_PASS_ROLE, _EXISTING_RESOURCE = EdgeKind.PASS_ROLE, EdgeKind.EXISTING_RESOURCE  # read once (Enum reads are slow)


@dataclass(frozen=True, slots=True)
class ServiceAction:
    """An action and the ARN template of the resource it acts on (`{account}` is filled in).

    `on_item=False`: in an existing-resource technique, the action acts on a resource the attacker
    creates (the template), not on the inventoried resource. `item_field`: it acts on the resource
    the inventoried item names in that `extra` field (e.g. an auto scaling group's launch template).
    """

    action: str
    template: str = "*"
    on_item: bool = True
    item_field: str = ""


def _service_grants(
    ctx: AccountIndex, src: PrincipalView, steps: tuple[ServiceAction, ...]
) -> tuple[Grant, ...] | None:
    """Grants for every step; steps sharing a template act on one resource the attacker names, so
    they are granted jointly on the same concrete ARN (create on `app-*`, invoke on `other-*`: none).
    Shared between sources with the same `AccountIndex.grants_key` for the steps' actions (the
    grants read the source through `grant`/`chosen_grant` only)."""
    number, actions = _plan(ctx, steps)
    source = ctx.grants_key(src, actions)
    if source is None:
        return _service_grants_of(ctx, src, steps)
    key = (number, source)
    try:  # None (no grants) is an answer too; one lookup of the key on a hit
        return ctx.step_grants[key]
    except KeyError:
        got = ctx.step_grants[key] = _service_grants_of(ctx, src, steps)
        return got


def _plan(ctx: AccountIndex, steps: tuple[ServiceAction, ...]) -> tuple[int, tuple[str, ...]]:
    """(a number of `steps` for `step_grants` keys, equal exactly for equal tuples: cheaper to
    hash than the steps; the steps' distinct actions in order), kept per build and steps tuple
    (by identity: the entry holds the tuple, so its id is not reused meanwhile)."""
    held = ctx.step_plans.get(id(steps))
    if held is None or held[0] is not steps:
        numbers = ctx.step_numbers
        number = numbers.setdefault(steps, len(numbers))
        held = ctx.step_plans[id(steps)] = (steps, number, tuple(dict.fromkeys(st.action for st in steps)))
    return held[1], held[2]


def _service_grants_of(
    ctx: AccountIndex, src: PrincipalView, steps: tuple[ServiceAction, ...]
) -> tuple[Grant, ...] | None:
    """`_service_grants`, computed for `src`."""
    joint: dict[str, dict[str, Grant] | None] = {}
    out = []
    for st in steps:
        if st.template != "*":
            if st.template not in joint:
                joint[st.template] = _joint_grants(
                    ctx, src, [s.action for s in steps if s.template == st.template], st.template
                )
            chosen = joint[st.template]
            g = chosen.get(st.action) if chosen is not None else None
        else:
            g = ctx.grant(src, st.action, "*") or ctx.chosen_grant(src, st.action, "*")
        if g is None:
            return None
        out.append(g)
    return tuple(out)


def _joint_grants(ctx: AccountIndex, src: PrincipalView, actions: list[str], template: str) -> dict[str, Grant] | None:
    """The best grants for all `actions` on one resource of `template` (None when no resource works)."""
    actions = list(dict.fromkeys(actions))
    if not all(src.may(a) for a in actions):
        return None
    if len(actions) == 1:
        g = ctx.chosen_grant(src, actions[0], template)
        return {actions[0]: g} if g is not None else None
    best: dict[str, Grant] | None = None
    best_rank = -1
    for res in dict.fromkeys(c for a in actions for c in candidate_resources(src, a, template)):
        grants: dict[str, Grant] = {}
        for a in actions:
            g = ctx.grant(src, a, res)
            if g is None:
                break
            grants[a] = g
        else:
            rank = min([_RANK[g.result.decision] for g in grants.values()])
            if rank > best_rank:
                best, best_rank = grants, rank
                if rank == _ALLOWED_RANK:
                    break
    return best


def _profile_grants(ctx: AccountIndex, src: PrincipalView) -> tuple[Grant, ...] | None:
    """Grants to put a role without an instance profile into a new one (None: not allowed)."""
    template = "arn:aws:iam::{account}:instance-profile/iamgraph"
    create = ctx.chosen_grant(src, "iam:CreateInstanceProfile", template)
    add = ctx.chosen_grant(src, "iam:AddRoleToInstanceProfile", template)
    return (create, add) if create and add else None


def _role_requirements(
    ctx: AccountIndex, src: PrincipalView, role: Role, needs_instance_profile: bool
) -> tuple[Grant, ...] | None:
    """Extra grants to use `role` on EC2 (an instance profile must hold it); None: it cannot be used."""
    if not needs_instance_profile or role.instance_profile_arns:
        return ()
    return _profile_grants(ctx, src)


@dataclass(frozen=True)
class NewPassRole(Technique):
    """iam:PassRole of a role trusting `service` + the actions that create and run a resource with it."""

    service: str = ""  # service principal, e.g. "lambda.amazonaws.com"
    steps: tuple[ServiceAction, ...] = ()
    needs_instance_profile: bool = False
    passrole: bool = True
    existing_service: str = ""  # inventory key when the steps act on an existing resource
    existing_types: tuple[str, ...] = ()  # its inventory resource types (e.g. ("job",))

    def gate_action(self) -> str | None:
        """The action after iam:PassRole (the service's first step), else the first action. Sound:
        `propose` (InstanceProfileSwap's too) yields only when `applies_to` (`may` every action).
        Per service, unlike the iam:PassRole every such technique shares: a source runs only the
        techniques of the services whose first step it may."""
        return self.actions[1] if len(self.actions) > 1 else super().gate_action()

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        # no role to pass (or, without PassRole, none the service may assume): nothing to propose,
        # so the service steps are not asked for (their grants are the costly part)
        if self.passrole:
            if not ctx.passrole_classes(src, self.service):
                return
        elif not ctx.roles_trusting_service(self.service):
            return
        found = self._steps(ctx, src)
        if found is None:
            return
        svc, via, assumption = found
        note = f"role passed to {self.service}"
        # without inventory the existing resource is only assumed: a potential edge naming the gap
        missing = (assumption,) if assumption else ()
        if not self.passrole:
            for role, trust in ctx.roles_trusting_service(self.service):
                if role.arn != src.arn:
                    yield from self._role_edge(ctx, src, role, trust, (), svc, via, note, missing)
            return
        can_make_profile = _profile_grants(ctx, src) if self.needs_instance_profile else None
        for res, members in ctx.passrole_classes(src, self.service):
            usable = (
                members
                if not self.needs_instance_profile or can_make_profile
                else tuple(m for m in members if m[0].instance_profile_arns)
            )
            if len(usable) > HUB_MIN_ROLES:
                # many roles share one decision: one edge to a shared hub instead of one per role
                hub = ctx.role_set_hub(
                    self.service,
                    usable,
                    label=f"new {self.service.split('.')[0]} resource ({len(usable)} passable roles)",
                )
                grant = Grant("iam:PassRole", f"any of {len(usable)} roles trusting {self.service}", res)
                extra = can_make_profile if self.needs_instance_profile and can_make_profile else ()
                yield Proposal(
                    hub.id,
                    Evidence(self.id, _PASS_ROLE, (grant, *svc, *extra), via=via, note=note, missing=missing),
                    hub=hub,
                )
                continue
            for role, trust in usable:
                if role.arn != src.arn:
                    yield from self._role_edge(
                        ctx, src, role, trust, (Grant("iam:PassRole", role.arn, res),), svc, via, note, missing
                    )

    def _role_edge(
        self,
        ctx: AccountIndex,
        src: PrincipalView,
        role: Role,
        trust: Result,
        pr: tuple[Grant, ...],
        svc: tuple[Grant, ...],
        via: str | None,
        note: str,
        missing: tuple[str, ...] = (),
    ) -> Iterable[Proposal]:
        extra = _role_requirements(ctx, src, role, self.needs_instance_profile)
        if extra is None:
            return
        yield Proposal(
            role.arn,
            Evidence(
                self.id,
                _PASS_ROLE,
                (*pr, *svc, *extra),
                missing=missing,
                via=via,
                extra_conditions=tuple(sorted(trust.unknown_keys)),
                note=note,
            ),
        )

    def _steps(self, ctx: AccountIndex, src: PrincipalView) -> tuple[tuple[Grant, ...], str | None, str] | None:
        """Grants for the service steps, the existing resource they act on, and a note.

        Without `existing_service`: the attacker names every resource (templates). With it: an
        inventoried resource of `existing_types` the steps are allowed on (named as `via`); none
        while that inventory is complete -> no edge. Without inventory the resource may exist: the
        third element names the missing data, and the edge is potential (never definite).
        """
        if not self.existing_service:
            svc = _service_grants(ctx, src, self.steps)
            return None if svc is None else (svc, None, "")
        for item in ctx.inventory_by_service.get(self.existing_service, ()):
            if self.existing_types and item.resource_type not in self.existing_types:
                continue
            grants = _item_grants(ctx, src, self.steps, item.arn, item.extra)
            if grants is not None:
                return grants, item.arn, ""
        if ctx.inventory_complete(self.existing_service):
            return None
        svc = _service_grants(ctx, src, self.steps)
        what = "/".join(self.existing_types) or "resource"
        return (
            None
            if svc is None
            else (
                svc,
                None,
                f"whether an existing {self.existing_service} {what} exists ({self.existing_service} inventory not collected)",
            )
        )


def _item_grants(
    ctx: AccountIndex,
    src: PrincipalView,
    steps: tuple[ServiceAction, ...],
    item_arn: str,
    extra: dict[str, str] | None = None,
) -> tuple[Grant, ...] | None:
    """Grants for `steps` where on-item steps act on `item_arn` (None when one is denied)."""
    out = []
    for st in steps:
        if st.item_field:
            target = (extra or {}).get(st.item_field)
            g1 = ctx.grant(src, st.action, target) if target else None
        elif not st.on_item:
            g = _service_grants(ctx, src, (st,))
            g1 = g[0] if g else None
        else:
            g1 = ctx.grant(src, st.action, item_arn if st.template != "*" else "*")
        if g1 is None:
            return None
        out.append(g1)
    return tuple(out)


@dataclass(frozen=True)
class ExistingResource(Technique):
    """Take over an existing resource that runs as a role (code update, session, command...).

    With inventory for `inventory_service`: a definite edge per resource. Without it: a *potential*
    edge to every role trusting `service` (the resource may exist), marked with the missing data.
    """

    needs_inventory: ClassVar[bool] = True

    service: str = ""  # service principal the role trusts
    inventory_service: str = ""  # inventory key, e.g. "lambda"
    resource_types: tuple[str, ...] = ()  # inventory resource types, e.g. ("function",)
    steps: tuple[ServiceAction, ...] = ()  # actions on the existing resource (template for fallback)
    needs_instance_profile: bool = False
    item_match: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (extra field, values one of which it must hold)

    def _usable(self, item: InventoryResource) -> bool:
        """The item is of the technique's type and in a state the technique works on."""
        if self.resource_types and item.resource_type not in self.resource_types:
            return False
        return all(item.extra.get(key) in values for key, values in self.item_match)

    def _hub_proposal(self, ctx: AccountIndex, svc: tuple[Grant, ...]) -> Proposal:
        """The edge to the "existing resource, inventory unknown" hub of this technique under the
        current scope, justified by the service grants `svc`: immutable, so one object per
        (technique, scope, `svc` object) for the build (sources whose step grants are shared
        share it; an entry holds the technique and `svc`, so their ids are not reused meanwhile)."""
        scope = ctx.scope_account
        key = (id(self), scope, id(svc))
        held = ctx.hub_proposals.get(key)
        if held is not None and held[0] is self and held[1] is svc:
            return held[2]
        hkey = (id(self), scope)
        hub_held = ctx.technique_hubs.get(hkey)
        if hub_held is None or hub_held[0] is not self:
            what = "/".join(self.resource_types) or "resource"
            hub = ctx.service_hub(
                self.service,
                kind=f"existing:{self.inventory_service}:{what}",
                missing=(f"inventory: whether a {self.inventory_service} {what} runs as this role",),
                only_with_instance_profile=self.needs_instance_profile,
                label=f"existing {self.inventory_service} {what} (inventory unknown)",
            )
            hub_held = ctx.technique_hubs[hkey] = (self, hub)
        hub = hub_held[1]
        prop = Proposal(
            hub.id,
            Evidence(self.id, _EXISTING_RESOURCE, svc, note="potential: no resource inventory in the input"),
            hub=hub,
        )
        ctx.hub_proposals[key] = (self, svc, prop)
        return prop

    def propose(self, ctx: AccountIndex, src: PrincipalView) -> Iterable[Proposal]:
        if not self.applies_to(src):
            return
        seen: set[str] = set()
        for item in ctx.inventory_by_service.get(self.inventory_service, ()):
            if not item.role_arn or item.role_arn == src.arn or not self._usable(item):
                continue
            grants = _item_grants(ctx, src, self.steps, item.arn, item.extra)
            if grants is not None:
                seen.add(item.role_arn)
                yield Proposal(
                    item.role_arn,
                    Evidence(
                        self.id,
                        _EXISTING_RESOURCE,
                        grants,
                        via=item.arn,
                        note=f"{item.resource_type} runs as the role",
                    ),
                )
        if ctx.inventory_complete(self.inventory_service):
            return
        n_roles = ctx.count_trusting_service(self.service, self.needs_instance_profile)
        if not n_roles:
            return  # no role the resource could run as: the potential edges have no target
        svc = _service_grants(ctx, src, self.steps)
        if svc is None:
            return
        if n_roles > HUB_MIN_ROLES:
            yield self._hub_proposal(ctx, svc)
            return
        what = "/".join(self.resource_types) or "resource"
        missing = (f"inventory: whether a {self.inventory_service} {what} runs as this role",)
        for role, trust in ctx.roles_trusting_service(self.service):
            if role.arn == src.arn or role.arn in seen:
                continue
            if self.needs_instance_profile and not role.instance_profile_arns:
                continue
            yield Proposal(
                role.arn,
                Evidence(
                    self.id,
                    _EXISTING_RESOURCE,
                    svc,
                    missing=missing,
                    extra_conditions=tuple(sorted(trust.unknown_keys)),
                    note="potential: no resource inventory in the input",
                ),
            )
