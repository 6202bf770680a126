"""Organizations: for each scanned account, the path root -> OUs -> account with its SCPs and RCPs.

Readable from the management account or a delegated administrator. The path is found upwards
with ListParents (cost: depth of the account, not size of the organization).
"""

from __future__ import annotations

from typing import Any

from .session import AccountContext, call, error_code, paginate, policy_json

ORG_UNREADABLE = "SCPs/RCPs not readable; analysis assumes none"
_TYPES = {"SERVICE_CONTROL_POLICY": "scps", "RESOURCE_CONTROL_POLICY": "rcps"}
_NOT_IN_ORG = ("ChildNotFoundException", "AccountNotFoundException", "TargetNotFoundException")


class OrgUnreadable(Exception):
    """Organizations data cannot be read with these credentials (the cause is the __cause__)."""


class _OrgReader:
    def __init__(self, ctx: AccountContext) -> None:
        self.ctx = ctx
        self.c = ctx.client("organizations", _org_region(ctx))
        self.policies: dict[str, dict[str, Any]] = {}
        self.enabled: set[str] = set()

    def start(self) -> dict[str, Any]:
        org = call(self.c, "DescribeOrganization")["Organization"]
        roots = paginate(self.c, "ListRoots", "Roots")
        for root in roots:
            self.enabled |= {t["Type"] for t in root.get("PolicyTypes") or [] if t.get("Status") == "ENABLED"}
        self.roots = {r["Id"]: r for r in roots}
        return org

    def path(self, account_id: str) -> list[dict[str, Any]]:
        """Nodes root -> account; raises ClientError (e.g. ChildNotFoundException) if not in the org."""
        chain: list[tuple[str, str]] = [(account_id, "account")]
        child = account_id
        while True:
            parents = paginate(self.c, "ListParents", "Parents", ChildId=child)
            parent = parents[0]
            kind = "root" if parent["Type"] == "ROOT" else "ou"
            chain.append((parent["Id"], kind))
            if kind == "root":
                break
            child = parent["Id"]
        return [self._node(node_id, kind) for node_id, kind in reversed(chain)]

    def _node(self, node_id: str, kind: str) -> dict[str, Any]:
        if kind == "root":
            name = self.roots.get(node_id, {}).get("Name", "Root")
        elif kind == "ou":
            name = call(self.c, "DescribeOrganizationalUnit", OrganizationalUnitId=node_id)["OrganizationalUnit"].get(
                "Name", ""
            )
        else:
            name = call(self.c, "DescribeAccount", AccountId=node_id)["Account"].get("Name", "")
        node: dict[str, Any] = {"id": node_id, "kind": kind, "name": name, "scps": [], "rcps": []}
        for ptype, key in _TYPES.items():
            if ptype in self.enabled:
                node[key] = [
                    self._policy(p["Id"])
                    for p in paginate(self.c, "ListPoliciesForTarget", "Policies", TargetId=node_id, Filter=ptype)
                ]
        return node

    def _policy(self, policy_id: str) -> dict[str, Any]:
        if policy_id not in self.policies:
            pol = call(self.c, "DescribePolicy", PolicyId=policy_id)["Policy"]
            summary = pol.get("PolicySummary") or {}
            self.policies[policy_id] = {
                "arn": summary.get("Arn", policy_id),
                "name": summary.get("Name", ""),
                "document": policy_json(pol.get("Content") or "{}"),
            }
        return self.policies[policy_id]


def org_paths(ctx: AccountContext, account_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Paths for those of `account_ids` that belong to the caller's organization.

    Raises OrgUnreadable (with a gap recorded in `ctx`) when these credentials cannot read it.
    """
    reader = _OrgReader(ctx)
    region = _org_region(ctx)
    try:
        reader.start()
    except Exception as exc:
        _record_unreadable(ctx, exc, region)
        raise OrgUnreadable() from exc
    if "SERVICE_CONTROL_POLICY" not in reader.enabled:
        ctx.gaps.add(
            api="organizations:ListRoots",
            region=region,
            detail="SCP policy type not enabled at the root; " + ORG_UNREADABLE,
        )
        raise OrgUnreadable()
    out: dict[str, list[dict[str, Any]]] = {}
    for account in account_ids:
        try:
            out[account] = reader.path(account)
        except Exception as exc:
            if error_code(exc) in _NOT_IN_ORG:
                continue
            _record_unreadable(ctx, exc, region)
            raise OrgUnreadable() from exc
    return out


def _record_unreadable(ctx: AccountContext, exc: BaseException, region: str) -> None:
    ctx.fail(exc, region=region, service=None, api="organizations:DescribeOrganization", note=ORG_UNREADABLE)


def _org_region(ctx: AccountContext) -> str:
    return (
        "us-gov-west-1"
        if ctx.partition == "aws-us-gov"
        else ("cn-northwest-1" if ctx.partition == "aws-cn" else "us-east-1")
    )
