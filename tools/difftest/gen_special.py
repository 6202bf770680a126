#!/usr/bin/env python3
"""Requests for AWS's special rules (issue 10 §3), one family per rule, in the batch format.

Usage: gen_special.py > special.jsonl   (deterministic: every combination once)
Families (id prefix): special_gci (sts:GetCallerIdentity), special_managed (AWS managed policies
cannot be changed), special_multi (multivalued keys under single-valued and set operators, IfExists,
empty lists), special_arnvar (policy variables in ARN-operator values), special_notprincipal (Deny
with NotPrincipal naming part of the caller's chain).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from typing import Any

A, B = "111122223333", "444455556666"
USER = f"arn:aws:iam::{A}:user/bob"
ROLE = f"arn:aws:iam::{A}:role/app"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/s1"
V = "2012-10-17"


def doc(*stmts: dict[str, Any]) -> dict[str, Any]:
    return {"Version": V, "Statement": list(stmts)}


def allow(action: Any = "*", resource: Any = "*", **kw: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **kw}


def deny(action: Any = "*", resource: Any = "*", **kw: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **kw}


def gci() -> Iterator[dict[str, Any]]:
    shapes = {
        "deny-identity": {"identity_policies": [doc(allow(), deny("sts:GetCallerIdentity"))]},
        "deny-all": {"identity_policies": [doc(deny())]},
        "no-policy": {"identity_policies": []},
        "deny-scp": {"identity_policies": [doc(allow())], "scps": [[doc(allow(), deny("sts:*"))]]},
        "boundary-none": {"identity_policies": [doc(allow())], "permission_boundaries": [doc(allow("s3:*"))]},
    }
    for who, (_name, extra) in itertools.product((USER, ROLE, SESSION), shapes.items()):
        yield {"principal": who, "action": "sts:GetCallerIdentity", "resource": "*", "context": {}, **extra}


def managed() -> Iterator[dict[str, Any]]:
    actions = ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy")
    targets = (
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
        f"arn:aws:iam::{A}:policy/custom",
    )
    for who, act, res in itertools.product((USER, SESSION), actions, targets):
        yield {"principal": who, "action": act, "resource": res, "context": {}, "identity_policies": [doc(allow())]}


def multi() -> Iterator[dict[str, Any]]:
    ops = (
        "StringEquals",
        "StringNotEquals",
        "StringLike",
        "StringNotLike",
        "StringEqualsIfExists",
        "StringNotEqualsIfExists",
        "ForAnyValue:StringEquals",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringEqualsIfExists",
        "ForAllValues:StringEqualsIfExists",
        "ForAnyValue:StringNotEquals",
        "ForAllValues:StringNotEquals",
        "Null",
    )
    values: dict[str, Any] = {
        "absent": None,
        "empty": [],
        "one": ["a"],
        "two": ["a", "b"],
        "other": ["c"],
        "mixed": ["a", "c"],
    }
    keys = {"aws:TagKeys": ("iam:TagUser", USER), "aws:CalledVia": ("s3:GetObject", "arn:aws:s3:::b/k")}
    for (key, (act, res)), op, (_vname, v), effect in itertools.product(
        keys.items(), ops, values.items(), ("Allow", "Deny")
    ):
        if key == "aws:CalledVia" and v is not None:
            v = [
                x.replace("a", "athena.amazonaws.com")
                .replace("b", "dynamodb.amazonaws.com")
                .replace("c", "cloudformation.amazonaws.com")
                for x in v
            ]
        pol_vals: Any = "true" if op == "Null" else (["a"] if key == "aws:TagKeys" else ["athena.amazonaws.com"])
        cond = {op: {key: pol_vals}}
        stmts = (
            [allow(act, res, Condition=cond)]
            if effect == "Allow"
            else [allow(act, res), deny(act, res, Condition=cond)]
        )
        ctx = {} if v is None else {key: v}
        yield {"principal": USER, "action": act, "resource": res, "context": ctx, "identity_policies": [doc(*stmts)]}


def arnvar() -> Iterator[dict[str, Any]]:
    patterns = (
        "arn:aws:iam::${aws:PrincipalAccount}:user/bob",
        "arn:aws:iam::${aws:PrincipalAccount}:user/*",
        "arn:aws:iam::${aws:PrincipalAccount}:role/*",
        "arn:aws:iam::*:user/${aws:username}",
        "arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}",
        "arn:${aws:PrincipalType}:iam::*:user/bob",
    )
    ops = ("ArnLike", "ArnEquals", "ArnNotLike", "ArnNotEquals", "StringLike")
    ctxs = (
        {"aws:PrincipalAccount": A, "aws:username": "bob", "aws:PrincipalType": "User"},
        {"aws:PrincipalAccount": B, "aws:username": "bob", "aws:PrincipalType": "User"},
        {"aws:PrincipalAccount": A, "aws:username": "eve", "aws:PrincipalType": "User"},
    )
    for pat, op, ctx in itertools.product(patterns, ops, ctxs):
        c = {**ctx, "aws:PrincipalArn": USER}
        yield {
            "principal": USER,
            "action": "s3:GetObject",
            "resource": "arn:aws:s3:::b/k",
            "context": c,
            "identity_policies": [doc(allow("s3:GetObject", "*", Condition={op: {"aws:PrincipalArn": pat}}))],
        }


def notprincipal() -> Iterator[dict[str, Any]]:
    names = {
        "account": f"arn:aws:iam::{A}:root",
        "role": ROLE,
        "session": SESSION,
        "other": f"arn:aws:iam::{B}:root",
        "user": USER,
    }
    combos = [
        ("account",),
        ("role",),
        ("session",),
        ("account", "role"),
        ("role", "session"),
        ("account", "session"),
        ("account", "role", "session"),
        ("other",),
        ("user",),
        ("account", "user"),
    ]
    bucket = "arn:aws:s3:::b"
    for who, combo in itertools.product((SESSION, USER), combos):
        listed = [names[c] for c in combo]
        rp = doc(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
                "Action": "s3:GetObject",
                "Resource": f"{bucket}/*",
            },
            {"Effect": "Deny", "NotPrincipal": {"AWS": listed}, "Action": "s3:GetObject", "Resource": f"{bucket}/*"},
        )
        yield {
            "principal": who,
            "action": "s3:GetObject",
            "resource": f"{bucket}/k",
            "context": {},
            "identity_policies": [doc(allow("s3:GetObject"))],
            "resource_policy": rp,
        }


def main() -> None:
    for fam, gen in (
        ("special_gci", gci),
        ("special_managed", managed),
        ("special_multi", multi),
        ("special_arnvar", arnvar),
        ("special_notprincipal", notprincipal),
    ):
        for i, req in enumerate(gen()):
            sys.stdout.write(json.dumps({"id": f"{fam}-{i}", **req}) + "\n")


if __name__ == "__main__":
    main()
