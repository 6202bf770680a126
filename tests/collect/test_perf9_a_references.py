"""`_check_references` records only references to policies that are absent or lack a default
document (perf9-a): the warnings, incomplete reasons, their order and the catalogue fills must be
what the old version (every reference recorded, resolved policies skipped afterwards) gives."""

from __future__ import annotations

import copy
from collections import defaultdict

from gaad_builders import ACCOUNT, doc, gaad, managed, role, user

from iamgraph.collect import assemble, managed_catalog
from iamgraph.collect.assemble import SnapshotParts
from iamgraph.collect.gaad import read_gaad_into
from iamgraph.model import account_of

ALLOW = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
HAVE = f"arn:aws:iam::{ACCOUNT}:policy/have"
EMPTY = f"arn:aws:iam::{ACCOUNT}:policy/empty"  # present, no versions
NODEFAULT = f"arn:aws:iam::{ACCOUNT}:policy/nodefault"  # two versions, none default
GONE = f"arn:aws:iam::{ACCOUNT}:policy/gone"
GONE2 = f"arn:aws:iam::{ACCOUNT}:policy/gone2"
POWER = "arn:aws:iam::aws:policy/PowerUserAccess"  # in the bundled catalogue
READONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def _old_check_references(parts: SnapshotParts) -> None:
    """The version before perf9-a, verbatim but for names."""
    referrers: defaultdict[str, dict[str, None]] = defaultdict(dict)
    members: dict[str, list[str]] = {}
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
            referrers[parn][u.arn] = None
        if u.permissions_boundary_arn:
            referrers[u.permissions_boundary_arn][u.arn] = None
    for g in parts.groups.values():
        group_members = dict.fromkeys(members.get(g.arn, ()))
        for parn in g.managed_policy_arns:
            referrers[parn][g.arn] = None
            referrers[parn].update(group_members)
    for r in parts.roles.values():
        for parn in r.managed_policy_arns:
            referrers[parn][r.arn] = None
        if r.permissions_boundary_arn:
            referrers[r.permissions_boundary_arn][r.arn] = None
    for parn, referring in referrers.items():
        mp = parts.policies.get(parn)
        if mp is not None and mp.default_document is not None:
            continue
        principals = list(referring)
        what = "is not in the input" if mp is None else "has no default version document in the input"
        filled = assemble._catalogue_policy(parn) if (mp is None or not mp.versions) else None
        if filled is not None:
            parts.policies[parn] = filled
            reason = (
                f"managed policy {parn} {what}; its document comes from the bundled catalogue "
                f"({managed_catalog.catalogue_source()}) and may differ from the account's version"
            )
            parts.warn(
                f"managed policy {parn} {what} (referenced by {assemble._names(principals)}); "
                "using the document from the bundled AWS managed policy catalogue"
            )
        else:
            reason = f"managed policy {parn} {what}; its permissions are unknown"
            parts.warn(
                f"managed policy {parn} {what} (referenced by {assemble._names(principals)}); "
                "their permissions are incomplete"
            )
        for p in principals:
            parts.mark_incomplete(p, reason)


def attach(*arns: str) -> list[dict[str, str]]:
    return [{"PolicyName": a.rsplit("/", 1)[-1], "PolicyArn": a} for a in arns]


def group(name: str, *arns: str) -> dict[str, object]:
    return {
        "GroupName": name,
        "Arn": f"arn:aws:iam::{ACCOUNT}:group/{name}",
        "Path": "/",
        "AttachedManagedPolicies": attach(*arns),
    }


def _account() -> dict[str, object]:
    """References of every kind, to present, absent, version-less and default-less policies, with
    more than five referrers for one of them and group members reached through two groups."""
    users = [
        user(f"u{i}", GroupList=["dev", "ops", "ghost"][: 1 + i % 3], AttachedManagedPolicies=attach(HAVE, GONE))
        for i in range(7)
    ]
    users.append(user("b", PermissionsBoundary={"PermissionsBoundaryArn": GONE2}))
    users.append(user("c", PermissionsBoundary={"PermissionsBoundaryArn": HAVE}))
    groups = [group("dev", HAVE, POWER, GONE2), group("ops", EMPTY, HAVE), group("idle", READONLY)]
    roles = [
        role("r1", AttachedManagedPolicies=attach(NODEFAULT, HAVE, GONE)),
        role("r2", AttachedManagedPolicies=attach(POWER), PermissionsBoundary={"PermissionsBoundaryArn": EMPTY}),
        role("r3", PermissionsBoundary={"PermissionsBoundaryArn": HAVE}),
    ]
    policies = [
        managed("have", ("v1", True, ALLOW)),
        managed("empty"),
        managed("nodefault", ("v1", False, ALLOW), ("v2", False, ALLOW)),
    ]
    return gaad(users, groups, roles, policies)


def _parts() -> SnapshotParts:
    parts = SnapshotParts()
    read_gaad_into(parts, _account(), file="in.json")
    return parts


def test_references_match_the_old_check() -> None:
    new, old = _parts(), _parts()
    assemble._check_references(new)
    _old_check_references(old)
    assert new.warnings == old.warnings and len(new.warnings) >= 6
    assert new.incomplete == old.incomplete
    assert list(new.incomplete) == list(old.incomplete)  # same order of principals
    assert list(new.policies) == list(old.policies)  # same catalogue fills, same order
    for arn, mp in new.policies.items():
        assert mp == old.policies[arn]


def test_references_match_on_every_subset_of_policies() -> None:
    """Each policy left out in turn (absent instead of present): still the old check's result."""
    base = _parts()
    for arn in list(base.policies):
        new, old = copy.deepcopy(base), copy.deepcopy(base)
        del new.policies[arn], old.policies[arn]
        assemble._check_references(new)
        _old_check_references(old)
        assert (new.warnings, new.incomplete, list(new.policies)) == (old.warnings, old.incomplete, list(old.policies))
