"""Tiny GAAD builders for technique self-tests (catalogue CASES). Account 111111111111."""

from __future__ import annotations

from typing import Any, Sequence

ACCOUNT = "111111111111"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def allow(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def deny(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict:
    return {"Effect": "Deny", "Action": actions, "Resource": resources, **extra}


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def user(name: str, *statements: dict, groups: tuple[str, ...] = (), managed: tuple[str, ...] = (),
         boundary: str | None = None, tags: dict[str, str] | None = None) -> dict:
    u: dict[str, Any] = {"Path": "/", "UserName": name, "UserId": f"AIDA{name.upper()[:16]:X<16}", "Arn": arn("user", name),
                         "GroupList": list(groups),
                         "AttachedManagedPolicies": [{"PolicyName": m.rsplit("/", 1)[-1], "PolicyArn": m} for m in managed],
                         "UserPolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else []}
    if boundary:
        u["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    if tags:
        u["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return u


def trust_service(service: str) -> dict:
    return doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def trust_aws(principal: str, **extra: Any) -> dict:
    return doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole", **extra})


def role(name: str, trust: dict, *statements: dict, managed: tuple[str, ...] = (), admin: bool = False,
         instance_profile: bool = False, boundary: str | None = None) -> dict:
    m = list(managed) + ([ADMIN_ARN] if admin else [])
    r: dict[str, Any] = {"Path": "/", "RoleName": name, "RoleId": f"AROA{name.upper()[:16]:X<16}", "Arn": arn("role", name),
                         "AssumeRolePolicyDocument": trust,
                         "RolePolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
                         "AttachedManagedPolicies": [{"PolicyName": x.rsplit("/", 1)[-1], "PolicyArn": x} for x in m],
                         "InstanceProfileList": [{"InstanceProfileName": name, "Arn": arn("instance-profile", name),
                                                  "Roles": []}] if instance_profile else []}
    if boundary:
        r["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    return r


def group(name: str, *statements: dict, managed: tuple[str, ...] = ()) -> dict:
    return {"Path": "/", "GroupName": name, "GroupId": f"AGPA{name.upper()[:16]:X<16}", "Arn": arn("group", name),
            "GroupPolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
            "AttachedManagedPolicies": [{"PolicyName": x.rsplit("/", 1)[-1], "PolicyArn": x} for x in managed]}


def managed_policy(name: str, *versions: dict, default: int = 0, aws: bool = False) -> dict:
    parn = f"arn:aws:iam::aws:policy/{name}" if aws else arn("policy", name)
    return {"PolicyName": name, "PolicyId": f"ANPA{name.upper()[:16]:X<16}", "Arn": parn, "Path": "/",
            "DefaultVersionId": f"v{default + 1}", "AttachmentCount": 1, "IsAttachable": True,
            "PolicyVersionList": [{"Document": d, "VersionId": f"v{i + 1}", "IsDefaultVersion": i == default}
                                  for i, d in enumerate(versions)]}


def admin_policy() -> dict:
    return managed_policy("AdministratorAccess", ADMIN_DOC, aws=True)


def account(*, users: Sequence[dict] = (), roles: Sequence[dict] = (), groups: Sequence[dict] = (),
            policies: Sequence[dict] = (), with_admin_policy: bool = True) -> dict:
    """A GAAD dict; AdministratorAccess is included unless told otherwise."""
    pols = list(policies) + ([admin_policy()] if with_admin_policy else [])
    return {"UserDetailList": list(users), "GroupDetailList": list(groups), "RoleDetailList": list(roles), "Policies": pols}


def existing_resource_cases(*, service: str, inventory_service: str, resource_type: str, item: str,
                            steps: tuple[str, ...], item_steps: tuple[str, ...], other_steps: tuple[str, ...] = (),
                            prefix: str, instance_profile: bool = False) -> tuple[Any, ...]:
    """The standard self-test of an existing-resource technique.

    `dev` holds the statements; `<prefix>-admin` (admin) and `<prefix>-basic` trust `service`;
    inventory items (ARN template `item` with `{name}`) run as one of them. Cases: definite with
    inventory, potential without it, none when the only resource runs as the harmless role, none
    when the item actions are scoped to other resources, none when the first step is denied,
    conditional under a source-IP condition; with `instance_profile`, also none when the admin
    role has no instance profile and there is no inventory.
    """
    from .base import Case

    src, admin, basic = arn("user", "dev"), f"{prefix}-admin", f"{prefix}-basic"

    def acct(*statements: dict, with_profile: bool = True) -> dict:
        extra: dict[str, Any] = {"instance_profile": with_profile} if instance_profile else {}
        basic_extra: dict[str, Any] = {"instance_profile": True} if instance_profile else {}
        return account(users=[user("dev", *statements)],
                       roles=[role(admin, trust_service(service), admin=True, **extra),
                              role(basic, trust_service(service), allow("s3:GetObject"), **basic_extra)])

    def inv(role_name: str) -> tuple[dict, ...]:
        return ({"arn": item.format(name="prod-app"), "service": inventory_service, "resource_type": resource_type,
                 "role_arn": arn("role", role_name), "region": "us-east-1", "name": "prod-app", "extra": {}},)

    every = allow(list(steps))
    collected = (inventory_service,)
    scoped = (allow(list(item_steps), item.format(name="dev-*")),) + ((allow(list(other_steps)),) if other_steps else ())
    target = arn("role", admin)
    cases = [
        Case("inventory-admin-resource", True, acct(every), src, target=target, inventory=inv(admin),
             inventory_collected=collected),
        Case("no-inventory-potential", True, acct(every), src, target=target, conditional=True),
        Case("inventory-only-low-role", False, acct(every), src, target=target, inventory=inv(basic),
             inventory_collected=collected),
        Case("scoped-to-other-resources", False, acct(*scoped), src, target=target, inventory=inv(admin),
             inventory_collected=collected),
        Case("first-step-denied", False, acct(every, deny(steps[0])), src, target=target),
        Case("source-ip", True, acct(allow(list(steps), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             src, target=target, conditional=True, inventory=inv(admin), inventory_collected=collected),
    ]
    if instance_profile:
        cases.append(Case("no-instance-profile-no-inventory", False, acct(every, with_profile=False), src, target=target))
    return tuple(cases)
