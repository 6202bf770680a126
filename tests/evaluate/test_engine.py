"""Decisions: each row encodes a rule of the IAM User Guide evaluation-logic pages."""

from __future__ import annotations

import pytest
from evalkit import ACCT, OTHER, ROLE, SESSION, USER, allow, deny, pol, run

from iamgraph.evaluate.types import Decision
from iamgraph.model import PolicyKind

A, XD, ID, UNK = Decision.ALLOWED, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY, Decision.UNKNOWN
EVAL = "Policy evaluation logic"
XACC = "Cross-account policy evaluation logic"
PB = "Permissions boundaries for IAM entities"
SESS = "Session policies"
SCP = "Service control policies"
RCP = "Resource control policies"
NA, NR, NP = (
    "IAM JSON policy elements: NotAction",
    "IAM JSON policy elements: NotResource",
    "AWS JSON policy elements: NotPrincipal",
)
OBJ = "arn:aws:s3:::b/k"
TARGET = f"arn:aws:iam::{ACCT}:role/target"
KEY = f"arn:aws:kms:eu-west-1:{ACCT}:key/1"
FULL = pol(allow(), kind=PolicyKind.SCP, pid="FullAWSAccess")


def rp(*stmts):  # resource policy
    return pol(*stmts, kind=PolicyKind.RESOURCE, pid="rp")


def grant(principal, action="*", **kw):
    s = {"Effect": "Allow", "Principal": principal, "Action": action}
    s.update(kw)
    return s


CASES = [
    # --- identity basics
    ("s3:GetObject", OBJ, {}, ID, EVAL + ": default implicit deny"),
    ("s3:GetObject", OBJ, {"identity": (pol(allow("s3:GetObject", OBJ)),)}, A, EVAL + ": identity allow"),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow("s3:*")), pol(deny("s3:GetObject", OBJ)))},
        XD,
        EVAL + ": explicit deny overrides allow",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow("s3:*"), deny("s3:GetObject", "arn:aws:s3:::c/*")),)},
        A,
        EVAL + ": deny on another resource",
    ),
    ("s3:GetObject", OBJ, {"identity": (pol(allow("s3:PutObject")),)}, ID, EVAL + ": other action"),
    # --- NotAction / NotResource
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),)},
        A,
        NA + ": Allow with NotAction grants every other action",
    ),
    (
        "iam:CreateUser",
        "*",
        {"identity": (pol({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),)},
        ID,
        NA + ": the listed actions are not granted",
    ),
    (
        "iam:CreateUser",
        "*",
        {"identity": (pol({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), pol(allow("iam:CreateUser")))},
        A,
        NA + ": NotAction does not deny",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol({"Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b/*"}),)},
        ID,
        NA + ": NotAction with a Resource",
    ),
    (
        "ec2:RunInstances",
        OBJ,
        {"identity": (pol({"Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b/*"}),)},
        A,
        NA + ": NotAction with a Resource limits to that resource",
    ),
    (
        "ec2:RunInstances",
        "arn:aws:ec2:eu-west-1:1:instance/i",
        {"identity": (pol({"Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b/*"}),)},
        ID,
        NA + ": NotAction with a Resource",
    ),
    (
        "ec2:RunInstances",
        "*",
        {"identity": (pol(allow()), pol({"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}))},
        XD,
        NA + ": Deny with NotAction denies all other actions",
    ),
    (
        "iam:GetUser",
        "*",
        {"identity": (pol(allow()), pol({"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}))},
        A,
        NA + ": Deny with NotAction",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}),)},
        A,
        NR + ": Allow with NotResource",
    ),
    (
        "s3:GetObject",
        "arn:aws:s3:::secret/x",
        {"identity": (pol({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}),)},
        ID,
        NR,
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()), pol({"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::b/*"]}))},
        A,
        NR + ": Deny with NotResource spares the listed resources",
    ),
    (
        "s3:GetObject",
        "arn:aws:s3:::c/k",
        {"identity": (pol(allow()), pol({"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::b/*"]}))},
        XD,
        NR,
    ),
    # --- conditions in statements
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "red"}})),),
            "context": {"aws:PrincipalTag/team": "red"},
        },
        A,
        "Condition element",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "red"}})),)},
        ID,
        "Condition operators: absent key -> false",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow(), deny(Condition={"Bool": {"aws:SecureTransport": "false"}})),),
            "context": {"aws:SecureTransport": "false"},
        },
        XD,
        "Condition element: conditional deny",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow(), deny(Condition={"Bool": {"aws:SecureTransport": "false"}})),)},
        A,
        "Condition operators: Bool on an absent key is false, so the Deny does not apply",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow(), deny(Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})),)},
        XD,
        "Condition operators: ...IfExists on an absent key is true",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow(), deny(Condition={"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}})),)},
        XD,
        "Condition operators: negated operator on an absent key is true",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow("s3:*", "arn:aws:s3:::b/${aws:username}/*")),), "context": {"aws:username": "bob"}},
        ID,
        "Variables: resource with a variable",
    ),
    (
        "s3:GetObject",
        "arn:aws:s3:::b/bob/k",
        {"identity": (pol(allow("s3:*", "arn:aws:s3:::b/${aws:username}/*")),), "context": {"aws:username": "bob"}},
        A,
        "Variables: resource with a variable",
    ),
    (
        "s3:GetObject",
        "arn:aws:s3:::b/bob/k",
        {
            "identity": (pol(allow("s3:*", "arn:aws:s3:::b/${aws:username}/*"), version="2008-10-17"),),
            "context": {"aws:username": "bob"},
        },
        ID,
        "Variables: 2008-10-17 treats ${...} as literal text",
    ),
    (
        "s3:GetObject",
        "arn:aws:s3:::b/bob/k",
        {
            "identity": (pol(allow("s3:*", "arn:aws:s3:::b/${aws:username}/*"), version=None),),
            "context": {"aws:username": "bob"},
        },
        ID,
        "Variables: no Version means 2008-10-17 (literal)",
    ),
    (
        "s3:GetObject",
        "arn:aws:s3:::b/${aws:username}/k",
        {"identity": (pol(allow("s3:*", "arn:aws:s3:::b/${aws:username}/*"), version="2008-10-17"),)},
        A,
        "Variables: literal in 2008-10-17",
    ),
    # --- boundaries
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "boundaries": (pol(allow("s3:*"), kind=PolicyKind.BOUNDARY),)},
        A,
        PB + ": both allow",
    ),
    (
        "iam:CreateUser",
        "*",
        {"identity": (pol(allow()),), "boundaries": (pol(allow("s3:*"), kind=PolicyKind.BOUNDARY),)},
        ID,
        PB + ": boundary does not allow",
    ),
    (
        "iam:CreateUser",
        "*",
        {"boundaries": (pol(allow(), kind=PolicyKind.BOUNDARY),)},
        ID,
        PB + ": a boundary grants nothing by itself",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "boundaries": (pol(allow(), deny("s3:*"), kind=PolicyKind.BOUNDARY),)},
        XD,
        PB + ": deny in boundary",
    ),
    # --- session policies
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": SESSION,
            "identity": (pol(allow()),),
            "session": pol(allow("s3:GetObject"), kind=PolicyKind.SESSION),
        },
        A,
        SESS,
    ),
    (
        "s3:PutObject",
        OBJ,
        {
            "principal": SESSION,
            "identity": (pol(allow()),),
            "session": pol(allow("s3:GetObject"), kind=PolicyKind.SESSION),
        },
        ID,
        SESS + ": session policy limits",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"principal": SESSION, "session": pol(allow(), kind=PolicyKind.SESSION)},
        ID,
        SESS + ": grants nothing by itself",
    ),
    # --- SCP levels
    ("s3:GetObject", OBJ, {"identity": (pol(allow()),), "scps": ((FULL,), (FULL,))}, A, SCP + ": every level allows"),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "scps": ((FULL,), ())},
        ID,
        SCP + ": a level without an allowing SCP denies",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "scps": ((FULL,), (pol(allow("ec2:*"), kind=PolicyKind.SCP),))},
        ID,
        SCP + ": OU allow list excludes s3",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "scps": ((FULL,), (pol(allow("s3:*"), kind=PolicyKind.SCP),), (FULL,))},
        A,
        SCP + ": allow list at each level",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "scps": ((FULL, pol(deny("s3:*"), kind=PolicyKind.SCP)),)},
        XD,
        SCP + ": deny list",
    ),
    ("s3:GetObject", OBJ, {"scps": ((FULL,),)}, ID, SCP + ": SCPs grant nothing"),
    # --- RCP levels
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "rcps": ((pol(allow(), kind=PolicyKind.RCP),),)},
        A,
        RCP + ": RCPFullAWSAccess",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "rcps": ((pol(allow(), deny("s3:GetObject", Principal="*"), kind=PolicyKind.RCP),),),
        },
        XD,
        RCP + ": RCP deny",
    ),
    # updated by the docs audit (RCP syntax: RCPFullAWSAccess is attached to every level and cannot be detached; RCPs only deny)
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "rcps": ((),)},
        A,
        RCP + ": a level without an explicit Allow still passes (RCPFullAWSAccess is implicit)",
    ),
    # --- same-account resource policies
    (
        "s3:GetObject",
        OBJ,
        {"resource_policy": rp(grant({"AWS": USER}, "s3:GetObject", Resource=OBJ))},
        A,
        EVAL + ": same-account resource policy naming the user grants on its own",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"resource_policy": rp(grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "s3:GetObject", Resource=OBJ))},
        ID,
        EVAL + ": a grant to the account delegates to identity policies",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "resource_policy": rp(grant({"AWS": ACCT}, "s3:GetObject", Resource=OBJ))},
        A,
        EVAL + ": account grant + identity allow",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp(grant({"AWS": "arn:aws:iam::999999999999:root"}, Resource=OBJ)),
        },
        A,
        EVAL + ": same account: identity allow suffices",
    ),
    ("s3:GetObject", OBJ, {"resource_policy": rp(grant("*", Resource=OBJ))}, A, EVAL + ": Principal * grants"),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp({"Effect": "Deny", "Principal": {"AWS": USER}, "Action": "*", "Resource": "*"}),
        },
        XD,
        EVAL + ": resource policy deny",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp({"Effect": "Deny", "Principal": {"AWS": ACCT}, "Action": "*", "Resource": "*"}),
        },
        XD,
        EVAL + ": deny to the account covers its principals",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp(
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "arn:aws:iam::111122223333:user/eve"},
                    "Action": "*",
                    "Resource": "*",
                }
            ),
        },
        A,
        EVAL + ": deny to someone else",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"principal": SESSION, "resource_policy": rp(grant({"AWS": SESSION}, Resource=OBJ))},
        A,
        EVAL + ": grant to the role session ARN",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"principal": SESSION, "resource_policy": rp(grant({"AWS": ROLE}, Resource=OBJ))},
        A,
        EVAL + ": grant to the role ARN covers its sessions",
    ),
    # --- boundary/session vs resource grants
    (
        "s3:GetObject",
        OBJ,
        {
            "boundaries": (pol(allow("ec2:*"), kind=PolicyKind.BOUNDARY),),
            "resource_policy": rp(grant({"AWS": USER}, Resource=OBJ)),
        },
        A,
        PB + ": implicit deny in the boundary does not limit a resource grant to the user ARN",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": SESSION,
            "boundaries": (pol(allow("ec2:*"), kind=PolicyKind.BOUNDARY),),
            "resource_policy": rp(grant({"AWS": ROLE}, Resource=OBJ)),
        },
        ID,
        PB + ": a resource grant to the role ARN is limited by the boundary",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": SESSION,
            "boundaries": (pol(allow("ec2:*"), kind=PolicyKind.BOUNDARY),),
            "resource_policy": rp(grant({"AWS": SESSION}, Resource=OBJ)),
        },
        A,
        PB + ": a grant to the session ARN is not limited",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": SESSION,
            "session": pol(allow("ec2:*"), kind=PolicyKind.SESSION),
            "resource_policy": rp(grant({"AWS": ROLE}, Resource=OBJ)),
        },
        ID,
        SESS + ": a grant to the role ARN is limited by the session policy",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": SESSION,
            "session": pol(allow("ec2:*"), kind=PolicyKind.SESSION),
            "resource_policy": rp(grant({"AWS": SESSION}, Resource=OBJ)),
        },
        A,
        SESS + ": a grant to the session ARN is not limited",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "boundaries": (pol(allow("s3:*"), kind=PolicyKind.BOUNDARY),),
            "resource_policy": rp(
                {"Effect": "Deny", "NotPrincipal": {"AWS": USER}, "Action": "*", "Resource": "*"}, grant({"AWS": USER})
            ),
        },
        XD,
        PB + ": NotPrincipal+Deny always denies principals with a boundary",
    ),
    # --- NotPrincipal
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp({"Effect": "Deny", "NotPrincipal": {"AWS": USER}, "Action": "*", "Resource": "*"}),
        },
        A,
        NP + ": the listed principal is not denied",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": f"arn:aws:iam::{ACCT}:user/eve",
            "identity": (pol(allow()),),
            "resource_policy": rp({"Effect": "Deny", "NotPrincipal": {"AWS": USER}, "Action": "*", "Resource": "*"}),
        },
        XD,
        NP + ": everyone else is denied",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": SESSION,
            "identity": (pol(allow()),),
            "resource_policy": rp(
                {
                    "Effect": "Deny",
                    "NotPrincipal": {"AWS": [ROLE, SESSION, f"arn:aws:iam::{ACCT}:root"]},
                    "Action": "*",
                    "Resource": "*",
                }
            ),
        },
        A,
        NP + ": list session, role and account",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "principal": f"arn:aws:iam::{ACCT}:user/eve",
            "resource_policy": rp({"Effect": "Allow", "NotPrincipal": {"AWS": USER}, "Action": "*", "Resource": "*"}),
        },
        A,
        NP + ": Allow with NotPrincipal allows everyone else",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"resource_policy": rp({"Effect": "Allow", "NotPrincipal": {"AWS": USER}, "Action": "*", "Resource": "*"})},
        ID,
        NP + ": but not the listed one",
    ),
    # --- trust policies
    (
        "sts:AssumeRole",
        TARGET,
        {"resource_policy": rp(grant({"AWS": USER}, "sts:AssumeRole"))},
        A,
        "Trust policy naming the user ARN: no identity permission needed in the same account",
    ),
    (
        "sts:AssumeRole",
        TARGET,
        {"resource_policy": rp(grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "sts:AssumeRole"))},
        ID,
        "Trust policy naming the account delegates to identity policies",
    ),
    (
        "sts:AssumeRole",
        TARGET,
        {
            "identity": (pol(allow("sts:AssumeRole", TARGET)),),
            "resource_policy": rp(grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "sts:AssumeRole")),
        },
        A,
        "Trust to account + identity allow",
    ),
    (
        "sts:AssumeRole",
        TARGET,
        {"identity": (pol(allow()),), "resource_policy": rp(grant({"Service": "ec2.amazonaws.com"}, "sts:AssumeRole"))},
        ID,
        "Trust policy is required: no trust, no assume",
    ),
    (
        "sts:AssumeRole",
        TARGET,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp(grant({"AWS": "arn:aws:iam::111122223333:user/eve"}, "sts:AssumeRole")),
        },
        ID,
        "Trust policy is required",
    ),
    (
        "sts:AssumeRole",
        TARGET,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp(
                grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "sts:AssumeRole"),
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringNotEquals": {"sts:ExternalId": "x"}},
                },
            ),
        },
        XD,
        "Trust deny without ExternalId",
    ),
    (
        "sts:AssumeRole",
        TARGET,
        {
            "context": {"sts:ExternalId": "x"},
            "identity": (pol(allow()),),
            "resource_policy": rp(
                grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "sts:AssumeRole"),
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringNotEquals": {"sts:ExternalId": "x"}},
                },
            ),
        },
        A,
        "Trust deny without ExternalId",
    ),
    (
        "kms:Decrypt",
        KEY,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp(grant({"AWS": "arn:aws:iam::111122223333:user/eve"}, "kms:*", Resource="*")),
        },
        ID,
        "KMS key policy is required: identity alone does not grant",
    ),
    (
        "kms:Decrypt",
        KEY,
        {
            "identity": (pol(allow()),),
            "resource_policy": rp(grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "kms:*", Resource="*")),
        },
        A,
        "KMS key policy enabling IAM policies",
    ),
    # --- cross account
    (
        "s3:GetObject",
        OBJ,
        {"identity": (pol(allow()),), "resource_account": OTHER},
        ID,
        XACC + ": no resource policy, no access",
    ),
    (
        "s3:GetObject",
        OBJ,
        {"resource_account": OTHER, "resource_policy": rp(grant({"AWS": USER}, Resource=OBJ))},
        ID,
        XACC + ": identity side must allow too",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_account": OTHER,
            "resource_policy": rp(grant({"AWS": USER}, Resource=OBJ)),
        },
        A,
        XACC + ": both sides allow",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_account": OTHER,
            "resource_policy": rp(grant({"AWS": ACCT}, Resource=OBJ)),
        },
        A,
        XACC + ": trust of the caller's account",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "resource_account": OTHER,
            "resource_policy": rp(grant({"AWS": OTHER}, Resource=OBJ)),
        },
        ID,
        XACC + ": the resource account's own root does not cover callers",
    ),
    (
        "s3:GetObject",
        OBJ,
        {
            "identity": (pol(allow()),),
            "boundaries": (pol(allow("ec2:*"), kind=PolicyKind.BOUNDARY),),
            "resource_account": OTHER,
            "resource_policy": rp(grant({"AWS": USER}, Resource=OBJ)),
        },
        ID,
        XACC + ": the boundary limits the identity side",
    ),
    (
        "sts:AssumeRole",
        f"arn:aws:iam::{OTHER}:role/x",
        {
            "identity": (pol(allow("sts:AssumeRole")),),
            "resource_account": OTHER,
            "resource_policy": rp(grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "sts:AssumeRole")),
        },
        A,
        XACC + ": cross-account role assumption",
    ),
    (
        "sts:AssumeRole",
        f"arn:aws:iam::{OTHER}:role/x",
        {
            "resource_account": OTHER,
            "resource_policy": rp(grant({"AWS": f"arn:aws:iam::{ACCT}:root"}, "sts:AssumeRole")),
        },
        ID,
        XACC + ": needs identity allow",
    ),
]


@pytest.mark.parametrize("action,resource,kw,expected,doc", CASES)
def test_decision(action, resource, kw, expected, doc) -> None:  # type: ignore[no-untyped-def]
    assert run(action, resource, **kw).decision is expected, doc


def test_citations_name_policy_index_and_sid() -> None:
    p = pol(
        {"Sid": "ok", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "no", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"},
        pid="inline-a",
    )
    r = run("s3:GetObject", OBJ, identity=(p,))
    assert [(c.policy.id, c.index, c.sid) for c in r.allowed_by] == [("inline-a", 0, "ok")]
    r = run("s3:PutObject", OBJ, identity=(p,))
    assert r.decision is XD and [(c.policy.id, c.index, c.sid) for c in r.denied_by] == [("inline-a", 1, "no")]
    assert r.allowed_by == ()


def test_allowed_by_includes_every_required_level() -> None:
    b = pol(allow("s3:*"), kind=PolicyKind.BOUNDARY, pid="pb")
    r = run("s3:GetObject", OBJ, identity=(pol(allow(), pid="id"),), boundaries=(b,), scps=((FULL,),))
    assert {c.policy.id for c in r.allowed_by} == {"id", "pb", "FullAWSAccess"}


MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


def test_unknown_only_with_unknown_keys() -> None:
    idp = (pol(allow(Condition=MFA)),)
    assert run("s3:GetObject", OBJ, identity=idp).decision is ID
    r = run("s3:GetObject", OBJ, identity=idp, unknown=frozenset({"aws:multifactorauthpresent"}))
    assert r.decision is UNK and r.unknown_keys == {"aws:MultiFactorAuthPresent"}
    r = run("s3:GetObject", OBJ, identity=idp, open_world=True)
    assert r.decision is UNK
    r = run("s3:GetObject", OBJ, identity=idp, open_world=True, context={"aws:MultiFactorAuthPresent": "true"})
    assert r.decision is A and not r.unknown_keys


def test_maybe_deny() -> None:
    ids = (pol(allow(), deny(Condition={"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),)
    r = run("s3:GetObject", OBJ, identity=ids, open_world=True)
    assert r.decision is UNK and "aws:SourceIp" in r.unknown_keys and len(r.denied_by) == 1
    # a maybe-deny with nothing that could allow is an implicit deny
    r = run(
        "s3:GetObject",
        OBJ,
        identity=(pol(deny(Condition={"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),),
        open_world=True,
    )
    assert r.decision is ID
    # a definite deny wins over maybes
    r = run("s3:GetObject", OBJ, identity=(pol(allow(Condition=MFA), deny("s3:*")),), open_world=True)
    assert r.decision is XD


def test_unknown_in_boundary_makes_unknown() -> None:
    b = pol(allow(Condition=MFA), kind=PolicyKind.BOUNDARY)
    r = run("s3:GetObject", OBJ, identity=(pol(allow()),), boundaries=(b,), open_world=True)
    assert r.decision is UNK and r.unknown_keys == {"aws:MultiFactorAuthPresent"}


def test_absent_keys_in_open_world() -> None:
    from iamgraph.evaluate.engine import evaluate
    from iamgraph.evaluate.types import PolicySet, Request

    ps = PolicySet(identity=(pol(allow(), deny(Condition={"Null": {"iam:PermissionsBoundary": "true"}})),))
    base = dict(principal_arn=USER, action="iam:CreateUser", resource="*", open_world=True)
    assert evaluate(Request(**base), ps).decision is UNK
    assert evaluate(Request(**base, absent_keys=frozenset({"iam:PermissionsBoundary"})), ps).decision is XD
