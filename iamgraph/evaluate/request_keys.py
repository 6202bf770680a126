"""Condition keys the request itself fixes once its action and resource are known (IAM User Guide,
"AWS global condition context keys"):

- `aws:ResourceAccount`: "the resource owner's AWS account ID" — the account field of the
  resource ARN (left unknown when the ARN has none, e.g. S3 buckets, AWS-owned documents, or `*`);
- `aws:ResourceOrgID` / `aws:ResourceOrgPaths`: the organisation and OU path of that account, when
  the caller supplies organisation facts for it (`OrgFacts`); unknown otherwise;
- `aws:RequestedRegion`: for IAM API calls `us-east-1` ("IAM calls are always made to the
  us-east-1 Region": global services have one endpoint); for a request on a regional resource
  (its ARN names a region) that region, the endpoint the request must go to. `iam:PassRole` is no
  API call (it is checked inside the calling service's request, whose region the caller chooses),
  and `*` or region-less ARNs name no region: the key stays unknown there;
- `aws:IsMcpServiceAction`: true for the actions of an AWS MCP service's own API (`aws-mcp:*`,
  `eks-mcp:*`, ...), left unknown for the MCP protocol actions other services define
  (`partnercentral:UseSession`), false for every other action: the actions an MCP server takes
  are no MCP service actions ("AWSMcpServiceActionsFullAccess ... does not grant access to the
  actions taken by the MCP, only the MCP actions themselves").

`request_context(action, resource, org)` -> the fixed keys (possibly empty). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .types import ContextValue

GLOBAL_KEYS_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
IAM_REGION = "us-east-1"  # aws partition; IAM's single endpoint
_GLOBAL_IAM_PARTITIONS = {"aws": "us-east-1"}
_NOT_API_CALLS = frozenset({"iam:passrole"})  # permission-only: checked within another request
# MCP protocol actions of services that are no MCP service themselves (may be MCP service actions)
MCP_PROTOCOL_ACTIONS = frozenset({"partnercentral:usesession"})
REQUEST_SCOPED_KEYS = frozenset(
    {
        "aws:resourceaccount",
        "aws:resourceorgid",
        "aws:resourceorgpaths",
        "aws:requestedregion",
        "aws:ismcpserviceaction",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgFacts:
    """What is known about one account's organisation: its id and OU path (`o-x/r-y/ou-z/`)."""

    org_id: str
    path: str | None = None


OrgLookup = Callable[[str], "OrgFacts | None"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestScope:
    """Per-snapshot resolver: `org` maps an account id to its OrgFacts (None: not known)."""

    org: OrgLookup | None = None
    _cache: dict[tuple[str, str, str, str], tuple[tuple[str, ContextValue], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    _requests: dict[tuple[str, str], tuple[tuple[str, ContextValue], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def keys(self, action: str, resource: str) -> tuple[tuple[str, ContextValue], ...]:
        """The request-fixed keys of `action` on `resource`, as sorted (key, value) pairs (cached
        per request, and shared per service, account, partition and region)."""
        hit = self._requests.get((action, resource))
        if hit is None:
            if len(self._requests) > 262144:
                self._requests.clear()
            hit = self._requests[(action, resource)] = self._keys(action, resource)
        return hit

    def _keys(self, action: str, resource: str) -> tuple[tuple[str, ContextValue], ...]:
        low = action.lower()
        parts = resource.split(":", 5) if resource.startswith("arn:") else ()
        account = parts[4] if len(parts) == 6 else ""
        partition = parts[1] if len(parts) == 6 else ""
        region = parts[3] if len(parts) == 6 else ""
        special = low in _NOT_API_CALLS or low in MCP_PROTOCOL_ACTIONS  # keyed by the action itself
        ck = (low if special else low.split(":", 1)[0], account, partition, region)
        hit = self._cache.get(ck)
        if hit is None:
            hit = self._cache[ck] = tuple(sorted(request_context(low, resource, self.org).items()))
        return hit


def request_context(action: str, resource: str, org: OrgLookup | None = None) -> dict[str, ContextValue]:
    """Keys fixed by the request (see the module docstring); `action` in any case."""
    low = action.lower()
    service = low.split(":", 1)[0]
    out: dict[str, ContextValue] = {}
    parts = resource.split(":", 5) if resource.startswith("arn:") else ()
    if len(parts) == 6:
        account = parts[4]
        if len(account) == 12 and account.isdigit():
            out["aws:ResourceAccount"] = account
            facts = org(account) if org is not None else None
            if facts is not None and facts.org_id:
                out["aws:ResourceOrgID"] = facts.org_id
                if facts.path:
                    out["aws:ResourceOrgPaths"] = (facts.path,)
    if service == "iam" and low not in _NOT_API_CALLS:
        region = _GLOBAL_IAM_PARTITIONS.get(parts[1] if len(parts) == 6 else "aws")
        if region:
            out["aws:RequestedRegion"] = region
    elif low not in _NOT_API_CALLS and len(parts) == 6 and is_region(parts[3]):
        out["aws:RequestedRegion"] = parts[3]
    if is_mcp_service(service):
        out["aws:IsMcpServiceAction"] = "true"
    elif low not in MCP_PROTOCOL_ACTIONS:
        out["aws:IsMcpServiceAction"] = "false"
    return out


_REGION = re.compile(r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")


def is_region(text: str) -> bool:
    """A concrete region name (`us-east-1`, `us-gov-west-1`, ...), no wildcard."""
    return _REGION.fullmatch(text) is not None


def is_mcp_service(service: str) -> bool:
    """An AWS MCP server's own service prefix (`aws-mcp`, `eks-mcp`, `ecs-mcp`, ...)."""
    return service == "aws-mcp" or service.endswith("-mcp")


__all__ = ["OrgFacts", "RequestScope", "request_context", "is_mcp_service", "is_region", "REQUEST_SCOPED_KEYS"]
