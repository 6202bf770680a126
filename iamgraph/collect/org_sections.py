"""Snapshot sections for the organisation as a whole and IAM Identity Center (docs/snapshot-format.md).

`organization` gains `id`, `management_account`, `members`, `delegated_administrators` and
`root_sessions_enabled` next to the per-account OU paths; `identity_center` is a top-level section.
Bad input raises InputError naming the file and JSON path.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..model import (
    AccountAssignment,
    CustomerManagedRef,
    GroupMembership,
    IdcGroup,
    IdcPrincipalType,
    IdcUser,
    IdentityCenter,
    Organization,
    PermissionSet,
    PolicyDocument,
)
from .gaad import _ACCOUNT, json_type
from .gaad_export import document_json
from .policy_parse import parse_policy_document


def _need(value: Any, kind: type, what: str, *, file: str | None, path: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = {str: "a string", list: "an array", dict: "an object", bool: "a boolean"}
        raise InputError(
            f"{what} must be {names.get(kind, kind.__name__)}, not {json_type(value)}", file=file, path=path
        )
    return value


def _s(d: dict[str, Any], key: str, *, file: str | None, path: str, required: bool = False) -> str:
    if d.get(key) is None:
        if required:
            raise InputError(f"missing {key}", file=file, path=path)
        return ""
    return str(_need(d[key], str, key, file=file, path=f"{path}.{key}"))


def _account(value: str, *, file: str | None, path: str) -> str:
    if not _ACCOUNT.match(value):
        raise InputError(f"account id must be 12 digits, not {value!r}", file=file, path=path)
    return value


def _list(d: dict[str, Any], key: str, *, file: str | None, path: str) -> list[tuple[Any, str]]:
    v = d.get(key)
    if v is None:
        return []
    _need(v, list, key, file=file, path=f"{path}.{key}")
    return [(x, f"{path}.{key}[{i}]") for i, x in enumerate(v)]


def read_organization_extras(org: dict[str, Any], *, file: str | None, path: str) -> Organization | None:
    """The organisation-wide fields of the `organization` section (None when it has none)."""
    keys = ("id", "management_account", "members", "delegated_administrators", "root_sessions_enabled")
    if not any(k in org for k in keys):
        return None
    mgmt = _s(org, "management_account", file=file, path=path)
    if mgmt:
        _account(mgmt, file=file, path=f"{path}.management_account")
    members: list[str] = []
    names: dict[str, str] = {}
    for m, mpath in _list(org, "members", file=file, path=path):
        _need(m, dict, "member", file=file, path=mpath)
        acct = _account(_s(m, "id", file=file, path=mpath, required=True), file=file, path=f"{mpath}.id")
        members.append(acct)
        names[acct] = _s(m, "name", file=file, path=mpath)
    delegated: dict[str, tuple[str, ...]] = {}
    raw = org.get("delegated_administrators") or {}
    _need(raw, dict, "delegated_administrators", file=file, path=f"{path}.delegated_administrators")
    for service, accts in raw.items():
        spath = f"{path}.delegated_administrators.{service}"
        _need(accts, list, "delegated administrator accounts", file=file, path=spath)
        delegated[service] = tuple(
            _account(_need(a, str, "account id", file=file, path=f"{spath}[{i}]"), file=file, path=f"{spath}[{i}]")
            for i, a in enumerate(accts)
        )
    enabled = org.get("root_sessions_enabled")
    if enabled is not None:
        _need(enabled, bool, "root_sessions_enabled", file=file, path=f"{path}.root_sessions_enabled")
    return Organization(
        id=_s(org, "id", file=file, path=path),
        management_account=mgmt,
        accounts=tuple(sorted(set(members))),
        account_names=names,
        delegated_administrators=delegated,
        root_sessions_enabled=enabled,
    )


def organization_extras_json(org: Organization) -> dict[str, Any]:
    return {
        "id": org.id,
        "management_account": org.management_account,
        "members": [{"id": a, "name": org.account_names.get(a, "")} for a in org.accounts],
        "delegated_administrators": {k: list(v) for k, v in sorted(org.delegated_administrators.items())},
        "root_sessions_enabled": org.root_sessions_enabled,
    }


def _policy(raw: Any, *, file: str | None, path: str) -> PolicyDocument:
    return parse_policy_document(raw, file=file, path=path)


def _ref(d: Any, *, file: str | None, path: str) -> CustomerManagedRef:
    _need(d, dict, "customer managed policy reference", file=file, path=path)
    return CustomerManagedRef(
        name=_s(d, "name", file=file, path=path, required=True), path=_s(d, "path", file=file, path=path) or "/"
    )


def read_identity_center(ic: Any, *, file: str | None, path: str = "$.identity_center") -> IdentityCenter:
    """The `identity_center` section -> IdentityCenter."""
    _need(ic, dict, "identity_center", file=file, path=path)
    owner = _account(
        _s(ic, "owner_account", file=file, path=path, required=True), file=file, path=f"{path}.owner_account"
    )
    psets: list[PermissionSet] = []
    for d, ppath in _list(ic, "permission_sets", file=file, path=path):
        _need(d, dict, "permission set", file=file, path=ppath)
        inline = d.get("inline_policy")
        boundary = d.get("permissions_boundary") or {}
        _need(boundary, dict, "permissions_boundary", file=file, path=f"{ppath}.permissions_boundary")
        cm_boundary = boundary.get("customer_managed")
        psets.append(
            PermissionSet(
                arn=_s(d, "arn", file=file, path=ppath, required=True),
                name=_s(d, "name", file=file, path=ppath, required=True),
                managed_policies=tuple(
                    _need(a, str, "managed policy ARN", file=file, path=p)
                    for a, p in _list(d, "managed_policies", file=file, path=ppath)
                ),
                customer_managed=tuple(
                    _ref(r, file=file, path=p) for r, p in _list(d, "customer_managed_policies", file=file, path=ppath)
                ),
                inline_policy=_policy(inline, file=file, path=f"{ppath}.inline_policy") if inline else None,
                boundary_managed=_s(boundary, "managed", file=file, path=f"{ppath}.permissions_boundary") or None,
                boundary_customer=_ref(cm_boundary, file=file, path=f"{ppath}.permissions_boundary.customer_managed")
                if cm_boundary
                else None,
                provisioned_accounts=tuple(
                    sorted(
                        _account(_need(a, str, "account id", file=file, path=p), file=file, path=p)
                        for a, p in _list(d, "provisioned_accounts", file=file, path=ppath)
                    )
                ),
            )
        )
    users = [
        IdcUser(
            id=_s(u, "id", file=file, path=p, required=True),
            user_name=_s(u, "user_name", file=file, path=p, required=True),
            display_name=_s(u, "display_name", file=file, path=p),
        )
        for u, p in _list(ic, "users", file=file, path=path)
        if _need(u, dict, "user", file=file, path=p)
    ]
    groups = [
        IdcGroup(
            id=_s(g, "id", file=file, path=p, required=True), display_name=_s(g, "display_name", file=file, path=p)
        )
        for g, p in _list(ic, "groups", file=file, path=path)
        if _need(g, dict, "group", file=file, path=p)
    ]
    members = [
        GroupMembership(
            group_id=_s(m, "group_id", file=file, path=p, required=True),
            user_id=_s(m, "user_id", file=file, path=p, required=True),
        )
        for m, p in _list(ic, "memberships", file=file, path=path)
        if _need(m, dict, "membership", file=file, path=p)
    ]
    assigns: list[AccountAssignment] = []
    for a, p in _list(ic, "assignments", file=file, path=path):
        _need(a, dict, "assignment", file=file, path=p)
        ptype = _s(a, "principal_type", file=file, path=p, required=True)
        if ptype not in ("USER", "GROUP"):
            raise InputError(
                f"principal_type must be USER or GROUP, not {ptype!r}", file=file, path=f"{p}.principal_type"
            )
        assigns.append(
            AccountAssignment(
                permission_set_arn=_s(a, "permission_set_arn", file=file, path=p, required=True),
                account_id=_account(
                    _s(a, "account_id", file=file, path=p, required=True), file=file, path=f"{p}.account_id"
                ),
                principal_type=IdcPrincipalType(ptype),
                principal_id=_s(a, "principal_id", file=file, path=p, required=True),
            )
        )
    known_ps = {x.arn for x in psets}
    for i, a in enumerate(assigns):
        if a.permission_set_arn not in known_ps:
            raise InputError(
                f"assignment names unknown permission set {a.permission_set_arn!r}",
                file=file,
                path=f"{path}.assignments[{i}].permission_set_arn",
            )
    return IdentityCenter(
        instance_arn=_s(ic, "instance_arn", file=file, path=path, required=True),
        identity_store_id=_s(ic, "identity_store_id", file=file, path=path, required=True),
        owner_account=owner,
        permission_sets=tuple(sorted(psets, key=lambda x: x.arn)),
        users=tuple(sorted(users, key=lambda x: x.id)),
        groups=tuple(sorted(groups, key=lambda x: x.id)),
        memberships=tuple(sorted(members, key=lambda m: (m.group_id, m.user_id))),
        assignments=tuple(
            sorted(assigns, key=lambda a: (a.account_id, a.permission_set_arn, a.principal_type.value, a.principal_id))
        ),
    )


def identity_center_json(ic: IdentityCenter) -> dict[str, Any]:
    def ref(r: CustomerManagedRef) -> dict[str, str]:
        return {"name": r.name, "path": r.path}

    return {
        "instance_arn": ic.instance_arn,
        "identity_store_id": ic.identity_store_id,
        "owner_account": ic.owner_account,
        "permission_sets": [
            {
                "arn": p.arn,
                "name": p.name,
                "managed_policies": list(p.managed_policies),
                "customer_managed_policies": [ref(r) for r in p.customer_managed],
                "inline_policy": document_json(p.inline_policy) if p.inline_policy else None,
                "permissions_boundary": ({"managed": p.boundary_managed} if p.boundary_managed else {})
                | ({"customer_managed": ref(p.boundary_customer)} if p.boundary_customer else {}),
                "provisioned_accounts": list(p.provisioned_accounts),
            }
            for p in ic.permission_sets
        ],
        "users": [{"id": u.id, "user_name": u.user_name, "display_name": u.display_name} for u in ic.users],
        "groups": [{"id": g.id, "display_name": g.display_name} for g in ic.groups],
        "memberships": [{"group_id": m.group_id, "user_id": m.user_id} for m in ic.memberships],
        "assignments": [
            {
                "permission_set_arn": a.permission_set_arn,
                "account_id": a.account_id,
                "principal_type": a.principal_type.value,
                "principal_id": a.principal_id,
            }
            for a in ic.assignments
        ],
    }
