"""Snapshot -> GAAD-shaped dicts, the inverse of `gaad.py` (used to write a snapshot document).

Policies filled in from the bundled catalogue and trust policies the input lacked are not
written, so loading the written file reproduces the same warnings and incomplete marks.
"""

from __future__ import annotations

from typing import Any

from ..model import (
    Group,
    ManagedPolicy,
    Policy,
    PolicyDocument,
    Principal,
    Role,
    Snapshot,
    Statement,
    User,
    account_of,
)
from .assemble import CATALOGUE_DESCRIPTION


def _principal_json(p: Principal) -> Any:
    if p.wildcard:
        return "*"
    out: dict[str, Any] = {}
    for key, values in (
        ("AWS", p.aws),
        ("Service", p.service),
        ("Federated", p.federated),
        ("CanonicalUser", p.canonical_user),
    ):
        if values:
            out[key] = list(values)
    return out


def _statement_json(s: Statement) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": s.effect.value}
    if s.sid is not None:
        out["Sid"] = s.sid
    for key, value in (("Principal", s.principal), ("NotPrincipal", s.not_principal)):
        if value is not None:
            out[key] = _principal_json(value)
    for key, values in (
        ("Action", s.actions),
        ("NotAction", s.not_actions),
        ("Resource", s.resources),
        ("NotResource", s.not_resources),
    ):
        if values is not None:
            out[key] = list(values)
    if s.conditions:
        cond: dict[str, dict[str, list[str]]] = {}
        for c in s.conditions:
            cond.setdefault(c.operator, {})[c.key] = list(c.values)
        out["Condition"] = cond
    return out


def document_json(doc: PolicyDocument) -> Any:
    """The JSON of a policy document: the parsed original when known, else rebuilt from statements."""
    if doc.raw is not None:
        return doc.raw
    return {"Version": doc.version, "Statement": [_statement_json(s) for s in doc.statements]}


def _inline(policies: tuple[Policy, ...]) -> list[dict[str, Any]]:
    return [{"PolicyName": p.ref.name or p.ref.id, "PolicyDocument": document_json(p.document)} for p in policies]


def _attached(arns: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"PolicyName": a.rsplit("/", 1)[-1], "PolicyArn": a} for a in arns]


def _boundary(entry: dict[str, Any], arn: str | None) -> None:
    if arn:
        entry["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}


def _tags(entry: dict[str, Any], tags: dict[str, str]) -> None:
    if tags:
        entry["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]


def user_json(u: User) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Path": u.path,
        "UserName": u.name,
        "UserId": u.user_id,
        "Arn": u.arn,
        "UserPolicyList": _inline(u.inline_policies),
        "GroupList": list(u.groups),
        "AttachedManagedPolicies": _attached(u.managed_policy_arns),
    }
    _boundary(out, u.permissions_boundary_arn)
    _tags(out, u.tags)
    return out


def group_json(g: Group) -> dict[str, Any]:
    return {
        "Path": g.path,
        "GroupName": g.name,
        "GroupId": g.group_id,
        "Arn": g.arn,
        "GroupPolicyList": _inline(g.inline_policies),
        "AttachedManagedPolicies": _attached(g.managed_policy_arns),
    }


def role_json(r: Role) -> dict[str, Any]:
    out: dict[str, Any] = {"Path": r.path, "RoleName": r.name, "RoleId": r.role_id, "Arn": r.arn}
    if r.trust_policy.document.raw is not None or r.trust_policy.document.statements:
        out["AssumeRolePolicyDocument"] = document_json(r.trust_policy.document)
    out["InstanceProfileList"] = [{"Arn": a} for a in r.instance_profile_arns]
    out["RolePolicyList"] = _inline(r.inline_policies)
    out["AttachedManagedPolicies"] = _attached(r.managed_policy_arns)
    _boundary(out, r.permissions_boundary_arn)
    _tags(out, r.tags)
    if r.last_used:
        out["RoleLastUsed"] = {"LastUsedDate": r.last_used}
    if r.description:
        out["Description"] = r.description
    if r.max_session_duration is not None:
        out["MaxSessionDuration"] = r.max_session_duration
    return out


def policy_json(p: ManagedPolicy) -> dict[str, Any]:
    out: dict[str, Any] = {"PolicyName": p.name, "Arn": p.arn, "Path": p.path, "DefaultVersionId": p.default_version_id}
    if p.attachment_count is not None:
        out["AttachmentCount"] = p.attachment_count
    if p.boundary_usage_count is not None:
        out["PermissionsBoundaryUsageCount"] = p.boundary_usage_count
    if p.description:
        out["Description"] = p.description
    out["PolicyVersionList"] = [
        {
            "Document": document_json(v.document),
            "VersionId": v.version_id,
            "IsDefaultVersion": v.is_default,
            **({"CreateDate": v.create_date} if v.create_date else {}),
        }
        for v in p.versions
    ]
    return out


def _referenced(entities: tuple[User | Group | Role, ...]) -> set[str]:
    out: set[str] = set()
    for e in entities:
        out.update(e.managed_policy_arns)
        if not isinstance(e, Group) and e.permissions_boundary_arn:
            out.add(e.permissions_boundary_arn)
    return out


def gaad_of_account(
    snapshot: Snapshot, account: str, *, unreferenced_aws: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """The GAAD dict of one account of `snapshot`. AWS managed policies go with every account whose
    principals reference them (and, with `unreferenced_aws`, those nobody references); the
    catalogue-filled ones are left out."""
    mine = [u for u in snapshot.users.values() if account_of(u.arn) == account]
    groups = [g for g in snapshot.groups.values() if account_of(g.arn) == account]
    roles = [r for r in snapshot.roles.values() if account_of(r.arn) == account]
    used = _referenced((*mine, *groups, *roles))
    referenced = (
        _referenced((*snapshot.users.values(), *snapshot.groups.values(), *snapshot.roles.values()))
        if unreferenced_aws
        else set()
    )
    policies = [
        p
        for p in snapshot.policies.values()
        if p.description != CATALOGUE_DESCRIPTION
        and (
            account_of(p.arn) == account
            or (account_of(p.arn) == "aws" and (p.arn in used or unreferenced_aws and p.arn not in referenced))
        )
    ]
    return {
        "UserDetailList": [user_json(u) for u in mine],
        "GroupDetailList": [group_json(g) for g in groups],
        "RoleDetailList": [role_json(r) for r in roles],
        "Policies": [policy_json(p) for p in policies],
    }
