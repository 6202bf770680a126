"""The GAAD entity readers' inline fast paths (gaad._user/_group/_role/_policy take common values
without a helper call and build the entities positionally) give exactly what the helper-only
readers below give: every field (compare=False ones too), the same warnings and incomplete marks,
or the same InputError. The reference readers are the readers as they were before the fast paths."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from model_fields import ACCOUNTS, fields_of

from iamgraph.collect import gaad
from iamgraph.collect.assemble import SnapshotParts
from iamgraph.collect.files import read_json, read_text
from iamgraph.collect.gaad import (
    _EMPTY_TRUST,
    _arn,
    _attached,
    _boundary,
    _iam_arn,
    _inline,
    _list,
    _name_path,
    _objects,
    _opt_int,
    _tags,
    _text,
)
from iamgraph.collect.limits import not_unicode
from iamgraph.errors import InputError
from iamgraph.model import (
    Group,
    ManagedPolicy,
    Policy,
    PolicyKind,
    PolicyRef,
    PolicyVersion,
    Role,
    User,
)

# ---- the readers before the fast paths (reference) -----------------------------------------


def _ref_user(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> User:
    arn = _iam_arn(d, "Arn", "user", file=file, path=path)
    name, iam_path = _name_path(arn, d, "UserName", file=file, path=path)
    groups = _list(d, "GroupList", file=file, path=path)
    for i, g in enumerate(groups):
        if (g.__class__ is not str or not g.isascii()) and (not isinstance(g, str) or not_unicode(g)):
            raise InputError("GroupList entries must be group names", file=file, path=f"{path}.GroupList[{i}]")
    return User(
        arn=arn,
        name=name,
        user_id=_text(d, "UserId", file=file, path=path),
        path=iam_path,
        groups=tuple(dict.fromkeys(groups)),
        inline_policies=_inline(parts, d, "UserPolicyList", arn, file=file, path=path),
        managed_policy_arns=_attached(d, file=file, path=path),
        permissions_boundary_arn=_boundary(d, file=file, path=path),
        tags=_tags(d, file=file, path=path),
        create_date=_text(d, "CreateDate", file=file, path=path) or None,
    )


def _ref_group(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> Group:
    arn = _iam_arn(d, "Arn", "group", file=file, path=path)
    name, iam_path = _name_path(arn, d, "GroupName", file=file, path=path)
    return Group(
        arn=arn,
        name=name,
        group_id=_text(d, "GroupId", file=file, path=path),
        path=iam_path,
        inline_policies=_inline(parts, d, "GroupPolicyList", arn, file=file, path=path),
        managed_policy_arns=_attached(d, file=file, path=path),
    )


def _ref_role(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> Role:
    arn = _iam_arn(d, "Arn", "role", file=file, path=path)
    name, iam_path = _name_path(arn, d, "RoleName", file=file, path=path)
    if d.get("AssumeRolePolicyDocument") is not None:
        trust_doc = parts.document(d["AssumeRolePolicyDocument"], file=file, path=f"{path}.AssumeRolePolicyDocument")
    else:
        trust_doc = _EMPTY_TRUST
        parts.warn(
            f"{file or '<input>'} at {path}: role {arn} has no AssumeRolePolicyDocument; who can assume it is unknown"
        )
        parts.mark_incomplete(arn, "trust policy (AssumeRolePolicyDocument) missing from the input")
    profiles: tuple[str, ...] = ()
    if (ips := d.get("InstanceProfileList")) is not None and not (ips.__class__ is list and not ips):
        profiles = tuple(
            _arn(p, "Arn", file=file, path=ppath)
            for p, ppath in _objects(d, "InstanceProfileList", file=file, path=path)
        )
    last_used = d.get("RoleLastUsed")
    if last_used is not None and not isinstance(last_used, dict):
        raise InputError("RoleLastUsed must be an object", file=file, path=f"{path}.RoleLastUsed")
    last = _text(last_used, "LastUsedDate", file=file, path=f"{path}.RoleLastUsed") if last_used else ""
    return Role(
        arn=arn,
        name=name,
        trust_policy=Policy(PolicyRef(PolicyKind.TRUST, arn, name, owner=arn), trust_doc),
        role_id=_text(d, "RoleId", file=file, path=path),
        path=iam_path,
        inline_policies=_inline(parts, d, "RolePolicyList", arn, file=file, path=path),
        managed_policy_arns=_attached(d, file=file, path=path),
        permissions_boundary_arn=_boundary(d, file=file, path=path),
        instance_profile_arns=profiles,
        description=_text(d, "Description", file=file, path=path),
        max_session_duration=_opt_int(d, "MaxSessionDuration", file=file, path=path),
        last_used=last or None,
        tags=_tags(d, file=file, path=path),
        create_date=_text(d, "CreateDate", file=file, path=path) or None,
    )


def _ref_policy(parts: SnapshotParts, d: dict[str, Any], *, file: str | None, path: str) -> ManagedPolicy:
    arn = _iam_arn(d, "Arn", "policy", file=file, path=path, aws_owned=True)
    name, iam_path = _name_path(arn, d, "PolicyName", file=file, path=path)
    default_id = _text(d, "DefaultVersionId", file=file, path=path)
    raw_versions = _objects(d, "PolicyVersionList", file=file, path=path)
    versions: list[PolicyVersion] = []
    for v, vpath in raw_versions:
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
        versions.append(
            PolicyVersion(
                version_id=vid,
                is_default=flag,
                document=doc,
                create_date=_text(v, "CreateDate", file=file, path=vpath) or None,
            )
        )
    if default_id:
        if versions and all(v.version_id != default_id for v in versions):
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
        attachment_count=_opt_int(d, "AttachmentCount", file=file, path=path),
        boundary_usage_count=_opt_int(d, "PermissionsBoundaryUsageCount", file=file, path=path),
        description=_text(d, "Description", file=file, path=path),
    )


READERS: dict[str, tuple[str, Callable[..., Any], Callable[..., Any]]] = {
    "users": ("UserDetailList", gaad._user, _ref_user),
    "groups": ("GroupDetailList", gaad._group, _ref_group),
    "roles": ("RoleDetailList", gaad._role, _ref_role),
    "policies": ("Policies", gaad._policy, _ref_policy),
}


def _outcome(reader: Callable[..., Any], item: Any) -> Any:
    parts = SnapshotParts()
    try:
        entity = reader(parts, item, file="in.json", path="$.X[0]")
    except InputError as exc:
        return ("error", str(exc))
    return ("ok", fields_of(entity), parts.warnings, {k: list(v) for k, v in parts.incomplete.items()})


@pytest.mark.parametrize("account_file", ACCOUNTS, indirect=True)
def test_every_entity_of_the_accounts_reads_as_before(account_file: str) -> None:
    obj = read_json(account_file)
    pages = obj if isinstance(obj, list) else [obj]
    n = 0
    for page in pages:
        if not isinstance(page, dict):
            continue
        for key, fast, ref in READERS.values():
            for item in page.get(key) or ():
                assert _outcome(fast, item) == _outcome(ref, item)
                n += 1
    assert n or "format" in pages[0]  # a snapshot file holds no GAAD lists


# ---- odd values: each key of an entity absent, common or odd --------------------------------

_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
_ODD: list[Any] = [None, "", "é", "\ud800", 1, True, 1.5, [], {}, ["x"], {"k": "v"}, datetime(2024, 1, 2, 3, 4, 5)]


class _Int(int):
    pass


class _Str(str):
    pass


def _text_values(common: str) -> list[Any]:
    return [common, _Str(common), *_ODD]


def _arn_values(kind: str) -> list[Any]:
    good = f"arn:aws:iam::111122223333:{kind}/x"
    return list(
        [
            good,
            f"arn:aws:iam::111122223333:{kind}/path/é",
            f"arn:aws:iam::aws:{kind}/x",
            f"arn:aws:iam::11112222333:{kind}/x",
            f"arn:aws:iam::11112222333٣:{kind}/x",
            f"arn:aws:s3::111122223333:{kind}/x",
            f"arn::iam::111122223333:{kind}/x",
            "arn:aws:iam::111122223333:other/x",
            "arn:aws:iam::111122223333",
            "arn:aws:iam::111122223333:" + kind + "/" + "x" * 2100,
            _Str(good),
            *_ODD,
        ]
    )


_INLINE: list[Any] = [
    [],
    None,
    "x",
    "",
    {},
    0,
    [1],
    [{"PolicyName": "p", "PolicyDocument": _DOC}],
    [{"PolicyDocument": _DOC}],
    [{"PolicyName": "p"}],
    [{"PolicyName": "p", "PolicyDocument": "not json"}],
    [{"PolicyName": "p", "PolicyDocument": json.dumps(_DOC)}],
]
_ATTACHED: list[Any] = [
    [],
    None,
    "x",
    [{"PolicyName": "a", "PolicyArn": "arn:aws:iam::aws:policy/a"}],
    [{"PolicyArn": "arn:aws:iam::111122223333:policy/b"}, {"PolicyArn": "arn:aws:iam::111122223333:policy/b"}],
    [{"PolicyArn": "bad"}],
    [1],
]
_BOUNDARY: list[Any] = [
    None,
    {},
    {"PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/pb"},
    {"PermissionsBoundaryArn": "arn:aws:iam::111122223333:user/pb"},
    "x",
    [],
]
_TAGS: list[Any] = [
    [],
    None,
    "",
    0,
    [{"Key": "k", "Value": "v"}],
    [{"Key": "é", "Value": "v"}],
    [{"Key": 1}],
    {"k": "v"},
    {"k": 1},
    "x",
]
_INTS: list[Any] = [3600, None, _Int(5), True, "3600", 1.0, -1, 2**70]
_MISSING = object()


def _entity(fields: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Entities holding the common value (the first of each list) of every key but up to three,
    which are absent or hold another value of their list (a strategy in the list is drawn from)."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        odd = draw(st.sets(st.sampled_from(list(fields)), max_size=3))
        out = {}
        for key, values in fields.items():
            v = draw(st.sampled_from([_MISSING, *values[1:]])) if key in odd else values[0]
            if isinstance(v, st.SearchStrategy):
                v = draw(v)
            if v is not _MISSING:
                out[key] = v
        return out

    return build()


_COMMON_PARTS = {"Path": _text_values("/"), "CreateDate": _text_values("2024-01-01T00:00:00Z")}
ROLE_FIELDS: dict[str, list[Any]] = dict(
    {
        "Arn": _arn_values("role"),
        "RoleName": _text_values("r"),
        **_COMMON_PARTS,
        "RoleId": _text_values("AROA1"),
        "AssumeRolePolicyDocument": ([_TRUST, None, "x", json.dumps(_TRUST), [], {"Statement": 1}]),
        "Description": _text_values("d"),
        "MaxSessionDuration": _INTS,
        "InstanceProfileList": ([[], None, [{"Arn": "arn:aws:iam::111122223333:instance-profile/i"}], [1], "x"]),
        "RolePolicyList": _INLINE,
        "AttachedManagedPolicies": _ATTACHED,
        "PermissionsBoundary": _BOUNDARY,
        "Tags": _TAGS,
        "RoleLastUsed": ([{}, None, {"LastUsedDate": "2024"}, {"LastUsedDate": 5}, {"LastUsedDate": "é"}, [], "x"]),
    }
)
USER_FIELDS: dict[str, list[Any]] = dict(
    {
        "Arn": _arn_values("user"),
        "UserName": _text_values("u"),
        **_COMMON_PARTS,
        "UserId": _text_values("AIDA1"),
        "GroupList": ([[], None, ["g"], ["g", "g"], ["é"], ["\ud800"], [1], "g", {"g": 1}]),
        "UserPolicyList": _INLINE,
        "AttachedManagedPolicies": _ATTACHED,
        "PermissionsBoundary": _BOUNDARY,
        "Tags": _TAGS,
    }
)
GROUP_FIELDS: dict[str, list[Any]] = dict(
    {
        "Arn": _arn_values("group"),
        "GroupName": _text_values("g"),
        "Path": _text_values("/"),
        "GroupId": _text_values("AGPA1"),
        "GroupPolicyList": _INLINE,
        "AttachedManagedPolicies": _ATTACHED,
    }
)
_VERSION_FIELDS: dict[str, list[Any]] = dict(
    {
        "VersionId": _text_values("v1"),
        "IsDefaultVersion": ([True, False, None, 1]),
        "Document": ([_DOC, json.dumps(_DOC), None, 1]),
        "CreateDate": _text_values("2024"),
    }
)
_VERSION_COMMON = {k: v[0] for k, v in _VERSION_FIELDS.items()}
_VERSION = _entity(_VERSION_FIELDS)
POLICY_FIELDS: dict[str, list[Any]] = dict(
    {
        "Arn": _arn_values("policy"),
        "PolicyName": _text_values("p"),
        "Path": _text_values("/"),
        "DefaultVersionId": _text_values("v1"),
        "PolicyVersionList": [[_VERSION_COMMON], st.lists(_VERSION, max_size=3), None, "x", [1]],
        "AttachmentCount": _INTS,
        "PermissionsBoundaryUsageCount": _INTS,
        "Description": _text_values("d"),
    }
)

ROLES, USERS = _entity(ROLE_FIELDS), _entity(USER_FIELDS)
GROUPS, POLICIES = _entity(GROUP_FIELDS), _entity(POLICY_FIELDS)


@settings(max_examples=400)
@given(st.one_of(ROLES.map(lambda d: ("roles", d)), USERS.map(lambda d: ("users", d))))
def test_odd_roles_and_users_read_as_before(case: tuple[str, dict[str, Any]]) -> None:
    kind, item = case
    _, fast, ref = READERS[kind]
    assert _outcome(fast, item) == _outcome(ref, item)


@settings(max_examples=400)
@given(st.one_of(GROUPS.map(lambda d: ("groups", d)), POLICIES.map(lambda d: ("policies", d))))
def test_odd_groups_and_policies_read_as_before(case: tuple[str, dict[str, Any]]) -> None:
    kind, item = case
    _, fast, ref = READERS[kind]
    assert _outcome(fast, item) == _outcome(ref, item)


def _single_odd_cases() -> list[tuple[str, dict[str, Any]]]:
    """Each entity kind with every key but one common, that one absent or each of its other values
    (a policy version's keys too, inside a one-version PolicyVersionList)."""
    kinds: dict[str, dict[str, list[Any]]] = {
        "roles": ROLE_FIELDS,
        "users": USER_FIELDS,
        "groups": GROUP_FIELDS,
        "policies": POLICY_FIELDS,
    }
    out = []
    for kind, fields in kinds.items():
        common = {k: v[0] for k, v in fields.items()}
        for key, values in fields.items():
            for v in [_MISSING, *values[1:]]:
                if isinstance(v, st.SearchStrategy):
                    continue
                item = {k: (v if k == key else c) for k, c in common.items()}
                out.append((kind, {k: x for k, x in item.items() if x is not _MISSING}))
    policy = {k: v[0] for k, v in POLICY_FIELDS.items()}
    for key, values in _VERSION_FIELDS.items():
        for v in [_MISSING, *values[1:]]:
            version = {k: (v if k == key else c) for k, c in _VERSION_COMMON.items()}
            out.append(
                ("policies", {**policy, "PolicyVersionList": [{k: x for k, x in version.items() if x is not _MISSING}]})
            )
    return out


def test_each_odd_value_alone_reads_as_before() -> None:
    cases = _single_odd_cases()
    assert len(cases) > 300
    for kind, item in cases:
        _, fast, ref = READERS[kind]
        assert _outcome(fast, item) == _outcome(ref, item), (kind, item)


# ---- read_text's whitespace-only test without a stripped copy --------------------------------

_SPACES = [chr(c) for c in range(0x3100) if chr(c).isspace() or chr(c).strip() == ""] + [
    "x",
    "{",
    "\ufeff",
    "\x00",
    "\u200b",
]


@settings(max_examples=500)
@given(st.text(st.sampled_from(_SPACES), max_size=6))
def test_whitespace_only_test_is_strip(text: str) -> None:
    assert (not text or text.isspace()) == (not text.strip())


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", "\u3000\x1c\x85".encode(), b" {} "])
def test_whitespace_only_files(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "in.json"
    p.write_bytes(content)
    try:
        read_text(p)
        got = "ok"
    except InputError as exc:
        got = str(exc)
    want = "ok" if b"{" in content else f"{p}: file holds only whitespace, no JSON"
    assert got == want
