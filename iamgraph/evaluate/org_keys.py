"""Organisation condition keys: fixed when the snapshot holds organisation data.

aws:PrincipalOrgID, aws:PrincipalOrgPaths (multivalued) and aws:ResourceOrgID for a principal or
resource of one account; when the member list is known and the account is not on it, the keys are
known to be absent; without organisation data they stay unknown (never guessed)."""

from __future__ import annotations

from ..model import OrgNodeKind, Snapshot
from .types import ContextValue

ORG_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths", "aws:resourceorgid"})


def org_member(snapshot: Snapshot, account: str) -> bool | None:
    """True/False when the snapshot says whether `account` is in its organisation; None: unknown."""
    org = snapshot.organization
    if org is None or not org.id:
        return None
    if account in snapshot.org_paths or account in org.accounts or account == org.management_account:
        return True
    return False if org.accounts else None


def org_path_value(snapshot: Snapshot, account: str) -> str | None:
    """`o-id/r-root/ou-1/.../` for a member account with a known OU path."""
    org = snapshot.organization
    nodes = snapshot.org_paths.get(account, ())
    if org is None or not org.id or not nodes:
        return None
    return "/".join([org.id, *(n.id for n in nodes if n.kind is not OrgNodeKind.ACCOUNT)]) + "/"


def org_context(snapshot: Snapshot, account: str) -> tuple[dict[str, ContextValue], frozenset[str]]:
    """(fixed keys, keys known absent) for a principal of `account` acting on its own resources."""
    member = org_member(snapshot, account)
    if member is None:
        return {}, frozenset()
    if not member:
        return {}, ORG_KEYS
    org = snapshot.organization
    assert org is not None
    ctx: dict[str, ContextValue] = {"aws:PrincipalOrgID": org.id, "aws:ResourceOrgID": org.id}
    path = org_path_value(snapshot, account)
    if path is not None:
        ctx["aws:PrincipalOrgPaths"] = (path,)
    return ctx, frozenset()
