"""Who decides each condition key, from the point of view of an attacker holding a principal's
credentials (IAM User Guide, "AWS global condition context keys", Availability of each key;
Service Authorization Reference for service keys).

`classify(key)` -> KeyClass. The attacker search (`attacker.py`) chooses values only for keys of
the REQUEST and RESOURCE_TAG/SELF_TAG classes; CREDENTIAL keys follow the credential type;
SCAN_TIME and PRINCIPAL keys are fixed before evaluation; OUTSIDE keys stay Unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

GLOBAL_KEYS_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
IAM_KEYS_PAGE = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html"
)
STS_KEYS_PAGE = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html"
TAGS_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html"
SESSION_TAGS_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html"


class KeyClass(str, Enum):
    """Who fixes a condition key's value in a request."""

    SCAN_TIME = "scan-time"  # the time of the request: the scan time (or a pinned value)
    PRINCIPAL = "principal"  # the calling principal's own data (ARN, tags, account, org)
    CREDENTIAL = "credential"  # present or absent by credential type (access key / session)
    REQUEST = "attacker-request"  # the attacker writes it into the request
    TECHNIQUE = "technique"  # a request parameter the technique itself fixes
    RESOURCE_TAG = "attacker-resource-tag"  # a tag on the target resource: the attacker may set it first
    SELF_TAG = "attacker-self-tag"  # a tag on the caller: the attacker may tag itself first
    REQUEST_SCOPED = "request-scoped"  # decided from the request's resource/region (issue 16's resolver)
    OUTSIDE = "outside-control"  # network path, calling service, MFA device, ...: stays Unknown


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyInfo:
    """One row of the classification table."""

    key: str  # as AWS spells it (a trailing `/` marks a prefix: `aws:RequestTag/`)
    cls: KeyClass
    why: str
    page: str = GLOBAL_KEYS_PAGE
    always_present: bool = False  # "always included in the request context": the attacker cannot omit it


_T = KeyClass
TABLE: tuple[KeyInfo, ...] = (
    KeyInfo(
        key="aws:CurrentTime",
        cls=_T.SCAN_TIME,
        always_present=True,
        why="always included; the attacker acts now: the scan time (pin it with --context)",
    ),
    KeyInfo(
        key="aws:EpochTime",
        cls=_T.SCAN_TIME,
        always_present=True,
        why="always included; the scan time in epoch seconds",
    ),
    KeyInfo(
        key="aws:TokenIssueTime",
        cls=_T.CREDENTIAL,
        why="only with temporary credentials: absent for an access key; for a role session issued "
        "at or before the scan time (and not before the role existed, when its CreateDate is known)",
    ),
    KeyInfo(
        key="aws:MultiFactorAuthPresent",
        cls=_T.CREDENTIAL,
        why="absent for long-term access keys; false for temporary credentials without MFA; true only "
        "with an MFA device, which the attacker is not assumed to hold (that case stays Unknown)",
    ),
    KeyInfo(
        key="aws:MultiFactorAuthAge",
        cls=_T.CREDENTIAL,
        why="present only when MFA was used: absent for the attacker's credentials; with MFA Unknown",
    ),
    KeyInfo(key="aws:PrincipalArn", cls=_T.PRINCIPAL, why="the caller's ARN"),
    KeyInfo(key="aws:PrincipalAccount", cls=_T.PRINCIPAL, why="the caller's account"),
    KeyInfo(key="aws:PrincipalType", cls=_T.PRINCIPAL, why="User / AssumedRole"),
    KeyInfo(key="aws:PrincipalIsAWSService", cls=_T.PRINCIPAL, why="false for users and role sessions"),
    KeyInfo(key="aws:userid", cls=_T.PRINCIPAL, why="the caller's unique id (when the input gives it)"),
    KeyInfo(key="aws:username", cls=_T.PRINCIPAL, why="IAM users only; absent for role sessions"),
    KeyInfo(
        key="aws:PrincipalTag/",
        cls=_T.SELF_TAG,
        why="the caller's tags (known); an attacker allowed iam:TagUser/iam:TagRole on itself may add one first",
    ),
    KeyInfo(key="aws:PrincipalTagKeys", cls=_T.PRINCIPAL, why="the caller's tag keys"),
    KeyInfo(
        key="aws:PrincipalOrgID", cls=_T.PRINCIPAL, why="known when organisation data is present; otherwise Unknown"
    ),
    KeyInfo(
        key="aws:PrincipalOrgPaths",
        cls=_T.PRINCIPAL,
        why="known when the account's OU path is present; otherwise Unknown",
    ),
    KeyInfo(key="aws:PrincipalServiceName", cls=_T.PRINCIPAL, why="only for service principals"),
    KeyInfo(key="aws:PrincipalServiceNamesList", cls=_T.PRINCIPAL, why="only for service principals"),
    KeyInfo(
        key="aws:SecureTransport",
        cls=_T.REQUEST,
        always_present=True,
        why="always included; the attacker chooses HTTPS or HTTP",
    ),
    KeyInfo(
        key="aws:UserAgent",
        cls=_T.REQUEST,
        always_present=True,
        why="an HTTP header the caller writes (the page warns it can be any value)",
    ),
    KeyInfo(key="aws:Referer", cls=_T.REQUEST, why="an HTTP header the caller writes (may be omitted)"),
    KeyInfo(key="aws:RequestTag/", cls=_T.REQUEST, why="the tags the caller passes in the request"),
    KeyInfo(key="aws:TagKeys", cls=_T.REQUEST, why="the tag keys the caller passes (multivalued)"),
    KeyInfo(
        key="aws:SourceIdentity",
        cls=_T.REQUEST,
        page=SESSION_TAGS_PAGE,
        why="set by the caller when assuming a role (needs sts:SetSourceIdentity)",
    ),
    KeyInfo(key="aws:FederatedProvider", cls=_T.OUTSIDE, why="the identity provider that issued the session"),
    KeyInfo(
        key="aws:RequestedRegion",
        cls=_T.REQUEST_SCOPED,
        why="chosen by the caller within what SCPs allow; IAM calls always go to us-east-1 (request-scoped resolver)",
    ),
    KeyInfo(
        key="aws:ResourceAccount",
        cls=_T.REQUEST_SCOPED,
        why="the account owning the resource (request-scoped resolver)",
    ),
    KeyInfo(
        key="aws:ResourceOrgID",
        cls=_T.REQUEST_SCOPED,
        why="the resource owner's organisation (request-scoped resolver)",
    ),
    KeyInfo(
        key="aws:ResourceOrgPaths", cls=_T.REQUEST_SCOPED, why="the resource owner's OU path (request-scoped resolver)"
    ),
    KeyInfo(
        key="aws:ResourceTag/",
        cls=_T.RESOURCE_TAG,
        page=TAGS_PAGE,
        why="the resource's tags: known for IAM users/roles; the attacker may set them first when it may tag the resource",
    ),
    KeyInfo(key="aws:SourceIp", cls=_T.OUTSIDE, why="the network address the request comes from"),
    KeyInfo(key="aws:SourceVpc", cls=_T.OUTSIDE, why="only through a VPC endpoint"),
    KeyInfo(key="aws:SourceVpce", cls=_T.OUTSIDE, why="only through a VPC endpoint"),
    KeyInfo(key="aws:VpcSourceIp", cls=_T.OUTSIDE, why="only through a VPC endpoint"),
    KeyInfo(key="aws:SourceArn", cls=_T.OUTSIDE, why="set by a service calling on a resource owner's behalf"),
    KeyInfo(key="aws:SourceAccount", cls=_T.OUTSIDE, why="set by a service calling on a resource owner's behalf"),
    KeyInfo(key="aws:SourceOrgID", cls=_T.OUTSIDE, why="set by a service calling on a resource owner's behalf"),
    KeyInfo(key="aws:SourceOrgPaths", cls=_T.OUTSIDE, why="set by a service calling on a resource owner's behalf"),
    KeyInfo(
        key="aws:ViaAWSService",
        cls=_T.OUTSIDE,
        always_present=True,
        why="true only when a service calls with the caller's credentials",
    ),
    KeyInfo(key="aws:CalledVia", cls=_T.OUTSIDE, why="the services in the forward-access-session chain"),
    KeyInfo(key="aws:CalledViaFirst", cls=_T.OUTSIDE, why="the first service in that chain"),
    KeyInfo(key="aws:CalledViaLast", cls=_T.OUTSIDE, why="the last service in that chain"),
    KeyInfo(key="aws:Ec2InstanceSourceVpc", cls=_T.OUTSIDE, why="only with EC2 role credentials"),
    KeyInfo(key="aws:Ec2InstanceSourcePrivateIPv4", cls=_T.OUTSIDE, why="only with EC2 role credentials"),
    KeyInfo(key="aws:VpceAccount", cls=_T.OUTSIDE, why="only through a VPC endpoint"),
    KeyInfo(key="aws:VpceOrgID", cls=_T.OUTSIDE, why="only through a VPC endpoint"),
    KeyInfo(key="aws:VpceOrgPaths", cls=_T.OUTSIDE, why="only through a VPC endpoint"),
    KeyInfo(key="aws:IsMcpServiceAction", cls=_T.OUTSIDE, why="set by the calling service"),
    # service keys the techniques fix, or the attacker writes into the request
    KeyInfo(
        key="iam:PassedToService",
        cls=_T.TECHNIQUE,
        page=IAM_KEYS_PAGE,
        why="the service the technique passes the role to",
    ),
    KeyInfo(key="iam:PolicyARN", cls=_T.TECHNIQUE, page=IAM_KEYS_PAGE, why="the policy the technique attaches"),
    KeyInfo(
        key="iam:PermissionsBoundary",
        cls=_T.TECHNIQUE,
        page=IAM_KEYS_PAGE,
        why="the boundary the technique sets (absent when it sets none)",
    ),
    KeyInfo(
        key="iam:AssociatedResourceArn",
        cls=_T.TECHNIQUE,
        page=IAM_KEYS_PAGE,
        why="the resource the passed role is associated with (named by the attacker)",
    ),
    KeyInfo(
        key="iam:AWSServiceName", cls=_T.REQUEST, page=IAM_KEYS_PAGE, why="the service named in CreateServiceLinkedRole"
    ),
    KeyInfo(
        key="iam:ResourceTag/",
        cls=_T.RESOURCE_TAG,
        page=IAM_KEYS_PAGE,
        why="the IAM resource's tags (known for users/roles); may be set first with iam:Tag*",
    ),
    KeyInfo(key="iam:OrganizationsPolicyId", cls=_T.OUTSIDE, page=IAM_KEYS_PAGE, why="set by Organizations"),
    KeyInfo(key="sts:RoleSessionName", cls=_T.REQUEST, page=STS_KEYS_PAGE, why="the session name the caller picks"),
    KeyInfo(
        key="sts:SourceIdentity",
        cls=_T.REQUEST,
        page=STS_KEYS_PAGE,
        why="the source identity the caller sets (needs sts:SetSourceIdentity)",
    ),
    KeyInfo(
        key="sts:TransitiveTagKeys",
        cls=_T.REQUEST,
        page=STS_KEYS_PAGE,
        why="session tag keys the caller marks transitive",
    ),
    KeyInfo(
        key="sts:DurationSeconds", cls=_T.REQUEST, page=STS_KEYS_PAGE, why="the session duration the caller asks for"
    ),
    KeyInfo(
        key="sts:ExternalId",
        cls=_T.OUTSIDE,
        page=STS_KEYS_PAGE,
        why="a secret shared with a third party: not assumed known to the attacker",
    ),
)

_EXACT: dict[str, KeyInfo] = {i.key.lower(): i for i in TABLE if not i.key.endswith("/")}
_PREFIX: tuple[tuple[str, KeyInfo], ...] = tuple((i.key.lower(), i) for i in TABLE if i.key.endswith("/"))
_DEFAULT_SERVICE = KeyInfo(
    key="<service>:<key>",
    cls=_T.OUTSIDE,
    page="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    why="a service key not listed here: left Unknown (never guessed)",
)
_SERVICE_RESOURCE_TAG = KeyInfo(
    key="<service>:ResourceTag/",
    cls=_T.RESOURCE_TAG,
    page=TAGS_PAGE,
    why="the resource's tags under the service prefix",
)
_SERVICE_REQUEST_TAG = KeyInfo(
    key="<service>:RequestTag/",
    cls=_T.REQUEST,
    page=TAGS_PAGE,
    why="tags passed in the request under the service prefix",
)


def info(key: str) -> KeyInfo:
    """The classification row for `key` (any case); unlisted service keys are OUTSIDE."""
    low = key.lower()
    hit = _EXACT.get(low)
    if hit is not None:
        return hit
    for prefix, row in _PREFIX:
        if low.startswith(prefix):
            return row
    if ":resourcetag/" in low:
        return _SERVICE_RESOURCE_TAG
    if ":requesttag/" in low:
        return _SERVICE_REQUEST_TAG
    return _DEFAULT_SERVICE


def classify(key: str) -> KeyClass:
    return info(key).cls


def tag_key_of(key: str) -> str | None:
    """`aws:RequestTag/team` -> `team` (also ResourceTag, PrincipalTag, service prefixes); else None."""
    low = key.lower()
    for marker in ("requesttag/", "resourcetag/", "principaltag/"):
        i = low.find(":" + marker)
        if i >= 0:
            return key[i + 1 + len(marker) :]
    return None


def table_markdown() -> str:
    """The classification table of docs/condition-keys.md (one row per TABLE entry, in order)."""
    rows = ["| key | decided by | why | page |", "|---|---|---|---|"]
    for r in TABLE:
        key = f"`{r.key}*`" if r.key.endswith("/") else f"`{r.key}`"
        page, name = r.page, r.page.rsplit("/", 1)[-1].replace(".html", "")
        if page == GLOBAL_KEYS_PAGE:  # the key's own section of the global keys page
            anchor = r.key.split(":", 1)[1].rstrip("/").lower()
            page, name = f"{page}#condition-keys-{anchor}", f"global keys: {r.key.rstrip('/')}"
        rows.append(
            f"| {key} | {r.cls.value}{' (always present)' if r.always_present else ''} | {r.why} | [{name}]({page}) |"
        )
    for r in (_SERVICE_RESOURCE_TAG, _SERVICE_REQUEST_TAG, _DEFAULT_SERVICE):
        key = f"`{r.key}*`" if r.key.endswith("/") else f"`{r.key}`"
        rows.append(f"| {key} | {r.cls.value} | {r.why} | [reference]({r.page}) |")
    return "\n".join(rows) + "\n"


CREDENTIAL_KEYS = frozenset({"aws:multifactorauthpresent", "aws:multifactorauthage", "aws:tokenissuetime"})


__all__ = [
    "KeyClass",
    "KeyInfo",
    "TABLE",
    "info",
    "classify",
    "tag_key_of",
    "table_markdown",
    "CREDENTIAL_KEYS",
    "GLOBAL_KEYS_PAGE",
]
