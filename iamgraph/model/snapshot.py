"""The Snapshot: everything the analysis knows about one or more accounts (typed, versioned).

The on-disk format is documented in docs/snapshot-format.md; (de)serialisation lives in
`iamgraph.collect`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from .arn import account_of
from .identity_center import IdentityCenter
from .inventory import InventoryKind
from .organization import Organization
from .policy import Policy, PolicyKind, PolicyRef
from .principals import Group, ManagedPolicy, Role, User

SNAPSHOT_SCHEMA_VERSION = "1"

# Snapshot.identity_policies' memo for one pass: ("managed", ARNs) / ("groups", account, names) /
# ("group", account, name) / ("role", ARNs) -> policies
IdentityMemo = dict[tuple[object, ...], tuple[Policy, ...]]


@dataclass(frozen=True, slots=True)
class InventoryResource:
    """A resource that runs as a role (for existing-resource techniques)."""

    arn: str
    service: str  # e.g. "lambda", "ec2", "cloudformation", "codebuild", "glue", ...
    resource_type: str  # e.g. "function", "instance", "stack", "project", "devendpoint", "job"
    role_arn: str | None  # the IAM role the resource runs as (instance profile resolved to its role)
    region: str = ""
    name: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def kind(self) -> InventoryKind | None:
        """The inventory kind (None for a kind no technique reads)."""
        return InventoryKind.of(self.service, self.resource_type)


@dataclass(frozen=True, slots=True)
class ResourcePolicy:
    resource_arn: str
    service: str
    policy: Policy  # ref.kind is PolicyKind.RESOURCE


class OrgNodeKind(str, Enum):
    ROOT = "root"
    OU = "ou"
    ACCOUNT = "account"


@dataclass(frozen=True, slots=True)
class OrgNode:
    id: str
    kind: OrgNodeKind
    name: str = ""
    scps: tuple[Policy, ...] = ()
    rcps: tuple[Policy, ...] = ()


class IdpKind(str, Enum):
    """The two kinds of IAM identity provider."""

    SAML = "saml"
    OIDC = "oidc"


@dataclass(frozen=True, slots=True)
class IdentityProvider:
    arn: str
    kind: IdpKind
    url: str = ""
    client_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CollectionGap:
    """Something the collector could not read (partial permissions)."""

    api: str  # e.g. "lambda:ListFunctions"
    region: str = ""
    detail: str = ""
    account: str = ""  # the account being read ("" when unknown)


@dataclass(frozen=True)
class Snapshot:
    """Entities keyed by ARN. May hold several accounts (one graph for several profiles)."""

    account_ids: tuple[str, ...]
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    policies: dict[str, ManagedPolicy] = field(default_factory=dict)
    inventory: tuple[InventoryResource, ...] = ()
    resource_policies: tuple[ResourcePolicy, ...] = ()
    identity_providers: tuple[IdentityProvider, ...] = ()
    # account id -> path of org nodes from root to the account itself; absent: no SCP/RCP data
    org_paths: dict[str, tuple[OrgNode, ...]] = field(default_factory=dict)
    inventory_collected: frozenset[str] = frozenset()  # services whose inventory is complete
    collection_gaps: tuple[CollectionGap, ...] = ()
    warnings: tuple[str, ...] = ()
    # principal ARN -> reasons its permissions are not fully known (e.g. missing managed policy)
    incomplete: dict[str, tuple[str, ...]] = field(default_factory=dict)
    organization: Organization | None = None  # org id, management account, delegated admins
    identity_center: IdentityCenter | None = None

    # ---- lookups -------------------------------------------------------------------------
    def group_by_name(self, account: str, name: str) -> Group | None:
        return self._groups_by_name.get((account, name))

    @cached_property
    def _groups_by_name(self) -> dict[tuple[str, str], Group]:
        """(account, group name) -> group, the first of a name (built once: lookups are O(1))."""
        out: dict[tuple[str, str], Group] = {}
        for g in self.groups.values():
            out.setdefault((account_of(g.arn), g.name), g)
        return out

    @cached_property
    def _managed_policies(self) -> dict[tuple[str, PolicyKind], tuple[ManagedPolicy, Policy]]:
        """(ARN, kind) -> (the ManagedPolicy it was made from, the shared Policy) for `managed`."""
        return {}

    @cached_property
    def _policy_tuples(self) -> dict[tuple[int, ...], tuple[Policy, ...]]:
        """Element ids -> the one tuple of those Policy objects (the tuple keeps its ids alive)."""
        return {}

    def managed(self, arn: str, *, kind: PolicyKind = PolicyKind.MANAGED) -> Policy | None:
        """The default version of a managed policy as a citable Policy (None when absent). The same
        object for the same ARN and kind while `policies[arn]` is the same (frozen) ManagedPolicy,
        so memos keyed by policy identity are shared by every principal it is attached to."""
        mp = self.policies.get(arn)
        if mp is None:
            return None
        hit = self._managed_policies.get((arn, kind))
        if hit is not None and hit[0] is mp:
            return hit[1]
        doc = mp.default_document
        if doc is None:
            return None
        p = Policy(PolicyRef(kind, mp.arn, mp.name, version_id=mp.default_version_id), doc)
        self._managed_policies[(arn, kind)] = (mp, p)
        return p

    def _shared(self, policies: list[Policy]) -> tuple[Policy, ...]:
        """`tuple(policies)`, the same tuple object for the same policy objects in the same order."""
        key = tuple(map(id, policies))
        found = self._policy_tuples.get(key)
        # checked element by element: a copied or unpickled snapshot carries keys of other objects
        if found is None or len(found) != len(policies) or any(a is not b for a, b in zip(found, policies)):
            found = self._policy_tuples[key] = tuple(policies)
        return found

    def groups_of(self, user: User) -> tuple[Group, ...]:
        account = account_of(user.arn)
        found = (self.group_by_name(account, n) for n in user.groups)
        return tuple(g for g in found if g is not None)

    def identity_policies(self, principal_arn: str, memo: IdentityMemo | None = None) -> tuple[Policy, ...]:
        """Inline + attached managed policies of a user (with its groups'), group or role.
        `memo`: a dict kept by the caller for one pass over this snapshot while it is unchanged (one
        build); users and roles naming the same managed ARNs, or the same groups, share its parts."""
        if memo is None:
            entities: tuple[User | Group | Role, ...] = ()
            if (u := self.users.get(principal_arn)) is not None:
                entities = (u, *self.groups_of(u))
            elif (r := self.roles.get(principal_arn)) is not None:
                entities = (r,)
            elif (g := self.groups.get(principal_arn)) is not None:
                entities = (g,)
            return self._shared(self._policies_of(entities))
        if (u := self.users.get(principal_arn)) is not None:
            out = [*u.inline_policies, *self._managed_part(u.managed_policy_arns, memo)]
            if u.groups:
                account = account_of(u.arn)
                key: tuple[object, ...] = ("groups", account, u.groups)
                part = memo.get(key)
                if part is None:
                    part = memo[key] = self._groups_part(account, u.groups, memo)
                out += part
            return self._shared(out)
        if (r := self.roles.get(principal_arn)) is not None:
            if r.inline_policies:
                return self._shared([*r.inline_policies, *self._managed_part(r.managed_policy_arns, memo)])
            key = ("role", r.managed_policy_arns)
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = self._shared(list(self._managed_part(r.managed_policy_arns, memo)))
            return hit
        return self.identity_policies(principal_arn)  # a group, or neither

    def _groups_part(self, account: str, names: tuple[str, ...], memo: IdentityMemo) -> tuple[Policy, ...]:
        """The policies of the groups `names` of `account` (as groups_of finds them), in order."""
        out: list[Policy] = []
        for n in names:
            key = ("group", account, n)
            part = memo.get(key)
            if part is None:
                g = self.group_by_name(account, n)
                part = memo[key] = tuple(self._policies_of((g,))) if g is not None else ()
            out += part
        return tuple(out)

    def _managed_part(self, arns: tuple[str, ...], memo: IdentityMemo) -> tuple[Policy, ...]:
        """The citable default versions of the managed policies `arns` that the snapshot holds."""
        key = ("managed", arns)
        hit = memo.get(key)
        if hit is None:
            found = (self.managed(a) for a in arns)
            hit = memo[key] = tuple(p for p in found if p is not None)
        return hit

    def _policies_of(self, entities: tuple[User | Group | Role, ...]) -> list[Policy]:
        """Each entity's inline policies, then its managed policies the snapshot holds, in order."""
        out: list[Policy] = []
        for e in entities:
            out.extend(e.inline_policies)
            for parn in e.managed_policy_arns:
                p = self.managed(parn)
                if p is not None:
                    out.append(p)
        return out

    def boundary_policies(self, principal_arn: str) -> tuple[Policy, ...]:
        """The permissions boundary (0 or 1 policy). A boundary absent from the snapshot yields
        an empty-statement document is *not* invented: callers check `incomplete`."""
        e = self.users.get(principal_arn) or self.roles.get(principal_arn)
        if e is None or not e.permissions_boundary_arn:
            return ()
        p = self.managed(e.permissions_boundary_arn, kind=PolicyKind.BOUNDARY)
        return self._shared([p]) if p is not None else ()

    def scp_levels(self, account: str) -> tuple[tuple[Policy, ...], ...]:
        """SCPs per OU-path level. A level listing no SCP is left out: with SCPs enabled AWS keeps at
        least one attached at every level, so an empty list means the data is absent, not "deny all".
        SCPs do not restrict the management account."""
        if self.organization is not None and account and account == self.organization.management_account:
            return ()
        return tuple(n.scps for n in self.org_paths.get(account, ()) if n.scps)

    def rcp_levels(self, account: str) -> tuple[tuple[Policy, ...], ...]:
        return tuple(n.rcps for n in self.org_paths.get(account, ()))

    def resource_policy(self, resource_arn: str) -> ResourcePolicy | None:
        for rp in self.resource_policies:
            if rp.resource_arn == resource_arn:
                return rp
        return None
