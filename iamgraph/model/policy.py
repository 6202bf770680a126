"""Typed IAM policy documents. Parsing from raw JSON lives in `iamgraph.collect.policy_parse`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .slot_init import slot_init


class Effect(str, Enum):
    ALLOW = "Allow"
    DENY = "Deny"


class PolicyKind(str, Enum):
    """Where a policy document sits; decides how the evaluator uses it."""

    MANAGED = "managed"  # customer- or AWS-managed policy (identity)
    INLINE = "inline"  # inline policy of a user, group or role
    TRUST = "trust"  # role trust policy (resource policy of a role)
    BOUNDARY = "boundary"  # managed policy used as a permissions boundary
    RESOURCE = "resource"  # resource-based policy (S3, KMS, SQS, Lambda, ...)
    SCP = "scp"
    RCP = "rcp"
    SESSION = "session"
    CUSTOM = "custom"  # supplied on the command line / in a batch request


@slot_init
@dataclass(frozen=True, slots=True)
class PolicyRef:
    """Identity of a policy for citations: managed ARN, or inline name plus its owner."""

    kind: PolicyKind
    id: str  # managed policy ARN; inline policy name; resource ARN for trust/resource
    name: str = ""
    owner: str | None = None  # ARN of the user/group/role an inline or trust policy belongs to
    version_id: str | None = None  # managed policy version this document is (None: default)

    def label(self) -> str:
        """Short human form used in tables: ARN for managed, `owner-name/inline-name` for inline."""
        if self.kind is PolicyKind.INLINE and self.owner:
            return f"{self.owner.rsplit('/', 1)[-1]}/{self.id}"
        return self.id


@slot_init
@dataclass(frozen=True, slots=True)
class Condition:
    """One `Operator: {Key: [values]}` entry. `operator` keeps set/IfExists qualifiers verbatim."""

    operator: str  # e.g. "ForAnyValue:StringLikeIfExists"
    key: str  # as written in the policy; compare case-insensitively
    values: tuple[str, ...]  # JSON true/false become "true"/"false"; numbers their JSON text


@slot_init
@dataclass(frozen=True, slots=True)
class Principal:
    """A `Principal`/`NotPrincipal` element. `"*"` is `wildcard=True`."""

    wildcard: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()


@slot_init
@dataclass(frozen=True, slots=True)
class Statement:
    """One statement. Exactly one of actions/not_actions is set (likewise resources/not_resources;
    both resource fields are None in a trust policy)."""

    effect: Effect
    index: int
    sid: str | None = None
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principal: Principal | None = None
    not_principal: Principal | None = None
    conditions: tuple[Condition, ...] = ()


@slot_init
@dataclass(frozen=True, slots=True)
class PolicyDocument:
    version: str  # "2012-10-17" or "2008-10-17" (variables are literal in 2008)
    statements: tuple[Statement, ...]
    raw: object = field(default=None, compare=False, hash=False, repr=False)  # parsed JSON, for reports
    # the evaluator's prepared form of this document, owned by the document (freed with it)
    memo: dict[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)


@slot_init
@dataclass(frozen=True, slots=True)
class Policy:
    """A document together with the reference the evaluator cites."""

    ref: PolicyRef
    document: PolicyDocument
