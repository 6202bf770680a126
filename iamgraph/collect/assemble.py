"""Accumulate entities from several inputs (pages, files, snapshot accounts) and finish them into
one Snapshot: dedupe by ARN, check references, fill missing AWS managed policies from the bundled
catalogue, and record every principal whose permissions are not fully known.
"""

from __future__ import annotations

import marshal
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..errors import InputError
from ..model import (
    CollectionGap,
    Group,
    IdentityCenter,
    IdentityProvider,
    InventoryResource,
    ManagedPolicy,
    Organization,
    OrgNode,
    PolicyDocument,
    PolicyVersion,
    ResourcePolicy,
    Role,
    Snapshot,
    User,
    account_of,
)
from ..model.arn import resource_of
from . import managed_catalog
from .limits import MAX_STATEMENTS
from .policy_parse import (
    KEY_FORMAT,
    KEY_FORMATS,
    StatementCache,
    parse_policy_document,
    parse_statement,
    raw_keys,
    reindexed,
)

# Description given to policies filled in from the bundled catalogue; the writer skips them.
CATALOGUE_DESCRIPTION = "document from iamgraph's bundled AWS managed policy catalogue, not read from the account"
_MAX_NAMED = 5  # principals named in one warning

E = TypeVar("E", User, Group, Role, ManagedPolicy)
# SnapshotParts.doc_cache: JSON text of a document, or raw_keys of the document object, or
# (Version, raw_keys of the statements)
DocKey = str | tuple[bytes, ...] | tuple[str, tuple[bytes, ...]]


@dataclass
class SnapshotParts:
    """Mutable accumulator used while reading inputs; `finish` freezes it into a Snapshot."""

    accounts: list[str] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    policies: dict[str, ManagedPolicy] = field(default_factory=dict)
    inventory: list[InventoryResource] = field(default_factory=list)
    resource_policies: list[ResourcePolicy] = field(default_factory=list)
    identity_providers: list[IdentityProvider] = field(default_factory=list)
    org_paths: dict[str, tuple[OrgNode, ...]] = field(default_factory=dict)
    inventory_collected: dict[str, frozenset[str]] = field(default_factory=dict)  # per account
    collection_gaps: list[CollectionGap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    incomplete: dict[str, list[str]] = field(default_factory=dict)
    truncated_flags: list[bool] = field(default_factory=list)  # IsTruncated of GAAD pages that have it
    sources: dict[str, str] = field(default_factory=dict)  # entity ARN -> file it came from
    doc_cache: dict[DocKey, PolicyDocument] = field(default_factory=dict)  # see document()
    statement_cache: StatementCache = field(default_factory=StatementCache)
    whole_doc_cache: dict[bytes, PolicyDocument] = field(default_factory=dict)  # see repeated_document()
    organization: Organization | None = None
    identity_center: IdentityCenter | None = None

    # ---- adding ----------------------------------------------------------------------------
    def add_account(self, account: str) -> None:
        if account and account not in self.accounts:
            self.accounts.append(account)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def mark_incomplete(self, principal_arn: str, reason: str) -> None:
        reasons = self.incomplete.setdefault(principal_arn, [])
        if reason not in reasons:
            reasons.append(reason)

    def add_entity(self, table: dict[str, E], entity: E, *, file: str | None) -> None:
        """Add a user/group/role/policy; a repeated ARN keeps the first (warning if it differs)."""
        old = table.get(entity.arn)
        if old is None:
            table[entity.arn] = entity
            self.sources[entity.arn] = file or "<input>"
            return
        same = (
            (old.versions == entity.versions)
            if isinstance(old, ManagedPolicy) and isinstance(entity, ManagedPolicy)
            else old == entity
        )
        if not same:
            self.warn(
                f"{entity.arn} appears more than once with different content; "
                f"kept the copy from {self.sources.get(entity.arn, '<input>')}"
            )

    # ---- documents -------------------------------------------------------------------------
    def document(self, raw: Any, *, file: str | None, path: str) -> PolicyDocument:
        """Parse a policy document, reusing the result for a repeated JSON text.

        Keys: the text of a document given as text; for `{"Version": str, "Statement": [...]}`
        (that key order: raw is kept for reports), the version and the raw_keys of the
        statements, which the statement cache reuses; for any other object, its raw_keys.
        Values raw_keys cannot key are parsed uncached."""
        if type(raw) is dict and len(raw) == 2 and next(iter(raw)) == "Version":
            version, stmts = raw["Version"], raw.get("Statement")
            if type(version) is str and type(stmts) is list:
                try:  # raw_keys(stmts), inline
                    texts = tuple(map(marshal.dumps, stmts, KEY_FORMATS))
                except ValueError:
                    return parse_policy_document(raw, file=file, path=path)
                doc_key = (version, texts)
                doc = self.doc_cache.get(doc_key)
                if doc is None:
                    if len(stmts) <= MAX_STATEMENTS:
                        # what parse_policy_document does with the statement cache for such a
                        # document (its checks pass: plain keys, str Version, a short list)
                        at_index = self.statement_cache.at_index
                        found = list(map(at_index.get, enumerate(texts)))  # keys (i, text)
                        if not all(found):  # a Statement is always true
                            by_text = self.statement_cache.by_text
                            for i, s in enumerate(stmts):
                                if found[i] is None:
                                    text = texts[i]
                                    same = by_text.get(text)
                                    if same is None:
                                        hit = by_text[text] = parse_statement(
                                            s, i, file=file, path=f"{path}.Statement[{i}]"
                                        )
                                    else:
                                        hit = reindexed(same, i)
                                    found[i] = at_index[(i, text)] = hit
                        doc = PolicyDocument(version, tuple(found), raw)  # type: ignore[arg-type]  # all filled
                    else:  # its error
                        doc = parse_policy_document(
                            raw, file=file, path=path, statement_cache=self.statement_cache, statement_keys=texts
                        )
                    self.doc_cache[doc_key] = doc
                return doc
        key: DocKey
        if isinstance(raw, str):
            key = raw
        elif isinstance(raw, dict):
            obj_key = raw_keys((raw,))
            if obj_key is None:
                return parse_policy_document(raw, file=file, path=path)
            key = obj_key
        else:
            return parse_policy_document(raw, file=file, path=path)
        doc = self.doc_cache.get(key)
        if doc is None:
            doc = parse_policy_document(raw, file=file, path=path, statement_cache=self.statement_cache)
            self.doc_cache[key] = doc
        return doc

    def repeated_document(self, raw: Any, *, file: str | None, path: str) -> PolicyDocument:
        """document(raw), for documents that often repeat whole (trust policies: 259 distinct of
        5,000 at 5,000 roles): first looked up by the marshal bytes (format 2) of the whole object,
        equal exactly for the same JSON (one call instead of one per statement). Only documents
        document() parsed cleanly are kept, so errors and sharing are document()'s."""
        if type(raw) is not dict:
            return self.document(raw, file=file, path=path)
        try:  # raw_key(raw), inline
            key = marshal.dumps(raw, KEY_FORMAT)
        except ValueError:
            return self.document(raw, file=file, path=path)
        doc = self.whole_doc_cache.get(key)
        if doc is None:
            doc = self.whole_doc_cache[key] = self.document(raw, file=file, path=path)
        return doc


def _names(arns: list[str]) -> str:
    shown = ", ".join(arns[:_MAX_NAMED])
    return shown + (f" and {len(arns) - _MAX_NAMED} more" if len(arns) > _MAX_NAMED else "")


def _catalogue_policy(arn: str) -> ManagedPolicy | None:
    try:
        found = managed_catalog.lookup(arn)
    except (OSError, ValueError, KeyError):  # catalogue missing or damaged: behave as if unknown
        return None
    if found is None:
        return None
    version_id, raw = found
    try:
        doc = parse_policy_document(raw, file=managed_catalog.CATALOGUE_FILE, path=f"$.policies[{arn!r}]")
    except InputError:
        return None
    resource = resource_of(arn)
    name = resource.rsplit("/", 1)[-1]
    path = resource[len("policy") : -len(name)] or "/"
    return ManagedPolicy(
        arn=arn,
        name=name,
        path=path,
        default_version_id=version_id,
        versions=(PolicyVersion(version_id=version_id, is_default=True, document=doc),),
        description=CATALOGUE_DESCRIPTION,
    )


def _check_references(parts: SnapshotParts) -> None:
    """Warn about, and mark incomplete, principals that reference policies or groups we lack."""
    # Only references to a policy that is absent or has no default document are recorded (the
    # others cause nothing below, and the fills below change only such policies' entries):
    # policy ARN -> referring principals, in first-seen order (a dict: membership is O(1), so a
    # group of 80,000 members costs 80,000 steps, not 80,000²/2); `referrers[arn][principal] = None`
    # records a reference
    resolved = {arn for arn, mp in parts.policies.items() if mp.default_document is not None}
    referrers: defaultdict[str, dict[str, None]] = defaultdict(dict)
    members: dict[str, list[str]] = {}  # group ARN -> member user ARNs
    group_by_name = {(account_of(g.arn), g.name): g.arn for g in parts.groups.values()}
    for u in parts.users.values():
        account = account_of(u.arn)
        for gname in u.groups:
            garn = group_by_name.get((account, gname))
            if garn is None:
                parts.mark_incomplete(u.arn, f"member of group {gname!r}, which is not in the input")
                parts.warn(
                    f"group {gname!r} (member: {u.arn}) is not in the input; the user's permissions are incomplete"
                )
            else:
                members.setdefault(garn, []).append(u.arn)
        for parn in u.managed_policy_arns:
            if parn not in resolved:
                referrers[parn][u.arn] = None
        if (b := u.permissions_boundary_arn) and b not in resolved:
            referrers[b][u.arn] = None
    for g in parts.groups.values():
        for parn in g.managed_policy_arns:
            if parn not in resolved:
                referrers[parn][g.arn] = None
                referrers[parn].update(dict.fromkeys(members.get(g.arn, ())))  # each member, in order
    for r in parts.roles.values():
        for parn in r.managed_policy_arns:
            if parn not in resolved:
                referrers[parn][r.arn] = None
        if (b := r.permissions_boundary_arn) and b not in resolved:
            referrers[b][r.arn] = None

    for parn, referring in referrers.items():
        mp = parts.policies.get(parn)
        principals = list(referring)
        what = "is not in the input" if mp is None else "has no default version document in the input"
        filled = _catalogue_policy(parn) if (mp is None or not mp.versions) else None
        if filled is not None:
            parts.policies[parn] = filled
            reason = (
                f"managed policy {parn} {what}; its document comes from the bundled catalogue "
                f"({managed_catalog.catalogue_source()}) and may differ from the account's version"
            )
            parts.warn(
                f"managed policy {parn} {what} (referenced by {_names(principals)}); "
                "using the document from the bundled AWS managed policy catalogue"
            )
        else:
            reason = f"managed policy {parn} {what}; its permissions are unknown"
            parts.warn(
                f"managed policy {parn} {what} (referenced by {_names(principals)}); their permissions are incomplete"
            )
        for p in principals:
            parts.mark_incomplete(p, reason)


def finish(parts: SnapshotParts) -> Snapshot:
    """Freeze the accumulated parts into a Snapshot (after the cross-reference checks)."""
    if parts.truncated_flags and all(parts.truncated_flags):
        parts.warn(
            "every GAAD page in the input has IsTruncated=true: the last page is missing, so entities may be missing"
        )
    _check_references(parts)
    if parts.identity_center is not None:  # AWS managed policies of permission sets, from the catalogue
        for ps in parts.identity_center.permission_sets:
            for parn in (*ps.managed_policies, *((ps.boundary_managed,) if ps.boundary_managed else ())):
                if parn not in parts.policies and (filled := _catalogue_policy(parn)) is not None:
                    parts.policies[parn] = filled
    collected = [parts.inventory_collected.get(a, frozenset()) for a in parts.accounts]
    inventory_collected = frozenset.intersection(*collected) if collected else frozenset()
    return Snapshot(
        account_ids=tuple(sorted(parts.accounts)),
        users=dict(parts.users),
        groups=dict(parts.groups),
        roles=dict(parts.roles),
        policies=dict(parts.policies),
        inventory=tuple(parts.inventory),
        resource_policies=tuple(parts.resource_policies),
        identity_providers=tuple(parts.identity_providers),
        org_paths=dict(parts.org_paths),
        inventory_collected=inventory_collected,
        collection_gaps=tuple(parts.collection_gaps),
        warnings=tuple(parts.warnings),
        incomplete={k: tuple(v) for k, v in parts.incomplete.items()},
        organization=parts.organization,
        identity_center=parts.identity_center,
    )
