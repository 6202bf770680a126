"""IAM Identity Center: instance, permission sets, account assignments and the identity store.

No e-mail addresses are held: users carry their id, user name and display name only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .policy import PolicyDocument

SSO_ROLE_PREFIX = "AWSReservedSSO_"
SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"


class IdcPrincipalType(str, Enum):
    USER = "USER"
    GROUP = "GROUP"


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerManagedRef:
    """A customer managed policy named by a permission set; resolved in each target account."""

    name: str
    path: str = "/"

    def arn_in(self, account: str) -> str:
        return f"arn:aws:iam::{account}:policy{self.path}{self.name}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PermissionSet:
    arn: str  # arn:aws:sso:::permissionSet/ssoins-.../ps-...
    name: str
    managed_policies: tuple[str, ...] = ()  # AWS managed policy ARNs
    customer_managed: tuple[CustomerManagedRef, ...] = ()
    inline_policy: PolicyDocument | None = None
    boundary_managed: str | None = None  # AWS managed boundary ARN
    boundary_customer: CustomerManagedRef | None = None
    provisioned_accounts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IdcUser:
    id: str
    user_name: str
    display_name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IdcGroup:
    id: str
    display_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupMembership:
    group_id: str
    user_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountAssignment:
    permission_set_arn: str
    account_id: str
    principal_type: IdcPrincipalType
    principal_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityCenter:
    """One organisation instance of Identity Center and its identity store."""

    instance_arn: str
    identity_store_id: str
    owner_account: str  # the management account (the instance lives there)
    permission_sets: tuple[PermissionSet, ...] = ()
    users: tuple[IdcUser, ...] = ()
    groups: tuple[IdcGroup, ...] = ()
    memberships: tuple[GroupMembership, ...] = ()
    assignments: tuple[AccountAssignment, ...] = ()

    def permission_set(self, arn: str) -> PermissionSet | None:
        return next((p for p in self.permission_sets if p.arn == arn), None)

    @property
    def instance_id(self) -> str:
        return self.instance_arn.rsplit("/", 1)[-1]


def idc_user_node(user_id: str) -> str:
    """Graph node id of an identity-store user (its ARN)."""
    return f"arn:aws:identitystore:::user/{user_id}"


def idc_group_node(group_id: str) -> str:
    return f"arn:aws:identitystore:::group/{group_id}"


def is_sso_role(arn: str) -> bool:
    """A role Identity Center provisions (protected: IAM writes to it fail)."""
    return f":role{SSO_ROLE_PATH}" in arn and f"/{SSO_ROLE_PREFIX}" in arn


def sso_role_name_prefix(permission_set_name: str) -> str:
    return f"{SSO_ROLE_PREFIX}{permission_set_name}_"
