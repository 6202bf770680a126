"""Builders for organisation snapshots in tests: GAAD per account, org section, Identity Center."""

from __future__ import annotations

from typing import Any

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ORG_ID = "o-exampleorg1"
ROOT = "r-ex12"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def deny(actions: str | list[str], resources: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": actions, "Resource": resources, **extra}


def trust(principal: str | dict[str, Any], **extra: Any) -> dict[str, Any]:
    p = principal if isinstance(principal, dict) else {"AWS": principal}
    return doc({"Effect": "Allow", "Principal": p, "Action": "sts:AssumeRole", **extra})


def user(acct: str, name: str, *statements: dict[str, Any], admin: bool = False) -> dict[str, Any]:
    return {
        "Path": "/",
        "UserName": name,
        "UserId": f"AIDA{acct[-4:]}{name.upper()[:12]:X<12}",
        "Arn": f"arn:aws:iam::{acct}:user/{name}",
        "GroupList": [],
        "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN_ARN}] if admin else [],
        "UserPolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
    }


def role(
    acct: str, name: str, trust_doc: dict[str, Any], *statements: dict[str, Any], admin: bool = False, path: str = "/"
) -> dict[str, Any]:
    return {
        "Path": path,
        "RoleName": name,
        "RoleId": f"AROA{acct[-4:]}{name.upper()[:12]:X<12}",
        "Arn": f"arn:aws:iam::{acct}:role{path}{name}",
        "AssumeRolePolicyDocument": trust_doc,
        "RolePolicyList": [{"PolicyName": f"{name}-policy", "PolicyDocument": doc(*statements)}] if statements else [],
        "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN_ARN}] if admin else [],
        "InstanceProfileList": [],
    }


def gaad(users: list[dict[str, Any]] = [], roles: list[dict[str, Any]] = []) -> dict[str, Any]:  # noqa: B006
    pol = {
        "PolicyName": "AdministratorAccess",
        "PolicyId": "ANPAADMINISTRATORACC",
        "Arn": ADMIN_ARN,
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 1,
        "IsAttachable": True,
        "PolicyVersionList": [{"Document": ADMIN_DOC, "VersionId": "v1", "IsDefaultVersion": True}],
    }
    return {"UserDetailList": list(users), "GroupDetailList": [], "RoleDetailList": list(roles), "Policies": [pol]}


def scp(name: str, *statements: dict[str, Any]) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:organizations::111111111111:policy/{ORG_ID}/service_control_policy/p-{name}",
        "name": name,
        "document": doc(*statements),
    }


FULL_ACCESS = scp("FullAWSAccess", allow("*"))


def org_section(
    members: dict[str, str],
    *,
    management: str,
    ou_of: dict[str, str] | None = None,
    scps: dict[str, list[dict[str, Any]]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """members: account -> name; ou_of: account -> OU id (else directly under the root); scps: node id -> SCPs."""
    ou_of, scps = ou_of or {}, scps or {}

    def node(nid: str, kind: str) -> dict[str, Any]:
        return {"id": nid, "kind": kind, "name": nid, "scps": [FULL_ACCESS, *scps.get(nid, [])], "rcps": []}

    paths = {}
    for acct in members:
        chain = [node(ROOT, "root")] + ([node(ou_of[acct], "ou")] if acct in ou_of else []) + [node(acct, "account")]
        paths[acct] = chain
    return {
        "accounts": paths,
        "id": ORG_ID,
        "management_account": management,
        "members": [{"id": a, "name": n} for a, n in sorted(members.items())],
        **extra,
    }


def snapshot(
    accounts: dict[str, dict[str, Any]],
    organization: dict[str, Any] | None = None,
    identity_center: dict[str, Any] | None = None,
) -> dict[str, Any]:
    d: dict[str, Any] = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [{"account_id": a, "authorization_details": g} for a, g in sorted(accounts.items())],
    }
    if organization is not None:
        d["organization"] = organization
    if identity_center is not None:
        d["identity_center"] = identity_center
    return d
