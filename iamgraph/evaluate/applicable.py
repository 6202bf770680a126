"""Which policies, resource policy and principal context apply to one request: the one place.

`simulate`, `who-can`, the techniques and `whatif` all ask this module, so the answer to "which
documents does AWS consult for principal P calling A on R" is written once:

- identity policies (the user's with its groups', or the role's), its permissions boundary, the
  SCP levels of the caller's account and the RCP levels of the resource's account;
- the resource policy: a role's trust policy for the trust actions (`sts:AssumeRole*`,
  `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext` — IAM User Guide, "Role trust
  policies" / STS API reference), an S3 object's bucket policy, a KMS key's key policy, or the
  policy recorded for that exact resource ARN;
- the context keys AWS derives from the principal itself (IAM User Guide, "AWS global condition
  context keys": aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
  aws:username, aws:PrincipalTag/*, aws:PrincipalTagKeys, aws:PrincipalIsAWSService).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Policy, Role, Snapshot, User, account_of, role_arn_of_session
from ..model.snapshot import IdentityMemo
from .org_keys import org_context
from .types import ContextValue, PolicySet

# Actions authorised by a role's trust policy (the role is the resource).
TRUST_ACTIONS = frozenset(
    {
        "sts:assumerole",
        "sts:assumerolewithsaml",
        "sts:assumerolewithwebidentity",
        "sts:tagsession",
        "sts:setsourceidentity",
        "sts:setcontext",
    }
)


def is_trust_action(action: str) -> bool:
    """Is `action` decided by the target role's trust policy?"""
    return action.lower() in TRUST_ACTIONS


def find_role(snapshot: Snapshot, arn: str) -> Role | None:
    """Role by ARN; an ARN without the role's path (as in session ARNs) matches account + name."""
    r = snapshot.roles.get(arn)
    if r is not None:
        return r
    if ":iam::" not in arn or ":role/" not in arn:
        return None
    name, acct = arn.rsplit("/", 1)[-1], account_of(arn)
    for role in snapshot.roles.values():
        if role.name == name and account_of(role.arn) == acct:
            return role
    return None


def resource_policy_for(snapshot: Snapshot, action: str, resource: str) -> Policy | None:
    """The resource-based policy AWS consults for `action` on `resource` (None: there is none)."""
    if ":iam::" in resource and ":role/" in resource:
        if not is_trust_action(action):
            return None  # a role's trust policy authorises only the trust actions
        role = find_role(snapshot, resource)
        return role.trust_policy if role is not None else None
    rp = snapshot.resource_policy(resource)
    if rp is not None:
        return rp.policy
    if resource.startswith("arn:") and ":s3:::" in resource and "/" in resource:
        bucket = snapshot.resource_policy(resource.split("/", 1)[0])  # object -> its bucket's policy
        return bucket.policy if bucket is not None else None
    return None


@dataclass(frozen=True, kw_only=True)
class PrincipalContext:
    """Context keys fixed by the principal, and keys known to be absent from its requests."""

    values: dict[str, ContextValue]
    absent: frozenset[str]  # lower-case keys


def principal_context(
    snapshot: Snapshot, principal: str, tag_keys: frozenset[str] = frozenset(), default_session: str | None = None
) -> PrincipalContext | None:
    """The keys AWS derives from `principal` (a user, role or assumed-role session ARN); None when
    it is neither a user nor a role of the snapshot. `tag_keys`: lower-case `aws:principaltag/<k>`
    keys the policies test, recorded as absent when the principal lacks that tag.
    `default_session`: session name assumed for a role ARN (else aws:userid stays unfixed)."""
    session_role = role_arn_of_session(principal)
    user = snapshot.users.get(principal) if session_role is None else None
    acct = account_of(principal)
    if user is not None:
        values, absent = user_keys(user, acct, tag_keys, org_context(snapshot, acct))
        return PrincipalContext(values=values, absent=absent)
    role = find_role(snapshot, session_role or principal)
    if role is None:
        return None
    session = principal.rsplit("/", 1)[-1] if session_role is not None else default_session
    values, absent = role_keys(role, session, tag_keys, org_context(snapshot, acct))
    return PrincipalContext(values=values, absent=absent)


OrgKeys = tuple[dict[str, ContextValue], frozenset[str]]  # evaluate.org_keys.org_context's answer
Keys = tuple[dict[str, ContextValue], frozenset[str]]  # PrincipalContext's values and absent
# the absent keys of principals alike: (kind's own absent keys, tag names, tag_keys, org absent keys)
AbsentMemo = dict[tuple[tuple[str, ...], tuple[str, ...], frozenset[str], frozenset[str]], frozenset[str]]


def user_keys(user: User, account: str, tag_keys: frozenset[str], org: OrgKeys, memo: AbsentMemo | None = None) -> Keys:
    """principal_context's values and absent keys of the user `user` (`account`: its ARN's;
    `org`: org_context of it). `memo`: absent sets already made (one per build)."""
    ctx: dict[str, ContextValue] = {
        "aws:username": user.name,
        "aws:PrincipalArn": user.arn,
        "aws:PrincipalAccount": account,
        "aws:PrincipalType": "User",
        "aws:PrincipalIsAWSService": "false",
    }
    if user.user_id:
        ctx["aws:userid"] = user.user_id
    return _with_tags_and_org(ctx, (), user.tags, tag_keys, org, memo)


def role_keys(
    role: Role, session: str | None, tag_keys: frozenset[str], org: OrgKeys, memo: AbsentMemo | None = None
) -> Keys:
    """principal_context's values and absent keys of a session of `role` named `session` (None:
    aws:userid unfixed; `org`: org_context of the account of the ARN asked about, the role's)."""
    ctx: dict[str, ContextValue] = {
        "aws:PrincipalArn": role.arn,
        "aws:PrincipalAccount": account_of(role.arn),
        "aws:PrincipalType": "AssumedRole",
        "aws:PrincipalIsAWSService": "false",
    }
    if role.role_id and session is not None:
        ctx["aws:userid"] = f"{role.role_id}:{session}"
    return _with_tags_and_org(ctx, ("aws:username",), role.tags, tag_keys, org, memo)


def _with_tags_and_org(
    ctx: dict[str, ContextValue],
    own_absent: tuple[str, ...],
    tags: dict[str, str],
    tag_keys: frozenset[str],
    org: OrgKeys,
    memo: AbsentMemo | None,
) -> Keys:
    """`ctx` completed with the principal's tags, then the organisation keys; the absent keys: the
    kind's own (`own_absent`), those of the tags it lacks, then the organisation's."""
    names = tuple(tags)
    if names:
        for k, v in tags.items():
            ctx[f"aws:PrincipalTag/{k}"] = v
        ctx["aws:PrincipalTagKeys"] = names
    org_values, org_absent = org
    if org_values:
        ctx.update(org_values)
    key = (own_absent, names, tag_keys, org_absent)
    absent = memo.get(key) if memo is not None else None
    if absent is None:
        absent = _absent_keys(own_absent, names, tag_keys, org_absent)
        if memo is not None:
            memo[key] = absent
    return ctx, absent


def _absent_keys(
    own_absent: tuple[str, ...], names: tuple[str, ...], tag_keys: frozenset[str], org_absent: frozenset[str]
) -> frozenset[str]:
    """The keys known absent from a principal's requests: `own_absent`, aws:PrincipalTagKeys when it
    has no tag, each of `tag_keys` naming a tag not among `names` (any case), `org_absent`."""
    absent = set(own_absent)
    if names:
        have = {t.lower() for t in names}
        absent.update(k for k in tag_keys if k[len("aws:principaltag/") :] not in have)
    else:
        absent.add("aws:principaltagkeys")
        absent.update(tag_keys)
    absent |= org_absent
    return frozenset(absent)


def entity_arn(snapshot: Snapshot, principal: str) -> str:
    """The user or role whose policies a request by `principal` (maybe a session ARN) uses."""
    entity = role_arn_of_session(principal) or principal
    if entity not in snapshot.users:
        role = find_role(snapshot, entity)
        if role is not None:
            return role.arn
    return entity


Levels = tuple[tuple[tuple[Policy, ...], ...], tuple[tuple[Policy, ...], ...]]  # (SCP levels, RCP levels)


def identity_policy_set(
    snapshot: Snapshot,
    entity: str,
    resource_account: str | None = None,
    *,
    levels: Levels | None = None,
    memo: IdentityMemo | None = None,
) -> PolicySet:
    """Identity policies, boundary and SCP levels of `entity`; RCPs of `resource_account` (default:
    the entity's own account). `levels`: (scp_levels of the entity's account, rcp_levels of the
    resource account) when the caller holds them already (one build asks once per account);
    `memo`: Snapshot.identity_policies' memo of one pass over the unchanged snapshot."""
    if levels is None:
        account = account_of(entity)
        levels = (snapshot.scp_levels(account), snapshot.rcp_levels(resource_account or account))
    # positional (identity, boundaries, session, scps, rcps): a build makes one per principal, and
    # keywords cost more than the rest of the call (tests/evaluate/test_applicable.py pins it)
    return PolicySet(
        snapshot.identity_policies(entity, memo), snapshot.boundary_policies(entity), None, levels[0], levels[1]
    )


def policy_set_for(snapshot: Snapshot, principal: str, action: str, resource: str) -> PolicySet:
    """Every policy that applies to `principal` calling `action` on `resource`."""
    entity = entity_arn(snapshot, principal)
    resource_account = account_of(resource) or None
    base = identity_policy_set(snapshot, entity, resource_account)
    return PolicySet(
        identity=base.identity,
        boundaries=base.boundaries,
        scps=base.scps,
        rcps=base.rcps,
        resource=resource_policy_for(snapshot, action, resource),
        resource_account=resource_account,
    )
