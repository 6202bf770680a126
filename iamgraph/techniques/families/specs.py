"""Declarative technique specs: a catalogue module calls one builder per technique.

A spec states only what is particular to the technique (id, the steps and the resource each acts
on, the vehicle that runs as the role, texts, references, extra cases). The builder derives the
rest: the required actions, the default name and category, whether inventory is needed (from the
family class), the ARN templates and service principal (from `vehicles.Resource`), and the
family's standard self-test cases (from `case_builders`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from ..base import Case, Category, Technique
from ..case_builders import (
    LazyCases,
    access_and_modify_cases,
    add_to_group_cases,
    assume_role_cases,
    boundary_cases,
    existing_resource_cases,
    existing_vehicle_cases,
    passrole_cases,
    principal_access_cases,
    self_edit_cases,
    set_default_version_cases,
    update_trust_cases,
)
from .access import AssumeRole, PrincipalAccess, UpdateTrustThenAssume
from .combos import ACCESS_ACTIONS, Access, AccessAndModify, Modify, TargetKind, modify_action
from .passrole import ExistingResource, NewPassRole, ServiceAction
from .selfedit import AddSelfToGroup, EditOwnPolicy, RemoveOwnBoundary, ReplaceOwnBoundary, SetDefaultVersion
from .vehicles import Resource


class Family(str, Enum):
    """The spec families (a catalogue TOML table's `family`); each has a builder below."""

    NEW_PASSROLE = "new-passrole"
    PASSROLE_ONTO_EXISTING = "passrole-onto-existing"
    EXISTING_RESOURCE = "existing-resource"
    PRINCIPAL_ACCESS = "principal-access"
    MODIFY_AND_ACCESS = "modify-and-access"
    SELF_EDIT = "self-edit"
    BOUNDARY_REMOVAL = "boundary-removal"
    BOUNDARY_REPLACEMENT = "boundary-replacement"
    ASSUME_ROLE = "assume-role"
    UPDATE_TRUST = "update-trust-then-assume"
    ADD_TO_GROUP = "add-self-to-group"
    SET_DEFAULT_VERSION = "set-default-version"


# a step: an action on the technique's vehicle, or (action, the resource it acts on instead)
StepSpec = str | tuple[str, Resource]


def _split(steps: Sequence[StepSpec], vehicle: Resource) -> list[tuple[str, Resource]]:
    return [(s, vehicle) if isinstance(s, str) else s for s in steps]


def _service_actions(
    steps: list[tuple[str, Resource]], vehicle: Resource, *, item_fields: dict[str, str] | None = None
) -> tuple[ServiceAction, ...]:
    fields = item_fields or {}
    return tuple(ServiceAction(a, r.template(), on_item=r is vehicle, item_field=fields.get(a, "")) for a, r in steps)


def _name(actions: Sequence[str]) -> str:
    return " + ".join(actions)


def _cases(build: Callable[..., tuple[Case, ...]], extra: Sequence[Case], /, **kwargs: Any) -> LazyCases:
    """`(*build(**kwargs), *extra)`, built when the cases are first read (self-tests, coverage)."""
    more = tuple(extra)
    return LazyCases(lambda: (*build(**kwargs), *more))


def new_passrole(
    *,
    id: str,
    vehicle: Resource,
    steps: Sequence[StepSpec],
    description: str,
    remediation: str,
    references: Sequence[str] = (),
    name: str = "",
    category: Category = Category.NEW_PASSROLE,
    onto_existing: bool = False,
    public_ids: Sequence[str] = (),
    notes: str = "",
    extra_cases: Sequence[Case] = (),
) -> NewPassRole:
    """iam:PassRole of a role trusting the vehicle's service + `steps` that create and run it.

    `onto_existing`: the steps act on an existing vehicle resource (e.g. glue:UpdateJob): with
    complete inventory the edge names one, and there is none when none exists.
    """
    split = _split(steps, vehicle)
    kind = vehicle.value
    inv = kind.inventory if onto_existing else None
    if onto_existing and inv is None:
        raise ValueError(f"{id}: vehicle {vehicle.name} has no inventory kind")
    actions = ("iam:PassRole", *(a for a, _ in split))
    on_vehicle = tuple(a for a, r in split if r is vehicle)
    if inv is not None:
        cases = _cases(
            existing_vehicle_cases,
            extra_cases,
            service=kind.principal,
            inventory_service=inv[0],
            resource_type=inv[1],
            item=vehicle.item_arn("{name}", "111111111111"),
            steps=actions[1:],
            item_steps=on_vehicle,
            other_steps=tuple(a for a, r in split if r is not vehicle),
            prefix=kind.prefix,
            instance_profile=kind.instance_profile,
        )
    else:
        cases = _cases(
            passrole_cases,
            extra_cases,
            service=kind.principal,
            steps=actions[1:],
            prefix=kind.prefix,
            instance_profile=kind.instance_profile,
            named=tuple((a, r.value.arn) for a, r in split if r is not Resource.ANY),
        )
    return NewPassRole(
        id=id,
        name=name or _name(actions),
        category=category,
        actions=actions,
        description=description,
        remediation=remediation,
        references=tuple(references),
        public_ids=tuple(public_ids),
        notes=notes,
        service=kind.principal,
        steps=_service_actions(split, vehicle),
        needs_instance_profile=kind.instance_profile,
        existing_service=inv[0] if inv else "",
        existing_types=(inv[1],) if inv else (),
        cases=cases,
    )


def existing_resource(
    *,
    id: str,
    vehicle: Resource,
    steps: Sequence[StepSpec],
    description: str,
    remediation: str,
    references: Sequence[str] = (),
    name: str = "",
    category: Category = Category.EXISTING_PASSROLE,
    public_ids: Sequence[str] = (),
    item_match: Sequence[tuple[str, tuple[str, ...]]] = (),
    item_fields: dict[str, str] | None = None,
    notes: str = "",
    extra_cases: Sequence[Case] = (),
) -> ExistingResource:
    """Take over an existing vehicle resource that runs as a role with `steps` (no iam:PassRole).

    `item_match`: only inventoried items whose `extra` field holds one of the values (e.g. a
    stopped instance). `item_fields`: action -> the `extra` field naming the resource it acts on.
    """
    split = _split(steps, vehicle)
    kind = vehicle.value
    if kind.inventory is None:
        raise ValueError(f"{id}: vehicle {vehicle.name} has no inventory kind")
    actions = tuple(a for a, _ in split)
    svc, rtype = kind.inventory
    match = tuple((k, tuple(v)) for k, v in item_match)
    cases = _cases(
        existing_resource_cases,
        extra_cases,
        service=kind.principal,
        inventory_service=svc,
        resource_type=rtype,
        item=vehicle.item_arn("{name}", "111111111111"),
        steps=actions,
        item_steps=tuple(a for a, r in split if r is vehicle),
        other_steps=tuple(a for a, r in split if r is not vehicle),
        prefix=kind.prefix,
        instance_profile=kind.instance_profile,
        extra={k: v[0] for k, v in match},
        field_arns={
            f: r.item_arn("prod-app", "111111111111")
            for a, r in split
            for act, f in (item_fields or {}).items()
            if act == a
        },
    )
    return ExistingResource(
        id=id,
        name=name or _name(actions),
        category=category,
        actions=actions,
        description=description,
        remediation=remediation,
        references=tuple(references),
        public_ids=tuple(public_ids),
        notes=notes,
        service=kind.principal,
        inventory_service=svc,
        resource_types=(rtype,),
        steps=_service_actions(split, vehicle, item_fields=item_fields),
        needs_instance_profile=kind.instance_profile,
        item_match=match,
        cases=cases,
    )


def principal_access(
    *,
    id: str,
    steps: Sequence[StepSpec],
    description: str,
    remediation: str,
    references: Sequence[str] = (),
    name: str = "",
    category: Category = Category.PRINCIPAL_ACCESS,
    public_ids: Sequence[str] = (),
    notes: str = "",
    extra_cases: Sequence[Case] = (),
) -> PrincipalAccess:
    """All `steps` on another user of the account give its credentials (e.g. iam:CreateAccessKey)."""
    actions = tuple(s if isinstance(s, str) else s[0] for s in steps)
    return PrincipalAccess(
        id=id,
        name=name or _name(actions),
        category=category,
        actions=actions,
        description=description,
        remediation=remediation,
        references=tuple(references),
        public_ids=tuple(public_ids),
        notes=notes,
        cases=_cases(principal_access_cases, extra_cases, actions=actions),
    )


def access_and_modify(
    *,
    id: str,
    target_kind: str,
    modify: str,
    access: str,
    description: str,
    remediation: str,
    references: Sequence[str] = (),
    name: str = "",
    category: Category = Category.PRINCIPAL_ACCESS,
    public_ids: Sequence[str] = (),
    notes: str = "",
    extra_cases: Sequence[Case] = (),
) -> AccessAndModify:
    """Grant admin to another (non-admin) user or role (`modify`), then become it (`access`)."""
    try:
        kind, how, acc = TargetKind(target_kind), Modify(modify), Access(access)
    except ValueError:
        raise ValueError(
            f"target_kind must be one of {', '.join(k.value for k in TargetKind)}, modify one of "
            f"{', '.join(m.value for m in Modify)} and access one of "
            f"{', '.join(a.value for a in Access)}"
        ) from None
    actions = (modify_action(how, kind), ACCESS_ACTIONS[acc])
    return AccessAndModify(
        id=id,
        name=name or _name(actions),
        category=category,
        actions=actions,
        description=description,
        remediation=remediation,
        references=tuple(references),
        public_ids=tuple(public_ids),
        notes=notes,
        target_kind=kind,
        modify=how,
        access=acc,
        cases=_cases(
            access_and_modify_cases,
            extra_cases,
            target_kind=kind.value,
            modify=how.value,
            access=acc.value,
            actions=actions,
        ),
    )


SELF_EDIT_TARGETS = ("self-user", "self-role", "own-groups", "attached-policies")


def self_edit(
    *,
    id: str,
    steps: Sequence[StepSpec],
    target: str,
    description: str,
    remediation: str,
    attach: bool = False,
    references: Sequence[str] = (),
    name: str = "",
    category: Category = Category.SELF_ESCALATION,
    public_ids: Sequence[str] = (),
    notes: str = "",
    extra_cases: Sequence[Case] = (),
) -> EditOwnPolicy:
    """The principal writes or attaches an admin policy on itself, its groups or a policy it holds."""
    if target not in SELF_EDIT_TARGETS:
        raise ValueError(f"target must be one of {', '.join(SELF_EDIT_TARGETS)}")
    actions = tuple(s if isinstance(s, str) else s[0] for s in steps)
    if len(actions) != 1:
        raise ValueError("a self-edit technique has exactly one step")
    return EditOwnPolicy(
        id=id,
        name=name or _name(actions),
        category=category,
        actions=actions,
        description=description,
        remediation=remediation,
        references=tuple(references),
        public_ids=tuple(public_ids),
        notes=notes,
        target=target,
        attach=attach,
        cases=_cases(self_edit_cases, extra_cases, action=actions[0], target=target, attach=attach),
    )


def own_boundary(
    *,
    id: str,
    steps: Sequence[StepSpec],
    replace: bool,
    description: str,
    remediation: str,
    references: Sequence[str] = (),
    name: str = "",
    category: Category = Category.SELF_ESCALATION,
    public_ids: Sequence[str] = (),
    notes: str = "",
    extra_cases: Sequence[Case] = (),
) -> RemoveOwnBoundary | ReplaceOwnBoundary:
    """The principal deletes (`replace=False`) or replaces its own permissions boundary."""
    actions = tuple(s if isinstance(s, str) else s[0] for s in steps)
    verb = "Put" if replace else "Delete"
    if len(actions) != 1 or actions[0] not in (
        f"iam:{verb}UserPermissionsBoundary",
        f"iam:{verb}RolePermissionsBoundary",
    ):
        raise ValueError(f"the one step must be iam:{verb}UserPermissionsBoundary or iam:{verb}RolePermissionsBoundary")
    cls = ReplaceOwnBoundary if replace else RemoveOwnBoundary
    return cls(
        id=id,
        name=name or _name(actions),
        category=category,
        actions=actions,
        description=description,
        remediation=remediation,
        references=tuple(references),
        public_ids=tuple(public_ids),
        notes=notes,
        cases=_cases(boundary_cases, extra_cases, action=actions[0], replace=replace),
    )


# one-action families whose logic is their class: the spec gives the texts, the class its cases
SINGLE_ACTION: dict[Family, tuple[type[Technique], str, Category, Callable[[], tuple[Case, ...]]]] = {
    Family.ASSUME_ROLE: (AssumeRole, "sts:AssumeRole", Category.PRINCIPAL_ACCESS, assume_role_cases),
    Family.UPDATE_TRUST: (
        UpdateTrustThenAssume,
        "iam:UpdateAssumeRolePolicy",
        Category.PRINCIPAL_ACCESS,
        update_trust_cases,
    ),
    Family.ADD_TO_GROUP: (AddSelfToGroup, "iam:AddUserToGroup", Category.SELF_ESCALATION, add_to_group_cases),
    Family.SET_DEFAULT_VERSION: (
        SetDefaultVersion,
        "iam:SetDefaultPolicyVersion",
        Category.SELF_ESCALATION,
        set_default_version_cases,
    ),
}


def single_action(
    family: Family,
    *,
    id: str,
    description: str,
    remediation: str,
    references: Sequence[str] = (),
    name: str = "",
    public_ids: Sequence[str] = (),
    notes: str = "",
    extra_cases: Sequence[Case] = (),
) -> Technique:
    """A technique of a one-action family (assume a role, rewrite a trust, join a group, roll back a
    policy version): the action, category and cases come from the family."""
    cls, action, category, cases = SINGLE_ACTION[family]
    return cls(
        id=id,
        name=name or action,
        category=category,
        actions=(action,),
        description=description,
        remediation=remediation,
        references=tuple(references),
        public_ids=tuple(public_ids),
        notes=notes,
        cases=_cases(cases, extra_cases),
    )
