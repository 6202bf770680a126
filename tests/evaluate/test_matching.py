"""Action / Resource / Principal matching, each row citing the IAM User Guide rule it encodes."""

from __future__ import annotations

import pytest

from iamgraph.evaluate.matching import (
    Caller,
    PrincipalMatch,
    action_matches,
    match_principal,
    resource_matches,
)
from iamgraph.evaluate.variables import UNKNOWN
from iamgraph.model import Principal

ACT = "IAM JSON policy elements: Action"
RES = "IAM JSON policy elements: Resource (Using wildcards in resource ARNs)"
VAR = "IAM policy elements: Variables and tags"
PRI = "AWS JSON policy elements: Principal"

ACTION_ROWS = [
    # (pattern, action, expected, doc)
    ("s3:GetObject", "s3:GetObject", True, ACT + ": exact name"),
    ("s3:getobject", "S3:GETOBJECT", True, ACT + ": action names are case-insensitive"),
    ("S3:Get*", "s3:getobjectacl", True, ACT + ": * wildcard, case-insensitive"),
    ("s3:*", "s3:PutObject", True, ACT + ": service-wide wildcard"),
    ("*", "iam:CreateUser", True, ACT + ": * matches every action"),
    ("s3:*", "s3express:CreateSession", False, ACT + ": the prefix is a whole service name"),
    ("s3:Get?bject", "s3:GetObject", True, ACT + ": ? matches one character"),
    ("s3:Get?bject", "s3:GetObbject", False, ACT + ": ? matches exactly one character"),
    ("iam:*AccessKey*", "iam:CreateAccessKey", True, ACT + ": several wildcards"),
    ("iam:*AccessKey*", "iam:ListAccessKeys", True, ACT + ": several wildcards"),
    ("iam:*AccessKey*", "iam:CreateUser", False, ACT + ": several wildcards"),
    ("ec2:Describe*", "ec2:RunInstances", False, ACT + ": prefix wildcard"),
    ("s3:GetObject", "s3:GetObjectAcl", False, ACT + ": no implicit prefix match"),
    ("s3:Get*", "s3:Get", True, ACT + ": * matches the empty string"),
    ("s3:?", "s3:", False, ACT + ": ? needs a character"),
]


@pytest.mark.parametrize("pattern,action,expected,doc", ACTION_ROWS)
def test_action_matches(pattern: str, action: str, expected: bool, doc: str) -> None:
    assert action_matches(pattern, action) is expected, doc


RESOURCE_ROWS = [
    ("*", "arn:aws:s3:::b/k", True, RES + ": * alone matches every resource"),
    ("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", True, RES + ": * expands across /"),
    ("arn:aws:s3:::b/*", "arn:aws:s3:::B/k", False, RES + ": resource matching is case-sensitive"),
    (
        "arn:aws:iam::111122223333:user/Bob",
        "arn:aws:iam::111122223333:user/bob",
        False,
        RES + ": IAM user name is case sensitive",
    ),
    ("arn:aws:s3:::b", "arn:aws:s3:::b/k", False, RES + ": bucket ARN does not cover its objects"),
    ("arn:aws:iam::*:role/x", "arn:aws:iam::444455556666:role/x", True, RES + ": * within a segment"),
    (
        "arn:aws:iam::111122223333:user/accounting/*",
        "arn:aws:iam::111122223333:user/accounting/ann",
        True,
        RES + ": path wildcard",
    ),
    (
        "arn:aws:iam::111122223333:user/accounting/*",
        "arn:aws:iam::111122223333:user/sales/ann",
        False,
        RES + ": path wildcard",
    ),
    ("arn:aws:s3:::b/file?.txt", "arn:aws:s3:::b/file1.txt", True, RES + ": ? one character"),
    ("arn:aws:s3:::b/file?.txt", "arn:aws:s3:::b/file12.txt", False, RES + ": ? one character"),
    ("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:eu-west-1:111122223333:instance/i-1", True, RES + ": several segments"),
    (
        "arn:aws:ec2:us-*:*:instance/*",
        "arn:aws:ec2:eu-west-1:111122223333:instance/i-1",
        False,
        RES + ": region segment",
    ),
    (
        "arn:aws:sqs:*",
        "arn:aws:sqs:eu-west-1:111122223333:q",
        True,
        RES + ": a * that ends a segment expands across colons",
    ),
    (
        "arn:aws:lambda:eu-west-1:1:function:a*b",
        "arn:aws:lambda:eu-west-1:1:function:a:x:b",
        False,
        RES + ": a * inside a segment stays within the segment",
    ),
    (
        "arn:aws:lambda:eu-west-1:1:function:fn*",
        "arn:aws:lambda:eu-west-1:1:function:fn:prod",
        True,
        RES + ": trailing * expands beyond the colon (qualified function ARN)",
    ),
    ("arn:aws:s3:::b/k", "arn:aws:s3:::b/k", True, RES + ": exact ARN"),
    ("arn:aws:s3:::b/k", "*", False, RES + ": a specific ARN does not match the * resource"),
]


@pytest.mark.parametrize("pattern,resource,expected,doc", RESOURCE_ROWS)
def test_resource_matches(pattern: str, resource: str, expected: bool, doc: str) -> None:
    assert resource_matches(pattern, resource) is expected, doc


def _vars(d: dict[str, object]):  # type: ignore[no-untyped-def]
    return lambda k: d.get(k)


VARIABLE_ROWS = [
    (
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3:::b/bob/x",
        {"aws:username": "bob"},
        True,
        VAR + ": ${aws:username} substituted",
    ),
    (
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3:::b/eve/x",
        {"aws:username": "bob"},
        False,
        VAR + ": substituted value must match",
    ),
    (
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3:::b/bob/x",
        {},
        False,
        VAR + ": no value and no default -> no match",
    ),
    (
        "arn:aws:s3:::b/${aws:username, 'shared'}/*",
        "arn:aws:s3:::b/shared/x",
        {},
        True,
        VAR + ": Specifying default values",
    ),
    (
        "arn:aws:s3:::b/${aws:username, 'shared'}/*",
        "arn:aws:s3:::b/bob/x",
        {"aws:username": "bob"},
        True,
        VAR + ": default unused when value present",
    ),
    ("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", {}, True, VAR + ": ${*} is a literal asterisk"),
    ("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/anything", {}, False, VAR + ": ${*} is not a wildcard"),
    ("arn:aws:s3:::b/${?}", "arn:aws:s3:::b/?", {}, True, VAR + ": ${?} is a literal question mark"),
    ("arn:aws:s3:::b/${$}x", "arn:aws:s3:::b/$x", {}, True, VAR + ": ${$} is a literal dollar"),
    (
        "arn:aws:s3:::b/${aws:PrincipalTag/team}/*",
        "arn:aws:s3:::b/red/k",
        {"aws:principaltag/team": "red"},
        True,
        VAR + ": tags as policy variables",
    ),
    (
        "arn:aws:s3:::b/${aws:username}",
        "arn:aws:s3:::b/a*",
        {"aws:username": "a*"},
        True,
        VAR + ": a substituted value is literal text",
    ),
    (
        "arn:aws:s3:::b/${aws:username}",
        "arn:aws:s3:::b/abc",
        {"aws:username": "a*"},
        False,
        VAR + ": a substituted * is not a wildcard",
    ),
]


@pytest.mark.parametrize("pattern,resource,values,expected,doc", VARIABLE_ROWS)
def test_resource_variables(pattern: str, resource: str, values: dict[str, object], expected: bool, doc: str) -> None:
    assert resource_matches(pattern, resource, _vars(values)) is expected, doc


def test_unknown_variable_is_not_a_match_but_not_a_miss_either() -> None:
    from iamgraph.evaluate.matching import resource_matches_tri

    ok, key = resource_matches_tri("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/x/y", lambda k: UNKNOWN)
    assert ok is None and key == "aws:username"


def test_variables_literal_without_lookup() -> None:
    # 2008-10-17 grammar: ${...} is literal text (lookup None)
    assert resource_matches("arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::b/${aws:username}")
    assert not resource_matches("arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::b/bob")


U = "arn:aws:iam::111122223333:user/bob"
R = "arn:aws:iam::111122223333:role/app"
S = "arn:aws:sts::111122223333:assumed-role/app/sess"
F = "arn:aws:sts::111122223333:federated-user/bob"

PRINCIPAL_ROWS = [
    (Principal(wildcard=True), U, PrincipalMatch.EXACT, PRI + ": * is everyone"),
    (Principal(aws=("*",)), U, PrincipalMatch.EXACT, PRI + ": {AWS: *} is every AWS principal"),
    (Principal(aws=(U,)), U, PrincipalMatch.EXACT, PRI + ": IAM user ARN"),
    (Principal(aws=("arn:aws:iam::111122223333:user/eve",)), U, PrincipalMatch.NONE, PRI + ": other user"),
    (Principal(aws=("111122223333",)), U, PrincipalMatch.ACCOUNT, PRI + ": account id = account root"),
    (Principal(aws=("arn:aws:iam::111122223333:root",)), U, PrincipalMatch.ACCOUNT, PRI + ": account root ARN"),
    (Principal(aws=("arn:aws:iam::444455556666:root",)), U, PrincipalMatch.NONE, PRI + ": other account"),
    (Principal(aws=(R,)), S, PrincipalMatch.PARENT, PRI + ": role ARN covers its assumed-role sessions"),
    (
        Principal(aws=("arn:aws:iam::111122223333:role/path/app",)),
        S,
        PrincipalMatch.PARENT,
        PRI + ": session ARNs omit the role path",
    ),
    (Principal(aws=(S,)), S, PrincipalMatch.EXACT, PRI + ": assumed-role session ARN"),
    (
        Principal(aws=("arn:aws:sts::111122223333:assumed-role/app/other",)),
        S,
        PrincipalMatch.NONE,
        PRI + ": other session",
    ),
    (Principal(aws=(R,)), R, PrincipalMatch.PARENT, PRI + ": a grant to the role ARN is limited like a role grant"),
    (Principal(aws=("arn:aws:iam::111122223333:role/other",)), S, PrincipalMatch.NONE, PRI + ": other role"),
    (Principal(aws=(U,)), F, PrincipalMatch.PARENT, PRI + ": federated user session via its IAM user"),
    (
        Principal(service=("lambda.amazonaws.com",)),
        "lambda.amazonaws.com",
        PrincipalMatch.EXACT,
        PRI + ": service principal",
    ),
    (Principal(service=("lambda.amazonaws.com",)), U, PrincipalMatch.NONE, PRI + ": service principal is not a user"),
    (
        Principal(aws=("arn:aws:iam::111122223333:user/*",)),
        U,
        PrincipalMatch.NONE,
        PRI + ": no wildcards in principal ARNs",
    ),
    (
        Principal(federated=("arn:aws:iam::111122223333:saml-provider/idp",)),
        "arn:aws:iam::111122223333:saml-provider/idp",
        PrincipalMatch.EXACT,
        PRI + ": federated principal",
    ),
]


@pytest.mark.parametrize("p,caller,expected,doc", PRINCIPAL_ROWS)
def test_principal_match(p: Principal, caller: str, expected: PrincipalMatch, doc: str) -> None:
    assert match_principal(p, Caller(caller)) is expected, doc
