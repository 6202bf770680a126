"""Fast paths of the GAAD reader (gaad.py) for entries shaped as AWS writes them.

Contract: each reader returns exactly the entity gaad's reader returns for the same entry, or
raises Slow (or an InputError from a policy document) when the entry is anything else: a missing,
odd-typed or empty field, a case that warns or is an error. The caller then runs gaad's reader,
which stays the specification and produces every warning and input error. The fast readers
change nothing in `parts` but its document caches (`parts.document`), which gaad's reader would
fill the same way. Paths of nested elements are built only where a document needs one.
"""

from __future__ import annotations

from typing import Any, cast

from ..model import Group, ManagedPolicy, Policy, PolicyKind, PolicyRef, PolicyVersion, Role, User
from .assemble import SnapshotParts
from .limits import MAX_ARN_CHARS, not_unicode


class Slow(Exception):
    """This entry needs gaad's full reader."""


def _texts(strs: list[Any]) -> None:
    """Every value is a str (or str subclass, which gaad's reader returns as is) of valid Unicode;
    else Slow. One join and one test for all the strings of an entry."""
    try:
        joined = "".join(strs)
    except TypeError:  # None (an explicit null), a datetime, a number...: gaad's reader decides
        raise Slow from None
    if not joined.isascii() and not_unicode(joined):
        raise Slow


def _arn(v: str) -> None:
    """gaad._arn's test, for a str already checked by _texts."""
    if len(v) > MAX_ARN_CHARS:
        raise Slow
    p = v.split(":", 5)
    if len(p) != 6 or p[0] != "arn" or not p[1] or not p[2]:
        raise Slow


def _iam_arn(v: str, prefix: str, aws_owned: bool) -> list[str]:
    """gaad._iam_arn's test (`prefix`: the kind and a slash, "role/"), for a str already checked
    by _texts; returns the six ARN fields."""
    p = v.split(":", 5)
    if (
        len(v) > MAX_ARN_CHARS
        or len(p) != 6
        or p[0] != "arn"
        or not p[1]
        or p[2] != "iam"
        or not p[5].startswith(prefix)
    ):
        raise Slow
    account = p[4]
    if not ((len(account) == 12 and account.isascii() and account.isdigit()) or (aws_owned and account == "aws")):
        raise Slow
    return p


def _name_path(fields: list[str], name: str, iam_path: str) -> tuple[str, str]:
    """gaad._name_path, given the ARN's fields and the entry's (checked) name and path."""
    if name and iam_path:
        return name, iam_path
    segs = fields[5].split("/")
    return name or segs[-1], iam_path or ("/" + "/".join(segs[1:-1]) + "/").replace("//", "/")


def _items(v: Any) -> list[Any]:
    """A list value (None: empty); anything else is Slow. Entries are checked by the caller."""
    if v is None:
        return []
    if type(v) is not list:
        raise Slow
    return v


def _inline(parts: SnapshotParts, items: Any, owner: str, *, file: str | None, path: str) -> tuple[Policy, ...]:
    """gaad._inline; `path` is that of the list."""
    out = []
    for i, item in enumerate(_items(items)):
        if type(item) is not dict or "PolicyDocument" not in item:
            raise Slow
        name = item.get("PolicyName", "")
        if not name or type(name) is not str or not (name.isascii() or not not_unicode(name)):
            raise Slow  # gaad's reader names an unnamed policy (and warns)
        doc = parts.document(item["PolicyDocument"], file=file, path=f"{path}[{i}].PolicyDocument")
        out.append(Policy(PolicyRef(PolicyKind.INLINE, name, name, owner=owner), doc))
    return tuple(out)


def _attached(items: Any) -> tuple[str, ...]:
    arns: list[str] = []
    for item in _items(items):
        if type(item) is not dict:
            raise Slow
        arn = item.get("PolicyArn")
        if type(arn) is not str or not (arn.isascii() or not not_unicode(arn)):
            raise Slow
        _iam_arn(arn, "policy/", True)
        if arn not in arns:
            arns.append(arn)
    return tuple(arns)


def _boundary(pb: Any) -> str | None:
    if pb is None:
        return None
    if type(pb) is not dict:
        raise Slow
    if not pb:
        return None
    arn = pb.get("PermissionsBoundaryArn")
    if type(arn) is not str or not (arn.isascii() or not not_unicode(arn)):
        raise Slow
    _iam_arn(arn, "policy/", True)
    return arn


def _tag_strings(v: Any, strs: list[Any]) -> list[Any]:
    """The Key and Value of each tag of the list form, appended to `strs` for _texts (the
    {key: value} form is Slow); the dict is built by _tags once they are checked."""
    for tag in _items(v):
        if type(tag) is not dict:
            raise Slow
        strs.append(tag.get("Key"))
        strs.append(tag.get("Value", ""))
    return strs


def _tags(v: Any) -> dict[str, str]:
    """gaad._tags for a list whose strings _tag_strings collected and _texts checked."""
    return {tag["Key"]: tag.get("Value", "") for tag in v} if v else {}


def _opt_int(v: Any) -> int | None:
    if v is None or type(v) is int:
        return v
    raise Slow


def user(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> User:
    """gaad._user."""
    get = d.get
    arn, name, iam_path, user_id, created = (
        get("Arn"),
        get("UserName", ""),
        get("Path", ""),
        get("UserId", ""),
        get("CreateDate", ""),
    )
    groups = _items(get("GroupList"))
    tags = get("Tags")
    _texts(_tag_strings(tags, [arn, name, iam_path, user_id, created, *groups]))
    arn = cast(str, arn)  # checked by _texts
    fields = _iam_arn(arn, "user/", False)
    name, iam_path = _name_path(fields, name, iam_path)
    return User(
        arn=arn,
        name=name,
        user_id=user_id,
        path=iam_path,
        groups=tuple(dict.fromkeys(groups)),
        inline_policies=_inline(parts, get("UserPolicyList"), arn, file=file, path=f"{path}.UserPolicyList"),
        managed_policy_arns=_attached(get("AttachedManagedPolicies")),
        permissions_boundary_arn=_boundary(get("PermissionsBoundary")),
        tags=_tags(tags),
        create_date=created or None,
    )


def group(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> Group:
    """gaad._group."""
    get = d.get
    arn, name, iam_path, group_id = get("Arn"), get("GroupName", ""), get("Path", ""), get("GroupId", "")
    _texts([arn, name, iam_path, group_id])
    arn = cast(str, arn)  # checked by _texts
    fields = _iam_arn(arn, "group/", False)
    name, iam_path = _name_path(fields, name, iam_path)
    return Group(
        arn=arn,
        name=name,
        group_id=group_id,
        path=iam_path,
        inline_policies=_inline(parts, get("GroupPolicyList"), arn, file=file, path=f"{path}.GroupPolicyList"),
        managed_policy_arns=_attached(get("AttachedManagedPolicies")),
    )


def role(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> Role:
    """gaad._role for a role with a trust policy (one without warns: Slow)."""
    get = d.get
    arn, name, iam_path, role_id, description, created = (
        get("Arn"),
        get("RoleName", ""),
        get("Path", ""),
        get("RoleId", ""),
        get("Description", ""),
        get("CreateDate", ""),
    )
    trust_raw = get("AssumeRolePolicyDocument")
    if trust_raw is None:
        raise Slow
    last_used = get("RoleLastUsed")
    if last_used is None or (type(last_used) is dict and not last_used):
        last = ""
    elif type(last_used) is dict:
        last = last_used.get("LastUsedDate", "")
    else:
        raise Slow
    profiles = _items(get("InstanceProfileList"))
    strs = [arn, name, iam_path, role_id, description, created, last]
    for p in profiles:
        if type(p) is not dict:
            raise Slow
        strs.append(p.get("Arn"))
    tags = get("Tags")
    _texts(_tag_strings(tags, strs))
    arn = cast(str, arn)  # checked by _texts
    fields = _iam_arn(arn, "role/", False)
    name, iam_path = _name_path(fields, name, iam_path)
    profile_arns = tuple(strs[7 : 7 + len(profiles)])
    for parn in profile_arns:
        _arn(parn)
    return Role(
        arn=arn,
        name=name,
        trust_policy=Policy(
            PolicyRef(PolicyKind.TRUST, arn, name, owner=arn),
            parts.document(trust_raw, file=file, path=f"{path}.AssumeRolePolicyDocument"),
        ),
        role_id=role_id,
        path=iam_path,
        inline_policies=_inline(parts, get("RolePolicyList"), arn, file=file, path=f"{path}.RolePolicyList"),
        managed_policy_arns=_attached(get("AttachedManagedPolicies")),
        permissions_boundary_arn=_boundary(get("PermissionsBoundary")),
        instance_profile_arns=profile_arns,
        description=description,
        max_session_duration=_opt_int(get("MaxSessionDuration")),
        last_used=last or None,
        tags=_tags(tags),
        create_date=created or None,
    )


def policy(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> ManagedPolicy:
    """gaad._policy for versions that all have a VersionId and default-version data that agree."""
    get = d.get
    arn, name, iam_path, default_id, description = (
        get("Arn"),
        get("PolicyName", ""),
        get("Path", ""),
        get("DefaultVersionId", ""),
        get("Description", ""),
    )
    raw_versions = _items(get("PolicyVersionList"))
    strs = [arn, name, iam_path, default_id, description]
    for v in raw_versions:
        if type(v) is not dict or "Document" not in v:
            raise Slow
        strs.append(v.get("VersionId"))  # a version without one: gaad's reader
        strs.append(v.get("CreateDate", ""))
        if type(v.get("IsDefaultVersion", False)) is not bool:
            raise Slow
    _texts(strs)
    arn = cast(str, arn)  # checked by _texts
    fields = _iam_arn(arn, "policy/", True)
    name, iam_path = _name_path(fields, name, iam_path)
    versions: list[PolicyVersion] = []
    for j, v in enumerate(raw_versions):
        vid = v["VersionId"]
        if not vid:
            raise Slow
        doc = parts.document(v["Document"], file=file, path=f"{path}.PolicyVersionList[{j}].Document")
        versions.append(PolicyVersion(vid, v.get("IsDefaultVersion", False), doc, v.get("CreateDate", "") or None))
    if default_id:
        if versions and all(v.version_id != default_id for v in versions):
            raise Slow
    else:
        flagged = [v.version_id for v in versions if v.is_default]
        if len(flagged) > 1:
            raise Slow
        default_id = flagged[0] if flagged else (versions[0].version_id if len(versions) == 1 else "")
    # DefaultVersionId wins over the per-version flags; afterwards both always agree
    versions = [
        v
        if v.is_default == (v.version_id == default_id)
        else PolicyVersion(v.version_id, v.version_id == default_id, v.document, v.create_date)
        for v in versions
    ]
    return ManagedPolicy(
        arn=arn,
        name=name,
        path=iam_path,
        default_version_id=default_id,
        versions=tuple(versions),
        attachment_count=_opt_int(get("AttachmentCount")),
        boundary_usage_count=_opt_int(get("PermissionsBoundaryUsageCount")),
        description=description,
    )
