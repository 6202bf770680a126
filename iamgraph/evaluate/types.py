"""Evaluator contract: a Request and the PolicySet that applies to it give a Result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from ..model import Policy, PolicyRef
from ..model.slot_init import slot_init


class Decision(str, Enum):
    ALLOWED = "Allowed"
    EXPLICIT_DENY = "ExplicitlyDenied"
    IMPLICIT_DENY = "ImplicitlyDenied"
    UNKNOWN = "Unknown"  # hinges on a condition key whose value the analysis cannot fix


ContextValue = str | tuple[str, ...]


@slot_init
@dataclass(frozen=True, slots=True)
class Request:
    """One API request.

    `context` maps condition keys (any case) to a value or a tuple of values (multi-valued key).
    Concrete mode (`open_world=False`): a key absent from `context` is absent, unless it is listed
    in `unknown_keys` (may take any value, possibly absent). Static mode (`open_world=True`): every
    key absent from `context` is unknown, except keys in `absent_keys`, which are known to be absent
    (e.g. an attacker who leaves `iam:PermissionsBoundary` unset). Key names compare case-insensitively.
    """

    principal_arn: str
    action: str
    resource: str = "*"
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    unknown_keys: frozenset[str] = frozenset()
    open_world: bool = False
    absent_keys: frozenset[str] = frozenset()


@slot_init
@dataclass(frozen=True, slots=True)
class PolicySet:
    """Every policy that applies to one request.

    - identity: the caller's identity policies (user + its groups, or role).
    - boundaries: the caller's permissions boundary ([] = none; several documents all apply).
    - session: session policy of an assumed-role/federated session (None = none).
    - scps / rcps: one tuple of policies per level of the OU path, root first, account last
      ([] = no organization data: nothing restricts). SCPs restrict the caller's account; RCPs the
      resource owner's account.
    - resource: the resource-based policy (role trust policy for sts:AssumeRole*), or None.
    - resource_account: account owning the resource (None = the caller's account).
    """

    identity: tuple[Policy, ...] = ()
    boundaries: tuple[Policy, ...] = ()
    session: Policy | None = None
    scps: tuple[tuple[Policy, ...], ...] = ()
    rcps: tuple[tuple[Policy, ...], ...] = ()
    resource: Policy | None = None
    resource_account: str | None = None


@slot_init
@dataclass(frozen=True, slots=True)
class StatementRef:
    """A citation: policy + 0-based statement index + Sid."""

    policy: PolicyRef
    index: int
    sid: str | None = None

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {
            "policy": self.policy.id,
            "policy_type": self.policy.kind.value,
            "statement": self.index,
            "sid": self.sid,
        }
        if self.policy.owner:
            d["attached_to"] = self.policy.owner
        if self.policy.version_id:
            d["version"] = self.policy.version_id
        return d


@slot_init
@dataclass(frozen=True, slots=True)
class Result:
    """The decision plus its citations.

    allowed_by: Allow statements that (may) grant the request, in every policy type that needed one.
    denied_by: Deny statements that (may) deny it. unknown_keys: condition keys that made the answer
    Unknown (empty unless decision is UNKNOWN).
    """

    decision: Decision
    allowed_by: tuple[StatementRef, ...] = ()
    denied_by: tuple[StatementRef, ...] = ()
    unknown_keys: frozenset[str] = frozenset()
    # the attacker's view (evaluate/attacker.py): values it chose for keys it controls, the requests
    # that must succeed first (e.g. tagging the target), and the credential it uses ("" = not decisive)
    context: tuple[tuple[str, ContextValue], ...] = ()
    steps: tuple[Step, ...] = ()
    credential: str = ""

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOWED

    @property
    def possible(self) -> bool:
        """Allowed or Unknown: the request may succeed."""
        return self.decision in (Decision.ALLOWED, Decision.UNKNOWN)


@slot_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A request the attacker makes first (tag the target) or alongside (sts:TagSession) so that
    the main request is allowed; `resource` "" = the main request's resource."""

    action: str
    resource: str
    result: Result
