"""Names the exports give iamgraph's node kinds and edge techniques.

OpenGraph: every name carries the `IAMG_` namespace (never `AWS_`, which another extension may
claim); one relationship kind per technique. Neo4j: Cartography's labels where Cartography has the
entity (`AWSUser`, `AWSRole`, `AWSGroup`, `AWSPrincipal`, ...), `Iamgraph*` labels for the rest.
Kinds not listed here (added to the graph later) still get a well-formed name from their value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..techniques.registry import catalogue

NAMESPACE = "IAMG"
SOURCE_KIND = "IAMGraph"
NODE_LABEL = "IamgraphNode"  # every node of a Neo4j export carries it


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeKindInfo:
    """How one node kind is named and drawn."""

    opengraph: str  # OpenGraph primary kind
    display: str
    icon: str  # Font Awesome (solid) name, without `fa-`
    color: str
    labels: tuple[str, ...]  # Neo4j labels (Cartography's first), IamgraphNode added by the writer
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeKindInfo:
    """How one technique's edges are named, and whether an attacker can walk them."""

    opengraph: str
    name: str
    traversable: bool
    description: str
    remediation: str


_NODE_KINDS: dict[str, NodeKindInfo] = {
    "user": NodeKindInfo(
        opengraph="IAMG_User",
        display="IAM User",
        icon="user",
        color="#2f7ed8",
        labels=("AWSUser", "AWSPrincipal"),
        description="An IAM user.",
    ),
    "group": NodeKindInfo(
        opengraph="IAMG_Group",
        display="IAM Group",
        icon="users",
        color="#8bbc21",
        labels=("AWSGroup", "AWSPrincipal"),
        description="An IAM group.",
    ),
    "role": NodeKindInfo(
        opengraph="IAMG_Role",
        display="IAM Role",
        icon="id-badge",
        color="#f28f43",
        labels=("AWSRole", "AWSPrincipal"),
        description="An IAM role.",
    ),
    "service": NodeKindInfo(
        opengraph="IAMG_Service",
        display="AWS Service",
        icon="cloud",
        color="#77a1e5",
        labels=("AWSServicePrincipal", "AWSPrincipal"),
        description="An AWS service principal (e.g. lambda.amazonaws.com) that roles trust.",
    ),
    "hub": NodeKindInfo(
        opengraph="IAMG_ServiceHub",
        display="New or existing service resource",
        icon="cubes",
        color="#a6c96a",
        labels=("IamgraphServiceHub",),
        description="A resource of one service (a new one the attacker creates, or an existing "
        "one) that may run as any of the roles it points to.",
    ),
    "external": NodeKindInfo(
        opengraph="IAMG_ExternalPrincipal",
        display="External principal",
        icon="globe",
        color="#c42525",
        labels=("AWSPrincipal",),
        description="Another AWS account (its root), a principal in one, or anyone (`*`).",
    ),
    "federated": NodeKindInfo(
        opengraph="IAMG_IdentityProvider",
        display="Identity provider",
        icon="fingerprint",
        color="#492970",
        labels=("AWSFederatedPrincipal", "AWSPrincipal"),
        description="A SAML or OIDC identity provider that roles trust.",
    ),
    "admin": NodeKindInfo(
        opengraph="IAMG_AccountAdmin",
        display="Account administrator",
        icon="crown",
        color="#e4d354",
        labels=("IamgraphAdmin",),
        description="The administrator sink: allowed `*` on `*` in the account.",
    ),
    "idc_user": NodeKindInfo(
        opengraph="IAMG_IdcUser",
        display="Identity Center user",
        icon="user-tie",
        color="#3d96ae",
        labels=("AWSSSOUser",),
        description="An IAM Identity Center user.",
    ),
    "idc_group": NodeKindInfo(
        opengraph="IAMG_IdcGroup",
        display="Identity Center group",
        icon="people-group",
        color="#6ea3b5",
        labels=("AWSSSOGroup",),
        description="An IAM Identity Center group.",
    ),
}

ACCOUNT_KIND = NodeKindInfo(
    opengraph="IAMG_Account",
    display="AWS Account",
    icon="building",
    color="#434348",
    labels=("AWSAccount",),
    description="A scanned AWS account (the OpenGraph environment).",
)

# edges that are not catalogue techniques
_FIXED_EDGES: dict[str, EdgeKindInfo] = {
    "member-of": EdgeKindInfo(
        opengraph="IAMG_MemberOf",
        name="group membership",
        traversable=False,
        description="The user is a member of the group (its policies are already counted "
        "in the user's own permissions).",
        remediation="",
    ),
    "admin": EdgeKindInfo(
        opengraph="IAMG_Admin",
        name="administrator",
        traversable=True,
        description="The principal is allowed `*` on `*`: it is an administrator of the account.",
        remediation="Grant administrator access only to break-glass and platform roles.",
    ),
    "service-trust": EdgeKindInfo(
        opengraph="IAMG_ServiceTrust",
        name="service trust",
        traversable=True,
        description="The role's trust policy lets the AWS service assume it.",
        remediation="Trust only the services that need the role, with aws:SourceArn/aws:SourceAccount conditions.",
    ),
    "federated-trust": EdgeKindInfo(
        opengraph="IAMG_FederatedTrust",
        name="federated trust",
        traversable=True,
        description="The role's trust policy lets users of the identity provider assume it.",
        remediation="Restrict federated trust with aud and sub conditions.",
    ),
    "service-runs-as": EdgeKindInfo(
        opengraph="IAMG_ServiceRunsAs",
        name="service runs as",
        traversable=True,
        description="A resource of the service can run with the role's credentials.",
        remediation="Limit which roles can be passed to the service.",
    ),
    "idc-member-of": EdgeKindInfo(
        opengraph="IAMG_IdcMemberOf",
        name="Identity Center group membership",
        traversable=True,
        description="The Identity Center user is a member of the group, and gets the group's account assignments.",
        remediation="Review the membership of groups that hold privileged assignments.",
    ),
    "idc-assignment": EdgeKindInfo(
        opengraph="IAMG_IdcAssignment",
        name="Identity Center account assignment",
        traversable=True,
        description="Identity Center assigns the permission set in the account to the "
        "user or group: they sign in as its provisioned role.",
        remediation="Assign privileged permission sets to few, reviewed groups.",
    ),
    "idc-group-membership": EdgeKindInfo(
        opengraph="IAMG_IdcGroupMembership",
        name="add a user to an Identity Center group",
        traversable=True,
        description="The principal can add a user it controls to an Identity Center "
        "group that holds an admin-capable assignment.",
        remediation="Restrict identitystore:CreateGroupMembership to the identity administrators.",
    ),
    "sso-create-account-assignment": EdgeKindInfo(
        opengraph="IAMG_SsoCreateAccountAssignment",
        name="sso:CreateAccountAssignment",
        traversable=True,
        description="The principal can assign an admin-capable permission set in an account to an identity it controls.",
        remediation="Restrict sso:CreateAccountAssignment to the Identity Center administrators, scoped by "
        "permission set and account.",
    ),
    "sso-edit-permission-set": EdgeKindInfo(
        opengraph="IAMG_SsoEditPermissionSet",
        name="edit a permission set",
        traversable=True,
        description="The principal can make a permission set grant `*` on `*`, then use its role.",
        remediation="Restrict sso:PutInlinePolicyToPermissionSet, sso:AttachManagedPolicyToPermissionSet and "
        "sso:ProvisionPermissionSet to the Identity Center administrators.",
    ),
    "sso-create-permission-set": EdgeKindInfo(
        opengraph="IAMG_SsoCreatePermissionSet",
        name="create a permission set",
        traversable=True,
        description="The principal can create a permission set allowing `*` on `*` and assign it to an identity "
        "it controls.",
        remediation="Restrict sso:CreatePermissionSet and sso:CreateAccountAssignment to the Identity Center "
        "administrators.",
    ),
    "scp-admin-override": EdgeKindInfo(
        opengraph="IAMG_ScpAdminOverride",
        name="admin once an SCP is lifted",
        traversable=True,
        description="The principal's own policies grant `*` on `*`; only an SCP blocks it today, and that SCP can "
        "be edited or detached by a policy administrator of the organisation.",
        remediation="Do not rely on SCPs alone: remove the administrator grant, and restrict who can edit or "
        "detach SCPs.",
    ),
    "trust": EdgeKindInfo(
        opengraph="IAMG_Trusts",
        name="trust policy",
        traversable=True,
        description="The role's trust policy admits the principal (reported by risky-trust).",
        remediation="Name specific principals and require sts:ExternalId or organisation conditions.",
    ),
}


def camel(text: str) -> str:
    """`lambda-001` -> `Lambda001`: letters and digits only (OpenGraph kind pattern)."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    return "".join(p[:1].upper() + p[1:] for p in parts) or "Unknown"


def node_kind(kind: str, hub: bool = False) -> NodeKindInfo:
    """Naming of a node kind (`NodeKind.value`); service hubs have their own kind."""
    if hub:
        return _NODE_KINDS["hub"]
    info = _NODE_KINDS.get(kind)
    if info is None:
        info = NodeKindInfo(
            opengraph=f"{NAMESPACE}_{camel(kind)}",
            display=kind.replace("_", " "),
            icon="circle",
            color="#7f7f7f",
            labels=(f"Iamgraph{camel(kind)}",),
            description=f"An iamgraph {kind} node.",
        )
    return info


def all_node_kinds(values: tuple[str, ...]) -> list[NodeKindInfo]:
    """Every node kind (the named ones, the given NodeKind values, hubs and accounts), sorted by OpenGraph name."""
    kinds = {info.opengraph: info for info in _NODE_KINDS.values()}
    kinds.update({node_kind(v).opengraph: node_kind(v) for v in values})
    kinds[ACCOUNT_KIND.opengraph] = ACCOUNT_KIND
    return [kinds[k] for k in sorted(kinds)]


@lru_cache(maxsize=1)
def _catalogue_edges() -> dict[str, EdgeKindInfo]:
    out: dict[str, EdgeKindInfo] = {}
    for t in catalogue():
        out[t.id] = EdgeKindInfo(
            opengraph=f"{NAMESPACE}_{camel(t.id)}",
            name=t.name,
            traversable=True,
            description=t.description or t.name,
            remediation=t.remediation,
        )
    return out


def edge_kind(technique: str) -> EdgeKindInfo:
    """Naming of the edges of `technique` (catalogue id, or one of the graph's own edge kinds)."""
    info = _catalogue_edges().get(technique) or _FIXED_EDGES.get(technique)
    if info is None:
        info = EdgeKindInfo(
            opengraph=f"{NAMESPACE}_{camel(technique)}",
            name=technique,
            traversable=True,
            description=f"iamgraph technique {technique}.",
            remediation="",
        )
    return info


def all_edge_kinds() -> list[tuple[str, EdgeKindInfo]]:
    """(technique, naming) of every catalogue technique and fixed edge, sorted by technique."""
    merged = {**_FIXED_EDGES, **_catalogue_edges()}
    names = [i.opengraph for i in merged.values()]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise RuntimeError(f"two techniques map to the same OpenGraph kind: {sorted(dupes)}")
    return sorted(merged.items())
