"""Read IAM Identity Center once (management or sso delegated-admin account) into the snapshot's
`identity_center` section. Users carry id, user name and display name only (no e-mail addresses).

What cannot be read becomes a collection gap: an API the service (or moto) does not offer, access
denied, an account instance (no permission sets). Nothing is guessed.
"""

from __future__ import annotations

from typing import Any

from .session import AccountContext, call, error_code, paginate, policy_json


def read_identity_center(ctx: AccountContext) -> dict[str, Any] | None:
    """The section, or None when there is no organisation instance readable here (gap recorded)."""
    region = ctx.default_region
    sso = ctx.client("sso-admin", region)
    try:
        instances = paginate(sso, "ListInstances", "Instances")
    except Exception as exc:
        ctx.fail(exc, region=region, service=None, api="sso:ListInstances", note="Identity Center not collected")
        return None
    if not instances:
        return None
    inst = instances[0]
    arn, store = inst["InstanceArn"], inst["IdentityStoreId"]
    owner = inst.get("OwnerAccountId") or ctx.account_id
    ctx.say(f"account {ctx.account_id}: Identity Center {arn}")

    def soft(api: str, default: Any, fn: Any, *args: Any, note: str = "", **params: Any) -> Any:
        """fn(*args, **params), or `default` when it fails (recorded as a gap unless "not found")."""
        try:
            return fn(*args, **params)
        except Exception as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return default  # e.g. no permissions boundary set
            ctx.fail(exc, region=region, service=None, api=api, note=note)
            return default

    psets: list[dict[str, Any]] = []
    for ps_arn in soft(
        "sso:ListPermissionSets", [], paginate, sso, "ListPermissionSets", "PermissionSets", InstanceArn=arn
    ):
        kw = {"InstanceArn": arn, "PermissionSetArn": ps_arn}
        desc = (soft("sso:DescribePermissionSet", {}, call, sso, "DescribePermissionSet", **kw) or {}).get(
            "PermissionSet", {}
        )
        inline = (
            soft("sso:GetInlinePolicyForPermissionSet", {}, call, sso, "GetInlinePolicyForPermissionSet", **kw) or {}
        ).get("InlinePolicy")
        managed = soft(
            "sso:ListManagedPoliciesInPermissionSet",
            [],
            paginate,
            sso,
            "ListManagedPoliciesInPermissionSet",
            "AttachedManagedPolicies",
            **kw,
        )
        customer = soft(
            "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
            [],
            paginate,
            sso,
            "ListCustomerManagedPolicyReferencesInPermissionSet",
            "CustomerManagedPolicyReferences",
            **kw,
        )
        boundary = (
            soft(
                "sso:GetPermissionsBoundaryForPermissionSet",
                {},
                call,
                sso,
                "GetPermissionsBoundaryForPermissionSet",
                note="permissions boundaries of permission sets unknown",
                **kw,
            )
            or {}
        ).get("PermissionsBoundary")
        accounts = soft(
            "sso:ListAccountsForProvisionedPermissionSet",
            [],
            paginate,
            sso,
            "ListAccountsForProvisionedPermissionSet",
            "AccountIds",
            **kw,
        )
        entry: dict[str, Any] = {
            "arn": ps_arn,
            "name": desc.get("Name", ps_arn.rsplit("/", 1)[-1]),
            "managed_policies": sorted(m["Arn"] for m in managed),
            "customer_managed_policies": [{"name": c["Name"], "path": c.get("Path", "/")} for c in customer],
            "inline_policy": policy_json(inline) if inline else None,
            "permissions_boundary": _boundary(boundary),
            "provisioned_accounts": sorted(set(accounts)),
        }
        psets.append(entry)
    assignments: list[dict[str, Any]] = []
    for ps in psets:
        for acct in ps["provisioned_accounts"]:
            rows = soft(
                "sso:ListAccountAssignments",
                [],
                paginate,
                sso,
                "ListAccountAssignments",
                "AccountAssignments",
                InstanceArn=arn,
                AccountId=acct,
                PermissionSetArn=ps["arn"],
            )
            assignments += [
                {
                    "permission_set_arn": ps["arn"],
                    "account_id": acct,
                    "principal_type": r["PrincipalType"],
                    "principal_id": r["PrincipalId"],
                }
                for r in rows
            ]
    ids = ctx.client("identitystore", region)
    users = soft("identitystore:ListUsers", [], paginate, ids, "ListUsers", "Users", IdentityStoreId=store)
    groups = soft("identitystore:ListGroups", [], paginate, ids, "ListGroups", "Groups", IdentityStoreId=store)
    memberships: list[dict[str, str]] = []
    for g in groups:
        rows = soft(
            "identitystore:ListGroupMemberships",
            [],
            paginate,
            ids,
            "ListGroupMemberships",
            "GroupMemberships",
            IdentityStoreId=store,
            GroupId=g["GroupId"],
        )
        memberships += [
            {"group_id": g["GroupId"], "user_id": r["MemberId"]["UserId"]}
            for r in rows
            if "UserId" in (r.get("MemberId") or {})
        ]
    return {
        "instance_arn": arn,
        "identity_store_id": store,
        "owner_account": owner,
        "permission_sets": psets,
        "users": [
            {"id": u["UserId"], "user_name": u.get("UserName", ""), "display_name": u.get("DisplayName", "")}
            for u in users
        ],
        "groups": [{"id": g["GroupId"], "display_name": g.get("DisplayName", "")} for g in groups],
        "memberships": memberships,
        "assignments": sorted(assignments, key=lambda a: (a["account_id"], a["permission_set_arn"], a["principal_id"])),
    }


def _boundary(raw: dict[str, Any] | None) -> dict[str, Any]:
    if not raw:
        return {}
    if raw.get("ManagedPolicyArn"):
        return {"managed": raw["ManagedPolicyArn"]}
    ref = raw.get("CustomerManagedPolicyReference") or {}
    return {"customer_managed": {"name": ref.get("Name", ""), "path": ref.get("Path", "/")}} if ref else {}
