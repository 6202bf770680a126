"""Typed model: frozen dataclasses and enums; nothing here does I/O."""

from .arn import Arn, account_of, is_arn, partition_of, region_of, resource_of, role_arn_of_session, service_of
from .identity_center import (
    AccountAssignment,
    CustomerManagedRef,
    GroupMembership,
    IdcGroup,
    IdcPrincipalType,
    IdcUser,
    IdentityCenter,
    PermissionSet,
)
from .inventory import InventoryKind
from .organization import Organization
from .policy import Condition, Effect, Policy, PolicyDocument, PolicyKind, PolicyRef, Principal, Statement
from .principals import Group, ManagedPolicy, NodeKind, PolicyVersion, Role, User
from .snapshot import (
    SNAPSHOT_SCHEMA_VERSION,
    CollectionGap,
    IdentityProvider,
    IdpKind,
    InventoryResource,
    OrgNode,
    OrgNodeKind,
    ResourcePolicy,
    Snapshot,
)

__all__ = [
    "IdpKind",
    "InventoryKind",
    "Arn",
    "partition_of",
    "region_of",
    "resource_of",
    "service_of",
    "account_of",
    "is_arn",
    "role_arn_of_session",
    "Condition",
    "Effect",
    "Policy",
    "PolicyDocument",
    "PolicyKind",
    "PolicyRef",
    "Principal",
    "Statement",
    "Group",
    "ManagedPolicy",
    "NodeKind",
    "PolicyVersion",
    "Role",
    "User",
    "SNAPSHOT_SCHEMA_VERSION",
    "CollectionGap",
    "IdentityProvider",
    "InventoryResource",
    "OrgNode",
    "OrgNodeKind",
    "ResourcePolicy",
    "Snapshot",
    "AccountAssignment",
    "CustomerManagedRef",
    "GroupMembership",
    "IdcGroup",
    "IdcPrincipalType",
    "IdcUser",
    "IdentityCenter",
    "PermissionSet",
    "Organization",
]
