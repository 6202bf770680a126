"""Condition operators: one row per rule of the IAM User Guide pages "IAM JSON policy elements:
Condition operators", "Conditions with multiple context keys or values" and "Single-valued vs.
multivalued context keys" (set operators)."""

from __future__ import annotations

import pytest

from iamgraph.evaluate.conditions import evaluate_condition, parse_date
from iamgraph.model import Condition

OPS = "Condition operators"
STR, NUM, DATE, BOOL, BIN, IP, ARN, IFX, NUL = (
    OPS + ": String",
    OPS + ": Numeric",
    OPS + ": Date",
    OPS + ": Boolean",
    OPS + ": BinaryEquals",
    OPS + ": IP address",
    OPS + ": ARN",
    OPS + ": ...IfExists",
    OPS + ": Null",
)
MISSING = OPS + ": a key absent from the request context -> false; negated operators -> true"
MULTI = "Conditions with multiple context keys or values"
SET = "Single-valued vs. multivalued context keys: set operators"
VAR = "IAM policy elements: Variables and tags"

K = "aws:PrincipalTag/team"
ROWS: list[tuple[str, str, tuple[str, ...], dict[str, object], bool, str]] = [
    # StringEquals family
    ("StringEquals", K, ("red",), {K: "red"}, True, STR + ": exact, case-sensitive"),
    ("StringEquals", K, ("red",), {K: "Red"}, False, STR + ": exact, case-sensitive"),
    ("StringEquals", K, ("red", "blue"), {K: "blue"}, True, MULTI + ": values of one key are OR"),
    ("StringEquals", K, ("red",), {}, False, MISSING),
    (
        "StringEquals",
        "AWS:PRINCIPALTAG/TEAM",
        ("red",),
        {K: "red"},
        True,
        "Condition element: key names are case-insensitive",
    ),
    (
        "StringEquals",
        K,
        ("red",),
        {"aws:principaltag/team": "red"},
        True,
        "Condition element: key names are case-insensitive",
    ),
    ("StringEquals", K, ("re*",), {K: "red"}, False, STR + ": StringEquals has no wildcards"),
    ("StringNotEquals", K, ("red",), {K: "blue"}, True, STR + ": negated matching"),
    ("StringNotEquals", K, ("red",), {K: "red"}, False, STR + ": negated matching"),
    ("StringNotEquals", K, ("red", "blue"), {K: "blue"}, False, MULTI + ": negated operator values are NOR"),
    ("StringNotEquals", K, ("red", "blue"), {K: "green"}, True, MULTI + ": negated operator values are NOR"),
    ("StringNotEquals", K, ("red",), {}, True, MISSING),
    ("StringEqualsIgnoreCase", K, ("RED",), {K: "red"}, True, STR + ": ignore case"),
    ("StringEqualsIgnoreCase", K, ("RED",), {K: "blue"}, False, STR + ": ignore case"),
    ("StringNotEqualsIgnoreCase", K, ("RED",), {K: "red"}, False, STR + ": negated, ignore case"),
    ("StringNotEqualsIgnoreCase", K, ("RED",), {K: "blue"}, True, STR + ": negated, ignore case"),
    ("StringNotEqualsIgnoreCase", K, ("RED",), {}, True, MISSING),
    ("StringLike", K, ("r*",), {K: "red"}, True, STR + ": StringLike * wildcard"),
    ("StringLike", K, ("r?d",), {K: "red"}, True, STR + ": StringLike ? wildcard"),
    ("StringLike", K, ("R*",), {K: "red"}, False, STR + ": StringLike is case-sensitive"),
    ("StringLike", K, ("*",), {}, False, MISSING),
    ("StringLike", "s3:prefix", ("home/*",), {"s3:prefix": "home/a/b"}, True, STR + ": * spans /"),
    ("StringNotLike", K, ("r*",), {K: "red"}, False, STR + ": StringNotLike"),
    ("StringNotLike", K, ("r*",), {K: "blue"}, True, STR + ": StringNotLike"),
    ("StringNotLike", K, ("r*",), {}, True, MISSING + " (StringNotLike example in the docs)"),
    # Numeric
    ("NumericEquals", "s3:max-keys", ("10",), {"s3:max-keys": "10"}, True, NUM),
    (
        "NumericEquals",
        "s3:max-keys",
        ("10",),
        {"s3:max-keys": "10.0"},
        True,
        NUM + ": numeric, not textual, comparison",
    ),
    ("NumericEquals", "s3:max-keys", ("10",), {"s3:max-keys": "11"}, False, NUM),
    ("NumericNotEquals", "s3:max-keys", ("10",), {"s3:max-keys": "11"}, True, NUM),
    ("NumericNotEquals", "s3:max-keys", ("10",), {"s3:max-keys": "10"}, False, NUM),
    ("NumericNotEquals", "s3:max-keys", ("10",), {}, True, MISSING),
    ("NumericLessThan", "s3:max-keys", ("10",), {"s3:max-keys": "9"}, True, NUM),
    ("NumericLessThan", "s3:max-keys", ("10",), {"s3:max-keys": "10"}, False, NUM),
    ("NumericLessThanEquals", "s3:max-keys", ("10",), {"s3:max-keys": "10"}, True, NUM),
    ("NumericLessThanEquals", "s3:max-keys", ("10",), {"s3:max-keys": "11"}, False, NUM),
    ("NumericGreaterThan", "s3:max-keys", ("10",), {"s3:max-keys": "11"}, True, NUM),
    ("NumericGreaterThan", "s3:max-keys", ("10",), {"s3:max-keys": "10"}, False, NUM),
    ("NumericGreaterThanEquals", "s3:max-keys", ("10",), {"s3:max-keys": "10"}, True, NUM),
    ("NumericGreaterThanEquals", "s3:max-keys", ("10",), {"s3:max-keys": "9.5"}, False, NUM),
    ("NumericLessThan", "s3:max-keys", ("10",), {}, False, MISSING),
    ("NumericLessThan", "s3:max-keys", ("10",), {"s3:max-keys": "abc"}, False, NUM + ": a non-number never compares"),
    ("NumericLessThan", "s3:max-keys", ("5", "20"), {"s3:max-keys": "10"}, True, MULTI + ": values OR"),
    # Date
    (
        "DateGreaterThan",
        "aws:CurrentTime",
        ("2020-01-01T00:00:00Z",),
        {"aws:CurrentTime": "2021-06-01T12:00:00Z"},
        True,
        DATE,
    ),
    (
        "DateGreaterThan",
        "aws:CurrentTime",
        ("2020-01-01T00:00:00Z",),
        {"aws:CurrentTime": "2019-06-01T12:00:00Z"},
        False,
        DATE,
    ),
    (
        "DateLessThan",
        "aws:CurrentTime",
        ("2020-01-01",),
        {"aws:CurrentTime": "2019-12-31T23:59:59Z"},
        True,
        DATE + ": date-only ISO 8601",
    ),
    (
        "DateLessThan",
        "aws:CurrentTime",
        ("2020-01-01T00:00:00Z",),
        {"aws:CurrentTime": "1577836799"},
        True,
        DATE + ": epoch seconds",
    ),
    (
        "DateEquals",
        "aws:EpochTime",
        ("1577836800",),
        {"aws:EpochTime": "2020-01-01T00:00:00Z"},
        True,
        DATE + ": epoch and ISO compare as instants",
    ),
    (
        "DateEquals",
        "aws:CurrentTime",
        ("2020-01-01T01:00:00+01:00",),
        {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
        True,
        DATE + ": time zones",
    ),
    (
        "DateNotEquals",
        "aws:CurrentTime",
        ("2020-01-01T00:00:00Z",),
        {"aws:CurrentTime": "2020-01-02T00:00:00Z"},
        True,
        DATE,
    ),
    ("DateNotEquals", "aws:CurrentTime", ("2020-01-01T00:00:00Z",), {}, True, MISSING),
    (
        "DateLessThanEquals",
        "aws:TokenIssueTime",
        ("2020-01-01T00:00:00Z",),
        {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"},
        True,
        DATE,
    ),
    (
        "DateGreaterThanEquals",
        "aws:TokenIssueTime",
        ("2020-01-01T00:00:00Z",),
        {"aws:TokenIssueTime": "2019-01-01T00:00:00Z"},
        False,
        DATE,
    ),
    ("DateGreaterThan", "aws:CurrentTime", ("2020-01-01T00:00:00Z",), {}, False, MISSING),
    # Bool
    ("Bool", "aws:SecureTransport", ("true",), {"aws:SecureTransport": "true"}, True, BOOL),
    ("Bool", "aws:SecureTransport", ("true",), {"aws:SecureTransport": "false"}, False, BOOL),
    ("Bool", "aws:SecureTransport", ("false",), {}, False, MISSING + " (Bool false does not match an absent key)"),
    ("Bool", "aws:MultiFactorAuthPresent", ("true",), {"aws:MultiFactorAuthPresent": True}, True, BOOL + ": JSON true"),
    (
        "Bool",
        "aws:SecureTransport",
        ("True",),
        {"aws:SecureTransport": "true"},
        True,
        BOOL + ": true/false compare case-insensitively",
    ),
    # Binary
    ("BinaryEquals", "key", ("QmluYXJ5VmFsdWVJbkJhc2U2NA==",), {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, True, BIN),
    ("BinaryEquals", "key", ("QmluYXJ5VmFsdWVJbkJhc2U2NA==",), {"key": "b3RoZXI="}, False, BIN),
    ("BinaryEquals", "key", ("QmluYXJ5VmFsdWVJbkJhc2U2NA==",), {}, False, MISSING),
    # IP
    ("IpAddress", "aws:SourceIp", ("203.0.113.0/24",), {"aws:SourceIp": "203.0.113.7"}, True, IP + ": CIDR"),
    ("IpAddress", "aws:SourceIp", ("203.0.113.0/24",), {"aws:SourceIp": "198.51.100.7"}, False, IP),
    (
        "IpAddress",
        "aws:SourceIp",
        ("203.0.113.7",),
        {"aws:SourceIp": "203.0.113.7"},
        True,
        IP + ": single address = /32",
    ),
    (
        "IpAddress",
        "aws:SourceIp",
        ("2001:DB8:1234:5678::/64",),
        {"aws:SourceIp": "2001:db8:1234:5678::1"},
        True,
        IP + ": IPv6",
    ),
    (
        "IpAddress",
        "aws:SourceIp",
        ("2001:DB8:1234:5678::/64",),
        {"aws:SourceIp": "203.0.113.7"},
        False,
        IP + ": IPv4 is not in an IPv6 range",
    ),
    (
        "IpAddress",
        "aws:SourceIp",
        ("203.0.113.0/24", "2001:DB8::/32"),
        {"aws:SourceIp": "2001:db8::9"},
        True,
        MULTI + ": values OR",
    ),
    (
        "NotIpAddress",
        "aws:SourceIp",
        ("203.0.113.0/24",),
        {"aws:SourceIp": "198.51.100.7"},
        True,
        IP + ": NotIpAddress",
    ),
    (
        "NotIpAddress",
        "aws:SourceIp",
        ("203.0.113.0/24",),
        {"aws:SourceIp": "203.0.113.7"},
        False,
        IP + ": NotIpAddress",
    ),
    ("NotIpAddress", "aws:SourceIp", ("203.0.113.0/24",), {}, True, MISSING),
    ("IpAddress", "aws:SourceIp", ("203.0.113.0/24",), {}, False, MISSING),
    ("IpAddress", "aws:SourceIp", ("203.0.113.0/24",), {"aws:SourceIp": "not-an-ip"}, False, IP),
    # ARN
    ("ArnLike", "aws:SourceArn", ("arn:aws:s3:::bucket*",), {"aws:SourceArn": "arn:aws:s3:::bucket-1"}, True, ARN),
    (
        "ArnLike",
        "aws:SourceArn",
        ("arn:aws:iam::*:role/x",),
        {"aws:SourceArn": "arn:aws:iam::123456789012:role/x"},
        True,
        ARN + ": segment-wise",
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        ("arn:aws:iam::*:role/x",),
        {"aws:SourceArn": "arn:aws:iam::1:2:role/x"},
        False,
        ARN + ": * stays in its segment",
    ),
    (
        "ArnEquals",
        "aws:SourceArn",
        ("arn:aws:sns:*:123456789012:t",),
        {"aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:t"},
        True,
        ARN + ": ArnEquals also takes wildcards per segment",
    ),
    (
        "ArnEquals",
        "aws:SourceArn",
        ("arn:aws:sns:eu-west-1:123456789012:t",),
        {"aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:T"},
        False,
        ARN + ": case-sensitive",
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        ("arn:aws:lambda:*:*:function:f*",),
        {"aws:SourceArn": "arn:aws:lambda:eu-west-1:1:function:fn:alias"},
        True,
        ARN + ": the resource part keeps its colons",
    ),
    ("ArnLike", "aws:SourceArn", ("arn:aws:s3:::b",), {"aws:SourceArn": "not-an-arn"}, False, ARN),
    (
        "ArnNotLike",
        "aws:SourceArn",
        ("arn:aws:s3:::b*",),
        {"aws:SourceArn": "arn:aws:s3:::c"},
        True,
        ARN + ": ArnNotLike",
    ),
    (
        "ArnNotLike",
        "aws:SourceArn",
        ("arn:aws:s3:::b*",),
        {"aws:SourceArn": "arn:aws:s3:::b1"},
        False,
        ARN + ": ArnNotLike",
    ),
    (
        "ArnNotEquals",
        "aws:PrincipalArn",
        ("arn:aws:iam::1:role/a",),
        {},
        True,
        MISSING + " (ArnNotLike example in the docs)",
    ),
    ("ArnLike", "aws:PrincipalArn", ("arn:aws:iam::1:role/a",), {}, False, MISSING),
    # IfExists
    ("StringEqualsIfExists", "ec2:InstanceType", ("t2.micro",), {}, True, IFX + ": absent key -> true"),
    (
        "StringEqualsIfExists",
        "ec2:InstanceType",
        ("t2.micro",),
        {"ec2:InstanceType": "m5.large"},
        False,
        IFX + ": present key evaluated",
    ),
    ("StringEqualsIfExists", "ec2:InstanceType", ("t2.micro",), {"ec2:InstanceType": "t2.micro"}, True, IFX),
    ("StringNotEqualsIfExists", "ec2:InstanceType", ("t2.micro",), {}, True, IFX),
    ("StringNotEqualsIfExists", "ec2:InstanceType", ("t2.micro",), {"ec2:InstanceType": "t2.micro"}, False, IFX),
    (
        "BoolIfExists",
        "aws:MultiFactorAuthPresent",
        ("false",),
        {},
        True,
        IFX + ": BoolIfExists false matches long-term keys (no MFA key)",
    ),
    ("BoolIfExists", "aws:MultiFactorAuthPresent", ("false",), {"aws:MultiFactorAuthPresent": "true"}, False, IFX),
    ("NumericLessThanIfExists", "s3:max-keys", ("10",), {}, True, IFX),
    ("IpAddressIfExists", "aws:SourceIp", ("10.0.0.0/8",), {}, True, IFX),
    ("ArnLikeIfExists", "aws:SourceArn", ("arn:aws:s3:::b",), {}, True, IFX),
    ("DateLessThanIfExists", "aws:CurrentTime", ("2020-01-01",), {"aws:CurrentTime": "2021-01-01"}, False, IFX),
    # Null
    ("Null", "aws:TokenIssueTime", ("true",), {}, True, NUL + ": true = key absent"),
    ("Null", "aws:TokenIssueTime", ("true",), {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, False, NUL),
    (
        "Null",
        "aws:TokenIssueTime",
        ("false",),
        {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"},
        True,
        NUL + ": false = key present",
    ),
    ("Null", "aws:TokenIssueTime", ("false",), {}, False, NUL),
    ("Null", "aws:TagKeys", ("true",), {"aws:TagKeys": []}, True, NUL + ": an empty set is no value"),
    # set operators
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        ("a", "b"),
        {"aws:TagKeys": ["a"]},
        True,
        SET + ": ForAllValues, every value in the policy set",
    ),
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        ("a", "b"),
        {"aws:TagKeys": ["a", "c"]},
        False,
        SET + ": ForAllValues",
    ),
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        ("a", "b"),
        {},
        True,
        SET + ": ForAllValues returns true when the key is absent",
    ),
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        ("a", "b"),
        {"aws:TagKeys": []},
        True,
        SET + ": ForAllValues on an empty set is true",
    ),
    (
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        ("a", "b"),
        {"aws:TagKeys": ["c", "b"]},
        True,
        SET + ": ForAnyValue, at least one value",
    ),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ("a", "b"), {"aws:TagKeys": ["c"]}, False, SET + ": ForAnyValue"),
    (
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        ("a", "b"),
        {},
        False,
        SET + ": ForAnyValue returns false when the key is absent",
    ),
    (
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        ("a",),
        {"aws:TagKeys": []},
        False,
        SET + ": ForAnyValue on an empty set is false",
    ),
    (
        "ForAllValues:StringLike",
        "aws:TagKeys",
        ("Created*",),
        {"aws:TagKeys": ["CreatedBy", "CreatedAt"]},
        True,
        SET + ": with StringLike",
    ),
    ("ForAllValues:StringLike", "aws:TagKeys", ("Created*",), {"aws:TagKeys": ["CreatedBy", "Owner"]}, False, SET),
    ("ForAnyValue:StringLike", "aws:TagKeys", ("key*",), {"aws:TagKeys": ["other", "key1"]}, True, SET),
    (
        "ForAllValues:StringNotEquals",
        "aws:TagKeys",
        ("secret",),
        {"aws:TagKeys": ["a", "b"]},
        True,
        SET + ": every value differs",
    ),
    ("ForAllValues:StringNotEquals", "aws:TagKeys", ("secret",), {"aws:TagKeys": ["a", "secret"]}, False, SET),
    (
        "ForAnyValue:StringNotEquals",
        "aws:TagKeys",
        ("secret",),
        {"aws:TagKeys": ["a", "secret"]},
        True,
        SET + ": some value differs",
    ),
    ("ForAnyValue:StringNotEquals", "aws:TagKeys", ("secret",), {"aws:TagKeys": ["secret"]}, False, SET),
    (
        "ForAnyValue:StringNotEquals",
        "aws:TagKeys",
        ("secret",),
        {},
        False,
        SET + ": ForAnyValue on an absent key is false",
    ),
    ("ForAllValues:StringNotLike", "aws:TagKeys", ("sec*",), {}, True, SET + ": ForAllValues on an absent key is true"),
    ("ForAnyValue:StringEquals", K, ("red",), {K: "red"}, True, SET + ": a single value is a set of one"),
    ("ForAllValues:StringEqualsIfExists", "aws:TagKeys", ("a",), {}, True, SET),
    ("ForAnyValue:StringEqualsIgnoreCase", "aws:TagKeys", ("A",), {"aws:TagKeys": ["x", "a"]}, True, SET),
    (
        "ForAllValues:ArnLike",
        "aws:CalledVia",
        ("arn:aws:s3:::*",),
        {"aws:CalledVia": ["arn:aws:s3:::a", "arn:aws:s3:::b"]},
        True,
        SET,
    ),
    ("ForAnyValue:NumericGreaterThan", "k", ("5",), {"k": ["1", "9"]}, True, SET),
    # multi-valued key without a qualifier
    (
        "StringEquals",
        "aws:TagKeys",
        ("a",),
        {"aws:TagKeys": ["b", "a"]},
        False,
        "Multivalued key without a set operator never matches: 'Multivalued context keys require a condition set operator' (Single-valued vs. multivalued context keys)",
    ),
    (
        "StringNotEquals",
        "aws:TagKeys",
        ("a",),
        {"aws:TagKeys": ["b", "c"]},
        False,
        "Multivalued key without a set operator never matches, negated or not (Single-valued vs. multivalued context keys)",
    ),
    (
        "StringEqualsIfExists",
        "aws:TagKeys",
        ("a",),
        {"aws:TagKeys": ["a"]},
        False,
        "A key of multivalued type with one value still needs a set operator; IfExists does not help a present key",
    ),
    ("StringEquals", "k", ("a",), {"k": ["a"]}, True, "A one-element list for a single-valued key is that value"),
    # unknown operator
    (
        "StringEqualz",
        K,
        ("red",),
        {K: "red"},
        False,
        "Unknown operator: the condition never matches (documented choice)",
    ),
    ("NullIfExists", K, ("true",), {}, False, "Unknown operator: Null takes no IfExists (documented choice)"),
    (
        "StringEquals",
        K,
        ("${aws:username}",),
        {K: "bob", "aws:username": "bob"},
        True,
        VAR + ": variables in condition values",
    ),
    ("StringEquals", K, ("${aws:username}",), {K: "bob"}, False, VAR + ": variable without value matches nothing"),
    # updated by the docs audit: "not present ... any attempt to match it fails and causes the statement to be invalid"
    (
        "StringNotEquals",
        K,
        ("${aws:username}",),
        {K: "bob"},
        False,
        VAR + ": principal key values: an absent variable makes any match attempt fail (negated too)",
    ),
    ("StringEquals", K, ("${aws:username, 'bob'}",), {K: "bob"}, True, VAR + ": default value"),
    (
        "StringLike",
        K,
        ("${aws:username}-*",),
        {K: "bob-1", "aws:username": "bob"},
        True,
        VAR + ": variable inside a StringLike pattern",
    ),
    ("StringLike", K, ("${*}",), {K: "anything"}, False, VAR + ": ${*} is a literal asterisk"),
    ("StringLike", K, ("${*}",), {K: "*"}, True, VAR + ": ${*} is a literal asterisk"),
    (
        "ArnEquals",
        "aws:SourceArn",
        ("arn:aws:iam::111122223333:user/${aws:username}",),
        {"aws:SourceArn": "arn:aws:iam::111122223333:user/bob", "aws:username": "bob"},
        True,
        VAR + ": variables in ARN operators",
    ),
    ("NumericEquals", "k", ("${x}",), {"k": "1", "x": "1"}, False, VAR + ": numeric operators take no variables"),
    (
        "StringEquals",
        K,
        ("${aws:TagKeys}",),
        {K: "a", "aws:TagKeys": ["a", "b"]},
        False,
        VAR + ": multivalued keys cannot be variables",
    ),
]


@pytest.mark.parametrize("op,key,values,context,expected,doc", ROWS)
def test_condition(
    op: str, key: str, values: tuple[str, ...], context: dict[str, object], expected: bool, doc: str
) -> None:
    assert evaluate_condition(Condition(op, key, values), context) is expected, doc


def test_2008_version_keeps_variables_literal() -> None:
    c = Condition("StringEquals", K, ("${aws:username}",))
    assert evaluate_condition(c, {K: "${aws:username}", "aws:username": "bob"}, variables_enabled=False) is True
    assert evaluate_condition(c, {K: "bob", "aws:username": "bob"}, variables_enabled=False) is False


@pytest.mark.parametrize(
    "op",
    [
        "StringEquals",
        "StringNotEquals",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringLike",
        "Null",
        "BoolIfExists",
        "IpAddress",
        "NotIpAddress",
        "ArnNotLike",
    ],
)
def test_unknown_key_is_unknown(op: str) -> None:
    c = Condition(op, "aws:SourceIp", ("10.0.0.0/8",))
    assert evaluate_condition(c, {}, unknown_keys=["aws:sourceip"]) is None
    assert evaluate_condition(c, {}, open_world=True) is None
    assert evaluate_condition(c, {"aws:SourceIp": "10.1.2.3"}, open_world=True) is not None


def test_unknown_variable_in_value_is_unknown() -> None:
    c = Condition("StringEquals", K, ("${aws:username}",))
    assert evaluate_condition(c, {K: "bob"}, unknown_keys=["aws:username"]) is None


def test_parse_date_forms() -> None:
    assert parse_date("2020-01-01T00:00:00Z") == parse_date("1577836800") == parse_date("2020-01-01")
    assert parse_date("2020-01-01T00:00:00.500Z") == 1577836800.5
