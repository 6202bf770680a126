"""Tiny GAAD builders for technique self-tests (catalogue CASES). Account 111111111111."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from .base import Case

ACCOUNT = "111111111111"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


class LazyCases(Sequence["Case"]):
    """A technique's self-test cases, built by `build()` on first use (a build of an account never
    reads them); compares, hashes, prints and pickles as that tuple."""

    __slots__ = ("_build", "_cases")

    def __init__(self, build: Callable[[], tuple[Case, ...]]) -> None:
        self._build = build
        self._cases: tuple[Case, ...] | None = None

    def _all(self) -> tuple[Case, ...]:
        cases = self._cases
        if cases is None:
            cases = self._cases = tuple(self._build())
        return cases

    @overload
    def __getitem__(self, index: int) -> Case: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Case, ...]: ...
    def __getitem__(self, index: int | slice) -> Case | tuple[Case, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Case]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyCases):
            other = other._all()
        return isinstance(other, tuple) and self._all() == other

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[type[tuple[Case, ...]], tuple[tuple[Case, ...]]]:
        return (tuple, (self._all(),))


def arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def allow(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def deny(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict:
    return {"Effect": "Deny", "Action": actions, "Resource": resources, **extra}


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def user(
    name: str,
    *statements: dict,
    groups: tuple[str, ...] = (),
    managed: tuple[str, ...] = (),
    boundary: str | None = None,
    tags: dict[str, str] | None = None,
) -> dict:
    u: dict[str, Any] = {
        "Path": "/",
        "UserName": name,
        "UserId": f"AIDA{name.upper()[:16]:X<16}",
        "Arn": arn("user", name),
        "GroupList": list(groups),
        "AttachedManagedPolicies": [{"PolicyName": m.rsplit("/", 1)[-1], "PolicyArn": m} for m in managed],
        "UserPolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
    }
    if boundary:
        u["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    if tags:
        u["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return u


def trust_service(service: str) -> dict:
    return doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def trust_aws(principal: str, **extra: Any) -> dict:
    return doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole", **extra})


def role(
    name: str,
    trust: dict,
    *statements: dict,
    managed: tuple[str, ...] = (),
    admin: bool = False,
    instance_profile: bool = False,
    boundary: str | None = None,
) -> dict:
    m = list(managed) + ([ADMIN_ARN] if admin else [])
    r: dict[str, Any] = {
        "Path": "/",
        "RoleName": name,
        "RoleId": f"AROA{name.upper()[:16]:X<16}",
        "Arn": arn("role", name),
        "AssumeRolePolicyDocument": trust,
        "RolePolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
        "AttachedManagedPolicies": [{"PolicyName": x.rsplit("/", 1)[-1], "PolicyArn": x} for x in m],
        "InstanceProfileList": [{"InstanceProfileName": name, "Arn": arn("instance-profile", name), "Roles": []}]
        if instance_profile
        else [],
    }
    if boundary:
        r["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    return r


def group(name: str, *statements: dict, managed: tuple[str, ...] = ()) -> dict:
    return {
        "Path": "/",
        "GroupName": name,
        "GroupId": f"AGPA{name.upper()[:16]:X<16}",
        "Arn": arn("group", name),
        "GroupPolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
        "AttachedManagedPolicies": [{"PolicyName": x.rsplit("/", 1)[-1], "PolicyArn": x} for x in managed],
    }


def managed_policy(name: str, *versions: dict, default: int = 0, aws: bool = False) -> dict:
    parn = f"arn:aws:iam::aws:policy/{name}" if aws else arn("policy", name)
    return {
        "PolicyName": name,
        "PolicyId": f"ANPA{name.upper()[:16]:X<16}",
        "Arn": parn,
        "Path": "/",
        "DefaultVersionId": f"v{default + 1}",
        "AttachmentCount": 1,
        "IsAttachable": True,
        "PolicyVersionList": [
            {"Document": d, "VersionId": f"v{i + 1}", "IsDefaultVersion": i == default} for i, d in enumerate(versions)
        ],
    }


def admin_policy() -> dict:
    return managed_policy("AdministratorAccess", ADMIN_DOC, aws=True)


def account(
    *,
    users: Sequence[dict] = (),
    roles: Sequence[dict] = (),
    groups: Sequence[dict] = (),
    policies: Sequence[dict] = (),
    with_admin_policy: bool = True,
) -> dict:
    """A GAAD dict; AdministratorAccess is included unless told otherwise."""
    pols = list(policies) + ([admin_policy()] if with_admin_policy else [])
    return {
        "UserDetailList": list(users),
        "GroupDetailList": list(groups),
        "RoleDetailList": list(roles),
        "Policies": pols,
    }


SOURCE_IP = {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


def _other_service(service: str) -> str:
    return "ec2.amazonaws.com" if service == "lambda.amazonaws.com" else "lambda.amazonaws.com"


def _service_roles(
    service: str, prefix: str, *, trusts: str = "", instance_profile: bool = False, admin_profile: bool = True
) -> list[dict]:
    """`<prefix>-admin` (admin, trusting `trusts` or `service`) and `<prefix>-basic` (trusting `service`)."""
    admin_extra: dict[str, Any] = {"instance_profile": admin_profile} if instance_profile else {}
    basic_extra: dict[str, Any] = {"instance_profile": True} if instance_profile else {}
    return [
        role(f"{prefix}-admin", trust_service(trusts or service), admin=True, **admin_extra),
        role(f"{prefix}-basic", trust_service(service), allow("s3:GetObject"), **basic_extra),
    ]


def _single_type(action: str, template: str) -> bool:
    """Whether allowing `action` on its own resource alone can suffice (no other resource type the
    Service Authorization Reference requires with it, e.g. ec2:RunInstances also needs an image)."""
    from .resource_grants import shape

    sh = shape(action, template.format(account=ACCOUNT, name="dev-iamgraph"))
    return sh.usable and not sh.needs and sh.resource != "*"


def passrole_cases(
    *,
    service: str,
    steps: tuple[str, ...],
    prefix: str,
    instance_profile: bool = False,
    named: tuple[tuple[str, str], ...] = (),
) -> tuple[Any, ...]:
    """The standard self-test of a new-passrole technique (`steps`: the actions besides iam:PassRole).

    `dev` holds the statements; `<prefix>-admin` (admin) and `<prefix>-basic` trust `service`.
    Vulnerable: PassRole on *, PassRole scoped to the admin role for `service`, the steps only on
    resources named `dev-*` (`named`: step -> ARN template; the attacker names the resource);
    conditional under a source-IP condition. Safe: PassRole only to another service, only of the
    harmless role, the admin role trusting another service, the last step denied. With
    `instance_profile`: safe when the admin role has no instance profile, vulnerable when the
    source may create one.
    """
    from .base import Case

    src, target = arn("user", "dev"), arn("role", f"{prefix}-admin")
    other = _other_service(service)

    def acct(*statements: dict, trusts: str = "", profile: bool = True) -> dict:
        return account(
            users=[user("dev", *statements)],
            roles=_service_roles(
                service, prefix, trusts=trusts, instance_profile=instance_profile, admin_profile=profile
            ),
        )

    every = allow(["iam:PassRole", *steps])
    cases = [
        Case("passrole-star", True, acct(every), src, target=target),
        Case(
            "passrole-scoped-to-role",
            True,
            acct(
                allow("iam:PassRole", target, Condition={"StringEquals": {"iam:PassedToService": service}}),
                allow(list(steps)),
            ),
            src,
            target=target,
        ),
        Case(
            "source-ip",
            True,
            acct(allow("iam:PassRole"), allow(list(steps), Condition=SOURCE_IP)),
            src,
            target=target,
            conditional=True,
        ),
        Case(
            "passed-to-other-service",
            False,
            acct(allow("iam:PassRole", Condition={"StringEquals": {"iam:PassedToService": other}}), allow(list(steps))),
            src,
            target=target,
        ),
        Case(
            "passrole-other-role-only",
            False,
            acct(allow("iam:PassRole", arn("role", f"{prefix}-basic")), allow(list(steps))),
            src,
            target=target,
        ),
        Case("role-trusts-other-service", False, acct(every, trusts=other), src, target=target),
        Case("last-step-denied", False, acct(every, deny(steps[-1])), src, target=target),
    ]
    if named and all(_single_type(a, t) for a, t in named):
        own = [allow(a, t.replace("us-east-1", "*").format(account=ACCOUNT, name="dev-*")) for a, t in named]
        rest = [a for a in steps if a not in dict(named)]
        cases.append(
            Case(
                "steps-on-own-resource-names",
                True,
                acct(allow("iam:PassRole"), *own, *([allow(rest)] if rest else [])),
                src,
                target=target,
            )
        )
    if instance_profile:
        cases.append(Case("no-instance-profile", False, acct(every, profile=False), src, target=target))
        cases.append(
            Case(
                "creates-instance-profile",
                True,
                acct(
                    allow(["iam:PassRole", *steps, "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"]),
                    profile=False,
                ),
                src,
                target=target,
            )
        )
    return tuple(cases)


def _inventory_item(
    item: str, service: str, resource_type: str, role_name: str, extra: dict[str, str] | None = None
) -> dict:
    return {
        "arn": item.format(name="prod-app"),
        "service": service,
        "resource_type": resource_type,
        "role_arn": arn("role", role_name),
        "region": "us-east-1",
        "name": "prod-app",
        "extra": dict(extra or {}),
    }


def existing_vehicle_cases(
    *,
    service: str,
    inventory_service: str,
    resource_type: str,
    item: str,
    steps: tuple[str, ...],
    item_steps: tuple[str, ...],
    other_steps: tuple[str, ...] = (),
    prefix: str,
    instance_profile: bool = False,
) -> tuple[Any, ...]:
    """The standard self-test of a new-passrole technique acting on an existing resource (the
    vehicle, ARN template `item`): a role is passed onto it. Vulnerable with inventory naming one
    (running as the harmless role), potential without inventory (the resource may exist); safe when the inventory is
    complete and lists none, when the item steps are scoped to other resources, when PassRole is
    for another service, when the admin role trusts another service, and when the last step is denied.
    """
    from .base import Case

    src, target = arn("user", "dev"), arn("role", f"{prefix}-admin")
    other = _other_service(service)
    inv = (_inventory_item(item, inventory_service, resource_type, f"{prefix}-basic"),)
    collected = (inventory_service,)

    def acct(*statements: dict, trusts: str = "") -> dict:
        return account(
            users=[user("dev", *statements)],
            roles=_service_roles(service, prefix, trusts=trusts, instance_profile=instance_profile),
        )

    every = allow(["iam:PassRole", *steps])
    scoped = (
        allow("iam:PassRole"),
        allow(list(item_steps), item.format(name="dev-*")),
        *((allow(list(other_steps)),) if other_steps else ()),
    )
    return (
        Case("existing-resource", True, acct(every), src, target=target, inventory=inv, inventory_collected=collected),
        Case("no-inventory-potential", True, acct(every), src, target=target, conditional=True),
        Case("none-exists", False, acct(every), src, target=target, inventory_collected=collected),
        Case(
            "scoped-to-other-resources",
            False,
            acct(*scoped),
            src,
            target=target,
            inventory=inv,
            inventory_collected=collected,
        ),
        Case(
            "passed-to-other-service",
            False,
            acct(allow("iam:PassRole", Condition={"StringEquals": {"iam:PassedToService": other}}), allow(list(steps))),
            src,
            target=target,
            inventory=inv,
            inventory_collected=collected,
        ),
        Case(
            "role-trusts-other-service",
            False,
            acct(every, trusts=other),
            src,
            target=target,
            inventory=inv,
            inventory_collected=collected,
        ),
        Case(
            "last-step-denied",
            False,
            acct(every, deny(steps[-1])),
            src,
            target=target,
            inventory=inv,
            inventory_collected=collected,
        ),
        Case(
            "source-ip",
            True,
            acct(allow(["iam:PassRole", *steps], Condition=SOURCE_IP)),
            src,
            target=target,
            conditional=True,
            inventory=inv,
            inventory_collected=collected,
        ),
    )


def existing_resource_cases(
    *,
    service: str,
    inventory_service: str,
    resource_type: str,
    item: str,
    steps: tuple[str, ...],
    item_steps: tuple[str, ...],
    other_steps: tuple[str, ...] = (),
    prefix: str,
    instance_profile: bool = False,
    extra: dict[str, str] | None = None,
    field_arns: dict[str, str] | None = None,
) -> tuple[Any, ...]:
    """The standard self-test of an existing-resource technique.

    `dev` holds the statements; `<prefix>-admin` (admin) and `<prefix>-basic` trust `service`;
    inventory items (ARN template `item` with `{name}`) run as one of them. Cases: definite with
    inventory, potential without it, none when the only resource runs as the harmless role, none
    when the item actions are scoped to other resources, none when the first step is denied,
    conditional under a source-IP condition; with `instance_profile`, also none when the admin
    role has no instance profile and there is no inventory. `extra`: the item fields the technique
    needs (e.g. state=stopped): also none when the item holds another value. `field_arns`: item
    fields naming a related resource (e.g. its launch template).
    """
    from .base import Case

    src, target = arn("user", "dev"), arn("role", f"{prefix}-admin")
    fields = {**(extra or {}), **(field_arns or {})}

    def acct(*statements: dict, with_profile: bool = True) -> dict:
        return account(
            users=[user("dev", *statements)],
            roles=_service_roles(service, prefix, instance_profile=instance_profile, admin_profile=with_profile),
        )

    def inv(role_name: str, **override: str) -> tuple[dict, ...]:
        return (_inventory_item(item, inventory_service, resource_type, role_name, {**fields, **override}),)

    every = allow(list(steps))
    collected = (inventory_service,)
    scoped = (allow(list(item_steps), item.format(name="dev-*")),) + (
        (allow(list(other_steps)),) if other_steps else ()
    )
    cases: list[Any] = [
        Case(
            "inventory-admin-resource",
            True,
            acct(every),
            src,
            target=target,
            inventory=inv(f"{prefix}-admin"),
            inventory_collected=collected,
        ),
        Case("no-inventory-potential", True, acct(every), src, target=target, conditional=True),
        Case(
            "inventory-only-low-role",
            False,
            acct(every),
            src,
            target=target,
            inventory=inv(f"{prefix}-basic"),
            inventory_collected=collected,
        ),
    ]
    if item_steps:
        cases.append(
            Case(
                "scoped-to-other-resources",
                False,
                acct(*scoped),
                src,
                target=target,
                inventory=inv(f"{prefix}-admin"),
                inventory_collected=collected,
            )
        )
    cases += [
        Case("first-step-denied", False, acct(every, deny(steps[0])), src, target=target),
        Case(
            "source-ip",
            True,
            acct(allow(list(steps), Condition=SOURCE_IP)),
            src,
            target=target,
            conditional=True,
            inventory=inv(f"{prefix}-admin"),
            inventory_collected=collected,
        ),
    ]
    if instance_profile:
        cases.append(
            Case("no-instance-profile-no-inventory", False, acct(every, with_profile=False), src, target=target)
        )
    for key in extra or {}:
        cases.append(
            Case(
                f"item-{key}-other",
                False,
                acct(every),
                src,
                target=target,
                inventory=inv(f"{prefix}-admin", **{key: "other"}),
                inventory_collected=collected,
            )
        )
    for key, value in (field_arns or {}).items():
        cases.append(
            Case(
                f"{key}-denied",
                False,
                acct(every, deny(list(other_steps), value)),
                src,
                target=target,
                inventory=inv(f"{prefix}-admin"),
                inventory_collected=collected,
            )
        )
    return tuple(cases)


def principal_access_cases(*, actions: tuple[str, ...]) -> tuple[Any, ...]:
    """The standard self-test of a principal-access technique on another user (`actions` on it).

    `dev` holds the statements, `alice` is an administrator. Vulnerable: on every user, on alice
    by name; conditional under MFA. Safe: only on the caller's own user, alice denied the first
    action, only on `svc-*` users, and for each further action: that one only on the own user.
    """
    from .base import Case

    src, target = arn("user", "dev"), arn("user", "alice")
    own = f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"

    def acct(*statements: dict) -> dict:
        return account(users=[user("dev", *statements), user("alice", managed=(ADMIN_ARN,))])

    every = allow(list(actions))
    cases = [
        Case("all-users", True, acct(every), src, target=target),
        Case("target-named", True, acct(allow(list(actions), target)), src, target=target),
        Case("mfa", True, acct(allow(list(actions), Condition=MFA)), src, target=target, conditional=True),
        Case("own-user-only", False, acct(allow(list(actions), own)), src, target=target),
        Case("admin-user-denied", False, acct(every, deny(actions[0], target)), src, target=target),
        Case("service-users-only", False, acct(allow(list(actions), arn("user", "svc-*"))), src, target=target),
    ]
    for a in actions[1:]:
        cases.append(
            Case(
                f"{a.split(':')[1]}-own-only",
                False,
                acct(allow([x for x in actions if x != a]), allow(a, own)),
                src,
                target=target,
            )
        )
    return tuple(cases)


def access_and_modify_cases(*, target_kind: str, modify: str, access: str, actions: tuple[str, ...]) -> tuple[Any, ...]:
    """The standard self-test of a modify-then-access technique (`actions`: modify, access).

    The target is a non-admin role `deployer` (trusting dev for `assume`, else only EC2) or user
    `svc-report`, holding the customer managed policy `<target>-policy`. Vulnerable: both actions
    on the target (and its policy), or on a name prefix matching them; conditional under MFA. Safe: the target bounded, the modify or
    the access action denied on it, the modify action only on `app-*`, and per kind: attaching only
    ReadOnlyAccess, no customer policy to rewrite, a role not trusting dev, keys only for the own user.
    """
    from .base import Case

    name = "deployer" if target_kind == "role" else "svc-report"
    src, target = arn("user", "dev"), arn(target_kind, name)
    pol = managed_policy(f"{name}-policy", doc(allow("s3:GetObject")))
    bound = managed_policy(f"{name}-boundary", doc(allow("s3:*")))
    modify_action, access_action = actions
    modified = pol["Arn"] if modify == "create-policy-version" else target

    def acct(*statements: dict, trust: dict | None = None, boundary: bool = False, managed: bool = True) -> dict:
        b = bound["Arn"] if boundary else None
        m = (pol["Arn"],) if managed else ()
        if target_kind == "user":
            tgt = [user(name, allow("s3:GetObject"), managed=m, boundary=b)]
            return account(users=[user("dev", *statements), *tgt], policies=[pol, bound])
        t = trust or (trust_aws(src) if access == "assume" else trust_service("ec2.amazonaws.com"))
        return account(
            users=[user("dev", *statements)], roles=[role(name, t, managed=m, boundary=b)], policies=[pol, bound]
        )

    every = allow(list(actions))
    cases = [
        Case("both-on-target", True, acct(allow(list(actions), list(dict.fromkeys([target, modified])))), src),
        Case("mfa", True, acct(allow(list(actions), Condition=MFA)), src, conditional=True),
        Case(
            "targets-by-name-prefix",
            True,
            acct(allow(list(actions), [arn(target_kind, f"{name[:3]}*"), arn("policy", f"{name[:3]}*")])),
            src,
        ),
        Case("target-bounded", False, acct(every, boundary=True), src),
        Case("modify-denied", False, acct(every, deny(modify_action, modified)), src),
        Case("access-denied", False, acct(every, deny(access_action, target)), src),
        Case(
            "modify-elsewhere",
            False,
            acct(allow(modify_action, [arn(target_kind, "app-*"), arn("policy", "app-*")]), allow(access_action)),
            src,
        ),
    ]
    if access == "update-trust":
        cases.append(Case("assume-denied", False, acct(every, deny("sts:AssumeRole", target)), src))
    if access == "assume":
        cases.append(Case("role-does-not-trust-dev", False, acct(every, trust=trust_service("ec2.amazonaws.com")), src))
    if access == "access-key":
        cases.append(
            Case(
                "key-own-user-only",
                False,
                acct(allow(modify_action), allow(access_action, f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}")),
                src,
            )
        )
    if modify == "attach-policy":
        cases.append(
            Case(
                "read-only-policy-only",
                False,
                acct(
                    allow(
                        modify_action,
                        Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
                    ),
                    allow(access_action),
                ),
                src,
            )
        )
    if modify == "create-policy-version":
        cases.append(Case("no-customer-policy", False, acct(every, managed=False), src))
    return tuple(cases)


READ_ONLY = {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}


def self_edit_cases(*, action: str, target: str, attach: bool = False) -> tuple[Any, ...]:
    """The standard self-test of a principal editing its own permissions with `action`.

    `target`: "self-user" (user dev), "self-role" (role app), "own-groups" (dev in group devs; group
    ops exists) or "attached-policies" (the customer managed policy dev-tools dev holds, directly or
    through devs). Vulnerable: on itself by ARN, by a wider pattern (or `${aws:username}`, or through
    the group); conditional under MFA. Safe: only other principals/policies, not a member, under a
    boundary that caps it, an explicit Deny; with `attach`: only ReadOnlyAccess may be attached
    (vulnerable when every policy but ReadOnlyAccess may); for attached policies: five versions and
    no iam:DeletePolicyVersion (vulnerable with it).
    """
    from .base import Case

    kind = "role" if target == "self-role" else "user"
    src = arn(kind, "app" if kind == "role" else "dev")
    bound = managed_policy("own-boundary", doc(allow(["s3:*", action])))
    own = {
        "self-user": src,
        "self-role": src,
        "own-groups": arn("group", "devs"),
        "attached-policies": arn("policy", "dev-tools"),
    }[target]

    def acct(*statements: dict, member: bool = True, boundary: bool = False, versions: int = 1) -> dict:
        b = bound["Arn"] if boundary else None
        if kind == "role":
            return account(
                roles=[role("app", trust_service("ec2.amazonaws.com"), *statements, boundary=b)], policies=[bound]
            )
        if target != "attached-policies":
            u = user("dev", *statements, groups=("devs",) if member else (), boundary=b)
            return account(users=[u], groups=[group("devs", allow("s3:ListBucket")), group("ops")], policies=[bound])
        tools = managed_policy(
            "dev-tools",
            *[doc(allow("s3:GetObject"))] * (versions - 1),
            doc(allow("s3:GetObject"), *statements),
            default=versions - 1,
        )
        via_group = not member
        u = user("dev", managed=() if via_group else (tools["Arn"],), groups=("devs",) if via_group else (), boundary=b)
        return account(
            users=[u], groups=[group("devs", managed=(tools["Arn"],) if via_group else ())], policies=[tools, bound]
        )

    wide = {
        "self-user": arn("user", "*"),
        "self-role": arn("role", "*"),
        "own-groups": arn("group", "dev*"),
        "attached-policies": arn("policy", "*"),
    }[target]
    other = {
        "self-user": arn("user", "svc-*"),
        "self-role": arn("role", "lambda-*"),
        "own-groups": arn("group", "ops"),
        "attached-policies": arn("policy", "app-*"),
    }[target]
    cases = [
        Case("on-itself", True, acct(allow(action, own)), src),
        Case("wide-pattern", True, acct(allow(action, wide)), src),
        Case("mfa", True, acct(allow(action, own, Condition=MFA)), src, conditional=True),
        Case("others-only", False, acct(allow(action, other)), src),
        Case("bounded", False, acct(allow(action, own), boundary=True), src),
        Case("explicit-deny", False, acct(allow(action), deny(action, own)), src),
    ]
    if target == "self-user":
        cases.append(
            Case("username-variable", True, acct(allow(action, f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}")), src)
        )
    if target == "own-groups":
        cases.append(Case("not-a-member", False, acct(allow(action, own), member=False), src))
    if target == "attached-policies":
        cases.append(Case("through-a-group", True, acct(allow(action, own), member=False), src))
        cases.append(Case("five-versions-no-delete", False, acct(allow(action, own), versions=5), src))
        cases.append(
            Case(
                "five-versions-and-delete", True, acct(allow([action, "iam:DeletePolicyVersion"], own), versions=5), src
            )
        )
    if attach:
        cases.append(Case("read-only-policy-only", False, acct(allow(action, own, Condition=READ_ONLY)), src))
        cases.append(
            Case(
                "any-policy-but-read-only",
                True,
                acct(
                    allow(
                        action,
                        own,
                        Condition={"ArnNotEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
                    )
                ),
                src,
            )
        )
    return tuple(cases)


def boundary_cases(*, action: str, replace: bool) -> tuple[Any, ...]:
    """The standard self-test of a principal removing (`replace=False`) or replacing its own
    permissions boundary: `dev` (user or role, per `action`) holds AdministratorAccess and is bounded
    by dev-boundary (s3:* plus the statements under test). Vulnerable: the boundary allows the action
    (on itself, or iam:*); conditional under MFA; for removal, also when identity policies are not
    admin but may write an admin policy once the boundary is gone. Safe: the boundary does not allow
    it, allows it only on other principals, identity policies are not admin, an explicit Deny; for
    replacement, the new boundary pinned to the current one.
    """
    from .base import Case

    kind = "user" if "User" in action else "role"
    src, boundary_arn = arn(kind, "dev"), arn("policy", "dev-boundary")
    put = f"iam:Put{kind.capitalize()}Policy"

    def acct(*boundary_statements: dict, identity: tuple[dict, ...] = (), admin: bool = True) -> dict:
        b = managed_policy("dev-boundary", doc(allow("s3:*"), *boundary_statements))
        managed = (ADMIN_ARN,) if admin else ()
        if kind == "user":
            return account(users=[user("dev", *identity, managed=managed, boundary=boundary_arn)], policies=[b])
        return account(
            roles=[role("dev", trust_service("ec2.amazonaws.com"), *identity, managed=managed, boundary=boundary_arn)],
            policies=[b],
        )

    cases = [
        Case("boundary-allows-it", True, acct(allow(action, src)), src),
        Case("boundary-allows-iam-star", True, acct(allow("iam:*")), src),
        Case("mfa", True, acct(allow(action, Condition=MFA)), src, conditional=True),
        Case("boundary-forbids-it", False, acct(allow("iam:Get*")), src),
        Case("only-on-other-principals", False, acct(allow(action, arn(kind, "tmp-*"))), src),
        Case("identity-not-admin", False, acct(allow(action), identity=(allow(["s3:*", action]),), admin=False), src),
        Case("explicit-deny", False, acct(allow("iam:*"), identity=(deny(action, src),)), src),
    ]
    if replace:
        cases.append(
            Case(
                "pinned-to-the-same-boundary",
                False,
                acct(allow(action, Condition={"StringEquals": {"iam:PermissionsBoundary": boundary_arn}})),
                src,
            )
        )
    else:
        cases.append(
            Case(
                "unbounded-then-writes-admin-policy",
                True,
                acct(allow(action), identity=(allow(["s3:*", action, put]),), admin=False),
                src,
            )
        )
    return tuple(cases)


def assume_role_cases() -> tuple[Any, ...]:
    """sts:AssumeRole: trust naming the user (no identity policy needed), account-root trust with
    and without an identity allow, an identity Deny, an MFA condition on the trust (conditional)."""
    from .base import Case

    src, target = arn("user", "dev"), arn("role", "target")
    root = trust_aws(f"arn:aws:iam::{ACCOUNT}:root")

    def acct(*statements: dict, trust: dict) -> dict:
        return account(users=[user("dev", *statements)], roles=[role("target", trust)])

    return (
        Case("trust-names-user", True, acct(trust=trust_aws(src)), src, target=target),
        Case("root-trust-with-identity", True, acct(allow("sts:AssumeRole", target), trust=root), src, target=target),
        Case("root-trust-without-identity", False, acct(allow("s3:*"), trust=root), src, target=target),
        Case("denied", False, acct(deny("sts:AssumeRole"), trust=trust_aws(src)), src, target=target),
        Case("mfa-trust", True, acct(trust=trust_aws(src, Condition=MFA)), src, target=target, conditional=True),
    )


def update_trust_cases() -> tuple[Any, ...]:
    """iam:UpdateAssumeRolePolicy then sts:AssumeRole on ops-admin (an admin role trusting only EC2)."""
    from .base import Case

    src, target = arn("user", "dev"), arn("role", "ops-admin")

    def acct(*statements: dict) -> dict:
        return account(
            users=[user("dev", *statements)], roles=[role("ops-admin", trust_service("ec2.amazonaws.com"), admin=True)]
        )

    act = "iam:UpdateAssumeRolePolicy"
    return (
        Case("all-roles", True, acct(allow(act)), src, target=target),
        Case("target-named", True, acct(allow(act, target)), src, target=target),
        Case("mfa", True, acct(allow(act, Condition=MFA)), src, target=target, conditional=True),
        Case("other-roles-only", False, acct(allow(act, arn("role", "app-*"))), src, target=target),
        Case("assume-denied", False, acct(allow(act), deny("sts:AssumeRole", target)), src, target=target),
        Case("update-denied", False, acct(allow("iam:*"), deny(act, target)), src, target=target),
    )


def add_to_group_cases() -> tuple[Any, ...]:
    """iam:AddUserToGroup into `admins` (AdministratorAccess); `readers` is harmless."""
    from .base import Case

    src, admins = arn("user", "dev"), arn("group", "admins")
    bound = managed_policy("dev-boundary", doc(allow(["s3:*", "iam:AddUserToGroup"])))

    def acct(*statements: dict, boundary: bool = False) -> dict:
        u = user("dev", *statements, boundary=bound["Arn"] if boundary else None)
        return account(
            users=[u],
            groups=[group("admins", managed=(ADMIN_ARN,)), group("readers", allow("s3:GetObject"))],
            policies=[bound],
        )

    act = "iam:AddUserToGroup"
    return (
        Case("any-group", True, acct(allow(act)), src),
        Case("admin-group-named", True, acct(allow(act, admins)), src),
        Case("mfa", True, acct(allow(act, Condition=MFA)), src, conditional=True),
        Case("readers-only", False, acct(allow(act, arn("group", "readers"))), src),
        Case("admin-group-denied", False, acct(allow(act), deny(act, admins)), src),
        Case("bounded", False, acct(allow(act), boundary=True), src),
        Case(
            "puts-admin-policy-on-group-then-joins",
            True,
            acct(allow(act, arn("group", "readers")), allow("iam:PutGroupPolicy", arn("group", "readers"))),
            src,
        ),
    )


def set_default_version_cases() -> tuple[Any, ...]:
    """iam:SetDefaultPolicyVersion on dev-tools (versions v1 = the old one, v2 = the default)."""
    from .base import Case

    src, own = arn("user", "dev"), arn("policy", "dev-tools")
    set_default = allow("iam:SetDefaultPolicyVersion", own)

    def acct(old: dict, current: dict, *, attached: bool = True) -> dict:
        pol = managed_policy("dev-tools", old, current, default=1)
        holder = user("dev", managed=(own,)) if attached else user("dev", allow("s3:ListBucket"))
        return account(users=[holder], policies=[pol])

    return (
        Case("old-admin-version", True, acct(ADMIN_DOC, doc(allow("s3:GetObject"), set_default)), src),
        Case("old-iam-star-version", True, acct(doc(allow("*", "*")), doc(set_default)), src),
        Case(
            "mfa",
            True,
            acct(ADMIN_DOC, doc(allow("iam:SetDefaultPolicyVersion", own, Condition=MFA))),
            src,
            conditional=True,
        ),
        Case("old-version-harmless", False, acct(doc(allow("s3:*")), doc(allow("s3:GetObject"), set_default)), src),
        Case("old-version-denies", False, acct(doc(allow("*"), deny("iam:*")), doc(set_default)), src),
        Case("set-default-denied", False, acct(ADMIN_DOC, doc(set_default, deny("iam:SetDefaultPolicyVersion"))), src),
        Case("policy-not-held", False, acct(ADMIN_DOC, doc(set_default), attached=False), src),
    )
