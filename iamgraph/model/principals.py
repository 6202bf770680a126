"""Typed IAM entities of one account, as read from GAAD (or collected live)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .policy import Policy, PolicyDocument
from .slot_init import slot_init


class NodeKind(str, Enum):
    USER = "user"
    GROUP = "group"
    ROLE = "role"
    SERVICE = "service"
    EXTERNAL = "external"  # another AWS account or a principal in one
    FEDERATED = "federated"  # SAML / OIDC identity provider
    ADMIN = "admin"  # the admin sink (one per account: iamgraph:admin:<account>)
    IDC_USER = "idc_user"  # an IAM Identity Center (identity store) user
    IDC_GROUP = "idc_group"  # an IAM Identity Center group


@slot_init
@dataclass(frozen=True, slots=True)
class PolicyVersion:
    version_id: str
    is_default: bool
    document: PolicyDocument
    create_date: str | None = None


@slot_init
@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    arn: str
    name: str
    path: str = "/"
    default_version_id: str = "v1"
    versions: tuple[PolicyVersion, ...] = ()
    attachment_count: int | None = None
    boundary_usage_count: int | None = None
    description: str = ""

    @property
    def is_aws_managed(self) -> bool:
        return ":iam::aws:policy/" in self.arn

    @property
    def default_document(self) -> PolicyDocument | None:
        for v in self.versions:
            if v.is_default:
                return v.document
        return self.versions[0].document if len(self.versions) == 1 else None


@slot_init
@dataclass(frozen=True, slots=True)
class User:
    arn: str
    name: str
    user_id: str = ""
    path: str = "/"
    groups: tuple[str, ...] = ()  # group names
    inline_policies: tuple[Policy, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()
    permissions_boundary_arn: str | None = None
    tags: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    create_date: str | None = field(default=None, compare=False)  # CreateDate as the input gives it


@slot_init
@dataclass(frozen=True, slots=True)
class Group:
    arn: str
    name: str
    group_id: str = ""
    path: str = "/"
    inline_policies: tuple[Policy, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()


@slot_init
@dataclass(frozen=True, slots=True)
class Role:
    arn: str
    name: str
    trust_policy: Policy
    role_id: str = ""
    path: str = "/"
    inline_policies: tuple[Policy, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()
    permissions_boundary_arn: str | None = None
    instance_profile_arns: tuple[str, ...] = ()
    description: str = ""
    max_session_duration: int | None = None
    last_used: str | None = None
    tags: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    create_date: str | None = field(default=None, compare=False)  # CreateDate as the input gives it

    @property
    def is_service_linked(self) -> bool:
        return self.path.startswith("/aws-service-role/")
