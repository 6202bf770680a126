"""AWS's special rules (issue 10 §3), each row citing the page that decides it, run through the
batch interface `iamgraph simulate --batch` reads (`run_line`) and through `evaluate()`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_docs_audit import via_evaluate

from iamgraph.simulate.batch import run_line

A, XD, ID = "Allowed", "ExplicitlyDenied", "ImplicitlyDenied"
ACCT = "111122223333"
USER = f"arn:aws:iam::{ACCT}:user/bob"
ROLE = f"arn:aws:iam::{ACCT}:role/app"
SESSION = f"arn:aws:sts::{ACCT}:assumed-role/app/s1"
SLR = f"arn:aws:iam::{ACCT}:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"
SSO_ROLE = f"arn:aws:iam::{ACCT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef"
OTHER_SLR = (
    f"arn:aws:iam::{ACCT}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"
)

GCI = "AWS STS API Reference, GetCallerIdentity: 'No permissions are required ... explicitly denies ... you can still perform this operation'"
MANAGED = "IAM User Guide, AWS managed policies: 'You cannot change the permissions defined in AWS managed policies'"
SVMV = "IAM User Guide, Single-valued vs. multivalued context keys: 'Multivalued context keys require a condition set operator'"
SETS = "IAM User Guide, Set operators for multivalued context keys"
IFEX = "IAM User Guide, Condition operators, ...IfExists: 'If the key is not present, evaluate the condition element as true'"
VARS = (
    "IAM User Guide, Variables and tags, Condition element: 'You can use a policy variable for Condition values in "
    "any condition that involves the string operators or the ARN operators' (the fifth-colon limit is the Resource element's)"
)
NP = (
    "IAM User Guide, NotPrincipal with Deny: the Deny applies 'to all principals except for the ones specified'; "
    "AWS checks the account, then the role, then the assumed-role user"
)
PROTECTED = (
    "IAM User Guide, Using service-linked roles (their permissions and trust cannot be edited); Identity Center "
    "roles under /aws-reserved/sso.amazonaws.com/ are only modifiable by AWS"
)


def doc(*stmts: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(stmts)}


def allow(action: Any = "*", resource: Any = "*", **kw: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **kw}


def deny(action: Any = "*", resource: Any = "*", **kw: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **kw}


def row(expect: str, why: str, **fields: Any) -> tuple[dict[str, Any], str, str]:
    return fields, expect, why


def cond(op: str, key: str, vals: Any, ctx: Any, effect: str = "Allow") -> dict[str, Any]:
    """A request iam:TagUser on bob, allowed (or denied) under one condition, with `ctx` (None: key absent)."""
    c = {op: {key: vals}}
    stmts = (
        [allow("iam:TagUser", USER, Condition=c)]
        if effect == "Allow"
        else [allow("iam:TagUser", USER), deny("iam:TagUser", USER, Condition=c)]
    )
    return {
        "action": "iam:TagUser",
        "resource": USER,
        "context": {} if ctx is None else {key: ctx},
        "identity_policies": [doc(*stmts)],
    }


ROWS = [
    # sts:GetCallerIdentity
    row(
        A,
        GCI,
        action="sts:GetCallerIdentity",
        resource="*",
        identity_policies=[doc(allow(), deny("sts:GetCallerIdentity"))],
    ),
    row(A, GCI + " (no policy at all)", action="sts:GetCallerIdentity", resource="*", principal=ROLE),
    row(
        A,
        GCI + " (a session denied everything)",
        action="sts:GetCallerIdentity",
        resource="*",
        principal=SESSION,
        identity_policies=[doc(deny())],
    ),
    row(
        A,
        GCI + " (an SCP denying sts:*)",
        action="sts:GetCallerIdentity",
        resource="*",
        identity_policies=[doc(allow())],
        scps=[[doc(allow(), deny("sts:*"))]],
    ),
    row(
        XD,
        "the exemption is for GetCallerIdentity only",
        action="sts:GetSessionToken",
        resource="*",
        identity_policies=[doc(allow(), deny("sts:*"))],
    ),
    # AWS managed policies
    *[
        row(
            ID,
            MANAGED,
            action=a,
            resource="arn:aws:iam::aws:policy/AdministratorAccess",
            identity_policies=[doc(allow())],
        )
        for a in (
            "iam:CreatePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:DeletePolicyVersion",
            "iam:DeletePolicy",
        )
    ],
    row(
        ID,
        MANAGED + " (paths too)",
        action="iam:CreatePolicyVersion",
        resource="arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
        identity_policies=[doc(allow())],
    ),
    row(
        A,
        "a customer managed policy can be changed",
        action="iam:CreatePolicyVersion",
        resource=f"arn:aws:iam::{ACCT}:policy/custom",
        identity_policies=[doc(allow())],
    ),
    row(
        A,
        "attaching an AWS managed policy is not changing it",
        action="iam:AttachUserPolicy",
        resource=USER,
        identity_policies=[doc(allow())],
    ),
    # multivalued keys
    row(ID, SVMV, **cond("StringEquals", "aws:TagKeys", "a", ["a", "b"])),
    row(ID, SVMV + " (one value: still a multivalued key)", **cond("StringEquals", "aws:TagKeys", "a", ["a"])),
    row(ID, SVMV + " (negated operators do not match either)", **cond("StringNotEquals", "aws:TagKeys", "a", ["b"])),
    row(A, SVMV + " (so a Deny with one does not apply)", **cond("StringNotEquals", "aws:TagKeys", "a", ["b"], "Deny")),
    row(
        ID,
        SVMV + " (IfExists does not help a present key)",
        **cond("StringEqualsIfExists", "aws:CalledVia", "x", ["x"]),
    ),
    row(A, SVMV + ": the key absent, IfExists holds", **cond("StringEqualsIfExists", "aws:TagKeys", "a", None)),
    row(
        A,
        SETS + ": ForAnyValue with a set operator matches",
        **cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", ["b", "a"]),
    ),
    row(
        ID,
        SETS + ": ForAllValues needs every value to match",
        **cond("ForAllValues:StringEquals", "aws:TagKeys", "a", ["b", "a"]),
    ),
    row(A, IFEX + " (with ForAnyValue too)", **cond("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", "a", None)),
    row(
        ID,
        SETS + ": ForAnyValue without the key is false",
        **cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", None),
    ),
    row(
        A,
        SETS + ": ForAllValues holds for a null data set (an empty list)",
        **cond("ForAllValues:StringEquals", "aws:TagKeys", "a", []),
    ),
    row(A, SETS + ": an empty list is a null data set for Null", **cond("Null", "aws:TagKeys", "true", [])),
    # ARN operators with policy variables
    row(
        A,
        VARS,
        action="s3:GetObject",
        resource="arn:aws:s3:::b/k",
        context={"aws:PrincipalArn": USER, "aws:PrincipalAccount": ACCT},
        identity_policies=[
            doc(
                allow(
                    "s3:GetObject",
                    Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:user/*"}},
                )
            )
        ],
    ),
    row(
        ID,
        VARS + " (another account)",
        action="s3:GetObject",
        resource="arn:aws:s3:::b/k",
        principal="arn:aws:iam::444455556666:user/bob",
        context={"aws:PrincipalArn": "arn:aws:iam::444455556666:user/bob"},
        identity_policies=[
            doc(
                allow(
                    "s3:GetObject",
                    Condition={"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/${aws:username}"}},
                )
            )
        ],
    ),
    row(
        XD,
        VARS + " (negated: a Deny for everyone but the own account's users)",
        action="s3:GetObject",
        resource="arn:aws:s3:::b/k",
        principal=ROLE,
        context={"aws:PrincipalArn": ROLE, "aws:PrincipalAccount": ACCT},
        identity_policies=[
            doc(
                allow(),
                deny(
                    "s3:*",
                    Condition={"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:user/*"}},
                ),
            )
        ],
    ),
    # NotPrincipal with Deny and part of the chain
    *[
        row(
            expect,
            NP + f" ({why})",
            action="s3:GetObject",
            resource="arn:aws:s3:::b/k",
            principal=SESSION,
            identity_policies=[doc(allow("s3:GetObject"))],
            resource_policy=doc(
                {"Effect": "Deny", "NotPrincipal": {"AWS": listed}, "Action": "s3:GetObject", "Resource": "*"}
            ),
        )
        for expect, listed, why in (
            (XD, [f"arn:aws:iam::{ACCT}:root"], "only the account: the role and session are still denied"),
            (A, [f"arn:aws:iam::{ACCT}:root", ROLE, SESSION], "the whole chain listed"),
            (A, [f"arn:aws:iam::{ACCT}:root", ROLE], "account and the session's role"),
            (XD, ["arn:aws:iam::444455556666:root"], "another account"),
        )
    ],
    # protected roles
    *[
        row(ID, PROTECTED, action=a, resource=target, identity_policies=[doc(allow())])
        for a in (
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:DeleteRolePermissionsBoundary",
        )
        for target in (SSO_ROLE, OTHER_SLR)
    ],
    row(
        A,
        PROTECTED + ": they remain assumable",
        action="sts:AssumeRole",
        resource=SSO_ROLE,
        identity_policies=[doc(allow())],
        resource_policy=doc(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCT}:root"}, "Action": "sts:AssumeRole"}
        ),
    ),
    row(
        A,
        PROTECTED + ": Identity Center's own service-linked role manages them",
        principal=SLR,
        action="iam:PutRolePolicy",
        resource=SSO_ROLE,
        identity_policies=[doc(allow("iam:PutRolePolicy", "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"))],
    ),
]


def _batch(fields: dict[str, Any]) -> str:
    line = {"id": "row", "principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", **fields}
    out = run_line(json.dumps(line))
    assert "error" not in out, out
    return str(out["decision"])


@pytest.mark.parametrize("fields,expected,why", ROWS, ids=[f"{i}:{w[:50]}" for i, (_, _, w) in enumerate(ROWS)])
def test_special_rule(fields: dict[str, Any], expected: str, why: str) -> None:
    assert _batch(fields) == expected, why
    full = {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", **fields}
    assert via_evaluate(full) == expected, why
