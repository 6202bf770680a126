"""The loader's document fast paths give what the plain parse gives: SnapshotParts.document builds a
document whose statements are all cached at their index without calling parse_policy_document,
parse_statement reads its elements without a closure and builds the Statement positionally, and
gaad._plain_iam_arn tests an ARN with one regex match instead of a split."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from model_fields import ACCOUNTS, fields_of

from iamgraph.collect import assemble
from iamgraph.collect.assemble import SnapshotParts
from iamgraph.collect.files import read_json
from iamgraph.collect.gaad import _plain_iam_arn
from iamgraph.collect.limits import MAX_ARN_CHARS
from iamgraph.collect.policy_parse import (
    _EFFECTS,
    _STATEMENT_KEYS,
    _check_unknown_depth,
    _str_list,
    decode_document,
    parse_conditions,
    parse_policy_document,
    parse_principal,
    parse_statement,
    raw_key,
    raw_keys,
)
from iamgraph.errors import InputError
from iamgraph.model import Condition, Statement


def _fields(x: Any) -> Any:
    """Every field of a model value (model_fields.fields_of), a document's memo left out: the evaluator's."""
    return fields_of(x, frozenset({"memo"}))


def _documents(page: Any) -> list[Any]:
    """Every policy document of a GAAD page, in the order the reader meets them."""
    out = []
    for u in page.get("UserDetailList") or ():
        out += [p["PolicyDocument"] for p in u.get("UserPolicyList") or ()]
    for g in page.get("GroupDetailList") or ():
        out += [p["PolicyDocument"] for p in g.get("GroupPolicyList") or ()]
    for r in page.get("RoleDetailList") or ():
        out.append(r["AssumeRolePolicyDocument"])
        out += [p["PolicyDocument"] for p in r.get("RolePolicyList") or ()]
    for p in page.get("Policies") or ():
        out += [v["Document"] for v in p.get("PolicyVersionList") or ()]
    return out


@pytest.mark.parametrize("account_file", ACCOUNTS, indirect=True)
def test_cached_documents_of_the_accounts_equal_their_plain_parse(account_file: str) -> None:
    obj = read_json(account_file)
    pages = [p for p in (obj if isinstance(obj, list) else [obj]) if isinstance(p, dict)]
    parts = SnapshotParts()
    docs = [d for page in pages for d in _documents(page)]
    assert docs or "format" in pages[0]
    for raw in docs:
        got = parts.document(raw, file="in.json", path="$")
        assert _fields(got) == _fields(parse_policy_document(raw, file="in.json", path="$"))


def test_documents_whose_statements_are_cached_at_other_indexes_or_partly(monkeypatch: pytest.MonkeyPatch) -> None:
    a = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    b = {"Effect": "Deny", "NotAction": ["iam:*"], "NotResource": "*", "Condition": {"Bool": {"aws:X": True}}}
    c = {"Sid": 7, "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    docs: list[Any] = [
        {"Version": "2012-10-17", "Statement": [a, b]},
        {"Version": "2008-10-17", "Statement": [a, b]},  # all cached at their index
        {"Version": "2012-10-17", "Statement": [b, a]},  # cached at other indexes
        {"Version": "2012-10-17", "Statement": [a, c]},  # partly cached
        {"Version": "2012-10-17", "Statement": [b, a, c]},
        {"Version": "2012-10-17", "Statement": []},
        {"Version": "2012-10-17", "Statement": [a, {"Effect": "Allow"}]},  # an error after a cached one
    ]
    parsed: list[Any] = []  # statements document() parses itself (not from the statement cache)

    def counted(raw: Any, index: int, **kw: Any) -> Any:
        parsed.append(raw)
        return parse_statement(raw, index, **kw)

    def unused(raw: Any, **kw: Any) -> Any:
        raise AssertionError("documents of this shape are parsed by document() itself")

    monkeypatch.setattr(assemble, "parse_statement", counted)
    monkeypatch.setattr(assemble, "parse_policy_document", unused)
    parts = SnapshotParts()
    for raw in docs:
        try:
            want: Any = _fields(parse_policy_document(raw, file="in.json", path="$.D"))
        except InputError as exc:
            want = str(exc)
        try:
            doc = parts.document(raw, file="in.json", path="$.D")
            got: Any = _fields(doc)
            assert doc.raw is raw or any(d is doc.raw for d in docs[: docs.index(raw)])  # the first one seen
        except InputError as exc:
            got = str(exc)
        assert got == want
    # a and b (document 0), c (document 3), the bad one (document 6); the others from the cache
    assert [id(x) for x in parsed] == [id(a), id(b), id(c), id(docs[6]["Statement"][1])]


# ---- parse_statement against the closure-and-keywords version it replaced --------------------


def _ref_parse_statement(raw: Any, index: int, *, file: str | None, path: str) -> Statement:
    if not isinstance(raw, dict):
        raise InputError("statement must be an object", file=file, path=path)
    keys = {k.lower(): k for k in raw}
    if "effect" not in keys:
        raise InputError("statement has no Effect", file=file, path=path)
    if len(keys) != len(raw):
        dup = next(k for k in raw if keys[k.lower()] != k)
        raise InputError(
            f"element {dup!r} appears twice with different case (as {keys[dup.lower()]!r}): "
            "which one AWS applies is undefined",
            file=file,
            path=path,
        )
    if not _STATEMENT_KEYS.issuperset(keys):  # no case duplicates: the test _check_unknown_depth starts with
        _check_unknown_depth(raw, _STATEMENT_KEYS, file=file, path=path)
    eff = raw[keys["effect"]]
    if eff not in ("Allow", "Deny"):
        raise InputError(f"Effect must be Allow or Deny, not {eff!r}", file=file, path=f"{path}.Effect")
    sid = raw.get(keys.get("sid", "Sid"))
    if sid is not None and not isinstance(sid, str):
        sid = str(sid)

    def get(name: str) -> tuple[str, ...] | None:
        k = keys.get(name.lower())
        if k is None:
            return None
        return _str_list(raw[k], file=file, path=f"{path}.{k}", what=k)

    actions, not_actions = get("Action"), get("NotAction")
    if (actions is None) == (not_actions is None):
        raise InputError("statement needs exactly one of Action or NotAction", file=file, path=path)
    resources, not_resources = get("Resource"), get("NotResource")
    if resources is not None and not_resources is not None:
        raise InputError("statement has both Resource and NotResource", file=file, path=path)
    principal = not_principal = None
    if "principal" in keys:
        principal = parse_principal(raw[keys["principal"]], file=file, path=f"{path}.{keys['principal']}")
    if "notprincipal" in keys:
        not_principal = parse_principal(raw[keys["notprincipal"]], file=file, path=f"{path}.{keys['notprincipal']}")
    conditions: tuple[Condition, ...] = ()
    if "condition" in keys:
        conditions = parse_conditions(raw[keys["condition"]], file=file, path=f"{path}.{keys['condition']}")
    return Statement(
        effect=_EFFECTS[eff],
        index=index,
        sid=sid,
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        principal=principal,
        not_principal=not_principal,
        conditions=conditions,
    )


_KEYS = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]
_VALUES: dict[str, list[Any]] = {
    "sid": ["s", 1, None, ""],
    "effect": ["Allow", "Deny", "allow", 1, None],
    "action": ["s3:*", ["s3:GetObject", "iam:PassRole"], [], 1, [1], "é", "\ud800", "x" * 70000],
    "resource": ["*", ["arn:aws:s3:::b/*"], [], None, {"a": 1}],
    "principal": ["*", {"AWS": "arn:aws:iam::111122223333:root"}, {"Service": ["ec2.amazonaws.com"]}, {"Bad": "x"}, 1],
    "condition": [
        {"StringEquals": {"aws:x": "1"}},
        {"Bool": {"aws:y": [True, 1, 1.5]}},
        {"Op": 1},
        [],
        {"Op": {"k": [{}]}},
    ],
}


def _value(key: str) -> st.SearchStrategy[Any]:
    base = key.lower().removeprefix("not")
    return st.sampled_from(_VALUES.get(base, _VALUES["action"]))


_STATEMENTS = st.lists(
    st.tuples(st.sampled_from(_KEYS), st.sampled_from(["as is", "lower", "upper"])), max_size=6, unique_by=lambda t: t
).flatmap(
    lambda ks: st.tuples(*[_value(k).map(lambda v, k=k, case=case: (k, case, v)) for k, case in ks]).map(
        lambda items: {(k if c == "as is" else k.lower() if c == "lower" else k.upper()): v for k, c, v in items}
    )
)
_STATEMENTS = st.one_of(
    _STATEMENTS, st.sampled_from([1, "x", [], None, {"Effect": "Allow", "Action": "*", "Extra": [[[1]]]}])
)


def _outcome(parse: Any, raw: Any, index: int) -> Any:
    try:
        return _fields(parse(raw, index, file="in.json", path="$.S"))
    except InputError as exc:
        return str(exc)


@settings(max_examples=500)
@given(_STATEMENTS, st.integers(0, 3))
def test_parse_statement_equals_the_version_it_replaced(raw: Any, index: int) -> None:
    assert _outcome(parse_statement, raw, index) == _outcome(_ref_parse_statement, raw, index)


@pytest.mark.parametrize("account_file", ACCOUNTS, indirect=True)
def test_statements_of_the_accounts_parse_as_before(account_file: str) -> None:
    obj = read_json(account_file)
    pages = [p for p in (obj if isinstance(obj, list) else [obj]) if isinstance(p, dict)]
    for raw_doc in (d for page in pages for d in _documents(page)):
        doc = decode_document(raw_doc, file="in.json", path="$")
        stmts = doc.get("Statement")
        for i, s in enumerate(stmts if isinstance(stmts, list) else [stmts]):
            assert _outcome(parse_statement, s, i) == _outcome(_ref_parse_statement, s, i)


# ---- _plain_iam_arn: one regex match, as the split it replaced ------------------------------


def _split_plain_iam_arn(v: Any, prefix: str, aws_owned: bool) -> bool:
    """The split-based test _plain_iam_arn was before."""
    if v.__class__ is not str or len(v) > MAX_ARN_CHARS or not v.isascii():
        return False
    p = v.split(":", 5)
    return (
        len(p) == 6
        and p[0] == "arn"
        and p[1] != ""
        and p[2] == "iam"
        and p[5].startswith(prefix)
        and ((len(p[4]) == 12 and p[4].isdigit()) or (aws_owned and p[4] == "aws"))
    )


_ARN_SEGMENTS = st.sampled_from(
    [
        "arn",
        "Arn",
        "AWS",
        "aws",
        "",
        "iam",
        "s3",
        "eu-west-1",
        "111122223333",
        "11112222333",
        "1111222233334",
        "٣" * 12,
        "é",
        "role/x",
        "user/x",
        "policy/x",
        "group/x",
        "other/x",
        "rolex",
        "x/y",
    ]
)
_SHAPED_ARNS = st.tuples(
    st.sampled_from(["arn", "Arn", ""]),
    st.sampled_from(["aws", "", "aws-cn"]),
    st.sampled_from(["iam", "IAM", "s3"]),
    st.sampled_from(["", "eu-west-1"]),
    st.sampled_from(["111122223333", "11112222333", "1111222233334", "aws", "AWS", "٣" * 12, ""]),
    st.sampled_from(["role/x", "user/x", "policy/x", "group/x", "other/x", "rolex", "role/x:y", "role/é"]),
).map(":".join)
_ARNS = st.one_of(
    _SHAPED_ARNS,
    st.lists(_ARN_SEGMENTS, min_size=3, max_size=8).map(":".join),
    st.sampled_from(["arn:aws:iam::111122223333:role/" + "x" * 2100, 1, None, b"arn"]),
)


@settings(max_examples=1000)
@given(_ARNS, st.sampled_from(["user/", "group/", "role/", "policy/", "other/"]), st.booleans())
def test_plain_iam_arn_equals_the_split_test(v: Any, prefix: str, aws_owned: bool) -> None:
    assert _plain_iam_arn(v, prefix, aws_owned) == _split_plain_iam_arn(v, prefix, aws_owned)


@pytest.mark.parametrize(
    "v",
    [
        "arn:aws:iam::111122223333:role/r",
        "arn:aws-cn:iam:eu-west-1:111122223333:role/p/r",
        "arn:aws:iam::aws:role/r",
        "arn:aws:iam::1111222233334:role/r",
        "arn:aws:iam::111122223333:role",
        "arn::iam::111122223333:role/r",
        "arn:aws:iam:a:b:111122223333:role/r",
        "arn:aws:iam::111122223333:role/r:x",
        "xarn:aws:iam::111122223333:role/r",
        "arn:aws:iam::11112222333٣:role/r",
        "arn:aws:iam::11112222333:role/r",
        "arn:aws:iam:111122223333:role/r",
        "arn:aws:iam:::111122223333:role/r",
    ],
)
def test_plain_iam_arn_cases(v: str) -> None:
    for aws_owned in (False, True):
        assert _plain_iam_arn(v, "role/", aws_owned) == _split_plain_iam_arn(v, "role/", aws_owned)


# ---- repeated_document: a whole-document key in front of document() ---------------------------


class _Str(str):
    pass


def _trust(principal: Any, version: Any = "2012-10-17", **extra: Any) -> dict[str, Any]:
    return {
        "Version": version,
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra}],
    }


_REPEATS: list[Any] = [
    _trust({"Service": "ec2.amazonaws.com"}),
    _trust({"Service": "ec2.amazonaws.com"}),
    _trust({"Service": "ec2.amazonaws.com"}, version="2008-10-17"),  # the Version counts
    {"Statement": _trust({"Service": "ec2.amazonaws.com"})["Statement"], "Version": "2012-10-17"},  # key order
    _trust({"Service": "lambda.amazonaws.com"}),
    _trust({"AWS": "*"}, Condition={"NumericEquals": {"aws:x": 1}}),
    _trust({"AWS": "*"}, Condition={"NumericEquals": {"aws:x": 1.0}}),  # 1 and 1.0 differ
    _trust({"AWS": "*"}, Condition={"Bool": {"aws:x": True}}),
    _trust({"AWS": "*"}, Condition={"NumericEquals": {"aws:x": 1}}),
    _trust({"AWS": _Str("*")}),  # marshal cannot key it
    _trust({"AWS": _Str("*")}),
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]},  # an error, twice
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]},
    json.dumps(_trust({"Service": "ec2.amazonaws.com"})),  # as text
    json.dumps(_trust({"Service": "ec2.amazonaws.com"})),
    {"Id": "x", "Version": "2012-10-17", "Statement": []},
    {"Id": "x", "Version": "2012-10-17", "Statement": []},
    _trust({"Service": "lambda.amazonaws.com"}),
]


def _sequence(read: Any) -> list[Any]:
    """Each document's fields (or error) and which earlier result it is the same object as."""
    out, seen = [], []
    for raw in _REPEATS:
        try:
            doc = read(raw, file="in.json", path="$.R")
        except InputError as exc:
            out.append(str(exc))
            continue
        same = next((i for i, d in enumerate(seen) if d is doc), None)
        seen.append(doc)
        out.append((_fields(doc), same))
    return out


def test_repeated_document_is_document() -> None:
    assert _sequence(SnapshotParts().repeated_document) == _sequence(SnapshotParts().document)


@pytest.mark.parametrize("account_file", ACCOUNTS, indirect=True)
def test_trust_documents_of_the_accounts_read_as_by_document(account_file: str) -> None:
    obj = read_json(account_file)
    pages = [p for p in (obj if isinstance(obj, list) else [obj]) if isinstance(p, dict)]
    trusts = [r["AssumeRolePolicyDocument"] for p in pages for r in p.get("RoleDetailList") or ()]
    a, b = SnapshotParts(), SnapshotParts()
    got = [a.repeated_document(t, file="in.json", path="$") for t in trusts]
    want = [b.document(t, file="in.json", path="$") for t in trusts]
    assert [_fields(d) for d in got] == [_fields(d) for d in want]
    assert [got.index(d) for d in got] == [want.index(d) for d in want]  # the same sharing


def test_repeated_document_shares_with_document() -> None:
    """An inline document and an equal trust document are one PolicyDocument, as with document()."""
    parts = SnapshotParts()
    inline = parts.document(_trust({"Service": "ec2.amazonaws.com"}), file="in.json", path="$.I")
    assert parts.repeated_document(_trust({"Service": "ec2.amazonaws.com"}), file="in.json", path="$.T") is inline
    trust = parts.repeated_document(_trust({"Service": "lambda.amazonaws.com"}), file="in.json", path="$.T")
    assert parts.document(_trust({"Service": "lambda.amazonaws.com"}), file="in.json", path="$.I") is trust


def test_raw_key_is_raw_keys_of_one_value() -> None:
    for v in [1, 1.0, True, "1", [1], {"a": 1}, {"b": [1, {"c": None}]}, _Str("x"), {"a": _Str("x")}, object()]:
        keys = raw_keys((v,))
        assert raw_key(v) == (None if keys is None else keys[0])
