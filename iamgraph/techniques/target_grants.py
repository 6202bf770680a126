"""Helpers shared by families: which principals/policies a source may act on, and admin-after checks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..evaluate.types import Decision, PolicySet
from ..model import Policy
from .account_index import AccountIndex
from .admin import INJECTED_ADMIN, AdminStatus, admin_status
from .evidence import Grant
from .principal import PrincipalView


def granted_on(
    ctx: AccountIndex,
    src: PrincipalView,
    action: str,
    arns: Iterable[str],
    group: str | None = None,
    *,
    skip: str | None = None,
    **kw: object,
) -> Iterator[tuple[str, Grant]]:
    """(arn, grant) for each ARN the source may perform `action` on (pattern prefilter first).

    With `group` (a stable name for the tuple `arns`), pattern matches are cached across sources.
    `skip`: an ARN of `arns` the caller has no use for (never evaluated, e.g. the source itself)."""
    if not src.may(action):
        return
    if group is not None:
        arns = tuple(arns)
        cands = ctx.candidates(src, action, arns, group)
        if cands is not None:
            if not cands or (len(cands) == 1 and skip in cands):
                return  # no candidate but `skip` (a self-service `user/${aws:username}` Allow)
            arns = [a for a in arns if a in cands] if len(cands) * 4 > len(arns) else sorted(cands)
    else:
        arns = list(arns)
        pats = src.resolved_patterns(action)
        if "*" not in pats and all("*" not in p and "?" not in p for p in pats):
            exact = set(pats)
            arns = [a for a in arns if a in exact]  # exact ARNs: no scan over every candidate
    for arn in arns:
        if arn == skip or not src.may_on(action, arn):
            continue
        g = ctx.grant(src, action, arn, **kw)
        if g is not None:
            yield arn, g


def attached_policy_arns(ctx: AccountIndex, arn: str) -> list[str]:
    """Managed policies attached to a user (incl. via groups) or role."""
    snap = ctx.snapshot
    if (u := snap.users.get(arn)) is not None:
        out = list(u.managed_policy_arns)
        for g in snap.groups_of(u):
            out.extend(g.managed_policy_arns)
        return list(dict.fromkeys(out))
    if (r := snap.roles.get(arn)) is not None:
        return list(r.managed_policy_arns)
    return []


def admin_after(
    ctx: AccountIndex,
    target: PrincipalView,
    *,
    add: tuple[Policy, ...] = (INJECTED_ADMIN,),
    remove_policy: str | None = None,
    boundaries: tuple[Policy, ...] | None = None,
) -> AdminStatus:
    """Would `target` be admin with these changes to its identity policies / boundary?"""
    p: PolicySet = target.policies
    identity = tuple(x for x in p.identity if remove_policy is None or x.ref.id != remove_policy) + add
    pset = replace(p, identity=identity, boundaries=p.boundaries if boundaries is None else boundaries)
    return admin_status(target, policies=pset)


def conditional_keys(status: AdminStatus) -> tuple[str, ...]:
    keys: set[str] = set()
    for g in status.grants:
        if g.result.decision is Decision.UNKNOWN:
            keys.update(g.result.unknown_keys)
    return tuple(sorted(keys))


MAX_POLICY_VERSIONS = 5


def version_slot(ctx: AccountIndex, src: PrincipalView, policy_arn: str) -> tuple[Grant, ...] | None:
    """What `src` needs besides iam:CreatePolicyVersion to add a version to `policy_arn`: nothing
    below the 5-version quota; at the quota, iam:DeletePolicyVersion on it (None: not allowed)."""
    mp = ctx.snapshot.policies.get(policy_arn)
    if mp is None or len(mp.versions) < MAX_POLICY_VERSIONS:
        return ()
    g = ctx.grant(src, "iam:DeletePolicyVersion", policy_arn)
    return (g,) if g is not None else None
