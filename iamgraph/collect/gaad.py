"""GAAD JSON (`aws iam get-account-authorization-details`, or the boto3 response) -> Snapshot.

Tolerant of every shape real users have (one page or a list of pages, documents as objects or
URL-encoded strings, datetimes as strings, missing optional keys, unknown keys) and strict about
the rest: anything malformed raises InputError naming the file and the JSON path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeGuard

from ..errors import InputError
from ..model import (
    Group,
    ManagedPolicy,
    Policy,
    PolicyDocument,
    PolicyKind,
    PolicyRef,
    PolicyVersion,
    Role,
    Snapshot,
    User,
)
from .assemble import SnapshotParts, finish
from .limits import MAX_ARN_CHARS, not_unicode

GAAD_KEYS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
_ACCOUNT = re.compile(r"^\d{12}$")
_EMPTY_TRUST = PolicyDocument(version="2012-10-17", statements=())  # raw=None: not from the input
_INLINE, _TRUST = PolicyKind.INLINE, PolicyKind.TRUST


def json_type(value: Any) -> str:
    """JSON name of a parsed value's type, for messages ("an array", "a number", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__


def is_gaad_page(obj: Any) -> bool:
    """True for a dict holding at least one GAAD list key."""
    return isinstance(obj, dict) and any(k in obj for k in GAAD_KEYS)


def parse_gaad(obj: Any, *, file: str | None, account_id: str | None = None) -> Snapshot:
    """One GAAD page (dict) or a list of pages -> Snapshot. Raises InputError on bad input."""
    parts = SnapshotParts()
    read_gaad_into(parts, obj, file=file, account_id=account_id)
    return finish(parts)


def read_gaad_into(
    parts: SnapshotParts, obj: Any, *, file: str | None, path: str = "$", account_id: str | None = None
) -> None:
    """Add the entities of one GAAD page or list of pages (at JSON `path` of `file`) to `parts`."""
    if isinstance(obj, list):
        if not obj:
            raise InputError("empty list: expected GAAD pages", file=file, path=path)
        for i, page in enumerate(obj):
            _read_page(parts, page, file=file, path=f"{path}[{i}]", account_id=account_id)
    else:
        _read_page(parts, obj, file=file, path=path, account_id=account_id)


# ---- small typed accessors -----------------------------------------------------------------


def _list(d: dict[str, Any], key: str, *, file: str | None, path: str) -> list[Any]:
    v = d.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        raise InputError(f"{key} must be a list", file=file, path=f"{path}.{key}")
    return v


def _objects(d: dict[str, Any], key: str, *, file: str | None, path: str) -> list[tuple[dict[str, Any], str]]:
    v = d.get(key)
    if v is None or (v.__class__ is list and not v):  # absent or empty: the common case
        return []
    out = []
    for i, item in enumerate(v if v.__class__ is list else _list(d, key, file=file, path=path)):
        ipath = f"{path}.{key}[{i}]"
        if not isinstance(item, dict):
            raise InputError(f"{key} entries must be objects", file=file, path=ipath)
        out.append((item, ipath))
    return out


def _text(d: dict[str, Any], key: str, *, file: str | None, path: str, default: str = "") -> str:
    """Optional string; datetimes (boto3 objects) become ISO text."""
    v = d.get(key)
    if v.__class__ is str and v.isascii():  # the common case: ASCII is valid Unicode
        return v
    if v is None:
        return default
    if isinstance(v, str):
        if not_unicode(v):
            raise InputError(
                f"{key} holds an unpaired UTF-16 surrogate (not valid Unicode)", file=file, path=f"{path}.{key}"
            )
        return v
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    raise InputError(f"{key} must be a string", file=file, path=f"{path}.{key}")


def _opt_int(d: dict[str, Any], key: str, *, file: str | None, path: str) -> int | None:
    v = d.get(key)
    if v is None or v.__class__ is int:
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    raise InputError(f"{key} must be an integer", file=file, path=f"{path}.{key}")


def _arn(d: dict[str, Any], key: str, *, file: str | None, path: str) -> str:
    """A required ARN value."""
    v = d.get(key)
    if v.__class__ is str and len(v) <= MAX_ARN_CHARS and v.isascii():  # the checks below, for the common case
        parts = v.split(":", 5)
        if len(parts) == 6 and parts[0] == "arn" and parts[1] and parts[2]:
            return v
    where = f"{path}.{key}"
    if v is None:
        raise InputError(f"missing {key}", file=file, path=path)
    if not isinstance(v, str):
        raise InputError(f"{key} must be an ARN string", file=file, path=where)
    if len(v) > MAX_ARN_CHARS:
        raise InputError(f"ARN of {len(v):,} characters, over the limit of {MAX_ARN_CHARS:,}", file=file, path=where)
    if not_unicode(v):
        raise InputError("ARN holds an unpaired UTF-16 surrogate (not valid Unicode)", file=file, path=where)
    parts = v.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
        raise InputError(f"not an ARN: {v!r}", file=file, path=where)
    return v


def _iam_arn(d: dict[str, Any], key: str, kind: str, *, file: str | None, path: str, aws_owned: bool = False) -> str:
    """A required ARN of an IAM `kind` ("user", "role", ...) with a 12-digit account."""
    v = d.get(key)
    if _plain_iam_arn(v, kind + "/", aws_owned):
        return v
    v = _arn(d, key, file=file, path=path)
    _, _, service, _, account, resource = v.split(":", 5)
    if (
        service != "iam"
        or not resource.startswith(kind + "/")
        or not (_ACCOUNT.match(account) or (aws_owned and account == "aws"))
    ):
        raise InputError(
            f"expected an IAM {kind} ARN (arn:aws:iam::<12-digit account>:{kind}/...), got {v!r}",
            file=file,
            path=f"{path}.{key}",
        )
    return v


def _plain_iam_arn(v: Any, prefix: str, aws_owned: bool) -> TypeGuard[str]:
    """Is `v` an ASCII str that _iam_arn accepts as is (`prefix`: the kind and "/")? A sufficient
    test, for the common case: False sends the caller to _iam_arn, which decides."""
    if v.__class__ is not str or len(v) > MAX_ARN_CHARS or not v.isascii():
        return False
    test = _PLAIN_IAM_ARN.get((prefix, aws_owned))
    if test is None:
        return _plain_arn_pattern(prefix, aws_owned)(v) is not None
    return v.startswith(test.prefixes) or test.accepts(v)


def _plain_arn_pattern(prefix: str, aws_owned: bool) -> Callable[[str], re.Match[str] | None]:
    """The match of the ASCII ARNs whose `split(":", 5)` parts are "arn", a non-empty partition,
    "iam", any region, a 12-digit account (or "aws" if `aws_owned`), a resource starting with
    `prefix` (which holds no colon)."""
    account = "(?:[0-9]{12}|aws)" if aws_owned else "[0-9]{12}"
    return re.compile(f"arn:[^:]+:iam:[^:]*:{account}:{re.escape(prefix)}").match


_MAX_PREFIXES = 8


class _PlainArnTest:
    """`match(v) is not None` for one _plain_arn_pattern, remembering the prefixes of the texts it
    accepted up to the match's end ("arn:<partition>:iam:<region>:<account>:<kind>/"). The pattern
    reads no further than that end, so every text starting with an accepted prefix is accepted too:
    `v.startswith(t.prefixes) or t.accepts(v)` is the match test, without a regex match for most
    ARNs of an account. Pure in `v`; kept for the process, newest first, at most _MAX_PREFIXES (the
    oldest is dropped: a process reading many accounts keeps its latest ones)."""

    __slots__ = ("_match", "prefixes")

    def __init__(self, match: Callable[[str], re.Match[str] | None]) -> None:
        self._match = match
        self.prefixes: tuple[str, ...] = ()  # str.startswith takes the tuple; () starts no text

    def accepts(self, v: str) -> bool:
        """match(v) is not None; an accepted text's prefix is remembered."""
        m = self._match(v)
        if m is None:
            return False
        self.prefixes = (v[: m.end()], *self.prefixes[: _MAX_PREFIXES - 1])
        return True


_PLAIN_IAM_ARN: dict[tuple[str, bool], _PlainArnTest] = {
    (kind + "/", aws_owned): _PlainArnTest(_plain_arn_pattern(kind + "/", aws_owned))
    for kind in ("user", "group", "role", "policy")
    for aws_owned in (False, True)
}
# the tests the readers call directly (after their str, length and ASCII tests: _plain_iam_arn inline)
_USER_ARN = _PLAIN_IAM_ARN[("user/", False)]
_GROUP_ARN = _PLAIN_IAM_ARN[("group/", False)]
_ROLE_ARN = _PLAIN_IAM_ARN[("role/", False)]
_POLICY_ARN = _PLAIN_IAM_ARN[("policy/", True)]


def _plain_name_path(d: dict[str, Any], name_key: str) -> tuple[str, str] | None:
    """(name, IAM path) when both are non-empty ASCII strings (the common case: what _name_path
    returns for them); None sends the caller to _name_path, which decides."""
    name, iam_path = d.get(name_key), d.get("Path")
    if (
        name.__class__ is str
        and iam_path.__class__ is str
        and name
        and iam_path
        and name.isascii()
        and iam_path.isascii()
    ):
        return name, iam_path
    return None


def _name_path(arn: str, d: dict[str, Any], name_key: str, *, file: str | None, path: str) -> tuple[str, str]:
    """(name, IAM path) from the entry, falling back to what the ARN says."""
    name = _text(d, name_key, file=file, path=path)
    iam_path = _text(d, "Path", file=file, path=path)
    if name and iam_path:
        return name, iam_path
    segs = arn.split(":", 5)[5].split("/")
    return name or segs[-1], iam_path or ("/" + "/".join(segs[1:-1]) + "/").replace("//", "/")


def _tags(d: dict[str, Any], *, file: str | None, path: str) -> dict[str, str]:
    """The tags as a dict (users and roles take the common case in _tags_and_created first)."""
    v = d.get("Tags")
    if v is None:
        return {}
    if isinstance(v, dict):  # some exporters write {key: value}
        if all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()):
            return dict(v)
        raise InputError("Tags must map strings to strings", file=file, path=f"{path}.Tags")
    out: dict[str, str] = {}
    for tag, tpath in _objects(d, "Tags", file=file, path=path):
        k = tag.get("Key")
        if not isinstance(k, str) or not_unicode(k):
            raise InputError("tag Key must be a string", file=file, path=f"{tpath}.Key")
        out[k] = _text(tag, "Value", file=file, path=tpath)
    return out


# ---- entity parts --------------------------------------------------------------------------


def _inline(
    parts: SnapshotParts, d: dict[str, Any], key: str, owner: str, *, file: str | None, path: str
) -> tuple[Policy, ...]:
    items = d.get(key)
    if items.__class__ is not list:
        items = _list(d, key, file=file, path=path)
    for i, item in enumerate(items):  # _objects' test, without its (entry, path) list
        if not isinstance(item, dict):
            raise InputError(f"{key} entries must be objects", file=file, path=f"{path}.{key}[{i}]")
    out = []
    for i, item in enumerate(items):
        name = item.get("PolicyName")
        if name.__class__ is not str or not name or not name.isascii():
            ipath = f"{path}.{key}[{i}]"
            name = _text(item, "PolicyName", file=file, path=ipath)
            if not name:
                name = f"inline-{i}"
                parts.warn(
                    f"{file or '<input>'} at {ipath}: inline policy of {owner} has no PolicyName; calling it {name!r}"
                )
        if "PolicyDocument" not in item:
            raise InputError("inline policy has no PolicyDocument", file=file, path=f"{path}.{key}[{i}]")
        doc = parts.document(item["PolicyDocument"], file=file, path=f"{path}.{key}[{i}].PolicyDocument")
        out.append(Policy(PolicyRef(_INLINE, name, name, owner), doc))
    return tuple(out)


def _attached(d: dict[str, Any], *, file: str | None, path: str) -> tuple[str, ...]:
    """The attached policies' ARNs, each once, in order (users and roles take the common case in
    _policies_of first)."""
    if d.get("AttachedManagedPolicies") is None:
        return ()
    arns: list[str] = []
    for item, ipath in _objects(d, "AttachedManagedPolicies", file=file, path=path):
        arn = _iam_arn(item, "PolicyArn", "policy", file=file, path=ipath, aws_owned=True)
        if arn not in arns:
            arns.append(arn)
    return tuple(arns)


def _policies_of(
    parts: SnapshotParts, d: dict[str, Any], inline_key: str, arn: str, *, file: str | None, path: str
) -> tuple[tuple[Policy, ...], tuple[str, ...], str | None]:
    """A user's or role's inline policies, attached policy ARNs and boundary, read in that order
    (absent or empty lists, and ARNs _iam_arn accepts as they are, taken without the readers)."""
    inline: tuple[Policy, ...] = ()
    if (v := d.get(inline_key)) is not None and not (v.__class__ is list and not v):
        inline = _inline(parts, d, inline_key, arn, file=file, path=path)
    attached: tuple[str, ...] | None = None
    if (v := d.get("AttachedManagedPolicies")).__class__ is list:  # the common case: entries with plain ARNs
        fast: list[str] = []
        for item in v:
            if item.__class__ is not dict:
                break
            a = item.get("PolicyArn")  # _plain_iam_arn(a, "policy/", True), inline
            if (
                a.__class__ is not str
                or len(a) > MAX_ARN_CHARS
                or not a.isascii()
                or not (a.startswith(_POLICY_ARN.prefixes) or _POLICY_ARN.accepts(a))
            ):
                break
            if a not in fast:
                fast.append(a)
        else:
            attached = tuple(fast)
    if attached is None:
        attached = _attached(d, file=file, path=path)
    boundary = None
    if (pb := d.get("PermissionsBoundary")) is not None:
        b = pb.get("PermissionsBoundaryArn") if pb.__class__ is dict else None
        if (
            b.__class__ is str
            and len(b) <= MAX_ARN_CHARS
            and b.isascii()
            and (b.startswith(_POLICY_ARN.prefixes) or _POLICY_ARN.accepts(b))
        ):
            boundary = b  # what _boundary gives for a plain ARN
        else:
            boundary = _boundary(d, file=file, path=path)
    return inline, attached, boundary


def _tags_and_created(d: dict[str, Any], *, file: str | None, path: str) -> tuple[dict[str, str], str]:
    """A user's or role's tags and creation date, read in that order (an absent or empty tag list,
    plain ASCII tags and an ASCII date taken without the readers)."""
    tags: dict[str, str] = {}
    if (v := d.get("Tags")) is not None and not (v.__class__ is list and not v):
        if v.__class__ is list:  # the common case, [{"Key": ASCII str, "Value": ASCII str}, ...]: no call per tag
            for tag in v:
                if tag.__class__ is not dict:
                    break
                k, x = tag.get("Key"), tag.get("Value")
                if k.__class__ is not str or x.__class__ is not str or not k.isascii() or not x.isascii():
                    break
                tags[k] = x
            else:
                v = None
        if v is not None:
            tags = _tags(d, file=file, path=path)
    created = d.get("CreateDate")
    if created.__class__ is not str or not created.isascii():
        created = _text(d, "CreateDate", file=file, path=path)
    return tags, created


def _boundary(d: dict[str, Any], *, file: str | None, path: str) -> str | None:
    pb = d.get("PermissionsBoundary")
    if pb is None:
        return None
    bpath = f"{path}.PermissionsBoundary"
    if not isinstance(pb, dict):
        raise InputError("PermissionsBoundary must be an object", file=file, path=bpath)
    if not pb:
        return None
    return _iam_arn(pb, "PermissionsBoundaryArn", "policy", file=file, path=bpath, aws_owned=True)


def _user(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> User:
    # as _role: common values inline, anything else through the same helpers in the same order
    arn = d.get("Arn")
    if (
        arn.__class__ is not str
        or len(arn) > MAX_ARN_CHARS
        or not arn.isascii()
        or not (arn.startswith(_USER_ARN.prefixes) or _USER_ARN.accepts(arn))
    ):
        arn = _iam_arn(d, "Arn", "user", file=file, path=path)
    name, iam_path = _plain_name_path(d, "UserName") or _name_path(arn, d, "UserName", file=file, path=path)
    groups = d.get("GroupList")
    if groups.__class__ is not list:
        groups = _list(d, "GroupList", file=file, path=path)
    for i, g in enumerate(groups):
        if (g.__class__ is not str or not g.isascii()) and (not isinstance(g, str) or not_unicode(g)):
            raise InputError("GroupList entries must be group names", file=file, path=f"{path}.GroupList[{i}]")
    user_id = d.get("UserId")
    if user_id.__class__ is not str or not user_id.isascii():
        user_id = _text(d, "UserId", file=file, path=path)
    inline, attached, boundary = _policies_of(parts, d, "UserPolicyList", arn, file=file, path=path)
    tags, created = _tags_and_created(d, file=file, path=path)
    # positional, in User's field order (tests compare every field)
    return User(
        arn, name, user_id, iam_path, tuple(dict.fromkeys(groups)), inline, attached, boundary, tags, created or None
    )


def _group(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> Group:
    arn = d.get("Arn")
    if (
        arn.__class__ is not str
        or len(arn) > MAX_ARN_CHARS
        or not arn.isascii()
        or not (arn.startswith(_GROUP_ARN.prefixes) or _GROUP_ARN.accepts(arn))
    ):
        arn = _iam_arn(d, "Arn", "group", file=file, path=path)
    name, iam_path = _name_path(arn, d, "GroupName", file=file, path=path)
    return Group(
        arn,
        name,
        _text(d, "GroupId", file=file, path=path),
        iam_path,
        _inline(parts, d, "GroupPolicyList", arn, file=file, path=path),
        _attached(d, file=file, path=path),
    )


def _role(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> Role:
    # The common values (ASCII strings, empty lists, absent keys) are taken inline; anything else
    # goes to the same helper, in the same order, as before (so errors and warnings are unchanged).
    arn = d.get("Arn")
    if (
        arn.__class__ is not str
        or len(arn) > MAX_ARN_CHARS
        or not arn.isascii()
        or not (arn.startswith(_ROLE_ARN.prefixes) or _ROLE_ARN.accepts(arn))
    ):
        arn = _iam_arn(d, "Arn", "role", file=file, path=path)
    name, iam_path = _plain_name_path(d, "RoleName") or _name_path(arn, d, "RoleName", file=file, path=path)
    if (trust_raw := d.get("AssumeRolePolicyDocument")) is not None:
        trust_doc = parts.repeated_document(trust_raw, file=file, path=f"{path}.AssumeRolePolicyDocument")
    else:
        trust_doc = _EMPTY_TRUST
        parts.warn(
            f"{file or '<input>'} at {path}: role {arn} has no AssumeRolePolicyDocument; who can assume it is unknown"
        )
        parts.mark_incomplete(arn, "trust policy (AssumeRolePolicyDocument) missing from the input")
    profiles: tuple[str, ...] = ()
    if (ips := d.get("InstanceProfileList")) is not None and not (ips.__class__ is list and not ips):
        if ips.__class__ is list and all(p.__class__ is dict for p in ips):  # _objects' test passes
            ppath = f"{path}.InstanceProfileList"
            profiles = tuple([_arn(p, "Arn", file=file, path=f"{ppath}[{i}]") for i, p in enumerate(ips)])
        else:
            profiles = tuple(
                _arn(p, "Arn", file=file, path=ppath)
                for p, ppath in _objects(d, "InstanceProfileList", file=file, path=path)
            )
    last_used = d.get("RoleLastUsed")
    if last_used is not None and last_used.__class__ is not dict and not isinstance(last_used, dict):
        raise InputError("RoleLastUsed must be an object", file=file, path=f"{path}.RoleLastUsed")
    last: Any = ""
    if last_used:
        last = last_used.get("LastUsedDate")
        if last.__class__ is not str or not last.isascii():
            last = _text(last_used, "LastUsedDate", file=file, path=f"{path}.RoleLastUsed")
    role_id = d.get("RoleId")
    if role_id.__class__ is not str or not role_id.isascii():
        role_id = _text(d, "RoleId", file=file, path=path)
    inline, attached, boundary = _policies_of(parts, d, "RolePolicyList", arn, file=file, path=path)
    description = d.get("Description", "")  # absent: what _text gives
    if description.__class__ is not str or not description.isascii():
        description = _text(d, "Description", file=file, path=path)
    max_session = d.get("MaxSessionDuration")
    if max_session is not None and max_session.__class__ is not int:
        max_session = _opt_int(d, "MaxSessionDuration", file=file, path=path)
    tags, created = _tags_and_created(d, file=file, path=path)
    trust = Policy(PolicyRef(_TRUST, arn, name, arn), trust_doc)
    # positional, in Role's field order (keywords cost ~2 us more per role; tests compare every field)
    return Role(
        arn,
        name,
        trust,
        role_id,
        iam_path,
        inline,
        attached,
        boundary,
        profiles,
        description,
        max_session,
        last or None,
        tags,
        created or None,
    )


def _policy(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> ManagedPolicy:
    # as _role: common values inline, anything else through the same helpers in the same order
    arn = d.get("Arn")
    if (
        arn.__class__ is not str
        or len(arn) > MAX_ARN_CHARS
        or not arn.isascii()
        or not (arn.startswith(_POLICY_ARN.prefixes) or _POLICY_ARN.accepts(arn))
    ):
        arn = _iam_arn(d, "Arn", "policy", file=file, path=path, aws_owned=True)
    name, iam_path = _plain_name_path(d, "PolicyName") or _name_path(arn, d, "PolicyName", file=file, path=path)
    default_id = d.get("DefaultVersionId")
    if default_id.__class__ is not str or not default_id.isascii():
        default_id = _text(d, "DefaultVersionId", file=file, path=path)
    raw_versions = d.get("PolicyVersionList")
    if raw_versions.__class__ is not list:
        raw_versions = _list(d, "PolicyVersionList", file=file, path=path)
    for i, v in enumerate(raw_versions):  # _objects' test, without its (entry, path) list
        if not isinstance(v, dict):
            raise InputError(
                "PolicyVersionList entries must be objects", file=file, path=f"{path}.PolicyVersionList[{i}]"
            )
    versions: list[PolicyVersion] = []
    for i, v in enumerate(raw_versions):
        vpath = f"{path}.PolicyVersionList[{i}]"
        vid = v.get("VersionId")
        if vid.__class__ is not str or not vid.isascii():
            vid = _text(v, "VersionId", file=file, path=vpath)
        if not vid:
            if len(raw_versions) > 1:
                raise InputError("policy version has no VersionId", file=file, path=vpath)
            vid = default_id or "v1"
        flag = v.get("IsDefaultVersion", False)
        if not isinstance(flag, bool):
            raise InputError("IsDefaultVersion must be true or false", file=file, path=f"{vpath}.IsDefaultVersion")
        if "Document" not in v:
            raise InputError("policy version has no Document", file=file, path=vpath)
        doc = parts.document(v["Document"], file=file, path=f"{vpath}.Document")
        created = v.get("CreateDate")
        if created.__class__ is not str or not created.isascii():
            created = _text(v, "CreateDate", file=file, path=vpath)
        versions.append(PolicyVersion(vid, flag, doc, created or None))  # positional, in field order
    if default_id:
        for v in versions:  # all(v.version_id != default_id for v in versions), without the generator
            if not v.version_id != default_id:
                break
        else:
            if versions:
                raise InputError(
                    f"DefaultVersionId {default_id!r} names no entry of PolicyVersionList",
                    file=file,
                    path=f"{path}.DefaultVersionId",
                )
    else:
        flagged = [v.version_id for v in versions if v.is_default]
        if len(flagged) > 1:
            raise InputError("several versions have IsDefaultVersion=true", file=file, path=f"{path}.PolicyVersionList")
        default_id = flagged[0] if flagged else (versions[0].version_id if len(versions) == 1 else "")
    # DefaultVersionId wins over the per-version flags; afterwards both always agree
    for i, v in enumerate(versions):
        if v.is_default != (v.version_id == default_id):
            versions[i] = PolicyVersion(v.version_id, v.version_id == default_id, v.document, v.create_date)
    attachments = d.get("AttachmentCount")
    if attachments is not None and attachments.__class__ is not int:
        attachments = _opt_int(d, "AttachmentCount", file=file, path=path)
    boundary_uses = d.get("PermissionsBoundaryUsageCount")
    if boundary_uses is not None and boundary_uses.__class__ is not int:
        boundary_uses = _opt_int(d, "PermissionsBoundaryUsageCount", file=file, path=path)
    description = d.get("Description", "")  # absent: what _text gives
    if description.__class__ is not str or not description.isascii():
        description = _text(d, "Description", file=file, path=path)
    # positional, in ManagedPolicy's field order (tests compare every field)
    return ManagedPolicy(arn, name, iam_path, default_id, tuple(versions), attachments, boundary_uses, description)


# ---- pages ---------------------------------------------------------------------------------


def _read_page(parts: SnapshotParts, page: Any, *, file: str | None, path: str, account_id: str | None) -> None:
    if not is_gaad_page(page):
        if isinstance(page, dict):
            msg = (
                "neither a GAAD page (no UserDetailList, GroupDetailList, RoleDetailList or Policies key) "
                'nor an iamgraph snapshot (no "format": "iamgraph-snapshot")'
            )
        else:
            msg = f"expected a GAAD page (a JSON object), got {json_type(page)}"
        raise InputError(msg, file=file, path=path)
    flag = page.get("IsTruncated")
    if isinstance(flag, bool):
        parts.truncated_flags.append(flag)
    # the account check: the first account seen (other than "aws") and the entities of any other
    # account, in order (what a list of every entity's account gives, without that list)
    first: tuple[str, str] | None = None
    others: list[tuple[str, str]] = []
    # "arn:<partition>:<service>:<region>:<first account>:" once the first account is seen; before,
    # a text no entity ARN starts with (the readers only return ARNs starting "arn:")
    first_prefix = "-"
    sources, source = parts.sources, file or "<input>"
    readers = (
        ("UserDetailList", _user, parts.users),
        ("GroupDetailList", _group, parts.groups),
        ("RoleDetailList", _role, parts.roles),
        ("Policies", _policy, parts.policies),
    )
    for key, reader, table in readers:
        items = page.get(key)
        if items is None:
            continue
        if items.__class__ is not list:
            items = _list(page, key, file=file, path=path)
        for i, item in enumerate(items):  # _objects' test, without its (entry, path) list
            if not isinstance(item, dict):
                raise InputError(f"{key} entries must be objects", file=file, path=f"{path}.{key}[{i}]")
        for i, item in enumerate(items):
            ipath = f"{path}.{key}[{i}]"
            entity = reader(parts, item, file=file, path=ipath)
            arn = entity.arn
            if not arn.startswith(first_prefix):  # else: the first account's, nothing to record
                arn_parts = arn.split(":", 5)  # account_of(arn), inline
                account = arn_parts[4] if len(arn_parts) == 6 else ""
                if account != "aws":
                    if first is None:
                        first = (account, ipath)
                        if len(arn_parts) == 6:  # an ARN starting so splits to the same account
                            first_prefix = ":".join(arn_parts[:5]) + ":"
                    elif account != first[0]:
                        others.append((account, ipath))
            if arn in table:
                parts.add_entity(table, entity, file=file)  # type: ignore[misc]  # table type follows the reader
            else:  # what add_entity does for a new ARN
                table[arn] = entity  # type: ignore[assignment]
                sources[arn] = source
    expected = account_id or (first[0] if first else None)
    for account, apath in (first, *others) if first else ():
        if account != expected:
            raise InputError(
                f"ARN of account {account} in a page of account {expected}: one GAAD page holds one account",
                file=file,
                path=f"{apath}.Arn",
            )
    if expected:
        parts.add_account(expected)
