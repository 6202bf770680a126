#!/usr/bin/env python3
"""Seeded generator of batch requests (iamgraph `simulate --batch` JSONL) that stress subtle IAM rules.

Usage: gen.py N [SEED] > requests.jsonl
Each line's id is "<family>-<n>"; families: action, resource, principal, trust, kms, boundary,
session, scp, rcp, cond, vars. Actions, resources and context keys are real ones (iam-simulate
validates them against its service data and drops context keys that do not apply to the action).
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

A, B = "111122223333", "444455556666"
V12, V08 = "2012-10-17", "2008-10-17"

PRINCIPALS = {
    "user": f"arn:aws:iam::{A}:user/bob",
    "user_path": f"arn:aws:iam::{A}:user/dev/alice",
    "role": f"arn:aws:iam::{A}:role/app",
    "role_path": f"arn:aws:iam::{A}:role/team/app2",
    "session": f"arn:aws:sts::{A}:assumed-role/app/s1",
    "session_path": f"arn:aws:sts::{A}:assumed-role/app2/s2",
    "federated": f"arn:aws:sts::{A}:federated-user/bob",
    "x_user": f"arn:aws:iam::{B}:user/carol",
    "x_role": f"arn:aws:iam::{B}:role/ext",
    "x_session": f"arn:aws:sts::{B}:assumed-role/ext/s9",
    "slr": f"arn:aws:iam::{A}:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps",
}
SERVICE = "lambda.amazonaws.com"

# (action, resource template) — {a} = resource account
TARGETS = [
    ("s3:GetObject", "arn:aws:s3:::data-bucket/reports/2024/q1.csv"),
    ("s3:PutObject", "arn:aws:s3:::data-bucket/uploads/bob/file.txt"),
    ("s3:ListBucket", "arn:aws:s3:::data-bucket"),
    ("s3:DeleteObject", "arn:aws:s3:::Data-Bucket/Key"),
    ("iam:GetUser", "arn:aws:iam::{a}:user/bob"),
    ("iam:CreateAccessKey", "arn:aws:iam::{a}:user/dev/alice"),
    ("iam:PassRole", "arn:aws:iam::{a}:role/team/app2"),
    ("iam:PutRolePolicy", "arn:aws:iam::{a}:role/app"),
    ("sqs:SendMessage", "arn:aws:sqs:us-east-1:{a}:orders"),
    ("sns:Publish", "arn:aws:sns:eu-west-1:{a}:alerts"),
    ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:{a}:function:worker"),
    ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:{a}:table/Users"),
    ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:{a}:secret:db-AbCdEf"),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:{a}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("ec2:DescribeInstances", "*"),
    ("sts:GetSessionToken", "*"),
]
RESOURCE_POLICY_TARGETS = [t for t in TARGETS if t[0].split(":")[0] in ("s3", "sqs", "sns", "lambda", "secretsmanager")]


def acct(arn: str) -> str:
    p = arn.split(":")
    return p[4] if len(p) >= 6 else ""


def doc(*stmts: dict[str, Any], version: str | None = V12) -> dict[str, Any]:
    d: dict[str, Any] = {"Statement": list(stmts)}
    if version is not None:
        d["Version"] = version
    return d


def st(effect: str, action: Any = "*", resource: Any = "*", **kw: Any) -> dict[str, Any]:
    s: dict[str, Any] = {"Effect": effect}
    if kw.pop("not_action", False):
        s["NotAction"] = action
    else:
        s["Action"] = action
    if kw.pop("not_resource", False):
        s["NotResource"] = resource
    else:
        s["Resource"] = resource
    s.update(kw)
    return s


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, xs: list[Any]) -> Any:
        return self.r.choice(xs)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # ---- pattern mutators -------------------------------------------------------------
    def action_patterns(self, action: str) -> list[str]:
        svc, name = action.split(":")
        out = [
            action,
            action.upper(),
            action.lower(),
            f"{svc}:*",
            "*",
            f"{svc}:{name[:3]}*",
            f"{svc}:*{name[-4:]}",
            f"{svc}:{name[0]}?{name[2:]}",
            f"{svc.upper()}:{name.lower()}",
            f"{svc}:{name[:-1]}",
            f"{svc}:{name}*",
            f"{svc}:*{name[2:5]}*",
            f"{svc}:??{name[2:]}",
            "s3:Get*",
            "iam:*",
            "sqs:*Message",
            f"{svc}:{name}?",
            f"{svc}:{name[:2]}*{name[-2:]}",
        ]
        return out

    def resource_patterns(self, resource: str) -> list[str]:
        if resource == "*":
            return ["*", "arn:aws:ec2:*:*:instance/*", "arn:*"]
        parts = resource.split(":", 5)
        tail = parts[5]
        out = [
            resource,
            "*",
            resource + "*",
            resource[:-3] + "*",
            resource[:-3] + "???",
            resource[:-3] + "??",
            resource.upper(),
            resource.replace("1", "?"),
            ":".join(parts[:4]) + ":*:" + tail if parts[4] else resource.replace(":::", ":::*"),
            ":".join(parts[:3]) + ":*",
            ":".join(parts[:2]) + ":*:*:*:" + tail,
            "arn:aws:*:*:*:*",
            "arn:*:" + ":".join(parts[2:]),
            resource[: len(resource) // 2] + "*" + resource[len(resource) // 2 + 2 :],
            ":".join(parts[:5]) + ":*",
            ":".join(parts[:5]) + ":" + tail.split("/")[0] + "/*",
            ":".join(parts[:5]) + ":" + tail.split("/")[0] + "*",
            "arn:aws:s3:::data-bucket/*",
            "arn:aws:s3:::data-bucket*",
            "arn:aws:s3:::*/reports/*",
            "arn:aws:iam::*:role/*",
            f"arn:aws:iam::{A}:*",
            "arn:aws:*",
            "arn:aws:s3:::data-bucket/*/q1.csv",
            resource.replace(A, "*").replace(B, "*"),
            resource.replace("us-east-1", "us-*-1"),
            resource.replace(":", "*", 1),
            "arn:aws:iam::*",
        ]
        return out

    def principal_values(self, caller: str) -> list[Any]:
        ca = acct(caller) or A
        vals: list[Any] = [
            "*",
            {"AWS": "*"},
            {"AWS": ca},
            {"AWS": f"arn:aws:iam::{ca}:root"},
            {"AWS": A},
            {"AWS": B},
            {"AWS": PRINCIPALS["user"]},
            {"AWS": PRINCIPALS["role"]},
            {"AWS": PRINCIPALS["session"]},
            {"AWS": PRINCIPALS["role_path"]},
            {"AWS": PRINCIPALS["x_user"]},
            {"AWS": PRINCIPALS["x_role"]},
            {"AWS": PRINCIPALS["x_session"]},
            {"Service": SERVICE},
            {"Service": "ec2.amazonaws.com"},
            {"AWS": [PRINCIPALS["user"], B]},
            {"AWS": PRINCIPALS["user_path"]},
            {"AWS": f"arn:aws:iam::{ca}:user/Bob"},
            {"AWS": PRINCIPALS["federated"]},
        ]
        if caller.startswith("arn:"):
            vals += [{"AWS": caller}] * 3
        return vals

    # ---- building blocks --------------------------------------------------------------
    def caller(self, kinds: list[str] | None = None) -> str:
        return PRINCIPALS[self.pick(kinds or list(PRINCIPALS))]

    def target(self, pool: list[tuple[str, str]] | None = None, racct: str = A) -> tuple[str, str]:
        action, tmpl = self.pick(pool or TARGETS)
        return action, tmpl.format(a=racct)

    def line(self, fam: str, n: int, principal: str, action: str, resource: str, **kw: Any) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": f"{fam}-{n}",
            "principal": principal,
            "action": action,
            "resource": resource,
            "context": kw.pop("context", {}),
            "identity_policies": kw.pop("identity_policies", []),
        }
        d.update(kw)
        return d

    def simple_identity(self, action: str, resource: str, allow_p: float = 0.7) -> list[dict[str, Any]]:
        if not self.chance(allow_p):
            return [] if self.chance(0.5) else [doc(st("Allow", "ec2:RunInstances"))]
        a = self.pick([action, "*", action.split(":")[0] + ":*"])
        res = self.pick([resource, "*"])
        return [doc(st("Allow", a, res))]

    # ---- families ---------------------------------------------------------------------
    def fam_action(self, n: int) -> dict[str, Any]:
        action, res = self.target()
        pats = self.action_patterns(action)
        stmts = [st("Allow", self.r.sample(pats, self.r.randint(1, 2)), "*", not_action=self.chance(0.25))]
        if self.chance(0.35):
            stmts.append(st("Deny", self.pick(pats), "*", not_action=self.chance(0.3)))
        return self.line(
            "action", n, self.caller(["user", "role", "session"]), action, res, identity_policies=[doc(*stmts)]
        )

    def fam_resource(self, n: int) -> dict[str, Any]:
        action, res = self.target()
        pats = self.resource_patterns(res)
        stmts = [st("Allow", action, self.r.sample(pats, self.r.randint(1, 2)), not_resource=self.chance(0.25))]
        if self.chance(0.35):
            stmts.append(st("Deny", "*", self.pick(pats), not_resource=self.chance(0.3)))
        caller = self.caller(["user", "role", "session"])
        return self.line(
            "resource",
            n,
            caller,
            action,
            res,
            identity_policies=[doc(*stmts)],
            resource_account=A if res.startswith("arn:aws:s3") else None,
        )

    def resource_policy_stmt(self, caller: str, action: str, res: str, effect: str = "Allow") -> dict[str, Any]:
        pv = self.pick(self.principal_values(caller))
        s = {
            "Effect": effect,
            "Action": self.pick([action, "*", action.split(":")[0] + ":*"]),
            "Resource": self.pick([res, "*"]) if res != "*" else "*",
        }
        if self.chance(0.2) and effect == "Deny":
            s["NotPrincipal"] = pv if pv != "*" else {"AWS": caller}
        else:
            s["Principal"] = pv
        return s

    def fam_principal(self, n: int) -> dict[str, Any]:
        caller = (
            self.caller(
                [
                    "user",
                    "user_path",
                    "role",
                    "role_path",
                    "session",
                    "session_path",
                    "federated",
                    "x_user",
                    "x_role",
                    "x_session",
                ]
            )
            if self.chance(0.93)
            else SERVICE
        )
        racct = self.pick([A, A, B])
        action, res = self.target(RESOURCE_POLICY_TARGETS, racct)
        stmts = [self.resource_policy_stmt(caller, action, res)]
        if self.chance(0.3):
            stmts.append(self.resource_policy_stmt(caller, action, res, "Deny"))
        ident = self.simple_identity(action, res, 0.5) if caller != SERVICE else []
        return self.line(
            "principal",
            n,
            caller,
            action,
            res,
            identity_policies=ident,
            resource_policy=doc(*stmts),
            resource_account=racct,
        )

    def fam_trust(self, n: int) -> dict[str, Any]:
        caller = (
            self.caller(["user", "role", "session", "federated", "x_user", "x_role", "x_session"])
            if self.chance(0.95)
            else SERVICE
        )
        racct = self.pick([A, A, B])
        res = f"arn:aws:iam::{racct}:role/target"
        pv = self.pick(self.principal_values(caller) + [{"AWS": f"arn:aws:iam::{racct}:root"}])
        stmt: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": pv,
            "Action": self.pick(["sts:AssumeRole", "sts:*", "*", "sts:AssumeRole*"]),
        }
        if self.chance(0.25):
            stmt["Condition"] = self.pick(
                [
                    {"StringEquals": {"sts:ExternalId": "xyz"}},
                    {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{acct(caller) or A}:*"}},
                    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                ]
            )
        stmts = [stmt]
        if self.chance(0.15):
            stmts.append(
                {"Effect": "Deny", "Principal": self.pick(self.principal_values(caller)), "Action": "sts:AssumeRole"}
            )
        trust = doc(*stmts) if self.chance(0.95) else None
        ident = [] if caller == SERVICE else self.simple_identity("sts:AssumeRole", res, 0.6)
        ctx = {}
        if self.chance(0.3):
            ctx["sts:ExternalId"] = self.pick(["xyz", "XYZ"])
        if self.chance(0.3):
            ctx["aws:MultiFactorAuthPresent"] = self.pick([True, False, "true"])
        if self.chance(0.3) and caller.startswith("arn"):
            ctx["aws:PrincipalArn"] = caller
        return self.line(
            "trust",
            n,
            caller,
            "sts:AssumeRole",
            res,
            identity_policies=ident,
            context=ctx,
            resource_policy=trust,
            resource_account=racct,
        )

    def fam_kms(self, n: int) -> dict[str, Any]:
        caller = self.caller(["user", "role", "session", "x_user", "x_role", "x_session"])
        racct = self.pick([A, A, B])
        action = self.pick(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"])
        res = f"arn:aws:kms:us-east-1:{racct}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        stmts = []
        if self.chance(0.6):
            stmts.append(
                {
                    "Sid": "root",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{racct}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            )
        if self.chance(0.5):
            stmts.append(self.resource_policy_stmt(caller, action, "*"))
        key_policy = doc(*stmts) if stmts else None
        return self.line(
            "kms",
            n,
            caller,
            action,
            res,
            identity_policies=self.simple_identity(action, res, 0.7),
            resource_policy=key_policy,
            resource_account=racct,
        )

    def boundary_doc(self, action: str, res: str) -> dict[str, Any]:
        return self.pick(
            [
                doc(st("Allow", "*")),
                doc(st("Allow", action, res)),
                doc(st("Allow", "ec2:*")),
                doc(st("Allow", "*"), st("Deny", action)),
                doc(st("Allow", action.split(":")[0] + ":*", "*")),
                doc(st("Allow", "iam:*", not_action=True)),
                doc(st("Allow", "*", "*", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}})),
            ]
        )

    def fam_boundary(self, n: int) -> dict[str, Any]:
        caller = self.caller(["user", "user_path", "role", "session", "federated", "x_user", "x_session"])
        racct = self.pick([A, A, A, B])
        action, res = self.target(RESOURCE_POLICY_TARGETS + TARGETS[:6], racct)
        rp = None
        if self.chance(0.6) and action.split(":")[0] in ("s3", "sqs", "sns", "lambda", "secretsmanager"):
            rp = doc(self.resource_policy_stmt(caller, action, res))
        ctx = {"aws:RequestedRegion": self.pick(["us-east-1", "eu-west-1"])} if self.chance(0.3) else {}
        return self.line(
            "boundary",
            n,
            caller,
            action,
            res,
            identity_policies=self.simple_identity(action, res, 0.5),
            permission_boundaries=[self.boundary_doc(action, res)],
            resource_policy=rp,
            resource_account=racct,
            context=ctx,
        )

    def fam_session(self, n: int) -> dict[str, Any]:
        caller = self.caller(["role", "session", "session_path", "federated", "x_session"])
        racct = self.pick([A, A, B])
        action, res = self.target(RESOURCE_POLICY_TARGETS + TARGETS[:6], racct)
        rp = None
        if self.chance(0.6) and action.split(":")[0] in ("s3", "sqs", "sns", "lambda", "secretsmanager"):
            rp = doc(self.resource_policy_stmt(caller, action, res))
        line = self.line(
            "session",
            n,
            caller,
            action,
            res,
            identity_policies=self.simple_identity(action, res, 0.6),
            session_policy=self.boundary_doc(action, res),
            resource_policy=rp,
            resource_account=racct,
        )
        if self.chance(0.3):
            line["permission_boundaries"] = [self.boundary_doc(action, res)]
        return line

    def scp_level(self, action: str, res: str) -> list[dict[str, Any]]:
        return self.pick(
            [
                [doc(st("Allow", "*"))],
                [doc(st("Allow", "*"))],
                [doc(st("Allow", action))],
                [doc(st("Allow", "ec2:*"))],
                [doc(st("Allow", "*")), doc(st("Deny", action.split(":")[0] + ":*"))],
                [doc(st("Allow", "iam:*", not_action=True))],
                [
                    doc(
                        st("Allow", "*"),
                        st("Deny", "*", "*", Condition={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}),
                    )
                ],
                [doc(st("Allow", "*", "*", Condition={"StringEquals": {"aws:PrincipalTag/team": "a"}}))],
                [doc(st("Allow", "*"), st("Deny", "*", not_action=True))],
                [],
            ]
        )

    def fam_scp(self, n: int) -> dict[str, Any]:
        caller = self.caller(["user", "role", "session", "x_user"]) if self.chance(0.95) else PRINCIPALS["slr"]
        racct = self.pick([A, A, B])
        action, res = self.target(None, racct)
        rp = None
        if self.chance(0.4) and action.split(":")[0] in ("s3", "sqs", "sns", "lambda", "secretsmanager"):
            rp = doc(self.resource_policy_stmt(caller, action, res))
        ctx = {}
        if self.chance(0.5):
            ctx["aws:RequestedRegion"] = self.pick(["us-east-1", "eu-west-1"])
        if self.chance(0.4):
            ctx["aws:PrincipalTag/team"] = self.pick(["a", "b"])
        return self.line(
            "scp",
            n,
            caller,
            action,
            res,
            identity_policies=self.simple_identity(action, res, 0.8),
            scps=[self.scp_level(action, res) for _ in range(self.r.randint(1, 3))],
            resource_policy=rp,
            resource_account=racct,
            context=ctx,
        )

    def fam_rcp(self, n: int) -> dict[str, Any]:
        caller = self.caller(["user", "role", "session", "x_user", "x_session"])
        racct = self.pick([A, A, B])
        action, res = self.target(RESOURCE_POLICY_TARGETS, racct)
        svc = action.split(":")[0]
        levels = []
        for _ in range(self.r.randint(1, 3)):
            levels.append(
                self.pick(
                    [
                        [],
                        [
                            doc(
                                {
                                    "Effect": "Deny",
                                    "Principal": "*",
                                    "Action": f"{svc}:*",
                                    "Resource": "*",
                                    "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}},
                                }
                            )
                        ],
                        [
                            doc(
                                {
                                    "Effect": "Deny",
                                    "Principal": "*",
                                    "Action": f"{svc}:*",
                                    "Resource": "*",
                                    "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
                                }
                            )
                        ],
                        [doc({"Effect": "Deny", "Principal": "*", "Action": action, "Resource": "*"})],
                    ]
                )
            )
        ctx = {}
        if self.chance(0.5):
            ctx["aws:PrincipalOrgID"] = self.pick(["o-abc", "o-xyz"])
        if self.chance(0.5):
            ctx["aws:SecureTransport"] = self.pick([True, False, "false", "true"])
        rp = doc(self.resource_policy_stmt(caller, action, res)) if self.chance(0.6) else None
        return self.line(
            "rcp",
            n,
            caller,
            action,
            res,
            identity_policies=self.simple_identity(action, res, 0.8),
            rcps=levels,
            resource_policy=rp,
            resource_account=racct,
            context=ctx,
        )

    # ---- conditions -------------------------------------------------------------------
    STRING_KEYS = [
        "aws:PrincipalTag/team",
        "aws:RequestedRegion",
        "aws:username",
        "aws:userid",
        "aws:SourceVpce",
        "aws:UserAgent",
        "aws:referer",
        "aws:RequestTag/env",
        "aws:ResourceTag/env",
        "aws:PrincipalAccount",
    ]
    ARRAY_KEYS = ["aws:TagKeys", "aws:CalledVia", "aws:PrincipalOrgPaths"]
    STR_VALUES = [
        "dev",
        "Dev",
        "DEV",
        "prod",
        "d*",
        "*ev",
        "d?v",
        "",
        "*",
        "dev*",
        "de",
        "bob",
        "Bob",
        "b*",
        "us-east-1",
        "us-*",
        "o-abc/*",
        "o-abc/r-1/ou-1/",
        "tag1",
        "Tag1",
        "tag*",
    ]
    CTX_STR = ["dev", "Dev", "prod", "", "bob", "us-east-1", "eu-west-1", "tag1", "dv", "d*v", "o-abc/r-1/ou-1/"]

    def cond_block(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(Condition element, context) for one operator family."""
        r = self.r
        fam = self.pick(["string", "string", "set", "set", "numeric", "date", "bool", "ip", "arn", "null", "binary"])
        qual = ""
        ctx: dict[str, Any] = {}
        if fam == "string":
            base = self.pick(
                [
                    "StringEquals",
                    "StringNotEquals",
                    "StringEqualsIgnoreCase",
                    "StringNotEqualsIgnoreCase",
                    "StringLike",
                    "StringNotLike",
                ]
            )
            key = self.pick(self.STRING_KEYS)
            vals = r.sample(self.STR_VALUES, r.randint(1, 3))
            if self.chance(0.7):
                ctx[key] = self.pick(self.CTX_STR)
            if self.chance(0.15):  # a second key in the same operator
                key2 = self.pick(self.STRING_KEYS)
                if key2 != key:
                    if self.chance(0.6):
                        ctx[key2] = self.pick(self.CTX_STR)
                    op = base + ("IfExists" if self.chance(0.3) else "")
                    return {op: {key: vals, key2: self.pick(self.STR_VALUES)}}, ctx
            op = base + ("IfExists" if self.chance(0.3) else "")
            return {op: {key: vals if len(vals) > 1 else vals[0]}}, ctx
        if fam == "set":
            base = self.pick(
                ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIgnoreCase"]
            )
            qual = self.pick(["ForAnyValue:", "ForAllValues:"])
            key = self.pick(self.ARRAY_KEYS)
            vals = r.sample(
                ["tag1", "tag2", "Tag1", "tag*", "o-abc/*", "ec2.amazonaws.com", "athena.amazonaws.com", ""],
                r.randint(1, 3),
            )
            p = r.random()
            if p < 0.6:
                ctx[key] = r.sample(
                    ["tag1", "tag2", "tag3", "TAG1", "o-abc/r-1/", "athena.amazonaws.com"], r.randint(1, 3)
                )
            elif p < 0.75:
                ctx[key] = []
            op = qual + base + ("IfExists" if self.chance(0.2) else "")
            return {op: {key: vals}}, ctx
        if fam == "numeric":
            base = self.pick(
                [
                    "NumericEquals",
                    "NumericNotEquals",
                    "NumericLessThan",
                    "NumericLessThanEquals",
                    "NumericGreaterThan",
                    "NumericGreaterThanEquals",
                ]
            )
            key = "aws:MultiFactorAuthAge"
            vals = r.sample(["3600", "0", "300", "300.0", "-1", "1e3", "0300"], r.randint(1, 2))
            if self.chance(0.75):
                ctx[key] = self.pick(["300", "3600", "7200", "0", "300.0", "299.9", 300, 3600])
            op = base + ("IfExists" if self.chance(0.3) else "")
            return {op: {key: vals if len(vals) > 1 else vals[0]}}, ctx
        if fam == "date":
            base = self.pick(
                [
                    "DateEquals",
                    "DateNotEquals",
                    "DateLessThan",
                    "DateLessThanEquals",
                    "DateGreaterThan",
                    "DateGreaterThanEquals",
                ]
            )
            key = self.pick(["aws:CurrentTime", "aws:TokenIssueTime", "aws:EpochTime"])
            vals = r.sample(
                [
                    "2024-01-01T00:00:00Z",
                    "2024-06-01T12:00:00Z",
                    "1704067200",
                    "2024-01-01T00:00:00+01:00",
                    "2023-12-31T23:00:00Z",
                ],
                r.randint(1, 2),
            )
            if self.chance(0.75):
                ctx[key] = self.pick(
                    [
                        "2024-01-01T00:00:00Z",
                        "2024-03-01T00:00:00Z",
                        "2023-06-01T00:00:00Z",
                        "1704067200",
                        "2024-01-01T00:00:00.000Z",
                        "2023-12-31T23:00:00Z",
                    ]
                )
            op = base + ("IfExists" if self.chance(0.3) else "")
            return {op: {key: vals if len(vals) > 1 else vals[0]}}, ctx
        if fam == "bool":
            key = self.pick(["aws:SecureTransport", "aws:MultiFactorAuthPresent", "aws:ViaAWSService"])
            val = self.pick(["true", "false", "True", "FALSE", ["true", "false"]])
            if self.chance(0.75):
                ctx[key] = self.pick([True, False, "true", "false", "True", "TRUE", "False"])
            op = "Bool" + ("IfExists" if self.chance(0.3) else "")
            return {op: {key: val}}, ctx
        if fam == "ip":
            base = self.pick(["IpAddress", "NotIpAddress"])
            key = "aws:SourceIp"
            vals = r.sample(
                ["10.0.0.0/8", "192.0.2.1", "192.0.2.0/24", "2001:db8::/32", "10.1.2.3/32", "0.0.0.0/0"],
                r.randint(1, 2),
            )
            if self.chance(0.75):
                ctx[key] = self.pick(["10.1.2.3", "192.0.2.1", "192.0.3.9", "2001:db8::1", "2001:db9::1", "8.8.8.8"])
            op = base + ("IfExists" if self.chance(0.3) else "")
            return {op: {key: vals if len(vals) > 1 else vals[0]}}, ctx
        if fam == "arn":
            base = self.pick(["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"])
            key = self.pick(["aws:PrincipalArn", "aws:SourceArn"])
            vals = r.sample(
                [
                    f"arn:aws:iam::{A}:role/*",
                    f"arn:aws:iam::{A}:role/app",
                    "arn:aws:iam::*:user/*",
                    f"arn:aws:iam::{A}:*",
                    "arn:aws:s3:::data-*",
                    f"arn:aws:iam::{A}:role/App",
                    "arn:aws:*:*:*:*",
                    f"arn:aws:iam::{A}:user/b?b",
                    "arn:aws:iam::*",
                ],
                r.randint(1, 2),
            )
            if self.chance(0.8):
                ctx[key] = self.pick(
                    [
                        PRINCIPALS["role"],
                        PRINCIPALS["user"],
                        PRINCIPALS["role_path"],
                        "arn:aws:s3:::data-bucket",
                        PRINCIPALS["x_user"],
                        f"arn:aws:iam::{A}:role/App",
                    ]
                )
            op = base + ("IfExists" if self.chance(0.3) else "")
            return {op: {key: vals if len(vals) > 1 else vals[0]}}, ctx
        if fam == "null":
            key = self.pick(self.STRING_KEYS + self.ARRAY_KEYS)
            val = self.pick(["true", "false", "True", ["true", "false"]])
            p = r.random()
            if p < 0.5:
                ctx[key] = self.pick(self.CTX_STR) if key not in self.ARRAY_KEYS else ["tag1"]
            elif p < 0.6 and key in self.ARRAY_KEYS:
                ctx[key] = []
            return {"Null": {key: val}}, ctx
        # binary
        key = self.pick(["aws:PrincipalTag/team", "aws:UserAgent"])
        vals = r.sample(["ZGV2", "cHJvZA==", "ZGV2\n", "QmluYXJ5"], r.randint(1, 2))
        if self.chance(0.8):
            ctx[key] = self.pick(["ZGV2", "cHJvZA==", "dev", "QmluYXJ5"])
        return {"BinaryEquals": {key: vals if len(vals) > 1 else vals[0]}}, ctx

    def fam_cond(self, n: int) -> dict[str, Any]:
        action, res = self.target()
        ctx: dict[str, Any] = {}
        cond: dict[str, Any] = {}
        for _ in range(1 if self.chance(0.7) else 2):
            c, x = self.cond_block()
            for op, kv in c.items():
                cond.setdefault(op, {}).update(kv)
            ctx.update(x)
        if self.chance(0.3):  # condition on a Deny next to an unconditional Allow
            stmts = [st("Allow", "*"), st("Deny", action, "*", Condition=cond)]
        else:
            stmts = [st("Allow", action, "*", Condition=cond)]
        return self.line(
            "cond",
            n,
            self.caller(["user", "role", "session"]),
            action,
            res,
            identity_policies=[doc(*stmts, version=self.pick([V12, V12, V12, V08]))],
            context=ctx,
        )

    VAR_VALUES = [
        "${aws:username}",
        "${aws:username}*",
        "${aws:PrincipalTag/team}",
        "${aws:PrincipalTag/missing, 'dflt'}",
        "${aws:PrincipalTag/team, 'dev'}",
        "${*}",
        "${?}",
        "${$}",
        "d${?}v",
        "${aws:userid}",
        "${aws:TagKeys}",
        "${aws:PrincipalTag/Team}",
        "${ aws:username }",
        "${aws:username, 'x'}",
        "${aws:principaltag/team}",
        "$dev",
        "${aws:RequestedRegion}",
    ]

    def fam_vars(self, n: int) -> dict[str, Any]:
        action, res = self.pick(
            [
                ("s3:PutObject", "arn:aws:s3:::data-bucket/uploads/bob/file.txt"),
                ("s3:GetObject", "arn:aws:s3:::data-bucket/reports/2024/q1.csv"),
                ("iam:GetUser", f"arn:aws:iam::{A}:user/bob"),
                ("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:orders"),
            ]
        )
        version = self.pick([V12, V12, V08, None])
        ctx: dict[str, Any] = {}
        for key, vals in (
            ("aws:username", ["bob", "Bob", "alice", "*", "d?v"]),
            ("aws:PrincipalTag/team", ["dev", "prod", "*"]),
            ("aws:userid", ["AIDAEXAMPLE", "bob"]),
            ("aws:TagKeys", [["bob"], ["a", "b"]]),
            ("aws:RequestedRegion", ["us-east-1"]),
        ):
            if self.chance(0.55):
                ctx[key] = self.pick(vals)
        if self.chance(0.5):
            tmpl = self.pick(
                [
                    "arn:aws:s3:::data-bucket/uploads/{v}/*",
                    "arn:aws:s3:::data-bucket/{v}",
                    "arn:aws:iam::{a}:user/{v}",
                    "arn:aws:sqs:{v}:{a}:orders",
                    "arn:aws:s3:::data-bucket/uploads/{v}/file.txt",
                ]
            )
            stmts = [st("Allow", action, tmpl.replace("{a}", A).replace("{v}", self.pick(self.VAR_VALUES)))]
        else:
            key = self.pick(["aws:PrincipalTag/team", "aws:RequestedRegion", "aws:username", "aws:ResourceTag/env"])
            if self.chance(0.6):
                ctx[key] = self.pick(["dev", "bob", "us-east-1", "${aws:username}", "*", "prod"])
            op = self.pick(
                ["StringEquals", "StringLike", "StringNotEquals", "StringNotLike", "StringEqualsIgnoreCase", "ArnLike"]
            )
            if op == "ArnLike":
                key = "aws:PrincipalArn"
                ctx[key] = self.pick([PRINCIPALS["user"], PRINCIPALS["user_path"]])
                val = self.pick(
                    [f"arn:aws:iam::{A}:user/${{aws:username}}", f"arn:aws:iam::{A}:user/*${{aws:username}}"]
                )
            else:
                val = self.pick(self.VAR_VALUES)
            stmts = [st("Allow", action, "*", Condition={op: {key: val}})]
        return self.line(
            "vars",
            n,
            self.caller(["user", "user_path"]),
            action,
            res,
            identity_policies=[doc(*stmts, version=version)],
            context=ctx,
        )


WEIGHTS = {
    "action": 8,
    "resource": 10,
    "principal": 12,
    "trust": 8,
    "kms": 5,
    "boundary": 8,
    "session": 7,
    "scp": 7,
    "rcp": 5,
    "cond": 22,
    "vars": 8,
}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    g = Gen(seed)
    fams = list(WEIGHTS)
    weights = [WEIGHTS[f] for f in fams]
    out = sys.stdout
    for i in range(n):
        fam = g.r.choices(fams, weights)[0]
        out.write(json.dumps(getattr(g, f"fam_{fam}")(i)) + "\n")


if __name__ == "__main__":
    main()
